package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	samplepdf "github.com/mynasign/mynasign/internal/samplepdf"
	"github.com/mynasign/mynasign/internal/testenv"
	"github.com/mynasign/mynasign/internal/testpki"
)

// sign --level B-LT makes a PAdES B-LT offline (the test store's CRLs), and verify
// reports that level; the registry destination refuses B-LT; a preset excludes --level;
// the archive destination (B-LTA) needs --tsa.
func TestSignLevelBLTOffline(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "a.pdf")
	if err := os.WriteFile(in, samplepdf.Make(samplepdf.Spec{}), 0o644); err != nil {
		t.Fatal(err)
	}
	crl := t.TempDir()
	code, stdout, stderr := runWithPIN(t, testpki.SignPassword, "sign", "--profile", "pades", "--level", "B-LT", "--testcard",
		"--trust", "test", "--crl-dir", crl, in)
	if code != 0 {
		t.Fatalf("sign --level B-LT: exit %d\n%s\n%s", code, stdout, stderr)
	}
	out := filepath.Join(dir, "a-signed.pdf")
	if b, _ := os.ReadFile(out); !strings.Contains(string(b), "/DSS") {
		t.Fatalf("no /DSS in the output:\n%s", stdout)
	}
	code, stdout, stderr = runPlain(t, "verify", "--json", "--trust", "test", "--crl-dir", crl, out)
	if code != 0 || !strings.Contains(stdout, `"format": "PAdES-B-LT"`) || !strings.Contains(stdout, `"source": "store"`) {
		t.Fatalf("verify: exit %d\n%s\n%s", code, stdout, stderr)
	}

	code, stdout, stderr = runWithPIN(t, testpki.SignPassword, "sign", "--profile", "registry", "--level", "B-LT", "--testcard",
		"--trust", "test", "--crl-dir", crl, "-o", filepath.Join(dir, "r.pdf"), in)
	if code == 0 || !strings.Contains(stdout+stderr, "registry accepts only signatures without extras") {
		t.Fatalf("registry at B-LT: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "r.pdf")); err == nil {
		t.Fatal("an output was written for a refused level")
	}
	code, _, stderr = runPlain(t, "sign", "--preset", "archive", "--level", "B-B", "--testcard", in)
	if code == 0 || !strings.Contains(stderr, "--preset chooses the profile and the level") {
		t.Fatalf("--preset with --level: exit %d\n%s", code, stderr)
	}
	code, _, stderr = runPlain(t, "sign", "--preset", "archive", "--testcard", in)
	if code == 0 || !strings.Contains(stderr, "needs --tsa") {
		t.Fatalf("--preset archive without --tsa: exit %d\n%s", code, stderr)
	}
}

