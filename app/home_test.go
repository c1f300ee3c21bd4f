package app

import (
	"testing"

	"github.com/mynasign/mynasign/app/i18n"
)

// TestHomeStatusFollowsTheTestCard: the home status says what is in the (virtual)
// reader and follows the card being taken out and put back with the banner's button;
// a smartphone token and a card that is not a My Number Card are named as such.
func TestHomeStatusFollowsTheTestCard(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	mustShow(t, u, u.t("gui.status.no_reader"))
	reader := u.t("gui.testcard.reader")
	for _, c := range []struct{ persona, key string }{
		{"valid", "gui.status.mynumber_card"},
		{testCardSmartphone, "gui.kind.smartphone"},
		{testCardNotJPKI, "gui.kind.not_jpki"},
	} {
		withTestCard(t, u, c.persona)
		u.showHome()
		u.WaitIdle()
		mustShow(t, u, u.t("gui.status.reader_line", reader, u.t(c.key)))
	}
	withTestCard(t, u, "valid")
	u.showHome()
	tap(t, u, button(t, u, u.t("gui.testcard.remove")))
	waitCards(t, u, func(r Readers) bool { return len(r.Readers) == 1 && !r.Readers[0].Present })
	mustShow(t, u, u.t("gui.status.reader_line", reader, u.t("gui.status.no_card")))
	tap(t, u, button(t, u, u.t("gui.testcard.insert")))
	waitCards(t, u, func(r Readers) bool { return len(r.Readers) == 1 && r.Readers[0].Present })
	mustShow(t, u, u.t("gui.status.reader_line", reader, u.t("gui.status.mynumber_card")))
	// Leaving the test card goes back to the real service (none in this test).
	tap(t, u, button(t, u, u.t("gui.testcard.stop")))
	waitCards(t, u, func(r Readers) bool { return len(r.Readers) == 0 })
	mustShow(t, u, u.t("gui.status.no_reader"))
	mustNotShow(t, u, u.t("gui.testcard.banner", u.t("gui.persona.valid")))
}

// TestLanguageSwitch: choosing English on the home screen rebuilds it in English and
// remembers the choice.
func TestLanguageSwitch(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	mustShow(t, u, "署名する")
	u.home.langSel.SetSelectedIndex(1)
	u.WaitIdle()
	mustShow(t, u, "Sign")
	mustNotShow(t, u, "署名する")
	if got := u.fa.Preferences().String(prefLang); got != "en" {
		t.Fatalf("saved language %q", got)
	}
}

// TestTestCardStatusFollowsTheCard: the test card's status follows the software card's
// own presence events, whoever moves it — here the card itself, not the banner — and a
// card that vanishes in the middle of an operation (a fault while the diagnostics read
// it) is reported as taken out, as a real reader's event would be.
func TestTestCardStatusFollowsTheCard(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	withTestCard(t, u, "valid")
	u.showHome()
	u.WaitIdle()
	reader := u.t("gui.testcard.reader")
	absent := func(r Readers) bool { return len(r.Readers) == 1 && !r.Readers[0].Present }
	present := func(r Readers) bool { return len(r.Readers) == 1 && r.Readers[0].Present }

	u.testCard.card.Remove()
	waitCards(t, u, absent)
	mustShow(t, u, u.t("gui.status.reader_line", reader, u.t("gui.status.no_card")))
	button(t, u, u.t("gui.testcard.insert")) // the banner offers to put it back
	u.testCard.card.Insert()
	waitCards(t, u, present)
	mustShow(t, u, u.t("gui.status.reader_line", reader, u.t("gui.status.mynumber_card")))
	button(t, u, u.t("gui.testcard.remove"))

	// The card vanishes at its first APDU of the diagnostics' reading.
	u.testCard.card.FailBefore(1)
	u.showDiagnostics()
	waitCards(t, u, absent)
	u.WaitIdle()
	u.showHome()
	u.WaitIdle()
	mustShow(t, u, u.t("gui.status.reader_line", reader, u.t("gui.status.no_card")))
	u.testCard.card.Insert()
	waitCards(t, u, present)
}
