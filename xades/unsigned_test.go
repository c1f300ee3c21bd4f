package xades

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mynasign/mynasign/trust"
)

// uncoveredWarnings returns the unsigned-content warnings of a signature.
func uncoveredWarnings(s trust.SignatureReport) []trust.Message {
	var out []trust.Message
	for _, w := range s.Warnings {
		if w.Key == MsgSigUnsignedContent || w.Key == MsgSigUnsignedText {
			out = append(out, w)
		}
	}
	return out
}

// TestUncoveredContentInSignatureStructure: inside a ds:Signature, whatever no reference
// covers must be exactly XMLDSig's and XAdES's structure. Text between the signature's
// children, foreign elements in KeyInfo, X509Data or SignatureValue, an Object holding
// key material and something else, content in the open containers of the unsigned
// properties: each is unsigned data an application may read, so the coverage is partial
// with a warning naming the element. The genuine structures are left alone.
func TestUncoveredContentInSignatureStructure(t *testing.T) {
	opts := personaOpts(t, "valid")
	orig, _ := os.ReadFile(sampleXML)
	signed, err := SignXAdES(orig, opts)
	if err != nil {
		t.Fatal(err)
	}
	pol := testPolicy(t)
	s := string(signed)
	forged := "<申請者 xmlns=\"urn:example:mynasign:shinsei\">偽造　太郎</申請者>"
	unsignedProps := func(inner string) string {
		return strings.Replace(s, "</xades:QualifyingProperties>", "<xades:UnsignedProperties>"+inner+"</xades:UnsignedProperties></xades:QualifyingProperties>", 1)
	}
	usp := func(inner string) string {
		return unsignedProps("<xades:UnsignedSignatureProperties>" + inner + "</xades:UnsignedSignatureProperties>")
	}
	cert := between(s, "<ds:X509Certificate>", "</ds:X509Certificate>")
	attacks := map[string]struct{ data, named string }{
		"text between SignatureValue and KeyInfo": {strings.Replace(s, "</ds:SignatureValue>", "</ds:SignatureValue>偽造　太郎", 1), "<ds:Signature>"},
		"text after the last Object":              {strings.Replace(s, "</ds:Signature>", "申請者: 偽造　太郎</ds:Signature>", 1), "<ds:Signature>"},
		"text in KeyInfo":                         {strings.Replace(s, "<ds:KeyInfo>", "<ds:KeyInfo>偽造　太郎", 1), "<ds:KeyInfo>"},
		"foreign element in KeyInfo":              {strings.Replace(s, "<ds:KeyInfo>", "<ds:KeyInfo>"+forged, 1), "<申請者>"},
		"foreign element in X509Data":             {strings.Replace(s, "</ds:X509Data>", forged+"</ds:X509Data>", 1), "<申請者>"},
		"foreign element in SignatureValue":       {strings.Replace(s, "</ds:SignatureValue>", forged+"</ds:SignatureValue>", 1), "<申請者>"},
		"XMLDSig element in the wrong place":      {strings.Replace(s, "</ds:X509Data>", "<ds:KeyName>偽造　太郎</ds:KeyName></ds:X509Data>", 1), "<ds:KeyName>"},
		"Object with key material and more": {strings.Replace(s, "</ds:Signature>",
			"<ds:Object><ds:X509Data>"+cert+"</ds:X509Data>"+forged+"</ds:Object></ds:Signature>", 1), "<申請者>"},
		"key material in an Object hiding content": {strings.Replace(s, "</ds:Signature>",
			"<ds:Object><ds:KeyInfo><ds:X509Data>"+cert+forged+"</ds:X509Data></ds:KeyInfo></ds:Object></ds:Signature>", 1), "<申請者>"},
		"foreign element among the unsigned signature properties": {usp(forged), "<申請者>"},
		"text among the unsigned signature properties":            {usp("偽造　太郎"), "<xades:UnsignedSignatureProperties>"},
		"content of an UnsignedDataObjectProperty": {unsignedProps("<xades:UnsignedDataObjectProperties><xades:UnsignedDataObjectProperty>" +
			forged + "</xades:UnsignedDataObjectProperty></xades:UnsignedDataObjectProperties>"), "<申請者>"},
		"text in an UnsignedDataObjectProperty": {unsignedProps("<xades:UnsignedDataObjectProperties><xades:UnsignedDataObjectProperty>偽造　太郎" +
			"</xades:UnsignedDataObjectProperty></xades:UnsignedDataObjectProperties>"), "<xades:UnsignedDataObjectProperty>"},
		"an XML time-stamp's content": {usp("<xades:SignatureTimeStamp><xades:XMLTimeStamp>" + forged +
			"</xades:XMLTimeStamp></xades:SignatureTimeStamp>"), "<申請者>"},
		"foreign attribute on KeyInfo":     {strings.Replace(s, "<ds:KeyInfo>", `<ds:KeyInfo 申請者="偽造　太郎">`, 1), `<ds:KeyInfo 申請者="偽造 太郎">`},
		"namespaced attribute on X509Data": {strings.Replace(s, "<ds:X509Data>", `<ds:X509Data xmlns:a="urn:a" a:申請者="偽造">`, 1), `<ds:X509Data a:申請者="偽造">`},
		"foreign element in a time-stamp": {usp("<xades:SignatureTimeStamp>" + forged +
			"<xades:EncapsulatedTimeStamp>MAA=</xades:EncapsulatedTimeStamp></xades:SignatureTimeStamp>"), "<申請者>"},
	}
	for name, c := range attacks {
		t.Run(name, func(t *testing.T) {
			rep := Verify("attack.xml", []byte(c.data), pol)
			if rep.Error != nil || len(rep.Signatures) != 1 {
				t.Fatalf("%v", rep.Error)
			}
			sr := rep.Signatures[0]
			ws := uncoveredWarnings(sr)
			if sr.Coverage != trust.CoveragePartial || len(ws) == 0 {
				t.Fatalf("%s coverage %s, warnings %v", sr.Indication, sr.Coverage, sr.Warnings)
			}
			if ws[0].Args[0] != c.named {
				t.Errorf("the warning names %v, want %s", ws[0].Args, c.named)
			}
			if !sr.Intact {
				t.Errorf("not intact: %s", failedChecks(sr))
			}
		})
	}

	// The genuine structures: key names, issuer and serial, a second certificate,
	// time-stamps and validation data, an Object holding key material.
	genuine := map[string]string{
		"KeyName and X509IssuerSerial": strings.Replace(s, "<ds:X509Data>", "<ds:KeyName>signer</ds:KeyName><ds:X509Data>"+
			"<ds:X509IssuerSerial><ds:X509IssuerName>CN=x</ds:X509IssuerName><ds:X509SerialNumber>1</ds:X509SerialNumber></ds:X509IssuerSerial>"+
			"<ds:X509SubjectName>CN=y</ds:X509SubjectName>", 1),
		"white space between children": strings.Replace(strings.Replace(s, "</ds:SignatureValue>", "</ds:SignatureValue>\n  ", 1), "<ds:X509Data>", "\n<ds:X509Data>\t", 1),
		"time-stamp and validation data": usp("<xades:SignatureTimeStamp><ds:CanonicalizationMethod Algorithm=\"" + AlgC14N10 + "\"/>" +
			"<xades:EncapsulatedTimeStamp>MAA=</xades:EncapsulatedTimeStamp></xades:SignatureTimeStamp>" +
			"<xades:CertificateValues><xades:EncapsulatedX509Certificate>MAA=</xades:EncapsulatedX509Certificate></xades:CertificateValues>" +
			"<xades:RevocationValues><xades:CRLValues><xades:EncapsulatedCRLValue>MAA=</xades:EncapsulatedCRLValue></xades:CRLValues></xades:RevocationValues>" +
			"<xades:CompleteCertificateRefs><xades:CertRefs><xades:Cert><xades:CertDigest><ds:DigestMethod Algorithm=\"" + AlgSHA256 + "\"/>" +
			"<ds:DigestValue>MAA=</ds:DigestValue></xades:CertDigest></xades:Cert></xades:CertRefs></xades:CompleteCertificateRefs>"),
		"an Object with key material": strings.Replace(s, "</ds:Signature>", "<ds:Object><ds:X509Data>"+cert+"</ds:X509Data></ds:Object></ds:Signature>", 1),
	}
	for name, data := range genuine {
		t.Run("genuine: "+name, func(t *testing.T) {
			rep := Verify("genuine.xml", []byte(data), pol)
			if rep.Error != nil || len(rep.Signatures) != 1 {
				t.Fatalf("%v", rep.Error)
			}
			if ws := uncoveredWarnings(rep.Signatures[0]); len(ws) > 0 {
				t.Fatalf("reported as uncovered: %v", ws)
			}
		})
	}
}

