package app

import (
	"bytes"
	"encoding/binary"
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/mynasign/mynasign/assets"
)

// The embedded BIZ UD faces: every piece of text in the app, Japanese or not, is drawn
// with them (BIZ UDPGothic, proportional; BIZ UDGothic for monospace text), so the app
// looks the same on a machine without Japanese fonts.
//
// They are given a taller line box (fontLineHeight) than the files declare: see
// withLineHeight.
var (
	fontRegular   = fyne.NewStaticResource("BIZUDPGothic-Regular.ttf", withLineHeight(assets.FontUIRegular, fontLineHeight))
	fontBold      = fyne.NewStaticResource("BIZUDPGothic-Bold.ttf", withLineHeight(assets.FontUIBold, fontLineHeight))
	fontMonospace = fyne.NewStaticResource("BIZUDGothic-Regular.ttf", withLineHeight(assets.FontRegular, fontLineHeight))
	iconPNG       = fyne.NewStaticResource("icon.png", assets.Icon)
)

// fontLineHeight is the height of one line of text, in em. BIZ UDGothic declares a line
// box of exactly 1 em (ascender 0.88, descender 0.12, no line gap), the size of a kanji.
// Fyne sizes every text object by the font's line box and stacks the lines of wrapped
// text one line box apart, and it draws glyphs only inside that box: with 1 em, the lines
// of a wrapped Japanese paragraph touched, and the low line "_" of a file name, which
// BIZ UDGothic draws at the very bottom of the box, was cut off. 1.36 em is the line box
// of Fyne's own default font (Noto Sans), the proportion its widgets are designed for.
// The space between the lines of a paragraph is added by textBlock (text.go).
const fontLineHeight = 1.36

// withLineHeight returns a copy of the TrueType font ttf whose vertical metrics (hhea,
// and OS/2 which some readers prefer) declare a line box of lineHeight em, the extra
// space split evenly above and below the glyphs (half-leading, as CSS does), so that
// text stays centred where Fyne centres its line box. The glyphs are untouched. A font
// that cannot be read this way, or that is already that tall, is returned as it is.
func withLineHeight(ttf []byte, lineHeight float64) []byte {
	out := bytes.Clone(ttf)
	tables := sfntTables(out)
	head, hhea := tables["head"], tables["hhea"]
	if len(head) < 54 || len(hhea) < 36 {
		return ttf
	}
	be := binary.BigEndian
	upem := float64(be.Uint16(head[18:]))
	asc, desc := int(int16(be.Uint16(hhea[4:]))), int(int16(be.Uint16(hhea[6:])))
	want := int(math.Round(lineHeight * upem))
	if upem == 0 || desc > 0 || want <= asc-desc {
		return ttf
	}
	asc += (want - (asc - desc)) / 2
	desc = asc - want
	put := func(b []byte, v int) { be.PutUint16(b, uint16(int16(v))) }
	put(hhea[4:], asc)
	put(hhea[6:], desc)
	put(hhea[8:], 0) // lineGap: the leading is in the box now
	if os2 := tables["OS/2"]; len(os2) >= 78 {
		put(os2[68:], asc) // sTypoAscender
		put(os2[70:], desc)
		put(os2[72:], 0)
		be.PutUint16(os2[74:], uint16(asc))   // usWinAscent
		be.PutUint16(os2[76:], uint16(-desc)) // usWinDescent
	}
	// Keep the file consistent: the two tables' checksums, then the whole font's.
	fixSFNTChecksums(out, "hhea", "OS/2")
	return out
}

// sfntTables maps the tags of an sfnt (TrueType/OpenType) font to its tables, as slices
// of font (changing one changes the font). Tables that lie outside the data are left out.
func sfntTables(font []byte) map[string][]byte {
	tables := map[string][]byte{}
	if len(font) < 12 {
		return tables
	}
	be := binary.BigEndian
	n := int(be.Uint16(font[4:]))
	for i := 0; i < n; i++ {
		rec := 12 + 16*i
		if rec+16 > len(font) {
			break
		}
		off, length := int(be.Uint32(font[rec+8:])), int(be.Uint32(font[rec+12:]))
		if off < 0 || length < 0 || off+length > len(font) || off+length < off {
			continue
		}
		tables[string(font[rec:rec+4])] = font[off : off+length : off+length]
	}
	return tables
}

