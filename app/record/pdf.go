package record

import (
	"fmt"

	"github.com/mynasign/mynasign/app/record/pdfdoc"
	"github.com/mynasign/mynasign/assets"
)

// Page geometry of a record (A4 portrait, points).
const (
	pageW    = pdfdoc.A4Width
	pageH    = pdfdoc.A4Height
	marginL  = 48.0
	marginR  = 48.0
	marginT  = 50.0
	marginB  = 58.0
	contentW = pageW - marginL - marginR

	bodySize  = 9.5
	smallSize = 8.5
	labelW    = 150.0 // label column of label/value rows
	cellPad   = 4.0
)

var (
	black   = pdfdoc.Black
	gray    = pdfdoc.Color{R: 0.38, G: 0.38, B: 0.38}
	rule    = pdfdoc.Color{R: 0.8, G: 0.8, B: 0.8}
	band    = pdfdoc.Color{R: 0.92, G: 0.93, B: 0.95}
	heading = pdfdoc.Color{R: 0.15, G: 0.25, B: 0.42}
)

func toneColors(t tone) (text, bg pdfdoc.Color) {
	switch t {
	case tonePass:
		return pdfdoc.Color{R: 0.05, G: 0.42, B: 0.18}, pdfdoc.Color{R: 0.9, G: 0.96, B: 0.91}
	case toneFail:
		return pdfdoc.Color{R: 0.72, G: 0.08, B: 0.08}, pdfdoc.Color{R: 0.99, G: 0.91, B: 0.91}
	case toneIndeterminate:
		return pdfdoc.Color{R: 0.58, G: 0.36, B: 0}, pdfdoc.Color{R: 1, G: 0.95, B: 0.84}
	}
	return black, pdfdoc.Color{R: 0.95, G: 0.95, B: 0.95}
}

// pdfLayout places a model's blocks on A4 pages, top to bottom.
type pdfLayout struct {
	doc       *pdfdoc.Document
	reg, bold *pdfdoc.Font
	pages     []*pdfdoc.Page
	page      *pdfdoc.Page
	y         float64 // top of the free space on the current page
	m         *model
}

func layoutPDF(m *model, opts *Options) (*pdfdoc.Document, error) {
	doc := pdfdoc.New(pdfdoc.Info{
		Title:    m.Title,
		Producer: "mynasign " + opts.Version,
		Created:  opts.Created,
		Lang:     m.Lang,
	})
	reg, err := doc.AddFont(assets.FontRegular)
	if err != nil {
		return nil, err
	}
	bold, err := doc.AddFont(assets.FontBold)
	if err != nil {
		return nil, err
	}
	l := &pdfLayout{doc: doc, reg: reg, bold: bold, m: m}
	l.newPage()
	l.title(m.Title)
	for i := range m.Blocks {
		l.block(&m.Blocks[i])
	}
	l.footers()
	return doc, nil
}

func lead(size float64) float64 { return size * 1.55 }

func (l *pdfLayout) newPage() {
	l.page = l.doc.NewPage(pageW, pageH)
	l.pages = append(l.pages, l.page)
	l.y = pageH - marginT
	if len(l.pages) > 1 {
		l.page.Text(l.reg, smallSize, gray, marginL, l.y-smallSize, l.m.Title)
		l.y -= lead(smallSize) + 2
		l.page.Line(marginL, l.y, pageW-marginR, l.y, 0.4, rule)
		l.y -= 8
	}
}

// need starts a new page unless h points fit above the bottom margin.
func (l *pdfLayout) need(h float64) {
	if l.y-h < marginB && l.y < pageH-marginT-40 {
		l.newPage()
	}
}

func (l *pdfLayout) measure(f *pdfdoc.Font, size float64) measurer {
	return func(r rune) float64 { return f.RuneWidth(r, size) }
}

// lines draws already wrapped lines from the current y, advancing it.
func (l *pdfLayout) lines(f *pdfdoc.Font, size float64, c pdfdoc.Color, x float64, lines []string) {
	for _, s := range lines {
		ld := lead(size)
		base := l.y - (ld-size)/2 - f.Ascent(size)
		l.page.Text(f, size, c, x, base, s)
		l.y -= ld
	}
}

