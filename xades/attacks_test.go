package xades

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mynasign/mynasign/trust"
)

// Attacks on our own signed files: each must be rejected, for the right reason.

// resign gives the signature whose Id is sigID a fresh, valid SignatureValue over its
// SignedInfo as it now stands, made with opts: what an attacker who holds some key can
// always do. The rest of the document is left as it is.
func resign(t *testing.T, data []byte, sigID string, opts SignOptions) []byte {
	t.Helper()
	doc, err := parseDocument(data)
	if err != nil {
		t.Fatal(err)
	}
	var sig *node
	for _, s := range signatureElements(doc) {
		if id, _ := s.attrValue("Id"); id == sigID {
			sig = s
		}
	}
	if sig == nil {
		t.Fatalf("no signature %s", sigID)
	}
	si, sv := sig.elements()[0], sig.elements()[1]
	alg, _ := si.elements()[0].attrValue("Algorithm")
	m, _ := c14nByURI(alg)
	var b bytes.Buffer
	if err := canonicalize(&b, si, &subtreeSet{}, m); err != nil {
		t.Fatal(err)
	}
	value, err := signDigest(opts.Signer, signatureAlgs[AlgRSASHA256], b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	open := int(sv.start) + strings.IndexByte(doc.src[sv.start:], '>') + 1
	return []byte(doc.src[:open] + base64.StdEncoding.EncodeToString(value) + doc.src[sv.innerIn(doc.src):])
}

func mustReplace(t *testing.T, data []byte, old, new string) []byte {
	t.Helper()
	if !bytes.Contains(data, []byte(old)) {
		t.Fatalf("%q not found", old)
	}
	return bytes.Replace(data, []byte(old), []byte(new), 1)
}

func between(s, start, end string) string {
	i := strings.Index(s, start)
	j := strings.Index(s[i:], end)
	return s[i : i+j+len(end)]
}

type outcome struct {
	ind      trust.Indication
	sub      trust.SubIndication
	key      string // the summary key of the signature (or the document error)
	docError bool
}

func checkOutcome(t *testing.T, rep *trust.DocumentReport, want outcome) {
	t.Helper()
	if rep.Indication == trust.TotalPassed {
		t.Fatalf("the attack passes: %+v", rep.Signatures)
	}
	if want.docError {
		if rep.Error == nil || rep.Error.Key != want.key {
			t.Fatalf("document error %v, want %s", rep.Error, want.key)
		}
		return
	}
	for _, s := range rep.Signatures {
		if s.Indication == want.ind && s.SubIndication == want.sub && s.Summary.Key == want.key {
			return
		}
	}
	var got []string
	for _, s := range rep.Signatures {
		got = append(got, string(s.Indication)+"/"+string(s.SubIndication)+" "+s.Summary.Key+" "+strings.Join(s.Summary.Args, ","))
	}
	t.Fatalf("no signature reports %s/%s %s; got %v (error %v)", want.ind, want.sub, want.key, got, rep.Error)
}

func TestWrappingAttacksXAdES(t *testing.T) {
	opts := personaOpts(t, "valid")
	orig, _ := os.ReadFile(sampleXML)
	signed, err := SignXAdES(orig, opts)
	if err != nil {
		t.Fatal(err)
	}
	pol := testPolicy(t)
	if rep := Verify("signed.xml", signed, pol); rep.Indication != trust.TotalPassed {
		t.Fatalf("the signed file itself: %s", rep.Indication)
	}
	doc, _ := parseDocument(signed)
	sig := signatureElements(doc)[0]
	sigID, _ := sig.attrValue("Id")
	spID := sigID + "-signedprops"
	s := string(signed)
	sigXML := between(s, "<ds:Signature ", "</ds:Signature>")
	spXML := between(s, "<xades:SignedProperties ", "</xades:SignedProperties>")
	impostor := personaOpts(t, "impostor")

	cases := []struct {
		name   string
		attack func() []byte
		want   outcome
	}{
		{"signed content moved, forged content in its place", func() []byte {
			// The signed 申請者 goes into a ds:Object of the signature, a forged one takes
			// its place. Reference 1 covers the whole document, so this cannot verify.
			applicant := between(s, "<申請者 ", "</申請者>")
			forged := strings.Replace(applicant, "試験　花子", "偽造　太郎", 1)
			out := strings.Replace(s, applicant, forged, 1)
			return []byte(strings.Replace(out, "</ds:Signature>", "<ds:Object>"+applicant+"</ds:Object></ds:Signature>", 1))
		}, outcome{trust.TotalFailed, trust.HashFailure, MsgRefDigestMismatch, false}},
		{"duplicate Id", func() []byte {
			return mustReplace(t, signed, `<備考 `, `<備考 Id="`+spID+`" `)
		}, outcome{trust.TotalFailed, trust.FormatFailure, MsgSigDuplicateID, false}},
		{"duplicate Id inside the signature", func() []byte {
			return []byte(strings.Replace(s, "</ds:Signature>", `<ds:Object Id="`+spID+`"/></ds:Signature>`, 1))
		}, outcome{trust.TotalFailed, trust.FormatFailure, MsgSigDuplicateID, false}},
		{"SignedProperties replaced by a copy outside the Signature", func() []byte {
			// The signed SignedProperties moves into the document body (where the
			// reference still finds it); a forged one without Id sits in its place.
			forged := strings.Replace(spXML, ` Id="`+spID+`"`, "", 1)
			forged = strings.Replace(forged, "<xades:SigningTime>", "<xades:SigningTime>1999", 1)
			out := strings.Replace(s, spXML, forged, 1)
			return []byte(strings.Replace(out, "<備考 ", `<xades:QualifyingProperties xmlns:xades="`+NSXAdES+`" xmlns:ds="`+NSDSig+`">`+spXML+`</xades:QualifyingProperties><備考 `, 1))
		}, outcome{trust.TotalFailed, trust.FormatFailure, MsgPropsOutside, false}},
		{"SignedProperties moved to another ds:Object of the same signature", func() []byte {
			forged := strings.Replace(spXML, ` Id="`+spID+`"`, "", 1)
			out := strings.Replace(s, spXML, forged, 1)
			return []byte(strings.Replace(out, "</ds:Signature>", `<ds:Object><xades:QualifyingProperties xmlns:xades="`+NSXAdES+`" Target="#`+sigID+`">`+spXML+`</xades:QualifyingProperties></ds:Object></ds:Signature>`, 1))
		}, outcome{trust.TotalFailed, trust.FormatFailure, MsgPropsMalformed, false}},
		{"second Signature injected (a copy)", func() []byte {
			return []byte(strings.Replace(s, "<備考 ", sigXML+"<備考 ", 1))
		}, outcome{trust.TotalFailed, trust.FormatFailure, MsgSigDuplicateID, false}},
		{"second Signature injected inside the first", func() []byte {
			other, err := SignXAdES([]byte(`<x/>`), impostor)
			if err != nil {
				t.Fatal(err)
			}
			inner := between(string(other), "<ds:Signature ", "</ds:Signature>")
			return []byte(strings.Replace(s, "</ds:Signature>", "<ds:Object>"+inner+"</ds:Object></ds:Signature>", 1))
		}, outcome{trust.TotalFailed, trust.FormatFailure, MsgSigNested, false}},
		{"KeyInfo certificate swapped", func() []byte {
			cert := between(s, "<ds:X509Certificate>", "</ds:X509Certificate>")
			return []byte(strings.Replace(s, cert, "<ds:X509Certificate>"+base64.StdEncoding.EncodeToString(impostor.Certificate.Raw)+"</ds:X509Certificate>", 1))
		}, outcome{trust.TotalFailed, trust.SigCryptoFailure, MsgSigValueInvalid, false}},
		{"KeyInfo certificate swapped and SignedInfo re-signed with that key", func() []byte {
			cert := between(s, "<ds:X509Certificate>", "</ds:X509Certificate>")
			out := strings.Replace(s, cert, "<ds:X509Certificate>"+base64.StdEncoding.EncodeToString(impostor.Certificate.Raw)+"</ds:X509Certificate>", 1)
			return resign(t, []byte(out), sigID, impostor)
		}, outcome{trust.Indeterminate, trust.NoSigningCertificateFound, MsgPropsCertMismatch, false}},
		{"DOCTYPE with entities", func() []byte {
			out := strings.Replace(s, "?>\n", "?>\n<!DOCTYPE 申請書 [<!ENTITY 名 \"偽造　太郎\">]>\n", 1)
			return []byte(strings.Replace(out, "試験　花子", "&名;", 1))
		}, outcome{key: MsgDocDOCTYPE, docError: true}},
		{"DOCTYPE with nested entities (billion laughs)", func() []byte {
			bomb := `<!DOCTYPE 申請書 [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>`
			return []byte(strings.Replace(s, "?>\n", "?>\n"+bomb+"\n", 1))
		}, outcome{key: MsgDocDOCTYPE, docError: true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkOutcome(t, Verify("attack.xml", c.attack(), pol), c.want)
		})
	}
}

// TestSignedContentIsTheResolvedElement: for an Id reference, the report names the
// element the reference resolved to. A plain XMLDSig signature over #payload stays
// cryptographically valid when the signed element is moved into the signature and a
// forged one put in its place, so what the report shows is what protects the reader.
func TestSignedContentIsTheResolvedElement(t *testing.T) {
	opts := personaOpts(t, "valid")
	src := `<Root><Payload Id="payload">amount=100</Payload></Root>`
	doc := mustParse(t, src)
	var h bytes.Buffer
	canonicalize(&h, doc.elem.first, &subtreeSet{}, c14nMethod{exclusive: true})
	d := sha256.Sum256(h.Bytes())
	sig := `<ds:Signature xmlns:ds="` + NSDSig + `" Id="s1"><ds:SignedInfo>` +
		`<ds:CanonicalizationMethod Algorithm="` + AlgExcC14N + `"/><ds:SignatureMethod Algorithm="` + AlgRSASHA256 + `"/>` +
		`<ds:Reference URI="#payload"><ds:Transforms><ds:Transform Algorithm="` + AlgExcC14N + `"/></ds:Transforms>` +
		`<ds:DigestMethod Algorithm="` + AlgSHA256 + `"/><ds:DigestValue>` + base64.StdEncoding.EncodeToString(d[:]) + `</ds:DigestValue></ds:Reference>` +
		`</ds:SignedInfo><ds:SignatureValue></ds:SignatureValue>` + keyInfoXML("ds:", &opts) + `</ds:Signature>`
	signed := resign(t, []byte(strings.Replace(src, "</Root>", sig+"</Root>", 1)), "s1", opts)

	rep := Verify("plain.xml", signed, testPolicy(t))
	if rep.Indication != trust.TotalPassed || rep.Signatures[0].SignedContent != "/Root[1]/Payload[1]" ||
		rep.Signatures[0].Coverage != trust.CoveragePartial || rep.Signatures[0].Format != FormatXMLDSig {
		t.Fatalf("the plain signature: %s %q %s", rep.Indication, rep.Signatures[0].SignedContent, rep.Signatures[0].Coverage)
	}
	moved := strings.Replace(string(signed), `<Payload Id="payload">amount=100</Payload>`, `<Payload>amount=999</Payload>`, 1)
	moved = strings.Replace(moved, "</ds:Signature>", `<ds:Object><Payload Id="payload">amount=100</Payload></ds:Object></ds:Signature>`, 1)
	rep = Verify("moved.xml", []byte(moved), testPolicy(t))
	s := rep.Signatures[0]
	if !s.Intact || s.SignedContent != "/Root[1]/ds:Signature[1]/ds:Object[1]/Payload[1]" {
		t.Fatalf("after the move the report says the signed content is %q (intact %v)", s.SignedContent, s.Intact)
	}
}

// TestWrappingAttacksEGov: attacks on a signed e-Gov package.
func TestWrappingAttacksEGov(t *testing.T) {
	opts := personaOpts(t, "valid")
	signedDir := filepath.Join(t.TempDir(), "signed")
	if err := SignEGov(copyDir(t, samplePackages[0]), signedDir, opts); err != nil {
		t.Fatal(err)
	}
	kouseiBytes, _ := os.ReadFile(filepath.Join(signedDir, KouseiName))
	k := string(kouseiBytes)
	doc, _ := parseFull(string(kouseiBytes))
	sigID, _ := signatureElements(doc)[0].attrValue("Id")
	info := between(k, "<構成情報 ", "</構成情報>")
	pol := testPolicy(t)

	// Each attack writes a new package folder from the signed one.
	attack := func(t *testing.T, change func(dir string) []byte) string {
		dir := copyDir(t, signedDir)
		if data := change(dir); data != nil {
			os.WriteFile(filepath.Join(dir, KouseiName), data, 0o644)
		}
		return dir
	}
	secret := filepath.Join(t.TempDir(), "secret.txt")
	os.WriteFile(secret, []byte("outside the package"), 0o644)
	secretSum := sha256.Sum256([]byte("outside the package"))
	// outsideRef replaces the attachment's reference by uri, with the digest of the
	// outside file, and re-signs: a signature that would pass if the file were read.
	outsideRef := func(uri string) func(string) []byte {
		return func(string) []byte {
			ref := between(k, `<Reference URI="tenpu_01.pdf">`, "</Reference>")
			repl := `<Reference URI="` + uri + `"><DigestMethod Algorithm="` + AlgSHA256 + `"/><DigestValue>` +
				base64.StdEncoding.EncodeToString(secretSum[:]) + `</DigestValue></Reference>`
			return resign(t, []byte(strings.Replace(k, ref, repl, 1)), sigID, opts)
		}
	}
	cases := []struct {
		name   string
		change func(dir string) []byte
		want   outcome
	}{
		{"構成情報 moved into the signature, a forged one in its place", func(string) []byte {
			forged := strings.Replace(info, ` ID="構成情報"`, "", 1)
			forged = strings.Replace(forged, "tenpu_01.pdf", "forged.pdf", 1)
			out := strings.Replace(k, info, forged, 1)
			// xmlns="" keeps the moved element out of the dsig default namespace, so that
			// its canonical form, and the signature, stay valid.
			moved := strings.Replace(info, "<構成情報 ", `<構成情報 xmlns="" `, 1)
			return []byte(strings.Replace(out, "</Signature>", "<Object>"+moved+"</Object></Signature>", 1))
		}, outcome{key: MsgEGovWrapped, docError: true}},
		{"a forged 構成情報 in another default namespace, before the signed one", func(string) []byte {
			// A reader that finds 構成情報 by name without looking at namespaces (DOM's
			// getElementsByTagName, a local-name() query) takes the first one: the forged.
			forged := `<構成情報 xmlns="urn:x"><申請書ファイル名>forged.xml</申請書ファイル名></構成情報>`
			return []byte(strings.Replace(k, "<署名情報>", forged+"<署名情報>", 1))
		}, outcome{key: MsgEGovWrapped, docError: true}},
		{"a forged 構成情報 with a prefix", func(string) []byte {
			forged := `<x:構成情報 xmlns:x="urn:x"><x:申請書ファイル名>forged.xml</x:申請書ファイル名></x:構成情報>`
			return []byte(strings.Replace(k, "<署名情報>", forged+"<署名情報>", 1))
		}, outcome{key: MsgEGovWrapped, docError: true}},
		{"a second 署名情報 in another namespace", func(string) []byte {
			return []byte(strings.Replace(k, "</構成管理情報>", `<署名情報 xmlns="urn:x"/></構成管理情報>`, 1))
		}, outcome{key: MsgEGovStructure, docError: true}},
		{"duplicate ID", func(string) []byte {
			return []byte(strings.Replace(k, "<添付書類名称>", `<添付書類名称 ID="構成情報">`, 1))
		}, outcome{trust.TotalFailed, trust.FormatFailure, MsgSigDuplicateID, false}},
		{"second Signature injected (a copy)", func(string) []byte {
			sig := between(k, "<Signature ", "</Signature>")
			return []byte(strings.Replace(k, "</署名情報>", sig+"</署名情報>", 1))
		}, outcome{trust.TotalFailed, trust.FormatFailure, MsgSigDuplicateID, false}},
		{"KeyInfo certificate swapped", func(string) []byte {
			cert := between(k, "<X509Certificate>", "</X509Certificate>")
			imp := personaOpts(t, "impostor")
			return []byte(strings.Replace(k, cert, "<X509Certificate>"+base64.StdEncoding.EncodeToString(imp.Certificate.Raw)+"</X509Certificate>", 1))
		}, outcome{trust.TotalFailed, trust.SigCryptoFailure, MsgSigValueInvalid, false}},
		{"DOCTYPE with entities", func(string) []byte {
			return []byte(strings.Replace(k, "?>\n", "?>\n<!DOCTYPE 構成管理情報 [<!ENTITY f \"forged.pdf\">]>\n", 1))
		}, outcome{key: MsgDocDOCTYPE, docError: true}},
		{"reference to ../", outsideRef("../" + filepath.Base(filepath.Dir(secret)) + "/secret.txt"),
			outcome{trust.TotalFailed, trust.FormatFailure, MsgRefOutsidePackage, false}},
		{"reference to an absolute path", outsideRef(secret), outcome{trust.TotalFailed, trust.FormatFailure, MsgRefOutsidePackage, false}},
		{"reference to a file: URI", outsideRef("file://" + secret), outcome{trust.TotalFailed, trust.FormatFailure, MsgRefOutsidePackage, false}},
		{"reference with an encoded ../", outsideRef("..%2Fsecret.txt"), outcome{trust.TotalFailed, trust.FormatFailure, MsgRefOutsidePackage, false}},
		{"symlink out of the folder", func(dir string) []byte {
			os.Symlink(secret, filepath.Join(dir, "link.txt"))
			return outsideRef("link.txt")(dir)
		}, outcome{trust.TotalFailed, trust.FormatFailure, MsgEGovNotPlainFile, false}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := attack(t, c.change)
			checkOutcome(t, VerifyEGov(dir, pol), c.want)
		})
	}

	t.Run("the moved 構成情報 still verifies cryptographically", func(t *testing.T) {
		// Without the profile's placement rule the first attack would pass: the
		// signature and every digest are valid. This is what the rule is for.
		dir := attack(t, cases[0].change)
		data, _ := os.ReadFile(filepath.Join(dir, KouseiName))
		d, err := parseDocument(data)
		if err != nil {
			t.Fatal(err)
		}
		files, _ := openDirFiles(dir)
		results, _ := newDocVerifier(d, files, nil).verifyAll()
		r := results[0]
		if !r.intact {
			t.Fatalf("the attack is not a real one: %s %v", r.rep.Summary.Key, r.rep.Summary.Args)
		}
	})

	t.Run("zip entry with ../", func(t *testing.T) {
		z := filepath.Join(t.TempDir(), "evil.zip")
		zipFolder(t, signedDir, z, "")
		bad := filepath.Join(t.TempDir(), "evil2.zip")
		rewriteZipNames(t, z, bad, map[string]string{"tenpu_01.pdf": "../tenpu_01.pdf"})
		checkOutcome(t, VerifyEGov(bad, pol), outcome{key: MsgEGovUnsafeEntry, docError: true})
	})
}

