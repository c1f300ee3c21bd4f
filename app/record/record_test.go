package record

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/internal/testenv"
	"github.com/mynasign/mynasign/trust"
)

var (
	validationTime = time.Date(2026, 3, 2, 1, 2, 3, 0, time.UTC)
	thisUpdate     = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	nextUpdate     = time.Date(2046, 3, 1, 0, 0, 0, 0, time.UTC)
	signedAt       = time.Date(2026, 2, 27, 6, 30, 0, 0, time.UTC)
	revokedAt      = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
)

const (
	hashValid   = "3f1c0e7a9b2d4c6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f506"
	hashRevoked = "aa11bb22cc33dd44ee55ff66007788990011223344556677889900aabbccddee"
	crlHash     = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
)

// sampleReports are reports shaped as the verifiers produce them (the record renders what
// it is given; the verifiers' own tests check that the reports are right, and the batch
// tests in app/flow render records of real verifications).
func sampleReports() []*trust.DocumentReport {
	before := true
	signer := &trust.Signer{Name: "髙橋　花子", NameSubstituted: true, Address: "東京都千代田区霞が関二丁目１番２号",
		BirthDate: "1990-01-15", BirthEra: "heisei", Sex: "female", Subject: "C=JP, L=Tokyo, L=Chiyoda-ku, CN=TEST36331555650777", Test: true}
	cert := &trust.CertificateInfo{Kind: trust.KindSignature, Generation: "test-2023", Serial: "0a1b2c3d4e5f",
		Issuer: "C=JP, O=JPKI, OU=JPKI for digital signature (TEST)", NotBefore: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC),
		NotAfter: time.Date(2045, 1, 14, 14, 59, 59, 0, time.UTC), SHA256: strings.Repeat("5e", 32), Test: true,
		Chain: []string{signer.Subject, "C=JP, O=JPKI, OU=JPKI for digital signature (TEST)"}}
	rev := &trust.RevocationInfo{Status: trust.RevocationGood, CRLIssuer: cert.Issuer, CRLScope: "whole", CRLNumber: "100",
		CRLSHA256: crlHash, ThisUpdate: &thisUpdate, NextUpdate: &nextUpdate, Fresh: true}
	valid := &trust.DocumentReport{
		File: "/srv/inbox/申請書-001.pdf", SHA256: hashValid, Kind: "pdf",
		Indication: trust.TotalPassed, Summary: trust.Message{Key: "no.such.key.summary", Args: []string{signer.Name}},
		ValidationTime: validationTime, TrustStore: "test",
		Signatures: []trust.SignatureReport{{
			ID: "Signature1", Format: "PAdES-B-B", Indication: trust.TotalPassed, Intact: true,
			Coverage: trust.CoverageWhole, SignedContent: "bytes 0–1234 and 5678–9999 (revision 1)",
			ChangesAfterSigning: trust.Changes{Level: trust.ChangesNone}, ClaimedSigningTime: &signedAt,
			SignerClaims:    &trust.SignerClaims{Reason: "Moving notice", Location: "Kasumigaseki office"},
			DigestAlgorithm: "SHA-256", SignatureAlgorithm: "RSA PKCS#1 v1.5",
			Signer: signer, Certificate: cert, Revocation: rev, ValidationTime: validationTime,
			Checks: []trust.Check{{Name: "byterange", Passed: true}, {Name: "message-digest", Passed: true}, {Name: "chain", Passed: true}},
		}},
	}
	rsigner := *signer
	rsigner.Name, rsigner.NameSubstituted = "山田　太郎", false
	rrev := *rev
	rrev.Status, rrev.RevokedAt, rrev.Reason, rrev.RevokedBeforeSigning = trust.RevocationRevoked, &revokedAt, "affiliationChanged", &before
	revoked := &trust.DocumentReport{
		File: "/srv/inbox/届出.xml", SHA256: hashRevoked, Kind: "xml",
		Indication: trust.TotalFailed, SubIndication: trust.Revoked,
		ValidationTime: validationTime, TrustStore: "test",
		Signatures: []trust.SignatureReport{{
			ID: "sig-1", Format: "XAdES-B-B", Indication: trust.TotalFailed, SubIndication: trust.Revoked, Intact: true,
			Coverage: trust.CoverageWhole, ChangesAfterSigning: trust.Changes{Level: trust.ChangesNone},
			Signer: &rsigner, Certificate: cert, Revocation: &rrev, ValidationTime: validationTime,
			Checks:   []trust.Check{{Name: "revocation", Passed: false, Detail: trust.Message{Key: "no.such.key", Args: []string{rsigner.Name}}}},
			Warnings: []trust.Message{{Key: "no.such.warning"}},
		}},
	}
	unsigned := &trust.DocumentReport{File: "/srv/inbox/memo.pdf", SHA256: strings.Repeat("0", 64), Kind: "pdf",
		Indication: trust.Indeterminate, SubIndication: trust.SignedDataNotFound, ValidationTime: validationTime, TrustStore: "test"}
	unreadable := &trust.DocumentReport{File: "/srv/inbox/broken.pdf", Kind: "pdf",
		Error: &trust.Message{Key: "no.such.error", Args: []string{"permission denied"}}, ValidationTime: validationTime, TrustStore: "test"}
	return []*trust.DocumentReport{valid, revoked, unsigned, unreadable}
}

