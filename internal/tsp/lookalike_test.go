package tsp

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"testing"

	"github.com/mynasign/mynasign/internal/cms"
	"github.com/mynasign/mynasign/internal/testenv"
)

// lookAlike makes a certificate with the issuer name, serial number, subject and
// extensions of c but another key, signed by another key: what anyone can add to a
// document's /DSS or a token's certificate set.
func lookAlike(t *testing.T, c *x509.Certificate) *x509.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	parent := &x509.Certificate{RawSubject: c.RawIssuer, SubjectKeyId: c.AuthorityKeyId}
	tmpl := &x509.Certificate{SerialNumber: c.SerialNumber, Subject: c.Subject, NotBefore: c.NotBefore, NotAfter: c.NotAfter,
		KeyUsage: c.KeyUsage, BasicConstraintsValid: true, ExtraExtensions: c.Extensions}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	fake, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return fake
}

// A token that leaves its certificate out (certReq false) verifies with the authority's
// certificate among the extra ones even when a look-alike (same issuer and serial number,
// another key) comes first: the signer identifier names both, and only the signature
// tells which is the authority's, as for a document's signer.
func TestVerifyLookAlikeCertificate(t *testing.T) {
	tsa := testenv.NewTSA(t)
	data := []byte("署名値のつもり")
	digest := sha256.Sum256(data)
	oid, _ := cms.OIDByHash(crypto.SHA256)
	req, err := asn1.Marshal(timeStampReq{Version: 1, MessageImprint: messageImprint{
		HashAlgorithm: algorithmIdentifier{Algorithm: oid}, HashedMessage: digest[:]}})
	if err != nil {
		t.Fatal(err)
	}
	body, err := (&Client{URL: tsa.URL}).post(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	token, err := parseResponse(body)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(token, data, nil); err != ErrNoCertificate {
		t.Fatalf("token without its certificate: %v, want ErrNoCertificate", err)
	}
	fake := lookAlike(t, tsa.Cert)
	tok, err := Verify(token, data, []*x509.Certificate{fake, tsa.Cert})
	if err != nil {
		t.Fatalf("look-alike first among the extra certificates: %v", err)
	}
	if !tok.Certificate.Equal(tsa.Cert) {
		t.Errorf("token certificate %v, want the authority's", tok.Certificate.Subject)
	}
	if _, err := Verify(token, data, []*x509.Certificate{fake}); err != ErrSignature {
		t.Errorf("look-alike only: %v, want ErrSignature", err)
	}
}
