package xades

import (
	"archive/zip"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/mynasign/mynasign/trust"
)

// zipOf writes a zip of the package folder dir under prefix (with a directory entry for
// each folder of prefix when dirEntries), followed by the extra entries.
func zipOf(t *testing.T, dir, prefix string, dirEntries bool, extra ...[2]string) string {
	t.Helper()
	z := filepath.Join(t.TempDir(), "package.zip")
	f, err := os.Create(z)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	if dirEntries {
		for i := range prefix {
			if prefix[i] == '/' {
				zw.Create(prefix[:i+1])
			}
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		w, _ := zw.Create(prefix + e.Name())
		w.Write(b)
	}
	for _, x := range extra {
		w, err := zw.Create(x[0])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(x[1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return z
}

// warned returns the arguments of a signature's warnings with key.
func warned(s trust.SignatureReport, key string) []string {
	var out []string
	for _, w := range s.Warnings {
		if w.Key == key && len(w.Args) > 0 {
			out = append(out, w.Args[0])
		}
	}
	return out
}

// TestEGovZipEntriesOutsideThePackage: whatever an unpacking application shows that the
// signature does not cover makes the coverage partial, named: entries at the zip's root
// or in another folder than the package's, and a sub-folder of the package whose files
// come without a directory entry. Our signer refuses such a zip instead of copying the
// entries into the signed one.
func TestEGovZipEntriesOutsideThePackage(t *testing.T) {
	opts := personaOpts(t, "valid")
	pol := testPolicy(t)
	signed := filepath.Join(t.TempDir(), "signed")
	if err := SignEGov(copyDir(t, samplePackages[0]), signed, opts); err != nil {
		t.Fatal(err)
	}
	forged := "%PDF-1.4 forged"
	type layout struct {
		prefix     string
		dirEntries bool
		extra      [][2]string
	}
	cases := []struct {
		name         string
		layout       layout
		key, warning string // the warning expected ("" none)
	}{
		{"genuine, in a folder", layout{"p/", true, nil}, "", ""},
		{"genuine, two folders deep", layout{"a/b/", true, nil}, "", ""},
		{"genuine, at the root", layout{"", false, nil}, "", ""},
		{"a file at the zip's root", layout{"p/", true, [][2]string{{"tenpu_02.pdf", forged}}}, MsgEGovOutside, "tenpu_02.pdf"},
		{"a file in another folder", layout{"p/", true, [][2]string{{"q/tenpu_01.pdf", forged}}}, MsgEGovOutside, "q/"},
		{"a file next to the package's folder", layout{"a/b/", true, [][2]string{{"a/tenpu_01.pdf", forged}}}, MsgEGovOutside, "a/"},
		{"a sub-folder without directory entry", layout{"", false, [][2]string{{"sub/tenpu_01.pdf", forged}}}, MsgEGovNotPlainFile, "sub"},
		{"a sub-folder of the package folder", layout{"p/", false, [][2]string{{"p/sub/x/tenpu_01.pdf", forged}}}, MsgEGovNotPlainFile, "sub"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep := VerifyEGov(zipOf(t, signed, c.layout.prefix, c.layout.dirEntries, c.layout.extra...), pol)
			if rep.Indication != trust.TotalPassed || len(rep.Signatures) != 1 {
				t.Fatalf("%s %v", rep.Indication, rep.Error)
			}
			s := rep.Signatures[0]
			got := append(warned(s, MsgEGovOutside), warned(s, MsgEGovNotPlainFile)...)
			if c.key == "" {
				if len(got) > 0 {
					t.Fatalf("warnings %v", got)
				}
				return
			}
			if w := warned(s, c.key); len(w) != 1 || w[0] != c.warning || s.Coverage != trust.CoveragePartial {
				t.Fatalf("coverage %s, warnings %v, want %s %s", s.Coverage, s.Warnings, c.key, c.warning)
			}
		})
		t.Run("signing: "+c.name, func(t *testing.T) {
			src := zipOf(t, samplePackages[0], c.layout.prefix, c.layout.dirEntries, c.layout.extra...)
			out := filepath.Join(t.TempDir(), "out.zip")
			err := SignEGov(src, out, opts)
			if c.key == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Key != c.key {
				t.Fatalf("signing: %v, want %s", err, c.key)
			}
			if _, err := os.Stat(out); err == nil {
				t.Fatal("an output was written")
			}
		})
	}
}
