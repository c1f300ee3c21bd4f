package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/card"
)

// noCards is a card source without readers (the tests use the test card).
type noCards struct{}

func (noCards) Watch(ctx context.Context, report func(Readers)) {
	report(Readers{Known: true})
	<-ctx.Done()
}
func (noCards) Open(string) (*card.Session, error) { return nil, card.ErrNoReader }
func (noCards) Test() bool                         { return false }

// uiQueue stands in for Fyne's thread in tests: background work queues its widget
// updates, and the test goroutine runs them (pump), as the real event loop would, one
// at a time and never concurrently with the test's own actions.
type uiQueue struct {
	mu    sync.Mutex
	items []func()
}

func (q *uiQueue) push(f func()) {
	q.mu.Lock()
	q.items = append(q.items, f)
	q.mu.Unlock()
}

// pump runs what is queued; it reports whether anything ran.
func (q *uiQueue) pump() bool {
	ran := false
	for {
		q.mu.Lock()
		items := q.items
		q.items = nil
		q.mu.Unlock()
		if len(items) == 0 {
			return ran
		}
		for _, f := range items {
			f()
		}
		ran = true
	}
}

var testQueue = &uiQueue{}

// pump runs the queued widget updates on the test goroutine.
func (u *UI) pump() { testQueue.pump() }

// WaitIdle runs the queued widget updates until no background work is left.
func (u *UI) WaitIdle() {
	deadline := time.Now().Add(60 * time.Second)
	for {
		ran := testQueue.pump()
		if !ran && u.running.Load() == 0 {
			// Work that just ended may have queued a last update.
			if !testQueue.pump() {
				return
			}
			continue
		}
		if time.Now().After(deadline) {
			panic("WaitIdle: background work did not end within 60s")
		}
		if !ran {
			time.Sleep(time.Millisecond)
		}
	}
}

// testRenderCache is the page renderer's compilation cache of the tests: shared by the
// test runs (each test's first preview would compile PDFium again otherwise), never the
// user's.
var testRenderCache = filepath.Join(os.TempDir(), "mynasign-test-pdfium-cache")

// newTestUI builds the GUI on Fyne's test driver, with an empty CRL store and no card
// reader (tests use the test card).
func newTestUI(t *testing.T, lang i18n.Lang) *UI {
	t.Helper()
	return newTestUIWith(t, lang, noCards{})
}

// newTestUIWith is newTestUI with a card source (nil: the real PC/SC service).
func newTestUIWith(t *testing.T, lang i18n.Lang, cards CardSource) *UI {
	t.Helper()
	return newTestUIScaled(t, lang, cards, 1)
}

// newTestUIScaled is newTestUIWith with the text size factor (文字の大きさ) set to scale.
func newTestUIScaled(t *testing.T, lang i18n.Lang, cards CardSource, scale float32) *UI {
	t.Helper()
	doUI = testQueue.push
	t.Cleanup(func() { doUI = fyne.Do; testQueue.pump() })
	a := test.NewTempApp(t)
	a.Preferences().SetFloat(prefTextScale, float64(scale))
	u := New(a, Config{Lang: lang, CRLDir: t.TempDir(), AnchorDir: t.TempDir(), Cards: cards, RenderCache: testRenderCache})
	u.win.Resize(fyne.NewSize(1000, 760))
	t.Cleanup(u.Close)
	waitCards(t, u, func(r Readers) bool { return r.Known })
	u.WaitIdle()
	return u
}

// withTestCard switches u to the test card with the given persona and waits until the
// screens know it.
func withTestCard(t *testing.T, u *UI, persona string) {
	t.Helper()
	if err := u.useTestCard(persona); err != nil {
		t.Fatal(err)
	}
	waitCards(t, u, func(r Readers) bool {
		return r.Known && len(r.Readers) == 1 && r.Readers[0].Name == testReaderName
	})
}

