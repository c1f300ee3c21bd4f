package flow

import (
	"context"
	"crypto/x509"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mynasign/mynasign/internal/testpki"
	"github.com/mynasign/mynasign/trust"
	"github.com/mynasign/mynasign/xades"
)

// signedEGov signs a copy of the sample package shinsei-1 into dir/name; without
// attachments, its 構成情報 lists no file and the signature has only the reference to
// #構成情報.
func signedEGov(t *testing.T, dir, name string, attachments bool) string {
	t.Helper()
	src := copyPackage(t, "shinsei-1", t.TempDir())
	if !attachments {
		kp := filepath.Join(src, xades.KouseiName)
		k, _ := os.ReadFile(kp)
		s := regexp.MustCompile(`(?s)\s*<申請書ファイル名>.*?</申請書ファイル名>`).ReplaceAllString(string(k), "")
		s = regexp.MustCompile(`(?s)\s*<添付書類属性情報>.*?</添付書類属性情報>`).ReplaceAllString(s, "")
		os.WriteFile(kp, []byte(s), 0o644)
		entries, _ := os.ReadDir(src)
		for _, e := range entries {
			if e.Name() != xades.KouseiName {
				os.Remove(filepath.Join(src, e.Name()))
			}
		}
	}
	p, err := testpki.PersonaByID("valid")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, name)
	opts := xades.SignOptions{Signer: p.SignKey, Certificate: p.SignCert, Chain: []*x509.Certificate{p.SignCACert}}
	if err := xades.SignEGov(src, out, opts); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestWalkEGovPackagesJudgedOrRefused: in a batch, the kousei.xml of a package is judged
// by the e-Gov rules or refused with the reason, never verified as plain XML nor its
// folder walked as loose files: a forged 構成情報 placed first or a second 署名情報 in a
// package without attachments (which as plain XMLDSig passes), a linked kousei.xml, names
// that are one file, a zip entry that leaves the folder (zip slip).
func TestWalkEGovPackagesJudgedOrRefused(t *testing.T) {
	pol := testPolicy(t)
	root := t.TempDir()
	good := signedEGov(t, root, "good", false)
	k, _ := os.ReadFile(filepath.Join(good, xades.KouseiName))
	edit := func(name, kousei string) string {
		dir := signedEGov(t, root, name, false)
		os.WriteFile(filepath.Join(dir, xades.KouseiName), []byte(kousei), 0o644)
		return dir
	}
	forgedFirst := edit("forged-first", strings.Replace(string(k), "<申請書属性情報>",
		"<構成情報><申請書ファイル名>forged.xml</申請書ファイル名></構成情報><申請書属性情報>", 1))
	secondSig := edit("second-sig", strings.Replace(string(k), "</構成管理情報>", "<署名情報/></構成管理情報>", 1))
	linked := signedEGov(t, root, "linked", true)
	real := filepath.Join(t.TempDir(), "kousei-real.xml")
	os.Rename(filepath.Join(linked, xades.KouseiName), real)
	if err := os.Symlink(real, filepath.Join(linked, xades.KouseiName)); err != nil {
		t.Fatal(err)
	}
	twins := signedEGov(t, root, "twins", true)
	os.WriteFile(filepath.Join(twins, "TENPU_01.PDF"), []byte("%PDF-1.4 forged"), 0o644)
	// A zip of a signed package with an entry that leaves the folder it is unpacked in.
	slipSrc := signedEGov(t, t.TempDir(), "p", true)
	entries, order := map[string]string{}, []string{}
	files, _ := os.ReadDir(slipSrc)
	for _, f := range files {
		b, _ := os.ReadFile(filepath.Join(slipSrc, f.Name()))
		entries["p/"+f.Name()] = string(b)
		order = append(order, "p/"+f.Name())
	}
	entries["../tenpu_01.pdf"] = "%PDF-1.4 forged"
	order = append(order, "../tenpu_01.pdf")
	slip := filepath.Join(root, "slip.zip")
	writeZip(t, slip, entries, order)

	want := map[string]string{ // report name → the refusal's key ("" passes)
		good:        "",
		forgedFirst: xades.MsgEGovWrapped,
		secondSig:   xades.MsgEGovStructure,
		linked:      xades.MsgEGovNotPlainFile,
		twins:       xades.MsgEGovNameClash,
		slip:        xades.MsgEGovUnsafeEntry,
	}
	check := func(t *testing.T, paths []string, want map[string]string) {
		res, err := VerifyBatch(context.Background(), paths, BatchOptions{Policy: pol, Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Reports) != len(want) {
			var names []string
			for _, r := range res.Reports {
				names = append(names, r.File)
			}
			t.Fatalf("%d reports (%v), want %d", len(res.Reports), names, len(want))
		}
		for _, r := range res.Reports {
			key, ok := want[r.File]
			switch {
			case !ok:
				t.Errorf("unexpected report %s", r.File)
			case r.Kind != "egov":
				t.Errorf("%s: verified as %s", r.File, r.Kind)
			case key == "" && r.Indication != trust.TotalPassed:
				t.Errorf("%s: %s %v", r.File, r.Indication, r.Error)
			case key != "" && (r.Error == nil || r.Error.Key != key || r.Indication == trust.TotalPassed):
				t.Errorf("%s: %s %v, want the refusal %s", r.File, r.Indication, r.Error, key)
			}
		}
	}
	t.Run("the folder of packages", func(t *testing.T) { check(t, []string{root}, want) })
	t.Run("each kousei.xml named", func(t *testing.T) {
		for dir, key := range map[string]string{forgedFirst: xades.MsgEGovWrapped, secondSig: xades.MsgEGovStructure} {
			p := filepath.Join(dir, xades.KouseiName)
			check(t, []string{p}, map[string]string{p: key})
		}
	})
}
