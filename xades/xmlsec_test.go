package xades

import (
	"bytes"
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mynasign/mynasign/internal/testenv"
	"github.com/mynasign/mynasign/internal/testpki"
)

// xmlsec1 (Debian's 1.2.37) is the independent peer for our XML output.

// testCAFile writes the test signature CA certificates as PEM (xmlsec1's trust anchors).
func testCAFile(t *testing.T) string {
	t.Helper()
	var b bytes.Buffer
	for _, c := range testpki.SignCAs() {
		pem.Encode(&b, &pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
	}
	p := filepath.Join(t.TempDir(), "test-ca.pem")
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func runXmlsec(t *testing.T, dir string, args ...string) (string, bool) {
	t.Helper()
	cmd := exec.Command(testenv.Tool(t, "xmlsec1"), args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return string(out), err == nil
}

// TestXmlsec1VerifiesXAdES: xmlsec1 --verify accepts a XAdES signature made through the
// software card, with the test CA as its only trust anchor, and rejects it when one byte
// of the signed document changes.
func TestXmlsec1VerifiesXAdES(t *testing.T) {
	ca := testCAFile(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "signed.xml")
	if err := SignXAdESFile(sampleXML, out, cardOpts(t, "valid")); err != nil {
		t.Fatal(err)
	}
	args := []string{"--verify", "--trusted-pem", ca, "--enabled-key-data", "x509",
		"--id-attr:Id", NSXAdES + ":SignedProperties"}
	msg, ok := runXmlsec(t, dir, append(args, out)...)
	if !ok || !strings.Contains(msg, "SignedInfo References (ok/all): 2/2") {
		t.Fatalf("xmlsec1 rejects our XAdES output:\n%s", msg)
	}
	data, _ := os.ReadFile(out)
	bad := filepath.Join(dir, "bad.xml")
	os.WriteFile(bad, bytes.Replace(data, []byte("試験　花子"), []byte("試験　花男"), 1), 0o644)
	if msg, ok := runXmlsec(t, dir, append(args, bad)...); ok {
		t.Fatalf("xmlsec1 accepts a tampered document:\n%s", msg)
	}
}

// TestXmlsec1VerifiesEGov: xmlsec1 checks the signature inside our kousei.xml, file
// references included (resolved relative to kousei.xml's folder).
//
// formats.md §2b prescribes Reference 1 as URI="#%E6%A7%8B%E6%88%90%E6%83%85%E5%A0%B1"
// (the percent-encoded #構成情報). xmlsec1 1.2.37 turns a bare-name fragment into
// xpointer(id('…')) without percent-decoding it, so it cannot find that element (the
// JDK's XMLDSig does the same). The test therefore accepts exactly that failure for the
// prescribed form, and has xmlsec1 verify, in full, a package signed by the same code
// with Reference 1 written as the IRI #構成情報; both forms resolve to the same element
// in mynasign's verifier (TestFragmentSpellings).
func TestXmlsec1VerifiesEGov(t *testing.T) {
	ca := testCAFile(t)
	opts := cardOpts(t, "valid")
	args := []string{"--verify", "--trusted-pem", ca, "--enabled-key-data", "x509", "--id-attr:ID", egovInfoName}
	for _, pkg := range samplePackages {
		t.Run(filepath.Base(pkg), func(t *testing.T) {
			k, _ := os.ReadFile(filepath.Join(pkg, KouseiName))
			doc, _ := parseFull(string(k))
			kk, _ := parseKousei(doc)
			want := fmt.Sprintf("SignedInfo References (ok/all): %d/%d", 1+len(kk.listed), 1+len(kk.listed))

			prescribed := filepath.Join(t.TempDir(), "signed")
			if err := SignEGov(copyDir(t, pkg), prescribed, opts); err != nil {
				t.Fatal(err)
			}
			msg, ok := runXmlsec(t, prescribed, append(args, KouseiName)...)
			if !ok && !strings.Contains(msg, "xpointer(id('%E6%A7%8B%E6%88%90%E6%83%85%E5%A0%B1'))") {
				t.Fatalf("xmlsec1 rejects our kousei.xml for an unexpected reason:\n%s", msg)
			}

			variant := filepath.Join(t.TempDir(), "signed")
			if err := signEGov(copyDir(t, pkg), variant, opts, egovStyle{rawInfoFragment: true}); err != nil {
				t.Fatal(err)
			}
			// xmlsec1 resolves relative file references against its working directory
			// (not the document's folder): it runs in the package folder.
			msg, ok = runXmlsec(t, variant, append(args, KouseiName)...)
			if !ok || !strings.Contains(msg, want) {
				t.Fatalf("xmlsec1 rejects the e-Gov signature:\n%s", msg)
			}
			// A changed byte in a referenced file: xmlsec1 must fail too.
			name := kk.listed[len(kk.listed)-1]
			p := filepath.Join(variant, name)
			b, _ := os.ReadFile(p)
			b[0] ^= 1
			os.WriteFile(p, b, 0o644)
			if msg, ok := runXmlsec(t, variant, append(args, KouseiName)...); ok {
				t.Fatalf("xmlsec1 accepts a changed %s:\n%s", name, msg)
			}
		})
	}
}

// TestFragmentSpellings: the percent-encoded and the IRI spelling of #構成情報 name the
// same element, and a percent-encoded fragment that decodes to nothing known is not
// found.
func TestFragmentSpellings(t *testing.T) {
	doc := mustParse(t, `<r><構成情報 ID="構成情報"/></r>`)
	for _, uri := range []string{"#%E6%A7%8B%E6%88%90%E6%83%85%E5%A0%B1", "#構成情報", "#xpointer(id('構成情報'))"} {
		ref := &reference{uri: uri}
		if err := ref.resolve(doc, nil); err != nil || ref.apex == nil || ref.apex.local != "構成情報" {
			t.Errorf("%s: %v", uri, err)
		}
	}
	for _, uri := range []string{"#%E6%A7%8B", "#%ZZ", "#xpointer(//構成情報)"} {
		ref := &reference{uri: uri}
		if err := ref.resolve(doc, nil); err == nil {
			t.Errorf("%s resolved", uri)
		}
	}
}
