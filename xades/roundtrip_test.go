package xades

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mynasign/mynasign/trust"
)

const sampleXML = "../testdata/xml/application.xml"

var samplePackages = []string{"../testdata/egov/shinsei-1", "../testdata/egov/shinsei-2"}

// TestRoundTripXAdESCard signs with the software card and verifies with the test trust
// store: TOTAL-PASSED for the valid persona, REVOKED for the revoked one, and
// HASH_FAILURE when any byte of the signed content changes.
func TestRoundTripXAdESCard(t *testing.T) {
	in := sampleXML
	before := treeHash(t, in)
	out := filepath.Join(t.TempDir(), "signed.xml")
	if err := SignXAdESFile(in, out, cardOpts(t, "valid")); err != nil {
		t.Fatal(err)
	}
	if treeHash(t, in) != before {
		t.Fatal("the input was modified")
	}
	orig, _ := os.ReadFile(in)
	signed, _ := os.ReadFile(out)
	// Byte-exact: the output is the input with the signature inserted before the
	// document element's end tag, nothing else changed.
	end := bytes.LastIndex(orig, []byte("</申請書>"))
	if !bytes.HasPrefix(signed, orig[:end]) || !bytes.HasSuffix(signed, orig[end:]) {
		t.Fatal("the signed document is not the input plus a signature")
	}
	rep := Verify(out, signed, testPolicy(t))
	if rep.Indication != trust.TotalPassed || len(rep.Signatures) != 1 {
		t.Fatalf("valid persona: %s/%s %v", rep.Indication, rep.SubIndication, rep.Summary)
	}
	s := rep.Signatures[0]
	if s.Format != FormatXAdESBB || !s.Intact || s.Coverage != trust.CoverageWhole || s.ClaimedSigningTime == nil ||
		s.Signer == nil || !s.Signer.Test || s.Signer.Name == "" {
		t.Errorf("report: %+v", s)
	}

	t.Run("revoked", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "signed.xml")
		if err := SignXAdESFile(in, out, cardOpts(t, "revoked")); err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(out)
		rep := Verify(out, data, testPolicy(t))
		if rep.Indication != trust.TotalFailed || rep.Signatures[0].SubIndication != trust.Revoked {
			t.Fatalf("revoked persona: %s/%s", rep.Indication, rep.Signatures[0].SubIndication)
		}
	})

	t.Run("changed byte", func(t *testing.T) {
		// One byte of the signed content (outside the signature), and one byte of the
		// signed properties, each give HASH_FAILURE naming what changed.
		cases := []struct{ old, new, names string }{
			{"試験　花子", "試験　花男", "申請書"},
			{"版=\"1.0\"", "版=\"1.1\"", "申請書"},
			{"<xades:SigningTime>2", "<xades:SigningTime>1", "SignedProperties"},
		}
		for _, c := range cases {
			bad := bytes.Replace(signed, []byte(c.old), []byte(c.new), 1)
			if bytes.Equal(bad, signed) {
				t.Fatalf("%q not found", c.old)
			}
			rep := Verify("tampered.xml", bad, testPolicy(t))
			s := rep.Signatures[0]
			if rep.Indication != trust.TotalFailed || s.SubIndication != trust.HashFailure ||
				!strings.Contains(strings.Join(s.Summary.Args, " "), c.names) {
				t.Errorf("%q→%q: %s/%s %v", c.old, c.new, rep.Indication, s.SubIndication, s.Summary)
			}
		}
	})
}

