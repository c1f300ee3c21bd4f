package app

import (
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/widget"

	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/trust"
)

// TestCRLImportAndList imports CRLs through the CRL screen (as a drop): a refused file
// is named and leaves the store unchanged; an accepted one is listed with its issuer,
// dates and freshness; the home screen's freshness follows.
func TestCRLImportAndList(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	crlDir := filepath.Join(repoRoot(t), "internal", "testpki", "crl")

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
	mustShow(t, u, u.tn("gui.crl.imported", 1, 1, 1))
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
	mustShow(t, u, u.tn("gui.crl.summary_stale", 1, 1))
}

// TestCRLRemove removes a stored CRL from the CRL screen: each stored CRL has a remove
// button (the built-in test CRLs have none); the confirmation names the CRL, キャンセル
// keeps it, 削除する removes exactly that one and the list follows.
func TestCRLRemove(t *testing.T) {
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
	removeButtons := func() []*widget.Button {
		var out []*widget.Button
		for _, o := range objects(u) {
			if b, ok := o.(*widget.Button); ok && b.Text == u.t("gui.crl.remove") {
				out = append(out, b)
			}
		}
		return out
	}
	listText := func() string {
		var s []string
		for _, o := range c.list.Objects {
			for _, x := range objectsUnder(o) {
				switch l := x.(type) {
				case *widget.Label:
					s = append(s, l.Text)
				case *textBlock:
					s = append(s, l.Text)
				}
			}
		}
		return strings.Join(s, "\n")
	}
	// The built-in test CRLs are listed too, without a button.
	mustShow(t, u, u.t("gui.crl.builtin"))
	btns := removeButtons()
	if len(btns) != 2 {
		t.Fatalf("%d remove buttons for 2 stored CRLs; screen:\n%s", len(btns), screenText(u))
	}
	if !strings.Contains(listText(), "auth-2023-fresh.crl") {
		t.Fatalf("the authentication CRL is not listed:\n%s", listText())
	}

	// The second stored CRL is the authentication one (signature CRLs first). Cancel first.
	tap(t, u, btns[1])
	if c.confirm == nil {
		t.Fatal("no confirmation before removing")
	}
	mustShow(t, u, u.t("gui.crl.remove_title"))
	mustShow(t, u, u.t("gui.crl.remove_text"))
	if u.win.Canvas().Focused() != c.confirmBack {
		t.Error("the safe choice does not have the focus")
	}
	tap(t, u, c.confirmBack)
	if l, _ := trust.OpenStore(u.cfg.CRLDir).List(); len(l) != 2 {
		t.Fatalf("cancelling removed something: %+v", l)
	}
	mustNotShow(t, u, u.t("gui.crl.remove_title"))

	// Now confirm.
	tap(t, u, removeButtons()[1])
	tap(t, u, button(t, u, u.t("gui.crl.remove_confirm")))
	noMissingKeys(t, u, "CRL removal")
	mustShow(t, u, u.t("gui.crl.removed", "auth-2023-fresh.crl"))
	left, err := trust.OpenStore(u.cfg.CRLDir).List()
	if err != nil || len(left) != 1 || left[0].File != "sign-2023-fresh.crl" || left[0].ID != stored[0].ID {
		t.Fatalf("store after removal: %+v, %v", left, err)
	}
	if n := len(removeButtons()); n != 1 {
		t.Errorf("%d remove buttons after the removal, want 1", n)
	}
	if lt := listText(); strings.Contains(lt, "auth-2023-fresh.crl") || !strings.Contains(lt, "sign-2023-fresh.crl") {
		t.Errorf("the list did not follow the removal:\n%s", lt)
	}

	// A CRL removed meanwhile (another window, the CLI): the removal says so.
	if _, err := trust.OpenStore(u.cfg.CRLDir).Remove(left[0].ID); err != nil {
		t.Fatal(err)
	}
	tap(t, u, removeButtons()[0])
	tap(t, u, button(t, u, u.t("gui.crl.remove_confirm")))
	mustShow(t, u, u.t("gui.crl.remove_failed"))
	mustShow(t, u, u.t("gui.crl.remove_unknown"))
	if n := len(removeButtons()); n != 0 {
		t.Errorf("%d remove buttons for an empty store", n)
	}
}
