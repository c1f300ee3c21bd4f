package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/mynasign/mynasign/internal/testpki"
	"github.com/mynasign/mynasign/pdf"
	"github.com/mynasign/mynasign/trust"
)

// shownScreen is one screen of the app, as a test opens it: after the screens before it
// in everyScreen (some go on from the one before), its steps are run one by one on
// Fyne's thread, the work each one starts ending before the next.
type shownScreen struct {
	name  string
	xvfb  xvfbUse
	steps []screenStep
}

// xvfbUse is what TestXvfbScreenshots, which has time for a few screens only, does
// with a screen.
type xvfbUse int

const (
	xvfbSkip  xvfbUse = iota // not opened
	xvfbOpen                 // opened: a screen after it needs it
	xvfbShoot                // opened and photographed
)

// screenStep is one action towards a screen; it returns errNotReady when the screen
// before is not ready for it yet (a card being read), to be run again a little later.
type screenStep func(u *UI, files []string) error

// errNotReady: the step cannot be taken yet.
var errNotReady = errors.New("not ready yet")

// screenStepTries is how many times a step that is not ready is tried.
const screenStepTries = 100

// everyScreen lists every screen of the app in the order a test opens them: the
// screens of TestEveryScreenIsTranslated, each step of the signing wizard up to its
// result, the verification screen with results (files are what it verifies, made by
// verifyTestFiles; the second is also what the wizard signs) and their details, my card
// with both certificates and the four facts, the identity check's modes and results,
// and an error dialog. The test card (valid persona) is used from home-testcard on.
func everyScreen() []shownScreen {
	var w *signWizard
	var id *idCheckScreen
	var m *myCardScreen
	one := func(f func(u *UI, files []string)) []screenStep {
		return []screenStep{func(u *UI, files []string) error { f(u, files); return nil }}
	}
	typePIN := func(what string, p func() *pinPrompt, pin string) screenStep {
		return func(*UI, []string) error {
			if p() == nil || p().entry == nil || !p().entry.Visible() {
				return fmt.Errorf("%s: %w", what, errNotReady)
			}
			p().entry.SetText(pin)
			p().submitTapped()
			return nil
		}
	}
	press := func(what string, b func() *pushButton) screenStep {
		return func(*UI, []string) error {
			if b() == nil || !b().Visible() || b().Disabled() {
				return fmt.Errorf("%s: %w", what, errNotReady)
			}
			b().press()
			return nil
		}
	}
	return []shownScreen{
		{"home", xvfbShoot, one(func(u *UI, _ []string) { u.showHome() })},
		{"testcard", xvfbSkip, one(func(u *UI, _ []string) { u.showTestCard() })},
		{"home-testcard", xvfbOpen, []screenStep{
			func(u *UI, _ []string) error { return u.useTestCard("valid") },
			func(u *UI, _ []string) error {
				u.watch.mu.Lock()
				r := u.watch.shown
				u.watch.mu.Unlock()
				if !r.Known || len(r.Readers) != 1 {
					return fmt.Errorf("the test card's reader: %w", errNotReady)
				}
				u.showHome()
				return nil
			},
		}},
		{"sign", xvfbOpen, one(func(u *UI, _ []string) { w = u.startSignWizard(nil) })},
		{"sign-files", xvfbOpen, one(func(u *UI, files []string) { u.Drop(files[1:]) })},
		{"sign-profile", xvfbShoot, []screenStep{
			press("次へ", func() *pushButton { return w.nextBtn }),
			func(u *UI, _ []string) error {
				w.profileRad.SetSelected(u.t("gui.profile.pades"))
				return nil
			},
		}},
		{"sign-card", xvfbSkip, []screenStep{press("次へ", func() *pushButton { return w.nextBtn })}},
		{"sign-pin", xvfbSkip, []screenStep{press("次へ", func() *pushButton { return w.nextBtn })}},
		{"sign-disclose", xvfbSkip, []screenStep{typePIN("署名用パスワード", func() *pinPrompt { return w.pin }, testpki.SignPassword)}},
		{"sign-save", xvfbSkip, []screenStep{press("署名する", func() *pushButton { return w.signBtn })}},
		{"sign-result", xvfbSkip, []screenStep{press("保存する", func() *pushButton { return w.saveBtn })}},
		{"verify", xvfbSkip, one(func(u *UI, _ []string) { u.showVerify(nil) })},
		{"verify-result", xvfbShoot, one(func(u *UI, files []string) { u.showVerify(files) })},
		{"verify-details", xvfbSkip, []screenStep{func(u *UI, _ []string) error {
			if len(u.verified) == 0 {
				return fmt.Errorf("the verification's results: %w", errNotReady)
			}
			u.showReportDetails(u.verified[len(u.verified)-1], func() { u.showVerify(nil) })
			return nil
		}}},
		{"crl", xvfbSkip, one(func(u *UI, _ []string) { u.showCRLs() })},
		{"anchors", xvfbSkip, one(func(u *UI, _ []string) { u.showAnchors() })},
		{"diagnostics", xvfbSkip, one(func(u *UI, _ []string) { u.showDiagnostics() })},
		{"mycard", xvfbSkip, one(func(u *UI, _ []string) { m = u.startMyCard() })},
		{"mycard-open", xvfbSkip, []screenStep{press("カードを開く", func() *pushButton { return m.openBtn })}},
		{"mycard-sign", xvfbSkip, []screenStep{
			press("署名用証明書を表示", func() *pushButton { return m.signBtn }),
			typePIN("署名用パスワード", func() *pinPrompt { return m.pin }, testpki.SignPassword),
		}},
		{"mycard-basic", xvfbSkip, []screenStep{
			press("基本4情報を表示", func() *pushButton { return m.basicBtn }),
			typePIN("暗証番号", func() *pinPrompt { return m.pin }, testpki.TextPIN),
		}},
		{"idcheck", xvfbOpen, one(func(u *UI, _ []string) { id = u.startIDCheck() })},
		{"idcheck-result", xvfbShoot, []screenStep{
			press("読み取る", func() *pushButton { return id.startBtn }),
			typePIN("暗証番号", func() *pinPrompt { return id.pin }, testpki.AuthPIN),
			func(*UI, []string) error {
				if id.result == nil {
					return fmt.Errorf("the result: %w", errNotReady)
				}
				return nil
			},
		}},
		{"idcheck-age", xvfbSkip, one(func(u *UI, _ []string) {
			id = u.startIDCheck()
			id.modeRad.SetSelected(u.t("gui.idcheck.mode." + string(trust.IDCheckAge)))
		})},
		{"idcheck-address", xvfbSkip, one(func(u *UI, _ []string) {
			id.modeRad.SetSelected(u.t("gui.idcheck.mode." + string(trust.IDCheckAddress)))
		})},
		{"idcheck-basic-result", xvfbSkip, []screenStep{
			func(u *UI, _ []string) error {
				id.modeRad.SetSelected(u.t("gui.idcheck.mode." + string(trust.IDCheckIdentity)))
				id.withBasic.SetChecked(true)
				id.consent.SetChecked(true)
				return nil
			},
			press("読み取る", func() *pushButton { return id.startBtn }),
			typePIN("暗証番号", func() *pinPrompt { return id.pin }, testpki.AuthPIN),
			func(*UI, []string) error {
				if id.result == nil {
					return fmt.Errorf("the result: %w", errNotReady)
				}
				return nil
			},
		}},
		{"error-dialog", xvfbSkip, one(func(u *UI, files []string) {
			u.showError(u.t("gui.testcard.failed"), fmt.Errorf("reading %s: %w", files[0], os.ErrPermission))
		})},
	}
}

