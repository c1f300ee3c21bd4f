// Package testpolicy builds trust policies for tests that validate signatures at past
// times: the test trust store with a CRL store holding chosen CRLs only, and optionally a
// time-stamping authority added as a user anchor.
package testpolicy

import (
	"crypto/x509"
	"os"
	"path/filepath"
	"testing"

	"github.com/mynasign/mynasign/trust"
)

// Past returns a test-store policy over a CRL store holding crls only (no built-in CRL),
// trusting tsa (when not nil) for time-stamps as a user-added anchor.
func Past(t testing.TB, tsa *x509.Certificate, crls ...[]byte) *trust.Policy {
	t.Helper()
	anchors, crlDir := t.TempDir(), t.TempDir()
	if tsa != nil {
		if _, err := trust.OpenAnchorStore(anchors).Add(trust.AddOptions{Name: "テスト時刻認証局", Purpose: trust.PurposeTimestamp},
			trust.AnchorInput{File: "tsa.der", Data: tsa.Raw}); err != nil {
			t.Fatal(err)
		}
	}
	ts, err := trust.LoadTrustStoreFor(trust.Options{TrustStore: trust.StoreTest, AnchorDir: anchors})
	if err != nil {
		t.Fatal(err)
	}
	for _, der := range crls {
		p := filepath.Join(t.TempDir(), "past.crl")
		if err := os.WriteFile(p, der, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := trust.OpenStore(crlDir).Import(ts, p); err != nil {
			t.Fatal(err)
		}
	}
	p, err := trust.NewPolicy(trust.Options{TrustStore: trust.StoreTest, AnchorDir: anchors, CRLDir: crlDir, ImportedCRLsOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	return p
}
