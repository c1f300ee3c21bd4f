package trust

import (
	"archive/zip"
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/mynasign/mynasign/internal/testpki"
)

// testStoreNoBuiltin is the test trust store without its built-in CRLs, so that a test
// sees only what it imported.
func testStoreNoBuiltin(t testing.TB) *TrustStore {
	t.Helper()
	ts, err := LoadTrustStore(StoreTest)
	if err != nil {
		t.Fatal(err)
	}
	ts.builtinCRLs = nil
	return ts
}

// policyOn builds a policy over the given trust store and CRL directory.
func policyOn(t testing.TB, ts *TrustStore, dir string, at time.Time) *Policy {
	t.Helper()
	src, err := newPolicySource(ts, dir, true)
	if err != nil {
		t.Fatal(err)
	}
	return &Policy{store: ts, crls: src, crlDir: dir, at: at, minRSA: 2048, purpose: purposeDocumentSigning}
}

// writeCommittedCRL copies a committed test CRL into dir.
func writeCommittedCRL(t testing.TB, dir, name string) string {
	t.Helper()
	der, err := testpki.CRL(name)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, der, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// makeCRL issues a CRL with a test CA ("sign-ca-2023", …).
func makeCRL(t testing.TB, ca string, number int64, this, next time.Time, entries []x509.RevocationListEntry, exts []pkix.Extension) []byte {
	t.Helper()
	cert, err := testpki.CACert(ca)
	if err != nil {
		t.Fatal(err)
	}
	key, err := testpki.CAKey(ca)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.CreateRevocationList(rand.Reader, &x509.RevocationList{
		Number: big.NewInt(number), ThisUpdate: this, NextUpdate: next,
		RevokedCertificateEntries: entries, ExtraExtensions: exts, SignatureAlgorithm: x509.SHA256WithRSA,
	}, cert, key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// snapshot records every file of a directory tree with its content hash.
func snapshot(t testing.TB, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil
			}
			t.Fatal(err)
		}
		if d.IsDir() {
			out[p] = "dir"
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.Sum256(b)
		out[p] = hex.EncodeToString(h[:])
		return nil
	})
	return out
}

