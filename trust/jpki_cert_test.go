package trust

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/mynasign/mynasign/internal/testpki"
)

// issueCert issues a certificate from tmpl with a test CA ("sign-ca-2023", …), for the
// key of a persona.
func issueCert(t testing.TB, ca string, tmpl *x509.Certificate, key *rsa.PrivateKey) *x509.Certificate {
	t.Helper()
	caCert, err := testpki.CACert(ca)
	if err != nil {
		t.Fatal(err)
	}
	caKey, err := testpki.CAKey(ca)
	if err != nil {
		t.Fatal(err)
	}
	return issueWith(t, caCert, caKey, tmpl, key)
}

func issueWith(t testing.TB, parent *x509.Certificate, parentKey *rsa.PrivateKey, tmpl *x509.Certificate, key *rsa.PrivateKey) *x509.Certificate {
	t.Helper()
	if tmpl.SerialNumber == nil {
		tmpl.SerialNumber = big.NewInt(time.Now().UnixNano())
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// signTemplate is a JPKI-shaped signature certificate template (valid persona's data).
func signTemplate(t testing.TB) *x509.Certificate {
	v := persona(t, "valid").SignCert
	return &x509.Certificate{
		RawSubject: v.RawSubject, NotBefore: v.NotBefore, NotAfter: v.NotAfter,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		Policies: v.Policies, ExtraExtensions: jpkiExtensions(v),
	}
}

// jpkiExtensions copies the SAN and CRLDP of a certificate.
func jpkiExtensions(c *x509.Certificate) []pkix.Extension {
	var out []pkix.Extension
	for _, e := range c.Extensions {
		if e.Id.Equal(oidExtSAN) || e.Id.Equal(oidExtCRLDP) {
			out = append(out, e)
		}
	}
	return out
}

func TestParseJPKIProfile(t *testing.T) {
	valid := ParseJPKIProfile(persona(t, "valid").SignCert)
	if valid.Kind != KindSignature || !valid.Test || len(valid.Problems) != 0 ||
		strings.Join(valid.Policies, ",") != OIDPolicyJPKITest.String() {
		t.Errorf("valid: %+v", valid)
	}
	if len(valid.CRLDPNames) != 1 || !strings.Contains(valid.CRLDPNames[0], "CN=Chiyoda-ku CRLDP") {
		t.Errorf("valid CRLDP: %v", valid.CRLDPNames)
	}
	pd := valid.Personal
	if pd == nil || pd.Name != persona(t, "valid").CertName || pd.BirthEra != "heisei" || pd.BirthDate != "1990-01-15" || pd.Sex != "female" ||
		len(pd.NameSubstituted) != 1 {
		t.Errorf("valid personal data: %+v", pd)
	}

	auth := ParseJPKIProfile(persona(t, "valid").AuthCert)
	if auth.Kind != KindAuthentication || auth.Personal != nil || len(auth.Problems) != 0 {
		t.Errorf("auth: %+v", auth)
	}

	// A non-JPKI certificate with a DNS name: no personal data, no problems.
	key := persona(t, "valid").SignKey
	other := issueCert(t, "impostor-ca", &x509.Certificate{
		Subject: pkix.Name{CommonName: "example"}, Issuer: pkix.Name{CommonName: "x"}, DNSNames: []string{"example.jp"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
	}, key)
	// The impostor's name is the JPKI test name: shaped like a JPKI signature certificate,
	// and its missing personal data is reported.
	prof := ParseJPKIProfile(other)
	if prof.Kind != KindSignature || prof.Personal == nil || len(prof.Problems) == 0 {
		t.Errorf("JPKI-named issuer without personal data: %+v", prof)
	}

	// A JPKI signature certificate with the real policy and no personal data at all.
	tmpl := signTemplate(t)
	tmpl.ExtraExtensions = nil
	tmpl.Policies = nil
	tmpl.PolicyIdentifiers = []asn1.ObjectIdentifier{OIDPolicyJPKISign}
	bare := issueCert(t, "sign-ca-2023", tmpl, key)
	prof = ParseJPKIProfile(bare)
	if prof.Kind != KindSignature || prof.Test || prof.Personal != nil || len(prof.Problems) != 1 || prof.Problems[0].Key != MsgSANMissing {
		t.Errorf("bare signature certificate: %+v", prof)
	}
}

func TestSignerUsageRules(t *testing.T) {
	key := persona(t, "valid").SignKey
	p := testPolicy(t, StoreTest)

	// The normal JPKI shape passes (and the built-in test CRLs do not list it).
	if r := p.CheckSigner(issueCert(t, "sign-ca-2023", signTemplate(t), key), nil, nil); r.Indication != TotalPassed {
		t.Fatalf("JPKI-shaped certificate: %s/%s %v", r.Indication, r.SubIndication, r.Summary)
	}
	// digitalSignature only: not a document signing certificate.
	tmpl := signTemplate(t)
	tmpl.KeyUsage = x509.KeyUsageDigitalSignature
	r := p.CheckSigner(issueCert(t, "sign-ca-2023", tmpl, key), nil, nil)
	if r.Indication != Indeterminate || r.SubIndication != ChainConstraintsFailure || r.Summary.Key != MsgCertNoNonRepudiation {
		t.Errorf("no nonRepudiation: %s/%s %v", r.Indication, r.SubIndication, r.Summary)
	}
	// An authentication certificate is never a document signer, even with nonRepudiation.
	tmpl = signTemplate(t)
	r = p.CheckSigner(issueCert(t, "auth-ca-2023", tmpl, key), nil, nil)
	if r.SubIndication != ChainConstraintsFailure || r.Summary.Key != MsgCertAuthNotSigner || r.Certificate.Kind != KindAuthentication {
		t.Errorf("authentication CA: %s/%s %v kind %s", r.Indication, r.SubIndication, r.Summary, r.Certificate.Kind)
	}
	if r.Signer.Name != "" {
		t.Errorf("an authentication certificate's SAN is not shown as a signer identity: %q", r.Signer.Name)
	}
	// An unknown critical extension is refused; a known one is fine.
	tmpl = signTemplate(t)
	tmpl.ExtraExtensions = append(tmpl.ExtraExtensions, pkix.Extension{Id: asn1.ObjectIdentifier{1, 2, 3, 4, 5}, Critical: true, Value: []byte{5, 0}})
	r = p.CheckSigner(issueCert(t, "sign-ca-2023", tmpl, key), nil, nil)
	if r.SubIndication != ChainConstraintsFailure || r.Summary.Key != MsgCertCriticalExtension || r.Summary.Args[1] != "1.2.3.4.5" {
		t.Errorf("unknown critical extension: %s/%s %v", r.Indication, r.SubIndication, r.Summary)
	}
	// A CA certificate as the signer.
	tmpl = signTemplate(t)
	tmpl.BasicConstraintsValid, tmpl.IsCA = true, true
	tmpl.KeyUsage |= x509.KeyUsageCertSign
	r = p.CheckSigner(issueCert(t, "sign-ca-2023", tmpl, key), nil, nil)
	if r.Summary.Key != MsgCertSignerIsCA {
		t.Errorf("CA as signer: %s/%s %v", r.Indication, r.SubIndication, r.Summary)
	}
}

func TestValidityRules(t *testing.T) {
	p := testPolicy(t, StoreTest)
	valid := persona(t, "valid").SignCert
	// Claimed signing time before the certificate existed.
	early := valid.NotBefore.Add(-24 * time.Hour)
	if r := p.CheckSigner(valid, nil, &early); r.Indication != TotalFailed || r.SubIndication != NotYetValid || r.Summary.Key != MsgCertClaimedBeforeValidity {
		t.Errorf("claimed before validity: %s/%s %v", r.Indication, r.SubIndication, r.Summary)
	}
	// Validation time before the certificate existed.
	pEarly, err := NewPolicy(Options{TrustStore: StoreTest, CRLDir: t.TempDir(), At: valid.NotBefore.Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if r := pEarly.CheckSigner(valid, nil, nil); r.Indication != TotalFailed || r.SubIndication != NotYetValid {
		t.Errorf("validation before validity: %s/%s %v", r.Indication, r.SubIndication, r.Summary)
	}
	// The expired persona validated while its certificate was valid: no longer out of bounds.
	exp := persona(t, "expired").SignCert
	pPast, err := NewPolicy(Options{TrustStore: StoreTest, CRLDir: t.TempDir(), At: exp.NotAfter.Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if r := pPast.CheckSigner(exp, nil, nil); r.Indication != TotalPassed || r.Certificate.Generation != "test-2019" {
		t.Errorf("expired persona before expiry: %s/%s %v generation %s", r.Indication, r.SubIndication, r.Summary, r.Certificate.Generation)
	}
}

// A generation like 2015's, whose CA expired on 2025-10-19: without proof of existence a
// signature under it is INDETERMINATE, not INVALID.
func TestExpiredGeneration(t *testing.T) {
	caKey, _ := testpki.CAKey("impostor-ca")
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{Country: []string{"JP"}, Organization: []string{"JPKI"},
			OrganizationalUnit: []string{"JPKI for digital signature (TEST 2015)"}},
		NotBefore: time.Date(2015, 10, 20, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2025, 10, 19, 14, 59, 59, 0, time.UTC),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	ca := issueWith(t, caTmpl, caKey, caTmpl, caKey)
	eeTmpl := signTemplate(t)
	eeTmpl.NotBefore, eeTmpl.NotAfter = time.Date(2020, 4, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 10, 19, 14, 59, 59, 0, time.UTC)
	ee := issueWith(t, ca, caKey, eeTmpl, persona(t, "valid").SignKey)
	store := &TrustStore{Name: StoreTest, Anchors: []*Anchor{NewAnchor(ca, KindSignature, "test-2015", true, "test")}}

	now := policyOn(t, store, t.TempDir(), time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC))
	claimed := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	r := now.CheckSigner(ee, nil, &claimed)
	if r.Indication != Indeterminate || r.SubIndication != OutOfBoundsNoPOE {
		t.Fatalf("after the generation expired: %s/%s %v", r.Indication, r.SubIndication, r.Summary)
	}
	if r.Certificate.Generation != "test-2015" || r.Signer.Name == "" {
		t.Errorf("the identity is still reported: generation %q name %q", r.Certificate.Generation, r.Signer.Name)
	}
	// Both the signer and the CA are out of bounds; the CA's message names the generation.
	found := false
	for _, c := range r.Checks {
		if c.Name == "validity" && !c.Passed {
			found = true
		}
	}
	if !found {
		t.Errorf("no failed validity check: %+v", r.Checks)
	}
}

// The personal data of a certificate that does not chain is never presented as an identity.
func TestImpostorShowsNoIdentity(t *testing.T) {
	p := testPolicy(t, StoreTest)
	imp := persona(t, "impostor").SignCert
	// Even when the impostor CA certificate travels with the signature.
	r := p.CheckSigner(imp, []*x509.Certificate{testpki.ImpostorCA()}, nil)
	if r.SubIndication != NoCertificateChainFound || r.Signer.Name != "" || r.Signer.Address != "" || r.Revocation != nil {
		t.Errorf("impostor: %s/%s signer %+v", r.Indication, r.SubIndication, r.Signer)
	}
	if r.Signer.Subject == "" || r.Certificate.Serial == "" {
		t.Errorf("impostor: the certificate is still described: %+v", r.Certificate)
	}
}
