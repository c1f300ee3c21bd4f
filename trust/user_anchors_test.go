package trust

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/mynasign/mynasign/internal/testpki"
)

func foreignCA(t *testing.T, cn string) *testpki.ForeignCA {
	t.Helper()
	now := time.Now()
	ca, err := testpki.NewForeignCA(cn, now.AddDate(-1, 0, 0), now.AddDate(5, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	return ca
}

func writePEM(t *testing.T, c *x509.Certificate) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestUserAnchorStoreAddListRemove(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "anchors")
	s := OpenAnchorStore(dir)
	if l, err := s.List(); err != nil || len(l) != 0 {
		t.Fatalf("missing store: %v %v", l, err)
	}
	ca := foreignCA(t, "Foreign Test CA")
	added, err := s.AddFiles(AddOptions{}, writePEM(t, ca.Cert))
	if err != nil || len(added) != 1 || added[0].Status != AnchorAdded {
		t.Fatalf("add: %+v %v", added, err)
	}
	a := added[0].Anchor
	if a.Name != "Foreign Test CA" || a.Purpose != PurposeSigning || a.ID != anchorID(ca.Cert) || len(a.ID) != 16 ||
		a.SHA256 != Fingerprint(ca.Cert) || a.Added.IsZero() {
		t.Errorf("added anchor: %+v", a)
	}
	// Adding it again (as DER) changes nothing.
	again, err := s.Add(AddOptions{Name: "other", Purpose: PurposeTimestamp}, AnchorInput{File: "ca.der", Data: ca.Cert.Raw})
	if err != nil || again[0].Status != AnchorAlready || again[0].Anchor.Name != "Foreign Test CA" {
		t.Fatalf("add again: %+v %v", again, err)
	}
	tsa := foreignCA(t, "TSA Root")
	if _, err := s.Add(AddOptions{Name: " 時刻認証局 ", Purpose: PurposeTimestamp}, AnchorInput{File: "tsa.der", Data: tsa.Cert.Raw}); err != nil {
		t.Fatal(err)
	}
	list, err := s.List()
	if err != nil || len(list) != 2 || list[0].Name != "Foreign Test CA" || list[1].Name != "時刻認証局" || list[1].Purpose != PurposeTimestamp {
		t.Fatalf("list: %+v %v", list, err)
	}
	// A policy trusts both; only the signing one for signers.
	p, err := NewPolicy(Options{AnchorDir: dir, CRLDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	var users, ts int
	for _, an := range p.Anchors() {
		if an.User {
			users++
			if an.Purpose == PurposeTimestamp {
				ts++
			}
		}
	}
	if users != 2 || ts != 1 {
		t.Errorf("policy anchors: %d user, %d timestamp", users, ts)
	}
	if _, err := s.Remove("0000000000000000"); !errors.Is(err, ErrUnknownAnchor) {
		t.Errorf("remove unknown: %v", err)
	}
	if r, err := s.Remove(a.ID); err != nil || r.ID != a.ID {
		t.Fatalf("remove: %+v %v", r, err)
	}
	if list, _ := s.List(); len(list) != 1 || list[0].Name != "時刻認証局" {
		t.Errorf("after remove: %+v", list)
	}
}

func TestUserAnchorRefusals(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "anchors")
	s := OpenAnchorStore(dir)
	ca := foreignCA(t, "Foreign CA")
	now := time.Now()
	leaf, _, err := ca.Issue("leaf", x509.KeyUsageDigitalSignature, false, "", now.Add(-time.Hour), now.AddDate(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	builtin, err := productionAnchors()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		in   AnchorInput
		opts AddOptions
		key  string
	}{
		{"end entity", AnchorInput{File: "leaf.der", Data: leaf.Raw}, AddOptions{}, MsgAnchorNotCA},
		{"garbage", AnchorInput{File: "x.der", Data: []byte("not a certificate")}, AddOptions{}, MsgAnchorNotCertificate},
		{"private key PEM", AnchorInput{File: "k.pem", Data: pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1}})}, AddOptions{}, MsgAnchorNotCertificate},
		{"built in", AnchorInput{File: "jlis.der", Data: builtin[0].Cert.Raw}, AddOptions{}, MsgAnchorBuiltin},
		{"bad name", AnchorInput{File: "ca.der", Data: ca.Cert.Raw}, AddOptions{Name: "a\nb"}, MsgAnchorBadName},
	} {
		// The good CA comes first: all or nothing, so it must not be stored either.
		_, err := s.Add(c.opts, AnchorInput{File: "good.der", Data: ca.Cert.Raw}, c.in)
		var ae *AnchorError
		if !errors.As(err, &ae) || ae.Reason.Key != c.key {
			t.Errorf("%s: %v, want %s", c.name, err, c.key)
		}
		if l, _ := s.List(); len(l) != 0 {
			t.Errorf("%s: store changed: %+v", c.name, l)
		}
	}
}

