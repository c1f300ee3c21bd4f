package trust

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"testing"

	"github.com/mynasign/mynasign/internal/testpki"
)

func TestCheckAuthCertificate(t *testing.T) {
	policy, err := NewPolicy(Options{TrustStore: StoreTest, CRLDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	valid := persona(t, "valid")
	r := policy.CheckAuthCertificate(valid.AuthCert, []*x509.Certificate{valid.AuthCACert})
	if !r.Passed || r.Summary.Key != MsgAuthOK || r.Revocation.Status != RevocationGood || r.Certificate.Kind != KindAuthentication {
		t.Fatalf("valid: %+v", r)
	}
	r = policy.CheckAuthCertificate(persona(t, "revoked").AuthCert, nil)
	if r.Passed || r.Summary.Key != MsgAuthRevoked || r.Revocation.Reason != "affiliationChanged" {
		t.Fatalf("revoked: %+v", r)
	}
	exp, err := testpki.ExpiredAuthCert(persona(t, "expired"))
	if err != nil {
		t.Fatal(err)
	}
	if r = policy.CheckAuthCertificate(exp, nil); r.Passed || r.Summary.Key != MsgAuthExpired {
		t.Fatalf("expired: %+v", r)
	}
	// A signature certificate is not an authentication certificate, even from J-LIS.
	if r = policy.CheckAuthCertificate(valid.SignCert, nil); r.Passed || r.Summary.Key != MsgAuthNotAuthCA {
		t.Fatalf("signature certificate: %+v", r)
	}
	if r = policy.CheckAuthCertificate(nil, nil); r.Passed {
		t.Fatal("no certificate passed")
	}
	// Without the authentication CRL: never a pass, and said so.
	bare, err := NewPolicy(Options{TrustStore: StoreTest, CRLDir: t.TempDir(), ImportedCRLsOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if r = bare.CheckAuthCertificate(valid.AuthCert, nil); r.Passed || r.Summary.Key != MsgAuthRevocationNotChk || r.Summary.Args[0] != "—" {
		t.Fatalf("no CRL: %+v", r)
	}
}

func TestVerifyChallengeResponse(t *testing.T) {
	p := persona(t, "valid")
	challenge := []byte("0123456789abcdef0123456789abcdef")
	h := sha256.Sum256(challenge)
	sig, err := rsa.SignPKCS1v15(nil, p.AuthKey, crypto.SHA256, h[:])
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyChallengeResponse(p.AuthCert, challenge, sig); err != nil {
		t.Fatal(err)
	}
	other := append([]byte(nil), challenge...)
	other[0] ^= 1
	if err := VerifyChallengeResponse(p.AuthCert, other, sig); !errors.Is(err, ErrChallengeResponse) {
		t.Fatalf("another challenge: %v", err)
	}
	if err := VerifyChallengeResponse(persona(t, "revoked").AuthCert, challenge, sig); !errors.Is(err, ErrChallengeResponse) {
		t.Fatalf("another card's certificate: %v", err)
	}
}