var created = time.Date(2026, 3, 2, 10, 15, 0, 0, time.FixedZone("JST", 9*3600))

func TestDocumentStatus(t *testing.T) {
	rs := sampleReports()
	want := []status{statusPassed, statusFailed, statusUnsigned, statusError}
	for i, r := range rs {
		if got := documentStatus(r); got != want[i] {
			t.Errorf("%s: status %s, want %s", r.File, got, want[i])
		}
	}
	// A report that claims TOTAL-PASSED without signatures has not passed.
	r := &trust.DocumentReport{Indication: trust.TotalPassed}
	if got := documentStatus(r); got != statusUnsigned {
		t.Errorf("no signatures: %s", got)
	}
	// One indeterminate signature among passed ones makes the document indeterminate.
	r = &trust.DocumentReport{Indication: trust.TotalPassed, Signatures: []trust.SignatureReport{
		{Indication: trust.TotalPassed}, {Indication: trust.Indeterminate}}}
	if got := documentStatus(r); got != statusIndeterminate {
		t.Errorf("mixed: %s", got)
	}
}

func pdftotext(t *testing.T, path string) string {
	t.Helper()
	tool := testenv.Tool(t, "pdftotext")
	out, err := exec.Command(tool, "-layout", "-enc", "UTF-8", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext %s: %v\n%s", path, err, out)
	}
	return string(out)
}

func qpdfCheck(t *testing.T, path string) {
	t.Helper()
	tool := testenv.Tool(t, "qpdf")
	out, err := exec.Command(tool, "--check", path).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "No syntax or stream encoding errors") {
		t.Errorf("qpdf --check %s: %v\n%s", path, err, out)
	}
}

