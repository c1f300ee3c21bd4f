package app

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/mynasign/mynasign/app/i18n"
)

// The window sizes and text scales every screen must fit.
var (
	clipWindowSizes = []fyne.Size{{Width: 1024, Height: 768}, {Width: 1920, Height: 1080}}
	clipTextScales  = []float32{1, 1.5}
)

// TestNoTextIsClipped opens every screen (everyScreen) in Japanese and English, at each
// window size and text scale, and fails for every text drawn outside the control or
// container that holds it, or cut by a scrolled area's edge across its scroll direction,
// and for a screen larger than the window. Wrapping texts are checked line by line; a
// label that cuts its text with an ellipsis on purpose (a table cell, whose tooltip has
// the whole text) is only checked against the scrolled areas and the table around it.
func TestNoTextIsClipped(t *testing.T) {
	files, err := verifyTestFiles(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []i18n.Lang{i18n.Japanese, i18n.English} {
		for _, scale := range clipTextScales {
			t.Run(fmt.Sprintf("%s-%d", lang, int(scale*100)), func(t *testing.T) {
				u := newTestUIScaled(t, lang, noCards{}, scale)
				for _, s := range everyScreen() {
					err := s.open(u, files, func(f func()) { f() }, func() error { u.WaitIdle(); return nil })
					if err != nil {
						t.Fatal(err)
					}
					for _, size := range clipWindowSizes {
						u.win.Resize(size)
						u.relayout()
						for _, o := range u.win.Canvas().Overlays().List() {
							o.Refresh() // a dialog is laid out again for the new size
						}
						where := fmt.Sprintf("%s %s %.0fx%.0f %d%%", s.name, lang, size.Width, size.Height, int(scale*100))
						problems, checked := clippedTexts(u)
						if checked < 3 {
							t.Errorf("%s: only %d texts found on the screen", where, checked)
						}
						for _, p := range problems {
							t.Errorf("%s: %s", where, p)
						}
					}
				}
			})
		}
	}
}

// tbox is a rectangle in window coordinates.
type tbox struct{ x0, y0, x1, y1 float32 }

func boxAt(pos fyne.Position, size fyne.Size) tbox {
	return tbox{pos.X, pos.Y, pos.X + size.Width, pos.Y + size.Height}
}

// clipSlack is how far (in Fyne units) a text may reach past its box: rounding.
const clipSlack = 0.5

// outside says which sides of b reach past c (more than clipSlack), "" when none; only
// the sides asked for (horizontal, vertical) are looked at.
func (b tbox) outside(c tbox, horizontal, vertical bool) string {
	var sides []string
	if horizontal && b.x0 < c.x0-clipSlack {
		sides = append(sides, fmt.Sprintf("left by %.1f", c.x0-b.x0))
	}
	if horizontal && b.x1 > c.x1+clipSlack {
		sides = append(sides, fmt.Sprintf("right by %.1f", b.x1-c.x1))
	}
	if vertical && b.y0 < c.y0-clipSlack {
		sides = append(sides, fmt.Sprintf("top by %.1f", c.y0-b.y0))
	}
	if vertical && b.y1 > c.y1+clipSlack {
		sides = append(sides, fmt.Sprintf("bottom by %.1f", b.y1-c.y1))
	}
	return strings.Join(sides, ", ")
}

// holder is the object a text must stay inside: the innermost control showing it, or,
// for a bare canvas text, the container it is in.
type holder struct {
	what string
	b    tbox
	// scrolls is set for a multi-line entry: its text scrolls up and down inside it.
	scrolls bool
}

// clipEdge is a scrolled area's edge that cuts what crosses it.
type clipEdge struct {
	b                    tbox
	horizontal, vertical bool // which sides cut (not the scrolled direction)
}

// clippedTexts walks the window's content and overlays and describes every text drawn
// outside its holder or across a scrolled area's fixed edge, and the content being
// larger than the window. checked is how many texts it looked at.
func clippedTexts(u *UI) (problems []string, checked int) {
	var out []string
	c := u.win.Canvas()
	content := c.Content()
	// The content's size is the window's less its padding.
	if min, size := content.MinSize(), content.Size(); min.Width > size.Width+clipSlack || min.Height > size.Height+clipSlack {
		out = append(out, fmt.Sprintf("the screen needs %.0fx%.0f, more than the window's %.0fx%.0f", min.Width, min.Height, size.Width, size.Height))
	}
	win := holder{what: "the window", b: boxAt(fyne.NewPos(0, 0), c.Size())}
	walkTexts(content, fyne.NewPos(0, 0), win, nil, &out, &checked)
	for _, o := range c.Overlays().List() {
		walkTexts(o, fyne.NewPos(0, 0), win, nil, &out, &checked)
	}
	return out, checked
}

// walkTexts checks o (at parent, in window coordinates) and what is under it.
func walkTexts(o fyne.CanvasObject, parent fyne.Position, h holder, clips []clipEdge, out *[]string, checked *int) {
	if o == nil || !o.Visible() {
		return
	}
	pos := parent.Add(o.Position())
	me := boxAt(pos, o.Size())
	outer := h
	switch x := o.(type) {
	case *canvas.Text:
		if strings.TrimSpace(x.Text) != "" {
			*checked++
			checkText(x, me, h, clips, out)
		}
		return
	case *widget.Label:
		if x.Truncation == fyne.TextTruncateEllipsis {
			// It cuts its own text on purpose, with the whole text in a tooltip
			// (verdictCell); but the label itself must not be cut.
			if strings.TrimSpace(x.Text) != "" {
				*checked++
				checkClips(fmt.Sprintf("label %q (cut with an ellipsis)", x.Text), me, clips, out)
			}
			return
		}
		h = holder{what: fmt.Sprintf("label %q", x.Text), b: me}
	case *textBlock:
		h = holder{what: fmt.Sprintf("text %q", short(x.Text)), b: me}
	case *widget.Entry:
		if x.Text != "" && !x.MultiLine {
			return // what was typed scrolls inside the entry
		}
		h = holder{"entry", me, x.MultiLine}
	case *pushButton, *widget.Button, *widget.Check, *keyCheck, *widget.RadioGroup, *widget.Select, *keySelect,
		*widget.Hyperlink, *widget.Card:
		h = holder{what: strings.TrimPrefix(reflect.TypeOf(o).String(), "*"), b: me}
	case *fyne.Container:
		h = holder{what: "container", b: me}
	case *widget.Table:
		// Its rows scroll, but its columns must fit: a column past the table's side
		// is one the user does not see without scrolling sideways.
		clips = append(clips[:len(clips):len(clips)], clipEdge{b: me, horizontal: true})
	case *container.Scroll:
		e := clipEdge{b: me}
		switch x.Direction {
		case container.ScrollVerticalOnly:
			e.horizontal = true
		case container.ScrollHorizontalOnly:
			e.vertical = true
		case container.ScrollNone:
			e.horizontal, e.vertical = true, true
		}
		if e.horizontal || e.vertical {
			clips = append(clips[:len(clips):len(clips)], e)
		}
	}
	if o.Size().IsZero() {
		// Never sized by its layout (the title of Fyne's dialogs): its text is drawn
		// at its own size from its position, inside what holds the object.
		h = outer
	}
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			walkTexts(c, pos, h, clips, out, checked)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			walkTexts(c, pos, h, clips, out, checked)
		}
	}
}

