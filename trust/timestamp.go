package trust

import (
	"crypto/x509"
	"time"
)

// CheckTimestamper validates the certificate of a time-stamping authority whose token
// verified (tsp.Verify) and was made at genTime: a path to an anchor trusted for
// time-stamps (or the certificate itself added as such an anchor), validity at genTime and
// at the validation time, extendedKeyUsage timeStamping only and critical, and the
// revocation of the path from the CRLs. others are the certificates the token and the
// document carried. Only a TOTAL-PASSED result makes the token a proof of existence.
// CheckTimestamper never returns nil.
func (p *Policy) CheckTimestamper(tsa *x509.Certificate, others []*x509.Certificate, genTime time.Time) *SignerResult {
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
	if genTime.Before(tsa.NotBefore) || genTime.After(tsa.NotAfter) {
		findings = append(findings, finding{ind: TotalFailed, sub: NotYetValid, check: CheckValidity,
			msg: Message{Key: MsgTSAOutsideValidity, Args: []string{isoTime(genTime), isoTime(tsa.NotBefore), isoTime(tsa.NotAfter)}}})
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
	chain := buildPaths(tsa, others, anchors)
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
	findings = append(findings, p.checkPathRevocation(r, pc, Evidence{Others: others})...)
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

// TimestampEntry makes the report entry of a time-stamp from the validation of its
// authority (nil when the token itself did not verify: then ind, sub and msg say why).
func TimestampEntry(at *time.Time, tsa string, res *SignerResult, ind Indication, sub SubIndication, msg Message) TimestampReport {
	e := TimestampReport{Time: at, TSA: tsa, Indication: ind, SubIndication: sub, Summary: msg}
	if res != nil {
		e.Indication, e.SubIndication, e.Summary = res.Indication, res.SubIndication, res.Summary
		if res.Certificate != nil {
			e.Anchor = res.Certificate.Anchor
		}
	}
	return e
}
