package trust

import (
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/crypto/ocsp"

	"github.com/mynasign/mynasign/internal/testpki"
)

// An OCSP "good" answer produced after the certificate expired says nothing about a
// revocation before the expiry (a CA need not keep the status of expired certificates,
// RFC 6960 §4.4.4 archiveCutoff), as a CRL issued after the expiry need not list it: with a
// proof of existence before the expiry and no CRL of that period, the signature stays
// INDETERMINATE, not TOTAL-PASSED.
func TestPastValidationOCSPAfterExpiry(t *testing.T) {
	exp := persona(t, "expired").SignCert
	ca, err := testpki.CACert("sign-ca-2019")
	if err != nil {
		t.Fatal(err)
	}
	caKey, err := testpki.CAKey("sign-ca-2019")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	if !now.After(exp.NotAfter) {
		t.Fatalf("the expired persona is valid until %v", exp.NotAfter)
	}
	der, err := ocsp.CreateResponse(ca, ca, ocsp.Response{Status: ocsp.Good, SerialNumber: exp.SerialNumber,
		ThisUpdate: now.Add(-time.Minute), NextUpdate: now.Add(24 * time.Hour)}, caKey)
	if err != nil {
		t.Fatal(err)
	}
	p := policyOn(t, testStoreNoBuiltin(t), filepath.Join(t.TempDir(), "crl"), now)
	poe := exp.NotAfter.Add(-30 * 24 * time.Hour)
	r := p.CheckSignerWith(exp, Evidence{ExistedAt: &poe, OCSPs: [][]byte{der}})
	if r.Indication == TotalPassed || r.Revocation == nil || r.Revocation.Status == RevocationGood {
		t.Errorf("OCSP good after the expiry: %s/%s %s, revocation %+v", r.Indication, r.SubIndication, r.Summary.Key, r.Revocation)
	}
}
