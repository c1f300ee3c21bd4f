package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	samplepdf "github.com/mynasign/mynasign/testdata/pdf"
	"github.com/mynasign/mynasign/testdata/testpki"
)

// sign --preset archive makes a PAdES B-LT offline (the test store's CRLs), and verify
// reports that level; the registry destination refuses B-LT; a preset excludes --level.
func TestSignPresetArchive(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "a.pdf")
	if err := os.WriteFile(in, samplepdf.Make(samplepdf.Spec{}), 0o644); err != nil {
		t.Fatal(err)
	}
	crl := t.TempDir()
	code, stdout, stderr := runWithPIN(t, testpki.SignPassword, "sign", "--preset", "archive", "--testcard",
		"--trust", "test", "--crl-dir", crl, in)
	if code != 0 {
		t.Fatalf("sign --preset archive: exit %d\n%s\n%s", code, stdout, stderr)
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
}
