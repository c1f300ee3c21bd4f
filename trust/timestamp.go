package trust

import (
	"crypto/x509"
	"errors"
	"time"

	"github.com/mynasign/mynasign/internal/tsp"
)

// CheckTimestamper validates the certificate of a time-stamping authority whose token
// verified (tsp.Verify) and was made at genTime: a path to an anchor trusted for
// time-stamps (or the certificate itself added as such an anchor), validity at genTime and
// at the validation time, extendedKeyUsage timeStamping only and critical, and the
// revocation of the path from the CRLs and what ev carries. ev.Others are the
// certificates the token and the document carried; ev.CRLs and ev.OCSPs the validation
// data they carried (a PDF /DSS, XAdES revocation values). Only a TOTAL-PASSED result makes the token a proof of existence.
// CheckTimestamper never returns nil.
func (p *Policy) CheckTimestamper(tsa *x509.Certificate, ev Evidence, genTime time.Time) *SignerResult {
	r := &SignerResult{ValidationTime: p.at, Checks: []Check{}}
	if tsa == nil {
		r.Indication, r.SubIndication = Indeterminate, NoSigningCertificateFound
		r.Summary = Message{Key: MsgTSANoCertificate}
		return r
	}
	prof := ParseJPKIProfile(tsa)
	r.Certificate = certificateInfo(tsa, prof)
	r.Certificate.Kind = KindNotJPKI
	r.Signer = &Signer{Subject: nameString(tsa.RawSubject)}
	anchors := p.store.anchorsFor(PurposeTimestamp)
	var findings []finding
	outside := Message{Key: MsgTSAOutsideValidity, Args: []string{isoTime(genTime), isoTime(tsa.NotBefore), isoTime(tsa.NotAfter)}}
	switch {
	case genTime.Before(tsa.NotBefore):
		// A token dated before its certificate existed: proof against it.
		findings = append(findings, finding{ind: TotalFailed, sub: NotYetValid, check: CheckValidity, msg: outside})
	case genTime.After(tsa.NotAfter):
		// Dated after the certificate expired: the date is the authority's claim.
		findings = append(findings, finding{ind: Indeterminate, sub: OutOfBoundsNoPOE, check: CheckValidity, msg: outside})
	}
	for _, a := range anchors {
		if a.Cert.Equal(tsa) {
			// The authority's own certificate is the anchor: the user trusts exactly it.
			r.Checks = append(r.Checks, Check{Name: CheckChain, Passed: true, Detail: Message{Key: MsgCheckChainTSADirect, Args: []string{a.Name}}})
			r.Certificate.Anchor = anchorInfo(a)
			pc := &pathCheck{path: []*x509.Certificate{tsa}, anchor: a, at: p.at, purpose: purposeTimestamping, minRSA: p.minRSA}
			pc.checkCrypto()
			pc.checkValidity()
			pc.checkTimestampingUsage()
			r.Checks = append(r.Checks, pc.checks...)
			r.decideTSA(append(findings, pc.findings...), genTime)
			return r
		}
	}
	chain := buildPaths(tsa, ev.Others, anchors)
	if len(chain.paths) == 0 {
		r.Checks = append(r.Checks, Check{Name: CheckChain, Passed: false, Detail: chain.miss})
		r.decideTSA(append(findings, finding{ind: Indeterminate, sub: NoCertificateChainFound, msg: chain.miss, check: CheckChain}), genTime)
		return r
	}
	pc := p.bestPath(chain, purposeTimestamping, nil, nil)
	r.Checks = append(r.Checks, Check{Name: CheckChain, Passed: true, Detail: Message{Key: MsgCheckChainUserOK, Args: []string{pc.anchor.Name}}})
	r.Checks = append(r.Checks, pc.checks...)
	r.Certificate.Anchor = anchorInfo(pc.anchor)
	for _, c := range pc.path {
		r.Certificate.Chain = append(r.Certificate.Chain, nameString(c.RawSubject))
	}
	findings = append(findings, pc.findings...)
	// genTime is what the authority claims: a revocation after it is no proof against
	// the token (REVOKED_NO_POE), one before it is.
	claimed := genTime
	pc.claimed = &claimed
	findings = append(findings, p.checkPathRevocation(r, pc, Evidence{Others: ev.Others, CRLs: ev.CRLs, OCSPs: ev.OCSPs})...)
	r.decideTSA(findings, genTime)
	return r
}

// decideTSA is decide with the authority's own summary.
func (r *SignerResult) decideTSA(findings []finding, genTime time.Time) {
	r.decide(findings)
	if r.Indication == TotalPassed {
		r.Summary = Message{Key: MsgTSAOK, Args: []string{r.Signer.Subject, isoTime(genTime)}}
	}
}

// CheckTimestampToken turns what tsp.Verify found about a time-stamp token over a
// signature into its report entry: a token that verified has its authority validated
// (CheckTimestamper, with ev as what the document carried besides the token); one that
// did not says why. When the entry is TOTAL-PASSED, the token's time is returned as a proof of
// existence of the signature.
func (p *Policy) CheckTimestampToken(tok *tsp.Token, verifyErr error, ev Evidence) (TimestampReport, *time.Time) {
	var e TimestampReport
	if tok != nil {
		at := tok.Time
		e.Time, e.TSA = &at, tok.TSA()
	}
	if verifyErr != nil {
		e.Indication, e.SubIndication, e.Summary = tokenProblem(verifyErr)
		return e, nil
	}
	ev.Others = append(append([]*x509.Certificate(nil), tok.Certificates...), ev.Others...)
	res := p.CheckTimestamper(tok.Certificate, ev, tok.Time)
	e.Indication, e.SubIndication, e.Summary = res.Indication, res.SubIndication, res.Summary
	if res.Certificate != nil {
		e.Anchor = res.Certificate.Anchor
	}
	if !res.Passed() {
		return e, nil
	}
	return e, e.Time
}

// tokenProblem is the outcome of a token that did not verify: a wrong imprint or a bad
// signature is proof against it, anything else leaves it undecided.
func tokenProblem(err error) (Indication, SubIndication, Message) {
	switch {
	case errors.Is(err, tsp.ErrImprint):
		return TotalFailed, HashFailure, Message{Key: MsgTSAImprint}
	case errors.Is(err, tsp.ErrSignature):
		return TotalFailed, SigCryptoFailure, Message{Key: MsgTSABadSignature}
	case errors.Is(err, tsp.ErrNotTSA):
		return Indeterminate, ChainConstraintsFailure, Message{Key: MsgTSANotTimestamping}
	case errors.Is(err, tsp.ErrNoCertificate):
		return Indeterminate, NoSigningCertificateFound, Message{Key: MsgTSANoCertificate}
	case errors.Is(err, tsp.ErrUnsupported):
		return Indeterminate, CryptoConstraintsFailure, Message{Key: MsgTSAUnsupported}
	default:
		return Indeterminate, FormatFailure, Message{Key: MsgTSAUnreadable}
	}
}

// EarliestProof returns the earlier of two proofs of existence (either may be nil).
func EarliestProof(a, b *time.Time) *time.Time {
	if a == nil || (b != nil && b.Before(*a)) {
		return b
	}
	return a
}
