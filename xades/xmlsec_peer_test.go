package xades

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/mynasign/mynasign/trust"
)

// Signatures made by xmlsec1 --sign (an independent XMLDSig implementation) from
// templates using each transform the verifier accepts, with a key whose throwaway CA no
// trust store knows: the XML side must verify (intact, INDETERMINATE /
// NO_CERTIFICATE_CHAIN_FOUND), and one changed byte inside the signed data must make it
// TOTAL-FAILED / HASH_FAILURE.

// untrustedSigner writes a throwaway CA and a signer certificate it issued, and returns
// xmlsec1's --privkey-pem argument (key,cert,ca) and the CA's PEM file.
func untrustedSigner(t *testing.T, dir string) (keyArg, caFile string) {
	t.Helper()
	caKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Throwaway peer CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	leafTmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "Peer signer"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour), KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, typ string, der []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	k := write("key.pem", "PRIVATE KEY", must(x509.MarshalPKCS8PrivateKey(key)))
	c := write("cert.pem", "CERTIFICATE", leafDER)
	caFile = write("ca.pem", "CERTIFICATE", caDER)
	return k + "," + c, caFile
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

const (
	peerSigStart = `<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>` +
		`<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>` +
		`<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>`
	peerDigest = `<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference>`
	peerSigEnd = `</ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data><ds:X509Certificate/></ds:X509Data></ds:KeyInfo>`
	peerData   = `<Data xmlns:x="urn:x" Id="data"><!-- a comment, signed with comments -->` +
		`<Name x:kind="申請者">signed-content 申請</Name><x:Amount>1000</x:Amount></Data>`
)

func peerRef(uri, transforms string) string {
	t := ""
	if transforms != "" {
		t = `<ds:Transforms>` + transforms + `</ds:Transforms>`
	}
	return `<ds:Reference URI="` + uri + `">` + t + peerDigest
}

func tr(alg string) string { return `<ds:Transform Algorithm="` + alg + `"/>` }

type peerCase struct {
	name     string
	template string
	files    map[string]string // files next to the document
	idAttrs  []string          // xmlsec1 --id-attr:Id arguments (element names)
	tamper   [2]string         // one byte changed inside the signed data: old, new
	inFile   string            // the tamper is in this file, not in the document
	// untouched: a change outside the signed data, which must leave it intact
	untouched [2]string
	content   string // what the report's signed content says
}

