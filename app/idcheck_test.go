package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/widget"

	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/card"
	"github.com/mynasign/mynasign/card/softcard"
	"github.com/mynasign/mynasign/internal/testpki"
	"github.com/mynasign/mynasign/trust"
)

// idCheckToPIN opens the identity check with the test card of persona, sets the mode
// and its options (set may tick the boxes), reads the card and returns at the PIN.
func idCheckToPIN(t *testing.T, u *UI, persona string, mode trust.IDCheckMode, set func(s *idCheckScreen)) *idCheckScreen {
	t.Helper()
	withTestCard(t, u, persona)
	u.showHome()
	tap(t, u, button(t, u, u.t("gui.home.idcheck")))
	is := u.idCheckShown(t)
	is.modeRad.SetSelected(u.t("gui.idcheck.mode." + string(mode)))
	if set != nil {
		set(is)
	}
	if is.readerSel.Selected != u.t("gui.testcard.reader") {
		t.Fatalf("the test card's reader is not chosen: %q", is.readerSel.Selected)
	}
	tap(t, u, is.startBtn)
	if is.card == nil || is.pin == nil {
		t.Fatalf("no PIN step; screen:\n%s", screenText(u))
	}
	noMissingKeys(t, u, "identity check: PIN")
	return is
}

// idCheckShown is the identity check screen shown (the last one started).
func (u *UI) idCheckShown(t *testing.T) *idCheckScreen {
	t.Helper()
	if u.idCheck == nil || u.cur == nil || u.cur.title != u.t("gui.idcheck.title") {
		t.Fatalf("the identity check is not shown; screen:\n%s", screenText(u))
	}
	return u.idCheck
}

// idCheckPIN types the PIN and taps the check button.
func idCheckPIN(t *testing.T, u *UI, s *idCheckScreen, pin string) {
	t.Helper()
	// The PIN step appears once the card has been read in the background (tries left,
	// certificate); a person waits for it, and so does the test, typing again into the
	// prompt that is there when the button does not take it (a loaded machine is slow).
	for i := 0; ; i++ {
		entries := passwordEntries(u)
		if len(entries) == 1 {
			typeInto(u, entries[0], pin)
			if b := button(t, u, u.t("gui.idcheck.check")); !b.Disabled() {
				tap(t, u, b)
				return
			}
		}
		if i == 200 {
			t.Fatalf("no PIN prompt that takes the PIN (%d entries); screen:\n%s", len(entries), screenText(u))
		}
		time.Sleep(25 * time.Millisecond)
		u.WaitIdle()
	}
}

func TestIDCheckIdentityValidAndRevoked(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	s := idCheckToPIN(t, u, "valid", trust.IDCheckIdentity, nil)
	mustShow(t, u, u.t("gui.pin.tries_left", 3, 3))
	idCheckPIN(t, u, s, testpki.AuthPIN)
	if s.rep == nil || s.rep.Outcome != trust.IDConfirmed {
		t.Fatalf("valid persona: report %+v; screen:\n%s", s.rep, screenText(u))
	}
	if s.result.Text != "確認できました" || s.result.SizeName == "" {
		t.Fatalf("result %q (size %q)", s.result.Text, s.result.SizeName)
	}
	mustShow(t, u, s.rep.Certificate.SerialSHA256)
	mustShow(t, u, u.t("gui.idcheck.revocation.good"))
	noMissingKeys(t, u, "identity check: result")

	tap(t, u, s.nextBtn)
	s = idCheckToPIN(t, u, "revoked", trust.IDCheckIdentity, nil)
	idCheckPIN(t, u, s, testpki.AuthPIN)
	if s.rep == nil || s.rep.Outcome != trust.IDNotConfirmed || len(s.rep.Reasons) == 0 {
		t.Fatalf("revoked persona: report %+v", s.rep)
	}
	if s.result.Text != "確認できません" || s.result.Importance != widget.DangerImportance {
		t.Fatalf("result %q (importance %v)", s.result.Text, s.result.Importance)
	}
	mustShow(t, u, u.msg(s.rep.Reasons[0]))
	mustShow(t, u, u.t("gui.idcheck.revocation.revoked"))
}