// The 長期保存 destination makes PAdES B-LTA (signature time-stamp, /DSS, document
// time-stamp); extend renews it with another document time-stamp; the 電子帳簿保存
// destination time-stamps a PDF without the card.
func TestSignArchiveExtendLedger(t *testing.T) {
	tsa := testenv.NewTSA(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "a.pdf")
	if err := os.WriteFile(in, samplepdf.Make(samplepdf.Spec{}), 0o644); err != nil {
		t.Fatal(err)
	}
	anchors, crl := t.TempDir(), t.TempDir()
	cert := filepath.Join(t.TempDir(), "tsa.der")
	if err := os.WriteFile(cert, tsa.Cert.Raw, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, stdout, stderr := runPlain(t, "trust", "add", "--anchor-dir", anchors, "--purpose", "timestamp", cert); code != 0 {
		t.Fatalf("trust add: exit %d\n%s\n%s", code, stdout, stderr)
	}
	trustArgs := []string{"--trust", "test", "--crl-dir", crl, "--anchor-dir", anchors}
	code, stdout, stderr := runWithPIN(t, testpki.SignPassword, append(append([]string{"sign", "--preset", "archive", "--tsa", tsa.URL, "--testcard"}, trustArgs...), in)...)
	if code != 0 || tsa.Requests != 2 {
		t.Fatalf("sign --preset archive: exit %d, %d requests\n%s\n%s", code, tsa.Requests, stdout, stderr)
	}
	signed := filepath.Join(dir, "a-signed.pdf")
	code, stdout, _ = runPlain(t, append(append([]string{"verify", "--json"}, trustArgs...), signed)...)
	if code != 0 || !strings.Contains(stdout, `"format": "PAdES-B-LTA"`) || strings.Count(stdout, `"indication": "TOTAL-PASSED"`) < 3 {
		t.Fatalf("verify the archive: exit %d\n%s", code, stdout)
	}
	code, stdout, stderr = runPlain(t, append(append([]string{"extend", "--tsa", tsa.URL}, trustArgs...), signed)...)
	if code != 0 {
		t.Fatalf("extend: exit %d\n%s\n%s", code, stdout, stderr)
	}
	code, stdout, _ = runPlain(t, append(append([]string{"verify", "--json"}, trustArgs...), filepath.Join(dir, "a-signed-timestamped.pdf"))...)
	if code != 0 || strings.Count(stdout, `"format": "ETSI.RFC3161"`) != 2 {
		t.Fatalf("verify the extended archive: exit %d\n%s", code, stdout)
	}
	ledger := filepath.Join(dir, "ledger.pdf")
	code, stdout, stderr = runPlain(t, append(append([]string{"sign", "--preset", "ledger", "--tsa", tsa.URL, "-o", ledger}, trustArgs...), in)...)
	if code != 0 {
		t.Fatalf("sign --preset ledger: exit %d\n%s\n%s", code, stdout, stderr)
	}
	code, stdout, _ = runPlain(t, append(append([]string{"verify", "--json"}, trustArgs...), ledger)...)
	if code != 0 || !strings.Contains(stdout, `"format": "ETSI.RFC3161"`) || !strings.Contains(stdout, `"indication": "TOTAL-PASSED"`) {
		t.Fatalf("verify the time-stamped ledger PDF: exit %d\n%s", code, stdout)
	}
}

// sign --level B-T --tsa time-stamps the signature at the authority named (openssl ts over
// HTTP); once the authority is added with trust add --purpose timestamp, verify reports
// the time-stamp as trusted and the signature's best signature time. B-T without --tsa is
// refused before the card is used, an unreachable authority before anything is written.
func TestSignTimestamped(t *testing.T) {
	tsa := testenv.NewTSA(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "a.pdf")
	if err := os.WriteFile(in, samplepdf.Make(samplepdf.Spec{}), 0o644); err != nil {
		t.Fatal(err)
	}
	anchors, crl := t.TempDir(), t.TempDir()
	trustArgs := []string{"--trust", "test", "--crl-dir", crl, "--anchor-dir", anchors}
	code, stdout, stderr := runWithPIN(t, testpki.SignPassword, append(append([]string{"sign", "--profile", "pades", "--level", "B-T",
		"--tsa", tsa.URL, "--testcard"}, trustArgs...), in)...)
	if code != 0 || tsa.Requests != 1 {
		t.Fatalf("sign --level B-T: exit %d, %d requests\n%s\n%s", code, tsa.Requests, stdout, stderr)
	}
	out := filepath.Join(dir, "a-signed.pdf")
	code, stdout, _ = runPlain(t, append(append([]string{"verify", "--json"}, trustArgs...), out)...)
	if !strings.Contains(stdout, `"format": "PAdES-B-T"`) || !strings.Contains(stdout, `"timestamps"`) || strings.Contains(stdout, `"bestSignatureTime"`) {
		t.Fatalf("verify before the authority is trusted: exit %d\n%s", code, stdout)
	}
	cert := filepath.Join(t.TempDir(), "tsa.der")
	if err := os.WriteFile(cert, tsa.Cert.Raw, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, stdout, stderr := runPlain(t, "trust", "add", "--anchor-dir", anchors, "--purpose", "timestamp", "--name", "テストTSA", cert); code != 0 {
		t.Fatalf("trust add --purpose timestamp: exit %d\n%s\n%s", code, stdout, stderr)
	}
	code, stdout, _ = runPlain(t, append(append([]string{"verify", "--json"}, trustArgs...), out)...)
	if code != 0 || !strings.Contains(stdout, `"bestSignatureTime"`) || !strings.Contains(stdout, `"source": "user"`) {
		t.Fatalf("verify with the authority trusted: exit %d\n%s", code, stdout)
	}

	for _, args := range [][]string{
		{"--level", "B-T"},
		{"--level", "B-T", "--tsa", "http://127.0.0.1:1/tsa"},
	} {
		o := filepath.Join(dir, "b.pdf")
		code, stdout, stderr := runWithPIN(t, testpki.SignPassword, append(append(append([]string{"sign", "--profile", "pades", "--testcard", "-o", o}, args...), trustArgs...), in)...)
		if code == 0 || !strings.Contains(stdout+stderr, "time-stamping authority") {
			t.Errorf("%v: exit %d\n%s\n%s", args, code, stdout, stderr)
		}
		if _, err := os.Stat(o); err == nil {
			t.Errorf("%v: an output was written", args)
		}
	}
}
