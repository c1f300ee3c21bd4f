package app

import (
	"testing"

	"github.com/mynasign/mynasign/app/i18n"
)

// TestEveryScreenIsTranslated opens every screen in Japanese and in English and fails
// on any text that is an unresolved key or a broken format.
func TestEveryScreenIsTranslated(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.Japanese, i18n.English} {
		t.Run(string(lang), func(t *testing.T) {
			u := newTestUI(t, lang)
			check := func(where string) {
				t.Helper()
				u.WaitIdle()
				noMissingKeys(t, u, where)
			}
			check("home")
			u.showTestCard()
			check("test card")
			withTestCard(t, u, "valid")
			u.showHome()
			check("home with the test card")
			mustShow(t, u, u.t("gui.testcard.banner", u.t("gui.persona.valid")))
			u.showSignWizard()
			check("sign: files")
			u.showVerify(nil)
			check("verify")
			u.showCRLs()
			check("CRLs")
			u.showAnchors()
			check("trusted CAs")
			u.showDiagnostics()
			check("diagnostics")
			mustShow(t, u, u.tn("gui.diag.r.pin_left", 5, u.t("gui.diag.pin.1"), 5, 5))
			u.showMyCard()
			check("my card")
			u.showIDCheck()
			check("identity check")
			u.showHome()
		})
	}
}