// A wrong PIN gives the tries left and no result; the entry is empty again.
func TestIDCheckWrongPIN(t *testing.T) {
	u := newTestUI(t, i18n.English)
	s := idCheckToPIN(t, u, "valid", trust.IDCheckIdentity, nil)
	idCheckPIN(t, u, s, "9999")
	if s.rep != nil || s.result != nil {
		t.Fatalf("a result after a wrong PIN: %+v", s.rep)
	}
	mustShow(t, u, u.tn(pinKey(s.pin.kind, "wrong"), 2, 2))
	e := passwordEntries(u)
	if len(e) != 1 || e[0].Text != "" {
		t.Fatalf("PIN entries after a wrong PIN: %v", e)
	}
	// The answer, hidden until now, is laid out below the entry, not over the prompt.
	if y, ey := s.pin.result.Position().Y, s.pin.entry.Position().Y; y <= ey {
		t.Fatalf("the wrong-PIN answer is at y=%v, the entry at y=%v", y, ey)
	}
}

// Age mode: only "N or older", and the birth date appears nowhere in the widget tree,
// in any form; the start needs the holder's consent.
func TestIDCheckAgeHidesTheBirthDate(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	p, err := testpki.PersonaByID("valid")
	if err != nil {
		t.Fatal(err)
	}
	s := idCheckToPIN(t, u, "valid", trust.IDCheckAge, func(s *idCheckScreen) {
		s.ageSel.SetSelectedIndex(0) // 18
		if !s.startBtn.Disabled() {
			t.Fatal("age mode can start without the holder's consent")
		}
		mustShow(t, u, u.t("gui.idcheck.consent.age"))
		s.consent.SetChecked(true)
	})
	idCheckPIN(t, u, s, testpki.AuthPIN)
	if s.rep == nil || s.rep.Outcome != trust.IDConfirmed || s.rep.Age == nil || s.rep.Age.Threshold != 18 {
		t.Fatalf("age: %+v; screen:\n%s", s.rep, screenText(u))
	}
	if s.result.Text != "18歳以上です" {
		t.Fatalf("result %q", s.result.Text)
	}
	b := p.Basic.BirthDate
	all := screenText(u)
	for _, o := range objects(u) {
		if e, ok := o.(*widget.Entry); ok {
			all += "\n" + e.Text
		}
	}
	forms := []string{b, b[:4] + "-" + b[4:6] + "-" + b[6:], b[:4] + "年", b[:4] + "/", p.Basic.Name, p.Basic.Address}
	for _, form := range forms {
		if strings.Contains(all, form) {
			t.Fatalf("%q is on the age check's screen:\n%s", form, all)
		}
	}
	noMissingKeys(t, u, "age check: result")

	// The record saved from the screen: PDF and HTML, without the birth date.
	dir := t.TempDir()
	s.writeRecord(dir, true)
	u.WaitIdle()
	mustShow(t, u, u.t("gui.idcheck.saved", "2", dir))
	names := listDir(t, dir)
	if len(names) != 2 {
		t.Fatalf("record files %v", names)
	}
	for _, n := range names {
		if strings.HasSuffix(n, ".html") {
			b, err := os.ReadFile(filepath.Join(dir, n))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(b), "18") {
				t.Fatalf("the record does not name the threshold:\n%s", b)
			}
			for _, form := range forms {
				if strings.Contains(string(b), form) {
					t.Fatalf("%q is in the age check's record", form)
				}
			}
		}
	}
}

// Address mode: only whether it matches, never the address.
func TestIDCheckAddressMatch(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	p, _ := testpki.PersonaByID("valid")
	pref := string([]rune(p.Basic.Address)[:3])
	s := idCheckToPIN(t, u, "valid", trust.IDCheckAddress, func(s *idCheckScreen) {
		if !s.startBtn.Disabled() {
			t.Fatal("address mode can start without a prefix")
		}
		typeInto(u, &s.prefix.Entry, pref)
		s.consent.SetChecked(true)
	})
	idCheckPIN(t, u, s, testpki.AuthPIN)
	if s.rep == nil || s.rep.Address == nil || !s.rep.Address.Match {
		t.Fatalf("address: %+v", s.rep)
	}
	mustShow(t, u, u.t("idcheck.address.match", pref))
	mustNotShow(t, u, p.Basic.Address)

	tap(t, u, s.nextBtn)
	s = u.idCheckShown(t)
	if s.mode() != trust.IDCheckAddress || s.prefix.Text != pref || s.consent.Checked {
		t.Fatalf("次の方: mode %v prefix %q consent %v", s.mode(), s.prefix.Text, s.consent.Checked)
	}
	s.prefix.SetText("北海道")
	s.consent.SetChecked(true)
	tap(t, u, s.startBtn)
	idCheckPIN(t, u, s, testpki.AuthPIN)
	if s.rep == nil || s.rep.Outcome != trust.IDNotConfirmed || s.rep.Address.Match {
		t.Fatalf("address no match: %+v", s.rep)
	}
	mustShow(t, u, u.t("idcheck.address.no_match", "北海道"))
	mustNotShow(t, u, p.Basic.Address)
}

