package app

import (
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/go-text/typesetting/segmenter"
)

// textBlock is text that wraps: one paragraph, or several separated by "\n", broken into
// lines by the rules of Japanese and English text, with the theme's line spacing between
// the lines. Every wrapping text of the app is one (wrapLabel).
//
// It replaces widget.Label with TextWrapWord, which breaks a line at the last space that
// fits and, where there is none, anywhere: in Japanese, which has no spaces, that split
// Latin words and numbers ("zi" / "p"), put 。 or ） at the start of a line, and when a
// Latin word came early in a line it left the rest of that line empty. It also stacks
// the lines of a paragraph with no space between them (RichText adds the line spacing
// only between segments).
//
// Where a line may break (breakText):
//   - at the line break opportunities of Unicode (UAX #14, as go-text's segmenter finds
//     them, which Fyne itself uses for shaping): between any two Japanese characters, at
//     spaces, never inside a Latin word or a number, and with the kinsoku rules of its
//     strict form — no line starts with 、。）」ー・ or a small kana, none ends with （「;
//   - not after a hyphen inside a Latin word (e-Gov, PAdES-B-B stay whole);
//   - and, only when a single word is wider than the whole line (a path, a hash),
//     between two of its characters.
type textBlock struct {
	widget.BaseWidget

	Text       string
	TextStyle  fyne.TextStyle
	Alignment  fyne.TextAlign
	Importance widget.Importance
	// SizeName is the text size (theme.SizeNameText when empty).
	SizeName fyne.ThemeSizeName
}

// newTextBlock is a wrapping text.
func newTextBlock(text string) *textBlock {
	t := &textBlock{Text: text}
	t.ExtendBaseWidget(t)
	return t
}

// SetText changes the text.
func (t *textBlock) SetText(text string) {
	t.Text = text
	t.Refresh()
}

// MinSize is the size of the text at its current width: as tall as its lines, and
// narrow (it wraps to whatever width it is given).
func (t *textBlock) MinSize() fyne.Size {
	t.ExtendBaseWidget(t)
	return t.BaseWidget.MinSize()
}

func (t *textBlock) CreateRenderer() fyne.WidgetRenderer {
	t.ExtendBaseWidget(t)
	r := &textBlockRenderer{t: t}
	r.update(t.Size().Width)
	return r
}

// textBlockRenderer draws the lines as canvas texts.
type textBlockRenderer struct {
	t     *textBlock
	texts []*canvas.Text
	objs  []fyne.CanvasObject

	// What the lines were broken for.
	text  string
	style fyne.TextStyle
	size  float32
	width float32
	lines []string
}

// metrics are the sizes the text is drawn with: text size, padding around the text, the
// height of a line and the space between lines.
func (r *textBlockRenderer) metrics() (size, pad, lineH, gap float32) {
	th := r.t.Theme()
	name := r.t.SizeName
	if name == "" {
		name = theme.SizeNameText
	}
	size = th.Size(name)
	pad = th.Size(theme.SizeNameInnerPadding)
	lineH = fyne.MeasureText("国", size, r.t.TextStyle).Height
	gap = th.Size(theme.SizeNameLineSpacing)
	return
}

// update breaks the text for width (when anything it depends on changed) and makes one
// canvas text per line, with the colour of the importance.
func (r *textBlockRenderer) update(width float32) {
	size, pad, _, _ := r.metrics()
	t := r.t
	avail := width - 2*pad
	if width <= 0 {
		avail = 0 // not laid out yet: one line per paragraph, as Fyne's label does
	}
	if r.lines == nil || t.Text != r.text || t.TextStyle != r.style || size != r.size || avail != r.width {
		style := t.TextStyle
		r.text, r.style, r.size, r.width = t.Text, style, size, avail
		r.lines = breakText(t.Text, avail, func(s string) float32 {
			return fyne.MeasureText(s, size, style).Width
		})
	}
	col := t.Theme().Color(importanceColor(t.Importance), fyne.CurrentApp().Settings().ThemeVariant())
	for len(r.texts) < len(r.lines) {
		r.texts = append(r.texts, canvas.NewText("", col))
	}
	r.texts = r.texts[:len(r.lines)]
	r.objs = r.objs[:0]
	for i, line := range r.lines {
		c := r.texts[i]
		c.Text, c.Color, c.TextSize, c.TextStyle, c.Alignment = line, col, size, t.TextStyle, t.Alignment
		r.objs = append(r.objs, c)
	}
}

