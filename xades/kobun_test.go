package xades

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mynasign/mynasign/internal/testpki"
	"github.com/mynasign/mynasign/trust"
)

// The e-Gov 公文書 sample of the corpus (xml/egov-kobun, MANIFEST.md there): a document
// received from a government body, signed with a demo GPKI 官職証明書 whose CA the user
// has to add as a trust anchor; e-Gov's verifier accepted it on 2015-04-28.
const (
	kobunSample = "egov-kobun/0000-API-002.xml"
	kobunCA     = "egov-kobun/demo-gpki-ca.pem"
)

// kobunDay is the validation time of the sample's expected verdict (Japan time).
var kobunDay = time.Date(2015, 4, 28, 0, 0, 0, 0, time.FixedZone("JST", 9*60*60))

// kobunPolicy is the production policy at kobunDay with an empty CRL store and, when
// withAnchor, the sample's demo CA added to a fresh user anchor store.
func kobunPolicy(t *testing.T, withAnchor bool) *trust.Policy {
	t.Helper()
	anchors := filepath.Join(t.TempDir(), "anchors")
	if withAnchor {
		added, err := trust.OpenAnchorStore(anchors).AddFiles(trust.AddOptions{Purpose: trust.PurposeSigning},
			filepath.Join(corpusDir(t), kobunCA))
		if err != nil || len(added) != 1 || added[0].Status != trust.AnchorAdded {
			t.Fatalf("adding the demo CA: %v %+v", err, added)
		}
	}
	p, err := trust.NewPolicy(trust.Options{TrustStore: trust.StoreProduction, CRLDir: t.TempDir(), AnchorDir: anchors, At: kobunDay})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// verifyKobun verifies data (the sample, maybe edited) and returns its one signature.
func verifyKobun(t *testing.T, data []byte, pol *trust.Policy) trust.SignatureReport {
	t.Helper()
	rep := Verify("kobun.xml", data, pol)
	if len(rep.Signatures) != 1 {
		t.Fatalf("%d signatures, error %+v", len(rep.Signatures), rep.Error)
	}
	return rep.Signatures[0]
}

// checkOf returns the report's check of that name (zero Check when absent).
func checkOf(s trust.SignatureReport, name trust.CheckName) (trust.Check, bool) {
	for _, c := range s.Checks {
		if c.Name == name {
			return c, true
		}
	}
	return trust.Check{}, false
}

// TestKobunSample: the 公文書 is its own format, its unsigned FRONT is explained calmly
// (no partial-coverage or plain-XMLDSig alarm), and with the demo CA as a user anchor at
// 2015-04-28 the chain completes at that anchor and only revocation stays unknown (no
// CRL): INDETERMINATE/TRY_LATER, as the corpus notes expect. Without the anchor: no chain.
func TestKobunSample(t *testing.T) {
	data := readCorpus(t, kobunSample)
	ca := pemCert(t, filepath.Join(corpusDir(t), kobunCA))

	s := verifyKobun(t, data, kobunPolicy(t, true))
	if s.Format != FormatEGovKobun || !s.Intact || s.Coverage != trust.CoveragePartial || s.SignedContent != "/DOC[1]/BODY[1]" {
		t.Fatalf("format %q intact %v coverage %q signed %q", s.Format, s.Intact, s.Coverage, s.SignedContent)
	}
	if !hasWarning(s, MsgKobunFrontUnsigned) || hasWarning(s, MsgCoveragePartial) || hasWarning(s, MsgSigPlainXMLDSig) || len(s.Warnings) != 1 {
		t.Errorf("warnings %+v: want only %s", s.Warnings, MsgKobunFrontUnsigned)
	}
	if s.Indication != trust.Indeterminate || s.SubIndication != trust.TryLater || s.Summary.Key != trust.MsgRevNoCRL {
		t.Errorf("verdict %s/%s %s %v, want INDETERMINATE/TRY_LATER for the missing CRL", s.Indication, s.SubIndication, s.Summary.Key, s.Summary.Args)
	}
	if c, ok := checkOf(s, trust.CheckChain); !ok || !c.Passed || c.Detail.Key != trust.MsgCheckChainUserOK {
		t.Errorf("chain check %+v", c)
	}
	for _, name := range []trust.CheckName{trust.CheckSignatureValue, trust.CheckValidity, trust.CheckKeyUsage} {
		if c, ok := checkOf(s, name); !ok || !c.Passed {
			t.Errorf("%s check %+v (present %v)", name, c, ok)
		}
	}
	ci := s.Certificate
	if ci == nil || ci.Anchor == nil || ci.Anchor.Source != trust.AnchorUser || ci.Anchor.SHA256 != strings.ToLower(strings.ReplaceAll(trust.Fingerprint(ca), ":", "")) {
		t.Fatalf("certificate %+v", ci)
	}
	if len(ci.Chain) != 2 || ci.Chain[1] != ca.Subject.String() {
		t.Errorf("chain %q, want the signer then %s", ci.Chain, ca.Subject)
	}

	// Without the anchor the same document names no trusted CA; nothing is failed.
	s = verifyKobun(t, data, kobunPolicy(t, false))
	if s.Indication != trust.Indeterminate || s.SubIndication != trust.NoCertificateChainFound || !s.Intact || s.Format != FormatEGovKobun {
		t.Errorf("without the anchor: %s/%s intact %v format %q", s.Indication, s.SubIndication, s.Intact, s.Format)
	}
}

// TestKobunEdits: what the signature covers and how. SignedInfo is canonicalized with
// comments, so a comment added there breaks the signature value; the #DOCBODY reference
// is a bare-name pointer, whose node-set has no comments, so a comment in BODY changes
// nothing, while a changed character does. The reference is found by the upper-case ID
// attribute: its value changed, nothing is signed; duplicated, it is ambiguous. FRONT is outside
// by design. xmlsec1 (--id-attr:ID BODY) gives the same integrity verdict on each.
func TestKobunEdits(t *testing.T) {
	data := string(readCorpus(t, kobunSample))
	pol := kobunPolicy(t, true)
	cases := []struct {
		name, old, new string
		ind            trust.Indication
		sub            trust.SubIndication
		key            string // the summary key ("" for any)
		intact         bool
		ids            []string // the ID attributes xmlsec1 is told of (default: BODY's)
	}{
		{"comment in SignedInfo", "<SignedInfo>", "<SignedInfo><!-- 注 -->", trust.TotalFailed, trust.SigCryptoFailure, "", false, nil},
		{"comment in BODY", "<DOCNO>", "<!-- 注 --><DOCNO>", trust.Indeterminate, trust.TryLater, trust.MsgRevNoCRL, true, nil},
		{"BODY text changed", "120806-01", "120806-02", trust.TotalFailed, trust.HashFailure, "", false, nil},
		{"FRONT changed", "<STAMP>要</STAMP>", "<STAMP>不要</STAMP>", trust.Indeterminate, trust.TryLater, trust.MsgRevNoCRL, true, nil},
		{"ID renamed", `<BODY ID="DOCBODY">`, `<BODY ID="DOCBODY2">`, trust.Indeterminate, trust.SignedDataNotFound, MsgRefNotFound, false, nil},
		// Found through id, but the attribute's name is signed content.
		{"ID written id", `<BODY ID="DOCBODY">`, `<BODY id="DOCBODY">`, trust.TotalFailed, trust.HashFailure, MsgRefDigestMismatch, false, nil},
		{"ID duplicated in FRONT", "<FRONT>", `<FRONT ID="DOCBODY">`, trust.TotalFailed, trust.FormatFailure, MsgSigDuplicateID, false, []string{"ID=BODY", "ID=FRONT"}},
	}
	dir := t.TempDir()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if strings.Count(data, c.old) != 1 {
				t.Fatalf("%q is not once in the sample", c.old)
			}
			edited := strings.Replace(data, c.old, c.new, 1)
			s := verifyKobun(t, []byte(edited), pol)
			if s.Indication != c.ind || s.SubIndication != c.sub || (c.key != "" && s.Summary.Key != c.key) || s.Intact != c.intact {
				t.Errorf("%s/%s %s %v intact %v; want %s/%s %s intact %v", s.Indication, s.SubIndication, s.Summary.Key, s.Summary.Args, s.Intact,
					c.ind, c.sub, c.key, c.intact)
			}
			if c.intact && (s.Format != FormatEGovKobun || !hasWarning(s, MsgKobunFrontUnsigned) || hasWarning(s, MsgCoveragePartial)) {
				t.Errorf("format %q warnings %+v", s.Format, s.Warnings)
			}
			p := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-")+".xml")
			if err := os.WriteFile(p, []byte(edited), 0o644); err != nil {
				t.Fatal(err)
			}
			// The sample's own certificate is then read by xmlsec1 from KeyInfo.
			ids := c.ids
			if ids == nil {
				ids = []string{"ID=BODY"}
			}
			if got := xmlsecVerdict(t, p, ids...); got != c.intact {
				t.Errorf("xmlsec1 says intact=%v", got)
			}
		})
	}
}