func peerCases() []peerCase {
	enveloped := func(name, transforms string) peerCase {
		return peerCase{name: name,
			template: `<Doc>` + peerData + `<Unsigned Id="u">free text</Unsigned>` + peerSigStart + peerRef("", transforms) + peerSigEnd + `</ds:Signature></Doc>`,
			tamper:   [2]string{"signed-content", "signed-cintent"}}
	}
	b64 := base64.StdEncoding.EncodeToString([]byte("octets signed as they are: signed-content\x00\x01"))
	// One base64 character changed for another.
	flip := []byte(b64[:16])
	if flip[5] == 'A' {
		flip[5] = 'B'
	} else {
		flip[5] = 'A'
	}
	b64Tamper := [2]string{b64[:16], string(flip)}
	cases := []peerCase{
		enveloped("enveloped", tr(AlgEnveloped)+tr(AlgC14N10)),
		enveloped("exclusive", tr(AlgEnveloped)+`<ds:Transform Algorithm="`+AlgExcC14N+`"><ec:InclusiveNamespaces xmlns:ec="`+AlgExcC14N+`" PrefixList="x"/></ds:Transform>`),
		enveloped("xpath-signature-idiom", `<ds:Transform Algorithm="`+AlgXPath+`"><ds:XPath xmlns:dsig="`+NSDSig+`">not(ancestor-or-self::dsig:Signature)</ds:XPath></ds:Transform>`),
		func() peerCase {
			c := enveloped("xpath-subset", `<ds:Transform Algorithm="`+AlgXPath+`"><ds:XPath>not(ancestor-or-self::ds:Signature) and not(ancestor-or-self::node()[@Id='u'])</ds:XPath></ds:Transform>`+tr(AlgExcC14N))
			c.untouched = [2]string{"free text", "free test"}
			c.content = "document /Doc[1] filtered by XPath"
			return c
		}(),
		func() peerCase {
			c := enveloped("xpath-filter2", `<ds:Transform Algorithm="`+AlgXPathFilter2+`"><f:XPath xmlns:f="`+AlgXPathFilter2+`" Filter="intersect">/Doc</f:XPath>`+
				`<f:XPath xmlns:f="`+AlgXPathFilter2+`" Filter="subtract">//ds:Signature | //Unsigned</f:XPath>`+
				`<f:XPath xmlns:f="`+AlgXPathFilter2+`" Filter="union">id('data')/Name</f:XPath></ds:Transform>`+tr(AlgC14N10))
			c.untouched = [2]string{"free text", "free test"}
			c.idAttrs = []string{"Data"}
			c.content = "document /Doc[1] filtered by XPath Filter 2.0"
			return c
		}(),
		{name: "enveloping",
			template: `<Doc>` + peerSigStart + peerRef("#obj", tr(AlgExcC14N)) + peerSigEnd +
				`<ds:Object Id="obj">` + peerData + `</ds:Object></ds:Signature></Doc>`,
			tamper: [2]string{"signed-content", "signed-cintent"}},
		{name: "with-comments",
			template: `<Doc>` + peerData + peerSigStart + peerRef("#xpointer(id('data'))", tr(AlgC14N10WithComments)) + peerSigEnd + `</ds:Signature></Doc>`,
			idAttrs:  []string{"Data"},
			tamper:   [2]string{"a comment", "a cemment"}},
		{name: "base64",
			template: `<Doc>` + peerSigStart + peerRef("#b64", tr(AlgBase64)) + peerSigEnd +
				`<ds:Object Id="b64">` + b64[:20] + "\n" + b64[20:] + `</ds:Object></ds:Signature></Doc>`,
			tamper: b64Tamper, content: "/Doc[1]/ds:Signature[1]/ds:Object[1] base64-decoded"},
		{name: "detached-file",
			template: `<Doc>` + peerSigStart + peerRef("other.bin", "") + peerSigEnd + `</ds:Signature></Doc>`,
			files:    map[string]string{"other.bin": "detached octets: signed-content\n"},
			tamper:   [2]string{"signed-content", "signed-cintent"}, inFile: "other.bin", content: "file:other.bin"},
		{name: "detached-base64-file",
			template: `<Doc>` + peerSigStart + peerRef("other.b64", tr(AlgBase64)) + peerSigEnd + `</ds:Signature></Doc>`,
			files:    map[string]string{"other.b64": b64 + "\n"},
			tamper:   b64Tamper, inFile: "other.b64", content: "file:other.b64 base64-decoded"},
	}
	return cases
}

