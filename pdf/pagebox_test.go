package pdf

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	samplepdf "github.com/mynasign/mynasign/internal/samplepdf"
	"github.com/mynasign/mynasign/internal/testenv"
)

// pageCase is a page shape and how a viewer shows it.
type pageCase struct {
	name           string
	spec           samplepdf.Spec
	box            PageBox // the expected shown box
	shownW, shownH float64
}

var pageCases = []pageCase{
	{"A4 portrait", samplepdf.Spec{}, PageBox{0, 0, 595, 842, 0}, 595, 842},
	{"Letter", samplepdf.Spec{PageBoxes: []string{"/MediaBox [0 0 612 792]"}}, PageBox{0, 0, 612, 792, 0}, 612, 792},
	{"A4 landscape", samplepdf.Spec{PageBoxes: []string{"/MediaBox [0 0 842 595]"}}, PageBox{0, 0, 842, 595, 0}, 842, 595},
	{"rotated 90 with a crop box", samplepdf.Spec{PageBoxes: []string{"/MediaBox [0 0 595 842] /CropBox [20 40 575 822] /Rotate 90"}},
		PageBox{20, 40, 575, 822, 90}, 782, 555},
	{"Letter upside down", samplepdf.Spec{PageBoxes: []string{"/MediaBox [0 0 612 792] /Rotate 180"}}, PageBox{0, 0, 612, 792, 180}, 612, 792},
	{"inherited, offset, rotated -90", samplepdf.Spec{PageBoxes: []string{""}, TreeAttrs: "/MediaBox [100 200 712 992] /Rotate -90"},
		PageBox{100, 200, 712, 992, 270}, 792, 612},
	{"crop box past the media box, odd rotation", samplepdf.Spec{PageBoxes: []string{"/MediaBox [0 0 595 842] /CropBox [-50 -50 300 400] /Rotate 45"}},
		PageBox{0, 0, 300, 400, 0}, 300, 400},
}

// fromUser maps a user-space point to the page as shown (x right, y up from the shown
// lower left corner), independently of PageBox.toUser: rotate the user space clockwise
// by Rotate around the visible area.
func fromUser(b PageBox, ux, uy float64) (float64, float64) {
	x, y := ux-b.LLX, uy-b.LLY
	w, h := b.URX-b.LLX, b.URY-b.LLY
	switch b.Rotate {
	case 90: // (x, y) → (y, w - x)
		return y, w - x
	case 180:
		return w - x, h - y
	case 270: // (x, y) → (h - y, x)
		return h - y, x
	}
	return x, y
}

func TestPageBoxes(t *testing.T) {
	for _, c := range pageCases {
		path := writeTemp(t, "p.pdf", samplepdf.Make(c.spec))
		boxes, err := PageBoxes(path)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if len(boxes) != 1 || boxes[0] != c.box || boxes[0].Width() != c.shownW || boxes[0].Height() != c.shownH {
			t.Errorf("%s: %+v (%gx%g), want %+v (%gx%g)", c.name, boxes, boxes[0].Width(), boxes[0].Height(), c.box, c.shownW, c.shownH)
		}
	}
	if _, err := PageBoxes(writeTemp(t, "x.pdf", []byte("not a pdf"))); err == nil {
		t.Error("garbage accepted")
	}
}

