package app

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"github.com/mynasign/mynasign/app/flow"
	"github.com/mynasign/mynasign/internal/render"
	"github.com/mynasign/mynasign/pdf"
)

// previewTimeout bounds the rendering of one preview.
const previewTimeout = 15 * time.Second

// maxThumbs is how many page thumbnails the sign step shows (the first pages); further
// pages are chosen by number.
const maxThumbs = 12

// thumbSize is the size of a page thumbnail.
var thumbSize = fyne.NewSize(60, 80)

// posChosen is the index of "where I tapped on the page" in the position choice, after
// the corners.
var posChosen = len(visiblePositions)

// signPreview is the profile step's page preview: the chosen page of the first PDF with
// the visible signature's box where it will go. A tap on the page puts the box there.
type signPreview struct {
	w    *signWizard
	view *pageView
	msg  *textBlock
	// thumbs are the first pages, small: a tap chooses that page.
	thumbs     *fyne.Container
	thumbsDone bool
	// shownPage is the page number the view shows (0: none yet); box its page box.
	shownPage int
	box       pdf.PageBox
	// gen counts the renders asked for: a late result of an older one is dropped.
	gen int
}

// newSignPreview builds the preview and renders the page the entry names.
func (w *signWizard) newSignPreview() *signPreview {
	p := &signPreview{w: w, view: newPageView(previewSize), msg: wrapLabel(""), thumbs: container.NewHBox()}
	p.view.onTap = p.tapped
	return p
}

// content is the preview with its line of text and the thumbnails under it.
func (p *signPreview) content() fyne.CanvasObject {
	strip := container.NewHScroll(p.thumbs)
	strip.SetMinSize(fyne.NewSize(previewSize.Width, thumbSize.Height+theme.Padding()*2))
	return container.NewVBox(p.view, p.msg, strip)
}

// showThumbs renders the first pages (once) as thumbnails; a tap on one chooses it.
func (p *signPreview) showThumbs(pages int) {
	if p.thumbsDone {
		return
	}
	p.thumbsDone = true
	n := min(pages, maxThumbs)
	views := make([]*pageView, n)
	for i := range views {
		page := i + 1
		views[i] = newPageView(thumbSize)
		views[i].onSelect = func() { p.w.pageEntry.SetText(strconv.Itoa(page)) }
		p.thumbs.Add(views[i])
	}
	path, u := p.w.files[0].path, p.w.u
	u.goWork(func() {
		data, err := readForPreview(path)
		if err != nil {
			return
		}
		for i, v := range views {
			if p.w.ended {
				return
			}
			ctx, cancel := context.WithTimeout(context.Background(), previewTimeout)
			pg, err := u.renderer().Render(ctx, data, i+1, pixels(thumbSize))
			cancel()
			if err != nil {
				return // the page preview says what went wrong
			}
			doUI(func() { v.setPage(pg) })
		}
	})
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
		pg, err := u.renderFile(ctx, path, page, previewSize)
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
				p.showThumbs(pg.Pages)
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

// keepChoices keeps the PDF choices of the profile step when the user goes back to the
// files without going on, so that they are there again (checked when going on).
func (w *signWizard) keepChoices() {
	if w.visibleChk == nil {
		return
	}
	w.opts.Reason = strings.TrimSpace(w.reasonEntry.Text)
	w.opts.Visible = nil
	if w.visibleChk.Checked {
		page, err := strconv.Atoi(strings.TrimSpace(w.pageEntry.Text))
		if err != nil || page < 1 {
			page = 1
		}
		w.opts.Visible = w.visibleChoice(page)
	}
}