// fixSFNTChecksums recomputes the table-directory checksums of the named tables and
// head's checkSumAdjustment (OpenType spec, "Calculating checksums").
func fixSFNTChecksums(font []byte, tags ...string) {
	be := binary.BigEndian
	sum := func(b []byte) uint32 {
		var s uint32
		for i := 0; i < len(b); i += 4 {
			var w [4]byte
			copy(w[:], b[i:min(i+4, len(b))])
			s += be.Uint32(w[:])
		}
		return s
	}
	n := int(be.Uint16(font[4:]))
	headOff := -1
	for i := 0; i < n && 12+16*i+16 <= len(font); i++ {
		rec := 12 + 16*i
		tag := string(font[rec : rec+4])
		off, length := int(be.Uint32(font[rec+8:])), int(be.Uint32(font[rec+12:]))
		if off+length > len(font) {
			continue
		}
		if tag == "head" && length >= 12 {
			headOff = off
		}
		for _, t := range tags {
			if t == tag {
				be.PutUint32(font[rec+4:], sum(font[off:off+length]))
			}
		}
	}
	if headOff >= 0 {
		be.PutUint32(font[headOff+8:], 0)
		be.PutUint32(font[headOff+8:], 0xB1B0AFBA-sum(font))
	}
}

// Status colours of the app (results, CRL freshness). They are chosen to be told apart
// in both the light and the dark variant and never carry meaning alone: every coloured
// element also has a text or an icon.
const (
	colorNameOK   fyne.ThemeColorName = "mynasign-ok"
	colorNameWarn fyne.ThemeColorName = "mynasign-warn"
	colorNameBad  fyne.ThemeColorName = "mynasign-bad"
	colorNameTest fyne.ThemeColorName = "mynasign-test"
)

// appTheme is Fyne's default theme with the embedded Japanese font and a text-size
// factor that the user can raise (on top of the system's own scale, which Fyne applies).
type appTheme struct {
	base      fyne.Theme
	textScale float32
}

func newTheme(textScale float32) *appTheme {
	if textScale < 0.8 || textScale > 2.5 {
		textScale = 1
	}
	return &appTheme{base: theme.DefaultTheme(), textScale: textScale}
}

func (t *appTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	dark := v == theme.VariantDark
	switch n {
	case colorNameOK:
		if dark {
			return color.NRGBA{R: 0x5c, G: 0xd6, B: 0x7d, A: 0xff}
		}
		return color.NRGBA{R: 0x1e, G: 0x7e, B: 0x34, A: 0xff}
	case colorNameWarn:
		if dark {
			return color.NRGBA{R: 0xff, G: 0xc1, B: 0x4d, A: 0xff}
		}
		return color.NRGBA{R: 0x9a, G: 0x5b, B: 0x00, A: 0xff}
	case colorNameBad:
		if dark {
			return color.NRGBA{R: 0xff, G: 0x7b, B: 0x72, A: 0xff}
		}
		return color.NRGBA{R: 0xb3, G: 0x26, B: 0x1e, A: 0xff}
	case colorNameTest:
		if dark {
			return color.NRGBA{R: 0xd0, G: 0x9c, B: 0xff, A: 0xff}
		}
		return color.NRGBA{R: 0x6f, G: 0x2d, B: 0xa8, A: 0xff}
	}
	return t.base.Color(n, v)
}

// Font returns BIZ UDPGothic (proportional) for text, bold or not, and BIZ UDGothic
// (fixed-width Latin) for monospace text: hashes, serials, fingerprints. The family has no
// italic; the regular face is used for it so that Japanese in it still renders.
func (t *appTheme) Font(s fyne.TextStyle) fyne.Resource {
	switch {
	case s.Monospace:
		return fontMonospace
	case s.Bold:
		return fontBold
	}
	return fontRegular
}

func (t *appTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return t.base.Icon(n) }

func (t *appTheme) Size(n fyne.ThemeSizeName) float32 {
	s := t.base.Size(n)
	switch n {
	case theme.SizeNameText, theme.SizeNameHeadingText, theme.SizeNameSubHeadingText,
		theme.SizeNameCaptionText, theme.SizeNameInlineIcon:
		return s * t.textScale
	case theme.SizeNameLineSpacing:
		// The space between the lines of a wrapped paragraph (textBlock) and between
		// paragraphs: it grows with the text.
		return s * t.textScale
	}
	return s
}
