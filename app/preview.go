package app

import (
	"context"
	"image"
	"image/color"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/widget"

	"github.com/mynasign/mynasign/internal/render"
)

// previewSize is the area a page preview fits into (Fyne units); pages are rendered at
// twice that many pixels, for sharp text on high-density screens.
var previewSize = fyne.NewSize(300, 380)

// renderScale is how many pixels a preview has per Fyne unit.
const renderScale = 2

// renderCacheDir is where the renderer keeps its compiled code: dir when set, else the
// user's cache folder ("" when there is none: no cache).
func renderCacheDir(dir string) string {
	if dir != "" {
		return dir
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(base, "mynasign", "pdfium")
}

// renderer is the page renderer: PDFium starts on the first preview, not with the app.
func (u *UI) renderer() render.Renderer { return &u.pdfium }

// renderFile reads path (it is only read) and renders one page of it into size.
func (u *UI) renderFile(ctx context.Context, path string, page int, size fyne.Size) (*render.Page, error) {
	data, err := readForPreview(path)
	if err != nil {
		return nil, err
	}
	return u.renderer().Render(ctx, data, page, pixels(size))
}

// pixels is size in pixels.
func pixels(size fyne.Size) image.Point {
	return image.Pt(int(size.Width*renderScale), int(size.Height*renderScale))
}

// readForPreview reads a file for the renderer, refusing one larger than it takes.
func readForPreview(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.Size() > render.MaxInput {
		return nil, render.ErrTooLarge
	}
	return os.ReadFile(path)
}

// pageView shows a rendered page fitted into previewSize, with an optional box drawn
// over it (the visible signature's place) and a tap handler that receives the tapped
// point in the page's points as shown (x to the right, y up from the lower left).
type pageView struct {
	widget.BaseWidget
	img   *canvas.Image
	frame *canvas.Rectangle
	box   *canvas.Rectangle
	page  *render.Page
	// boxAt is the box in the page's points as shown (x, y from the lower left, w, h);
	// nil hides it.
	boxAt *[4]float64
	onTap func(x, y float64)
	// onSelect, when set, runs on a tap anywhere instead (a thumbnail).
	onSelect func()
	// size is the view's minimum size.
	size fyne.Size
}

// newPageView is a view of size (Fyne units) that shows no page yet.
func newPageView(size fyne.Size) *pageView {
	v := &pageView{
		size:  size,
		img:   canvas.NewImageFromImage(nil),
		frame: canvas.NewRectangle(color.Transparent),
		box:   canvas.NewRectangle(color.NRGBA{R: 0x20, G: 0x60, B: 0xd0, A: 0x40}),
	}
	v.img.FillMode = canvas.ImageFillContain
	v.frame.StrokeColor = color.NRGBA{A: 0x60}
	v.frame.StrokeWidth = 1
	v.box.StrokeColor = color.NRGBA{R: 0x20, G: 0x60, B: 0xd0, A: 0xff}
	v.box.StrokeWidth = 2
	v.box.Hide()
	v.img.Hide() // until there is a page: an image without pixels is not drawn
	v.ExtendBaseWidget(v)
	return v
}

// setPage shows pg (nil clears the view).
func (v *pageView) setPage(pg *render.Page) {
	v.page = pg
	if pg == nil {
		v.img.Image = nil
		v.img.Hide()
	} else {
		v.img.Image = pg.Image
		v.img.Show()
	}
	v.img.Refresh()
	v.Refresh()
}

// setBox draws the box at b (page points as shown), or hides it when b is nil.
func (v *pageView) setBox(b *[4]float64) {
	v.boxAt = b
	v.Refresh()
}

// shown is the page's rectangle inside the widget: fitted, centred.
func (v *pageView) shown(size fyne.Size) (fyne.Position, fyne.Size) {
	if size.Width <= 0 || size.Height <= 0 {
		return fyne.NewPos(0, 0), fyne.NewSize(0, 0) // not laid out yet
	}
	if v.page == nil || v.page.Width <= 0 || v.page.Height <= 0 {
		return fyne.NewPos(0, 0), size
	}
	scale := min(size.Width/float32(v.page.Width), size.Height/float32(v.page.Height))
	s := fyne.NewSize(float32(v.page.Width)*scale, float32(v.page.Height)*scale)
	return fyne.NewPos((size.Width-s.Width)/2, (size.Height-s.Height)/2), s
}

// Tapped selects the view (onSelect) or places the box where the page was tapped.
func (v *pageView) Tapped(e *fyne.PointEvent) {
	if v.onSelect != nil {
		v.onSelect()
		return
	}
	v.pointAt(e.Position)
}

// Dragged moves the box with the pointer.
func (v *pageView) Dragged(e *fyne.DragEvent) { v.pointAt(e.Position) }

// DragEnd leaves the box where the drag ended.
func (v *pageView) DragEnd() {}

// pointAt hands a point of the widget, when it is on the page, to onTap in page points.
func (v *pageView) pointAt(p fyne.Position) {
	if v.onTap == nil || v.page == nil {
		return
	}
	pos, s := v.shown(v.Size())
	fx := (p.X - pos.X) / s.Width
	fy := (p.Y - pos.Y) / s.Height
	if fx < 0 || fy < 0 || fx > 1 || fy > 1 {
		return
	}
	v.onTap(float64(fx)*v.page.Width, (1-float64(fy))*v.page.Height)
}

// MinSize is the view's size.
func (v *pageView) MinSize() fyne.Size { return v.size }

func (v *pageView) CreateRenderer() fyne.WidgetRenderer {
	return &pageViewRenderer{v: v}
}

type pageViewRenderer struct{ v *pageView }

func (r *pageViewRenderer) Layout(size fyne.Size) {
	v := r.v
	pos, s := v.shown(size)
	v.img.Move(pos)
	v.img.Resize(s)
	v.frame.Move(pos)
	v.frame.Resize(s)
	if v.boxAt == nil || v.page == nil {
		v.box.Hide()
		return
	}
	b := *v.boxAt
	kx, ky := s.Width/float32(v.page.Width), s.Height/float32(v.page.Height)
	v.box.Move(fyne.NewPos(pos.X+float32(b[0])*kx, pos.Y+float32(v.page.Height-b[1]-b[3])*ky))
	v.box.Resize(fyne.NewSize(float32(b[2])*kx, float32(b[3])*ky))
	v.box.Show()
}

func (r *pageViewRenderer) MinSize() fyne.Size { return r.v.size }

func (r *pageViewRenderer) Refresh() {
	r.Layout(r.v.Size())
	canvas.Refresh(r.v)
}

func (r *pageViewRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.v.img, r.v.frame, r.v.box}
}

func (r *pageViewRenderer) Destroy() {}