func TestXmlsec1SignedTransforms(t *testing.T) {
	dir := t.TempDir()
	keyArg, ca := untrustedSigner(t, dir)
	policy := testPolicy(t)
	for _, c := range peerCases() {
		t.Run(c.name, func(t *testing.T) {
			if c.tamper[0] == c.tamper[1] {
				t.Fatal("the tamper changes nothing")
			}
			d := t.TempDir()
			for name, content := range c.files {
				if err := os.WriteFile(filepath.Join(d, name), []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			tmpl := filepath.Join(d, "template.xml")
			os.WriteFile(tmpl, []byte(c.template), 0o644)
			signed := filepath.Join(d, "signed.xml")
			var ids []string
			for _, el := range c.idAttrs {
				ids = append(ids, "--id-attr:Id", el)
			}
			args := append([]string{"--sign", "--privkey-pem", keyArg, "--output", signed}, ids...)
			if msg, ok := runXmlsec(t, d, append(args, tmpl)...); !ok {
				t.Fatalf("xmlsec1 --sign:\n%s", msg)
			}
			verifyArgs := append([]string{"--verify", "--trusted-pem", ca, "--enabled-key-data", "x509"}, ids...)
			if msg, ok := runXmlsec(t, d, append(verifyArgs, signed)...); !ok {
				t.Fatalf("xmlsec1 does not verify its own signature:\n%s", msg)
			}
			data, err := os.ReadFile(signed)
			if err != nil {
				t.Fatal(err)
			}

			rep := VerifyFile(signed, data, policy)
			checkPeerIntact(t, "as signed", rep)
			if s := rep.Signatures[0]; c.content != "" && (s.SignedContent != c.content || s.Coverage == trust.CoverageWhole) {
				t.Errorf("signed content %q, coverage %s; want %q, not whole", s.SignedContent, s.Coverage, c.content)
			}

			if c.untouched[0] != "" {
				other := bytes.Replace(data, []byte(c.untouched[0]), []byte(c.untouched[1]), 1)
				if bytes.Equal(other, data) {
					t.Fatal("the change outside the signed data changes nothing")
				}
				p := filepath.Join(d, "outside.xml")
				os.WriteFile(p, other, 0o644)
				checkPeerIntact(t, "changed outside the signed data", VerifyFile(p, other, policy))
			}

			// One byte changed inside the signed data.
			target, content := signed, data
			if c.inFile != "" {
				target = filepath.Join(d, c.inFile)
				content = []byte(c.files[c.inFile])
			}
			bad := bytes.Replace(content, []byte(c.tamper[0]), []byte(c.tamper[1]), 1)
			if bytes.Equal(bad, content) || len(bad) != len(content) {
				t.Fatalf("the tamper %q does not apply", c.tamper[0])
			}
			if err := os.WriteFile(target, bad, 0o644); err != nil {
				t.Fatal(err)
			}
			if _, ok := runXmlsec(t, d, append(verifyArgs, signed)...); ok {
				t.Fatal("xmlsec1 accepts the tampered data (the test does not tamper the signed data)")
			}
			doc := data
			if c.inFile == "" {
				doc = bad
			}
			rep = VerifyFile(signed, doc, policy)
			if len(rep.Signatures) != 1 {
				t.Fatalf("tampered: %d signatures", len(rep.Signatures))
			}
			s := rep.Signatures[0]
			if s.Intact || s.Indication != trust.TotalFailed || s.SubIndication != trust.HashFailure {
				t.Errorf("tampered: intact=%v %s/%s %s", s.Intact, s.Indication, s.SubIndication, failedChecks(s))
			}
		})
	}
}

func checkPeerIntact(t *testing.T, what string, rep *trust.DocumentReport) {
	t.Helper()
	if rep.Error != nil || len(rep.Signatures) != 1 {
		t.Fatalf("%s: error %v, %d signatures", what, rep.Error, len(rep.Signatures))
	}
	s := rep.Signatures[0]
	if !s.Intact || s.Indication != trust.Indeterminate || s.SubIndication != trust.NoCertificateChainFound {
		t.Errorf("%s: intact=%v %s/%s %s", what, s.Intact, s.Indication, s.SubIndication, failedChecks(s))
	}
}

// TestDetachedContainment: a detached reference is followed only to a file directly in
// the verified file's folder. A path, a parent, an absolute path, a scheme, or a link
// that leads out of the folder is not followed (INDETERMINATE, xades.ref.external),
// whatever the signature says; a link inside the folder is an ordinary file. Verify
// (which has no folder) follows none. A Reference without URI is INDETERMINATE too.
func TestDetachedContainment(t *testing.T) {
	d := t.TempDir()
	keyArg, _ := untrustedSigner(t, d)
	policy := testPolicy(t)
	os.WriteFile(filepath.Join(d, "other.bin"), []byte("detached octets\n"), 0o644)
	tmpl := filepath.Join(d, "template.xml")
	os.WriteFile(tmpl, []byte(`<Doc>`+peerSigStart+peerRef("other.bin", "")+peerSigEnd+`</ds:Signature></Doc>`), 0o644)
	signed := filepath.Join(d, "signed.xml")
	if msg, ok := runXmlsec(t, d, "--sign", "--privkey-pem", keyArg, "--output", signed, tmpl); !ok {
		t.Fatalf("xmlsec1 --sign:\n%s", msg)
	}
	data, _ := os.ReadFile(signed)
	checkPeerIntact(t, "next to it", VerifyFile(signed, data, policy))

	unfollowed := func(what string, rep *trust.DocumentReport, key string) {
		t.Helper()
		if len(rep.Signatures) != 1 {
			t.Fatalf("%s: %d signatures", what, len(rep.Signatures))
		}
		s := rep.Signatures[0]
		if s.Intact || s.Indication != trust.Indeterminate || s.SubIndication != trust.SignedDataNotFound || s.Summary.Key != key {
			t.Errorf("%s: intact=%v %s/%s %s %v", what, s.Intact, s.Indication, s.SubIndication, s.Summary.Key, s.Summary.Args)
		}
	}
	unfollowed("without a folder (Verify)", Verify(signed, data, policy), MsgRefExternal)

	// The folder holds a copy of the file under each name, and outside the folder too.
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "other.bin"), []byte("detached octets\n"), 0o644)
	sub := filepath.Join(d, "sub")
	os.Mkdir(sub, 0o755)
	os.WriteFile(filepath.Join(sub, "other.bin"), []byte("detached octets\n"), 0o644)
	rel, _ := filepath.Rel(d, filepath.Join(outside, "other.bin"))
	for _, uri := range []string{"../" + filepath.Base(outside) + "/other.bin", rel, "%2e%2e/other.bin", "sub/other.bin",
		"sub%2Fother.bin", filepath.Join(outside, "other.bin"), "file://" + filepath.Join(outside, "other.bin"),
		"http://example.com/other.bin", "other.bin?x", "other.bin#f", "C:other.bin", `sub\other.bin`, "sub"} {
		p := filepath.Join(d, "variant.xml")
		v := bytes.Replace(data, []byte(`URI="other.bin"`), []byte(`URI="`+uri+`"`), 1)
		os.WriteFile(p, v, 0o644)
		unfollowed(uri, VerifyFile(p, v, policy), MsgRefExternal)
	}

	// A link that leads out of the folder is not followed; one inside it is a file.
	linked := t.TempDir()
	os.WriteFile(filepath.Join(linked, "signed.xml"), data, 0o644)
	if err := os.Symlink(filepath.Join(outside, "other.bin"), filepath.Join(linked, "other.bin")); err != nil {
		t.Fatal(err)
	}
	unfollowed("a link out of the folder", VerifyFile(filepath.Join(linked, "signed.xml"), data, policy), MsgRefExternal)
	os.Remove(filepath.Join(linked, "other.bin"))
	os.WriteFile(filepath.Join(linked, "real.bin"), []byte("detached octets\n"), 0o644)
	os.Symlink("real.bin", filepath.Join(linked, "other.bin"))
	checkPeerIntact(t, "a link inside the folder", VerifyFile(filepath.Join(linked, "signed.xml"), data, policy))
	os.Remove(filepath.Join(linked, "other.bin"))
	os.Remove(filepath.Join(linked, "real.bin"))
	unfollowed("a missing file", VerifyFile(filepath.Join(linked, "signed.xml"), data, policy), MsgRefFileMissing)

	noURI := bytes.Replace(data, []byte(` URI="other.bin"`), nil, 1)
	unfollowed("a Reference without URI", VerifyFile(signed, noURI, policy), MsgRefNoURI)
}