// TestKobunSampleXmlsec: the independent check the corpus notes give: xmlsec1, trusting
// only the demo CA, at 2015-04-28, accepts the sample.
func TestKobunSampleXmlsec(t *testing.T) {
	dir := filepath.Join(corpusDir(t), "egov-kobun")
	out, ok := runXmlsec(t, dir, "--verify", "--id-attr:ID", "BODY", "--trusted-pem", "demo-gpki-ca.pem",
		"--verification-time", "2015-04-28+00:00:00", "0000-API-002.xml")
	if !ok || !strings.Contains(out, "SignedInfo References (ok/all): 1/1") {
		t.Fatalf("xmlsec1 rejects the sample:\n%s", out)
	}
}

// kobunTemplate is a 公文書 with one attachment, as a signature template for xmlsec1:
// the Reference to #DOCBODY and one to the attached file by name.
const kobunTemplate = `<?xml version="1.0" encoding="UTF-8"?><DOC VERSION="1.0">
<FRONT><SECRECY>公文書形式</SECRECY><STAMP>要</STAMP></FRONT>
<BODY ID="DOCBODY"><TITLE>添付ファイル付きの公文書</TITLE><APPENDIX><APPTITLE>tenpu.pdf</APPTITLE></APPENDIX></BODY>
<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo>` +
	`<CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments"/>` +
	`<SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"/>` +
	`<Reference URI="#DOCBODY"><Transforms><Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/></Transforms>` +
	`<DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue/></Reference>` +
	`<Reference URI="tenpu.pdf"><DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue/></Reference>` +
	`</SignedInfo><SignatureValue/><KeyInfo><X509Data><X509Certificate/></X509Data></KeyInfo></Signature></DOC>
`