// TestVisibleSignaturePlacement signs each page shape with the box in each corner: the
// widget lies inside the shown page, in that corner, the margin from its edges; its
// appearance is W×H as shown and turned back by the page's rotation; poppler renders the
// box there, upright (three left-aligned lines of text).
func TestVisibleSignaturePlacement(t *testing.T) {
	pdftoppm := testenv.Tool(t, "pdftoppm")
	const w, h, m = 200.0, 60.0, DefaultMargin
	for _, c := range pageCases {
		for _, corner := range []Corner{BottomRight, BottomLeft, TopRight, TopLeft} {
			t.Run(c.name+"/"+string(corner), func(t *testing.T) {
				opts := personaOptions(t, "valid", PAdES)
				opts.Visible = &Appearance{Page: 1, Corner: corner, W: w, H: h}
				data, out := signBytes(t, samplepdf.Make(c.spec), opts)
				f, err := NewFile(bytes.NewReader(data), int64(len(data)))
				if err != nil {
					t.Fatal(err)
				}
				widget, ap := signatureWidget(t, f)
				rect := numbers(t, f, widget.Get("Rect"))
				const eps = 1e-6
				if rect[0] < c.box.LLX-eps || rect[1] < c.box.LLY-eps || rect[2] > c.box.URX+eps || rect[3] > c.box.URY+eps {
					t.Fatalf("/Rect %v is not inside the visible area %+v", rect, c.box)
				}
				// Back to the page as shown: the corner and the margins.
				x0, y0 := fromUser(c.box, rect[0], rect[1])
				x1, y1 := fromUser(c.box, rect[2], rect[3])
				sx, sy := math.Min(x0, x1), math.Min(y0, y1)
				sw, sh := math.Abs(x1-x0), math.Abs(y1-y0)
				wantX, wantY := float64(m), float64(m)
				if corner == BottomRight || corner == TopRight {
					wantX = c.shownW - m - w
				}
				if corner == TopLeft || corner == TopRight {
					wantY = c.shownH - m - h
				}
				if math.Abs(sw-w) > eps || math.Abs(sh-h) > eps || math.Abs(sx-wantX) > eps || math.Abs(sy-wantY) > eps {
					t.Fatalf("shown box at (%g,%g) %gx%g, want (%g,%g) %gx%g", sx, sy, sw, sh, wantX, wantY, w, h)
				}
				if bbox := numbers(t, f, ap.Get("BBox")); bbox != [4]float64{0, 0, w, h} {
					t.Errorf("appearance /BBox %v, want the shown size", bbox)
				}
				wantMatrix := map[int]string{0: "", 90: "[0 1 -1 0 0 0]", 180: "[-1 0 0 -1 0 0]", 270: "[0 -1 1 0 0 0]"}[c.box.Rotate]
				if got := matrixString(ap.Get("Matrix")); got != wantMatrix {
					t.Errorf("appearance /Matrix %s, want %q", got, wantMatrix)
				}
				img := renderPage(t, pdftoppm, out)
				checkRenderedBox(t, img, c, sx, sy)
			})
		}
	}
}

// TestCornerThatDoesNotFit: a box larger than the page (with its margins) is refused,
// by CheckAppearance and by SignFile, with nothing written.
func TestCornerThatDoesNotFit(t *testing.T) {
	small := writeTemp(t, "small.pdf", samplepdf.Make(samplepdf.Spec{PageBoxes: []string{"/MediaBox [0 0 200 100]"}}))
	a := &Appearance{Page: 1, Corner: BottomRight, W: 200, H: 60}
	var pe *PlacementError
	if err := CheckAppearance(small, a); !errors.As(err, &pe) || pe.PageW != 200 || pe.PageH != 100 {
		t.Fatalf("CheckAppearance: %v", err)
	}
	opts := personaOptions(t, "valid", PAdES)
	opts.Visible = a
	out := filepath.Join(t.TempDir(), "o.pdf")
	if _, err := SignFile(t.Context(), small, out, opts); !errors.As(err, &pe) {
		t.Fatalf("SignFile: %v", err)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Error("an output was written")
	}
	if err := CheckAppearance(small, &Appearance{Page: 1, Corner: "middle", W: 10, H: 10}); !errors.As(err, &pe) || !pe.UnknownCorner {
		t.Errorf("unknown corner: %v", err)
	}
	var pg *PageError
	if err := CheckAppearance(small, &Appearance{Page: 2, Corner: BottomRight, W: 10, H: 10}); !errors.As(err, &pg) || pg.Pages != 1 {
		t.Errorf("page 2 of 1: %v", err)
	}
	if err := CheckAppearance(small, &Appearance{Page: 1, Corner: BottomLeft, W: 100, H: 20}); err != nil {
		t.Errorf("a box that fits: %v", err)
	}
}