// A damaged anchor file is listed as damaged, does not stop a policy, and can be removed.
func TestUserAnchorDamagedFile(t *testing.T) {
	dir := t.TempDir()
	s := OpenAnchorStore(dir)
	ca := foreignCA(t, "Good CA")
	if _, err := s.Add(AddOptions{}, AnchorInput{File: "ca.der", Data: ca.Cert.Raw}); err != nil {
		t.Fatal(err)
	}
	bad := "ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12" + anchorExt
	if err := os.WriteFile(filepath.Join(dir, bad), []byte("{garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	list, err := s.List()
	if err != nil || len(list) != 2 || list[0].Problem == nil || list[0].Problem.Key != MsgAnchorDamaged || list[0].ID != "ab12cd34ef56ab12" || list[1].Problem != nil {
		t.Fatalf("list: %+v %v", list, err)
	}
	p, err := NewPolicy(Options{AnchorDir: dir, CRLDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, a := range p.Anchors() {
		if a.User {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d user anchors loaded, want 1", n)
	}
	if _, err := s.Remove("AB12CD34EF56AB12"); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.List(); len(list) != 1 {
		t.Errorf("after removing the damaged one: %+v", list)
	}
}

// A signer under a user anchor chains (anchor.source user, not JPKI), key usage still
// matters, revocation needs the CA's CRL (named by its URL when missing), and without
// the anchor there is no chain.
func TestUserAnchorChainAndRevocation(t *testing.T) {
	dir, crlDir := t.TempDir(), t.TempDir()
	ca := foreignCA(t, "Municipal CA")
	now := time.Now()
	const url = "http://crl.example.test/municipal.crl"
	signer, _, err := ca.Issue("Clerk", x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment, false, url, now.Add(-time.Hour), now.AddDate(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	authOnly, _, err := ca.Issue("Server", x509.KeyUsageKeyEncipherment, false, url, now.Add(-time.Hour), now.AddDate(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	policy := func() *Policy {
		p, err := NewPolicy(Options{AnchorDir: dir, CRLDir: crlDir})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	r := policy().CheckSigner(signer, nil, nil)
	if r.SubIndication != NoCertificateChainFound || r.Certificate.Anchor != nil {
		t.Fatalf("without anchor: %s/%s", r.Indication, r.SubIndication)
	}
	s := OpenAnchorStore(dir)
	if _, err := s.Add(AddOptions{Name: "市役所CA"}, AnchorInput{File: "ca.der", Data: ca.Cert.Raw}); err != nil {
		t.Fatal(err)
	}
	r = policy().CheckSigner(signer, nil, nil)
	an := r.Certificate.Anchor
	if r.Indication != Indeterminate || r.SubIndication != TryLater || an == nil || an.Source != AnchorUser || an.Name != "市役所CA" ||
		r.Certificate.Kind != KindNotJPKI || r.Summary.Key != MsgRevNoCRL || r.Summary.Args[1] != url {
		t.Fatalf("with anchor, no CRL: %s/%s %+v %+v", r.Indication, r.SubIndication, an, r.Summary)
	}
	if r := policy().CheckSigner(authOnly, nil, nil); r.SubIndication != ChainConstraintsFailure {
		t.Errorf("key encipherment only: %s/%s", r.Indication, r.SubIndication)
	}

	// A CRL of the CA published at that URL covers the signer: good, then revoked.
	importCRL := func(number int64, revoked ...*x509.Certificate) {
		der, err := ca.CRL(number, now.Add(-time.Hour), now.AddDate(0, 0, 7), now.Add(-30*time.Minute), url, revoked...)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(t.TempDir(), "municipal.crl")
		if err := os.WriteFile(p, der, 0o644); err != nil {
			t.Fatal(err)
		}
		ts, err := LoadTrustStoreFor(Options{AnchorDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := OpenStore(crlDir).Import(ts, p); err != nil {
			t.Fatal(err)
		}
	}
	importCRL(1)
	if r := policy().CheckSigner(signer, nil, nil); r.Indication != TotalPassed || r.Revocation.CRLScope != url {
		t.Fatalf("with CRL: %s/%s %+v", r.Indication, r.SubIndication, r.Revocation)
	}
	importCRL(2, signer)
	if r := policy().CheckSigner(signer, nil, nil); r.Indication != TotalFailed || r.SubIndication != Revoked {
		t.Fatalf("revoked: %s/%s", r.Indication, r.SubIndication)
	}
	// A CRL at another URL does not cover it.
	other, _, err := ca.Issue("Elsewhere", x509.KeyUsageDigitalSignature, false, "http://other.example.test/x.crl", now.Add(-time.Hour), now.AddDate(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if r := policy().CheckSigner(other, nil, nil); r.SubIndication != TryLater {
		t.Errorf("other URL: %s/%s", r.Indication, r.SubIndication)
	}

	// Removed: back to no chain.
	if _, err := s.Remove(anchorID(ca.Cert)); err != nil {
		t.Fatal(err)
	}
	if r := policy().CheckSigner(signer, nil, nil); r.SubIndication != NoCertificateChainFound {
		t.Errorf("after remove: %s/%s", r.Indication, r.SubIndication)
	}
}

// A built-in anchor is reported as such.
func TestBuiltinAnchorReported(t *testing.T) {
	p, err := NewPolicy(Options{TrustStore: StoreTest, AnchorDir: t.TempDir(), CRLDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	per, err := testpki.PersonaByID(testpki.DefaultPersona)
	if err != nil {
		t.Fatal(err)
	}
	r := p.CheckSigner(per.SignCert, nil, nil)
	if a := r.Certificate.Anchor; a == nil || a.Source != AnchorBuiltin || a.Name == "" || len(a.SHA256) != 64 {
		t.Errorf("anchor: %+v", a)
	}
}