// TestUnsignedContentInsideTheSignature: the enveloped-signature transform leaves the
// whole ds:Signature out of what reference 1 covers, so anything added inside it after
// signing (a ds:Object, foreign elements among the unsigned properties) is unsigned
// data in the document. The report must not claim the whole document is covered.
func TestUnsignedContentInsideTheSignature(t *testing.T) {
	opts := personaOpts(t, "valid")
	orig, _ := os.ReadFile(sampleXML)
	signed, err := SignXAdES(orig, opts)
	if err != nil {
		t.Fatal(err)
	}
	pol := testPolicy(t)
	rep := Verify("signed.xml", signed, pol)
	if rep.Indication != trust.TotalPassed || rep.Signatures[0].Coverage != trust.CoverageWhole {
		t.Fatalf("the signed file itself: %s %s", rep.Indication, rep.Signatures[0].Coverage)
	}
	s := string(signed)
	forged := "<申請者>偽造　太郎</申請者>"
	cases := map[string]string{
		"a ds:Object":                     strings.Replace(s, "</ds:Signature>", "<ds:Object>"+forged+"</ds:Object></ds:Signature>", 1),
		"text in a ds:Object":             strings.Replace(s, "</ds:Signature>", "<ds:Object>偽造　太郎</ds:Object></ds:Signature>", 1),
		"an element among the properties": strings.Replace(s, "</xades:QualifyingProperties>", "<xades:UnsignedProperties>"+forged+"</xades:UnsignedProperties></xades:QualifyingProperties>", 1),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			rep := Verify("attack.xml", []byte(data), pol)
			sr := rep.Signatures[0]
			found := false
			for _, w := range sr.Warnings {
				found = found || w.Key == MsgSigUnsignedContent || w.Key == MsgSigUnsignedText
			}
			if sr.Coverage != trust.CoveragePartial || !found {
				t.Fatalf("%s coverage %s, warnings %v", sr.Indication, sr.Coverage, sr.Warnings)
			}
		})
	}
	// XAdES's own unsigned properties (a signature time-stamp) are not application data.
	ts := strings.Replace(s, "</xades:QualifyingProperties>", "<xades:UnsignedProperties><xades:UnsignedSignatureProperties><xades:SignatureTimeStamp/></xades:UnsignedSignatureProperties></xades:UnsignedProperties></xades:QualifyingProperties>", 1)
	for _, w := range Verify("ts.xml", []byte(ts), pol).Signatures[0].Warnings {
		if w.Key == MsgSigUnsignedContent {
			t.Fatalf("a signature time-stamp reported as unsigned content: %v", w)
		}
	}
}
