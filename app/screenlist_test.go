package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/mynasign/mynasign/internal/testpki"
	"github.com/mynasign/mynasign/pdf"
)

// shownScreen is one screen of the app, as a test opens it: show brings it up on u
// (after the screens before it in the list; some need the test card they chose).
type shownScreen struct {
	name string
	// main screens are also photographed under Xvfb (TestXvfbScreenshots).
	main bool
	show func(u *UI, files []string) error
}

// allScreens lists every screen of the app in the order a test opens them: the screens
// of TestEveryScreenIsTranslated, and the verification screen with results in its
// table: files are the files it verifies (verifyTestFiles).
var allScreens = []shownScreen{
	{"home", true, func(u *UI, _ []string) error { u.showHome(); return nil }},
	{"testcard", false, func(u *UI, _ []string) error { u.showTestCard(); return nil }},
	{"home-testcard", false, func(u *UI, _ []string) error {
		if err := u.useTestCard("valid"); err != nil {
			return err
		}
		u.showHome()
		return nil
	}},
	{"sign", true, func(u *UI, _ []string) error { u.showSignWizard(); return nil }},
	{"verify", false, func(u *UI, _ []string) error { u.showVerify(nil); return nil }},
	{"verify-result", true, func(u *UI, files []string) error { u.showVerify(files); return nil }},
	{"crl", false, func(u *UI, _ []string) error { u.showCRLs(); return nil }},
	{"anchors", false, func(u *UI, _ []string) error { u.showAnchors(); return nil }},
	{"diagnostics", true, func(u *UI, _ []string) error { u.showDiagnostics(); return nil }},
	{"mycard", false, func(u *UI, _ []string) error { u.showMyCard(); return nil }},
	{"idcheck", true, func(u *UI, _ []string) error { u.showIDCheck(); return nil }},
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
