package xades

import (
	"context"
	"crypto"
	"encoding/base64"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mynasign/mynasign/internal/testenv"
	"github.com/mynasign/mynasign/internal/testpolicy"
	"github.com/mynasign/mynasign/internal/tsp"
	"github.com/mynasign/mynasign/trust"
)

// FuzzSignatureTimestamp puts arbitrary bytes in the EncapsulatedTimeStamp of a XAdES
// B-T signature (and arbitrary CanonicalizationMethod URIs in its SignatureTimeStamp): no
// panic, no hang, and a time-stamp entry passes only for a token that verifies over the
// canonical SignatureValue with the trusted authority's certificate.
func FuzzSignatureTimestamp(f *testing.F) {
	tsa := testenv.NewTSA(f)
	c, err := tsp.NewClient(tsa.URL)
	if err != nil {
		f.Fatal(err)
	}
	opts := personaOpts(f, "valid")
	opts.SignatureTimestamp = func(data []byte) ([]byte, error) { return c.Stamp(context.Background(), crypto.SHA256, data) }
	orig, err := os.ReadFile(sampleXML)
	if err != nil {
		f.Fatal(err)
	}
	signed, err := SignXAdES(orig, opts)
	if err != nil {
		f.Fatal(err)
	}
	doc := string(signed)
	token, err := decodeBase64(inner(doc, "<xades:EncapsulatedTimeStamp>", "</xades:EncapsulatedTimeStamp>"))
	if err != nil {
		f.Fatal(err)
	}
	parsed, err := parseFull(doc)
	if err != nil {
		f.Fatal(err)
	}
	sv, err := signatureValueC14N(signatureElements(parsed)[0], AlgExcC14N, "")
	if err != nil {
		f.Fatal(err)
	}
	pol := testpolicy.Past(f, tsa.Cert)
	if s := Verify("signed.xml", signed, pol).Signatures; len(s) != 1 || len(s[0].Timestamps) != 1 || s[0].Timestamps[0].Indication != trust.TotalPassed {
		f.Fatalf("the time-stamp of the seed does not pass: %+v", s)
	}
	f.Add(token, AlgExcC14N)
	f.Add(token, AlgC14N10)
	f.Add([]byte("not a token"), "")
	old := between(doc, "<xades:EncapsulatedTimeStamp>", "</xades:EncapsulatedTimeStamp>")
	f.Fuzz(func(t *testing.T, der []byte, c14n string) {
		data := strings.Replace(doc, old, "<xades:EncapsulatedTimeStamp>"+base64.StdEncoding.EncodeToString(der)+"</xades:EncapsulatedTimeStamp>", 1)
		data = strings.Replace(data, `" Algorithm="`+AlgExcC14N+`"/><xades:EncapsulatedTimeStamp>`,
			`" Algorithm="`+escapeAttr(c14n)+`"/><xades:EncapsulatedTimeStamp>`, 1)
		rep := Verify("fuzz.xml", []byte(data), pol)
		checkReportInvariants(t, rep)
		for _, s := range rep.Signatures {
			for _, e := range s.Timestamps {
				if e.Indication != trust.TotalPassed {
					continue
				}
				tok, err := tsp.Verify(der, sv, nil)
				if err != nil || !tok.Certificate.Equal(tsa.Cert) || (c14n != AlgExcC14N && c14n != AlgExcC14NWithComments) {
					t.Fatalf("a time-stamp passed that is not the authority's over the SignatureValue (%s): %v", c14n, err)
				}
			}
		}
	})
}

// However many SignatureTimeStamp elements a signature carries (in one or in several
// UnsignedSignatureProperties), at most maxSignatureTimestamps tokens are verified and
// have their authorities validated: the unsigned properties are anyone's to add to.
func TestSignatureTimestampsBounded(t *testing.T) {
	tsa := testenv.NewTSA(t)
	_, data := signAtXML(t, "valid", time.Now().Add(-time.Hour), tsa, time.Time{})
	doc := string(data)
	// Copies without the Id attribute (IDs are unique in a document).
	st := between(doc, "<xades:SignatureTimeStamp", "</xades:SignatureTimeStamp>")
	doc = strings.Replace(doc, st, regexp.MustCompile(` Id="[^"]*"`).ReplaceAllString(st, ""), 1)
	st = between(doc, "<xades:SignatureTimeStamp", "</xades:SignatureTimeStamp>")
	usp := between(doc, "<xades:UnsignedSignatureProperties>", "</xades:UnsignedSignatureProperties>")
	pol := testpolicy.Past(t, tsa.Cert)
	for name, bigger := range map[string]string{
		"one UnsignedSignatureProperties":     strings.Replace(doc, st, strings.Repeat(st, 3*maxSignatureTimestamps), 1),
		"several UnsignedSignatureProperties": strings.Replace(doc, usp, strings.Repeat(usp, 3*maxSignatureTimestamps), 1),
	} {
		rep := Verify("signed.xml", []byte(bigger), pol)
		if len(rep.Signatures) != 1 {
			t.Fatalf("%s: %d signatures", name, len(rep.Signatures))
		}
		if n := len(rep.Signatures[0].Timestamps); n == 0 || n > maxSignatureTimestamps {
			t.Errorf("%s: %d time-stamps validated, want 1 to %d", name, n, maxSignatureTimestamps)
		}
	}
}
