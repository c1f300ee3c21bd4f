package xades

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/mynasign/mynasign/trust"
)

// memFiles is an in-memory e-Gov package (for fuzzing without touching the disk).
type memFiles map[string][]byte

func (m memFiles) open(name string) (io.ReadCloser, error) {
	if err := checkPlainName(name); err != nil {
		return nil, &packageError{name: name, key: MsgRefOutsidePackage, ind: trust.TotalFailed, sub: trust.FormatFailure}
	}
	b, ok := m[name]
	if !ok {
		return nil, fs.ErrNotExist
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}

func (m memFiles) names() []string {
	var out []string
	for n := range m {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func (m memFiles) unsafe() []string  { return nil }
func (m memFiles) outside() []string { return nil }

// checkReportInvariants: whatever the input, a report is complete and honest.
func checkReportInvariants(t *testing.T, rep *trust.DocumentReport) {
	if rep == nil {
		t.Fatal("nil report")
	}
	if rep.Indication == "" {
		t.Fatal("no document indication")
	}
	if rep.Indication == trust.TotalPassed && (rep.Error != nil || len(rep.Signatures) == 0) {
		t.Fatal("a document passes with an error or without signatures")
	}
	for _, s := range rep.Signatures {
		if s.Indication == "" {
			t.Fatal("a signature without an indication")
		}
		if s.Indication == trust.TotalPassed && (!s.Intact || s.Signer == nil) {
			t.Fatalf("a signature passes without being intact or without a signer: %+v", s)
		}
		if rep.Indication == trust.TotalPassed && s.Indication != trust.TotalPassed {
			t.Fatal("the document passes while a signature does not")
		}
	}
}

// FuzzVerify feeds arbitrary bytes to the XML verifier (as a standalone document and as
// the kousei.xml of an in-memory e-Gov package): no panic, no hang, and a report that
// never passes what it did not verify.
func FuzzVerify(f *testing.F) {
	opts := personaOpts(f, "valid")
	orig, err := os.ReadFile(sampleXML)
	if err != nil {
		f.Fatal(err)
	}
	signed, err := SignXAdES(orig, opts)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(signed)
	f.Add(orig)
	pkgDir := samplePackages[0]
	out := filepath.Join(f.TempDir(), "signed")
	if err := SignEGov(pkgDir, out, opts); err != nil {
		f.Fatal(err)
	}
	kousei, _ := os.ReadFile(filepath.Join(out, KouseiName))
	f.Add(kousei)
	files := memFiles{}
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		if e.Name() != KouseiName {
			files[e.Name()], _ = os.ReadFile(filepath.Join(out, e.Name()))
		}
	}
	// RSA-PSS with RSAPSSParams, and a XAdES signature with a CounterSignature.
	pssKey, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(enveloping(f, `<ds:SignatureMethod Algorithm="`+AlgRSAPSS+`"><pss:RSAPSSParams xmlns:pss="`+NSPSS+`">`+
		`<ds:DigestMethod Algorithm="`+AlgSHA256+`"/><pss:SaltLength>32</pss:SaltLength></pss:RSAPSSParams></ds:SignatureMethod>`,
		x509KeyInfo(selfSigned(f, pssKey)), pssSigner(f, pssKey, crypto.SHA256, 32)))
	f.Add(counterSignedTemplate(f, opts.Certificate, opts.Certificate, "#main-value"))
	f.Add([]byte(`<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>`))
	f.Add([]byte(`<a xmlns:ds="` + NSDSig + `"><ds:Signature><ds:SignedInfo/></ds:Signature></a>`))
	pol, err := trust.NewPolicy(trust.Options{TrustStore: trust.StoreTest, CRLDir: f.TempDir()})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkReportInvariants(t, Verify("fuzz.xml", data, pol))
		checkReportInvariants(t, verifyPackage("fuzz", &egovPackage{kouseiData: data, files: files}, pol))
	})
}

// FuzzCanonicalize: canonical XML is a fixed point. Whatever document parses, its
// canonical form (inclusive and exclusive) parses again and canonicalizes to itself.
func FuzzCanonicalize(f *testing.F) {
	for _, s := range []string{
		"<doc>\n   <e1   />\n   <e5 a:attr=\"out\" b:attr=\"sorted\" attr2=\"all\" xmlns:b=\"http://www.ietf.org\" xmlns:a=\"http://www.w3.org\" xmlns=\"http://example.org\"/><e6 xmlns=\"\"/></doc>",
		"<a b=\"x&#xA;y&#9;\">t&#xD;<![CDATA[<&>]]><!--c--><?p d?></a>",
		"<?xml version=\"1.0\"?><!--pre--><r xml:lang=\"ja\"><x:e xmlns:x=\"u\" x:a=\"1\">&amp;&lt;&gt;</x:e></r><?post?>",
	} {
		f.Add([]byte(s))
	}
	if b, err := os.ReadFile(sampleXML); err == nil {
		f.Add(b)
	}
	methods := []c14nMethod{{}, {comments: true}, {exclusive: true}, c14nMethod{exclusive: true}.withPrefixList("#default x")}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := parseDocument(data)
		if err != nil {
			return
		}
		for _, m := range methods {
			var first bytes.Buffer
			if err := canonicalize(&first, doc.root, &subtreeSet{comments: true}, m); err != nil {
				t.Fatal(err)
			}
			again, err := parseDocument(first.Bytes())
			if err != nil {
				t.Fatalf("the canonical form does not parse: %v\n%q", err, first.Bytes())
			}
			var second bytes.Buffer
			if err := canonicalize(&second, again.root, &subtreeSet{comments: true}, m); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(first.Bytes(), second.Bytes()) {
				t.Fatalf("not a fixed point (%+v):\n%q\n%q", m, first.Bytes(), second.Bytes())
			}
		}
	})
}
