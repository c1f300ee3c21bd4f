package app

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"github.com/mynasign/mynasign/app/flow"
	"github.com/mynasign/mynasign/internal/render"
	"github.com/mynasign/mynasign/pdf"
)

// previewTimeout bounds the rendering of one preview.
const previewTimeout = 15 * time.Second

// posChosen is the index of "where I tapped on the page" in the position choice, after
// the corners.
var posChosen = len(visiblePositions)

// signPreview is the profile step's page preview: the chosen page of the first PDF with
// the visible signature's box where it will go. A tap on the page puts the box there.
type signPreview struct {
	w    *signWizard
	view *pageView
	msg  *textBlock
	// shownPage is the page number the view shows (0: none yet); box its page box.
	shownPage int
	box       pdf.PageBox
	// gen counts the renders asked for: a late result of an older one is dropped.
	gen int
}

// newSignPreview builds the preview and renders the page the entry names.
func (w *signWizard) newSignPreview() *signPreview {
	p := &signPreview{w: w, view: newPageView(), msg: wrapLabel("")}
	p.view.onTap = p.tapped
	return p
}

// view is the preview with its line of text under it.
func (p *signPreview) content() fyne.CanvasObject {
	return container.NewVBox(p.view, p.msg)
}

// page is the page number typed, or 0.
func (p *signPreview) page() int {
	n, err := strconv.Atoi(strings.TrimSpace(p.w.pageEntry.Text))
	if err != nil || n < 1 {
		return 0
	}
	return n
}

// refresh renders the typed page when it is not the one shown, then draws the box.
func (p *signPreview) refresh() {
	page := p.page()
	if page == 0 || page == p.shownPage {
		p.drawBox()
		return
	}
	p.gen++
	gen, path, u := p.gen, p.w.files[0].path, p.w.u
	p.msg.SetText(u.t("gui.preview.rendering"))
	u.goWork(func() {
		ctx, cancel := context.WithTimeout(context.Background(), previewTimeout)
		defer cancel()
		pg, err := u.renderFile(ctx, path, page)
		var box pdf.PageBox
		if err == nil {
			var boxes []pdf.PageBox
			boxes, err = pdf.PageBoxes(path)
			if err == nil && page <= len(boxes) {
				box = boxes[page-1]
			}
		}
		doUI(func() {
			if gen != p.gen || p.w.ended {
				return
			}
			var pe *render.PageError
			switch {
			case errors.As(err, &pe):
				p.shownPage = 0
				p.view.setPage(nil)
				p.msg.SetText(u.tn("gui.preview.no_such_page", pe.Pages, pe.Pages, pe.Page))
			case err != nil:
				p.shownPage = 0
				p.view.setPage(nil)
				p.msg.SetText(u.t("gui.preview.failed"))
			default:
				p.shownPage, p.box = page, box
				if p.w.placed != nil {
					p.w.placedBox = box // the same place on the page now shown
				}
				p.view.setPage(pg)
				p.msg.SetText(u.t("gui.preview.page_of", page, pg.Pages))
			}
			p.drawBox()
		})
	})
}

// drawBox draws the signature's box as chosen, or none when the signature is not
// visible.
func (p *signPreview) drawBox() {
	w := p.w
	if !w.visibleChk.Checked || p.view.page == nil {
		p.view.setBox(nil)
		return
	}
	p.view.setBox(p.boxShown())
}

// boxShown is the box in the shown page's points (x, y from the lower left, w, h): in
// the chosen corner, or where the page was tapped.
func (p *signPreview) boxShown() *[4]float64 {
	w := p.w
	pg := p.view.page
	idx := w.posSelect.SelectedIndex()
	if idx == posChosen && w.placed != nil {
		b := *w.placed
		return &b
	}
	if idx < 0 || idx >= len(visiblePositions) {
		return nil
	}
	m := float64(pdf.DefaultMargin)
	x, y := m, m
	switch visiblePositions[idx] {
	case pdf.BottomRight:
		x = pg.Width - m - visibleW
	case pdf.TopLeft:
		y = pg.Height - m - visibleH
	case pdf.TopRight:
		x, y = pg.Width-m-visibleW, pg.Height-m-visibleH
	}
	return &[4]float64{x, y, visibleW, visibleH}
}

// tapped puts the box's centre where the page was tapped (kept on the page) and
// selects "the place chosen on the page".
func (p *signPreview) tapped(x, y float64) {
	w := p.w
	if !w.visibleChk.Checked {
		return
	}
	pg := p.view.page
	bx := min(max(x-visibleW/2, 0), pg.Width-visibleW)
	by := min(max(y-visibleH/2, 0), pg.Height-visibleH)
	w.placed = &[4]float64{bx, by, visibleW, visibleH}
	w.placedBox = p.box
	w.posSelect.SetSelectedIndex(posChosen)
	p.drawBox()
}

// visibleChoice is the visible signature chosen on the step: a corner, or the tapped
// place as a rectangle in the page's user space.
func (w *signWizard) visibleChoice(page int) *flow.Visible {
	idx := w.posSelect.SelectedIndex()
	if idx == posChosen && w.placed != nil {
		b, pb := *w.placed, w.placedBox
		x0, y0 := pb.ShownToUser(b[0], b[1])
		x1, y1 := pb.ShownToUser(b[0]+b[2], b[1]+b[3])
		return &flow.Visible{Page: page, Rect: flow.Rect{X: min(x0, x1), Y: min(y0, y1), W: max(x0, x1) - min(x0, x1), H: max(y0, y1) - min(y0, y1)}}
	}
	if idx < 0 || idx >= len(visiblePositions) {
		idx = 0
	}
	return &flow.Visible{Page: page, Corner: visiblePositions[idx], Rect: flow.Rect{W: visibleW, H: visibleH}}
}
