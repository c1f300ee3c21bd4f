package app

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mynasign/mynasign/card"
	"github.com/mynasign/mynasign/card/softcard"
	"github.com/mynasign/mynasign/internal/testpki"
)

// testReaderName names the test card's virtual reader (the screens show a translated
// name instead).
const testReaderName = "mynasign test card"

// Extra test "cards" besides the personas: cards the app must recognize and refuse.
const (
	testCardSmartphone = "smartphone" // a smartphone JPKI token seen through a reader
	testCardNotJPKI    = "not-jpki"   // some other smart card
)

// testCardSource is the software My Number Card in a virtual reader, in process: the
// whole app can be tried without a reader or a card. It uses the test PKI, and
// everything produced with it is validated against the test trust store and marked as
// a test. Its presence follows the card's own events (softcard.Card.Changes): taken out
// or put back from the banner, by a test, or vanishing mid-operation (a fault).
type testCardSource struct {
	id   string // persona ID, or testCardSmartphone / testCardNotJPKI
	card *softcard.Card
	kind card.Kind // what the card is, identified once (it is the same card when put back)
}

func newTestCardSource(id string) (*testCardSource, error) {
	var cfg softcard.Config
	switch id {
	case testCardSmartphone, testCardNotJPKI:
		p, err := testpki.PersonaByID(testpki.DefaultPersona)
		if err != nil {
			return nil, err
		}
		cfg = softcard.ConfigFor(p)
		if id == testCardSmartphone {
			cfg.TokenLabel = card.LabelSmartphoneAndroid
		} else {
			cfg.NoJPKI = true
		}
	default:
		p, err := testpki.PersonaByID(id)
		if err != nil {
			return nil, err
		}
		cfg = softcard.ConfigFor(p)
	}
	c, err := softcard.New(cfg)
	if err != nil {
		return nil, err
	}
	s := &testCardSource{id: id, card: c}
	if sess, err := card.Open(c); err == nil {
		s.kind = sess.Kind()
		sess.Close()
	}
	return s, nil
}

func (s *testCardSource) Test() bool { return true }

func (s *testCardSource) Open(reader string) (*card.Session, error) {
	if reader != testReaderName {
		return nil, fmt.Errorf("%s: %w", reader, card.ErrNoReader)
	}
	return card.Open(s.card)
}

// remove and insert move the test card out of and into its virtual reader (the banner's
// button); Watch learns of it from the card.
func (s *testCardSource) remove() { s.card.Remove() }

func (s *testCardSource) insert() { s.card.Insert() }

// Watch reports the virtual reader at every change of the card's presence, as the PC/SC
// watcher does for a real reader.
func (s *testCardSource) Watch(ctx context.Context, report func(Readers)) {
	for {
		present, changed := s.card.Changes()
		r := ReaderInfo{Name: testReaderName}
		if present {
			r.Present, r.ATR, r.Kind = true, s.card.ATR(), s.kind
			// As the PC/SC watcher does when a card is put in: no one else uses it yet.
			if sess, err := card.Open(s.card); err == nil {
				r.SignBlocked, r.AuthBlocked = pinsBlocked(sess)
				sess.Close()
			}
		}
		report(Readers{Known: true, Readers: []ReaderInfo{r}})
		select {
		case <-ctx.Done():
			return
		case <-changed:
		}
	}
}

// useTestCard switches the app to the test card with the given persona (or back to the
// real card service when id is "").
func (u *UI) useTestCard(id string) error {
	if id == "" {
		u.testCard = nil
		u.cards = u.realSrc
		u.watch.start(u.cards)
		return nil
	}
	src, err := newTestCardSource(id)
	if err != nil {
		return err
	}
	u.testCard = src
	u.cards = src
	u.watch.start(src)
	return nil
}

