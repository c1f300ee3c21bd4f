package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/card"
	"github.com/mynasign/mynasign/card/softcard/pcscdtest"
	"github.com/mynasign/mynasign/internal/testpki"
)

// TestRealPCSCStack runs the app on the real PC/SC stack (a private pcscd with the vpcd
// reader and the software card attached over it): the home status follows the card
// being taken out and put back and the service stopping and starting, from PC/SC events;
// the diagnostics read the tries left; a PDF is signed through the wizard on the reader.
func TestRealPCSCStack(t *testing.T) {
	if testing.Short() {
		t.Skip("starts pcscd")
	}
	st := pcscdtest.Start(t, pcscdtest.Options{Persona: "valid"})
	u := newTestUIWith(t, i18n.Japanese, nil) // the real card service

	line := func(reader, stateKey string) string {
		return u.t("gui.status.reader_line", reader, u.t(stateKey))
	}
	cardIn := func(r Readers) bool {
		for _, rd := range r.Readers {
			if rd.Name == st.Reader && rd.Present && rd.Kind == card.KindMyNumberCard {
				return true
			}
		}
		return false
	}
	waitCards(t, u, cardIn)
	u.WaitIdle()
	mustShow(t, u, line(st.Reader, "gui.status.mynumber_card"))
	mustShow(t, u, line(st.SpareReader, "gui.status.no_card"))

	st.Card.Remove()
	waitCards(t, u, func(r Readers) bool { return r.Known && !cardIn(r) && len(r.Readers) == 2 })
	mustShow(t, u, line(st.Reader, "gui.status.no_card"))
	st.Card.Insert()
	waitCards(t, u, cardIn)
	mustShow(t, u, line(st.Reader, "gui.status.mynumber_card"))

	st.StopDaemon()
	waitCards(t, u, func(r Readers) bool { return r.Err != nil })
	mustShow(t, u, u.t("gui.status.no_service"))
	st.StartDaemon()
	waitCards(t, u, cardIn)
	mustShow(t, u, line(st.Reader, "gui.status.mynumber_card"))

	u.showDiagnostics()
	u.WaitIdle()
	mustShow(t, u, u.t("gui.diag.r.service_ok"))
	mustShow(t, u, u.tn("gui.diag.r.pin_left", 5, u.t("gui.diag.pin.1"), 5, 5))
	mustShow(t, u, u.t("gui.diag.r.kind", u.t("gui.kind.mynumber"), card.LabelMyNumberCard))
	if !strings.Contains(screenText(u), "3BE000FF8131FE4514") {
		t.Errorf("the diagnostics do not show the card's ATR:\n%s", screenText(u))
	}

	// Sign through the reader.
	dir := t.TempDir()
	in := filepath.Join(dir, "申請書.pdf")
	os.WriteFile(in, minimalPDF("pcsc"), 0o644)
	u.showHome()
	w := u.startSignWizard([]string{in})
	tap(t, u, w.nextBtn)
	tap(t, u, w.nextBtn)
	if w.readerRad.Selected != st.Reader {
		t.Fatalf("the reader with the card is not chosen: %q of %v", w.readerRad.Selected, w.readerRad.Options)
	}
	tap(t, u, w.nextBtn)
	enterPIN(t, u, w, testpki.SignPassword)
	signAndSave(t, u, w, dir)
	rep := checkSaved(t, filepath.Join(dir, "申請書-signed.pdf"))
	if !rep.Signatures[0].Signer.Test {
		t.Error("the software card's signature is not marked as a test")
	}
	if st.Card.Stats().VerifySign != 1 {
		t.Errorf("%d VERIFYs with data, want 1", st.Card.Stats().VerifySign)
	}
}
