package card

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
)

// SignCertificate returns the signature certificate (署名用電子証明書, EF 0001). The
// card releases it only after the signature password was verified: before that, or on
// a card that forgot the verification, the error matches
// ErrSecurityStatusNotSatisfied. A card without one gives ErrNoSignCertificate.
//
// The certificate carries the holder's name, address, birth date and sex: do not log
// it.
func (s *Session) SignCertificate() (*x509.Certificate, error) {
	return s.certificate(efSignCert, "reading the signature certificate")
}

// SignCACertificate returns the certificate of the CA that issued the signature
// certificate (EF 0002).
func (s *Session) SignCACertificate() (*x509.Certificate, error) {
	return s.certificate(efSignCACert, "reading the signature CA certificate")
}

// AuthCertificate returns the user-authentication certificate (利用者証明用電子証明書,
// EF 000A). It carries no personal data and needs no PIN.
func (s *Session) AuthCertificate() (*x509.Certificate, error) {
	return s.certificate(efAuthCert, "reading the authentication certificate")
}

// AuthCACertificate returns the certificate of the CA that issued the authentication
// certificate (EF 000B).
func (s *Session) AuthCACertificate() (*x509.Certificate, error) {
	return s.certificate(efAuthCACert, "reading the authentication CA certificate")
}

func (s *Session) certificate(fid uint16, op string) (*x509.Certificate, error) {
	var cert *x509.Certificate
	err := s.do(op, func(s *Session) error {
		var err error
		cert, err = s.certificateLocked(fid)
		return err
	})
	return cert, err
}

// certificateLocked reads (or returns the cached) certificate in fid.
func (s *Session) certificateLocked(fid uint16) (*x509.Certificate, error) {
	if err := s.requireMyNumberCard(); err != nil {
		return nil, err
	}
	if c, ok := s.certs[fid]; ok {
		return c, nil
	}
	if fid == efSignCert && !s.signVerified {
		return nil, ErrSecurityStatusNotSatisfied
	}
	der, err := s.readTLVFile(appJPKI, fid)
	if err != nil {
		var se *StatusError
		if fid == efSignCert && errors.As(err, &se) && se.SW == SWFileNotFound {
			return nil, ErrNoSignCertificate
		}
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("parsing the certificate in EF %04X: %w", fid, err)
	}
	s.certs[fid] = cert
	return cert, nil
}

// ShortID identifies a card in logs and on screen without personal data: the first 8
// hexadecimal digits of the SHA-256 of a certificate's serial number (use the
// authentication certificate, which needs no PIN).
func ShortID(cert *x509.Certificate) string {
	if cert == nil || cert.SerialNumber == nil {
		return ""
	}
	h := sha256.Sum256(cert.SerialNumber.Bytes())
	return hex.EncodeToString(h[:4])
}
