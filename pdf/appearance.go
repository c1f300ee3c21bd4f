package pdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"sync"
	"time"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/mynasign/mynasign/assets"
)

// Appearance places a visible signature on a page (1-based).
//
// With Corner set, the box is W×H points as the page is shown (after its /Rotate) and
// goes into that corner of the page's visible area (its /CropBox), Margin points from the
// edges (DefaultMargin when 0); X and Y are not used. Without Corner, X, Y, W, H are a
// rectangle in the page's default user space (points from the unrotated page's lower left
// corner), which must lie inside the page's visible area (*RectError otherwise). Either
// way the drawing is turned with a rotated page so that it reads upright.
type Appearance struct {
	Page          int
	Corner        Corner
	Margin        float64
	X, Y, W, H    float64
	pixelsPerUnit float64 // raster resolution; 0 means the default
}

// appearanceLines are the lines drawn in a visible signature. The drawing is decoration:
// a verifier shows the verified signer, never this text.
func appearanceLines(name string, t time.Time, test bool) []string {
	jt := t.In(jst)
	lines := []string{"電子署名"}
	if test {
		// A test certificate is not a real identity, and the drawing says so.
		lines[0] = "電子署名（テスト用証明書）"
	}
	if name != "" {
		lines = append(lines, "署名者: "+name)
	}
	lines = append(lines, fmt.Sprintf("日時: %d年%d月%d日 %02d:%02d (JST)", jt.Year(), int(jt.Month()), jt.Day(), jt.Hour(), jt.Minute()))
	return lines
}

var parsedFont = sync.OnceValues(func() (*opentype.Font, error) { return opentype.Parse(assets.FontRegular) })

// renderAppearance draws the lines into a grayscale raster of w×h points at ppu pixels
// per point: a white box with a thin border, the text in near-black, each line as large
// as fits.
func renderAppearance(lines []string, w, h, ppu float64) (*image.Gray, error) {
	fnt, err := parsedFont()
	if err != nil {
		return nil, fmt.Errorf("signature font: %w", err)
	}
	pw, ph := int(w*ppu+0.5), int(h*ppu+0.5)
	if pw < 1 || ph < 1 || pw > 8000 || ph > 8000 {
		return nil, fmt.Errorf("signature rectangle %.0f×%.0f pt is too small or too large", w, h)
	}
	img := image.NewGray(image.Rect(0, 0, pw, ph))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.Gray{Y: 255}), image.Point{}, draw.Src)
	border := max(1, int(ppu*0.75))
	dark := color.Gray{Y: 40}
	for x := 0; x < pw; x++ {
		for k := 0; k < border && k < ph; k++ {
			img.SetGray(x, k, dark)
			img.SetGray(x, ph-1-k, dark)
		}
	}
	for y := 0; y < ph; y++ {
		for k := 0; k < border && k < pw; k++ {
			img.SetGray(k, y, dark)
			img.SetGray(pw-1-k, y, dark)
		}
	}
	pad := float64(ph) * 0.08
	lineH := (float64(ph) - 2*pad) / float64(len(lines))
	for i, line := range lines {
		size := lineH * 0.78
		var face font.Face
		for ; size >= 4; size *= 0.92 {
			face, err = opentype.NewFace(fnt, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
			if err != nil {
				return nil, err
			}
			adv := font.MeasureString(face, line)
			if float64(adv.Ceil()) <= float64(pw)-2*pad {
				break
			}
			face.Close()
			face = nil
		}
		if face == nil {
			face, err = opentype.NewFace(fnt, &opentype.FaceOptions{Size: 4, DPI: 72})
			if err != nil {
				return nil, err
			}
		}
		m := face.Metrics()
		baseline := pad + lineH*float64(i) + (lineH+float64(m.Ascent.Ceil())-float64(m.Descent.Ceil()))/2
		d := &font.Drawer{Dst: img, Src: image.NewUniform(color.Gray{Y: 20}), Face: face,
			Dot: fixed.P(int(pad), int(baseline))}
		d.DrawString(line)
		face.Close()
	}
	return img, nil
}

// appearanceStreams builds the image XObject and the form XObject (the /AP /N stream) of
// a visible signature of w×h points as shown; on a page shown rotated by rotate degrees
// clockwise, the form's /Matrix turns it back so that it reads upright.
func appearanceStreams(inc *increment, a *Appearance, w, h float64, rotate int, lines []string) (Ref, error) {
	ppu := a.pixelsPerUnit
	if ppu == 0 {
		ppu = 4
	}
	img, err := renderAppearance(lines, w, h, ppu)
	if err != nil {
		return Ref{}, err
	}
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.DefaultCompression)
	zw.Write(img.Pix)
	zw.Close()
	id := Dict{}
	id.Set("Type", Name("XObject"))
	id.Set("Subtype", Name("Image"))
	id.Set("Width", Int(img.Rect.Dx()))
	id.Set("Height", Int(img.Rect.Dy()))
	id.Set("ColorSpace", Name("DeviceGray"))
	id.Set("BitsPerComponent", Int(8))
	id.Set("Filter", Name("FlateDecode"))
	imgRef := inc.add(&Stream{Dict: id, Data: z.Bytes()})

	fd := Dict{}
	fd.Set("Type", Name("XObject"))
	fd.Set("Subtype", Name("Form"))
	fd.Set("BBox", Array{Int(0), Int(0), Real(w), Real(h)})
	// Counter-clockwise by rotate: the viewer's clockwise turn of the page undoes it.
	switch rotate {
	case 90:
		fd.Set("Matrix", Array{Int(0), Int(1), Int(-1), Int(0), Int(0), Int(0)})
	case 180:
		fd.Set("Matrix", Array{Int(-1), Int(0), Int(0), Int(-1), Int(0), Int(0)})
	case 270:
		fd.Set("Matrix", Array{Int(0), Int(-1), Int(1), Int(0), Int(0), Int(0)})
	}
	xo := Dict{}
	xo.Set("Im0", imgRef)
	res := Dict{}
	res.Set("XObject", xo)
	fd.Set("Resources", res)
	content := fmt.Sprintf("q %s 0 0 %s 0 0 cm /Im0 Do Q", formatReal(w), formatReal(h))
	return inc.add(&Stream{Dict: fd, Data: []byte(content)}), nil
}

// emptyAppearance is the /AP /N stream of an invisible signature.
func emptyAppearance(inc *increment) Ref {
	fd := Dict{}
	fd.Set("Type", Name("XObject"))
	fd.Set("Subtype", Name("Form"))
	fd.Set("BBox", Array{Int(0), Int(0), Int(0), Int(0)})
	return inc.add(&Stream{Dict: fd, Data: []byte{}})
}
