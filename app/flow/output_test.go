package flow

import (
	"os"
	"path/filepath"
	"testing"
)

// TestDefaultOutputs: every profile names its output <name>-signed<.ext> next to the
// input (issue 6), through the one suffix, SignedSuffix.
func TestDefaultOutputs(t *testing.T) {
	dir := t.TempDir()
	folder := filepath.Join(dir, "申請")
	if err := os.Mkdir(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ profile, in, want string }{
		{"pades", filepath.Join(dir, "申請書.pdf"), filepath.Join(dir, "申請書-signed.pdf")},
		{"registry", filepath.Join(dir, "a.b.PDF"), filepath.Join(dir, "a.b-signed.PDF")},
		{"xades", filepath.Join(dir, "application.xml"), filepath.Join(dir, "application-signed.xml")},
		{"egov", folder, folder + "-signed"},
		{"egov", folder + string(filepath.Separator), folder + "-signed"},
		{"egov", filepath.Join(dir, "申請.zip"), filepath.Join(dir, "申請-signed.zip")},
	} {
		p, ok := LookupSignProfile(c.profile)
		if !ok {
			t.Fatalf("no profile %s", c.profile)
		}
		if got := p.DefaultOutput(c.in); got != c.want {
			t.Errorf("%s: DefaultOutput(%s) = %s, want %s", c.profile, c.in, got, c.want)
		}
	}
}