func sameSnapshot(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestStoreImportAndCheck(t *testing.T) {
	src := t.TempDir()
	store := OpenStore(filepath.Join(t.TempDir(), "crl"))
	ts := testStoreNoBuiltin(t)
	now := time.Now()

	// Nothing imported: every persona is unknown → TRY_LATER.
	p := policyOn(t, ts, store.Dir(), now)
	r := p.CheckSigner(persona(t, "valid").SignCert, nil, nil)
	if r.Indication != Indeterminate || r.SubIndication != TryLater || r.Summary.Key != MsgRevNoCRL {
		t.Fatalf("empty store: %s/%s %v", r.Indication, r.SubIndication, r.Summary)
	}

	res, err := store.Import(ts, writeCommittedCRL(t, src, testpki.CRLSignStale))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.CRLs) != 1 || res.CRLs[0].Status != ImportAdded || res.CRLs[0].CRL.Number != "50" {
		t.Fatalf("stale import: %+v", res)
	}
	r = p.CheckSigner(persona(t, "valid").SignCert, nil, nil)
	if r.SubIndication != TryLater || r.Summary.Key != MsgRevStale || r.Revocation.StaleSince == nil ||
		!r.Revocation.StaleSince.Equal(time.Date(2025, 1, 8, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("stale CRL: %s/%s %v %+v", r.Indication, r.SubIndication, r.Summary, r.Revocation)
	}

	// The fresh CRL (number 100) supersedes the stale one (50) …
	res, err = store.Import(ts, writeCommittedCRL(t, src, testpki.CRLSignFresh), writeCommittedCRL(t, src, testpki.CRLAuthFresh))
	if err != nil {
		t.Fatal(err)
	}
	if res.CRLs[0].Status != ImportAdded || res.CRLs[0].Replaced == nil || res.CRLs[0].Replaced.Number != "50" {
		t.Fatalf("fresh import: %+v", res.CRLs[0])
	}
	// … and the stale one never overwrites it again.
	res, err = store.Import(ts, filepath.Join(src, testpki.CRLSignStale))
	if err != nil {
		t.Fatal(err)
	}
	if res.CRLs[0].Status != ImportOlder || res.CRLs[0].Kept.Number != "100" {
		t.Fatalf("older import: %+v", res.CRLs[0])
	}
	res, err = store.Import(ts, filepath.Join(src, testpki.CRLSignFresh))
	if err != nil || res.CRLs[0].Status != ImportUnchanged {
		t.Fatalf("same import: %+v %v", res, err)
	}

	list, err := store.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Kind != KindSignature || list[0].Generation != "test-2023" || list[0].Number != "100" ||
		list[0].Entries != 1 || list[1].Kind != KindAuthentication || !list[0].Test || list[0].Scope != "whole" {
		t.Fatalf("list: %+v", list)
	}

	claimed := now.Add(-time.Hour)
	for _, tc := range []struct {
		id     string
		status RevocationStatus
		sub    SubIndication
	}{
		{"valid", RevocationGood, ""},
		{"blocked", RevocationGood, ""},
		{"revoked", RevocationRevoked, Revoked},
		{"expired", RevocationUnknown, OutOfBoundsNoPOE}, // the 2019 generation's CRL is not imported
	} {
		r := p.CheckSigner(persona(t, tc.id).SignCert, nil, &claimed)
		if r.Revocation == nil || r.Revocation.Status != tc.status || r.SubIndication != tc.sub {
			t.Errorf("%s: %s/%s revocation %+v", tc.id, r.Indication, r.SubIndication, r.Revocation)
		}
	}
	r = p.CheckSigner(persona(t, "revoked").SignCert, nil, &claimed)
	rev := r.Revocation
	if rev.RevokedAt == nil || !rev.RevokedAt.Equal(time.Date(2025, 6, 1, 3, 0, 0, 0, time.UTC)) || rev.Reason != "affiliationChanged" ||
		rev.RevokedBeforeSigning == nil || !*rev.RevokedBeforeSigning || rev.CRLNumber != "100" || rev.CRLFile != testpki.CRLSignFresh {
		t.Errorf("revoked details: %+v", rev)
	}
	// The authentication certificate of the revoked persona is revoked in its own CRL.
	r = p.CheckSigner(persona(t, "revoked").AuthCert, nil, &claimed)
	if r.Revocation == nil || r.Revocation.Status != RevocationRevoked {
		t.Errorf("revoked auth certificate: %+v", r.Revocation)
	}
}

func TestStorePartition(t *testing.T) {
	src := t.TempDir()
	store := OpenStore(t.TempDir())
	ts := testStoreNoBuiltin(t)
	res, err := store.Import(ts, writeCommittedCRL(t, src, testpki.CRLSignPartition))
	if err != nil {
		t.Fatal(err)
	}
	c := res.CRLs[0].CRL
	if !strings.Contains(c.Scope, "Chiyoda-ku CRLDP") || len(c.ScopeNames) != 1 || !c.OnlyUserCerts {
		t.Fatalf("partition scope: %+v", c)
	}
	p := policyOn(t, ts, store.Dir(), time.Now())
	// valid lives in Chiyoda-ku: covered. revoked lives in Osaka: not covered.
	if r := p.CheckSigner(persona(t, "valid").SignCert, nil, nil); r.Indication != TotalPassed || r.Revocation.CRLScope != c.Scope {
		t.Errorf("valid under the Chiyoda partition: %s/%s %+v", r.Indication, r.SubIndication, r.Revocation)
	}
	if r := p.CheckSigner(persona(t, "revoked").SignCert, nil, nil); r.SubIndication != TryLater || r.Summary.Key != MsgRevNoCRL ||
		!strings.Contains(r.Summary.Args[1], "Osaka") {
		t.Errorf("revoked outside the partition: %s/%s %v", r.Indication, r.SubIndication, r.Summary)
	}
}

func TestStoreBadInput(t *testing.T) {
	src := t.TempDir()
	fresh, err := testpki.CRL(testpki.CRLSignFresh)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) string {
		p := filepath.Join(src, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	emptyZip := func() []byte {
		var buf bytes.Buffer
		if err := zip.NewWriter(&buf).Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	freshPEM := pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: fresh})
	delta := makeCRL(t, "sign-ca-2023", 101, time.Now(), time.Now().Add(time.Hour), nil,
		[]pkix.Extension{{Id: asn1.ObjectIdentifier{2, 5, 29, 27}, Critical: true, Value: []byte{2, 1, 100}}})
	unknownCrit := makeCRL(t, "sign-ca-2023", 102, time.Now(), time.Now().Add(time.Hour), nil,
		[]pkix.Extension{{Id: asn1.ObjectIdentifier{1, 2, 3, 4}, Critical: true, Value: []byte{5, 0}}})

	tests := []struct {
		name string
		path string
		key  string
	}{
		{"truncated", write("truncated.crl", fresh[:len(fresh)/2]), MsgCRLTruncated},
		{"unknown key", writeCommittedCRL(t, src, testpki.CRLImpostorUnknown), MsgCRLUnknownIssuer},
		{"bad signature", writeCommittedCRL(t, src, testpki.CRLSignBadSig), MsgCRLBadSignature},
		{"PEM garbage", write("garbage.pem", append(append([]byte{}, freshPEM[:40]...), []byte("this is not base64 !!\n-----END X509 CRL-----\n")...)), MsgCRLPEMGarbage},
		{"PEM with a certificate", write("cert.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: persona(t, "valid").SignCert.Raw})), MsgCRLPEMGarbage},
		{"PEM then garbage", write("trailing.pem", append(append([]byte{}, freshPEM...), []byte("garbage\n")...)), MsgCRLPEMGarbage},
		{"empty zip", write("empty.zip", emptyZip()), MsgCRLEmptyZip},
		{"empty file", write("empty.crl", nil), MsgCRLTruncated},
		{"not a CRL", write("text.crl", []byte("hello\n")), MsgCRLNotCRL},
		{"certificate as DER", write("cert.crl", persona(t, "valid").SignCert.Raw), MsgCRLMalformed},
		{"DER then garbage", write("trailing.crl", append(append([]byte{}, fresh...), 'x')), MsgCRLMalformed},
		{"delta CRL", write("delta.crl", delta), MsgCRLDelta},
		{"unknown critical extension", write("crit.crl", unknownCrit), MsgCRLCriticalExtension},
		{"missing file", filepath.Join(src, "nope.crl"), MsgCRLRead},
	}
	ts := testStoreNoBuiltin(t)
	dir := t.TempDir()
	store := OpenStore(dir)
	if _, err := store.Import(ts, write("good.crl", fresh)); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Alone, and together with a good CRL of another scope: nothing is stored either way.
			good := writeCommittedCRL(t, src, testpki.CRLAuthFresh)
			for _, paths := range [][]string{{tc.path}, {good, tc.path}} {
				_, err := store.Import(ts, paths...)
				var ie *ImportError
				if !errors.As(err, &ie) || len(ie.Errors) != 1 {
					t.Fatalf("import %v: %v, want one CRLError", paths, err)
				}
				ce := ie.Errors[0]
				if ce.File != tc.path || ce.Reason.Key != tc.key {
					t.Errorf("error = %q (%s %v), want %s for %s", ce.Error(), ce.Reason.Key, ce.Reason.Args, tc.key, tc.path)
				}
				if !strings.Contains(err.Error(), filepath.Base(tc.path)) {
					t.Errorf("error %q does not name the file", err)
				}
				if after := snapshot(t, dir); !sameSnapshot(before, after) {
					t.Fatalf("the store changed:\nbefore %v\nafter  %v", before, after)
				}
			}
		})
	}
	// A store that did not exist is not created by a failed import.
	missing := filepath.Join(t.TempDir(), "new")
	if _, err := OpenStore(missing).Import(ts, filepath.Join(src, "truncated.crl")); err == nil {
		t.Fatal("truncated CRL imported")
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("failed import left %s behind: %v", missing, err)
	}
}

