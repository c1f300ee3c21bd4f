package trust

import (
	"bytes"
	"crypto/x509"
	"time"

	"golang.org/x/crypto/ocsp"
)

// maxEmbeddedOCSPs bounds how many embedded OCSP responses one check reads.
const maxEmbeddedOCSPs = 64

// ocspClockSkew is how far in the future an OCSP response's thisUpdate may be.
const ocspClockSkew = crlClockSkew

// ocspAnswer is an embedded OCSP response that speaks for one certificate.
type ocspAnswer struct {
	resp      *ocsp.Response
	responder *x509.Certificate
}

// findOCSP returns the newest embedded OCSP response about cert that an issuer
// authorised: signed by the issuer itself, or by a responder certificate the issuer
// issued with the id-kp-OCSPSigning extended key usage, valid when the response was
// produced (RFC 6960 §4.2.2.2). Responses dated after t (beyond the clock skew) are left
// out; so are those that do not verify, with a warning when one names the certificate.
func findOCSP(ders [][]byte, cert *x509.Certificate, issuers []*x509.Certificate, t time.Time) (*ocspAnswer, []Message) {
	var best *ocspAnswer
	var warnings []Message
	for i, der := range ders {
		if i == maxEmbeddedOCSPs {
			break
		}
		// Parsed without an issuer: the serial picks the single response, the signature
		// (against an embedded responder certificate, if any) is checked below.
		resp, err := ocsp.ParseResponseForCert(der, cert, nil)
		if err != nil {
			continue // not about this certificate, or not a successful basic response
		}
		if resp.IssuerHash == 0 {
			continue // a CertID hash algorithm we do not know
		}
		responder, ok := authorisedResponder(resp, issuers)
		if !ok {
			warnings = append(warnings, Message{Key: MsgRevEmbeddedOCSPUnauthorised, Args: []string{nameString(cert.RawIssuer)}})
			continue
		}
		if resp.ThisUpdate.After(t.Add(ocspClockSkew)) {
			continue
		}
		if best == nil || resp.ThisUpdate.After(best.resp.ThisUpdate) {
			best = &ocspAnswer{resp: resp, responder: responder}
		}
	}
	return best, warnings
}

// authorisedResponder checks who signed resp: one of issuers (the response carries no
// certificate, or the issuer's own), or a delegated responder certificate issued by one
// of them for OCSP signing. It returns the certificate that signed.
func authorisedResponder(resp *ocsp.Response, issuers []*x509.Certificate) (*x509.Certificate, bool) {
	for _, issuer := range issuers {
		if resp.Certificate == nil || bytes.Equal(resp.Certificate.Raw, issuer.Raw) {
			if resp.CheckSignatureFrom(issuer) == nil {
				return issuer, true
			}
			continue
		}
		// ParseResponseForCert verified the response with resp.Certificate.
		rc := resp.Certificate
		if rc.CheckSignatureFrom(issuer) != nil || !namesEqual(rc.RawIssuer, issuer.RawSubject) {
			continue
		}
		if !hasOCSPSigning(rc) || resp.ProducedAt.Before(rc.NotBefore) || resp.ProducedAt.After(rc.NotAfter) {
			continue
		}
		return rc, true
	}
	return nil, false
}

// hasOCSPSigning reports whether c carries the id-kp-OCSPSigning extended key usage.
func hasOCSPSigning(c *x509.Certificate) bool {
	for _, u := range c.ExtKeyUsage {
		if u == x509.ExtKeyUsageOCSPSigning {
			return true
		}
	}
	return false
}

// applyOCSP combines an embedded OCSP answer with the CRL outcome rc of the same
// certificate: a response saying revoked at or before t decides (a revocation is final);
// a good response fresh at t and produced no later than the certificate's expiry decides
// when the CRLs left the status unknown. Otherwise rc stands.
func applyOCSP(rc revocationCheck, a *ocspAnswer, q revocationQuery) revocationCheck {
	t := q.at
	if a == nil || rc.info.Status == RevocationRevoked {
		return rc
	}
	r := a.resp
	fill := func() revocationCheck {
		out := revocationCheck{info: &RevocationInfo{Status: RevocationUnknown}, warnings: rc.warnings, embedded: true}
		out.info.Source = RevocationSourceOCSP
		out.info.OCSPResponder = nameString(a.responder.RawSubject)
		tu := r.ThisUpdate.UTC()
		out.info.ThisUpdate = &tu
		if !r.NextUpdate.IsZero() {
			nu := r.NextUpdate.UTC()
			out.info.NextUpdate = &nu
			out.info.Fresh = !t.After(nu)
		}
		return out
	}
	switch r.Status {
	case ocsp.Revoked:
		if r.RevokedAt.After(t) {
			rc.warnings = append(rc.warnings, Message{Key: MsgRevRevokedLater, Args: []string{isoTime(r.RevokedAt)}})
			rc.embedded = true
			return rc
		}
		reason := r.RevocationReason
		return fill().revoked(r.RevokedAt.UTC(), reason, q)
	case ocsp.Good:
		rc.embedded = true
		if rc.finding == nil {
			return rc // the CRLs already say good
		}
		out := fill()
		if !out.info.Fresh || r.ThisUpdate.After(q.cert.NotAfter) {
			// Stale, or produced after the certificate expired: a responder need not
			// keep the status of expired certificates (RFC 6960 §4.4.4), so "good" then
			// says nothing about a revocation before the expiry.
			return rc
		}
		out.info.Status = RevocationGood
		return out
	}
	return rc
}
