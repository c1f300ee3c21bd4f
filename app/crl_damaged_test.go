package app

import (
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/widget"

	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/trust"
)

// TestCRLDamagedIndex: a stored CRL whose index file cannot be read does not hide the
// others. The CRL screen lists it as unreadable with its ID, what is wrong and a remove
// button; the home screen counts it; removing it works and the list follows.
func TestCRLDamagedIndex(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	withTestCard(t, u, "valid")
	crlDir := filepath.Join(repoRoot(t), "internal", "testpki", "crl")
	c := u.startCRLs()
	u.WaitIdle()
	c.importPaths([]string{filepath.Join(crlDir, "sign-2023-fresh.crl"), filepath.Join(crlDir, "auth-2023-fresh.crl")})
	u.WaitIdle()
	stored, err := trust.OpenStore(u.cfg.CRLDir).List()
	if err != nil || len(stored) != 2 {
		t.Fatalf("store after import: %+v, %v", stored, err)
	}
	// The authentication CRL (listed second) gets a garbage index.
	authID := stored[1].ID
	if err := os.WriteFile(filepath.Join(u.cfg.CRLDir, authID+".crlidx"), []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}

	u.showHome()
	u.WaitIdle()
	mustShow(t, u, u.tn("gui.crl.summary_damaged", 1, 1))
	mustNotShow(t, u, u.t("gui.crl.store_error", ""))

	c = u.startCRLs()
	u.WaitIdle()
	noMissingKeys(t, u, "CRL list with a damaged index")
	mustShow(t, u, u.t("gui.crl.damaged"))
	mustShow(t, u, authID)
	mustShow(t, u, "sign-2023-fresh.crl") // the readable one is still listed
	mustNotShow(t, u, u.cfg.CRLDir+string(filepath.Separator)+authID)
	removeButtons := func() []*widget.Button {
		var out []*widget.Button
		for _, o := range objects(u) {
			if b, ok := o.(*widget.Button); ok && b.Text == u.t("gui.crl.remove") {
				out = append(out, b)
			}
		}
		return out
	}
	btns := removeButtons()
	if len(btns) != 2 {
		t.Fatalf("%d remove buttons for 2 stored CRLs; screen:\n%s", len(btns), screenText(u))
	}

	// The unreadable one is listed first; the confirmation names its ID.
	tap(t, u, btns[0])
	if c.confirm == nil {
		t.Fatal("no confirmation before removing")
	}
	mustShow(t, u, u.t("gui.crl.remove_title"))
	tap(t, u, button(t, u, u.t("gui.crl.remove_confirm")))
	noMissingKeys(t, u, "removal of a damaged CRL")
	mustShow(t, u, u.t("gui.crl.removed_damaged", authID))
	left, err := trust.OpenStore(u.cfg.CRLDir).List()
	if err != nil || len(left) != 1 || left[0].ID != stored[0].ID || left[0].Problem != nil {
		t.Fatalf("store after removal: %+v, %v", left, err)
	}
	mustNotShow(t, u, u.t("gui.crl.damaged"))
	if n := len(removeButtons()); n != 1 {
		t.Errorf("%d remove buttons after the removal, want 1", n)
	}
}