// TestKobunAttachment: a 公文書 whose signature also signs an attached file, named by its
// file name (signed here by xmlsec1, an independent implementation, under a CA made at
// test time and added as a user anchor). Verified as a file, the attachment is read from
// the same folder: still the 公文書 format, the FRONT explained with the attachment
// counted, no alarm. A changed attachment is a proven HASH_FAILURE; a missing one, or the
// document verified without its folder, leaves the signature INDETERMINATE.
func TestKobunAttachment(t *testing.T) {
	now := time.Now()
	ca, err := testpki.NewForeignCA("Kobun Test CA", now.AddDate(-1, 0, 0), now.AddDate(5, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	cert, key, err := ca.Issue("kobun official", x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment, false, "", now.Add(-time.Hour), now.AddDate(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir, work := t.TempDir(), t.TempDir()
	write := func(d, name string, b []byte) string {
		t.Helper()
		p := filepath.Join(d, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write(work, "key.pem", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	write(work, "cert.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}))
	caFile := write(work, "ca.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Cert.Raw}))
	attachment := []byte("%PDF-1.4\n添付ファイル\n")
	write(dir, "tenpu.pdf", attachment)
	write(dir, "template.xml", []byte(kobunTemplate))
	signed := filepath.Join(dir, "kobun.xml")
	if out, ok := runXmlsec(t, dir, "--sign", "--privkey-pem", filepath.Join(work, "key.pem")+","+filepath.Join(work, "cert.pem"),
		"--id-attr:ID", "BODY", "--output", signed, "template.xml"); !ok {
		t.Fatalf("xmlsec1 --sign: %s", out)
	}
	data, err := os.ReadFile(signed)
	if err != nil {
		t.Fatal(err)
	}
	anchors := filepath.Join(t.TempDir(), "anchors")
	if _, err := trust.OpenAnchorStore(anchors).AddFiles(trust.AddOptions{Purpose: trust.PurposeSigning}, caFile); err != nil {
		t.Fatal(err)
	}
	pol, err := trust.NewPolicy(trust.Options{TrustStore: trust.StoreProduction, CRLDir: t.TempDir(), AnchorDir: anchors})
	if err != nil {
		t.Fatal(err)
	}
	one := func(rep *trust.DocumentReport) trust.SignatureReport {
		t.Helper()
		if len(rep.Signatures) != 1 {
			t.Fatalf("%d signatures, error %+v", len(rep.Signatures), rep.Error)
		}
		return rep.Signatures[0]
	}

	s := one(VerifyFile(signed, data, pol))
	if s.Format != FormatEGovKobun || !s.Intact || s.SignedContent != "/DOC[1]/BODY[1]; file:tenpu.pdf" {
		t.Fatalf("format %q intact %v signed %q (%s)", s.Format, s.Intact, s.SignedContent, failedChecks(s))
	}
	if len(s.Warnings) != 1 || s.Warnings[0].Key != MsgKobunFrontUnsignedFiles || s.Warnings[0].Args[0] != "1" {
		t.Errorf("warnings %+v: want only %s for 1 attachment", s.Warnings, MsgKobunFrontUnsignedFiles)
	}
	if s.Indication != trust.Indeterminate || s.SubIndication != trust.TryLater || s.Certificate == nil ||
		s.Certificate.Anchor == nil || s.Certificate.Anchor.Source != trust.AnchorUser {
		t.Errorf("verdict %s/%s %+v", s.Indication, s.SubIndication, s.Certificate)
	}

	if s := one(Verify("kobun.xml", data, pol)); s.Indication != trust.Indeterminate || s.Summary.Key != MsgRefExternal || s.Intact {
		t.Errorf("without the folder: %s/%s %s intact %v", s.Indication, s.SubIndication, s.Summary.Key, s.Intact)
	}
	write(dir, "tenpu.pdf", append(attachment, '!'))
	if s := one(VerifyFile(signed, data, pol)); s.Indication != trust.TotalFailed || s.SubIndication != trust.HashFailure {
		t.Errorf("changed attachment: %s/%s %s", s.Indication, s.SubIndication, s.Summary.Key)
	}
	if err := os.Remove(filepath.Join(dir, "tenpu.pdf")); err != nil {
		t.Fatal(err)
	}
	if s := one(VerifyFile(signed, data, pol)); s.Indication != trust.Indeterminate || s.Summary.Key != MsgRefFileMissing || s.Intact {
		t.Errorf("missing attachment: %s/%s %s intact %v", s.Indication, s.SubIndication, s.Summary.Key, s.Intact)
	}
}