// linesAt draws lines starting at top y0 without moving the cursor.
func (l *pdfLayout) linesAt(f *pdfdoc.Font, size float64, c pdfdoc.Color, x, y0 float64, lines []string) {
	ld := lead(size)
	for i, s := range lines {
		base := y0 - float64(i)*ld - (ld-size)/2 - f.Ascent(size)
		l.page.Text(f, size, c, x, base, s)
	}
}

func (l *pdfLayout) title(t string) {
	size := 17.0
	l.lines(l.bold, size, black, marginL, wrap(t, contentW, l.measure(l.bold, size)))
	l.y -= 3
	l.page.Line(marginL, l.y, pageW-marginR, l.y, 1.2, heading)
	l.y -= 10
}

func (l *pdfLayout) block(b *block) {
	switch b.Kind {
	case blockHeading:
		l.heading(b.Level, b.Text)
	case blockPara:
		ls := wrap(b.Text, contentW, l.measure(l.reg, bodySize))
		l.need(float64(min(len(ls), 3)) * lead(bodySize))
		for _, s := range ls {
			l.need(lead(bodySize))
			l.lines(l.reg, bodySize, black, marginL, []string{s})
		}
		l.y -= 6
	case blockVerdict:
		l.verdict(b.Verdict)
	case blockRows:
		l.rows(b.Rows)
	case blockTable:
		l.table(b.Table)
	case blockList:
		l.list(b.Items)
	}
}

func (l *pdfLayout) heading(level int, text string) {
	switch level {
	case 1:
		size := 12.5
		ls := wrap(text, contentW-12, l.measure(l.bold, size))
		h := float64(len(ls))*lead(size) + 6
		l.y -= 6
		l.need(h + 90) // keep the heading with what follows
		l.page.Rect(marginL, l.y-h, contentW, h, band)
		l.page.Rect(marginL, l.y-h, 3, h, heading)
		l.y -= 3
		l.lines(l.bold, size, heading, marginL+9, ls)
		l.y -= 3 + 6
	case 2:
		size := 11.0
		ls := wrap(text, contentW, l.measure(l.bold, size))
		l.y -= 4
		l.need(float64(len(ls))*lead(size) + 80)
		l.lines(l.bold, size, heading, marginL, ls)
		l.page.Line(marginL, l.y, pageW-marginR, l.y, 0.8, heading)
		l.y -= 6
	default:
		size := bodySize
		ls := wrap(text, contentW, l.measure(l.bold, size))
		l.y -= 3
		l.need(float64(len(ls))*lead(size) + 40)
		l.lines(l.bold, size, heading, marginL, ls)
		l.y -= 1
	}
}

func (l *pdfLayout) verdict(v *verdict) {
	fg, bg := toneColors(v.Tone)
	inner := contentW - 22
	headSize := 14.0
	head := wrap(v.Headline, inner, l.measure(l.bold, headSize))
	sentence := wrap(v.Sentence, inner, l.measure(l.reg, bodySize))
	var reason, etsi []string
	if v.Reason != "" {
		reason = wrap(v.Reason, inner, l.measure(l.reg, bodySize))
	}
	if v.ETSI != "" {
		etsi = wrap(v.ETSI, inner, l.measure(l.reg, smallSize))
	}
	h := 8 + float64(len(head))*lead(headSize) + float64(len(sentence)+len(reason))*lead(bodySize) +
		float64(len(etsi))*lead(smallSize) + 8
	l.need(h)
	top := l.y
	l.page.Rect(marginL, top-h, contentW, h, bg)
	l.page.Rect(marginL, top-h, 4, h, fg)
	l.y -= 8
	x := marginL + 14
	l.lines(l.bold, headSize, fg, x, head)
	l.lines(l.reg, bodySize, black, x, sentence)
	l.lines(l.reg, bodySize, fg, x, reason)
	l.lines(l.reg, smallSize, gray, x, etsi)
	l.y = top - h - 8
}

