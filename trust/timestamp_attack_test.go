package trust

import (
	"crypto/x509"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/mynasign/mynasign/internal/testpki"
)

// anchorPolicy trusts cert (when not nil) as a user anchor for purpose, with crls in the
// CRL store.
func anchorPolicy(t *testing.T, purpose AnchorPurpose, cert *x509.Certificate, crls ...[]byte) *Policy {
	t.Helper()
	dir, crlDir := t.TempDir(), t.TempDir()
	if cert != nil {
		if _, err := OpenAnchorStore(dir).Add(AddOptions{Name: "時刻", Purpose: purpose}, AnchorInput{File: "a.der", Data: cert.Raw}); err != nil {
			t.Fatal(err)
		}
	}
	ts, err := LoadTrustStoreFor(Options{AnchorDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	for _, der := range crls {
		p := filepath.Join(t.TempDir(), "tsa.crl")
		if err := os.WriteFile(p, der, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := OpenStore(crlDir).Import(ts, p); err != nil {
			t.Fatal(err)
		}
	}
	p, err := NewPolicy(Options{AnchorDir: dir, CRLDir: crlDir})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// A time-stamping authority revoked after a token's genTime: the genTime is only what the
// authority claims, so the revocation is not proof against the token (INDETERMINATE
// REVOKED_NO_POE, as for a signer revoked after its claimed signing time); revoked before
// the genTime, it is (TOTAL-FAILED REVOKED). A document time-stamp's entry is a signature
// of the document, so a TOTAL-FAILED here fails the whole document.
func TestCheckTimestamperRevokedAfterToken(t *testing.T) {
	now := time.Now().Truncate(time.Second)
	ca, err := testpki.NewForeignCA("TSA CA", now.AddDate(-3, 0, 0), now.AddDate(5, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	tsa, _, err := ca.IssueTSA("TSA", now.AddDate(-1, 0, 0), now.AddDate(3, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	revokedAt := now.Add(-2 * time.Hour)
	crl, err := ca.CRL(1, now.Add(-time.Hour), now.AddDate(0, 0, 7), revokedAt, "", tsa)
	if err != nil {
		t.Fatal(err)
	}
	p := anchorPolicy(t, PurposeTimestamp, ca.Cert, crl)
	want(t, "token before the revocation", p.CheckTimestamper(tsa, Evidence{}, now.AddDate(0, 0, -10)), Indeterminate, RevokedNoPOE, "")
	want(t, "token after the revocation", p.CheckTimestamper(tsa, Evidence{}, now.Add(-time.Hour)), TotalFailed, Revoked, "")
}

// Validating at a past time (--at) a time-stamped signature with only a CRL issued after
// the certificate expired, which no longer has to list it (RFC 5280 §3.3): that CRL shows
// nothing about a revocation before the expiry (the certificate may have been revoked
// before the time-stamp and dropped from the later CRL), so it must not pass. (Without a
// time-stamp, TestValidityRules still takes such a CRL's word: see the red-team report.)
func TestPastValidationCRLAfterExpiry(t *testing.T) {
	f := newPastFixture(t)
	now := time.Now().Truncate(time.Second)
	day := 24 * time.Hour
	validation := now.Add(-30 * day)
	holder := f.signer("Revoked then expired", now.AddDate(-1, 0, 0), now.Add(-10*day))
	late, err := f.ca.CRL(1, now.Add(-day), now.Add(7*day), now, "")
	if err != nil {
		t.Fatal(err)
	}
	crlDir := t.TempDir()
	ts, err := LoadTrustStoreFor(Options{AnchorDir: f.anchorDir})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "late.crl")
	if err := os.WriteFile(path, late, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenStore(crlDir).Import(ts, path); err != nil {
		t.Fatal(err)
	}
	p, err := NewPolicy(Options{AnchorDir: f.anchorDir, CRLDir: crlDir, At: validation})
	if err != nil {
		t.Fatal(err)
	}
	signed, stamped := now.Add(-41*day), now.Add(-40*day)
	r := p.CheckSignerWith(holder, Evidence{Claimed: &signed, ExistedAt: &stamped})
	want(t, "time-stamped, CRL only after the expiry", r, Indeterminate, TryLater, MsgRevOnlyCRLAfterExpiry)
	if r.Revocation == nil || r.Revocation.Status == RevocationGood {
		t.Errorf("revocation %+v: a CRL issued after the expiry vouched for the certificate", r.Revocation)
	}
}