func TestStoreImportFormats(t *testing.T) {
	src := t.TempDir()
	fresh, _ := testpki.CRL(testpki.CRLSignFresh)
	auth, _ := testpki.CRL(testpki.CRLAuthFresh)
	y2019, _ := testpki.CRL(testpki.CRLSign2019Fresh)
	// PEM with two CRLs, CRLF line ends and surrounding blank lines.
	pemBoth := append(pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: fresh}), '\n')
	pemBoth = append(pemBoth, pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: auth})...)
	pemBoth = bytes.ReplaceAll(pemBoth, []byte("\n"), []byte("\r\n"))
	os.WriteFile(filepath.Join(src, "both.pem"), append([]byte("\r\n"), pemBoth...), 0o644)
	// A zip with a CRL in a folder and a README (skipped).
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	for name, b := range map[string][]byte{"crl/sign-2019.crl": y2019, "README.txt": []byte("hello")} {
		w, _ := zw.Create(name)
		w.Write(b)
	}
	zw.Close()
	os.WriteFile(filepath.Join(src, "crls.zip"), zbuf.Bytes(), 0o644)

	store := OpenStore(t.TempDir())
	res, err := store.Import(testStoreNoBuiltin(t), filepath.Join(src, "both.pem"), filepath.Join(src, "crls.zip"))
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, c := range res.CRLs {
		if c.Status != ImportAdded {
			t.Errorf("%s: %s", c.File, c.Status)
		}
		files = append(files, c.CRL.File)
	}
	sort.Strings(files)
	if strings.Join(files, ",") != "both.pem#1,both.pem#2,crls.zip!crl/sign-2019.crl" {
		t.Errorf("files = %v", files)
	}
	if len(res.Skipped) != 1 || !strings.HasSuffix(res.Skipped[0], "!README.txt") {
		t.Errorf("skipped = %v", res.Skipped)
	}
	list, _ := store.List()
	if len(list) != 3 {
		t.Fatalf("list: %d CRLs", len(list))
	}
	// The expired persona (2019 generation) is now covered.
	p := policyOn(t, testStoreNoBuiltin(t), store.Dir(), time.Now())
	if r := p.CheckSigner(persona(t, "expired").SignCert, nil, nil); r.Revocation.Status != RevocationGood || r.Revocation.CRLFile != "crls.zip!crl/sign-2019.crl" {
		t.Errorf("expired persona: %+v", r.Revocation)
	}
}

