package trust

import (
	"crypto/x509"
	"testing"
	"time"

	"github.com/mynasign/mynasign/internal/testpki"
)

func testPolicy(t *testing.T, store string) *Policy {
	t.Helper()
	p, err := NewPolicy(Options{TrustStore: store, CRLDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func persona(t testing.TB, id string) *testpki.Persona {
	t.Helper()
	p, err := testpki.PersonaByID(id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCheckSignerPersonas(t *testing.T) {
	claimed := time.Date(2026, 1, 10, 3, 0, 0, 0, time.UTC)
	beforeRevocation := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		store   string
		cert    func(t *testing.T) *x509.Certificate
		claimed *time.Time
		ind     Indication
		sub     SubIndication
		key     string
		rev     RevocationStatus
	}{
		{"valid", StoreTest, func(t *testing.T) *x509.Certificate { return persona(t, "valid").SignCert }, &claimed, TotalPassed, "", MsgCertOKTest, RevocationGood},
		{"valid without claimed time", StoreTest, func(t *testing.T) *x509.Certificate { return persona(t, "valid").SignCert }, nil, TotalPassed, "", MsgCertOKTest, RevocationGood},
		{"blocked card's certificate is fine", StoreTest, func(t *testing.T) *x509.Certificate { return persona(t, "blocked").SignCert }, &claimed, TotalPassed, "", MsgCertOKTest, RevocationGood},
		{"revoked", StoreTest, func(t *testing.T) *x509.Certificate { return persona(t, "revoked").SignCert }, &claimed, TotalFailed, Revoked, MsgRevRevoked, RevocationRevoked},
		{"revoked, claimed before revocation", StoreTest, func(t *testing.T) *x509.Certificate { return persona(t, "revoked").SignCert }, &beforeRevocation, Indeterminate, RevokedNoPOE, MsgRevRevokedNoPOE, RevocationRevoked},
		{"expired", StoreTest, func(t *testing.T) *x509.Certificate { return persona(t, "expired").SignCert }, nil, Indeterminate, OutOfBoundsNoPOE, MsgCertExpiredNoPOE, RevocationGood},
		{"impostor", StoreTest, func(t *testing.T) *x509.Certificate { return persona(t, "impostor").SignCert }, &claimed, Indeterminate, NoCertificateChainFound, MsgChainUnknownKey, ""},
		{"authentication certificate", StoreTest, func(t *testing.T) *x509.Certificate { return persona(t, "valid").AuthCert }, &claimed, Indeterminate, ChainConstraintsFailure, MsgCertAuthNotSigner, RevocationGood},
		{"child's authentication certificate", StoreTest, func(t *testing.T) *x509.Certificate { return persona(t, "child").AuthCert }, &claimed, Indeterminate, ChainConstraintsFailure, MsgCertAuthNotSigner, RevocationGood},
		{"test certificate under production", StoreProduction, func(t *testing.T) *x509.Certificate { return persona(t, "valid").SignCert }, &claimed, Indeterminate, NoCertificateChainFound, MsgChainNoIssuer, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := testPolicy(t, tc.store)
			r := p.CheckSigner(tc.cert(t), nil, tc.claimed)
			if r.Indication != tc.ind || r.SubIndication != tc.sub || r.Summary.Key != tc.key {
				t.Fatalf("got %s/%s %v, want %s/%s %s; checks %+v", r.Indication, r.SubIndication, r.Summary, tc.ind, tc.sub, tc.key, r.Checks)
			}
			if tc.rev == "" {
				if r.Revocation != nil {
					t.Errorf("revocation %+v without a chain", r.Revocation)
				}
			} else if r.Revocation == nil || r.Revocation.Status != tc.rev {
				t.Errorf("revocation = %+v, want %s", r.Revocation, tc.rev)
			}
			if !r.Signer.Test || !r.Certificate.Test {
				t.Errorf("a test PKI certificate must be marked test: signer %v certificate %v", r.Signer.Test, r.Certificate.Test)
			}
		})
	}
}
