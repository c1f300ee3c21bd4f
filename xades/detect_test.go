package xades

import (
	"os"
	"path/filepath"
	"testing"
)

func TestDetection(t *testing.T) {
	for in, want := range map[string]bool{
		"<?xml version=\"1.0\"?><a/>": true, "\xEF\xBB\xBF\n <申請書/>": true, "<!-- c --><a/>": true,
		"%PDF-1.7": false, "PK\x03\x04": false, "hello <a/>": false, "<": false, "<1a/>": false, "": false,
	} {
		if LooksLikeXML([]byte(in)) != want {
			t.Errorf("LooksLikeXML(%q) != %v", in, want)
		}
	}
	dir := copyDir(t, samplePackages[0])
	zipped := filepath.Join(t.TempDir(), "p.zip")
	zipFolder(t, dir, zipped, "p/")
	other := filepath.Join(dir, "900A01020000100001_01.xml")
	plain := filepath.Join(t.TempDir(), "plain")
	os.Mkdir(plain, 0o755)
	os.WriteFile(filepath.Join(plain, KouseiName), []byte("<a/>"), 0o644)
	for p, want := range map[string]bool{
		dir: true, zipped: true, filepath.Join(dir, KouseiName): true,
		other: false, plain: false, filepath.Join(plain, KouseiName): false, sampleXML: false, "/nonexistent": false,
	} {
		if IsEGovPackage(p) != want {
			t.Errorf("IsEGovPackage(%s) != %v", p, want)
		}
	}
}
