package pdf

import (
	"fmt"
	"math"
)

// PageBox is a page as a viewer shows it: the visible area in default user space (the
// /CropBox clipped to the /MediaBox, or the /MediaBox when there is no usable crop box;
// both inherited through the page tree) and the /Rotate the viewer turns it by.
type PageBox struct {
	// LLX, LLY, URX, URY are the visible area's corners in user space (points).
	LLX, LLY, URX, URY float64
	// Rotate is 0, 90, 180 or 270: degrees clockwise, as /Rotate (normalized).
	Rotate int
}

// Width is the page's width as the viewer shows it (after the rotation), in points.
func (b PageBox) Width() float64 {
	if b.Rotate == 90 || b.Rotate == 270 {
		return b.URY - b.LLY
	}
	return b.URX - b.LLX
}

// Height is the page's height as the viewer shows it (after the rotation), in points.
func (b PageBox) Height() float64 {
	if b.Rotate == 90 || b.Rotate == 270 {
		return b.URX - b.LLX
	}
	return b.URY - b.LLY
}

// toUser maps a point of the page as shown (x to the right, y up, from the shown page's
// lower left corner) to default user space.
func (b PageBox) toUser(x, y float64) (float64, float64) {
	switch b.Rotate {
	case 90:
		return b.URX - y, b.LLY + x
	case 180:
		return b.URX - x, b.URY - y
	case 270:
		return b.LLX + y, b.URY - x
	}
	return b.LLX + x, b.LLY + y
}

// ShownToUser maps a point of the page as shown (x to the right, y up, in points from
// the shown page's lower left corner) to default user space, as an explicit rectangle of
// Appearance is given.
func (b PageBox) ShownToUser(x, y float64) (float64, float64) { return b.toUser(x, y) }

// letterBox is what viewers assume for a page without a usable /MediaBox.
var letterBox = [4]float64{0, 0, 612, 792}

// PageBoxes returns the shown box of every page of the PDF at path (its newest
// revision), in page order.
func PageBoxes(path string) ([]PageBox, error) {
	f, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	boxes, err := f.PageBoxes(f.Last())
	if err != nil {
		return nil, &ReadError{Err: err}
	}
	return boxes, nil
}

// PageBoxes returns the shown box of every page as of revision rev.
func (f *File) PageBoxes(rev int) ([]PageBox, error) {
	nodes, err := f.pageNodes(rev)
	if err != nil {
		return nil, err
	}
	out := make([]PageBox, len(nodes))
	for i, n := range nodes {
		out[i] = f.pageBox(rev, n)
	}
	return out, nil
}

// pageBox resolves one page's boxes and rotation; what is missing or malformed falls
// back as viewers do (no /MediaBox: US Letter; a crop box outside the media box or empty:
// the media box; a /Rotate that is not a multiple of 90: none).
func (f *File) pageBox(rev int, n pageNode) PageBox {
	media, ok := f.rectAt(rev, n.mediaBox)
	if !ok {
		media = letterBox
	}
	vis := media
	if crop, ok := f.rectAt(rev, n.cropBox); ok {
		c := [4]float64{max(crop[0], media[0]), max(crop[1], media[1]), min(crop[2], media[2]), min(crop[3], media[3])}
		if c[2] > c[0] && c[3] > c[1] {
			vis = c
		}
	}
	b := PageBox{LLX: vis[0], LLY: vis[1], URX: vis[2], URY: vis[3]}
	if o, err := f.deref(rev, n.rotate); err == nil {
		if r, ok := IntOf(o); ok && r%90 == 0 {
			b.Rotate = int(((r % 360) + 360) % 360)
		}
	}
	return b
}

// rectAt reads a rectangle (four numbers, possibly references) and normalizes it
// (lower left, upper right). ok is false for anything else or an empty rectangle.
func (f *File) rectAt(rev int, o Object) ([4]float64, bool) {
	r, ok := f.rectNumbers(rev, o)
	if !ok {
		return r, false
	}
	r = [4]float64{min(r[0], r[2]), min(r[1], r[3]), max(r[0], r[2]), max(r[1], r[3])}
	return r, r[2] > r[0] && r[3] > r[1]
}

// rectNumbers reads a rectangle's four numbers as written (each possibly a reference,
// the array too). ok is false for anything that is not an array of four finite numbers
// of a sane size (at most 10⁷ points from the origin).
func (f *File) rectNumbers(rev int, o Object) ([4]float64, bool) {
	var r [4]float64
	if o == nil {
		return r, false
	}
	v, err := f.deref(rev, o)
	if err != nil {
		return r, false
	}
	a, ok := v.(Array)
	if !ok || len(a) != 4 {
		return r, false
	}
	for i, e := range a {
		ev, err := f.deref(rev, e)
		if err != nil {
			return r, false
		}
		n, ok := NumberOf(ev)
		if !ok || math.IsNaN(n) || math.IsInf(n, 0) || math.Abs(n) > 1e7 {
			return r, false
		}
		r[i] = n
	}
	return r, true
}

// Corner is a corner of the page as the viewer shows it.
type Corner string

// The corners a visible signature can be placed in.
const (
	BottomRight Corner = "bottom-right"
	BottomLeft  Corner = "bottom-left"
	TopRight    Corner = "top-right"
	TopLeft     Corner = "top-left"
)

// DefaultMargin is the distance of a signature placed in a corner from the page's
// edges, in points (half an inch), when Appearance.Margin is 0.
const DefaultMargin = 36