// waitCards waits until the screens were updated with a snapshot that satisfies cond.
func waitCards(t *testing.T, u *UI, cond func(Readers) bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		u.pump()
		u.watch.mu.Lock()
		ok := u.watch.delivered > 0 && cond(u.watch.shown)
		u.watch.mu.Unlock()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the card status never reached the expected state; last: %+v", u.watch.snapshot())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// objects lists every canvas object under the window's content and its overlays
// (dialogs, pop-ups), depth first.
func objects(u *UI) []fyne.CanvasObject {
	out := objectsUnder(u.win.Canvas().Content())
	for _, o := range u.win.Canvas().Overlays().List() {
		out = append(out, objectsUnder(o)...)
	}
	return out
}

// objectsUnder lists o and every visible canvas object under it, depth first.
func objectsUnder(o fyne.CanvasObject) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		out = append(out, o)
		// The app's buttons, entries, checks and selects are Fyne's inside: listed as
		// such too, so that tests find them as *widget.Button and so on.
		switch x := o.(type) {
		case *pushButton:
			out = append(out, &x.Button)
		case *keyEntry:
			out = append(out, &x.Entry)
		case *keyCheck:
			out = append(out, &x.Check)
		case *keySelect:
			out = append(out, &x.Select)
		}
		switch x := o.(type) {
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			r := test.WidgetRenderer(x)
			for _, c := range r.Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return out
}

// texts lists the texts shown: labels, buttons, checks, radio options, entries'
// placeholders, rich text.
func texts(u *UI) []string {
	var out []string
	for _, o := range objects(u) {
		switch x := o.(type) {
		case *widget.Label:
			out = append(out, x.Text)
		case *textBlock:
			out = append(out, x.Text)
		case *widget.Button:
			out = append(out, x.Text)
		case *widget.Check:
			out = append(out, x.Text)
		case *widget.RadioGroup:
			out = append(out, x.Options...)
		case *widget.Select:
			out = append(out, x.Options...)
		case *widget.Entry:
			out = append(out, x.PlaceHolder)
		case *widget.Card:
			out = append(out, x.Title, x.Subtitle)
		case *widget.RichText:
			out = append(out, x.String())
		case *canvas.Text:
			out = append(out, x.Text)
		}
	}
	return out
}

// screenText is every text shown, joined (for "contains" checks).
func screenText(u *UI) string { return strings.Join(texts(u), "\n") }

// mustShow fails unless the screen shows text.
func mustShow(t *testing.T, u *UI, text string) {
	t.Helper()
	if !strings.Contains(screenText(u), text) {
		t.Fatalf("the screen does not show %q; it shows:\n%s", text, screenText(u))
	}
}

// mustNotShow fails if the screen shows text.
func mustNotShow(t *testing.T, u *UI, text string) {
	t.Helper()
	if strings.Contains(screenText(u), text) {
		t.Fatalf("the screen shows %q, it should not:\n%s", text, screenText(u))
	}
}

// noMissingKeys fails when a text on screen is an unresolved key ("!gui.…").
func noMissingKeys(t *testing.T, u *UI, where string) {
	t.Helper()
	for _, s := range texts(u) {
		if strings.Contains(s, "!gui.") || strings.Contains(s, "!trust.") || strings.Contains(s, "%!") {
			t.Errorf("%s: unresolved or badly formatted text on screen: %q", where, s)
		}
	}
}

// passwordEntries lists the masked entries on screen.
func passwordEntries(u *UI) []*widget.Entry {
	var out []*widget.Entry
	for _, o := range objects(u) {
		if e, ok := o.(*widget.Entry); ok && e.Password {
			out = append(out, e)
		}
	}
	return out
}

// button finds the visible button with exactly this text.
func button(t *testing.T, u *UI, text string) *widget.Button {
	t.Helper()
	for _, o := range objects(u) {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			return b
		}
	}
	t.Fatalf("no button %q on screen; texts:\n%s", text, screenText(u))
	return nil
}

// pressable is a button: the app's (button) or Fyne's.
type pressable interface {
	fyne.Tappable
	fyne.Disableable
}

// tap taps an enabled button and waits for the work it started.
func tap(t *testing.T, u *UI, b pressable) {
	t.Helper()
	if b.Disabled() {
		t.Fatalf("button %v is disabled", b)
	}
	test.Tap(b)
	u.WaitIdle()
}

// typeInto types text into an entry (through its key handling, as a user would).
func typeInto(u *UI, e fyne.Focusable, s string) {
	f := e
	for _, o := range objects(u) {
		if ke, ok := o.(*keyEntry); ok && &ke.Entry == e {
			f = ke // the app's entry around it is what takes the focus
		}
	}
	u.win.Canvas().Focus(f)
	test.Type(f, s)
}
