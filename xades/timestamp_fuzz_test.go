package xades

import (
	"context"
	"crypto"
	"encoding/base64"
	"os"
	"strings"
	"testing"

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
	sv, err := signatureValueC14N(signatureElements(parsed)[0], AlgExcC14N)
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
