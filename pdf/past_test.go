package pdf

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mynasign/mynasign/internal/cms"
	"github.com/mynasign/mynasign/internal/testenv"
	"github.com/mynasign/mynasign/internal/testpki"
	"github.com/mynasign/mynasign/internal/testpolicy"
	"github.com/mynasign/mynasign/internal/tsp"
	"github.com/mynasign/mynasign/trust"
)

// pastPolicy is testpolicy.Past trusting tsa's certificate (when not nil).
func pastPolicy(t *testing.T, tsa *testenv.TSA, crls ...[]byte) *trust.Policy {
	t.Helper()
	if tsa == nil {
		return testpolicy.Past(t, nil, crls...)
	}
	return testpolicy.Past(t, tsa.Cert, crls...)
}

// signAt signs a fresh PDF as persona with claimed signing time claimed; with tsa, the
// signature is time-stamped (PAdES B-T) by it at stampAt.
func signAt(t *testing.T, persona string, claimed time.Time, tsa *testenv.TSA, stampAt time.Time) (data []byte, path string) {
	t.Helper()
	opts := personaOptions(t, persona, PAdES)
	opts.Time = claimed
	if tsa != nil {
		tsa.SetTime(stampAt)
		c, err := tsp.NewClient(tsa.URL)
		if err != nil {
			t.Fatal(err)
		}
		opts.Timestamper = c
	}
	return signBytes(t, makePDF(t, docSpec{pages: 1}), opts)
}

func wantSig(t *testing.T, what string, s trust.SignatureReport, ind trust.Indication, sub trust.SubIndication, summary string) {
	t.Helper()
	if s.Indication != ind || s.SubIndication != sub || (summary != "" && s.Summary.Key != summary) {
		t.Errorf("%s: %s/%s %s %v, want %s/%s %s", what, s.Indication, s.SubIndication, s.Summary.Key, s.Summary.Args, ind, sub, summary)
	}
}

