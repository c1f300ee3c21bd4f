package app

import (
	"sort"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mynasign/mynasign/app/flow"
	"github.com/mynasign/mynasign/trust"
)

// verdictCell is one cell of the verification results: an icon (in the status column)
// and the text, which wraps in the reason column and is cut with an ellipsis in the
// others. Hovering over a cell shows its whole text (tip) in a tooltip.
type verdictCell struct {
	widget.BaseWidget
	tips  *tipLayer
	icon  *widget.Icon
	label *widget.Label
	block *textBlock
	tip   string
}

func newVerdictCell(tips *tipLayer) *verdictCell {
	c := &verdictCell{tips: tips, icon: widget.NewIcon(nil), label: widget.NewLabel(""), block: wrapLabel("")}
	c.label.Truncation = fyne.TextTruncateEllipsis
	c.ExtendBaseWidget(c)
	return c
}

// set shows text in the cell, wrapped when wrap is set, with icon before it when not nil.
func (c *verdictCell) set(icon fyne.Resource, text string, wrap bool, imp widget.Importance, bold bool) {
	c.icon.SetResource(icon)
	c.icon.Hidden = icon == nil
	c.label.Hidden, c.block.Hidden = wrap, !wrap
	c.label.Importance, c.block.Importance = imp, imp
	c.label.TextStyle = fyne.TextStyle{Bold: bold}
	c.label.SetText(text)
	c.block.SetText(text)
	c.tip = text
	c.Refresh()
}

func (c *verdictCell) CreateRenderer() fyne.WidgetRenderer {
	return &verdictCellRenderer{c: c, objs: []fyne.CanvasObject{c.icon, c.label, c.block}}
}

// MouseIn shows the tooltip under the pointer.
func (c *verdictCell) MouseIn(ev *desktop.MouseEvent) { c.tips.show(c.tip, ev.AbsolutePosition) }

// MouseMoved is part of desktop.Hoverable: the tooltip stays where it appeared.
func (c *verdictCell) MouseMoved(*desktop.MouseEvent) {}

// MouseOut hides the tooltip.
func (c *verdictCell) MouseOut() { c.tips.hide() }

// verdictCellRenderer places the icon (when shown) and the text after it.
type verdictCellRenderer struct {
	c    *verdictCell
	objs []fyne.CanvasObject
}

func (r *verdictCellRenderer) text() fyne.CanvasObject {
	if r.c.block.Visible() {
		return r.c.block
	}
	return r.c.label
}

func (r *verdictCellRenderer) Layout(size fyne.Size) {
	x := float32(0)
	if icon := r.c.icon; icon.Visible() {
		s := icon.MinSize()
		icon.Resize(s)
		icon.Move(fyne.NewPos(theme.Padding(), (size.Height-s.Height)/2))
		x = s.Width + theme.Padding()
	}
	t := r.text()
	t.Move(fyne.NewPos(x, 0))
	t.Resize(fyne.NewSize(size.Width-x, size.Height))
}

func (r *verdictCellRenderer) MinSize() fyne.Size {
	s := r.c.label.MinSize()
	if r.c.icon.Visible() {
		i := r.c.icon.MinSize()
		s = fyne.NewSize(s.Width+i.Width+theme.Padding(), max(s.Height, i.Height))
	}
	return s
}

func (r *verdictCellRenderer) Refresh() {
	r.Layout(r.c.Size())
	for _, o := range r.objs {
		o.Refresh()
	}
}

func (r *verdictCellRenderer) Objects() []fyne.CanvasObject { return r.objs }

func (r *verdictCellRenderer) Destroy() {}

// reasonFit lays the results table out over the whole of its space, with the reason
// column widened to what the other columns leave (never narrower than its width in
// columnWidths), and the rows' heights fitted to it again when it changed. When the
// columns at their widths in columnWidths do not fit (a 1024-pixel window at 150 %),
// all but the result's are narrowed in proportion, down to minColumnShare of those
// widths, so that no column is out of sight: the cells cut their text with an
// ellipsis, the reason wraps; the result stays whole.
type reasonFit struct{ v *verifyScreen }

// minColumnShare is how far reasonFit narrows the table's columns at most.
const minColumnShare = 0.4

func (f reasonFit) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	v := f.v
	status := columnWidths[colStatus] * v.scale
	avail := size.Width - theme.ScrollBarSize() - theme.Padding()*colCount - status
	want := float32(0)
	for c, w := range columnWidths {
		if c != colStatus {
			want += w * v.scale
		}
	}
	share := float32(1)
	if want > avail {
		share = max(minColumnShare, avail/want)
	}
	others := float32(0)
	for c, w := range columnWidths {
		if c != colReason && c != colStatus {
			if share != v.columnShare {
				v.table.SetColumnWidth(c, w*v.scale*share)
			}
			others += w * v.scale * share
		}
	}
	v.columnShare = share
	w := max(columnWidths[colReason]*v.scale*share, avail-others)
	if w != v.reasonWidth {
		v.reasonWidth = w
		v.table.SetColumnWidth(colReason, w)
		clear(v.heights)
		v.fitRows(0)
	}
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (reasonFit) MinSize(objs []fyne.CanvasObject) fyne.Size { return objs[0].MinSize() }

// The orders of the results list.
const (
	orderVerified = iota // as the files were verified
	orderStatus          // by status: failed, indeterminate, unreadable, unsigned, passed
)

// statusRank is the place of a status in orderStatus: what needs looking at first.
var statusRank = map[flow.DocStatus]int{
	flow.DocFailed: 0, flow.DocIndeterminate: 1, flow.DocError: 2, flow.DocUnsigned: 3, flow.DocPassed: 4,
}

// sortRows puts the indexes of reports in order (orderVerified keeps them as they are;
// orderStatus is stable, so files of one status stay in the order they were verified).
func sortRows(rows []int, reports []*trust.DocumentReport, order int) {
	sort.Ints(rows)
	if order == orderStatus {
		sort.SliceStable(rows, func(i, j int) bool {
			return statusRank[flow.StatusOf(reports[rows[i]])] < statusRank[flow.StatusOf(reports[rows[j]])]
		})
	}
}
