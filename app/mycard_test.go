package app

import (
	"strings"
	"testing"

	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/internal/testpki"
)

// TestMyCard reads the test card's certificates: the authentication certificate without
// a password, the signature certificate after the signature password (a wrong one first:
// the new tries left are shown and nothing is retried), and the four basic facts after
// the text PIN; leaving the screen forgets them.
func TestMyCard(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	withTestCard(t, u, "valid")
	p, _ := testpki.PersonaByID("valid")
	m := u.startMyCard()
	tap(t, u, m.openBtn)
	mustShow(t, u, u.t("gui.mycard.auth_cert"))
	mustShow(t, u, u.t("gui.mycard.valid_now"))
	mustNotShow(t, u, p.CertName) // nothing personal before the password
	if n := len(passwordEntries(u)); n != 0 {
		t.Fatalf("%d password entries before asking", n)
	}

	tap(t, u, m.signBtn)
	mustShow(t, u, u.t("gui.pin.tries_left", 5, 5)) // before anything is typed
	entries := passwordEntries(u)
	if len(entries) != 1 {
		t.Fatalf("want one masked entry, got %d", len(entries))
	}
	typeInto(u, entries[0], "WRONG999")
	stats := u.testCard.card.Stats()
	tap(t, u, m.pin.submit)
	mustShow(t, u, u.tn("gui.pin.sign.wrong", 4, 4))
	mustShow(t, u, u.t("gui.pin.tries_left", 4, 5))
	if left := u.testCard.card.TriesLeft("sign"); left != 4 {
		t.Fatalf("tries left on the card = %d, want 4 (exactly one VERIFY)", left)
	}
	if got := u.testCard.card.Stats(); got.VerifySign-stats.VerifySign != 1 {
		t.Fatalf("VERIFY with data sent %d times, want 1", got.VerifySign-stats.VerifySign)
	}
	if entries[0].Text != "" {
		t.Fatal("the entry still holds the password after it was sent")
	}
	typeInto(u, entries[0], "test1234") // lowercase is accepted and uppercased
	tap(t, u, m.pin.submit)
	mustShow(t, u, p.CertName)
	mustShow(t, u, "東京都千代田区")
	mustShow(t, u, u.sexName("female"))

	tap(t, u, m.basicBtn)
	mustShow(t, u, u.t("gui.pin.tries_left", 3, 3))
	e := passwordEntries(u)
	typeInto(u, e[len(e)-1], testpki.TextPIN)
	tap(t, u, m.pin.submit)
	mustShow(t, u, p.Basic.Name)
	if birth := u.msgArg(basicBirth(p.Basic.BirthDate)); !strings.HasSuffix(birth, "日") {
		t.Errorf("the birth date is not written as the app's dates are: %q", birth)
	}
	mustShow(t, u, u.msgArg(basicBirth(p.Basic.BirthDate)))

	u.showHome()
	if m.sess != nil {
		t.Fatal("the card session is still open after leaving マイカード")
	}
	mustNotShow(t, u, p.Basic.Name)
}

// TestMyCardBlocked: a blocked signature password is explained, with where to reset
// it, and no password field is ever shown.
func TestMyCardBlocked(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	withTestCard(t, u, "blocked")
	m := u.startMyCard()
	tap(t, u, m.openBtn)
	tap(t, u, m.signBtn)
	mustShow(t, u, u.t("gui.pin.sign.blocked_title"))
	mustShow(t, u, u.t("gui.pin.sign.blocked_where"))
	if n := len(passwordEntries(u)); n != 0 {
		t.Fatalf("a blocked card shows %d password entries", n)
	}
}
