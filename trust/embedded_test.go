package trust

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/crypto/ocsp"

	"github.com/mynasign/mynasign/internal/testpki"
)

// hasWarning reports whether r carries a warning with key.
func hasWarning(r *SignerResult, key string) bool {
	for _, w := range r.Warnings {
		if w.Key == key {
			return true
		}
	}
	return false
}

// An embedded CRL gives the same verdict with an empty CRL store as the store does, and
// the report says where the status came from.
func TestEmbeddedCRLWithEmptyStore(t *testing.T) {
	ts := testStoreNoBuiltin(t)
	empty := policyOn(t, ts, filepath.Join(t.TempDir(), "crl"), time.Now())
	fresh, err := testpki.CRL(testpki.CRLSignFresh)
	if err != nil {
		t.Fatal(err)
	}
	stocked := filepath.Join(t.TempDir(), "crl")
	if _, err := OpenStore(stocked).Import(ts, writeCommittedCRL(t, t.TempDir(), testpki.CRLSignFresh)); err != nil {
		t.Fatal(err)
	}
	store := policyOn(t, ts, stocked, time.Now())

	for _, id := range []string{"valid", "revoked"} {
		cert := persona(t, id).SignCert
		viaStore := store.CheckSigner(cert, nil, nil)
		viaDoc := empty.CheckSignerWith(cert, Evidence{CRLs: [][]byte{fresh}})
		if viaDoc.Indication != viaStore.Indication || viaDoc.SubIndication != viaStore.SubIndication ||
			viaDoc.Revocation.Status != viaStore.Revocation.Status {
			t.Errorf("%s: embedded %s/%s/%s, store %s/%s/%s", id, viaDoc.Indication, viaDoc.SubIndication, viaDoc.Revocation.Status,
				viaStore.Indication, viaStore.SubIndication, viaStore.Revocation.Status)
		}
		if viaDoc.Revocation.Source != RevocationSourceEmbedded || viaStore.Revocation.Source != RevocationSourceStore {
			t.Errorf("%s: sources %q and %q", id, viaDoc.Revocation.Source, viaStore.Revocation.Source)
		}
		if !viaDoc.EmbeddedValidationData || viaStore.EmbeddedValidationData {
			t.Errorf("%s: embedded validation data %v (document), %v (store only)", id, viaDoc.EmbeddedValidationData, viaStore.EmbeddedValidationData)
		}
	}
	if r := empty.CheckSignerWith(persona(t, "revoked").SignCert, Evidence{CRLs: [][]byte{fresh}}); r.SubIndication != Revoked {
		t.Errorf("revoked persona with its CRL embedded: %s/%s", r.Indication, r.SubIndication)
	}
	if r := empty.CheckSignerWith(persona(t, "valid").SignCert, Evidence{}); r.SubIndication != TryLater || r.EmbeddedValidationData {
		t.Errorf("nothing embedded, empty store: %s/%s", r.Indication, r.SubIndication)
	}
}

// A forged embedded CRL (bad signature) and one from a key no CA of the path has are not
// used; the forged one is reported.
func TestEmbeddedCRLForged(t *testing.T) {
	ts := testStoreNoBuiltin(t)
	p := policyOn(t, ts, filepath.Join(t.TempDir(), "crl"), time.Now())
	for _, tc := range []struct {
		crl  string
		warn bool
	}{{testpki.CRLSignBadSig, true}, {testpki.CRLImpostorUnknown, false}} {
		der, err := testpki.CRL(tc.crl)
		if err != nil {
			t.Fatal(err)
		}
		r := p.CheckSignerWith(persona(t, "revoked").SignCert, Evidence{CRLs: [][]byte{der}})
		if r.Indication != Indeterminate || r.SubIndication != TryLater || r.Revocation.Status != RevocationUnknown {
			t.Errorf("%s: %s/%s %+v", tc.crl, r.Indication, r.SubIndication, r.Revocation)
		}
		if got := hasWarning(r, MsgRevEmbeddedCRLBadSignature); got != tc.warn {
			t.Errorf("%s: bad-signature warning %v, want %v (%v)", tc.crl, got, tc.warn, r.Warnings)
		}
	}
	// Garbage is not used either, with a warning.
	r := p.CheckSignerWith(persona(t, "valid").SignCert, Evidence{CRLs: [][]byte{[]byte("not a CRL")}})
	if r.SubIndication != TryLater || !hasWarning(r, MsgRevEmbeddedCRLUnusable) {
		t.Errorf("garbage CRL: %s/%s %v", r.Indication, r.SubIndication, r.Warnings)
	}
}

