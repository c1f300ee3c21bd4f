package trust

import (
	"crypto/x509"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/mynasign/mynasign/internal/testpki"
)

// pastFixture is a user-added CA, its signers and a way to validate with a CRL store
// holding chosen CRLs of it.
type pastFixture struct {
	t         *testing.T
	ca        *testpki.ForeignCA
	anchorDir string
}

func newPastFixture(t *testing.T) *pastFixture {
	now := time.Now()
	ca, err := testpki.NewForeignCA("Past CA", now.AddDate(-3, 0, 0), now.AddDate(5, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := OpenAnchorStore(dir).Add(AddOptions{Name: "過去CA"}, AnchorInput{File: "ca.der", Data: ca.Cert.Raw}); err != nil {
		t.Fatal(err)
	}
	return &pastFixture{t: t, ca: ca, anchorDir: dir}
}

func (f *pastFixture) signer(cn string, notBefore, notAfter time.Time) *x509.Certificate {
	c, _, err := f.ca.Issue(cn, x509.KeyUsageContentCommitment, false, "", notBefore, notAfter)
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

// crl is one CRL of the CA to import.
type crl struct {
	thisUpdate, nextUpdate, revokedAt time.Time
	revoked                           []*x509.Certificate
}

// policy returns a policy over a new CRL store holding crls.
func (f *pastFixture) policy(crls ...crl) *Policy {
	crlDir := f.t.TempDir()
	ts, err := LoadTrustStoreFor(Options{AnchorDir: f.anchorDir})
	if err != nil {
		f.t.Fatal(err)
	}
	for i, c := range crls {
		der, err := f.ca.CRL(int64(i+1), c.thisUpdate, c.nextUpdate, c.revokedAt, "", c.revoked...)
		if err != nil {
			f.t.Fatal(err)
		}
		p := filepath.Join(f.t.TempDir(), "past.crl")
		if err := os.WriteFile(p, der, 0o644); err != nil {
			f.t.Fatal(err)
		}
		if _, err := OpenStore(crlDir).Import(ts, p); err != nil {
			f.t.Fatal(err)
		}
	}
	p, err := NewPolicy(Options{AnchorDir: f.anchorDir, CRLDir: crlDir})
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}

func want(t *testing.T, what string, r *SignerResult, ind Indication, sub SubIndication, summary string) {
	t.Helper()
	if r.Indication != ind || r.SubIndication != sub || (summary != "" && r.Summary.Key != summary) {
		t.Errorf("%s: %s/%s %s %v, want %s/%s %s", what, r.Indication, r.SubIndication, r.Summary.Key, r.Summary.Args, ind, sub, summary)
	}
}

// Past signature validation (ETSI EN 319 102-1 §5.6.2.4): with a proof of existence, a
// certificate revoked or expired since is judged at that time, with a CRL issued after
// it; without one, the outcome is INDETERMINATE as before; a revocation before the proof
// is TOTAL-FAILED.
func TestPastSignatureValidation(t *testing.T) {
	f := newPastFixture(t)
	now := time.Now().Truncate(time.Second)
	signedAt := now.AddDate(0, 0, -20)
	at := func(d time.Duration) *time.Time { x := signedAt.Add(d); return &x }
	day := 24 * time.Hour

	t.Run("moved house", func(t *testing.T) {
		holder := f.signer("Moved", now.AddDate(-1, 0, 0), now.AddDate(1, 0, 0))
		p := f.policy(crl{thisUpdate: signedAt.Add(3 * day), nextUpdate: now.Add(7 * day), revokedAt: signedAt.Add(2 * day), revoked: []*x509.Certificate{holder}})
		r := p.CheckSignerWith(holder, Evidence{Claimed: at(0), ExistedAt: at(time.Minute)})
		want(t, "time-stamped before the revocation", r, TotalPassed, "", MsgCertOKPastRevoked)
		if r.Revocation.Status != RevocationRevoked || r.BestSignatureTime == nil || !r.BestSignatureTime.Equal(*at(time.Minute)) {
			t.Errorf("revocation %+v, best signature time %v", r.Revocation, r.BestSignatureTime)
		}
		if !hasWarning(r, MsgRevRevokedAfterPOE) {
			t.Errorf("no note of the revocation after the time-stamp: %v", r.Warnings)
		}
		want(t, "no time-stamp", p.CheckSignerWith(holder, Evidence{Claimed: at(0)}), Indeterminate, RevokedNoPOE, "")
		want(t, "time-stamped after the revocation", p.CheckSignerWith(holder, Evidence{Claimed: at(0), ExistedAt: at(2*day + time.Hour)}), TotalFailed, Revoked, "")
		want(t, "time-stamp from after the validation time", p.CheckSignerWith(holder, Evidence{Claimed: at(0), ExistedAt: &[]time.Time{now.Add(day)}[0]}), Indeterminate, RevokedNoPOE, "")
	})

	t.Run("expired", func(t *testing.T) {
		holder := f.signer("Expired", now.AddDate(-1, 0, 0), signedAt.Add(5*day))
		// A CRL issued between the time-stamp and the expiry, stale today.
		p := f.policy(crl{thisUpdate: signedAt.Add(day), nextUpdate: signedAt.Add(8 * day)})
		want(t, "time-stamped in its validity", p.CheckSignerWith(holder, Evidence{ExistedAt: at(0)}), TotalPassed, "", MsgCertOKPastExpired)
		want(t, "no time-stamp", p.CheckSignerWith(holder, Evidence{Claimed: at(0)}), Indeterminate, OutOfBoundsNoPOE, "")
		// Only a CRL issued after the expiry, which need not list the certificate.
		late := f.policy(crl{thisUpdate: now.Add(-time.Hour), nextUpdate: now.Add(7 * day)})
		want(t, "CRL only after the expiry", late.CheckSignerWith(holder, Evidence{ExistedAt: at(0)}), Indeterminate, TryLater, MsgRevNoCRLBeforeExpiry)
		// A CRL from before the time-stamp proves nothing about the time after it.
		early := f.policy(crl{thisUpdate: signedAt.Add(-day), nextUpdate: signedAt.Add(8 * day)})
		want(t, "CRL before the time-stamp", early.CheckSignerWith(holder, Evidence{ExistedAt: at(0)}), Indeterminate, TryLater, MsgRevNoCRLBeforeExpiry)
	})

	t.Run("stale CRL issued after the time-stamp", func(t *testing.T) {
		holder := f.signer("Valid", now.AddDate(-1, 0, 0), now.AddDate(1, 0, 0))
		p := f.policy(crl{thisUpdate: signedAt.Add(day), nextUpdate: signedAt.Add(8 * day)})
		want(t, "time-stamped", p.CheckSignerWith(holder, Evidence{ExistedAt: at(0)}), TotalPassed, "", MsgCertOK)
		want(t, "no time-stamp", p.CheckSignerWith(holder, Evidence{Claimed: at(0)}), Indeterminate, TryLater, MsgRevStale)
	})

	t.Run("time-stamp before the validity", func(t *testing.T) {
		holder := f.signer("Later", signedAt.Add(day), now.AddDate(1, 0, 0))
		p := f.policy(crl{thisUpdate: now.Add(-time.Hour), nextUpdate: now.Add(7 * day)})
		want(t, "time-stamp before notBefore", p.CheckSignerWith(holder, Evidence{ExistedAt: at(0)}), TotalFailed, NotYetValid, MsgCertPOEBeforeValidity)
	})
}

// A time-stamping authority is trusted only through an anchor added for time-stamps (its
// CA, or its own certificate), never through a signing anchor, and its certificate must
// be a time-stamping one valid at the token's time.
func TestCheckTimestamper(t *testing.T) {
	now := time.Now().Truncate(time.Second)
	ca, err := testpki.NewForeignCA("TSA CA", now.AddDate(-3, 0, 0), now.AddDate(5, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	tsa, _, err := ca.IssueTSA("TSA", now.AddDate(-1, 0, 0), now.AddDate(3, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	signerLike, _, err := ca.Issue("Not a TSA", x509.KeyUsageDigitalSignature, false, "", now.AddDate(-1, 0, 0), now.AddDate(3, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	gen := now.Add(-time.Hour)
	fresh, err := ca.CRL(1, now.Add(-time.Hour), now.AddDate(0, 0, 7), now, "")
	if err != nil {
		t.Fatal(err)
	}
	r := anchorPolicy(t, PurposeTimestamp, ca.Cert, fresh).CheckTimestamper(tsa, Evidence{}, gen)
	want(t, "CA added for time-stamps, CRL", r, TotalPassed, "", MsgTSAOK)
	if r.Certificate.Anchor == nil || r.Certificate.Anchor.Source != AnchorUser {
		t.Errorf("anchor %+v", r.Certificate.Anchor)
	}
	want(t, "CA added for time-stamps, no CRL", anchorPolicy(t, PurposeTimestamp, ca.Cert).CheckTimestamper(tsa, Evidence{}, gen), Indeterminate, TryLater, MsgRevNoCRL)
	want(t, "own certificate added", anchorPolicy(t, PurposeTimestamp, tsa).CheckTimestamper(tsa, Evidence{}, gen), TotalPassed, "", MsgTSAOK)
	want(t, "CA added for signing only", anchorPolicy(t, PurposeSigning, ca.Cert, fresh).CheckTimestamper(tsa, Evidence{}, gen), Indeterminate, NoCertificateChainFound, "")
	want(t, "no anchor", anchorPolicy(t, PurposeTimestamp, nil).CheckTimestamper(tsa, Evidence{}, gen), Indeterminate, NoCertificateChainFound, "")
	want(t, "not a TSA certificate", anchorPolicy(t, PurposeTimestamp, ca.Cert, fresh).CheckTimestamper(signerLike, Evidence{}, gen), Indeterminate, ChainConstraintsFailure, MsgTSANotTimestamping)
	want(t, "token dated before the TSA's validity", anchorPolicy(t, PurposeTimestamp, ca.Cert, fresh).CheckTimestamper(tsa, Evidence{}, now.AddDate(-2, 0, 0)), TotalFailed, NotYetValid, MsgTSAOutsideValidity)
	want(t, "token dated after the TSA's expiry", anchorPolicy(t, PurposeTimestamp, ca.Cert, fresh).CheckTimestamper(tsa, Evidence{}, now.AddDate(4, 0, 0)), Indeterminate, OutOfBoundsNoPOE, MsgTSAOutsideValidity)
	if _, err := OpenAnchorStore(t.TempDir()).Add(AddOptions{Name: "x", Purpose: PurposeSigning}, AnchorInput{File: "tsa.der", Data: tsa.Raw}); err == nil {
		t.Error("a TSA certificate was accepted as a signing anchor")
	}
}
