package trust

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// Message keys of the authentication-certificate check (本人確認).
const (
	MsgAuthOK               = "trust.auth.ok"                     // CRL thisUpdate
	MsgAuthNotAuthCA        = "trust.auth.not_auth_ca"            //
	MsgAuthNoDigitalSig     = "trust.auth.no_digital_sig"         //
	MsgAuthRevocationNotChk = "trust.auth.revocation_not_checked" // as of (the newest CRL's thisUpdate, or "—")
	MsgCheckAuthUsageOK     = "trust.check.auth_usage_ok"         //
	MsgAuthNoChain          = "trust.auth.no_chain"               //
	MsgAuthExpired          = "trust.auth.expired"                // notAfter
	MsgAuthNotYetValid      = "trust.auth.not_yet_valid"          // notBefore
	MsgAuthRevoked          = "trust.auth.revoked"                // revokedAt
	MsgAuthInvalid          = "trust.auth.invalid"                //
)

// authCheckKeys lists the message keys of this file, for MessageKeys.
func authCheckKeys() []string {
	return []string{MsgAuthOK, MsgAuthNotAuthCA, MsgAuthNoDigitalSig, MsgAuthRevocationNotChk, MsgCheckAuthUsageOK,
		MsgAuthNoChain, MsgAuthExpired, MsgAuthNotYetValid, MsgAuthRevoked, MsgAuthInvalid}
}

// AuthCertResult is the outcome of checking a My Number Card's user-authentication
// certificate (利用者証明用電子証明書) for an identity check: a path to a J-LIS
// authentication CA (never a signature CA), the validity at the validation time, the key
// usage and the revocation status from the imported authentication CRLs.
type AuthCertResult struct {
	// Passed is true only when every check passed and the revocation status is good
	// according to a fresh CRL: a missing or stale CRL is not a pass.
	Passed        bool
	Indication    Indication
	SubIndication SubIndication
	// Summary is the plain-language sentence about the certificate.
	Summary Message
	// Certificate describes the certificate (it holds no personal data).
	Certificate *CertificateInfo
	// Revocation is its revocation status (nil when no path was found).
	Revocation     *RevocationInfo
	ValidationTime time.Time
	Checks         []Check
	Warnings       []Message
}

// CheckAuthCertificate validates a card's authentication certificate; others are
// certificates the card gave (its authentication CA certificate), used only to build the
// path, never trusted. It never returns nil.
func (p *Policy) CheckAuthCertificate(cert *x509.Certificate, others []*x509.Certificate) *AuthCertResult {
	r := &SignerResult{ValidationTime: p.at, Checks: []Check{}}
	out := func(findings []finding) *AuthCertResult {
		r.decide(findings)
		res := &AuthCertResult{
			Indication: r.Indication, SubIndication: r.SubIndication, Summary: r.Summary,
			Certificate: r.Certificate, Revocation: r.Revocation, ValidationTime: r.ValidationTime,
			Checks: r.Checks, Warnings: r.Warnings,
		}
		res.Passed = r.Indication == TotalPassed && r.Revocation != nil && r.Revocation.Status == RevocationGood
		res.Summary = authSummary(r, topFinding(findings), res.Passed)
		return res
	}
	if cert == nil {
		return out([]finding{{ind: Indeterminate, sub: NoSigningCertificateFound, msg: Message{Key: MsgCertNoSigner}, check: CheckChain}})
	}
	prof := ParseJPKIProfile(cert)
	r.Certificate = certificateInfo(cert, prof)

	var anchors []*Anchor
	for _, a := range p.store.anchorsFor(PurposeSigning) {
		if a.Kind == KindAuthentication {
			anchors = append(anchors, a)
		}
	}
	chain := buildPaths(cert, others, anchors)
	if len(chain.paths) == 0 {
		miss := chain.miss
		if p.chainsToSignatureCA(cert, others) {
			miss = Message{Key: MsgAuthNotAuthCA}
		}
		r.Checks = append(r.Checks, Check{Name: CheckChain, Passed: false, Detail: miss})
		return out([]finding{{ind: Indeterminate, sub: NoCertificateChainFound, msg: miss, check: CheckChain}})
	}
	pc := p.bestPath(chain, purposeAny, nil, nil)
	r.Checks = append(r.Checks, Check{Name: CheckChain, Passed: true, Detail: Message{Key: MsgCheckChainOK, Args: []string{pc.anchor.Generation}}})
	r.Checks = append(r.Checks, pc.checks...)
	findings := append([]finding(nil), pc.findings...)

	ci := r.Certificate
	ci.Anchor = anchorInfo(pc.anchor)
	ci.Kind, ci.Generation = KindAuthentication, pc.anchor.Generation
	ci.Test = prof.Test || pc.anchor.Test
	for _, c := range pc.path {
		ci.Chain = append(ci.Chain, nameString(c.RawSubject))
	}
	if ci.Test {
		r.Warnings = append(r.Warnings, Message{Key: MsgCertTestCertificate})
	}

	usage := Check{Name: CheckKeyUsage, Passed: true, Detail: Message{Key: MsgCheckAuthUsageOK}}
	if cert.KeyUsage&x509.KeyUsageDigitalSignature == 0 || (cert.BasicConstraintsValid && cert.IsCA) {
		usage.Passed, usage.Detail = false, Message{Key: MsgAuthNoDigitalSig}
		findings = append(findings, finding{ind: Indeterminate, sub: ChainConstraintsFailure, msg: usage.Detail, check: CheckKeyUsage})
	}
	r.Checks = append(r.Checks, usage)
	findings = append(findings, p.checkPathRevocation(r, pc, Evidence{})...)
	return out(findings)
}

