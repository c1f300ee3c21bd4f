package xades

import (
	"context"
	"crypto"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mynasign/mynasign/internal/testenv"
	"github.com/mynasign/mynasign/internal/testpki"
	"github.com/mynasign/mynasign/internal/testpolicy"
	"github.com/mynasign/mynasign/internal/tsp"
	"github.com/mynasign/mynasign/trust"
)

// signAtXML signs the sample document as persona with claimed signing time claimed; with
// tsa, the signature is time-stamped (XAdES B-T) by it at stampAt.
func signAtXML(t *testing.T, persona string, claimed time.Time, tsa *testenv.TSA, stampAt time.Time) (string, []byte) {
	t.Helper()
	opts := personaOpts(t, persona)
	opts.SigningTime = claimed
	if tsa != nil {
		tsa.SetTime(stampAt)
		c, err := tsp.NewClient(tsa.URL)
		if err != nil {
			t.Fatal(err)
		}
		opts.SignatureTimestamp = func(data []byte) ([]byte, error) { return c.Stamp(context.Background(), crypto.SHA256, data) }
	}
	out := filepath.Join(t.TempDir(), "signed.xml")
	if err := SignXAdESFile(sampleXML, out, opts); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return out, data
}

func wantXML(t *testing.T, what string, rep *trust.DocumentReport, ind trust.Indication, sub trust.SubIndication, summary string) trust.SignatureReport {
	t.Helper()
	if len(rep.Signatures) != 1 {
		t.Fatalf("%s: %d signatures (%v)", what, len(rep.Signatures), rep.Error)
	}
	s := rep.Signatures[0]
	if s.Indication != ind || s.SubIndication != sub || (summary != "" && s.Summary.Key != summary) {
		t.Errorf("%s: %s/%s %s %v, want %s/%s %s", what, s.Indication, s.SubIndication, s.Summary.Key, s.Summary.Args, ind, sub, summary)
	}
	return s
}

// Acceptance 1 and 2 of long-term validation (XML): the moved-house and expired-now
// cases with XAdES signature time-stamps from openssl ts; xmlsec1 still verifies the
// core signature of a B-T file, and openssl ts -verify accepts the token we embed.
func TestXAdESPastSignatureValidation(t *testing.T) {
	tsa := testenv.NewTSA(t)
	fresh, err := testpki.CRL(testpki.CRLSignFresh) // revokes the revoked persona on 2025-06-01
	if err != nil {
		t.Fatal(err)
	}
	before := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	after := time.Date(2025, 7, 1, 9, 0, 0, 0, time.UTC)
	pol := testpolicy.Past(t, tsa.Cert, fresh)

	path, data := signAtXML(t, "revoked", before, tsa, before)
	s := wantXML(t, "moved house, time-stamped before", Verify("signed.xml", data, pol), trust.TotalPassed, "", trust.MsgSigPassedPastRevoked)
	if s.Format != FormatXAdESBT || len(s.Timestamps) != 1 || s.Timestamps[0].Indication != trust.TotalPassed || s.BestSignatureTime == nil {
		t.Errorf("format %s, time-stamps %+v, best signature time %v", s.Format, s.Timestamps, s.BestSignatureTime)
	}
	checkXMLToken(t, tsa, data)
	msg, ok := runXmlsec(t, filepath.Dir(path), "--verify", "--trusted-pem", testCAFile(t), "--enabled-key-data", "x509",
		"--id-attr:Id", NSXAdES+":SignedProperties", path)
	if !ok || !strings.Contains(msg, "SignedInfo References (ok/all): 2/2") {
		t.Errorf("xmlsec1 rejects our XAdES B-T output:\n%s", msg)
	}

	_, data = signAtXML(t, "revoked", before, nil, time.Time{})
	wantXML(t, "moved house, no time-stamp", Verify("signed.xml", data, pol), trust.Indeterminate, trust.RevokedNoPOE, "")
	_, data = signAtXML(t, "revoked", before, tsa, after)
	wantXML(t, "time-stamped after the revocation", Verify("signed.xml", data, pol), trust.TotalFailed, trust.Revoked, "")
	_, data = signAtXML(t, "revoked", before, tsa, before)
	wantXML(t, "untrusted time-stamping authority", Verify("signed.xml", data, testpolicy.Past(t, nil, fresh)), trust.Indeterminate, trust.RevokedNoPOE, "")

	stampAt := time.Date(2023, 6, 1, 9, 0, 0, 0, time.UTC)
	old, err := testpki.CRLAt("sign-ca-2019", 7, time.Date(2023, 7, 1, 0, 0, 0, 0, time.UTC), time.Date(2023, 7, 8, 0, 0, 0, 0, time.UTC), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	expPol := testpolicy.Past(t, tsa.Cert, old)
	_, data = signAtXML(t, "expired", stampAt, tsa, stampAt)
	wantXML(t, "expired now, time-stamped in its validity", Verify("signed.xml", data, expPol), trust.TotalPassed, "", trust.MsgSigPassedPastExpired)
	_, data = signAtXML(t, "expired", stampAt, nil, time.Time{})
	wantXML(t, "expired now, no time-stamp", Verify("signed.xml", data, expPol), trust.Indeterminate, trust.OutOfBoundsNoPOE, "")

	// A token over another signature value is no time-stamp of this one.
	_, plain := signAtXML(t, "revoked", before, nil, time.Time{})
	_, other := signAtXML(t, "revoked", before, tsa, before)
	swapped := swapTimestamp(t, plain, other)
	s = wantXML(t, "time-stamp of another signature", Verify("signed.xml", swapped, pol), trust.Indeterminate, trust.RevokedNoPOE, "")
	if len(s.Timestamps) != 1 || s.Timestamps[0].SubIndication != trust.HashFailure || !hasWarning(s, MsgWarnTimestampBad) {
		t.Errorf("swapped token: %+v", s.Timestamps)
	}
}

// checkXMLToken has openssl ts -verify check the token of a B-T document over the
// canonical SignatureValue.
func checkXMLToken(t *testing.T, tsa *testenv.TSA, data []byte) {
	t.Helper()
	doc, err := parseFull(string(data))
	if err != nil {
		t.Fatal(err)
	}
	sig := signatureElements(doc)[0]
	sv, err := signatureValueC14N(sig, AlgExcC14N, "")
	if err != nil {
		t.Fatal(err)
	}
	token, err := decodeBase64(inner(string(data), "<xades:EncapsulatedTimeStamp>", "</xades:EncapsulatedTimeStamp>"))
	if err != nil {
		t.Fatal(err)
	}
	if err := tsa.VerifyToken(t, token, sv); err != nil {
		t.Error(err)
	}
}

// inner is what lies between open and close in s.
func inner(s, open, close string) string {
	b := between(s, open, close)
	return b[len(open) : len(b)-len(close)]
}

// swapTimestamp puts the signature time-stamp of from into data (a signed document
// without one: the unsigned properties go after the signed ones).
func swapTimestamp(t *testing.T, data, from []byte) []byte {
	t.Helper()
	up := between(string(from), "<xades:UnsignedProperties>", "</xades:UnsignedProperties>")
	out := strings.Replace(string(data), "</xades:SignedProperties>", "</xades:SignedProperties>"+up, 1)
	if out == string(data) {
		t.Fatal("no SignedProperties")
	}
	return []byte(out)
}