func (r *textBlockRenderer) Layout(s fyne.Size) {
	r.update(s.Width)
	_, pad, lineH, gap := r.metrics()
	y := pad
	for _, c := range r.texts {
		c.Move(fyne.NewPos(pad, y))
		c.Resize(fyne.NewSize(s.Width-2*pad, lineH))
		y += lineH + gap
	}
}

func (r *textBlockRenderer) MinSize() fyne.Size {
	r.update(r.t.Size().Width)
	_, pad, lineH, gap := r.metrics()
	n := float32(max(len(r.lines), 1))
	return fyne.NewSize(2*pad, 2*pad+n*lineH+(n-1)*gap)
}

func (r *textBlockRenderer) Refresh() {
	r.update(r.t.Size().Width)
	r.Layout(r.t.Size())
	for _, c := range r.texts {
		c.Refresh()
	}
}

func (r *textBlockRenderer) Objects() []fyne.CanvasObject { return r.objs }

func (r *textBlockRenderer) Destroy() {}

// importanceColor is the text colour of an importance, as widget.Label has it.
func importanceColor(i widget.Importance) fyne.ThemeColorName {
	switch i {
	case widget.LowImportance:
		return theme.ColorNameDisabled
	case widget.HighImportance:
		return theme.ColorNamePrimary
	case widget.DangerImportance:
		return theme.ColorNameError
	case widget.WarningImportance:
		return theme.ColorNameWarning
	case widget.SuccessImportance:
		return theme.ColorNameSuccess
	}
	return theme.ColorNameForeground
}

// breakText splits text into the lines it takes at width (see textBlock for where a line
// may break); "\n" always starts a new line. width <= 0 means no limit. measure is the
// width of a piece of text. Spaces at the end of a line are dropped.
func breakText(text string, width float32, measure func(string) float32) []string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		if width <= 0 || para == "" || measure(para) <= width {
			out = append(out, strings.TrimRight(para, " "))
			continue
		}
		out = append(out, breakParagraph(para, width, measure)...)
	}
	return out
}

// breakParagraph fills lines greedily with the pieces between break opportunities.
func breakParagraph(para string, width float32, measure func(string) float32) []string {
	var lines []string
	var line strings.Builder
	flush := func() {
		lines = append(lines, strings.TrimRight(line.String(), " "))
		line.Reset()
	}
	for _, piece := range breakPieces(para) {
		content := strings.TrimRight(piece, " ")
		cw := measure(content)
		// The line as it would be, measured whole: with a proportional face the widths
		// of pieces do not add up exactly.
		if line.Len() > 0 && measure(line.String()+content) > width {
			flush()
		}
		if line.Len() == 0 && cw > width {
			// A word wider than the line: break it between characters.
			parts := breakChars(piece, width, measure)
			for _, p := range parts[:len(parts)-1] {
				lines = append(lines, p)
			}
			piece = parts[len(parts)-1]
		}
		line.WriteString(piece)
	}
	if line.Len() > 0 {
		flush()
	}
	return lines
}

// breakPieces cuts a paragraph at its line break opportunities: each piece ends where a
// line may end, with the spaces that follow it.
func breakPieces(para string) []string {
	var seg segmenter.Segmenter
	seg.Init([]rune(para))
	it := seg.LineIterator()
	var pieces []string
	for it.Next() {
		p := string(it.Line().Text)
		if n := len(pieces); n > 0 && hyphenInWord(pieces[n-1], p) {
			pieces[n-1] += p
			continue
		}
		pieces = append(pieces, p)
	}
	return pieces
}