// topFinding is the finding the result reports (nil when there is none).
func topFinding(findings []finding) *finding {
	var top *finding
	for i := range findings {
		if top == nil || findings[i].rank() > top.rank() {
			top = &findings[i]
		}
	}
	return top
}

// authSummary is the clerk's sentence about the authentication certificate: the
// signature-oriented messages of the document verifiers do not fit a card at a counter.
func authSummary(r *SignerResult, top *finding, passed bool) Message {
	crlTime := r.crlTime()
	if crlTime == "" {
		crlTime = "—"
	}
	switch {
	case passed:
		return Message{Key: MsgAuthOK, Args: []string{crlTime}}
	case top == nil:
		// No finding, yet no good status: revocation was not established.
		return Message{Key: MsgAuthRevocationNotChk, Args: []string{crlTime}}
	}
	switch top.check {
	case CheckChain:
		if top.msg.Key == MsgAuthNotAuthCA {
			return top.msg
		}
		return Message{Key: MsgAuthNoChain}
	case CheckValidity:
		if r.Certificate != nil && r.ValidationTime.After(r.Certificate.NotAfter) {
			return Message{Key: MsgAuthExpired, Args: []string{isoTime(r.Certificate.NotAfter)}}
		}
		return Message{Key: MsgAuthNotYetValid, Args: []string{isoTime(r.Certificate.NotBefore)}}
	case "revocation":
		if r.Revocation != nil && r.Revocation.Status == RevocationRevoked && r.Revocation.RevokedAt != nil {
			return Message{Key: MsgAuthRevoked, Args: []string{isoTime(*r.Revocation.RevokedAt)}}
		}
		return Message{Key: MsgAuthRevocationNotChk, Args: []string{crlTime}}
	}
	return Message{Key: MsgAuthInvalid}
}

// chainsToSignatureCA reports whether cert would chain to a J-LIS signature CA: an
// authentication check given a signature certificate, which the clerk is told plainly.
func (p *Policy) chainsToSignatureCA(cert *x509.Certificate, others []*x509.Certificate) bool {
	var anchors []*Anchor
	for _, a := range p.store.anchorsFor(PurposeSigning) {
		if a.Kind == KindSignature {
			anchors = append(anchors, a)
		}
	}
	return len(buildPaths(cert, others, anchors).paths) > 0
}

// ErrChallengeResponse: the card's answer to the challenge does not verify with the
// authentication certificate (a replayed or precomputed answer, another card's key).
var ErrChallengeResponse = errors.New("the card's response does not match the challenge")

// VerifyChallengeResponse checks sig, the card's signature over the SHA-256 DigestInfo of
// challenge, with the authentication certificate's public key (RSA PKCS#1 v1.5; ECDSA
// for the next card generation).
func VerifyChallengeResponse(cert *x509.Certificate, challenge, sig []byte) error {
	if cert == nil {
		return fmt.Errorf("%w: no certificate", ErrChallengeResponse)
	}
	h := sha256.Sum256(challenge)
	var err error
	switch pub := cert.PublicKey.(type) {
	case *rsa.PublicKey:
		err = rsa.VerifyPKCS1v15(pub, crypto.SHA256, h[:], sig)
	case *ecdsa.PublicKey:
		if !ecdsa.VerifyASN1(pub, h[:], sig) {
			err = errors.New("ECDSA signature does not verify")
		}
	default:
		err = fmt.Errorf("public key %T not supported", cert.PublicKey)
	}
	if err != nil {
		return fmt.Errorf("%w (%v)", ErrChallengeResponse, err)
	}
	return nil
}

// SerialSHA256 is the SHA-256 of a certificate's serial number, hex: how an identity
// check record names the card's authentication certificate.
func SerialSHA256(cert *x509.Certificate) string {
	if cert == nil || cert.SerialNumber == nil {
		return ""
	}
	h := sha256.Sum256(cert.SerialNumber.Bytes())
	return hex.EncodeToString(h[:])
}
