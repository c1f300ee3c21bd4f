package app

import (
	"path/filepath"
	"testing"

	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/trust"
)

// TestCRLImportAndList imports CRLs through the CRL screen (as a drop): a refused file
// is named and leaves the store unchanged; an accepted one is listed with its issuer,
// dates and freshness; the home screen's freshness follows.
func TestCRLImportAndList(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	crlDir := filepath.Join(repoRoot(t), "testdata", "testpki", "crl")

	// Production trust store: the test CA's CRL is refused, nothing is stored.
	c := u.startCRLs()
	u.WaitIdle()
	mustShow(t, u, u.t("gui.crl.none"))
	u.Drop([]string{filepath.Join(crlDir, "sign-2023-fresh.crl")})
	u.WaitIdle()
	mustShow(t, u, u.t("gui.crl.import_failed"))
	mustShow(t, u, "sign-2023-fresh.crl")
	mustShow(t, u, u.t("gui.crl.none"))

	// Test trust store (the test card): a bad signature is refused, the fresh CRL is
	// imported and listed.
	withTestCard(t, u, "valid")
	c = u.startCRLs()
	u.WaitIdle()
	c.importPaths([]string{filepath.Join(crlDir, "sign-2023-badsig.crl")})
	u.WaitIdle()
	mustShow(t, u, u.t("gui.crl.import_failed"))
	mustShow(t, u, "sign-2023-badsig.crl")
	u.Drop([]string{filepath.Join(crlDir, "sign-2023-fresh.crl")})
	u.WaitIdle()
	noMissingKeys(t, u, "CRL list")
	mustShow(t, u, u.t("gui.crl.imported", 1, 1))
	mustShow(t, u, u.t("gui.crl.fresh"))
	mustShow(t, u, "sign-2023-fresh.crl") // the source of the stored CRL
	ov, err := trust.OpenStore(u.cfg.CRLDir).List()
	if err != nil || len(ov) != 1 {
		t.Fatalf("store after import: %v, %v", ov, err)
	}
	mustShow(t, u, u.fmtTime(ov[0].ThisUpdate))
	mustShow(t, u, u.fmtTime(*ov[0].NextUpdate))

	// A stale CRL is shown as out of date: import the stale one into a store of its own.
	u.cfg.CRLDir = t.TempDir()
	c = u.startCRLs()
	c.importPaths([]string{filepath.Join(crlDir, "sign-2023-stale.crl")})
	u.WaitIdle()
	mustShow(t, u, u.t("gui.crl.stale"))
	u.showHome()
	u.WaitIdle()
	mustShow(t, u, u.t("gui.crl.summary_stale", 1))
}
