package xades

import (
	"archive/zip"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/mynasign/mynasign/trust"
)

// Attacks on the names in an e-Gov package: two entries that are one file where the
// package is unpacked and read (Windows and macOS compare names without case, NFC and
// NFD alike, and Windows drops trailing dots and spaces). Whichever copy lands last is
// what the application reads; the verifier cannot know which one that is.

// zipWith zips the package folder dir and then adds the extra entries, in order.
func zipWith(t *testing.T, dir string, extra [][2]string) string {
	t.Helper()
	z := filepath.Join(t.TempDir(), "package.zip")
	f, err := os.Create(z)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		w, err := zw.Create(e.Name())
		if err != nil {
			t.Fatal(err)
		}
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

func TestPackageNamesThatAreOneFile(t *testing.T) {
	opts := personaOpts(t, "valid")
	pol := testPolicy(t)
	// The sample package with its attachment renamed 添付データ.pdf (デ has an NFD form).
	const nfc = "添付データ.pdf"
	src := copyDir(t, samplePackages[0])
	if err := os.Rename(filepath.Join(src, "tenpu_01.pdf"), filepath.Join(src, nfc)); err != nil {
		t.Fatal(err)
	}
	k, _ := os.ReadFile(filepath.Join(src, KouseiName))
	os.WriteFile(filepath.Join(src, KouseiName), []byte(strings.Replace(string(k), "tenpu_01.pdf", nfc, 1)), 0o644)
	signed := filepath.Join(t.TempDir(), "signed")
	if err := SignEGov(src, signed, opts); err != nil {
		t.Fatal(err)
	}
	if rep := VerifyEGov(signed, pol); rep.Indication != trust.TotalPassed {
		t.Fatalf("the signed package itself: %s %v", rep.Indication, rep.Error)
	}
	nfd := norm.NFD.String(nfc)
	if nfd == nfc {
		t.Fatal("no NFD form")
	}
	evil := "%PDF-1.4 forged attachment"
	cases := map[string]string{
		"upper case":            strings.ToUpper(nfc),
		"NFD form":              nfd,
		"trailing dot":          nfc + ".",
		"trailing space":        nfc + " ",
		"upper-case kousei.xml": "Kousei.xml",
	}
	for name, extra := range cases {
		t.Run("zip: "+name, func(t *testing.T) {
			z := zipWith(t, signed, [][2]string{{extra, evil}})
			checkOutcome(t, VerifyEGov(z, pol), outcome{key: MsgEGovNameClash, docError: true})
		})
		t.Run("folder: "+name, func(t *testing.T) {
			dir := copyDir(t, signed)
			if err := os.WriteFile(filepath.Join(dir, extra), []byte(evil), 0o644); err != nil {
				t.Fatal(err)
			}
			checkOutcome(t, VerifyEGov(dir, pol), outcome{key: MsgEGovNameClash, docError: true})
		})
	}
	t.Run("zip: same name in two folders that are one", func(t *testing.T) {
		z := filepath.Join(t.TempDir(), "nested.zip")
		f, _ := os.Create(z)
		zw := zip.NewWriter(f)
		entries, _ := os.ReadDir(signed)
		for _, e := range entries {
			b, _ := os.ReadFile(filepath.Join(signed, e.Name()))
			w, _ := zw.Create("pkg/" + e.Name())
			w.Write(b)
		}
		w, _ := zw.Create("PKG/" + nfc)
		w.Write([]byte(evil))
		zw.Close()
		f.Close()
		checkOutcome(t, VerifyEGov(z, pol), outcome{key: MsgEGovNameClash, docError: true})
	})
	t.Run("signing refuses such a folder", func(t *testing.T) {
		dir := copyDir(t, src)
		os.WriteFile(filepath.Join(dir, nfd), []byte(evil), 0o644)
		err := SignEGov(dir, filepath.Join(t.TempDir(), "out"), opts)
		var e *Error
		if !errors.As(err, &e) || e.Key != MsgEGovNameClash {
			t.Fatalf("signing a package with clashing names: %v", err)
		}
	})
}
