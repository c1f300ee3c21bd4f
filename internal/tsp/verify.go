// Package tsp reads, verifies and requests RFC 3161 time-stamp tokens: the signature
// time-stamps of CAdES and XAdES, and PDF document time-stamps. Verify proves what a token
// says about the data it imprints; whether its time-stamping authority (TSA) is trusted is
// the trust package's question (trust.Policy.CheckTimestamper).
package tsp

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"time"

	"github.com/mynasign/mynasign/internal/cms"
)

// Errors of Verify. ErrImprint and ErrSignature are proof that the token does not vouch
// for the data; the others mean the token could not be evaluated.
var (
	// ErrFormat: the bytes are not one time-stamp token (a SignedData of a TSTInfo with
	// one signer).
	ErrFormat = errors.New("not a time-stamp token")
	// ErrUnsupported: an algorithm the verifier does not implement.
	ErrUnsupported = errors.New("unsupported time-stamp algorithm")
	// ErrImprint: the token imprints other data.
	ErrImprint = errors.New("the time-stamp is not of this data")
	// ErrSignature: the token's signature does not verify with its certificate, or the
	// ESS signing-certificate attribute names another certificate.
	ErrSignature = errors.New("the time-stamp's signature does not verify")
	// ErrNoCertificate: the TSA certificate is neither in the token nor among the extra
	// certificates.
	ErrNoCertificate = errors.New("no time-stamping certificate")
	// ErrNotTSA: the certificate that signed the token is not a time-stamping certificate
	// (RFC 3161 §2.3).
	ErrNotTSA = errors.New("not a time-stamping certificate")
)

// Token is a time-stamp token whose imprint and signature verified.
type Token struct {
	// Time is the TSTInfo genTime: the data existed at this time.
	Time time.Time
	// Certificate is the TSA certificate that signed the token.
	Certificate *x509.Certificate
	// Certificates are the other certificates the token carried (for the TSA's path).
	Certificates []*x509.Certificate
	// Hash is the imprint's hash algorithm.
	Hash crypto.Hash
	// Raw is the token as read.
	Raw []byte
}

// Checked is a token as Verify found it: Token is nil only when it could not be read at
// all, Err nil when it verified.
type Checked struct {
	Token *Token
	Err   error
}

// AnyVerified reports whether one of the tokens verified.
func AnyVerified(tokens []Checked) bool {
	for _, t := range tokens {
		if t.Err == nil {
			return true
		}
	}
	return false
}

// TSA returns the subject of the time-stamping certificate, "" when there is none.
func (t *Token) TSA() string {
	if t == nil || t.Certificate == nil {
		return ""
	}
	return t.Certificate.Subject.String()
}

// Verify checks that der is one RFC 3161 time-stamp token over data (the message imprint
// is the hash of data under the token's algorithm), signed by a time-stamping certificate
// that the token carries or that is among extra, whose ESS signing-certificate attribute
// names it. The partially read token is returned with some errors (ErrImprint,
// ErrSignature, ErrNotTSA) so that a report can still show its time and authority.
func Verify(der, data []byte, extra []*x509.Certificate) (*Token, error) {
	return verify(der, func(h crypto.Hash) []byte {
		w := h.New()
		w.Write(data)
		return w.Sum(nil)
	}, extra)
}

// VerifyDigest is Verify for a caller that hashed the data itself (a PDF document
// time-stamp, over byte ranges): digest is the hash of the data under h, and the token
// must use h.
func VerifyDigest(der []byte, h crypto.Hash, digest []byte, extra []*x509.Certificate) (*Token, error) {
	return verify(der, func(th crypto.Hash) []byte {
		if th != h {
			return nil
		}
		return digest
	}, extra)
}