// verifyTestFiles writes into dir a small PDF signed (PAdES) by the valid test persona
// and the same PDF unsigned, and returns their paths: a result without a reason and
// one with.
func verifyTestFiles(dir string) ([]string, error) {
	p, err := testpki.PersonaByID("valid")
	if err != nil {
		return nil, err
	}
	in, out := filepath.Join(dir, "見積書_unsigned.pdf"), filepath.Join(dir, "契約書_signed.pdf")
	if err := os.WriteFile(in, minimalPDF("a"), 0o644); err != nil {
		return nil, fmt.Errorf("writing the sample PDF: %w", err)
	}
	if _, err := pdf.SignFile(context.Background(), in, out, pdf.SignOptions{Profile: pdf.PAdES, Signer: p.SignKey, Certificate: p.SignCert}); err != nil {
		return nil, fmt.Errorf("signing the sample PDF: %w", err)
	}
	return []string{out, in}, nil
}

// open runs the steps of s: each through run (on Fyne's thread), then settle (until
// the work it started has ended); a step that is not ready is tried again.
func (s shownScreen) open(u *UI, files []string, run func(func()), settle func() error) error {
	for _, step := range s.steps {
		for try := 1; ; try++ {
			var err error
			run(func() { err = step(u, files) })
			if serr := settle(); serr != nil {
				return fmt.Errorf("%s: %w", s.name, serr)
			}
			if errors.Is(err, errNotReady) && try < screenStepTries {
				time.Sleep(50 * time.Millisecond)
				continue
			}
			if err != nil {
				return fmt.Errorf("%s: %w", s.name, err)
			}
			break
		}
	}
	return nil
}