// PlacementError: the signature box does not fit on the page (in a corner, with its
// margin), or Corner is not one of the four corners.
type PlacementError struct {
	Page          int
	Corner        Corner
	W, H          float64 // the box, as shown
	PageW, PageH  float64 // the page, as shown
	UnknownCorner bool
}

// Error says what does not fit where, in English (the app translates the type).
func (e *PlacementError) Error() string {
	if e.UnknownCorner {
		return fmt.Sprintf("unknown corner %q for a visible signature", e.Corner)
	}
	return fmt.Sprintf("a %.0f×%.0f pt signature box does not fit in a corner of page %d (%.0f×%.0f pt as shown)",
		e.W, e.H, e.Page, e.PageW, e.PageH)
}

// RectError: the signature box has a width or height that is not positive (Empty), or an
// explicit rectangle (no Corner) does not lie wholly inside the page's visible area (its
// /CropBox within its /MediaBox), so the signature would be clipped or not shown at all.
type RectError struct {
	Page       int
	X, Y, W, H float64 // the rectangle asked for (X and Y in user space; unused when Empty)
	Box        PageBox // the page's visible area, in user space
	Empty      bool
}

// Error says what is wrong with the rectangle, in English (the app translates the type).
func (e *RectError) Error() string {
	if e.Empty {
		return fmt.Sprintf("the signature rectangle needs a positive width and height (got %g×%g pt)", e.W, e.H)
	}
	return fmt.Sprintf("the signature rectangle x %g–%g, y %g–%g pt is not inside the visible area of page %d (x %g–%g, y %g–%g pt): it would be clipped or not shown",
		e.X, e.X+e.W, e.Y, e.Y+e.H, e.Page, e.Box.LLX, e.Box.URX, e.Box.LLY, e.Box.URY)
}

// rectSlack is how far (in points) an explicit rectangle may reach past the page's visible
// area and still count as inside it: rounding of the numbers, nothing a viewer would clip.
const rectSlack = 1e-3

// placed is a visible signature resolved against its page: the widget's rectangle in
// user space, the appearance's size as shown, and the page's rotation (the appearance is
// turned by it so that it reads upright).
type placed struct {
	rect   [4]float64 // llx, lly, urx, ury in user space
	w, h   float64    // as shown
	rotate int
}

// place resolves a against the shown box of its page. With a Corner, the W×H box (as
// shown) goes into that corner of the visible area, Margin from its edges. Without one,
// X, Y, W, H are a rectangle in user space, and W×H is its size as shown on an unrotated
// page (turned with the page otherwise).
func (a *Appearance) place(b PageBox) (placed, error) {
	if !(a.W > 0) || !(a.H > 0) || math.IsInf(a.W, 0) || math.IsInf(a.H, 0) {
		return placed{}, &RectError{Page: a.Page, W: a.W, H: a.H, Box: b, Empty: true}
	}
	if a.Corner == "" {
		// The whole rectangle must be on the page as the viewer shows it. The comparisons
		// are written so that NaN fails them.
		if !(a.X >= b.LLX-rectSlack && a.Y >= b.LLY-rectSlack && a.X+a.W <= b.URX+rectSlack && a.Y+a.H <= b.URY+rectSlack) {
			return placed{}, &RectError{Page: a.Page, X: a.X, Y: a.Y, W: a.W, H: a.H, Box: b}
		}
		p := placed{rect: [4]float64{a.X, a.Y, a.X + a.W, a.Y + a.H}, w: a.W, h: a.H, rotate: b.Rotate}
		if b.Rotate == 90 || b.Rotate == 270 {
			p.w, p.h = a.H, a.W
		}
		return p, nil
	}
	m := a.Margin
	if m <= 0 {
		m = DefaultMargin
	}
	pw, ph := b.Width(), b.Height()
	var x, y float64
	switch a.Corner {
	case BottomLeft:
		x, y = m, m
	case BottomRight:
		x, y = pw-m-a.W, m
	case TopLeft:
		x, y = m, ph-m-a.H
	case TopRight:
		x, y = pw-m-a.W, ph-m-a.H
	default:
		return placed{}, &PlacementError{Page: a.Page, Corner: a.Corner, UnknownCorner: true}
	}
	if a.W+2*m > pw || a.H+2*m > ph {
		return placed{}, &PlacementError{Page: a.Page, Corner: a.Corner, W: a.W, H: a.H, PageW: pw, PageH: ph}
	}
	x0, y0 := b.toUser(x, y)
	x1, y1 := b.toUser(x+a.W, y+a.H)
	return placed{
		rect: [4]float64{min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)},
		w:    a.W, h: a.H, rotate: b.Rotate,
	}, nil
}

// CheckAppearance checks a visible signature against the PDF at path before anything is
// signed: the page exists (*PageError otherwise), the box has a size and, as an explicit
// rectangle, lies inside the page's visible area (*RectError otherwise), and in a corner
// fits there (*PlacementError otherwise). A file that cannot be read is a *ReadError.
func CheckAppearance(path string, a *Appearance) error {
	if a == nil {
		return nil
	}
	boxes, err := PageBoxes(path)
	if err != nil {
		return err
	}
	if a.Page < 1 || a.Page > len(boxes) {
		return &PageError{Page: a.Page, Pages: len(boxes)}
	}
	_, err = a.place(boxes[a.Page-1])
	return err
}