func (l *pdfLayout) rows(rows []row) {
	valueX := marginL + labelW
	valueW := contentW - labelW - cellPad
	for _, r := range rows {
		label := wrap(r.Label, labelW-2*cellPad, l.measure(l.reg, smallSize))
		size := bodySize
		if r.Mono {
			size = 9
		}
		value := wrap(r.Value, valueW, l.measure(l.reg, size))
		h := max(float64(len(label))*lead(smallSize)+(lead(size)-lead(smallSize))/2, float64(len(value))*lead(size)) + cellPad
		l.need(h)
		top := l.y
		fg := black
		if r.Tone != toneNeutral {
			fg, _ = toneColors(r.Tone)
		}
		l.linesAt(l.reg, smallSize, gray, marginL+cellPad, top-cellPad/2-(lead(size)-lead(smallSize))/2, label)
		l.linesAt(l.reg, size, fg, valueX, top-cellPad/2, value)
		l.y = top - h
		l.page.Line(marginL, l.y, pageW-marginR, l.y, 0.3, rule)
	}
	l.y -= 8
}

func (l *pdfLayout) table(t *table) {
	size := smallSize
	cols := make([]float64, len(t.Head))
	for i := range cols {
		cols[i] = contentW * t.Widths[i]
	}
	cellLines := func(cells []string, f *pdfdoc.Font) ([][]string, float64) {
		out := make([][]string, len(cells))
		n := 1
		for i, c := range cells {
			out[i] = wrap(c, cols[i]-2*cellPad, l.measure(f, size))
			n = max(n, len(out[i]))
		}
		return out, float64(n)*lead(size) + cellPad
	}
	drawRow := func(cells [][]string, h float64, f *pdfdoc.Font, bg *pdfdoc.Color, colors []pdfdoc.Color) {
		top := l.y
		if bg != nil {
			l.page.Rect(marginL, top-h, contentW, h, *bg)
		}
		x := marginL
		for i, c := range cells {
			l.linesAt(f, size, colors[i], x+cellPad, top-cellPad/2, c)
			x += cols[i]
		}
		l.y = top - h
		l.page.Line(marginL, l.y, pageW-marginR, l.y, 0.3, rule)
	}
	headCells, headH := cellLines(t.Head, l.bold)
	headColors := make([]pdfdoc.Color, len(t.Head))
	for i := range headColors {
		headColors[i] = heading
	}
	header := func() { drawRow(headCells, headH, l.bold, &band, headColors) }
	l.need(headH + lead(size)*2)
	header()
	for i, r := range t.Rows {
		cells, h := cellLines(r, l.reg)
		if l.y-h < marginB {
			l.newPage()
			header()
		}
		colors := make([]pdfdoc.Color, len(r))
		for j := range colors {
			colors[j] = black
		}
		if i < len(t.Tones) && t.ToneCol >= 0 && t.ToneCol < len(r) {
			colors[t.ToneCol], _ = toneColors(t.Tones[i])
		}
		drawRow(cells, h, l.reg, nil, colors)
	}
	l.y -= 10
}

func (l *pdfLayout) list(items []string) {
	indent := l.reg.RuneWidth('・', bodySize)
	for _, it := range items {
		ls := wrap(it, contentW-indent, l.measure(l.reg, bodySize))
		for i, s := range ls {
			l.need(lead(bodySize))
			if i == 0 {
				l.linesAt(l.reg, bodySize, black, marginL, l.y, []string{"・"})
			}
			l.lines(l.reg, bodySize, black, marginL+indent, []string{s})
		}
	}
	l.y -= 6
}

// footers writes the app and version and "page n / N" at the bottom of every page.
func (l *pdfLayout) footers() {
	n := len(l.pages)
	for i, p := range l.pages {
		y := marginB - 22
		p.Line(marginL, y+smallSize+4, pageW-marginR, y+smallSize+4, 0.4, rule)
		p.Text(l.reg, smallSize-0.5, gray, marginL, y, l.m.Footer)
		num := fmt.Sprintf("%d / %d", i+1, n)
		p.Text(l.reg, smallSize-0.5, gray, pageW-marginR-l.reg.Width(num, smallSize-0.5), y, num)
	}
}
