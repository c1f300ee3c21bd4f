package trust

import (
	"time"
)

// SignerResult is the certificate side of a signature's validation: who signed (as far as
// the certificate can be trusted), the certificate, its revocation status, and the
// indication that the certificate alone leads to. A verifier merges it into its
// SignatureReport with ApplyTo.
type SignerResult struct {
	Indication    Indication
	SubIndication SubIndication
	// Summary is the plain-language sentence about the certificate.
	Summary Message
	// Signer is the identity; the personal data is filled only when the certificate chains
	// to a trusted JPKI signature CA. Signer.Test marks a test certificate.
	Signer *Signer
	// Certificate describes the signer certificate (nil only when there was none).
	Certificate *CertificateInfo
	// Revocation is the signer certificate's revocation status (nil when no path was found).
	Revocation     *RevocationInfo
	ValidationTime time.Time
	// Checks lists the certificate checks carried out, in order.
	Checks []Check
	// Warnings are things the user should know that do not change the indication (a test
	// certificate, problems in the personal data, the revocation reason, …).
	Warnings []Message
	// EmbeddedValidationData is true when, for every certificate of the validated path
	// below the anchor, a CRL or OCSP response the signature or document carried covered
	// it and verified against its issuer: the signature is long-term (B-LT) as far as
	// revocation goes. A verifier reports a -LT level only then.
	EmbeddedValidationData bool
	// BestSignatureTime is the proof of existence the validation had: the time of a
	// trusted time-stamp over the signature (Evidence.ExistedAt); nil when there was none.
	BestSignatureTime *time.Time

	// past says why the result passed only thanks to BestSignatureTime (revoked or
	// expired since), and pastAt when that happened.
	past   pastReason
	pastAt time.Time
}

// pastReason is why a certificate was judged at the proof of existence rather than at
// the validation time.
type pastReason int

const (
	pastNone    pastReason = iota
	pastRevoked            // revoked after the proof of existence
	pastExpired            // expired after it
)

// pastSummary is the summary of a result that passed thanks to the proof of existence:
// certKey or sigKey by the reason, with the name, the proof's time and the revocation or
// expiry time.
func (r *SignerResult) pastSummary(revokedKey, expiredKey string) (Message, bool) {
	if r.past == pastNone || r.BestSignatureTime == nil {
		return Message{}, false
	}
	key := revokedKey
	if r.past == pastExpired {
		key = expiredKey
	}
	return Message{Key: key, Args: []string{r.displayName(), isoTime(*r.BestSignatureTime), isoTime(r.pastAt)}}, true
}

// Passed reports whether the certificate side is TOTAL-PASSED.
func (r *SignerResult) Passed() bool { return r.Indication == TotalPassed }

// decide sets the indication from the findings: the highest-ranked one wins; none means
// TOTAL-PASSED.
func (r *SignerResult) decide(findings []finding) {
	var top *finding
	for i := range findings {
		if top == nil || findings[i].rank() > top.rank() {
			top = &findings[i]
		}
	}
	if top != nil {
		r.Indication, r.SubIndication, r.Summary = top.ind, top.sub, top.msg
		return
	}
	r.Indication, r.SubIndication = TotalPassed, ""
	if m, ok := r.pastSummary(MsgCertOKPastRevoked, MsgCertOKPastExpired); ok {
		r.Summary = m
		return
	}
	key := MsgCertOK
	if r.Certificate != nil && r.Certificate.Test {
		key = MsgCertOKTest
	}
	r.Summary = Message{Key: key, Args: []string{r.displayName(), r.crlTime()}}
}

// displayName is the name shown for the signer: the JPKI name, else the subject.
func (r *SignerResult) displayName() string {
	if r.Signer == nil {
		return ""
	}
	if r.Signer.Name != "" {
		return r.Signer.Name
	}
	return r.Signer.Subject
}

// crlTime is the thisUpdate of the CRL the status comes from ("" when none).
func (r *SignerResult) crlTime() string {
	if r.Revocation == nil || r.Revocation.ThisUpdate == nil {
		return ""
	}
	return isoTime(*r.Revocation.ThisUpdate)
}

// ApplyTo merges the certificate result into a verifier's report: it fills Signer,
// Certificate, Revocation and ValidationTime, appends the checks and warnings, and
// combines the indications.
//
// The verifier sets sr.Indication before calling ApplyTo: TOTAL-PASSED (or empty) when its
// own checks (format, integrity, coverage, changes after signing) passed, or its own
// TOTAL-FAILED / INDETERMINATE outcome. Combination: a verifier's TOTAL-FAILED always wins
// (integrity and format failures first); otherwise a certificate TOTAL-FAILED (revoked,
// not yet valid); otherwise the verifier's INDETERMINATE; otherwise the certificate's
// outcome. The report is TOTAL-PASSED only when both sides passed; then the summary is
// the full sentence (signer, content intact, certificate valid as of the CRL).
func (r *SignerResult) ApplyTo(sr *SignatureReport) {
	sr.Signer = r.Signer
	sr.Certificate = r.Certificate
	sr.Revocation = r.Revocation
	sr.ValidationTime = r.ValidationTime
	sr.BestSignatureTime = r.BestSignatureTime
	if sr.Checks == nil {
		sr.Checks = []Check{}
	}
	sr.Checks = append(sr.Checks, r.Checks...)
	sr.Warnings = append(sr.Warnings, r.Warnings...)

	verifier := sr.Indication
	if verifier == "" {
		verifier = TotalPassed
	}
	switch {
	case verifier == TotalFailed:
		// keep the verifier's outcome
	case r.Indication == TotalFailed:
		sr.Indication, sr.SubIndication, sr.Summary = r.Indication, r.SubIndication, r.Summary
	case verifier == Indeterminate:
		// keep
	case r.Indication != TotalPassed:
		sr.Indication, sr.SubIndication, sr.Summary = r.Indication, r.SubIndication, r.Summary
	default:
		sr.Indication, sr.SubIndication = TotalPassed, ""
		if m, ok := r.pastSummary(MsgSigPassedPastRevoked, MsgSigPassedPastExpired); ok {
			// The test-certificate and permitted-changes remarks are warnings and checks
			// of their own.
			sr.Summary = m
			return
		}
		test := r.Certificate != nil && r.Certificate.Test
		permitted := sr.ChangesAfterSigning.Level == ChangesPermitted
		key := MsgSigPassed
		switch {
		case test && permitted:
			key = MsgSigPassedTestPermitted
		case test:
			key = MsgSigPassedTest
		case permitted:
			key = MsgSigPassedPermitted
		}
		sr.Summary = Message{Key: key, Args: []string{r.displayName(), r.crlTime()}}
	}
}
