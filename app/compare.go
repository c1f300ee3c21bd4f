package app

import (
	"bytes"
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mynasign/mynasign/internal/render"
	"github.com/mynasign/mynasign/pdf"
)

// compareView is 検証の詳細's "what was signed": one page of the signed revision (the
// file's bytes up to the end of the signature's /ByteRange) beside the same page of the
// file as it is, both rendered by PDFium, the areas that differ framed in red. Nothing
// is rendered until the user asks (PDFium starts then).
type compareView struct {
	u     *UI
	path  string
	field string // the signature's field name (trust.SignatureReport.ID)

	page, pages int
	signed, now *pageView
	msg         *textBlock
	prev, next  *pushButton
	box         *fyne.Container
	gen         int
}

// compareSection is the button that opens the comparison for one signature of the PDF
// at path; relayout lays the screen out again when the comparison opens.
func (u *UI) compareSection(path, field string, relayout func()) fyne.CanvasObject {
	c := &compareView{u: u, path: path, field: field, page: 1,
		signed: newPageView(previewSize), now: newPageView(previewSize), msg: wrapLabel("")}
	c.prev = newButton(u.t("gui.compare.prev"), theme.NavigateBackIcon(), func() { c.show(c.page - 1) })
	c.next = newButton(u.t("gui.compare.next"), theme.NavigateNextIcon(), func() { c.show(c.page + 1) })
	c.prev.Disable()
	c.next.Disable()
	c.box = container.NewVBox(
		boldLabel(u.t("gui.compare.title")),
		container.NewGridWithColumns(2,
			container.NewBorder(widget.NewLabel(u.t("gui.compare.signed")), nil, nil, nil, c.signed),
			container.NewBorder(widget.NewLabel(u.t("gui.compare.now")), nil, nil, nil, c.now)),
		c.msg,
		container.NewHBox(c.prev, c.next))
	c.box.Hide()
	var open *pushButton
	section := container.NewVBox()
	open = newButton(u.t("gui.compare.show"), theme.VisibilityIcon(), func() {
		open.Hide()
		c.box.Show()
		section.Refresh()
		relayout() // the screen grows by the comparison's size
		c.show(1)
	})
	section.Objects = []fyne.CanvasObject{open, c.box}
	return section
}

// show renders page n of both and frames what differs.
func (c *compareView) show(n int) {
	if n < 1 || (c.pages > 0 && n > c.pages) {
		return
	}
	c.gen++
	gen, u := c.gen, c.u
	c.prev.Disable()
	c.next.Disable()
	c.msg.SetText(u.t("gui.preview.rendering"))
	u.goWork(func() {
		cmp, key, err := c.compare(n)
		doUI(func() {
			if gen != c.gen {
				return
			}
			c.page = n
			switch {
			case key != "":
				c.msg.SetText(u.t(key))
			case err != nil:
				c.msg.SetText(u.t("gui.compare.failed"))
			default:
				c.shown(cmp)
			}
		})
	})
}

// compare reads the file and renders page n as signed and as it is. key is set when the
// signature's revision cannot be found.
func (c *compareView) compare(n int) (*render.Comparison, string, error) {
	data, err := readForPreview(c.path)
	if err != nil {
		return nil, "", err
	}
	revs, err := pdf.SignedRevisions(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, "", err
	}
	for _, r := range revs {
		if r.Field == c.field {
			ctx, cancel := context.WithTimeout(context.Background(), 2*previewTimeout)
			defer cancel()
			cmp, err := render.Compare(ctx, c.u.renderer(), data, r.Length, n, pixels(previewSize))
			return cmp, "", err
		}
	}
	return nil, "gui.compare.not_found", nil
}

// shown puts a comparison on screen.
func (c *compareView) shown(cmp *render.Comparison) {
	u := c.u
	c.pages = cmp.Now.Pages
	framed := *cmp.Now
	framed.Image = render.Outline(cmp.Now.Image, cmp.Regions)
	c.now.setPage(&framed)
	c.signed.setPage(cmp.Signed)
	switch {
	case cmp.Signed == nil:
		c.msg.SetText(u.t("gui.compare.added") + " " + u.t("gui.preview.page_of", c.page, c.pages))
	case len(cmp.Regions) == 0:
		c.msg.SetText(u.t("gui.compare.none") + " " + u.t("gui.preview.page_of", c.page, c.pages))
	default:
		c.msg.SetText(u.tn("gui.compare.changed", len(cmp.Regions), len(cmp.Regions)) + " " + u.t("gui.preview.page_of", c.page, c.pages))
	}
	if c.page > 1 {
		c.prev.Enable()
	}
	if c.page < c.pages {
		c.next.Enable()
	}
}
