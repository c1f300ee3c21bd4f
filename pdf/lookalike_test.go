package pdf

// Regression tests from a red-team pass over the CMS and PDF verifier changes: a
// look-alike signer certificate (same issuer, serial number and key identifier, another
// key) in the unsigned CMS certificate set or in an appended /DSS must not turn a
// genuine signature into a broken one; a time-stamp token needs a time-stamping
// certificate before the report says B-T.

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"fmt"
	"testing"

	"github.com/mynasign/mynasign/pdf/internal/cms"
	"github.com/mynasign/mynasign/trust"
)

// lookalikeCert makes a certificate with the same issuer name and serial number (and
// the same subject key identifier) as real, but another key, signed by nobody trusted.
func lookalikeCert(t *testing.T, real *x509.Certificate) []byte {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: real.SerialNumber, RawSubject: real.RawSubject,
		SubjectKeyId: real.SubjectKeyId, NotBefore: real.NotBefore, NotAfter: real.NotAfter}
	parent := &x509.Certificate{RawSubject: real.RawIssuer, PublicKey: &k.PublicKey}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// an incremental update adds a /DSS whose first certificate has the genuine
// signer's issuer and serial number but another key (the genuine certificate follows).
// The CMS lacks the signer certificate, so the verifier takes the first /DSS match and
// reports the genuine, unchanged signature TOTAL-FAILED (signature value does not
// verify) — a "proof" made by an unsigned, appended object. Right: try every matching
// candidate (the genuine one verifies: PASSED with the DSS warning); when none verifies
// and the candidates came from outside the signed data, INDETERMINATE, not TOTAL-FAILED.
func TestLookalikeCertificateInDSS(t *testing.T) {
	pol := testPolicy(t)
	per := testPersona(t, "valid")
	in := makePDF(t, docSpec{})
	signed := signWithCMS(t, in, "ETSI.CAdES.detached", func(s []byte) []byte {
		d := sha256.Sum256(s)
		sp := cms.SignParams{Certificate: per.SignCert, ContentDigest: d[:], SigningCertificateV2: true}
		der, err := sp.Sign(per.SignKey)
		if err != nil {
			t.Fatal(err)
		}
		return unreadableCert(t, der, per.SignCert.Raw)
	})
	fake := lookalikeCert(t, per.SignCert)
	f, err := NewFile(bytes.NewReader(signed), int64(len(signed)))
	if err != nil {
		t.Fatal(err)
	}
	_, root, err := f.Catalog(f.Last())
	if err != nil {
		t.Fatal(err)
	}
	size, _ := IntOf(f.Trailer().Get("Size"))
	dss, fakeObj, realObj := int(size), int(size)+1, int(size)+2
	catalog := serializeObj(t, signed, root.Num, func(d Dict) Dict {
		d.Set("DSS", Ref{Num: dss})
		return d
	})
	stream := func(b []byte) string { return fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(b), b) }
	withDSS := appendUpdate(t, signed, map[int]string{
		root.Num: catalog,
		dss:      fmt.Sprintf("<< /Certs [%d 0 R %d 0 R] >>", fakeObj, realObj),
		fakeObj:  stream(fake),
		realObj:  stream(per.SignCert.Raw),
	}, "")
	rep := verifyBytes(t, withDSS, pol)
	s := rep.Signatures[0]
	t.Logf("report: %s/%s intact=%v summary=%v", s.Indication, s.SubIndication, s.Intact, s.Summary)
	if s.Indication != trust.TotalPassed || !s.Intact {
		t.Fatalf("a genuine signature with an appended /DSS listing a look-alike certificate first: %s/%s", s.Indication, s.SubIndication)
	}
}

// the same look-alike certificate put first in the CMS certificates of a
// genuine signature (/Contents is outside the byte range; the certificates are not
// signed). The verifier picks the first issuer+serial match and says TOTAL-FAILED.
func TestLookalikeCertificateInCMS(t *testing.T) {
	pol := testPolicy(t)
	per := testPersona(t, "valid")
	in := makePDF(t, docSpec{})
	fake, err := x509.ParseCertificate(lookalikeCert(t, per.SignCert))
	if err != nil {
		t.Fatal(err)
	}
	signed := signWithCMS(t, in, "ETSI.CAdES.detached", func(s []byte) []byte {
		d := sha256.Sum256(s)
		// The attacker rewrites /Contents: the same SignerInfo, one more certificate first.
		sp := cms.SignParams{Certificate: per.SignCert, ContentDigest: d[:], SigningCertificateV2: true,
			Chain: []*x509.Certificate{fake}}
		der, err := sp.Sign(per.SignKey)
		if err != nil {
			t.Fatal(err)
		}
		return der
	})
	// Make sure the look-alike comes first in the CMS.
	rep := verifyBytes(t, signed, pol)
	s := rep.Signatures[0]
	t.Logf("report: %s/%s intact=%v summary=%v", s.Indication, s.SubIndication, s.Intact, s.Summary)
	if s.Indication != trust.TotalPassed || !s.Intact {
		t.Fatalf("a genuine signature whose unsigned certificate set carries a look-alike: %s/%s", s.Indication, s.SubIndication)
	}
}

// a signature time-stamp token made by anyone — here signed by a personal
// signing certificate that has no id-kp-timeStamping extended key usage (RFC 3161
// §2.3 requires it, critical) and carries a genTime of the maker's choosing — is
// accepted by signatureTimestampProblem, so the report says PAdES-B-T. The package
// says the TSA is not trusted yet; still, B-T then only means "someone wrote a time".
// Right: at least refuse a token whose certificate lacks the critical timeStamping EKU
// (and without TSA trust, do not report the level as B-T, or mark it as unchecked).
func TestTimestampTokenNeedsTSACertificate(t *testing.T) {
	sig := bytes.Repeat([]byte{0x5A}, 256) // the signature value the token imprints
	token := timeStampToken(t)(sig)
	per := testPersona(t, "valid")
	for _, u := range per.SignCert.ExtKeyUsage {
		if u == x509.ExtKeyUsageTimeStamping {
			t.Fatal("the persona has the timeStamping key usage: the test needs a certificate without it")
		}
	}
	si := &cms.SignerInfo{Signature: sig, UnsignedAttrs: []cms.Attribute{{Type: cms.OIDAttrTimeStampToken, Values: [][]byte{token}}}}
	if problem := signatureTimestampProblem(si, func() []*x509.Certificate { return nil }); problem == "" {
		t.Fatal("a token signed by a certificate without the timeStamping EKU verifies as a signature time-stamp (report: PAdES-B-T)")
	}
}