// TestRoundTripEGovCard signs the sample packages (folder and zip) with the software
// card and verifies them; every referenced file, changed by one byte, gives HASH_FAILURE
// naming that file.
func TestRoundTripEGovCard(t *testing.T) {
	opts := cardOpts(t, "valid")
	for _, pkg := range samplePackages {
		t.Run(filepath.Base(pkg), func(t *testing.T) {
			in := copyDir(t, pkg)
			before := treeHash(t, in)
			out := filepath.Join(t.TempDir(), "signed")
			if err := SignEGov(in, out, opts); err != nil {
				t.Fatal(err)
			}
			if treeHash(t, in) != before {
				t.Fatal("the input package was modified")
			}
			rep := VerifyEGov(out, testPolicy(t))
			if rep.Indication != trust.TotalPassed || len(rep.Signatures) != 1 {
				t.Fatalf("%s/%s %v %s", rep.Indication, rep.SubIndication, rep.Summary, failedChecks(rep.Signatures[0]))
			}
			s := rep.Signatures[0]
			if s.Format != FormatEGov || !s.Intact {
				t.Errorf("report: %+v", s)
			}
			// kousei.xml itself also verifies when named directly.
			if r := VerifyEGov(filepath.Join(out, KouseiName), testPolicy(t)); r.Indication != trust.TotalPassed {
				t.Errorf("via kousei.xml: %s", r.Indication)
			}

			entries, _ := os.ReadDir(out)
			for _, e := range entries {
				name := e.Name()
				t.Run("changed "+name, func(t *testing.T) {
					bad := copyDir(t, out)
					p := filepath.Join(bad, name)
					data, _ := os.ReadFile(p)
					if name == KouseiName {
						// a byte inside 構成情報 (the signed part of kousei.xml)
						i := bytes.Index(data, []byte("<構成情報"))
						j := i + bytes.Index(data[i:], []byte(".xml<"))
						data[j+1] = 'X'
					} else {
						data[len(data)/2] ^= 0x01
					}
					os.WriteFile(p, data, 0o644)
					rep := VerifyEGov(bad, testPolicy(t))
					s := rep.Signatures[0]
					want := name
					if name == KouseiName {
						want = "構成情報"
					}
					if rep.Indication != trust.TotalFailed || s.SubIndication != trust.HashFailure ||
						!strings.Contains(strings.Join(s.Summary.Args, " "), want) {
						t.Errorf("%s/%s %v", rep.Indication, s.SubIndication, s.Summary)
					}
				})
			}
		})
	}

	t.Run("revoked", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "signed")
		if err := SignEGov(copyDir(t, samplePackages[0]), out, cardOpts(t, "revoked")); err != nil {
			t.Fatal(err)
		}
		rep := VerifyEGov(out, testPolicy(t))
		if rep.Indication != trust.TotalFailed || rep.Signatures[0].SubIndication != trust.Revoked {
			t.Fatalf("%s/%s", rep.Indication, rep.Signatures[0].SubIndication)
		}
	})

	t.Run("zip", func(t *testing.T) {
		dir := t.TempDir()
		in := filepath.Join(dir, "shinsei.zip")
		zipFolder(t, samplePackages[1], in, "900A010200002000/")
		before := treeHash(t, in)
		out := filepath.Join(dir, "shinsei_signed.zip")
		if err := SignEGov(in, out, opts); err != nil {
			t.Fatal(err)
		}
		if treeHash(t, in) != before {
			t.Fatal("the input zip was modified")
		}
		rep := VerifyEGov(out, testPolicy(t))
		if rep.Indication != trust.TotalPassed {
			t.Fatalf("%s/%s %v", rep.Indication, rep.SubIndication, rep.Summary)
		}
		// Every entry other than kousei.xml is carried over byte for byte.
		zin, _ := zip.OpenReader(in)
		defer zin.Close()
		zout, _ := zip.OpenReader(out)
		defer zout.Close()
		if len(zin.File) != len(zout.File) {
			t.Fatalf("%d entries in, %d out", len(zin.File), len(zout.File))
		}
		for i, f := range zin.File {
			g := zout.File[i]
			if f.Name != g.Name {
				t.Errorf("entry %d: %s became %s", i, f.Name, g.Name)
			}
			if filepath.Base(f.Name) != KouseiName && f.CRC32 != g.CRC32 {
				t.Errorf("%s changed", f.Name)
			}
		}
		// A changed byte in a zipped file.
		bad := filepath.Join(dir, "bad.zip")
		rewriteZip(t, out, bad, "委任状.txt", func(b []byte) []byte { b[3] ^= 1; return b })
		rep = VerifyEGov(bad, testPolicy(t))
		if rep.Indication != trust.TotalFailed || rep.Signatures[0].SubIndication != trust.HashFailure ||
			rep.Signatures[0].Summary.Args[0] != "委任状.txt" {
			t.Errorf("%s/%s %v", rep.Indication, rep.Signatures[0].SubIndication, rep.Signatures[0].Summary)
		}
	})

	t.Run("second signature", func(t *testing.T) {
		// A second signer (連署) adds a signature after the first; both stay valid.
		first := filepath.Join(t.TempDir(), "first")
		if err := SignEGov(copyDir(t, samplePackages[0]), first, opts); err != nil {
			t.Fatal(err)
		}
		second := filepath.Join(t.TempDir(), "second")
		if err := SignEGov(first, second, personaOpts(t, "valid")); err != nil {
			t.Fatal(err)
		}
		rep := VerifyEGov(second, testPolicy(t))
		if rep.Indication != trust.TotalPassed || len(rep.Signatures) != 2 {
			t.Fatalf("%s, %d signatures", rep.Indication, len(rep.Signatures))
		}
	})
}