// Acceptance 1 and 2 of long-term validation (PDF): the moved-house case — a signature
// time-stamped before its certificate was revoked is TOTAL-PASSED with the plain message,
// the same without a time-stamp INDETERMINATE/REVOKED_NO_POE, one time-stamped after the
// revocation TOTAL-FAILED/REVOKED — and an expired-now certificate with a time-stamp from
// its validity TOTAL-PASSED. The time-stamps come from openssl ts over HTTP; openssl ts
// -verify accepts every token we embed.
func TestPAdESPastSignatureValidation(t *testing.T) {
	tsa := testenv.NewTSA(t)
	fresh, err := testpki.CRL(testpki.CRLSignFresh) // revokes the revoked persona on 2025-06-01
	if err != nil {
		t.Fatal(err)
	}
	before := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	after := time.Date(2025, 7, 1, 9, 0, 0, 0, time.UTC)
	pol := pastPolicy(t, tsa, fresh)

	data, path := signAt(t, "revoked", before, tsa, before)
	rep := verifyBytes(t, data, pol)
	s := rep.Signatures[0]
	wantSig(t, "moved house, time-stamped before", s, trust.TotalPassed, "", trust.MsgSigPassedPastRevoked)
	if s.Format != "PAdES-B-T" || len(s.Timestamps) != 1 || s.Timestamps[0].Indication != trust.TotalPassed ||
		s.Timestamps[0].Anchor == nil || s.Timestamps[0].Anchor.Source != trust.AnchorUser {
		t.Errorf("format %s, time-stamps %+v", s.Format, s.Timestamps)
	}
	if s.BestSignatureTime == nil || s.BestSignatureTime.Sub(before) < 0 || s.BestSignatureTime.Sub(before) > time.Minute {
		t.Errorf("best signature time %v, want about %v", s.BestSignatureTime, before)
	}
	if s.Revocation == nil || s.Revocation.Status != trust.RevocationRevoked {
		t.Errorf("revocation %+v", s.Revocation)
	}
	checkEmbeddedToken(t, tsa, data)
	// pdfsig and qpdf still accept a B-T file.
	if out, _ := exec.Command(testenv.Tool(t, "pdfsig"), "-nocert", path).CombinedOutput(); !strings.Contains(string(out), "Signature is Valid.") {
		t.Errorf("pdfsig:\n%s", out)
	}
	if out, err := exec.Command(testenv.Tool(t, "qpdf"), "--check", path).CombinedOutput(); err != nil {
		t.Errorf("qpdf --check: %v\n%s", err, out)
	}

	data, _ = signAt(t, "revoked", before, nil, time.Time{})
	wantSig(t, "moved house, no time-stamp", verifyBytes(t, data, pol).Signatures[0], trust.Indeterminate, trust.RevokedNoPOE, "")

	data, _ = signAt(t, "revoked", before, tsa, after)
	wantSig(t, "time-stamped after the revocation", verifyBytes(t, data, pol).Signatures[0], trust.TotalFailed, trust.Revoked, "")

	// A time-stamp from an authority nobody trusts proves nothing.
	data, _ = signAt(t, "revoked", before, tsa, before)
	s = verifyBytes(t, data, pastPolicy(t, nil, fresh)).Signatures[0]
	wantSig(t, "untrusted time-stamping authority", s, trust.Indeterminate, trust.RevokedNoPOE, "")
	if len(s.Timestamps) != 1 || s.Timestamps[0].SubIndication != trust.NoCertificateChainFound || s.BestSignatureTime != nil {
		t.Errorf("untrusted authority: time-stamps %+v, best signature time %v", s.Timestamps, s.BestSignatureTime)
	}

	// Expired since 2024-02-20; time-stamped in 2023; a CRL the counter kept from July 2023.
	stampAt := time.Date(2023, 6, 1, 9, 0, 0, 0, time.UTC)
	old, err := testpki.CRLAt("sign-ca-2019", 7, time.Date(2023, 7, 1, 0, 0, 0, 0, time.UTC), time.Date(2023, 7, 8, 0, 0, 0, 0, time.UTC), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	expPol := pastPolicy(t, tsa, old)
	data, _ = signAt(t, "expired", stampAt, tsa, stampAt)
	wantSig(t, "expired now, time-stamped in its validity", verifyBytes(t, data, expPol).Signatures[0], trust.TotalPassed, "", trust.MsgSigPassedPastExpired)
	checkEmbeddedToken(t, tsa, data)
	data, _ = signAt(t, "expired", stampAt, nil, time.Time{})
	wantSig(t, "expired now, no time-stamp", verifyBytes(t, data, expPol).Signatures[0], trust.Indeterminate, trust.OutOfBoundsNoPOE, "")
}

// checkEmbeddedToken has openssl ts -verify check the signature time-stamp of the first
// signature of a PDF against its signature value.
func checkEmbeddedToken(t *testing.T, tsa *testenv.TSA, data []byte) {
	t.Helper()
	a := analyze(context.Background(), bytes.NewReader(data), int64(len(data)), nil)
	si := a.sigs[0].si
	tokens := si.UnsignedAttr(cms.OIDAttrTimeStampToken)
	if len(tokens) != 1 {
		t.Fatalf("%d signature time-stamps, want 1", len(tokens))
	}
	if err := tsa.VerifyToken(t, tokens[0], si.Signature); err != nil {
		t.Error(err)
	}
}

// A registry (登記) signature takes no time-stamp.
func TestRegistryRefusesTimestamp(t *testing.T) {
	tsa := testenv.NewTSA(t)
	c, err := tsp.NewClient(tsa.URL)
	if err != nil {
		t.Fatal(err)
	}
	opts := personaOptions(t, "valid", Registry)
	opts.Timestamper = c
	in := writeTemp(t, "in.pdf", makePDF(t, docSpec{pages: 1}))
	if _, err := SignFile(context.Background(), in, filepath.Join(t.TempDir(), "o.pdf"), opts); err == nil || tsa.Requests != 0 {
		t.Fatalf("registry with a time-stamp: %v, %d requests", err, tsa.Requests)
	}
}

// PAdES B-LTA: a B-LT signature with a document time-stamp over it and its /DSS; extend
// (TimestampFile) adds another. A document time-stamp made before the revocation is a
// proof of existence of the signature it covers. pdfsig and qpdf accept the files.
func TestPAdESBLTA(t *testing.T) {
	tsa := testenv.NewTSA(t)
	c, err := tsp.NewClient(tsa.URL)
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := testpki.CRL(testpki.CRLSignFresh)
	if err != nil {
		t.Fatal(err)
	}
	pol := pastPolicy(t, tsa, fresh)
	before := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	tsa.SetTime(before)
	opts := personaOptions(t, "revoked", PAdES)
	opts.Time = before
	vd, err := pol.ValidationData(opts.Certificate, nil)
	if err != nil {
		t.Fatal(err)
	}
	opts.Validation, opts.DocumentTimestamper = vd, c
	data, path := signBytes(t, makePDF(t, docSpec{pages: 1}), opts)
	rep := verifyBytes(t, data, pol)
	if len(rep.Signatures) != 2 {
		t.Fatalf("%d entries, want the signature and the document time-stamp", len(rep.Signatures))
	}
	s := rep.Signatures[0]
	wantSig(t, "B-LTA, document time-stamp before the revocation", s, trust.TotalPassed, "", trust.MsgSigPassedPastRevoked)
	if s.Format != "PAdES-B-LTA" || s.BestSignatureTime == nil {
		t.Errorf("format %s, best signature time %v", s.Format, s.BestSignatureTime)
	}
	wantSig(t, "the document time-stamp", rep.Signatures[1], trust.TotalPassed, "", trust.MsgTSAOK)
	peersAccept(t, path)

	// extend: a second document time-stamp, now.
	tsa.SetTime(time.Time{})
	ext := filepath.Join(t.TempDir(), "extended.pdf")
	res, err := TimestampFile(context.Background(), path, ext, TimestampOptions{Timestamper: c, Policy: pol})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Report.Signatures) != 3 || res.Field != "Timestamp2" {
		t.Fatalf("extended: %d entries, field %s", len(res.Report.Signatures), res.Field)
	}
	for i, e := range res.Report.Signatures {
		if e.Indication != trust.TotalPassed {
			t.Errorf("extended entry %d (%s): %s/%s %s", i, e.ID, e.Indication, e.SubIndication, e.Summary.Key)
		}
	}
	peersAccept(t, ext)
	if _, err := TimestampFile(context.Background(), ext, ext, TimestampOptions{Timestamper: c}); err == nil {
		t.Error("extending a file onto itself")
	}
}