// TestUncoveredContentInEGovSignature: the same for the signature in kousei.xml.
func TestUncoveredContentInEGovSignature(t *testing.T) {
	opts := personaOpts(t, "valid")
	pol := testPolicy(t)
	signed := filepath.Join(t.TempDir(), "signed")
	if err := SignEGov(copyDir(t, samplePackages[0]), signed, opts); err != nil {
		t.Fatal(err)
	}
	if rep := VerifyEGov(signed, pol); rep.Indication != trust.TotalPassed || len(uncoveredWarnings(rep.Signatures[0])) > 0 {
		t.Fatalf("the signed package itself: %s %v %v", rep.Indication, rep.Error, rep.Signatures[0].Warnings)
	}
	k, _ := os.ReadFile(filepath.Join(signed, KouseiName))
	for name, edit := range map[string][2]string{
		"foreign element in KeyInfo":  {"<KeyInfo>", "<KeyInfo><申請者>偽造　太郎</申請者>"},
		"text in X509Data":            {"<X509Data>", "<X509Data>偽造　太郎"},
		"text between the children":   {"</SignatureValue>", "</SignatureValue>偽造　太郎"},
		"an Object with other things": {"</Signature>", "<Object><申請者>偽造　太郎</申請者></Object></Signature>"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := copyDir(t, signed)
			os.WriteFile(filepath.Join(dir, KouseiName), []byte(strings.Replace(string(k), edit[0], edit[1], 1)), 0o644)
			rep := VerifyEGov(dir, pol)
			if rep.Error != nil || len(rep.Signatures) != 1 {
				t.Fatalf("%v", rep.Error)
			}
			sr := rep.Signatures[0]
			if sr.Coverage != trust.CoveragePartial || len(uncoveredWarnings(sr)) == 0 {
				t.Fatalf("%s coverage %s, warnings %v", sr.Indication, sr.Coverage, sr.Warnings)
			}
		})
	}
}
