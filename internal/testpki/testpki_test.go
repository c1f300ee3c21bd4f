package testpki

import (
	"crypto/x509"
	"testing"
	"time"
)

func TestPersonasChainAndMatchTheirKeys(t *testing.T) {
	if len(Personas()) != 6 || Personas()[0].ID != DefaultPersona {
		t.Fatalf("personas: %d, first %q", len(Personas()), Personas()[0].ID)
	}
	for _, p := range Personas() {
		if err := p.AuthCert.CheckSignatureFrom(p.AuthCACert); err != nil {
			t.Errorf("%s: auth cert: %v", p.ID, err)
		}
		if !p.AuthKey.PublicKey.Equal(p.AuthCert.PublicKey) {
			t.Errorf("%s: auth key does not match its certificate", p.ID)
		}
		if p.SignCert == nil {
			if p.ID != "child" {
				t.Errorf("%s: no signature certificate", p.ID)
			}
			continue
		}
		if !p.SignKey.PublicKey.Equal(p.SignCert.PublicKey) {
			t.Errorf("%s: sign key does not match its certificate", p.ID)
		}
		if p.SignCert.KeyUsage != x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment {
			t.Errorf("%s: key usage %v", p.ID, p.SignCert.KeyUsage)
		}
		trusted := false
		for _, ca := range SignCAs() {
			if p.SignCert.CheckSignatureFrom(ca) == nil {
				trusted = true
			}
		}
		if trusted != (p.ID != "impostor") {
			t.Errorf("%s: chains to a test signature CA = %v", p.ID, trusted)
		}
		if err := p.SignCert.CheckSignatureFrom(p.SignCACert); err != nil {
			t.Errorf("%s: SignCACert did not issue SignCert: %v", p.ID, err)
		}
	}
}

func TestImpostorCopiesTheName(t *testing.T) {
	if string(ImpostorCA().RawSubject) != string(SignCAs()[0].RawSubject) ||
		string(SignCAs()[0].RawSubject) != string(SignCAs()[1].RawSubject) {
		t.Fatal("the test signature CAs and the impostor must share one subject name")
	}
	if string(ImpostorCA().SubjectKeyId) == string(SignCAs()[0].SubjectKeyId) {
		t.Fatal("impostor shares the key identifier")
	}
}

func TestMyNumbersHaveValidCheckDigits(t *testing.T) {
	for _, p := range Personas() {
		n := p.MyNumber
		if len(n) != 12 {
			t.Fatalf("%s: %d digits", p.ID, len(n))
		}
		sum := 0
		for i := 1; i <= 11; i++ {
			q := i + 1
			if i >= 7 {
				q = i - 5
			}
			sum += int(n[11-i]-'0') * q
		}
		want := 0
		if r := sum % 11; r > 1 {
			want = 11 - r
		}
		if int(n[11]-'0') != want {
			t.Errorf("%s: check digit %c, want %d", p.ID, n[11], want)
		}
	}
}

func TestCRLs(t *testing.T) {
	now := time.Now()
	for name, der := range FreshCRLs() {
		crl, err := x509.ParseRevocationList(der)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !crl.NextUpdate.After(now.AddDate(5, 0, 0)) {
			t.Errorf("%s: fresh CRL's nextUpdate %v is too close", name, crl.NextUpdate)
		}
	}
	revoked, _ := PersonaByID("revoked")
	der, _ := CRL(CRLSignFresh)
	crl, _ := x509.ParseRevocationList(der)
	if len(crl.RevokedCertificateEntries) != 1 || crl.RevokedCertificateEntries[0].SerialNumber.Cmp(revoked.SignCert.SerialNumber) != 0 {
		t.Fatal("the fresh signature CRL must revoke exactly the revoked persona")
	}
	if err := crl.CheckSignatureFrom(SignCAs()[0]); err != nil {
		t.Fatal(err)
	}
	der, _ = CRL(CRLSignBadSig)
	bad, err := x509.ParseRevocationList(der)
	if err != nil || bad.CheckSignatureFrom(SignCAs()[0]) == nil {
		t.Fatalf("bad-signature CRL: parse err %v, or its signature verifies", err)
	}
	der, _ = CRL(CRLSignStale)
	stale, _ := x509.ParseRevocationList(der)
	if stale.NextUpdate.After(now) || stale.Number.Cmp(crl.Number) >= 0 {
		t.Fatal("stale CRL must be past its nextUpdate and older than the fresh one")
	}
}