// 次の方 closes the card and leaves nothing of it in any widget: not the four facts, not
// the card ID or the serial hash.
func TestIDCheckNextPersonWipes(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	p, _ := testpki.PersonaByID("valid")
	s := idCheckToPIN(t, u, "valid", trust.IDCheckIdentity, func(s *idCheckScreen) {
		s.withBasic.SetChecked(true)
		s.consent.SetChecked(true)
	})
	idCheckPIN(t, u, s, testpki.AuthPIN)
	if s.rep == nil || s.rep.BasicInfo == nil {
		t.Fatalf("identity with the four facts: %+v", s.rep)
	}
	mustShow(t, u, p.Basic.Name)
	cardID, serial := s.rep.Certificate.CardID, s.rep.Certificate.SerialSHA256
	mustShow(t, u, cardID)
	old := s
	tap(t, u, s.nextBtn)
	if old.card != nil || old.rep != nil || len(old.body.Objects) != 0 {
		t.Fatalf("the previous check was not wiped: card %v report %v body %d", old.card, old.rep, len(old.body.Objects))
	}
	n := u.idCheckShown(t)
	if n == old || n.card != nil || n.rep != nil || n.consent.Checked {
		t.Fatal("次の方 did not start a new check")
	}
	for _, s := range []string{p.Basic.Name, p.Basic.Address, cardID, serial, u.t("gui.idcheck.next")} {
		mustNotShow(t, u, s)
	}
	if len(passwordEntries(u)) != 0 {
		t.Fatal("a PIN entry after 次の方")
	}
}

// useCheckCard puts the software card of persona, as the identity check sees it
// (softcard.ConfigForCheck), changed by tweak, in the test card's reader.
func useCheckCard(t *testing.T, u *UI, persona string, tweak func(*softcard.Config)) {
	t.Helper()
	p, err := testpki.PersonaByID(persona)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := softcard.ConfigForCheck(p)
	if err != nil {
		t.Fatal(err)
	}
	if tweak != nil {
		tweak(&cfg)
	}
	c, err := softcard.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	src := &testCardSource{id: persona, card: c, kind: card.KindMyNumberCard}
	u.testCard, u.cards = src, src
	u.watch.start(src)
	waitCards(t, u, func(r Readers) bool {
		return r.Known && len(r.Readers) == 1 && r.Readers[0].Present
	})
}

// idCheckStart opens the identity check on the card in the test reader and reads it.
func idCheckStart(t *testing.T, u *UI, mode trust.IDCheckMode) *idCheckScreen {
	t.Helper()
	s := u.startIDCheck()
	s.modeRad.SetSelected(u.t("gui.idcheck.mode." + string(mode)))
	if mode != trust.IDCheckIdentity {
		s.consent.SetChecked(true)
	}
	// The start button waits for the card the reader watch reports (in the background).
	for i := 0; i < 200 && s.startBtn.Disabled(); i++ {
		time.Sleep(25 * time.Millisecond)
		u.WaitIdle()
	}
	tap(t, u, s.startBtn)
	return s
}

// The identity check's personas: blocked → the explanation and no PIN field; expired →
// not confirmed, with the reason.
func TestIDCheckBlockedAndExpired(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	useCheckCard(t, u, "blocked", nil)
	s := idCheckStart(t, u, trust.IDCheckIdentity)
	mustShow(t, u, u.t("gui.pin.auth.blocked_title"))
	mustShow(t, u, u.t("gui.pin.auth.blocked_where"))
	if n := len(passwordEntries(u)); n != 0 || s.card == nil {
		t.Fatalf("blocked: %d PIN entries (card %v)", n, s.card)
	}
	mustNotShow(t, u, u.t("gui.idcheck.check"))

	useCheckCard(t, u, "expired", nil)
	s = idCheckStart(t, u, trust.IDCheckIdentity)
	idCheckPIN(t, u, s, testpki.AuthPIN)
	if s.rep == nil || s.rep.Outcome != trust.IDNotConfirmed || s.rep.Reasons[0].Key != trust.MsgAuthExpired {
		t.Fatalf("expired: %+v", s.rep)
	}
	mustShow(t, u, u.msg(s.rep.Reasons[0]))
	mustShow(t, u, "確認できません")
}