func verify(der []byte, imprint func(crypto.Hash) []byte, extra []*x509.Certificate) (*Token, error) {
	sd, rest, err := cms.Parse(der)
	if err != nil || len(bytes.TrimRight(rest, "\x00")) != 0 {
		return nil, ErrFormat
	}
	if !sd.ContentType.Equal(cms.OIDTSTInfo) || !sd.HasEContent || len(sd.Signers) != 1 {
		return nil, ErrFormat
	}
	info, err := cms.ParseTSTInfo(sd.EContent)
	if err != nil {
		return nil, ErrFormat
	}
	at, ok := info.Time()
	if !ok {
		return nil, ErrFormat
	}
	tok := &Token{Time: at, Raw: der}
	h, ok := cms.HashByOID(info.HashAlgorithm.OID)
	if !ok {
		return tok, fmt.Errorf("%w: imprint %s", ErrUnsupported, info.HashAlgorithm.OID)
	}
	tok.Hash = h
	si := &sd.Signers[0]
	// The signer identifier may name several certificates (the certificate sets are not
	// signed, so anyone may add a look-alike): the token's first, then the extra ones;
	// the one the signature verifies with is the authority's.
	cands := append(si.FindCertificates(sd.Certificates), si.FindCertificates(extra)...)
	if len(cands) == 0 {
		tok.Certificates = append(append(tok.Certificates, sd.Certificates...), extra...)
		return tok, ErrNoCertificate
	}
	tok.Certificate = cands[0]
	tok.Certificates = otherCertificates(sd.Certificates, extra, cands[0])
	want := imprint(h)
	if want == nil {
		return tok, fmt.Errorf("%w: imprint %s", ErrUnsupported, cms.HashName(h))
	}
	if !bytes.Equal(want, info.HashedMessage) {
		return tok, ErrImprint
	}
	cert, err := signedBy(sd, si, cands)
	if err != nil {
		return tok, err
	}
	tok.Certificate = cert
	tok.Certificates = otherCertificates(sd.Certificates, extra, cert)
	if !TimeStampingOnly(cert) {
		return tok, ErrNotTSA
	}
	return tok, nil
}

// signedBy returns the first of cands that the token's signature verifies with and its
// ESS signing-certificate attribute names. None: ErrSignature, or ErrUnsupported when a
// candidate's algorithm could not be evaluated.
func signedBy(sd *cms.SignedData, si *cms.SignerInfo, cands []*x509.Certificate) (*x509.Certificate, error) {
	th, err := si.SignerHash()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnsupported, err)
	}
	w := th.New()
	w.Write(sd.EContent)
	digest := w.Sum(nil)
	failed := ErrSignature
	for _, cert := range cands {
		if err := sd.VerifySigner(si, cert, digest); err != nil {
			if errors.Is(err, cms.ErrUnsupported) && failed == ErrSignature {
				failed = fmt.Errorf("%w: %v", ErrUnsupported, err)
			}
			continue
		}
		if sc := si.CheckSigningCertificate(cert); !sc.Present || sc.Err != nil || !sc.Match {
			// RFC 3161 §2.4.1: the ESS signing certificate attribute is required and
			// binds the TSA certificate.
			continue
		}
		return cert, nil
	}
	return nil, failed
}

// otherCertificates are the token's certificates other than cert, then extra: the
// certificates for the authority's path.
func otherCertificates(inToken, extra []*x509.Certificate, cert *x509.Certificate) []*x509.Certificate {
	var out []*x509.Certificate
	for _, c := range inToken {
		if !c.Equal(cert) {
			out = append(out, c)
		}
	}
	return append(out, extra...)
}

// oidExtKeyUsage is the extendedKeyUsage extension.
var oidExtKeyUsage = asn1.ObjectIdentifier{2, 5, 29, 37}

// TimeStampingOnly reports whether cert is a time-stamping certificate as RFC 3161 §2.3
// requires: an extendedKeyUsage extension, critical, with id-kp-timeStamping only.
func TimeStampingOnly(cert *x509.Certificate) bool {
	if len(cert.ExtKeyUsage) != 1 || cert.ExtKeyUsage[0] != x509.ExtKeyUsageTimeStamping || len(cert.UnknownExtKeyUsage) > 0 {
		return false
	}
	for _, e := range cert.Extensions {
		if e.Id.Equal(oidExtKeyUsage) {
			return e.Critical
		}
	}
	return false
}
