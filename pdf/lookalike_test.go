package pdf

// Regression tests from a red-team pass over the CMS and PDF verifier changes: a
// look-alike signer certificate (same issuer and serial number, another key) in the
// unsigned CMS certificate set must not turn a genuine signature into a broken one (in
// an appended /DSS: TestSignerCertificateFromDSS); a time-stamp token needs a
// time-stamping certificate before the report says B-T.

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"testing"

	"github.com/mynasign/mynasign/internal/cms"
	"github.com/mynasign/mynasign/internal/tsp"
	"github.com/mynasign/mynasign/trust"
)

// A look-alike certificate next to the signer's in the CMS certificates of a genuine
// signature (/Contents is outside the byte range; the certificates are not signed, and a
// DER SET OF may put it first): the one the value verifies with is the signer's.
func TestLookalikeCertificateInCMS(t *testing.T) {
	pol := testPolicy(t)
	per := testPersona(t, "valid")
	in := makePDF(t, docSpec{})
	fake := sameIssuerSerial(t, per.SignCert) // a look-alike with another key
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
// accepted by signatureTimestamps, so the report says PAdES-B-T. The package
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
	if tsp.AnyVerified(signatureTimestamps([][]byte{token}, sig, nil)) {
		t.Fatal("a token signed by a certificate without the timeStamping EKU verifies as a signature time-stamp (report: PAdES-B-T)")
	}
}