// TestSignEGovRefuses checks the package rules: kousei.xml must list exactly the files
// present, and nothing but plain files may be in the folder.
func TestSignEGovRefuses(t *testing.T) {
	opts := personaOpts(t, "valid")
	cases := []struct {
		name  string
		setup func(dir string)
		key   string
	}{
		{"unlisted file", func(d string) { os.WriteFile(filepath.Join(d, "extra.pdf"), []byte("x"), 0o644) }, MsgEGovUnlisted},
		{"missing file", func(d string) { os.Remove(filepath.Join(d, "tenpu_01.pdf")) }, MsgEGovMissing},
		{"sub-folder", func(d string) { os.Mkdir(filepath.Join(d, "sub"), 0o755) }, MsgEGovNotPlainFile},
		{"symlink", func(d string) {
			os.Remove(filepath.Join(d, "tenpu_01.pdf"))
			os.Symlink("/etc/hostname", filepath.Join(d, "tenpu_01.pdf"))
		}, MsgEGovNotPlainFile},
		{"no kousei", func(d string) { os.Remove(filepath.Join(d, KouseiName)) }, MsgEGovNoKousei},
		{"listing a path", func(d string) {
			p := filepath.Join(d, KouseiName)
			b, _ := os.ReadFile(p)
			os.WriteFile(p, bytes.Replace(b, []byte(">tenpu_01.pdf<"), []byte(">../tenpu_01.pdf<"), 1), 0o644)
		}, MsgEGovStructure},
		{"DOCTYPE", func(d string) {
			p := filepath.Join(d, KouseiName)
			b, _ := os.ReadFile(p)
			os.WriteFile(p, bytes.Replace(b, []byte("<!--"), []byte("<!DOCTYPE x [<!ENTITY e \"z\">]><!--"), 1), 0o644)
		}, MsgDocDOCTYPE},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := copyDir(t, samplePackages[0])
			c.setup(in)
			before := treeHash(t, in)
			out := filepath.Join(t.TempDir(), "out")
			err := SignEGov(in, out, opts)
			var e *Error
			if !errors.As(err, &e) || e.Key != c.key {
				t.Fatalf("error %v, want key %s", err, c.key)
			}
			if _, err := os.Lstat(out); err == nil {
				t.Error("an output was left behind")
			}
			if treeHash(t, in) != before {
				t.Error("the input was modified")
			}
		})
	}
	t.Run("output exists", func(t *testing.T) {
		out := t.TempDir()
		err := SignEGov(copyDir(t, samplePackages[0]), out, opts)
		var e *Error
		if !errors.As(err, &e) || e.Key != MsgSignOutputExists {
			t.Fatalf("error %v", err)
		}
	})
}

// TestSignXAdESRefuses: DOCTYPE, a non-UTF-8 document, an already signed document, a key
// that is not the certificate's.
func TestSignXAdESRefuses(t *testing.T) {
	opts := personaOpts(t, "valid")
	signed, err := SignXAdES([]byte(`<a>x</a>`), opts)
	if err != nil {
		t.Fatal(err)
	}
	other := personaOpts(t, "revoked")
	cases := []struct {
		name string
		in   []byte
		opts SignOptions
		key  string
	}{
		{"DOCTYPE", []byte(`<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>`), opts, MsgDocDOCTYPE},
		{"Shift_JIS", []byte("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><a>\x83e</a>"), opts, MsgDocEncoding},
		{"already signed", signed, opts, MsgSignAlreadySigned},
		{"wrong certificate", []byte(`<a/>`), SignOptions{Signer: opts.Signer, Certificate: other.Certificate}, MsgSignKeyMismatch},
	}
	for _, c := range cases {
		_, err := SignXAdES(c.in, c.opts)
		var e *Error
		if !errors.As(err, &e) || e.Key != c.key {
			t.Errorf("%s: error %v, want %s", c.name, err, c.key)
		}
	}
	// An empty-element document element and a BOM are kept.
	out, err := SignXAdES([]byte("\xEF\xBB\xBF<?xml version='1.0' encoding='utf-8'?>\r\n<a b='1'/>"), opts)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(out, []byte("\xEF\xBB\xBF<?xml version='1.0' encoding='utf-8'?>\r\n<a b='1'><ds:Signature")) ||
		!bytes.HasSuffix(out, []byte("</ds:Signature></a>")) {
		t.Errorf("output %q", out)
	}
	if rep := Verify("a.xml", out, testPolicy(t)); rep.Indication != trust.TotalPassed {
		t.Errorf("%s %v", rep.Indication, rep.Signatures)
	}
}

func zipFolder(t testing.TB, src, dst, prefix string) {
	t.Helper()
	f, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	if prefix != "" {
		zw.Create(prefix)
	}
	entries, _ := os.ReadDir(src)
	for _, e := range entries {
		w, err := zw.Create(prefix + e.Name())
		if err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(filepath.Join(src, e.Name()))
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

// rewriteZip copies a zip, passing the entry whose base name is name through change.
func rewriteZip(t testing.TB, src, dst, name string, change func([]byte) []byte) {
	t.Helper()
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	f, _ := os.Create(dst)
	defer f.Close()
	zw := zip.NewWriter(f)
	for _, e := range zr.File {
		rc, _ := e.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		if filepath.Base(e.Name) == name {
			b = change(b)
		}
		w, _ := zw.Create(e.Name)
		w.Write(b)
	}
	zw.Close()
}

// rewriteZipNames copies a zip, renaming entries.
func rewriteZipNames(t testing.TB, src, dst string, rename map[string]string) {
	t.Helper()
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	f, _ := os.Create(dst)
	defer f.Close()
	zw := zip.NewWriter(f)
	for _, e := range zr.File {
		rc, _ := e.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		name := e.Name
		if n, ok := rename[name]; ok {
			name = n
		}
		w, _ := zw.Create(name)
		w.Write(b)
	}
	zw.Close()
}