// peersAccept has pdfsig and qpdf check a signed file.
func peersAccept(t *testing.T, path string) {
	t.Helper()
	if out, _ := exec.Command(testenv.Tool(t, "pdfsig"), "-nocert", path).CombinedOutput(); !strings.Contains(string(out), "Signature is Valid.") || strings.Contains(string(out), "Signature is Invalid") {
		t.Errorf("pdfsig:\n%s", out)
	}
	if out, err := exec.Command(testenv.Tool(t, "qpdf"), "--check", path).CombinedOutput(); err != nil {
		t.Errorf("qpdf --check: %v\n%s", err, out)
	}
}

// B-LTA carries what the signature time-stamp's authority needs too: its CA's CRL from the
// store goes into the /DSS, so that with an empty CRL store the signature, its time-stamp
// and the document time-stamp all still validate.
func TestPAdESBLTAEmbedsTimestampData(t *testing.T) {
	tsa := testenv.NewTSA(t)
	c, err := tsp.NewClient(tsa.URL)
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := testpki.CRL(testpki.CRLSignFresh)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	tsaCRL, err := tsa.CA.CRL(1, now.Add(-time.Hour), now.AddDate(0, 1, 0), now, "")
	if err != nil {
		t.Fatal(err)
	}
	stocked := testpolicy.Past(t, tsa.CA.Cert, fresh, tsaCRL)
	empty := testpolicy.Past(t, tsa.CA.Cert)
	opts := personaOptions(t, "valid", PAdES)
	vd, err := stocked.ValidationData(opts.Certificate, nil)
	if err != nil {
		t.Fatal(err)
	}
	opts.Validation, opts.Timestamper, opts.DocumentTimestamper, opts.Policy = vd, c, c, stocked
	data, _ := signBytes(t, makePDF(t, docSpec{pages: 1}), opts)
	for name, pol := range map[string]*trust.Policy{"stocked store": stocked, "empty store": empty} {
		rep := verifyBytes(t, data, pol)
		if len(rep.Signatures) != 2 {
			t.Fatalf("%s: %d entries", name, len(rep.Signatures))
		}
		s := rep.Signatures[0]
		wantSig(t, name+": signature", s, trust.TotalPassed, "", "")
		if s.Format != "PAdES-B-LTA" || len(s.Timestamps) != 1 || s.Timestamps[0].Indication != trust.TotalPassed {
			t.Errorf("%s: format %s, time-stamps %+v", name, s.Format, s.Timestamps)
		}
		wantSig(t, name+": document time-stamp", rep.Signatures[1], trust.TotalPassed, "", trust.MsgTSAOK)
	}
}