// hyphenInWord reports whether prev ends with a hyphen between two Latin letters or
// digits, next being the text after it: "e-" + "Gov".
func hyphenInWord(prev, next string) bool {
	if !strings.HasSuffix(prev, "-") || len(prev) < 2 || next == "" {
		return false
	}
	before, _ := utf8.DecodeLastRuneInString(prev[:len(prev)-1])
	after, _ := utf8.DecodeRuneInString(next)
	return isLatinAlnum(before) && isLatinAlnum(after)
}

// isLatinAlnum reports whether r is a letter or digit of the Latin script (ASCII and
// its full-width forms count: they form words and numbers as well).
func isLatinAlnum(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return true
	case r >= 'ａ' && r <= 'ｚ', r >= 'Ａ' && r <= 'Ｚ', r >= '０' && r <= '９':
		return true
	case r >= 0xC0 && r <= 0x24F && r != 0xD7 && r != 0xF7: // accented Latin letters
		return true
	}
	return false
}

// breakChars breaks a piece wider than width between its characters (grapheme
// clusters), each part as wide as fits and at least one character. A part ends, where it
// can, outside a Latin word or number and by the kinsoku rules; failing that, outside a
// word: "（SignedProperties）" breaks around "SignedProperties", not inside it, unless the
// word alone is wider than the line.
func breakChars(piece string, width float32, measure func(string) float32) []string {
	var seg segmenter.Segmenter
	seg.Init([]rune(piece))
	it := seg.GraphemeIterator()
	var parts []string
	var cur []string // the graphemes of the part being filled
	for it.Next() {
		g := string(it.Grapheme().Text)
		if len(cur) > 0 && measure(strings.TrimRight(strings.Join(cur, "")+g, " ")) > width {
			cut := len(cur)
			if inWord(cur[len(cur)-1], g) || !kinsokuOK(cur[len(cur)-1], g) {
				cut = bestCut(append(cur, g))
				if cut <= 0 || cut > len(cur) || measure(strings.TrimRight(strings.Join(cur[cut:], "")+g, " ")) > width {
					// No better place, or what would go down is itself wider than a
					// line: break here.
					cut = len(cur)
				}
			}
			parts = append(parts, strings.TrimRight(strings.Join(cur[:cut], ""), " "))
			cur = append([]string(nil), cur[cut:]...)
		}
		cur = append(cur, g)
	}
	return append(parts, strings.Join(cur, ""))
}

// bestCut is the last place in gs (an index i > 0: before gs[i]) where a line may end
// outside a word and by the kinsoku rules; else the last one outside a word; else 0.
func bestCut(gs []string) int {
	for i := len(gs) - 1; i > 0; i-- {
		if !inWord(gs[i-1], gs[i]) && kinsokuOK(gs[i-1], gs[i]) {
			return i
		}
	}
	for i := len(gs) - 1; i > 0; i-- {
		if !inWord(gs[i-1], gs[i]) {
			return i
		}
	}
	return 0
}

// inWord reports whether a break between graphemes a and b would split a Latin word or
// number.
func inWord(a, b string) bool {
	ra, _ := utf8.DecodeLastRuneInString(a)
	rb, _ := utf8.DecodeRuneInString(b)
	return isLatinAlnum(ra) && isLatinAlnum(rb)
}

// kinsokuOK reports whether a line may end with grapheme a and the next start with b:
// b is not a closing bracket, a Japanese punctuation or a small kana, a is not an
// opening bracket (the characters UAX #14 keeps from those places).
func kinsokuOK(a, b string) bool {
	ra, _ := utf8.DecodeLastRuneInString(a)
	rb, _ := utf8.DecodeRuneInString(b)
	return !strings.ContainsRune("（「『【〔〈《([{", ra) &&
		!strings.ContainsRune("、。，．）」』】〕〉》ー・：；？！ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々〜)]},.:;?!", rb)
}
