package testpki

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"math/big"
	"time"
)

// ForeignCA is a CA made at test time, outside the committed test PKI and unknown to
// every trust store: a stand-in for an LGPKI, GPKI or private CA that a user adds as a
// trust anchor.
type ForeignCA struct {
	Cert *x509.Certificate
	Key  *ecdsa.PrivateKey
	next int64
}

// NewForeignCA makes a self-signed ECDSA P-256 CA named cn, valid from notBefore to
// notAfter.
func NewForeignCA(cn string, notBefore, notAfter time.Time) (*ForeignCA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: cn, Organization: []string{"mynasign test"}},
		NotBefore: notBefore, NotAfter: notAfter, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("foreign CA: %w", err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &ForeignCA{Cert: c, Key: key, next: 100}, nil
}

// Issue makes an end-entity certificate for cn with the given key usage (and the CA
// flag when ca is true), publishing its CRL at crlURL when that is not empty.
func (ca *ForeignCA) Issue(cn string, usage x509.KeyUsage, isCA bool, crlURL string, notBefore, notAfter time.Time) (*x509.Certificate, *ecdsa.PrivateKey, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	ca.next++
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(ca.next), Subject: pkix.Name{CommonName: cn},
		NotBefore: notBefore, NotAfter: notAfter, KeyUsage: usage,
		BasicConstraintsValid: true, IsCA: isCA,
	}
	if crlURL != "" {
		tmpl.CRLDistributionPoints = []string{crlURL}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, &key.PublicKey, ca.Key)
	if err != nil {
		return nil, nil, fmt.Errorf("foreign certificate: %w", err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, err
	}
	return c, key, nil
}

// CRL makes a DER CRL of the CA listing revoked (revoked at revokedAt), with an issuing
// distribution point naming idpURL when that is not empty.
func (ca *ForeignCA) CRL(number int64, thisUpdate, nextUpdate, revokedAt time.Time, idpURL string, revoked ...*x509.Certificate) ([]byte, error) {
	tmpl := &x509.RevocationList{Number: big.NewInt(number), ThisUpdate: thisUpdate, NextUpdate: nextUpdate}
	for _, c := range revoked {
		tmpl.RevokedCertificateEntries = append(tmpl.RevokedCertificateEntries,
			x509.RevocationListEntry{SerialNumber: c.SerialNumber, RevocationTime: revokedAt})
	}
	if idpURL != "" {
		// IssuingDistributionPoint ::= SEQUENCE { [0] DistributionPointName { [0] fullName { [6] URI } } }
		uri := append([]byte{0x86, byte(len(idpURL))}, idpURL...)
		full := append([]byte{0xa0, byte(len(uri))}, uri...)
		dpn := append([]byte{0xa0, byte(len(full))}, full...)
		idp := append([]byte{0x30, byte(len(dpn))}, dpn...)
		tmpl.ExtraExtensions = append(tmpl.ExtraExtensions, pkix.Extension{Id: []int{2, 5, 29, 28}, Critical: true, Value: idp})
	}
	return x509.CreateRevocationList(rand.Reader, tmpl, ca.Cert, ca.Key)
}

// IssueTSA makes a time-stamping authority's certificate for cn: extendedKeyUsage
// timeStamping only, marked critical, as RFC 3161 §2.3 requires.
func (ca *ForeignCA) IssueTSA(cn string, notBefore, notAfter time.Time) (*x509.Certificate, *ecdsa.PrivateKey, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	ca.next++
	eku, err := asn1.Marshal([]asn1.ObjectIdentifier{{1, 3, 6, 1, 5, 5, 7, 3, 8}})
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(ca.next), Subject: pkix.Name{CommonName: cn, Organization: []string{"mynasign test"}},
		NotBefore: notBefore, NotAfter: notAfter, KeyUsage: x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		ExtraExtensions:       []pkix.Extension{{Id: asn1.ObjectIdentifier{2, 5, 29, 37}, Critical: true, Value: eku}},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, &key.PublicKey, ca.Key)
	if err != nil {
		return nil, nil, fmt.Errorf("time-stamping certificate: %w", err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, err
	}
	return c, key, nil
}
