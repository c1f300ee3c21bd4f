package app

import (
	"bytes"
	"encoding/binary"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/go-text/typesetting/font"
	ot "github.com/go-text/typesetting/font/opentype"

	"github.com/mynasign/mynasign/assets"
)

// TestFontLineBox: the embedded faces declare a line box of fontLineHeight em, centred
// on the original one; every glyph the app's texts use most (kana, kanji, the low line
// of file names, descenders) lies inside it; the font stays a valid sfnt (checksums);
// and Fyne measures a line of text that tall.
func TestFontLineBox(t *testing.T) {
	for name, data := range map[string][]byte{"regular": assets.FontUIRegular, "bold": assets.FontUIBold, "monospace": assets.FontRegular} {
		patched := withLineHeight(data, fontLineHeight)
		if bytes.Equal(patched, data) {
			t.Fatalf("%s: the font was not changed", name)
		}
		be := binary.BigEndian
		orig, got := sfntTables(data), sfntTables(patched)
		upem := float64(be.Uint16(got["head"][18:]))
		asc, desc := int(int16(be.Uint16(got["hhea"][4:]))), int(int16(be.Uint16(got["hhea"][6:])))
		oasc, odesc := int(int16(be.Uint16(orig["hhea"][4:]))), int(int16(be.Uint16(orig["hhea"][6:])))
		if want := int(math.Round(fontLineHeight * upem)); asc-desc != want {
			t.Errorf("%s: line box %d units, want %d", name, asc-desc, want)
		}
		if d := (asc - oasc) - (odesc - desc); d < -1 || d > 1 {
			t.Errorf("%s: the extra space is not split evenly: %d above, %d below", name, asc-oasc, odesc-desc)
		}
		for off, v := range map[int]int{68: asc, 70: desc, 72: 0} {
			if g := int(int16(be.Uint16(got["OS/2"][off:]))); g != v {
				t.Errorf("%s: OS/2 at %d is %d, want %d", name, off, g, v)
			}
		}
		var sum uint32
		for i := 0; i+4 <= len(patched); i += 4 {
			sum += be.Uint32(patched[i:])
		}
		if rest := len(patched) % 4; rest != 0 {
			var w [4]byte
			copy(w[:], patched[len(patched)-rest:])
			sum += be.Uint32(w[:])
		}
		if sum != 0xB1B0AFBA {
			t.Errorf("%s: font checksum %#x, want 0xB1B0AFBA", name, sum)
		}

		ld, err := ot.NewLoader(bytes.NewReader(patched))
		if err != nil {
			t.Fatal(err)
		}
		f, err := font.NewFont(ld)
		if err != nil {
			t.Fatal(err)
		}
		face := font.NewFace(f)
		for _, r := range "_gjypQ|()「」、。漢あア" {
			gid, ok := face.NominalGlyph(r)
			if !ok {
				t.Errorf("%s: no glyph for %q", name, r)
				continue
			}
			ext, _ := face.GlyphExtents(gid)
			top, bottom := int(ext.YBearing), int(ext.YBearing+ext.Height)
			if top > asc || bottom < desc {
				t.Errorf("%s: %q reaches %d..%d, outside the line box %d..%d", name, r, bottom, top, desc, asc)
			}
		}
	}

	a := test.NewTempApp(t)
	a.Settings().SetTheme(newTheme(1))
	s := fyne.MeasureText("署名用パスワード_abc", 20, fyne.TextStyle{})
	if want := float32(20 * fontLineHeight); math.Abs(float64(s.Height-want)) > 0.5 {
		t.Errorf("a line of 20 px text is %.2f px tall, want %.2f", s.Height, want)
	}
}

// UI text is drawn in the proportional BIZ UDPGothic (Latin at its natural widths: "iii" is
// narrower than "MMM"), monospace text in the fixed-width BIZ UDGothic (both as wide).
func TestProportionalUIFont(t *testing.T) {
	a := test.NewApp()
	defer a.Quit()
	a.Settings().SetTheme(newTheme(1))
	th := newTheme(1)
	if n := th.Font(fyne.TextStyle{}).Name(); n != "BIZUDPGothic-Regular.ttf" {
		t.Errorf("text font %s", n)
	}
	if n := th.Font(fyne.TextStyle{Bold: true}).Name(); n != "BIZUDPGothic-Bold.ttf" {
		t.Errorf("bold font %s", n)
	}
	if n := th.Font(fyne.TextStyle{Monospace: true}).Name(); n != "BIZUDGothic-Regular.ttf" {
		t.Errorf("monospace font %s", n)
	}
	narrow := fyne.MeasureText("iiiiii", 14, fyne.TextStyle{})
	wide := fyne.MeasureText("MMMMMM", 14, fyne.TextStyle{})
	if narrow.Width >= wide.Width*0.7 {
		t.Errorf("proportional face: iiiiii %.1f, MMMMMM %.1f", narrow.Width, wide.Width)
	}
	mn := fyne.MeasureText("iiiiii", 14, fyne.TextStyle{Monospace: true})
	mw := fyne.MeasureText("MMMMMM", 14, fyne.TextStyle{Monospace: true})
	if d := mn.Width - mw.Width; d > 0.5 || d < -0.5 {
		t.Errorf("fixed-width face: iiiiii %.1f, MMMMMM %.1f", mn.Width, mw.Width)
	}
}