// testBanner is shown on every screen while the test card is in use: what is made now is
// a test, and the test card can be taken out and put back.
func (u *UI) testBanner() fyne.CanvasObject {
	txt := canvas.NewText(u.t("gui.testcard.banner", u.personaName(u.testCard.id)), theme.Color(colorNameTest))
	txt.TextStyle.Bold = true
	toggle := newButton("", nil, nil)
	toggle.OnTapped = func() {
		if u.testCard.card.Present() {
			u.testCard.remove()
		} else {
			u.testCard.insert()
		}
		// The text follows when the watch reports the change (followTestCard).
	}
	u.bannerToggle = toggle
	u.setBannerToggle(u.testCard.card.Present())
	toggle.Importance = widget.LowImportance
	stop := newButton(u.t("gui.testcard.stop"), nil, func() {
		_ = u.useTestCard("")
		u.showHome()
	})
	stop.Importance = widget.LowImportance
	// The buttons go to a second row where the line does not fit (English at 200 %); the
	// text has the buttons' padding above and below, to stand on their line.
	pad := theme.InnerPadding()
	label := container.NewHBox(widget.NewIcon(theme.WarningIcon()), container.New(layout.NewCustomPaddedLayout(pad, pad, 0, 0), txt))
	return container.New(layout.NewRowWrapLayout(), label, toggle, stop)
}

// followTestCard keeps the banner's button in step with the test card's reader as the
// card watch reports it (whoever took the card out or put it back).
func (u *UI) followTestCard(r Readers) {
	if u.testCard == nil {
		return
	}
	for _, rd := range r.Readers {
		if rd.Name == testReaderName {
			u.setBannerToggle(rd.Present)
		}
	}
}

// setBannerToggle names what the banner's button will do: take the card out or put it
// back.
func (u *UI) setBannerToggle(present bool) {
	if u.bannerToggle == nil {
		return
	}
	if present {
		u.bannerToggle.SetText(u.t("gui.testcard.remove"))
	} else {
		u.bannerToggle.SetText(u.t("gui.testcard.insert"))
	}
}

// personaName is the translated name of a test persona or test card kind.
func (u *UI) personaName(id string) string {
	return u.t("gui.persona." + id)
}

// testCardChoices lists what the test card screen offers.
func testCardChoices() []string {
	return append(softcard.PersonaIDs(), testCardSmartphone, testCardNotJPKI)
}

// showTestCard is テストカードで試す: choose a persona and use the software card.
func (u *UI) showTestCard() {
	choices := testCardChoices()
	names := make([]string, len(choices))
	for i, id := range choices {
		names[i] = u.personaName(id)
	}
	// The options are the names only, and the chosen one's description wraps below
	// them: a radio option does not wrap, and with the descriptions in them the
	// options were wider than a 1024-pixel window at 150 %.
	help := wrapLabel("")
	radio := widget.NewRadioGroup(names, func(sel string) {
		help.SetText("")
		for i, n := range names {
			if n == sel {
				help.SetText(u.personaName(choices[i]) + " — " + u.t("gui.persona_help."+choices[i]))
			}
		}
	})
	cur := testpki.DefaultPersona
	if u.testCard != nil {
		cur = u.testCard.id
	}
	for i, id := range choices {
		if id == cur {
			radio.SetSelected(names[i])
		}
	}
	intro := wrapLabel(u.t("gui.testcard.intro", testpki.SignPassword, testpki.TextPIN))
	start := newButton(u.t("gui.testcard.start"), theme.ConfirmIcon(), nil)
	start.Importance = widget.HighImportance
	start.OnTapped = func() {
		id := ""
		for i, n := range names {
			if n == radio.Selected {
				id = choices[i]
			}
		}
		if id == "" {
			return
		}
		if err := u.useTestCard(id); err != nil {
			u.showError(u.t("gui.testcard.failed"), err)
			return
		}
		u.showHome()
	}
	actions := []fyne.CanvasObject{newButton(u.t("gui.common.cancel"), nil, u.showHome), start}
	if u.testCard != nil {
		actions = append([]fyne.CanvasObject{newButton(u.t("gui.testcard.stop"), nil, func() {
			_ = u.useTestCard("")
			u.showHome()
		})}, actions...)
	}
	u.show(&screen{
		title:   u.t("gui.testcard.title"),
		body:    container.NewVScroll(container.NewVBox(intro, radio, help)),
		actions: actions,
		focus:   start,
	})
}
