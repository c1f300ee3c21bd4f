package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mynasign/mynasign/app/i18n"
	samplepdf "github.com/mynasign/mynasign/internal/samplepdf"
	"github.com/mynasign/mynasign/internal/testpki"
)

// TestVerifyMasksTheMunicipality: a file signed with the valid persona (Chiyoda-ku,
// Tokyo), verified against the Chiyoda-ku partition CRL: the JSON and CSV without
// --show-personal-data name neither the holder nor the municipality or prefecture
// (which the certificate's distribution point and the partition CRL's scope and file
// carry); with it, the JSON does.
func TestVerifyMasksTheMunicipality(t *testing.T) {
	dir, crl := t.TempDir(), t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	os.WriteFile(in, samplepdf.Make(samplepdf.Spec{}), 0o644)
	out := filepath.Join(dir, "out.pdf")
	if code, o, e := runWithPIN(t, testpki.SignPassword, "sign", "--profile", "pades", "--testcard", "--crl-dir", crl, "-o", out, in); code != 0 {
		t.Fatalf("sign: exit %d\n%s\n%s", code, o, e)
	}
	partition := writeTestCRL(t, t.TempDir(), testpki.CRLSignPartition)
	if code, o, e := runCLI(t, i18n.English, "crl", "import", "--trust", "test", "--crl-dir", crl, partition); code != 0 {
		t.Fatalf("crl import: exit %d\n%s\n%s", code, o, e)
	}
	p, err := testpki.PersonaByID("valid")
	if err != nil {
		t.Fatal(err)
	}
	birth := p.Basic.BirthDate[:4] + "-" + p.Basic.BirthDate[4:6] + "-" + p.Basic.BirthDate[6:]
	personal := []string{p.CertName, p.Basic.Address, birth, "chiyoda", "tokyo", "千代田", "東京"}

	_, shown, _ := runCLI(t, i18n.English, "verify", "--json", "--show-personal-data", "--trust", "test", "--crl-dir", crl, out)
	if !strings.Contains(shown, "Chiyoda-ku") || !strings.Contains(shown, p.CertName) {
		t.Fatalf("the unmasked JSON does not name the holder and the municipality:\n%s", shown)
	}
	for _, format := range []string{"--json", "--csv"} {
		_, got, e := runCLI(t, i18n.Japanese, "verify", format, "--trust", "test", "--crl-dir", crl, out)
		if got == "" {
			t.Fatalf("%s: no output (%s)", format, e)
		}
		for _, s := range personal {
			if strings.Contains(strings.ToLower(got), strings.ToLower(s)) {
				t.Errorf("%s without --show-personal-data holds %q:\n%s", format, s, got)
			}
		}
	}
}