// TestExplicitRectangleOffThePage: an explicit rectangle (no corner) must lie wholly
// inside the page's visible area (the crop box within the media box); one that lies
// partly or wholly outside it, or has no size, is refused with a *RectError by
// CheckAppearance and by SignFile, with nothing written. Rectangles inside it, up to its
// edges, pass, on a rotated page too (the rectangle is in user space).
func TestExplicitRectangleOffThePage(t *testing.T) {
	// A4 with a crop box: the visible area is x 50–545, y 60–782.
	cropped := writeTemp(t, "cropped.pdf", samplepdf.Make(samplepdf.Spec{PageBoxes: []string{"/MediaBox [0 0 595 842] /CropBox [50 60 545 782]"}}))
	rotated := writeTemp(t, "rotated.pdf", samplepdf.Make(samplepdf.Spec{PageBoxes: []string{"/MediaBox [0 0 595 842] /Rotate 90"}}))
	box := PageBox{LLX: 50, LLY: 60, URX: 545, URY: 782}
	for _, c := range []struct {
		name       string
		x, y, w, h float64
		empty      bool
	}{
		{"wholly outside, right of the page", 600, 100, 100, 40, false},
		{"wholly outside, above the page", 100, 900, 100, 40, false},
		{"partly outside, past the right edge", 400, 100, 200, 60, false},
		{"partly outside, past the top edge", 100, 750, 200, 60, false},
		{"negative origin", -20, 100, 200, 60, false},
		{"inside the media box, outside the crop box", 10, 10, 200, 40, false},
		{"not a number", math.NaN(), 100, 200, 60, false},
		{"infinitely far", math.Inf(1), 100, 200, 60, false},
		{"zero width", 100, 100, 0, 60, true},
		{"zero height", 100, 100, 200, 0, true},
		{"negative size", 300, 300, -200, -60, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			var re *RectError
			err := CheckAppearance(cropped, &Appearance{Page: 1, X: c.x, Y: c.y, W: c.w, H: c.h})
			if !errors.As(err, &re) || re.Empty != c.empty || re.Page != 1 {
				t.Fatalf("CheckAppearance: %v", err)
			}
			if !c.empty && re.Box != box {
				t.Errorf("the error names the visible area %+v, want %+v", re.Box, box)
			}
		})
	}
	// A box in a corner needs a size too.
	var re *RectError
	if err := CheckAppearance(cropped, &Appearance{Page: 1, Corner: BottomLeft, W: 0, H: 60}); !errors.As(err, &re) || !re.Empty {
		t.Errorf("empty box in a corner: %v", err)
	}
	for _, a := range []*Appearance{
		{Page: 1, X: 100, Y: 100, W: 200, H: 60},
		{Page: 1, X: 50, Y: 60, W: 495, H: 722},  // the whole visible area
		{Page: 1, X: 345, Y: 722, W: 200, H: 60}, // the top right corner, edge to edge
	} {
		if err := CheckAppearance(cropped, a); err != nil {
			t.Errorf("%+v inside the visible area: %v", *a, err)
		}
	}
	// On a page shown rotated the rectangle is still in (unrotated) user space.
	if err := CheckAppearance(rotated, &Appearance{Page: 1, X: 300, Y: 700, W: 200, H: 100}); err != nil {
		t.Errorf("inside a rotated page: %v", err)
	}
	if err := CheckAppearance(rotated, &Appearance{Page: 1, X: 300, Y: 500, W: 400, H: 100}); !errors.As(err, &re) {
		t.Errorf("past a rotated page's right edge (user space): %v", err)
	}

	// SignFile refuses it too, before anything is written.
	opts := personaOptions(t, "valid", PAdES)
	opts.Visible = &Appearance{Page: 1, X: 400, Y: 100, W: 200, H: 60}
	out := filepath.Join(t.TempDir(), "o.pdf")
	if _, err := SignFile(t.Context(), cropped, out, opts); !errors.As(err, &re) || re.Empty {
		t.Fatalf("SignFile: %v", err)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Error("an output was written")
	}
	opts.Visible = &Appearance{Page: 1, X: 300, Y: 100, W: 200, H: 60}
	if _, err := SignFile(t.Context(), cropped, out, opts); err != nil {
		t.Fatalf("SignFile inside the visible area: %v", err)
	}
}

// signatureWidget finds the newest revision's signature widget and its /AP /N form.
func signatureWidget(t *testing.T, f *File) (Dict, Dict) {
	t.Helper()
	fields, err := f.Fields(f.Last())
	if err != nil {
		t.Fatal(err)
	}
	for _, fl := range fields {
		if fl.Type != "Sig" || len(fl.Widget) == 0 {
			continue
		}
		wd, ok, err := f.dictAt(f.Last(), fl.Widget[0])
		if err != nil || !ok {
			t.Fatalf("widget: %v", err)
		}
		apd, _, _ := f.dictAt(f.Last(), wd.Get("AP"))
		n, ok, err := f.dictAt(f.Last(), apd.Get("N"))
		if err != nil || !ok {
			t.Fatalf("/AP /N: %v", err)
		}
		return wd, n
	}
	t.Fatal("no signature widget")
	return Dict{}, Dict{}
}