// With one try left of the text PIN (the same digits are sent to it), the check asks the
// last-try confirmation in the text PIN's words before anything is sent.
func TestIDCheckTextPINLastTry(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	useCheckCard(t, u, "valid", func(c *softcard.Config) { c.TextFailures = 2 })
	s := idCheckStart(t, u, trust.IDCheckAge)
	mustShow(t, u, u.t("gui.pin.text.last_try_text"))
	mustShow(t, u, u.t("gui.idcheck.text_same_pin", 1, 3))
	idCheckPIN(t, u, s, testpki.AuthPIN)
	if s.pin == nil || s.pin.confirm == nil || s.rep != nil {
		t.Fatalf("no last-try confirmation; screen:\n%s", screenText(u))
	}
	tap(t, u, s.pin.confirmSend)
	if s.rep == nil || s.rep.Outcome != trust.IDConfirmed || s.rep.Age == nil {
		t.Fatalf("after the confirmation: %+v", s.rep)
	}
	mustShow(t, u, "20歳以上です")
}

// A card taken out at the PIN step ends the check: the notice, no PIN field, the card
// closed.
func TestIDCheckCardTakenOut(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	withTestCard(t, u, "valid")
	s := idCheckStart(t, u, trust.IDCheckIdentity)
	if s.pin == nil {
		t.Fatalf("no PIN step; screen:\n%s", screenText(u))
	}
	u.testCard.remove()
	waitCards(t, u, func(r Readers) bool { return len(r.Readers) == 1 && !r.Readers[0].Present })
	u.WaitIdle()
	mustShow(t, u, u.t("gui.idcheck.removed"))
	if s.card != nil || len(passwordEntries(u)) != 0 || !s.startBtn.Disabled() {
		t.Fatalf("after the card left: card %v, %d PIN entries, start enabled %v", s.card, len(passwordEntries(u)), !s.startBtn.Disabled())
	}
}

// A holder whose text PIN differs: the same digits are refused by the text application
// (its own counter), the clerk starts again and types the text PIN in its own entry.
func TestIDCheckSeparateTextPIN(t *testing.T) {
	u := newTestUI(t, i18n.English)
	useCheckCard(t, u, "valid", func(c *softcard.Config) { c.TextPIN = "5678" })
	s := idCheckStart(t, u, trust.IDCheckAge)
	idCheckPIN(t, u, s, testpki.AuthPIN)
	if s.rep != nil || s.card != nil {
		t.Fatalf("a result with a wrong text PIN: %+v", s.rep)
	}
	mustShow(t, u, u.tn(pinKey(card.TextPIN, "wrong"), 2, 2))
	mustShow(t, u, u.t("gui.idcheck.text_pin_differs"))

	tap(t, u, s.startBtn)
	var other *widget.Check
	for _, o := range objects(u) {
		if c, ok := o.(*widget.Check); ok && c.Text == u.t("gui.idcheck.text_pin_other") {
			other = c
		}
	}
	if other == nil {
		t.Fatalf("no choice of another text PIN; screen:\n%s", screenText(u))
	}
	other.SetChecked(true)
	u.WaitIdle()
	entries := passwordEntries(u)
	if len(entries) != 2 {
		t.Fatalf("want two PIN entries, got %d", len(entries))
	}
	typeInto(u, entries[0], testpki.AuthPIN)
	typeInto(u, entries[1], "56")
	tap(t, u, button(t, u, u.t("gui.idcheck.check")))
	if s.rep != nil || entries[0].Text != testpki.AuthPIN {
		t.Fatalf("sent with a malformed text PIN: %+v", s.rep)
	}
	typeInto(u, entries[1], "78")
	tap(t, u, button(t, u, u.t("gui.idcheck.check")))
	if s.rep == nil || s.rep.Outcome != trust.IDConfirmed || entries[1].Text != "" {
		t.Fatalf("with the text PIN typed apart: %+v; screen:\n%s", s.rep, screenText(u))
	}
}