// An embedded CRL older than the store's: the store's decides, both ways round. A CRL
// dated after the validation time is not used.
func TestEmbeddedCRLOlderThanStore(t *testing.T) {
	ts := testStoreNoBuiltin(t)
	now := time.Now().UTC().Truncate(time.Second)
	revoked := persona(t, "revoked").SignCert
	listing := []x509.RevocationListEntry{{SerialNumber: revoked.SerialNumber, RevocationTime: now.Add(-48 * time.Hour), ReasonCode: 3}}
	older := makeCRL(t, "sign-ca-2023", 7, now.Add(-72*time.Hour), now.Add(72*time.Hour), nil, nil)
	newer := makeCRL(t, "sign-ca-2023", 8, now.Add(-time.Hour), now.Add(72*time.Hour), listing, nil)

	dir := filepath.Join(t.TempDir(), "crl")
	src := filepath.Join(t.TempDir(), "newer.crl")
	writeFile(t, src, newer)
	if _, err := OpenStore(dir).Import(ts, src); err != nil {
		t.Fatal(err)
	}
	p := policyOn(t, ts, dir, now)
	r := p.CheckSignerWith(revoked, Evidence{CRLs: [][]byte{older}})
	if r.SubIndication != Revoked || r.Revocation.Source != RevocationSourceStore || r.Revocation.CRLNumber != "8" {
		t.Errorf("older embedded, newer store revokes: %s/%s %+v", r.Indication, r.SubIndication, r.Revocation)
	}
	if !r.EmbeddedValidationData {
		t.Errorf("the older embedded CRL verified and covers the signer: EmbeddedValidationData should be set")
	}

	// The other way: the store's CRL is older and says nothing; the newer embedded one revokes.
	dir2 := filepath.Join(t.TempDir(), "crl")
	src2 := filepath.Join(t.TempDir(), "older.crl")
	writeFile(t, src2, older)
	if _, err := OpenStore(dir2).Import(ts, src2); err != nil {
		t.Fatal(err)
	}
	p2 := policyOn(t, ts, dir2, now)
	r = p2.CheckSignerWith(revoked, Evidence{CRLs: [][]byte{newer}})
	if r.SubIndication != Revoked || r.Revocation.Source != RevocationSourceEmbedded || r.Revocation.CRLNumber != "8" {
		t.Errorf("newer embedded revokes, older store: %s/%s %+v", r.Indication, r.SubIndication, r.Revocation)
	}
	// Validated before the newer CRL was issued: it is not in date, the older one decides.
	p3 := policyOn(t, ts, filepath.Join(t.TempDir(), "crl"), now.Add(-24*time.Hour))
	r = p3.CheckSignerWith(revoked, Evidence{CRLs: [][]byte{newer, older}})
	if r.Indication != TotalPassed || r.Revocation.CRLNumber != "7" || !hasWarning(r, MsgRevEmbeddedCRLUnusable) {
		t.Errorf("at a time before the newer CRL: %s/%s %+v %v", r.Indication, r.SubIndication, r.Revocation, r.Warnings)
	}
}

// ocspFixture is a test CA with a delegated OCSP responder.
type ocspFixture struct {
	ca        *x509.Certificate
	caKey     *rsa.PrivateKey
	responder *x509.Certificate
	respKey   *rsa.PrivateKey
}

// newOCSPFixture issues a responder certificate from the 2023 test signature CA, with or
// without id-kp-OCSPSigning.
func newOCSPFixture(t *testing.T, ocspSigning bool) *ocspFixture {
	t.Helper()
	ca, err := testpki.CACert("sign-ca-2023")
	if err != nil {
		t.Fatal(err)
	}
	caKey, err := testpki.CAKey("sign-ca-2023")
	if err != nil {
		t.Fatal(err)
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: "OCSP responder (TEST)"},
		NotBefore:    time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature,
	}
	if ocspSigning {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageOCSPSigning}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	rc, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &ocspFixture{ca: ca, caKey: caKey, responder: rc, respKey: key}
}