func numbers(t *testing.T, f *File, o Object) [4]float64 {
	t.Helper()
	r, ok := f.rectAt(f.Last(), o)
	if !ok {
		t.Fatalf("not a rectangle: %v", o)
	}
	return r
}

func matrixString(o Object) string {
	a, ok := o.(Array)
	if !ok {
		return ""
	}
	s := "["
	for i, e := range a {
		n, _ := NumberOf(e)
		if i > 0 {
			s += " "
		}
		s += fmt.Sprint(n)
	}
	return s + "]"
}

// gray is a rendered page: one byte per pixel, 0 black … 255 white.
type gray struct {
	w, h int
	pix  []byte
}

func (g *gray) at(x, y int) byte { return g.pix[y*g.w+x] }

// renderDPI is the resolution of the rendering checks (2 pixels per point).
const renderDPI = 144

// renderPage renders page 1 as poppler shows it (crop box, rotation) in gray.
func renderPage(t *testing.T, pdftoppm, path string) *gray {
	t.Helper()
	base := filepath.Join(t.TempDir(), "page")
	if out, err := exec.Command(pdftoppm, "-r", fmt.Sprint(renderDPI), "-gray", "-cropbox", "-singlefile", "-f", "1", "-l", "1", path, base).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	fh, err := os.Open(base + ".pgm")
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	r := bufio.NewReader(fh)
	var magic string
	var w, h, maxv int
	if _, err := fmt.Fscan(r, &magic, &w, &h, &maxv); err != nil || magic != "P5" || maxv != 255 {
		t.Fatalf("not an 8-bit PGM: %s %v", magic, err)
	}
	r.ReadByte() // the single white space after the header
	pix := make([]byte, w*h)
	if _, err := io.ReadFull(r, pix); err != nil {
		t.Fatal(err)
	}
	return &gray{w, h, pix}
}

// checkRenderedBox checks the rendering: the page has its shown size, the signature
// box's border is where the box is (sx, sy: its lower left corner as shown), and the
// text inside it reads upright: separate lines of ink, all starting at the left.
func checkRenderedBox(t *testing.T, g *gray, c pageCase, sx, sy float64) {
	t.Helper()
	const s = renderDPI / 72.0
	if math.Abs(float64(g.w)-c.shownW*s) > 2 || math.Abs(float64(g.h)-c.shownH*s) > 2 {
		t.Fatalf("rendered %dx%d px, want the shown %gx%g pt", g.w, g.h, c.shownW, c.shownH)
	}
	const w, h = 200.0, 60.0
	left, top := int(math.Round(sx*s)), int(math.Round((c.shownH-sy-h)*s))
	right, bottom := int(math.Round((sx+w)*s)), int(math.Round((c.shownH-sy)*s))
	ink := func(x, y int) bool { return g.at(x, y) < 128 }
	// The border: dark along the middle of each edge (a thin line: partly covered pixels
	// count).
	line := func(x, y int) bool { return g.at(x, y) < 200 }
	for _, p := range [][2]int{{(left + right) / 2, top}, {(left + right) / 2, bottom - 1}, {left, (top + bottom) / 2}, {right - 1, (top + bottom) / 2}} {
		found := false
		for d := -1; d <= 1 && !found; d++ {
			found = line(p[0]+d, p[1]) || line(p[0], p[1]+d)
		}
		if !found {
			t.Fatalf("no border at %v (box %d,%d–%d,%d px)", p, left, top, right, bottom)
		}
	}
	// Inside: rows with ink form separate lines, each starting near the left edge.
	in := 4 // past the border
	var bands [][2]int
	start := -1
	for y := top + in; y < bottom-in; y++ {
		row := false
		for x := left + in; x < right-in && !row; x++ {
			row = ink(x, y)
		}
		switch {
		case row && start < 0:
			start = y
		case !row && start >= 0:
			bands = append(bands, [2]int{start, y})
			start = -1
		}
	}
	if start >= 0 {
		bands = append(bands, [2]int{start, bottom - in})
	}
	if len(bands) < 3 {
		t.Fatalf("%d lines of text in the box (%v), want 3: the drawing is not upright", len(bands), bands)
	}
	for _, b := range bands {
		first := -1
		for x := left + in; x < right-in && first < 0; x++ {
			for y := b[0]; y < b[1]; y++ {
				if ink(x, y) {
					first = x
					break
				}
			}
		}
		if first-left > int(12*s) {
			t.Fatalf("a line starts %d px from the box's left edge: the drawing is not upright", first-left)
		}
	}
}
