package flow

import (
	"archive/zip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/mynasign/mynasign/trust"
	"github.com/mynasign/mynasign/xades"
)

// copyPackage copies an e-Gov sample package folder into dir.
func copyPackage(t *testing.T, name, dir string) string {
	t.Helper()
	dst := filepath.Join(dir, name)
	if err := os.CopyFS(dst, os.DirFS(filepath.Join("..", "..", "testdata", "egov", name))); err != nil {
		t.Fatal(err)
	}
	return dst
}

func zipPackage(t *testing.T, src, dst string) {
	t.Helper()
	f, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	entries, _ := os.ReadDir(src)
	for _, e := range entries {
		w, _ := zw.Create(filepath.Base(src) + "/" + e.Name())
		b, _ := os.ReadFile(filepath.Join(src, e.Name()))
		w.Write(b)
	}
	zw.Close()
	f.Close()
}

// TestXMLProfilesThroughTheCardFlow signs XML files (xades) and e-Gov packages (egov) in
// one software-card session each, then verifies the outputs through the verifier
// registry, which must recognize them by content.
func TestXMLProfilesThroughTheCardFlow(t *testing.T) {
	pol := testPolicyAt(t, time.Time{})
	dir := t.TempDir()
	app, err := os.ReadFile(filepath.Join("..", "..", "testdata", "xml", "application.xml"))
	if err != nil {
		t.Fatal(err)
	}
	a := filepath.Join(dir, "a.data") // no .xml extension: recognized by content
	os.WriteFile(a, app, 0o644)
	notXML := filepath.Join(dir, "note.txt")
	os.WriteFile(notXML, []byte("not XML"), 0o644)

	c, sc := softSigningCard(t, personaConfig(t, "valid"))
	jobs := []SignJob{{a, filepath.Join(dir, "a_signed.data")}, {notXML, filepath.Join(dir, "note_signed.txt")}}
	res := signWith(t, c, "xades", jobs, SignOptions{}, pol)
	if res[0].Err != nil || res[0].Result.Report.Indication != trust.TotalPassed {
		t.Fatalf("xades: %v %+v", res[0].Err, res[0].Result)
	}
	if !errors.Is(res[1].Err, ErrNotAccepted) {
		t.Fatalf("the text file: %v", res[1].Err)
	}
	if st := sc.Stats(); st.VerifySign != 1 || st.Signatures != 1 {
		t.Fatalf("VERIFY %d, signatures %d", st.VerifySign, st.Signatures)
	}

	pkg := copyPackage(t, "shinsei-2", dir)
	zipped := filepath.Join(dir, "shinsei-1.zip")
	zipPackage(t, copyPackage(t, "shinsei-1", t.TempDir()), zipped)
	prof, _ := LookupSignProfile("egov")
	if got := prof.DefaultOutput(pkg); got != pkg+"-signed" {
		t.Errorf("default output of a folder: %s", got)
	}
	if got := prof.DefaultOutput(filepath.Join(pkg, xades.KouseiName)); got != pkg+"-signed" {
		t.Errorf("default output of a kousei.xml: %s", got)
	}
	if got := prof.DefaultOutput(zipped); got != filepath.Join(dir, "shinsei-1-signed.zip") {
		t.Errorf("default output of a zip: %s", got)
	}
	c2, sc2 := softSigningCard(t, personaConfig(t, "valid"))
	ejobs := []SignJob{{pkg, prof.DefaultOutput(pkg)}, {zipped, prof.DefaultOutput(zipped)}, {a, filepath.Join(dir, "x")}}
	res = signWith(t, c2, "egov", ejobs, SignOptions{}, pol)
	for i := range 2 {
		if res[i].Err != nil || res[i].Result.Report.Indication != trust.TotalPassed {
			t.Fatalf("egov %s: %v", ejobs[i].Input, res[i].Err)
		}
	}
	if !errors.Is(res[2].Err, ErrNotAccepted) {
		t.Fatalf("an XML file given to the egov profile: %v", res[2].Err)
	}
	if st := sc2.Stats(); st.VerifySign != 1 || st.Signatures != 2 {
		t.Fatalf("VERIFY %d, signatures %d", st.VerifySign, st.Signatures)
	}

	for _, c := range []struct{ path, kind string }{
		{jobs[0].Output, "xml"}, {ejobs[0].Output, "egov"}, {ejobs[1].Output, "egov"},
		{filepath.Join(ejobs[0].Output, xades.KouseiName), "egov"},
	} {
		v, err := DetectVerifier(c.path)
		if err != nil || v.Name != c.kind {
			t.Fatalf("%s detected as %q (%v), want %s", c.path, v.Name, err, c.kind)
		}
		rep, err := VerifyFile(context.Background(), c.path, pol)
		if err != nil || rep.Indication != trust.TotalPassed {
			t.Fatalf("verify %s: %v %+v", c.path, err, rep)
		}
	}

	// A batch over the folder: every e-Gov folder and zip is one document (the unsigned
	// inputs and the signed outputs), the XML files are documents of their own.
	br, err := VerifyBatch(context.Background(), []string{dir}, BatchOptions{Policy: pol})
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]DocStatus{}
	for _, r := range br.Reports {
		status[filepath.Base(r.File)+"/"+r.Kind] = StatusOf(r)
	}
	want := map[string]DocStatus{
		"shinsei-2/egov": DocUnsigned, "shinsei-2-signed/egov": DocPassed,
		"shinsei-1.zip/egov": DocUnsigned, "shinsei-1-signed.zip/egov": DocPassed,
		"a.data/xml": DocUnsigned, "a_signed.data/xml": DocPassed,
	}
	for k, w := range want {
		if status[k] != w {
			t.Errorf("batch: %s is %q, want %q (all: %v)", k, status[k], w, status)
		}
	}
}
