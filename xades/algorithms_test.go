package xades

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/pem"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mynasign/mynasign/internal/testenv"
	"github.com/mynasign/mynasign/trust"
)

// Signature algorithms and keys of third-party signatures. The signature values are
// made with Go's standard library (or openssl) directly, not with this package's signer.

// selfSigned returns a throwaway self-signed certificate for key.
func selfSigned(t testing.TB, key crypto.Signer) []byte {
	t.Helper()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(0x42), Subject: pkix.Name{CommonName: "peer test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// enveloping builds an enveloping signature over a ds:Object with the given
// SignatureMethod element and KeyInfo content; sign makes the SignatureValue from the
// canonical SignedInfo.
func enveloping(t testing.TB, signatureMethod, keyInfo string, sign func(signed []byte) []byte) []byte {
	t.Helper()
	src := `<ds:Signature xmlns:ds="` + NSDSig + `" Id="sig"><ds:SignedInfo>` +
		`<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>` + signatureMethod +
		`<ds:Reference URI="#obj"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>` +
		`<ds:DigestMethod Algorithm="` + AlgSHA256 + `"/><ds:DigestValue>DIGEST</ds:DigestValue></ds:Reference>` +
		`</ds:SignedInfo><ds:SignatureValue>VALUE</ds:SignatureValue><ds:KeyInfo>` + keyInfo + `</ds:KeyInfo>` +
		`<ds:Object Id="obj"><data>signed content</data></ds:Object></ds:Signature>`
	// exclusive c14n of the Object alone: computed independently of the document
	obj := `<ds:Object xmlns:ds="` + NSDSig + `" Id="obj"><data>signed content</data></ds:Object>`
	d := crypto.SHA256.New()
	d.Write([]byte(obj))
	src = strings.Replace(src, "DIGEST", base64.StdEncoding.EncodeToString(d.Sum(nil)), 1)
	doc, err := parseDocument([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	si := findAll(doc.root, NSDSig, "SignedInfo")[0]
	m, _ := c14nByURI("http://www.w3.org/2001/10/xml-exc-c14n#")
	var b bytes.Buffer
	if err := canonicalize(&b, si, &subtreeSet{}, m); err != nil {
		t.Fatal(err)
	}
	return []byte(strings.Replace(src, "VALUE", base64.StdEncoding.EncodeToString(sign(b.Bytes())), 1))
}

func x509KeyInfo(der []byte) string {
	return `<ds:X509Data><ds:X509Certificate>` + base64.StdEncoding.EncodeToString(der) + `</ds:X509Certificate></ds:X509Data>`
}

func pssSigner(t testing.TB, key *rsa.PrivateKey, h crypto.Hash, salt int) func([]byte) []byte {
	return func(signed []byte) []byte {
		d := h.New()
		d.Write(signed)
		v, err := rsa.SignPSS(rand.Reader, key, h, d.Sum(nil), &rsa.PSSOptions{SaltLength: salt, Hash: h})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// ecdsaSigner signs as XMLDSig 1.1 asks: r || s, each as long as the curve's order.
func ecdsaSigner(t *testing.T, key *ecdsa.PrivateKey, h crypto.Hash) func([]byte) []byte {
	return func(signed []byte) []byte {
		d := h.New()
		d.Write(signed)
		der, err := ecdsa.SignASN1(rand.Reader, key, d.Sum(nil))
		if err != nil {
			t.Fatal(err)
		}
		var rs struct{ R, S *big.Int }
		if _, err := asn1.Unmarshal(der, &rs); err != nil {
			t.Fatal(err)
		}
		size := (key.Curve.Params().BitSize + 7) / 8
		out := make([]byte, 2*size)
		rs.R.FillBytes(out[:size])
		rs.S.FillBytes(out[size:])
		return out
	}
}

// verifyOne verifies a one-signature document without a policy.
func verifyOne(t *testing.T, data []byte) *sigResult {
	t.Helper()
	doc, err := parseDocument(data)
	if err != nil {
		t.Fatal(err)
	}
	rs, msg := newDocVerifier(doc, nil, nil).verifyAll()
	if msg != nil || len(rs) != 1 {
		t.Fatalf("verifyAll: %v, %d results", msg, len(rs))
	}
	return rs[0]
}

// tamper flips one byte of the signed content.
func tamper(t *testing.T, data []byte) []byte {
	t.Helper()
	return mustReplace(t, data, "signed content", "signed contenu")
}

type want struct {
	intact bool
	ind    trust.Indication
	sub    trust.SubIndication
	key    string
}

func expect(t *testing.T, r *sigResult, w want) {
	t.Helper()
	if r.intact != w.intact {
		t.Errorf("intact=%v, want %v (%s %s %s %v)", r.intact, w.intact, r.rep.Indication, r.rep.SubIndication, r.rep.Summary.Key, r.rep.Summary.Args)
		return
	}
	if w.ind == "" {
		return
	}
	if r.rep.Indication != w.ind || r.rep.SubIndication != w.sub || (w.key != "" && r.rep.Summary.Key != w.key) {
		t.Errorf("got %s/%s %s %v, want %s/%s %s", r.rep.Indication, r.rep.SubIndication, r.rep.Summary.Key, r.rep.Summary.Args, w.ind, w.sub, w.key)
	}
}

// intactXMLOnly: the XML side verified; the self-signed certificate is judged by
// the policy (none here).
var intactXMLOnly = want{intact: true}

func TestRSAPSS(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ki := x509KeyInfo(selfSigned(t, key))
	sm := func(alg, params string) string {
		return `<ds:SignatureMethod Algorithm="` + alg + `">` + params + `</ds:SignatureMethod>`
	}
	params := func(inner string) string {
		return `<pss:RSAPSSParams xmlns:pss="` + NSPSS + `">` + inner + `</pss:RSAPSSParams>`
	}
	dm := func(alg string) string { return `<ds:DigestMethod Algorithm="` + alg + `"/>` }
	mgf := func(alg string) string {
		return `<pss:MaskGenerationFunction Algorithm="` + AlgMGF1 + `">` + dm(alg) + `</pss:MaskGenerationFunction>`
	}
	cases := []struct {
		name   string
		method string
		sign   func([]byte) []byte
		want   want
	}{
		{"sha256-rsa-MGF1", sm(AlgRSAPSSSHA256, ""), pssSigner(t, key, crypto.SHA256, 32), intactXMLOnly},
		{"sha384-rsa-MGF1", sm(AlgRSAPSSSHA384, ""), pssSigner(t, key, crypto.SHA384, 48), intactXMLOnly},
		{"sha512-rsa-MGF1", sm(AlgRSAPSSSHA512, ""), pssSigner(t, key, crypto.SHA512, 64), intactXMLOnly},
		{"sha3-256-rsa-MGF1", sm(AlgRSAPSSSHA3_256, ""), pssSigner(t, key, crypto.SHA3_256, 32), intactXMLOnly},
		{"sha1-rsa-MGF1 is weak", sm(AlgRSAPSSSHA1, ""), pssSigner(t, key, crypto.SHA1, 20),
			want{true, trust.Indeterminate, trust.CryptoConstraintsFailure, MsgSigWeakAlgorithm}},
		{"sha256-rsa-MGF1 with another salt", sm(AlgRSAPSSSHA256, ""), pssSigner(t, key, crypto.SHA256, 20),
			want{false, trust.TotalFailed, trust.SigCryptoFailure, MsgSigValueInvalid}},
		{"sha256-rsa-MGF1 with the same parameters", sm(AlgRSAPSSSHA256, params(dm(AlgSHA256)+`<pss:SaltLength>32</pss:SaltLength>`)),
			pssSigner(t, key, crypto.SHA256, 32), intactXMLOnly},
		{"sha256-rsa-MGF1 with contradicting parameters", sm(AlgRSAPSSSHA256, params(dm(AlgSHA512))),
			pssSigner(t, key, crypto.SHA256, 32), want{false, trust.TotalFailed, trust.FormatFailure, MsgSigStructure}},
		{"rsa-pss defaults", sm(AlgRSAPSS, ""), pssSigner(t, key, crypto.SHA256, 32), intactXMLOnly},
		{"rsa-pss SHA-512 salt 64", sm(AlgRSAPSS, params(dm(AlgSHA512)+mgf(AlgSHA512)+`<pss:SaltLength>64</pss:SaltLength><pss:TrailerField>1</pss:TrailerField>`)),
			pssSigner(t, key, crypto.SHA512, 64), intactXMLOnly},
		{"rsa-pss SHA-384 default salt", sm(AlgRSAPSS, params(dm(AlgSHA384))), pssSigner(t, key, crypto.SHA384, 48), intactXMLOnly},
		{"rsa-pss SHA-256 salt 20", sm(AlgRSAPSS, params(dm(AlgSHA256)+`<pss:SaltLength>20</pss:SaltLength>`)),
			pssSigner(t, key, crypto.SHA256, 20), intactXMLOnly},
		{"rsa-pss stated salt differs from the value's", sm(AlgRSAPSS, params(dm(AlgSHA256)+`<pss:SaltLength>20</pss:SaltLength>`)),
			pssSigner(t, key, crypto.SHA256, 32), want{false, trust.TotalFailed, trust.SigCryptoFailure, MsgSigValueInvalid}},
		{"rsa-pss MGF1 over another digest", sm(AlgRSAPSS, params(dm(AlgSHA256)+mgf(AlgSHA1))),
			pssSigner(t, key, crypto.SHA256, 32), want{false, trust.Indeterminate, trust.CryptoConstraintsFailure, MsgSigAlgorithmParams}},
		{"rsa-pss another mask generation function", sm(AlgRSAPSS, params(`<pss:MaskGenerationFunction Algorithm="urn:example:mgf2"/>`)),
			pssSigner(t, key, crypto.SHA256, 32), want{false, trust.Indeterminate, trust.CryptoConstraintsFailure, MsgSigAlgorithmParams}},
		{"rsa-pss trailer field 2", sm(AlgRSAPSS, params(`<pss:TrailerField>2</pss:TrailerField>`)),
			pssSigner(t, key, crypto.SHA256, 32), want{false, trust.Indeterminate, trust.CryptoConstraintsFailure, MsgSigAlgorithmParams}},
		{"rsa-pss unknown digest", sm(AlgRSAPSS, params(dm("urn:example:digest"))),
			pssSigner(t, key, crypto.SHA256, 32), want{false, trust.Indeterminate, trust.CryptoConstraintsFailure, MsgSigAlgorithmParams}},
		{"rsa-pss negative salt", sm(AlgRSAPSS, params(`<pss:SaltLength>-1</pss:SaltLength>`)),
			pssSigner(t, key, crypto.SHA256, 32), want{false, trust.TotalFailed, trust.FormatFailure, MsgSigStructure}},
		{"rsa-pss parameters out of order", sm(AlgRSAPSS, params(`<pss:SaltLength>32</pss:SaltLength>`+dm(AlgSHA256))),
			pssSigner(t, key, crypto.SHA256, 32), want{false, trust.TotalFailed, trust.FormatFailure, MsgSigStructure}},
		{"rsa-pss parameters of an unknown namespace", sm(AlgRSAPSS, `<x:RSAPSSParams xmlns:x="urn:example"/>`),
			pssSigner(t, key, crypto.SHA256, 32), want{false, trust.Indeterminate, trust.CryptoConstraintsFailure, MsgSigAlgorithmParams}},
		{"PKCS#1 v1.5 value under a PSS identifier", sm(AlgRSAPSSSHA256, ""), func(b []byte) []byte {
			d := crypto.SHA256.New()
			d.Write(b)
			v, _ := rsa.SignPKCS1v15(nil, key, crypto.SHA256, d.Sum(nil))
			return v
		}, want{false, trust.TotalFailed, trust.SigCryptoFailure, MsgSigValueInvalid}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := enveloping(t, c.method, ki, c.sign)
			expect(t, verifyOne(t, data), c.want)
			if c.want.intact {
				expect(t, verifyOne(t, tamper(t, data)), want{false, trust.TotalFailed, trust.HashFailure, MsgRefDigestMismatch})
			}
		})
	}
}

func TestECDSACurves(t *testing.T) {
	for _, c := range []struct {
		curve elliptic.Curve
		alg   string
		hash  crypto.Hash
		w     want
	}{
		{elliptic.P256(), AlgECDSASHA256, crypto.SHA256, intactXMLOnly},
		{elliptic.P256(), AlgECDSASHA1, crypto.SHA1, want{true, trust.Indeterminate, trust.CryptoConstraintsFailure, MsgSigWeakAlgorithm}},
		{elliptic.P384(), AlgECDSASHA384, crypto.SHA384, intactXMLOnly},
		{elliptic.P521(), AlgECDSASHA512, crypto.SHA512, intactXMLOnly},
		{elliptic.P256(), AlgECDSASHA3_256, crypto.SHA3_256, intactXMLOnly},
	} {
		t.Run(c.curve.Params().Name+"/"+c.alg, func(t *testing.T) {
			key, err := ecdsa.GenerateKey(c.curve, rand.Reader)
			if err != nil {
				t.Fatal(err)
			}
			data := enveloping(t, `<ds:SignatureMethod Algorithm="`+c.alg+`"/>`, x509KeyInfo(selfSigned(t, key)), ecdsaSigner(t, key, c.hash))
			r := verifyOne(t, data)
			expect(t, r, c.w)
			if r.rep.SignatureAlgorithm == "" || r.signer == nil {
				t.Errorf("algorithm %q, signer %v", r.rep.SignatureAlgorithm, r.signer)
			}
			expect(t, verifyOne(t, tamper(t, data)), want{false, trust.TotalFailed, trust.HashFailure, MsgRefDigestMismatch})
		})
	}
}

func TestEd25519(t *testing.T) {
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	data := enveloping(t, `<ds:SignatureMethod Algorithm="`+AlgEd25519+`"/>`, x509KeyInfo(selfSigned(t, key)),
		func(signed []byte) []byte { return ed25519.Sign(key, signed) })
	r := verifyOne(t, data)
	expect(t, r, intactXMLOnly)
	if r.rep.SignatureAlgorithm != "Ed25519" {
		t.Errorf("algorithm %s", r.rep.SignatureAlgorithm)
	}
	expect(t, verifyOne(t, tamper(t, data)), want{false, trust.TotalFailed, trust.HashFailure, MsgRefDigestMismatch})
	// An Ed25519 value under an ECDSA identifier, and an ECDSA key under Ed25519: no key fits.
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	data = enveloping(t, `<ds:SignatureMethod Algorithm="`+AlgEd25519+`"/>`, x509KeyInfo(selfSigned(t, ec)), ecdsaSigner(t, ec, crypto.SHA256))
	expect(t, verifyOne(t, data), want{false, trust.TotalFailed, trust.SigCryptoFailure, MsgSigValueInvalid})
}

// Keys and certificates crypto/x509 cannot read: the signature cannot be checked,
// which is never a proof that it is broken.
func TestUnreadableKeys(t *testing.T) {
	openssl := testenv.Tool(t, "openssl")
	dir := t.TempDir()
	run := func(args ...string) []byte {
		t.Helper()
		cmd := exec.Command(openssl, args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("openssl %v: %v\n%s", args, err, out)
		}
		return out
	}
	for _, curve := range []string{"brainpoolP256r1", "secp256k1"} {
		t.Run(curve, func(t *testing.T) {
			run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:"+curve, "-nodes", "-subj", "/CN=peer test",
				"-days", "2", "-keyout", curve+".key", "-out", curve+".pem")
			pemBytes, err := os.ReadFile(filepath.Join(dir, curve+".pem"))
			if err != nil {
				t.Fatal(err)
			}
			blk, _ := pem.Decode(pemBytes)
			if _, err := x509.ParseCertificate(blk.Bytes); err == nil {
				t.Fatalf("crypto/x509 now reads %s certificates: verify such signatures instead of reporting them unreadable", curve)
			}
			sign := func(signed []byte) []byte {
				in := filepath.Join(dir, "signed")
				if err := os.WriteFile(in, signed, 0o600); err != nil {
					t.Fatal(err)
				}
				der := run("dgst", "-sha256", "-sign", curve+".key", "signed")
				var rs struct{ R, S *big.Int }
				if _, err := asn1.Unmarshal(der, &rs); err != nil {
					t.Fatal(err)
				}
				out := make([]byte, 64)
				rs.R.FillBytes(out[:32])
				rs.S.FillBytes(out[32:])
				return out
			}
			sm := `<ds:SignatureMethod Algorithm="` + AlgECDSASHA256 + `"/>`
			data := enveloping(t, sm, x509KeyInfo(blk.Bytes), sign)
			cant := want{false, trust.Indeterminate, trust.NoSigningCertificateFound, MsgSigCertUnparseable}
			expect(t, verifyOne(t, data), cant)
			// The content changed: a digest that does not match is proof whoever signed.
			expect(t, verifyOne(t, tamper(t, data)), want{false, trust.TotalFailed, trust.HashFailure, MsgRefDigestMismatch})
			// The same key as DEREncodedKeyValue, and an unreadable certificate next to a
			// readable one that does not verify.
			spki := run("pkey", "-in", curve+".key", "-pubout", "-outform", "DER")
			kv := `<dsig11:DEREncodedKeyValue xmlns:dsig11="` + NSDSig11 + `">` + base64.StdEncoding.EncodeToString(spki) + `</dsig11:DEREncodedKeyValue>`
			expect(t, verifyOne(t, enveloping(t, sm, kv, sign)), cant)
			other, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
			if err != nil {
				t.Fatal(err)
			}
			both := x509KeyInfo(selfSigned(t, other)) + x509KeyInfo(blk.Bytes)
			expect(t, verifyOne(t, enveloping(t, sm, both, sign)), cant)
		})
	}
	t.Run("X509Certificate with PEM armour", func(t *testing.T) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		ki := `<ds:X509Data><ds:X509Certificate>` + string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: selfSigned(t, key)})) +
			`</ds:X509Certificate></ds:X509Data>`
		data := enveloping(t, `<ds:SignatureMethod Algorithm="`+AlgECDSASHA256+`"/>`, ki, ecdsaSigner(t, key, crypto.SHA256))
		expect(t, verifyOne(t, data), want{false, trust.Indeterminate, trust.NoSigningCertificateFound, MsgSigCertUnparseable})
	})
	t.Run("ECKeyValue of another curve", func(t *testing.T) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		kv := `<ds:KeyValue><dsig11:ECKeyValue xmlns:dsig11="` + NSDSig11 + `"><dsig11:NamedCurve URI="urn:oid:1.3.36.3.3.2.8.1.1.7"/>` +
			`<dsig11:PublicKey>BAAA</dsig11:PublicKey></dsig11:ECKeyValue></ds:KeyValue>`
		data := enveloping(t, `<ds:SignatureMethod Algorithm="`+AlgECDSASHA256+`"/>`, kv, ecdsaSigner(t, key, crypto.SHA256))
		expect(t, verifyOne(t, data), want{false, trust.Indeterminate, trust.NoSigningCertificateFound, MsgSigCertUnparseable})
	})
}

// A certificate with a negative serial number (against RFC 5280, but found in
// third-party signatures) is read thanks to the x509negativeserial=1 directive of this
// test package (godebug_test.go) and of main.go.
func TestNegativeSerialCertificate(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der := selfSigned(t, key)
	// The serial INTEGER 0x42 becomes 0xC2 (-62). The certificate's own signature no
	// longer verifies, which the XML side does not look at (the chain is the policy's).
	i := bytes.Index(der, []byte{0x02, 0x01, 0x42})
	if i < 0 {
		t.Fatal("serial not found")
	}
	der[i+2] = 0xc2
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatalf("a negative serial is not read: %v (is the go:debug directive in place?)", err)
	}
	if c.SerialNumber.Sign() >= 0 {
		t.Fatalf("serial %v", c.SerialNumber)
	}
	data := enveloping(t, `<ds:SignatureMethod Algorithm="`+AlgECDSASHA256+`"/>`, x509KeyInfo(der), ecdsaSigner(t, key, crypto.SHA256))
	r := verifyOne(t, data)
	expect(t, r, intactXMLOnly)
	if r.signer == nil || r.signer.SerialNumber.Sign() >= 0 {
		t.Errorf("signer %v", r.signer)
	}
}