func TestWritePerFileAndBatchRecords(t *testing.T) {
	dir := t.TempDir()
	paths, err := Write(sampleReports(), Options{Lang: i18n.Japanese, Created: created, Version: "9.8.7"}, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 10 { // batch + 4 files, PDF and HTML each
		t.Fatalf("wrote %d files: %v", len(paths), paths)
	}
	base := func(p string) string { return filepath.Base(p) }
	if base(paths[0]) != "batch-record-20260302-101500.pdf" || base(paths[2]) != "record-申請書-001.pdf-3f1c0e7a.pdf" {
		t.Errorf("names: %v", paths)
	}
	if keep := os.Getenv("RECORD_KEEP"); keep != "" {
		for _, p := range paths {
			data, _ := os.ReadFile(p)
			os.WriteFile(filepath.Join(keep, base(p)), data, 0o644)
		}
	}

	// The per-file record of the valid file: its hash and its result, in extractable text.
	txt := pdftotext(t, paths[2])
	for _, s := range []string{hashValid, "有効", "TOTAL-PASSED", "電子署名検証記録", "mynasign 9.8.7", crlHash,
		"2046-03-01 09:00:00 JST", "テスト用証明書", "test-2023"} {
		if !strings.Contains(txt, s) {
			t.Errorf("valid record lacks %q:\n%s", s, txt)
		}
	}
	// Personal data was not asked for: neither the name (also not through a message
	// argument) nor the address, birth date or subject may appear.
	for _, s := range []string{"髙橋", "花子", "霞が関", "1990-01-15", "CN=TEST", "Moving notice", "Kasumigaseki"} {
		if strings.Contains(txt, s) {
			t.Errorf("valid record shows personal data %q", s)
		}
	}
	if !strings.Contains(txt, "署名者の記載") {
		t.Errorf("valid record does not show that the signer wrote a reason:\n%s", txt)
	}
	txt = pdftotext(t, paths[4])
	for _, s := range []string{hashRevoked, "無効", "TOTAL-FAILED / REVOKED", "失効しています", "affiliationChanged", "2025-06-01 09:00:00 JST"} {
		if !strings.Contains(txt, s) {
			t.Errorf("revoked record lacks %q:\n%s", s, txt)
		}
	}
	if strings.Contains(txt, "山田") {
		t.Error("revoked record shows the name given as a message argument")
	}
	txt = pdftotext(t, paths[8])
	for _, s := range []string{"読めないファイル", "permission denied", "broken.pdf"} {
		if !strings.Contains(txt, s) {
			t.Errorf("unreadable record lacks %q:\n%s", s, txt)
		}
	}
	// The batch record: totals and every file.
	txt = pdftotext(t, paths[0])
	for _, s := range []string{"電子署名検証記録（一括）", "4 件", hashValid, hashRevoked, "署名なし", "読めないファイル", "3f1c0e7a9b2d4c6e"} {
		if !strings.Contains(txt, s) {
			t.Errorf("batch record lacks %q:\n%s", s, txt)
		}
	}
	for _, p := range paths {
		if strings.HasSuffix(p, ".pdf") {
			qpdfCheck(t, p)
		}
	}
	html, err := os.ReadFile(paths[3])
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`<html lang="ja">`, hashValid, "有効", "TOTAL-PASSED"} {
		if !bytes.Contains(html, []byte(s)) {
			t.Errorf("HTML record lacks %q", s)
		}
	}
	if bytes.Contains(html, []byte("花子")) {
		t.Error("HTML record shows the name")
	}
}

func TestPersonalDataOnRequestAndEnglish(t *testing.T) {
	dir := t.TempDir()
	rs := sampleReports()[:1]
	paths, err := Write(rs, Options{Lang: i18n.English, ShowPersonalData: true, At: true, Created: created, Version: "1.0.0", Formats: PDF}, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 1 {
		t.Fatalf("paths %v", paths)
	}
	txt := pdftotext(t, paths[0])
	// pdftotext turns the ideographic space into ASCII spaces.
	if !regexp.MustCompile(`髙橋\s+花子`).MatchString(txt) {
		t.Errorf("record lacks the name:\n%s", txt)
	}
	for _, s := range []string{"Signature verification record", "Valid", "霞が関", "1990-01-15", "Female",
		"chosen for the validation", "Fresh (before its next update", hashValid,
		"Reason (written by the signer,", "Moving notice", "Kasumigaseki office"} {
		if !strings.Contains(txt, s) {
			t.Errorf("record lacks %q:\n%s", s, txt)
		}
	}
	if regexp.MustCompile(`[ぁ-ん]`).MatchString(strings.ReplaceAll(txt, "霞が関", "")) {
		t.Errorf("English record has Japanese text besides the personal data:\n%s", txt)
	}
}

func TestWrap(t *testing.T) {
	w := func(r rune) float64 {
		if r < 0x80 {
			return 5
		}
		return 10
	}
	cases := []struct {
		in    string
		width float64
		want  []string
	}{
		{"hello world", 30, []string{"hello", "world"}},
		{"署名を確認しました。", 50, []string{"署名を確認", "しました。"}},
		{"署名を確認。しました", 50, []string{"署名を確認。", "しました"}}, // 。 hangs
		{strings.Repeat("a", 12), 30, []string{"aaaaaa", "aaaaaa"}},
		{"a\nb", 100, []string{"a", "b"}},
		{"", 100, []string{""}},
	}
	for _, c := range cases {
		got := wrap(c.in, c.width, w)
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("wrap(%q, %v) = %q, want %q", c.in, c.width, got, c.want)
		}
	}
}