// checkText compares where the text is drawn (its measured size, placed by its
// alignment in its tbox) with its holder and the scrolled edges around it.
func checkText(x *canvas.Text, me tbox, h holder, clips []clipEdge, out *[]string) {
	m := fyne.MeasureText(x.Text, x.TextSize, x.TextStyle)
	w := me.x1 - me.x0
	drawn := tbox{me.x0, me.y0, me.x0 + m.Width, me.y0 + m.Height}
	switch x.Alignment {
	case fyne.TextAlignCenter:
		drawn.x0 = me.x0 + (w-m.Width)/2
		drawn.x1 = drawn.x0 + m.Width
	case fyne.TextAlignTrailing:
		drawn.x0 = me.x1 - m.Width
		drawn.x1 = me.x1
	}
	desc := fmt.Sprintf("%q (%.0fx%.0f, size %.1f)", x.Text, m.Width, m.Height, x.TextSize)
	if s := drawn.outside(h.b, true, !h.scrolls); s != "" {
		*out = append(*out, fmt.Sprintf("%s is wider or taller than its %s (%.0fx%.0f): past its %s", desc, h.what, h.b.x1-h.b.x0, h.b.y1-h.b.y0, s))
		return
	}
	checkClips(desc, drawn, clips, out)
}

// checkClips reports what (drawn in b) when it crosses a scrolled area's fixed edge.
func checkClips(what string, b tbox, clips []clipEdge, out *[]string) {
	for _, e := range clips {
		if s := b.outside(e.b, e.horizontal, e.vertical); s != "" {
			*out = append(*out, fmt.Sprintf("%s is cut by a scrolled area (%.0fx%.0f at %.0f,%.0f): past its %s", what, e.b.x1-e.b.x0, e.b.y1-e.b.y0, e.b.x0, e.b.y0, s))
			return
		}
	}
}

// short is s cut to its first 40 characters, for messages.
func short(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// TestClipCheckFindsCutText: the check of TestNoTextIsClipped reports a label narrower
// than its text, a text cut by a vertically scrolled area's side, and a screen larger
// than the window; and it passes the same texts with room.
func TestClipCheckFindsCutText(t *testing.T) {
	u := newTestUI(t, i18n.English)
	label := widget.NewLabel("a label much wider than the forty units it was given")
	free := container.NewWithoutLayout(label)
	label.Move(fyne.NewPos(10, 10))
	label.Resize(fyne.NewSize(40, label.MinSize().Height))
	wide := canvas.NewText("a text wider than the scrolled area it is drawn in, by far", nil)
	scroll := container.NewVScroll(container.NewWithoutLayout(wide))
	wide.Resize(wide.MinSize())
	u.win.SetContent(container.NewVBox(free, container.NewGridWrap(fyne.NewSize(60, 40), scroll), widget.NewLabel("fits")))
	u.win.Resize(fyne.NewSize(1024, 768))
	label.Resize(fyne.NewSize(40, label.MinSize().Height))
	problems, checked := clippedTexts(u)
	got := strings.Join(problems, "\n")
	for _, want := range []string{`"a label much wider`, `"a text wider than the scrolled area`} {
		if !strings.Contains(got, want) {
			t.Errorf("no problem reported for %s; reported:\n%s", want, got)
		}
	}
	if strings.Contains(got, `"fits"`) || checked != 3 {
		t.Errorf("checked %d texts, reported:\n%s", checked, got)
	}

	u.win.SetContent(widget.NewLabel(strings.Repeat("wide ", 300)))
	u.win.Resize(fyne.NewSize(1024, 768))
	if problems, _ := clippedTexts(u); len(problems) == 0 || !strings.Contains(problems[0], "more than the window") {
		t.Errorf("a screen wider than the window is not reported: %q", problems)
	}
}
