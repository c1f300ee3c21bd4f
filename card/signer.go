package card

import (
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
)

// DigestInfo prefixes (RFC 8017 §9.2 note 1): the DER of the algorithm identifier and
// the OCTET STRING header, to which the hash is appended.
var digestInfoPrefix = map[crypto.Hash][]byte{
	crypto.SHA256: {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20},
	crypto.SHA384: {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30},
	crypto.SHA512: {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40},
}

// DigestInfo returns the DER DigestInfo of a SHA-256, SHA-384 or SHA-512 digest: what
// COMPUTE DIGITAL SIGNATURE takes.
func DigestInfo(h crypto.Hash, digest []byte) ([]byte, error) {
	prefix, ok := digestInfoPrefix[h]
	if !ok {
		return nil, fmt.Errorf("hash %v not supported: use SHA-256, SHA-384 or SHA-512", h)
	}
	if len(digest) != h.Size() {
		return nil, fmt.Errorf("digest has %d bytes, %v needs %d", len(digest), h, h.Size())
	}
	return append(append(make([]byte, 0, len(prefix)+len(digest)), prefix...), digest...), nil
}

// Signer is a crypto.Signer over the card's signature key: Sign sends the DigestInfo to
// the card (COMPUTE DIGITAL SIGNATURE), which pads it (PKCS#1 v1.5) and signs; the key
// never leaves the card. It needs the signature password verified in the session; each
// Sign is one transaction, and one verification serves any number of signatures until
// the card is reset, removed, or Logout is called.
type Signer struct {
	s    *Session
	cert *x509.Certificate
	pub  *rsa.PublicKey
}

// Signer returns the crypto.Signer of the signature key. It reads the signature
// certificate for the public key, so the signature password must be verified first.
func (s *Session) Signer() (*Signer, error) {
	cert, err := s.SignCertificate()
	if err != nil {
		return nil, err
	}
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("signature certificate key is %T: only RSA keys are supported", cert.PublicKey)
	}
	return &Signer{s: s, cert: cert, pub: pub}, nil
}

// Public returns the public key of the signature certificate.
func (g *Signer) Public() crypto.PublicKey { return g.pub }

// Certificate returns the signature certificate the key belongs to.
func (g *Signer) Certificate() *x509.Certificate { return g.cert }

// Sign signs digest, which must be the SHA-256, SHA-384 or SHA-512 hash named by opts;
// rand is not used (the card pads deterministically). PSS is not supported by the
// card. The signature is checked against the certificate's key before it is returned.
func (g *Signer) Sign(_ io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	if opts == nil {
		return nil, errors.New("card signer: no hash given")
	}
	if _, ok := opts.(*rsa.PSSOptions); ok {
		return nil, errors.New("card signer: RSA-PSS is not supported by the card")
	}
	h := opts.HashFunc()
	info, err := DigestInfo(h, digest)
	if err != nil {
		return nil, fmt.Errorf("card signer: %w", err)
	}
	var sig []byte
	err = g.s.do("signing with the card", func(s *Session) error {
		var err error
		sig, err = s.computeSignature(info)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(sig) != g.pub.Size() {
		return nil, &ProtocolError{Op: "COMPUTE DIGITAL SIGNATURE", Detail: fmt.Sprintf("signature has %d bytes, the key %d", len(sig), g.pub.Size())}
	}
	if err := rsa.VerifyPKCS1v15(g.pub, h, digest, sig); err != nil {
		return nil, &ProtocolError{Op: "COMPUTE DIGITAL SIGNATURE", Detail: "the card's signature does not verify with the signature certificate"}
	}
	return sig, nil
}

// computeSignature sends COMPUTE DIGITAL SIGNATURE with the signature key.
func (s *Session) computeSignature(info []byte) ([]byte, error) {
	if err := s.requireMyNumberCard(); err != nil {
		return nil, err
	}
	if !s.signVerified {
		return nil, ErrSecurityStatusNotSatisfied
	}
	p2 := byte(0x80)
	if s.opts.ShortFileIDs {
		p2 |= efSignKey
	} else if err := s.selectEF(appJPKI, efSignKey); err != nil {
		var se *StatusError
		if asStatus(err, &se) {
			return nil, s.signStateLost(err)
		}
		return nil, err
	}
	resp, err := s.exchange(Command{CLA: 0x80, INS: insSign, P1: 0x00, P2: p2, Data: info, Le: 256})
	if err != nil {
		return nil, err
	}
	switch resp.SW {
	case SWOK:
		return resp.Data, nil
	case SWSecurityNotSatisfied, SWFileNotFound, SWReferenceNotFound:
		return nil, s.signStateLost(&StatusError{Op: "COMPUTE DIGITAL SIGNATURE", SW: resp.SW})
	}
	return nil, &StatusError{Op: "COMPUTE DIGITAL SIGNATURE", SW: resp.SW}
}

// signStateLost records that the card no longer holds our verification (another
// program selected something, or the card was reset) and says so.
func (s *Session) signStateLost(err error) error {
	s.signVerified = false
	s.app, s.ef = appUnknown, 0
	if errors.Is(err, ErrSecurityStatusNotSatisfied) {
		return err
	}
	return fmt.Errorf("%w (%v)", ErrSecurityStatusNotSatisfied, err)
}
