package testpki

import (
	"crypto/rand"
	"crypto/x509"
	"fmt"
	"math/big"
	"sync"
	"time"
)

// Validity of the expired authentication certificates ExpiredAuthCert issues: within the
// test authentication CA's validity, ended on the day the expired persona's signature
// certificate ended.
var (
	expiredAuthNotBefore = time.Date(2023, 8, 1, 0, 0, 0, 0, time.UTC)
	expiredAuthNotAfter  = time.Date(2024, 2, 20, 14, 59, 59, 0, time.UTC)
)

var expiredAuth sync.Map // persona ID → *x509.Certificate

// ExpiredAuthCert returns an authentication certificate for p's authentication key that
// is like p.AuthCert (subject, extensions, issuer: the test authentication CA) but
// expired on 2024-02-20: what the identity check sees on a card whose authentication
// certificate ran out. It is issued once per persona and process (not committed: the
// committed personas keep their valid authentication certificates).
func ExpiredAuthCert(p *Persona) (*x509.Certificate, error) {
	if c, ok := expiredAuth.Load(p.ID); ok {
		return c.(*x509.Certificate), nil
	}
	key, err := CAKey("auth-ca-2023")
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:       new(big.Int).Add(p.AuthCert.SerialNumber, big.NewInt(1)),
		RawSubject:         p.AuthCert.RawSubject,
		NotBefore:          expiredAuthNotBefore,
		NotAfter:           expiredAuthNotAfter,
		KeyUsage:           p.AuthCert.KeyUsage,
		SubjectKeyId:       p.AuthCert.SubjectKeyId,
		SignatureAlgorithm: x509.SHA256WithRSA,
	}
	for _, e := range p.AuthCert.Extensions {
		switch e.Id.String() {
		case "2.5.29.15", "2.5.29.14", "2.5.29.35":
			// keyUsage, subject and authority key identifiers: set from the template.
		default:
			tmpl.ExtraExtensions = append(tmpl.ExtraExtensions, e)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, p.AuthCACert, &p.AuthKey.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("testpki: issuing the expired authentication certificate of %s: %w", p.ID, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("testpki: %w", err)
	}
	c, _ := expiredAuth.LoadOrStore(p.ID, cert)
	return c.(*x509.Certificate), nil
}
