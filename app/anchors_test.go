package app

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/widget"

	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/internal/testpki"
	"github.com/mynasign/mynasign/trust"
)

// TestAnchorScreen adds and removes a trusted CA on the 信頼する認証局 screen: a
// certificate that is no CA is refused with nothing stored; a CA is shown with its
// fingerprint for comparison before anything is stored (キャンセル stores nothing), is
// stored with the purpose chosen, is listed, reaches the app's validation policy, and
// is removed after a confirmation.
func TestAnchorScreen(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	dir := t.TempDir()
	now := time.Now()
	ca, err := testpki.NewForeignCA("Test Municipality CA", now.Add(-time.Hour), now.AddDate(5, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	caFile := filepath.Join(dir, "lgpki-ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Cert.Raw}), 0o644); err != nil {
		t.Fatal(err)
	}
	leaf, _, err := ca.Issue("Not a CA", x509.KeyUsageDigitalSignature, false, "", now.Add(-time.Hour), now.AddDate(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	leafFile := filepath.Join(dir, "leaf.cer")
	if err := os.WriteFile(leafFile, leaf.Raw, 0o644); err != nil {
		t.Fatal(err)
	}
	stored := func() []trust.UserAnchor {
		t.Helper()
		l, err := trust.OpenAnchorStore(u.cfg.AnchorDir).List()
		if err != nil {
			t.Fatal(err)
		}
		return l
	}

	a := u.startAnchors()
	u.WaitIdle()
	noMissingKeys(t, u, "trusted CAs")
	mustShow(t, u, u.t("gui.anchor.none"))
	mustShow(t, u, u.t("gui.anchor.builtin_heading"))
	ts, err := trust.LoadTrustStore(trust.StoreProduction)
	if err != nil {
		t.Fatal(err)
	}
	mustShow(t, u, groupFingerprint(trust.Fingerprint(ts.Anchors[0].Cert)))

	// Not a CA: refused, named, nothing stored, no confirmation.
	u.Drop([]string{leafFile})
	u.WaitIdle()
	mustShow(t, u, u.t("gui.anchor.add_failed"))
	if !strings.Contains(screenText(u), "leaf.cer") {
		t.Errorf("the refused file is not named:\n%s", screenText(u))
	}
	if a.confirm != nil || len(stored()) != 0 {
		t.Fatalf("a refused certificate was offered or stored: %v", stored())
	}

	// A CA: the fingerprint is shown first; cancelling stores nothing.
	fp := groupFingerprint(trust.Fingerprint(ca.Cert))
	if strings.Count(fp, "\n") != 3 || len(strings.Fields(fp)) != 32 {
		t.Fatalf("fingerprint not in four groups of eight: %q", fp)
	}
	a.checkPaths([]string{caFile})
	u.WaitIdle()
	if a.confirm == nil {
		t.Fatal("no confirmation before adding")
	}
	mustShow(t, u, u.t("gui.anchor.add_title"))
	mustShow(t, u, fp)
	if u.win.Canvas().Focused() != a.confirmNo {
		t.Error("the safe choice does not have the focus")
	}
	tap(t, u, a.confirmNo)
	u.WaitIdle()
	if len(stored()) != 0 {
		t.Fatalf("cancelling stored something: %v", stored())
	}

	// Confirm, as a signers' CA.
	a.checkPaths([]string{caFile})
	u.WaitIdle()
	a.purpose.SetSelected(u.t("gui.anchor.purpose.signing"))
	tap(t, u, a.confirmOK)
	u.WaitIdle()
	noMissingKeys(t, u, "trusted CA added")
	l := stored()
	if len(l) != 1 || l[0].SHA256 != trust.Fingerprint(ca.Cert) || l[0].Purpose != trust.PurposeSigning {
		t.Fatalf("store after adding: %+v", l)
	}
	mustShow(t, u, u.t("gui.anchor.added", l[0].Name))
	mustShow(t, u, u.t("gui.anchor.source_user", u.fmtDate(l[0].Added)))
	mustNotShow(t, u, u.t("gui.anchor.none"))
	// The app validates with it.
	got, err := trust.LoadTrustStoreFor(u.trustOptions())
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, an := range got.Anchors {
		found = found || (an.User && an.Cert.Equal(ca.Cert))
	}
	if !found {
		t.Fatal("the app's trust store does not hold the added CA")
	}

	// Remove it, after the confirmation.
	var remove *widget.Button
	for _, o := range objects(u) {
		if b, ok := o.(*widget.Button); ok && b.Text == u.t("gui.anchor.remove") {
			remove = b
		}
	}
	if remove == nil {
		t.Fatalf("no remove button:\n%s", screenText(u))
	}
	tap(t, u, remove)
	mustShow(t, u, u.t("gui.anchor.remove_title"))
	if u.win.Canvas().Focused() != a.confirmNo {
		t.Error("the safe choice does not have the focus")
	}
	tap(t, u, a.confirmOK)
	u.WaitIdle()
	mustShow(t, u, u.t("gui.anchor.removed", l[0].Name))
	mustShow(t, u, u.t("gui.anchor.none"))
	if len(stored()) != 0 {
		t.Fatalf("store after removal: %v", stored())
	}
}

// TestAnchorScreenTimestampPurpose: the purpose chosen in the confirmation is the one
// stored.
func TestAnchorScreenTimestampPurpose(t *testing.T) {
	u := newTestUI(t, i18n.English)
	now := time.Now()
	ca, err := testpki.NewForeignCA("Test TSA CA", now.Add(-time.Hour), now.AddDate(5, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "tsa-ca.der")
	if err := os.WriteFile(f, ca.Cert.Raw, 0o644); err != nil {
		t.Fatal(err)
	}
	a := u.startAnchors()
	u.WaitIdle()
	a.checkPaths([]string{f})
	u.WaitIdle()
	a.purpose.SetSelected(u.t("gui.anchor.purpose.timestamp"))
	tap(t, u, a.confirmOK)
	u.WaitIdle()
	noMissingKeys(t, u, "trusted TSA CA added")
	l, err := trust.OpenAnchorStore(u.cfg.AnchorDir).List()
	if err != nil || len(l) != 1 || l[0].Purpose != trust.PurposeTimestamp {
		t.Fatalf("store: %+v, %v", l, err)
	}
	mustShow(t, u, u.t("gui.anchor.purpose.timestamp"))
}