// response makes an OCSP response about cert, signed by the CA (delegated false) or the
// responder.
func (f *ocspFixture) response(t *testing.T, cert *x509.Certificate, status int, revokedAt time.Time, delegated bool) []byte {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Second)
	tmpl := ocsp.Response{Status: status, SerialNumber: cert.SerialNumber, ThisUpdate: now.Add(-time.Minute),
		NextUpdate: now.Add(24 * time.Hour), RevokedAt: revokedAt, RevocationReason: ocsp.AffiliationChanged}
	var der []byte
	var err error
	if delegated {
		tmpl.Certificate = f.responder
		der, err = ocsp.CreateResponse(f.ca, f.responder, tmpl, f.respKey)
	} else {
		der, err = ocsp.CreateResponse(f.ca, f.ca, tmpl, f.caKey)
	}
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// Embedded OCSP responses: from the CA or an authorised responder they decide when no
// CRL does; a responder without id-kp-OCSPSigning is not authorised.
func TestEmbeddedOCSP(t *testing.T) {
	ts := testStoreNoBuiltin(t)
	p := policyOn(t, ts, filepath.Join(t.TempDir(), "crl"), time.Now())
	valid, revoked := persona(t, "valid").SignCert, persona(t, "revoked").SignCert
	good := newOCSPFixture(t, true)
	for _, delegated := range []bool{false, true} {
		r := p.CheckSignerWith(valid, Evidence{OCSPs: [][]byte{good.response(t, valid, ocsp.Good, time.Time{}, delegated)}})
		if r.Indication != TotalPassed || r.Revocation.Source != RevocationSourceOCSP || !r.EmbeddedValidationData {
			t.Errorf("good (delegated %v): %s/%s %+v %v", delegated, r.Indication, r.SubIndication, r.Revocation, r.Summary)
		}
		at := time.Now().Add(-48 * time.Hour).UTC().Truncate(time.Second)
		r = p.CheckSignerWith(revoked, Evidence{OCSPs: [][]byte{good.response(t, revoked, ocsp.Revoked, at, delegated)}})
		if r.SubIndication != Revoked || r.Revocation.Source != RevocationSourceOCSP || r.Revocation.RevokedAt == nil || !r.Revocation.RevokedAt.Equal(at) {
			t.Errorf("revoked (delegated %v): %s/%s %+v", delegated, r.Indication, r.SubIndication, r.Revocation)
		}
	}
	// A response about another certificate says nothing about this one.
	r := p.CheckSignerWith(valid, Evidence{OCSPs: [][]byte{good.response(t, revoked, ocsp.Good, time.Time{}, false)}})
	if r.SubIndication != TryLater {
		t.Errorf("response about another certificate: %s/%s", r.Indication, r.SubIndication)
	}
	// Not authorised: a responder certificate without id-kp-OCSPSigning.
	bad := newOCSPFixture(t, false)
	r = p.CheckSignerWith(valid, Evidence{OCSPs: [][]byte{bad.response(t, valid, ocsp.Good, time.Time{}, true)}})
	if r.SubIndication != TryLater || !hasWarning(r, MsgRevEmbeddedOCSPUnauthorised) {
		t.Errorf("unauthorised responder: %s/%s %v", r.Indication, r.SubIndication, r.Warnings)
	}
	// A good OCSP answer does not override a CRL that revokes.
	fresh, err := testpki.CRL(testpki.CRLSignFresh)
	if err != nil {
		t.Fatal(err)
	}
	r = p.CheckSignerWith(revoked, Evidence{CRLs: [][]byte{fresh}, OCSPs: [][]byte{good.response(t, revoked, ocsp.Good, time.Time{}, false)}})
	if r.SubIndication != Revoked || r.Revocation.Source != RevocationSourceEmbedded {
		t.Errorf("CRL revokes, OCSP says good: %s/%s %+v", r.Indication, r.SubIndication, r.Revocation)
	}
}

// writeFile writes b to path or fails the test.
func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// ValidationData hands out the very CRL imported (its DER), for the signer and for
// nothing else; without one, or with only a stale one, it names the CRL to import.
func TestValidationDataFromStore(t *testing.T) {
	ts := testStoreNoBuiltin(t)
	dir := filepath.Join(t.TempDir(), "crl")
	cert := persona(t, "valid").SignCert
	p := policyOn(t, ts, dir, time.Now())
	var me *MissingCRLError
	if _, err := p.ValidationData(cert, nil); !errors.As(err, &me) || me.Stale || me.Scope == "" {
		t.Fatalf("empty store: %v", err)
	}
	if _, err := OpenStore(dir).Import(ts, writeCommittedCRL(t, t.TempDir(), testpki.CRLSignStale)); err != nil {
		t.Fatal(err)
	}
	if _, err := p.ValidationData(cert, nil); !errors.As(err, &me) || !me.Stale {
		t.Fatalf("stale CRL only: %v", err)
	}
	if _, err := OpenStore(dir).Import(ts, writeCommittedCRL(t, t.TempDir(), testpki.CRLSignFresh)); err != nil {
		t.Fatal(err)
	}
	vd, err := p.ValidationData(cert, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := testpki.CRL(testpki.CRLSignFresh)
	if len(vd.CRLs) != 1 || !bytes.Equal(vd.CRLs[0], want) || len(vd.Certs) != 2 || !vd.Certs[0].Equal(cert) {
		t.Fatalf("validation data: %d CRLs, %d certificates", len(vd.CRLs), len(vd.Certs))
	}
	// The CRL kept next to the index is checked against it.
	matches, _ := filepath.Glob(filepath.Join(dir, "*"+rawExt))
	if len(matches) != 1 {
		t.Fatalf("kept CRLs: %v", matches)
	}
	stale, _ := testpki.CRL(testpki.CRLSignStale)
	writeFile(t, matches[0], stale)
	if _, err := p.ValidationData(cert, nil); !errors.As(err, &me) || me.Err == nil {
		t.Fatalf("CRL file swapped: %v", err)
	}
}
