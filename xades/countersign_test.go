package xades

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mynasign/mynasign/internal/testenv"
	"github.com/mynasign/mynasign/trust"
)

// peerKey makes a throwaway self-signed key and certificate with openssl (no CA of
// ours knows it) and returns the key file and the parsed certificate.
func peerKey(t *testing.T, dir, name string, newkey ...string) (string, *x509.Certificate) {
	t.Helper()
	args := append([]string{"req", "-x509"}, newkey...)
	args = append(args, "-nodes", "-subj", "/CN=peer "+name, "-days", "2",
		"-keyout", filepath.Join(dir, name+".key"), "-out", filepath.Join(dir, name+".pem"))
	if out, err := exec.Command(testenv.Tool(t, "openssl"), args...).CombinedOutput(); err != nil {
		t.Fatalf("openssl %v: %v\n%s", args, err, out)
	}
	b, err := os.ReadFile(filepath.Join(dir, name+".pem"))
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(b)
	c, err := x509.ParseCertificate(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, name+".key"), c
}

// xmlsecSign has xmlsec1 fill in the signature template whose Id is nodeID.
func xmlsecSign(t *testing.T, dir, key, nodeID string, tmpl []byte) []byte {
	t.Helper()
	in, out := filepath.Join(dir, "in.xml"), filepath.Join(dir, "out.xml")
	if err := os.WriteFile(in, tmpl, 0o600); err != nil {
		t.Fatal(err)
	}
	msg, ok := runXmlsec(t, dir, "--sign", "--privkey-pem", key,
		"--id-attr:Id", NSDSig+":Signature", "--id-attr:Id", NSDSig+":SignatureValue",
		"--id-attr:Id", NSXAdES+":SignedProperties", "--id-attr:Id", NSDSig+":KeyInfo", "--node-id", nodeID, "--output", out, in)
	if !ok {
		t.Fatalf("xmlsec1 --sign %s: %s", nodeID, msg)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func certB64(c *x509.Certificate) string { return base64.StdEncoding.EncodeToString(c.Raw) }

// counterSignedTemplate is a XAdES-BES enveloped signature "main" with one
// CounterSignature "cs1" whose reference csRef points at what it signs.
func counterSignedTemplate(t testing.TB, mainCert, csCert *x509.Certificate, csRef string) []byte {
	t.Helper()
	sp, err := signedPropertiesXML("main-sp", time.Now(), mainCert, "main-ref0")
	if err != nil {
		t.Fatal(err)
	}
	digest := `<ds:DigestMethod Algorithm="` + AlgSHA256 + `"/><ds:DigestValue></ds:DigestValue>`
	exc := `<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>`
	si := func(refs string) string {
		return `<ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>` +
			`<ds:SignatureMethod Algorithm="` + AlgRSASHA256 + `"/>` + refs + `</ds:SignedInfo>`
	}
	return []byte(`<?xml version="1.0" encoding="UTF-8"?>
<doc><data>signed content</data><ds:Signature xmlns:ds="` + NSDSig + `" Id="main">` +
		si(`<ds:Reference Id="main-ref0" URI=""><ds:Transforms><ds:Transform Algorithm="`+AlgEnveloped+`"/>`+exc+`</ds:Transforms>`+digest+`</ds:Reference>`+
			`<ds:Reference URI="#main-sp" Type="`+TypeSignedProperties+`"><ds:Transforms>`+exc+`</ds:Transforms>`+digest+`</ds:Reference>`) +
		`<ds:SignatureValue Id="main-value"></ds:SignatureValue>` +
		`<ds:KeyInfo Id="main-keyinfo"><ds:X509Data><ds:X509Certificate>` + certB64(mainCert) + `</ds:X509Certificate></ds:X509Data></ds:KeyInfo>` +
		`<ds:Object><xades:QualifyingProperties xmlns:xades="` + NSXAdES + `" Target="#main">` + sp +
		`<xades:UnsignedProperties><xades:UnsignedSignatureProperties><xades:CounterSignature>` +
		`<ds:Signature Id="cs1">` +
		si(`<ds:Reference URI="`+csRef+`" Type="`+TypeCountersignedSignature+`"><ds:Transforms>`+exc+`</ds:Transforms>`+digest+`</ds:Reference>`) +
		`<ds:SignatureValue></ds:SignatureValue>` +
		`<ds:KeyInfo><ds:X509Data><ds:X509Certificate>` + certB64(csCert) + `</ds:X509Certificate></ds:X509Data></ds:KeyInfo>` +
		`</ds:Signature></xades:CounterSignature></xades:UnsignedSignatureProperties></xades:UnsignedProperties>` +
		`</xades:QualifyingProperties></ds:Object></ds:Signature></doc>
`)
}

func sigByID(t *testing.T, rep *trust.DocumentReport, id string) trust.SignatureReport {
	t.Helper()
	for _, s := range rep.Signatures {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("no signature %s in %+v", id, rep.Signatures)
	return trust.SignatureReport{}
}

func wantSig(t *testing.T, s trust.SignatureReport, intact bool, ind trust.Indication, sub trust.SubIndication) {
	t.Helper()
	if s.Intact != intact || s.Indication != ind || s.SubIndication != sub {
		t.Errorf("%s: intact=%v %s/%s (%s %v; %s), want intact=%v %s/%s", s.ID, s.Intact, s.Indication, s.SubIndication,
			s.Summary.Key, s.Summary.Args, failedChecks(s), intact, ind, sub)
	}
}

// Counter-signatures made by xmlsec1: the main signature is judged on its own, the
// counter-signature is an entry of its own that names what it countersigns.
func TestCounterSignatureXmlsec(t *testing.T) {
	dir := t.TempDir()
	mainKey, mainCert := peerKey(t, dir, "main", "-newkey", "rsa:2048")
	csKey, csCert := peerKey(t, dir, "counter", "-newkey", "rsa:2048")
	sign := func(csRef string) []byte {
		step := xmlsecSign(t, dir, mainKey, "main", counterSignedTemplate(t, mainCert, csCert, csRef))
		return xmlsecSign(t, dir, csKey, "cs1", step)
	}
	policy := testPolicy(t)
	data := sign("#main-value")
	// xmlsec1 itself verifies both.
	for _, id := range []string{"main", "cs1"} {
		p := filepath.Join(dir, "check.xml")
		os.WriteFile(p, data, 0o600)
		if msg, ok := runXmlsec(t, dir, "--verify", "--insecure", "--enabled-key-data", "x509",
			"--id-attr:Id", NSDSig+":Signature", "--id-attr:Id", NSDSig+":SignatureValue",
			"--id-attr:Id", NSXAdES+":SignedProperties", "--node-id", id, p); !ok {
			t.Fatalf("xmlsec1 does not verify %s: %s", id, msg)
		}
	}

	rep := Verify("cs.xml", data, policy)
	if len(rep.Signatures) != 2 {
		t.Fatalf("%d signatures: %+v", len(rep.Signatures), rep.Signatures)
	}
	m, cs := sigByID(t, rep, "main"), sigByID(t, rep, "cs1")
	wantSig(t, m, true, trust.Indeterminate, trust.NoCertificateChainFound)
	wantSig(t, cs, true, trust.Indeterminate, trust.NoCertificateChainFound)
	if m.Format != FormatXAdESBB || m.Countersigns != "" || cs.Countersigns != "main" {
		t.Errorf("main %s countersigns %q, cs1 countersigns %q", m.Format, m.Countersigns, cs.Countersigns)
	}
	hasWarning := func(s trust.SignatureReport, key string) bool {
		for _, w := range s.Warnings {
			if w.Key == key {
				return true
			}
		}
		return false
	}
	if !hasWarning(m, MsgSigCountersigned) || !hasWarning(cs, MsgSigCountersignature) {
		t.Errorf("warnings main %v, cs1 %v", m.Warnings, cs.Warnings)
	}

	// The document changed: the main signature is broken, the counter-signature (over
	// the main signature's value only) still verifies.
	rep = Verify("cs.xml", mustReplace(t, data, "signed content", "signed contenu"), policy)
	wantSig(t, sigByID(t, rep, "main"), false, trust.TotalFailed, trust.HashFailure)
	wantSig(t, sigByID(t, rep, "cs1"), true, trust.Indeterminate, trust.NoCertificateChainFound)

	// One bit of the main signature value flipped: both are broken.
	rep = Verify("cs.xml", flipValue(t, data), policy)
	wantSig(t, sigByID(t, rep, "main"), false, trust.TotalFailed, trust.SigCryptoFailure)
	wantSig(t, sigByID(t, rep, "cs1"), false, trust.TotalFailed, trust.HashFailure)

	// A CounterSignature that signs something else than its host's value: what it
	// confirms cannot be told; the main signature is not affected.
	rep = Verify("cs.xml", sign("#main-keyinfo"), policy)
	wantSig(t, sigByID(t, rep, "main"), true, trust.Indeterminate, trust.NoCertificateChainFound)
	other := sigByID(t, rep, "cs1")
	wantSig(t, other, true, trust.Indeterminate, trust.SigConstraintsFailure)
	if other.Summary.Key != MsgSigCounterTarget {
		t.Errorf("summary %s", other.Summary.Key)
	}
	if rep.Indication == trust.TotalFailed {
		t.Errorf("document TOTAL-FAILED: %+v", rep.Summary)
	}
}

// flipValue flips one bit in the middle of the document's first SignatureValue.
func flipValue(t *testing.T, data []byte) []byte {
	t.Helper()
	doc, err := parseDocument(data)
	if err != nil {
		t.Fatal(err)
	}
	sv := findAll(doc.root, NSDSig, "SignatureValue")[0]
	raw, err := decodeBase64(sv.text())
	if err != nil {
		t.Fatal(err)
	}
	raw[len(raw)/2] ^= 1
	open := int(sv.start) + strings.IndexByte(doc.src[sv.start:], '>') + 1
	return []byte(doc.src[:open] + base64.StdEncoding.EncodeToString(raw) + doc.src[sv.innerIn(doc.src):])
}

// ECDSA signatures made by xmlsec1 (XMLDSig 1.1: r || s of the curve's size). xmlsec1
// 1.2.37 has no RSA-PSS; PSS is covered by TestRSAPSS and the xmlsec suite's vectors.
func TestECDSAXmlsec(t *testing.T) {
	policy := testPolicy(t)
	for _, c := range []struct{ curve, alg string }{
		{"P-256", AlgECDSASHA256}, {"P-384", AlgECDSASHA384}, {"P-521", AlgECDSASHA512},
	} {
		t.Run(c.curve, func(t *testing.T) {
			dir := t.TempDir()
			key, cert := peerKey(t, dir, c.curve, "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:"+c.curve)
			tmpl := []byte(`<doc><data>signed content</data><ds:Signature xmlns:ds="` + NSDSig + `" Id="s"><ds:SignedInfo>` +
				`<ds:CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>` +
				`<ds:SignatureMethod Algorithm="` + c.alg + `"/><ds:Reference URI=""><ds:Transforms>` +
				`<ds:Transform Algorithm="` + AlgEnveloped + `"/></ds:Transforms><ds:DigestMethod Algorithm="` + AlgSHA256 + `"/>` +
				`<ds:DigestValue></ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue></ds:SignatureValue>` +
				`<ds:KeyInfo><ds:X509Data><ds:X509Certificate>` + certB64(cert) + `</ds:X509Certificate></ds:X509Data></ds:KeyInfo>` +
				`</ds:Signature></doc>`)
			data := xmlsecSign(t, dir, key, "s", tmpl)
			rep := Verify("ec.xml", data, policy)
			s := sigByID(t, rep, "s")
			wantSig(t, s, true, trust.Indeterminate, trust.NoCertificateChainFound)
			for _, w := range s.Warnings {
				if w.Key == MsgSigECDSAASN1 {
					t.Errorf("xmlsec1's value read as ASN.1")
				}
			}
			wantSig(t, sigByID(t, Verify("ec.xml", mustReplace(t, data, "signed content", "signed contenu"), policy), "s"),
				false, trust.TotalFailed, trust.HashFailure)
			wantSig(t, sigByID(t, Verify("ec.xml", flipValue(t, data), policy), "s"), false, trust.TotalFailed, trust.SigCryptoFailure)
		})
	}
}

// A counter-signature that is not inside its host (a second top-level signature whose
// reference resolves to the first one's SignatureValue) is reported as countersigning it.
func TestDetachedCounterSignatureXmlsec(t *testing.T) {
	dir := t.TempDir()
	mainKey, mainCert := peerKey(t, dir, "main", "-newkey", "rsa:2048")
	csKey, csCert := peerKey(t, dir, "counter", "-newkey", "rsa:2048")
	sig := func(id, uri, typ string, cert *x509.Certificate, valueID string) string {
		return `<ds:Signature xmlns:ds="` + NSDSig + `" Id="` + id + `"><ds:SignedInfo>` +
			`<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>` +
			`<ds:SignatureMethod Algorithm="` + AlgRSASHA256 + `"/><ds:Reference URI="` + uri + `"` + typ + `>` +
			`<ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>` +
			`<ds:DigestMethod Algorithm="` + AlgSHA256 + `"/><ds:DigestValue></ds:DigestValue></ds:Reference></ds:SignedInfo>` +
			`<ds:SignatureValue` + valueID + `></ds:SignatureValue><ds:KeyInfo><ds:X509Data><ds:X509Certificate>` + certB64(cert) +
			`</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>`
	}
	tmpl := []byte(`<doc><data Id="data">signed content</data>` +
		sig("main", "#data", "", mainCert, ` Id="main-value"`) +
		sig("cs", "#main-value", ` Type="`+TypeCountersignedSignature+`"`, csCert, "") + `</doc>`)
	// xmlsec1 needs the data element's Id registered as an ID too.
	step := xmlsecSignIDs(t, dir, mainKey, "main", tmpl, "data")
	data := xmlsecSignIDs(t, dir, csKey, "cs", step, "data")
	rep := Verify("dcs.xml", data, testPolicy(t))
	m, cs := sigByID(t, rep, "main"), sigByID(t, rep, "cs")
	wantSig(t, m, true, trust.Indeterminate, trust.NoCertificateChainFound)
	wantSig(t, cs, true, trust.Indeterminate, trust.NoCertificateChainFound)
	if m.Countersigns != "" || cs.Countersigns != "main" {
		t.Errorf("main countersigns %q, cs %q", m.Countersigns, cs.Countersigns)
	}
	rep = Verify("dcs.xml", flipValue(t, data), testPolicy(t))
	wantSig(t, sigByID(t, rep, "cs"), false, trust.TotalFailed, trust.HashFailure)
}

// xmlsecSignIDs is xmlsecSign with further elements whose Id attribute is an ID.
func xmlsecSignIDs(t *testing.T, dir, key, nodeID string, tmpl []byte, idElems ...string) []byte {
	t.Helper()
	in, out := filepath.Join(dir, "in.xml"), filepath.Join(dir, "out.xml")
	if err := os.WriteFile(in, tmpl, 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"--sign", "--privkey-pem", key,
		"--id-attr:Id", NSDSig + ":Signature", "--id-attr:Id", NSDSig + ":SignatureValue"}
	for _, e := range idElems {
		args = append(args, "--id-attr:Id", e)
	}
	args = append(args, "--node-id", nodeID, "--output", out, in)
	if msg, ok := runXmlsec(t, dir, args...); !ok {
		t.Fatalf("xmlsec1 --sign %s: %s", nodeID, msg)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A SigningCertificate whose CertDigest uses a digest outside the allow-list cannot be
// checked: INDETERMINATE, after the value and the digests were (xmlsec1-made).
func TestUnsupportedCertDigest(t *testing.T) {
	dir := t.TempDir()
	mainKey, mainCert := peerKey(t, dir, "main", "-newkey", "rsa:2048")
	tmpl := string(counterSignedTemplate(t, mainCert, mainCert, "#main-value"))
	cd := `<xades:CertDigest><ds:DigestMethod Algorithm="` + AlgSHA256 + `"/>`
	if !strings.Contains(tmpl, cd) {
		t.Fatal("no CertDigest in the template")
	}
	tmpl = strings.Replace(tmpl, cd, `<xades:CertDigest><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#md5"/>`, 1)
	data := xmlsecSign(t, dir, mainKey, "main", []byte(tmpl))
	policy := testPolicy(t)
	m := sigByID(t, Verify("cd.xml", data, policy), "main")
	wantSig(t, m, true, trust.Indeterminate, trust.CryptoConstraintsFailure)
	if m.Summary.Key != MsgSigAlgorithm {
		t.Errorf("summary %s %v", m.Summary.Key, m.Summary.Args)
	}
	wantSig(t, sigByID(t, Verify("cd.xml", mustReplace(t, data, "signed content", "signed contenu"), policy), "main"),
		false, trust.TotalFailed, trust.HashFailure)
}
