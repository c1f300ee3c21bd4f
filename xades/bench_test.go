package xades

import (
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

// benchDoc generates an application-like XML document of about size bytes: UTF-8,
// two namespaces, Japanese element names and text, attributes and character references.
// Generated on the fly; never committed.
func benchDoc(size int) []byte {
	var b strings.Builder
	b.Grow(size + 4096)
	b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
	b.WriteString(`<申請一覧 xmlns="urn:example:mynasign:bench" xmlns:a="urn:example:mynasign:address" 件数="多数">` + "\n")
	for i := 1; b.Len() < size; i++ {
		fmt.Fprintf(&b, "  <申請 番号=\"%06d\" 区分=\"新規\">\n", i)
		b.WriteString("    <氏名>試験　太郎</氏名>\n")
		fmt.Fprintf(&b, "    <a:住所 a:郵便番号=\"100-%04d\">東京都千代田区霞が関一丁目%d番（架空）</a:住所>\n", i%10000, i%100)
		fmt.Fprintf(&b, "    <金額 通貨=\"JPY\">%d</金額>\n", i*37%1000000)
		fmt.Fprintf(&b, "    <備考>テスト &amp; 架空のデータ&#x3002; No.%d</備考>\n", i)
		b.WriteString("  </申請>\n")
	}
	b.WriteString("</申請一覧>\n")
	return []byte(b.String())
}

// xmlsecTemplate is the document with an empty enveloped XMLDSig template (exclusive
// C14N, RSA-SHA256, SHA-256: the algorithms of our Reference 1) for xmlsec1 --sign.
func xmlsecTemplate(doc []byte) []byte {
	tmpl := `<ds:Signature xmlns:ds="` + NSDSig + `"><ds:SignedInfo>` +
		`<ds:CanonicalizationMethod Algorithm="` + AlgExcC14N + `"/><ds:SignatureMethod Algorithm="` + AlgRSASHA256 + `"/>` +
		`<ds:Reference URI=""><ds:Transforms><ds:Transform Algorithm="` + AlgEnveloped + `"/><ds:Transform Algorithm="` + AlgExcC14N + `"/></ds:Transforms>` +
		`<ds:DigestMethod Algorithm="` + AlgSHA256 + `"/><ds:DigestValue/></ds:Reference></ds:SignedInfo>` +
		`<ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature>`
	s := string(doc)
	i := strings.LastIndex(s, "</申請一覧>")
	return []byte(s[:i] + tmpl + s[i:])
}

func writePEM(b *testing.B, path, typ string, der []byte) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	pem.Encode(f, &pem.Block{Type: typ, Bytes: der})
	f.Close()
}

// BenchmarkXML signs and verifies 1 MB and 20 MB documents with mynasign (XAdES B-B with
// the persona's key; verification with the test trust store, certificate and CRL checks
// included) and, on the same files and with the same key, with xmlsec1 (its verify of
// our XAdES output; its sign of the same document with an enveloped XMLDSig template —
// no XAdES properties — for comparison). xmlsec1's times include starting the process.
func BenchmarkXML(b *testing.B) {
	p, err := testpki.PersonaByID("valid")
	if err != nil {
		b.Fatal(err)
	}
	opts := SignOptions{Signer: p.SignKey, Certificate: p.SignCert}
	pol := testPolicy(b)
	dir := b.TempDir()
	certFile := filepath.Join(dir, "signer.pem")
	writePEM(b, certFile, "CERTIFICATE", p.SignCert.Raw)
	keyFile := filepath.Join(dir, "signer.key.pem")
	keyDER, _ := os.ReadFile(filepath.Join("..", "internal", "testpki", "personas", "valid", "sign.key.pem"))
	os.WriteFile(keyFile, keyDER, 0o600)

	for _, size := range []struct {
		name  string
		bytes int
	}{{"1MB", 1 << 20}, {"20MB", 20 << 20}} {
		doc := benchDoc(size.bytes)
		signed, err := SignXAdES(doc, opts)
		if err != nil {
			b.Fatal(err)
		}
		signedFile := filepath.Join(dir, "signed-"+size.name+".xml")
		os.WriteFile(signedFile, signed, 0o644)
		tmplFile := filepath.Join(dir, "template-"+size.name+".xml")
		os.WriteFile(tmplFile, xmlsecTemplate(doc), 0o644)

		b.Run("sign/"+size.name, func(b *testing.B) {
			b.SetBytes(int64(len(doc)))
			for b.Loop() {
				if _, err := SignXAdES(doc, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("verify/"+size.name, func(b *testing.B) {
			b.SetBytes(int64(len(signed)))
			for b.Loop() {
				if rep := Verify("bench.xml", signed, pol); rep.Signatures[0].Indication != "TOTAL-PASSED" {
					b.Fatalf("%s", rep.Signatures[0].Indication)
				}
			}
		})
		b.Run("xmlsec1-verify/"+size.name, func(b *testing.B) {
			bin := testenv.Tool(b, "xmlsec1")
			b.SetBytes(int64(len(signed)))
			for b.Loop() {
				out, err := exec.Command(bin, "--verify", "--pubkey-cert-pem", certFile,
					"--id-attr:Id", NSXAdES+":SignedProperties", signedFile).CombinedOutput()
				if err != nil {
					b.Fatalf("xmlsec1: %v\n%s", err, out)
				}
			}
		})
		b.Run("xmlsec1-sign/"+size.name, func(b *testing.B) {
			bin := testenv.Tool(b, "xmlsec1")
			b.SetBytes(int64(len(doc)))
			outFile := filepath.Join(dir, "xmlsec-signed.xml")
			for b.Loop() {
				out, err := exec.Command(bin, "--sign", "--privkey-pem", keyFile+","+certFile,
					"--output", outFile, tmplFile).CombinedOutput()
				if err != nil {
					b.Fatalf("xmlsec1: %v\n%s", err, out)
				}
			}
		})
	}
}