// TestRecordHidesTheMunicipality: a record without personal data names neither the
// holder's municipality nor prefecture, which a report carries in the CRL partition it
// used (scope and file), the certificate's distribution point and message arguments;
// with personal data asked for, they are there.
func TestRecordHidesTheMunicipality(t *testing.T) {
	r := sampleReports()[0]
	dp := "CN=Chiyoda-ku CRLDP,OU=Tokyo,OU=CRL Distribution Points,OU=JPKI for digital signature (TEST),O=JPKI,C=JP"
	s := &r.Signatures[0]
	ci := *s.Certificate
	ci.CRLDistributionPoints = []string{dp}
	s.Certificate = &ci
	rv := *s.Revocation
	rv.CRLScope, rv.CRLFile = dp, "sign-2023-partition-chiyoda.crl"
	s.Revocation = &rv
	s.Checks = append(s.Checks, trust.Check{Name: "revocation", Passed: true, Detail: trust.Message{Key: "no.such.key", Args: []string{"signer", dp}}})
	for _, show := range []bool{false, true} {
		dir := t.TempDir()
		paths, err := Write([]*trust.DocumentReport{r}, Options{Lang: i18n.English, Created: created, ShowPersonalData: show}, dir)
		if err != nil {
			t.Fatal(err)
		}
		var html []byte
		for _, p := range paths {
			if strings.HasSuffix(p, ".html") {
				html, _ = os.ReadFile(p)
			}
		}
		lower := strings.ToLower(string(html))
		has := strings.Contains(lower, "chiyoda") || strings.Contains(lower, "tokyo") || strings.Contains(string(html), "千代田")
		if has != show {
			t.Errorf("personal data %v: the record names the municipality: %v\n%s", show, has, html)
		}
		if !show && (!strings.Contains(string(html), "(not shown)") || !strings.Contains(string(html), crlHash)) {
			t.Errorf("the masked record does not say what it left out, or lost the CRL's hash:\n%s", html)
		}
	}
}

// A signature whose signed content was changed is never recorded with "changes after
// signing: none" beside its 無効; one whose integrity was not established says it cannot
// be told.
func TestRecordChangesDoNotContradict(t *testing.T) {
	for _, c := range []struct {
		s    trust.SignatureReport
		want string
	}{
		{trust.SignatureReport{Indication: trust.TotalFailed, SubIndication: trust.HashFailure, ChangesAfterSigning: trust.Changes{Level: trust.ChangesNone}},
			"署名された内容そのものが変更されています"},
		{trust.SignatureReport{Indication: trust.Indeterminate, SubIndication: trust.SignedDataNotFound, ChangesAfterSigning: trust.Changes{Level: trust.ChangesNone}},
			"確認できません（署名された内容を確かめられませんでした）"},
		{trust.SignatureReport{Indication: trust.TotalPassed, Intact: true, ChangesAfterSigning: trust.Changes{Level: trust.ChangesNone}},
			"なし"},
	} {
		b := &builder{l: i18n.New(i18n.Japanese)}
		r := b.changesRow(&c.s)
		if r.Value != c.want {
			t.Errorf("%s/%s: %q, want %q", c.s.Indication, c.s.SubIndication, r.Value, c.want)
		}
	}
}
