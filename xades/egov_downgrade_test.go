package xades

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mynasign/mynasign/trust"
)

// attachmentlessPackage signs a package whose 構成情報 lists no file: its signature has
// the one reference to #構成情報, which a plain XMLDSig verifier resolves by ID too.
func attachmentlessPackage(t *testing.T) string {
	t.Helper()
	src := filepath.Join(t.TempDir(), "src")
	os.Mkdir(src, 0o755)
	k, _ := os.ReadFile(filepath.Join(samplePackages[0], KouseiName))
	s := regexp.MustCompile(`(?s)\s*<申請書ファイル名>.*?</申請書ファイル名>`).ReplaceAllString(string(k), "")
	s = regexp.MustCompile(`(?s)\s*<添付書類属性情報>.*?</添付書類属性情報>`).ReplaceAllString(s, "")
	if strings.Contains(s, egovFileTail+">") {
		t.Fatal("the package still lists files")
	}
	os.WriteFile(filepath.Join(src, KouseiName), []byte(s), 0o644)
	signed := filepath.Join(t.TempDir(), "signed")
	if err := SignEGov(src, signed, personaOpts(t, "valid")); err != nil {
		t.Fatal(err)
	}
	return signed
}

// TestEGovNeverDowngraded: a kousei.xml that the e-Gov rules refuse (a forged 構成情報
// without ID placed first, a second 署名情報, a forged one in another namespace) is still
// an e-Gov package, as a folder, a zip and as the file itself: it is refused, never
// verified as plain XMLDSig — where, without attachments, it passes.
func TestEGovNeverDowngraded(t *testing.T) {
	pol := testPolicy(t)
	signed := attachmentlessPackage(t)
	if rep := VerifyEGov(signed, pol); rep.Indication != trust.TotalPassed || rep.Signatures[0].Format != FormatEGov {
		t.Fatalf("the signed package itself: %s %v", rep.Indication, rep.Error)
	}
	k, _ := os.ReadFile(filepath.Join(signed, KouseiName))
	forged := "<構成情報><申請書ファイル名>forged.xml</申請書ファイル名></構成情報>"
	attacks := map[string]struct {
		kousei, key string
	}{
		"forged 構成情報 first":          {strings.Replace(string(k), "<申請書属性情報>", forged+"<申請書属性情報>", 1), MsgEGovWrapped},
		"second 署名情報":                {strings.Replace(string(k), "</構成管理情報>", "<署名情報/></構成管理情報>", 1), MsgEGovStructure},
		"forged 構成情報 in a namespace": {strings.Replace(string(k), "<申請書属性情報>", `<x:構成情報 xmlns:x="urn:x"/><申請書属性情報>`, 1), MsgEGovWrapped},
	}
	for name, a := range attacks {
		t.Run(name, func(t *testing.T) {
			// What a plain XMLDSig verifier says of it: the downgrade this test is about.
			if rep := Verify(KouseiName, []byte(a.kousei), pol); rep.Indication != trust.TotalPassed {
				t.Fatalf("as plain XMLDSig it does not pass (%s %v): the attack is not the one meant", rep.Indication, rep.Error)
			}
			dir := copyDir(t, signed)
			os.WriteFile(filepath.Join(dir, KouseiName), []byte(a.kousei), 0o644)
			zipped := filepath.Join(t.TempDir(), "p.zip")
			zipFolder(t, dir, zipped, "p/")
			for _, p := range []string{dir, filepath.Join(dir, KouseiName), zipped} {
				if !IsEGovPackage(p) {
					t.Errorf("%s is not taken as an e-Gov package", filepath.Base(p))
				}
				checkOutcome(t, VerifyEGov(p, pol), outcome{key: a.key, docError: true})
			}
		})
	}
}

// TestEGovRefusedPackagesStayPackages: a package that cannot be opened by the e-Gov rules
// (a linked kousei.xml, names that are one file, an entry leaving the folder) is still
// detected as one, so that the report gives the reason instead of the folder being
// walked as loose files.
func TestEGovRefusedPackagesStayPackages(t *testing.T) {
	pol := testPolicy(t)
	signed := filepath.Join(t.TempDir(), "signed")
	if err := SignEGov(copyDir(t, samplePackages[0]), signed, personaOpts(t, "valid")); err != nil {
		t.Fatal(err)
	}
	t.Run("linked kousei.xml", func(t *testing.T) {
		dir := copyDir(t, signed)
		elsewhere := filepath.Join(t.TempDir(), "real.xml")
		os.Rename(filepath.Join(dir, KouseiName), elsewhere)
		if err := os.Symlink(elsewhere, filepath.Join(dir, KouseiName)); err != nil {
			t.Fatal(err)
		}
		if !IsEGovPackage(dir) {
			t.Fatal("not detected")
		}
		checkOutcome(t, VerifyEGov(dir, pol), outcome{key: MsgEGovNotPlainFile, docError: true})
	})
	t.Run("names that are one file", func(t *testing.T) {
		dir := copyDir(t, signed)
		os.WriteFile(filepath.Join(dir, "TENPU_01.PDF"), []byte("%PDF-1.4 forged"), 0o644)
		if !IsEGovPackage(dir) {
			t.Fatal("not detected")
		}
		checkOutcome(t, VerifyEGov(dir, pol), outcome{key: MsgEGovNameClash, docError: true})
	})
	t.Run("zip slip", func(t *testing.T) {
		z := zipWith(t, signed, [][2]string{{"../evil.pdf", "%PDF-1.4 forged"}})
		if !IsEGovPackage(z) {
			t.Fatal("not detected")
		}
		checkOutcome(t, VerifyEGov(z, pol), outcome{key: MsgEGovUnsafeEntry, docError: true})
	})
	t.Run("upper-case KOUSEI.XML alone", func(t *testing.T) {
		dir := copyDir(t, signed)
		os.Rename(filepath.Join(dir, KouseiName), filepath.Join(dir, "KOUSEI.XML"))
		if !IsEGovPackage(dir) || !IsEGovPackage(filepath.Join(dir, "KOUSEI.XML")) {
			t.Fatal("not detected")
		}
		if rep := VerifyEGov(dir, pol); rep.Indication == trust.TotalPassed || rep.Error == nil {
			t.Fatalf("%s %v", rep.Indication, rep.Error)
		}
	})
	t.Run("a kousei.xml that is no e-Gov file", func(t *testing.T) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, KouseiName), []byte("<a>"+strings.Repeat("<!-- padding -->", 10000)+"</a>"), 0o644)
		z := filepath.Join(t.TempDir(), "z.zip")
		zipFolder(t, dir, z, "")
		if IsEGovPackage(dir) || IsEGovPackage(z) {
			t.Fatal("taken as an e-Gov package")
		}
		// The name mentioned past the first block is found all the same.
		os.WriteFile(filepath.Join(dir, KouseiName), []byte("<a>"+strings.Repeat("<!-- padding -->", 10000)+"<署名情報/></a>"), 0o644)
		zipFolder(t, dir, z, "")
		if !IsEGovPackage(dir) || !IsEGovPackage(z) {
			t.Fatal("not detected")
		}
	})
}