// A larger CRL in random serial order (larger than maxSmallCRL, so the importer streams
// it twice from the file, imported together with small CRLs): every serial is found
// through the index, with its time and reason, by both access paths (mapped and ReadAt);
// others are not.
func TestStoreIndexLookups(t *testing.T) {
	s := syntheticCRL{seed: 99, entries: 30000, base: time.Date(2023, 8, 1, 0, 0, 0, 0, time.UTC)}
	dir := t.TempDir()
	src := filepath.Join(dir, "big.crl")
	f, err := os.Create(src)
	if err != nil {
		t.Fatal(err)
	}
	writeSyntheticCRL(t, f, "sign-ca-2023", s, 7, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	f.Close()
	if st, _ := os.Stat(src); st.Size() <= maxSmallCRL {
		t.Fatalf("the CRL has %d bytes, want more than %d", st.Size(), maxSmallCRL)
	}
	store := OpenStore(t.TempDir())
	res, err := store.Import(testStoreNoBuiltin(t), src, writeCommittedCRL(t, dir, testpki.CRLAuthFresh), writeCommittedCRL(t, dir, testpki.CRLSign2019Fresh))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range res.CRLs {
		if c.Status != ImportAdded {
			t.Fatalf("%s: %s", c.File, c.Status)
		}
	}
	idx := filepath.Join(store.Dir(), indexFileName(&res.CRLs[0].CRL))
	mapped, err := openIndexFile(idx)
	if err != nil {
		t.Fatal(err)
	}
	defer mapped.close()
	fh, err := os.Open(idx)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	st, _ := fh.Stat()
	viaReadAt, err := readIndexHeader(fh, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	viaReadAt.ra = fh
	if viaReadAt.count != int64(s.entries) || viaReadAt.keyWidth != 17 {
		t.Fatalf("index: %d records of key width %d", viaReadAt.count, viaReadAt.keyWidth)
	}
	for _, x := range []*crlIndex{mapped, viaReadAt} {
		for i := 0; i < s.entries; i++ {
			e, ok, err := x.lookup(s.serialInt(i))
			if err != nil || !ok || !e.RevokedAt.Equal(s.time(i)) || e.Reason != s.reason(i) {
				t.Fatalf("entry %d: %+v %v %v", i, e, ok, err)
			}
		}
		for i := 0; i < 1000; i++ {
			absent := (syntheticCRL{seed: 100}).serialInt(i)
			if _, ok, _ := x.lookup(absent); ok {
				t.Fatalf("absent serial %x found", absent)
			}
		}
		for _, n := range []int64{0, 1, -1} {
			if _, ok, _ := x.lookup(big.NewInt(n)); ok {
				t.Fatalf("serial %d found", n)
			}
		}
	}
}
