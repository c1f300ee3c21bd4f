package pdf

import (
	"bytes"
	"crypto/sha1"
	"encoding/asn1"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/digitorus/pkcs7"

	"github.com/mynasign/mynasign/trust"
)

// signWithCMS signs in like SignFile, but with the given SubFilter and a CMS made by mk
// from the signed bytes (another producer, another format).
func signWithCMS(t *testing.T, in []byte, subFilter string, mk func(signed []byte) []byte) []byte {
	t.Helper()
	return signWithCMSOptions(t, in, subFilter, personaOptions(t, "valid", PAdES), mk)
}

// signWithCMSOptions is signWithCMS with the options that size the placeholder.
func signWithCMSOptions(t *testing.T, in []byte, subFilter string, opts SignOptions, mk func(signed []byte) []byte) []byte {
	t.Helper()
	f, err := NewFile(bytes.NewReader(in), int64(len(in)))
	if err != nil {
		t.Fatal(err)
	}
	p, err := prepare(f, opts)
	if err != nil {
		t.Fatal(err)
	}
	raw := p.inc.raw[p.sigRef.Num]
	p.inc.raw[p.sigRef.Num] = bytes.Replace(raw, []byte("/SubFilter /ETSI.CAdES.detached"), []byte("/SubFilter /"+subFilter), 1)
	ser, err := p.inc.serialize(int64(len(in)), p.sigRef.Num, p.newline)
	if err != nil {
		t.Fatal(err)
	}
	size := int64(len(in))
	a, b := size+int64(ser.contentsAt), size+int64(ser.contentsEnd)
	total := size + int64(len(ser.data))
	copy(ser.data[ser.byteRangeAt:], fmt.Sprintf("%010d %010d %010d", a, b, total-b))
	out := append(append([]byte{}, in...), ser.data...)
	signed := append(append([]byte{}, out[:a]...), out[b:]...)
	enc := hex.EncodeToString(mk(signed))
	if len(enc) > p.hexLen {
		t.Fatal("CMS too large")
	}
	copy(out[a+1:], enc)
	return out
}

func TestOtherProducersAndSubFilters(t *testing.T) {
	pol := testPolicy(t)
	per := testPersona(t, "valid")
	in := makePDF(t, docSpec{})
	oracleWith := func(digest asn1.ObjectIdentifier, content []byte, detached bool) []byte {
		sd, err := pkcs7.NewSignedData(content)
		if err != nil {
			t.Fatal(err)
		}
		sd.SetDigestAlgorithm(digest)
		if err := sd.AddSigner(per.SignCert, per.SignKey, pkcs7.SignerInfoConfig{}); err != nil {
			t.Fatal(err)
		}
		if detached {
			sd.Detach()
		}
		der, err := sd.Finish()
		if err != nil {
			t.Fatal(err)
		}
		return der
	}
	oracle := func(content []byte, detached bool) []byte {
		return oracleWith(pkcs7.OIDDigestAlgorithmSHA256, content, detached)
	}

	// adbe.pkcs7.sha1: the CMS encapsulates the SHA-1 digest of the byte ranges. It
	// verifies, but SHA-1 is broken for signatures (chosen-prefix collisions): a signed
	// document and another one with the same SHA-1 digest cannot be told apart, so the
	// signature is never TOTAL-PASSED (ETSI TS 119 312), as in XML.
	sha1Doc := signWithCMS(t, in, "adbe.pkcs7.sha1", func(signed []byte) []byte {
		d := sha1.Sum(signed)
		return oracle(d[:], false)
	})
	weak := func(name string, rep *trust.DocumentReport) {
		t.Helper()
		s := rep.Signatures[0]
		if s.Indication != trust.Indeterminate || s.SubIndication != trust.CryptoConstraintsFailure ||
			s.Summary.Key != MsgSigWeakAlgorithm || !s.Intact {
			t.Fatalf("%s: %s/%s %v intact=%v", name, s.Indication, s.SubIndication, s.Summary, s.Intact)
		}
	}
	rep := verifyBytes(t, sha1Doc, pol)
	weak("adbe.pkcs7.sha1", rep)
	if rep.Signatures[0].Format != "adbe.pkcs7.sha1" {
		t.Fatalf("adbe.pkcs7.sha1: %+v", rep.Signatures[0])
	}
	// The same with SHA-1 as the digest algorithm of a detached signature.
	weak("adbe.pkcs7.detached with SHA-1", verifyBytes(t, signWithCMS(t, in, "adbe.pkcs7.detached",
		func(signed []byte) []byte { return oracleWith(pkcs7.OIDDigestAlgorithmSHA1, signed, true) }), pol))
	// The same with one signed byte changed: the encapsulated digest no longer matches.
	tampered := append([]byte{}, sha1Doc...)
	i := bytes.Index(tampered, []byte("Hello, page 1"))
	tampered[i] = 'J'
	rep = verifyBytes(t, tampered, pol)
	if s := rep.Signatures[0]; s.Indication != trust.TotalFailed || s.SubIndication != trust.HashFailure {
		t.Fatalf("tampered adbe.pkcs7.sha1: %s/%s", s.Indication, s.SubIndication)
	}

	// A detached signature made by another CMS producer verifies too.
	other := signWithCMS(t, in, "adbe.pkcs7.detached", func(signed []byte) []byte { return oracle(signed, true) })
	requirePassed(t, verifyBytes(t, other, pol), 1)

	// A SubFilter we do not support is never valid.
	unknown := signWithCMS(t, in, "adbe.x509.rsa_sha1", func(signed []byte) []byte { return oracle(signed, true) })
	rep = verifyBytes(t, unknown, pol)
	if s := rep.Signatures[0]; s.Indication != trust.Indeterminate || s.SubIndication != trust.FormatFailure ||
		!strings.Contains(s.Summary.Key, "unsupported_filter") {
		t.Fatalf("unsupported SubFilter: %s/%s %v", s.Indication, s.SubIndication, s.Summary)
	}

	// Another SubFilter over an ordinary detached CMS is verified as one, with a warning
	// naming it; one changed signed byte is then a hash failure.
	national := signWithCMS(t, in, "JP.GOV.CAdES.detached", func(signed []byte) []byte { return oracle(signed, true) })
	rep = verifyBytes(t, national, pol)
	requirePassed(t, rep, 1)
	if s := rep.Signatures[0]; !hasWarning(s, MsgWarnOtherFilter) || s.Format != "JP.GOV.CAdES.detached" {
		t.Fatalf("other SubFilter: format %q, warnings %v", s.Format, s.Warnings)
	}
	tampered = append([]byte{}, national...)
	tampered[bytes.Index(tampered, []byte("Hello, page 1"))] = 'J'
	if s := verifyBytes(t, tampered, pol).Signatures[0]; s.Indication != trust.TotalFailed || s.SubIndication != trust.HashFailure {
		t.Fatalf("tampered, other SubFilter: %s/%s", s.Indication, s.SubIndication)
	}
	// Another SubFilter whose /Contents is not a CMS cannot be judged.
	garbage := signWithCMS(t, in, "JP.GOV.Other", func(signed []byte) []byte { return []byte{0x04, 0x03, 1, 2, 3} })
	if s := verifyBytes(t, garbage, pol).Signatures[0]; s.Indication != trust.Indeterminate || s.Summary.Key != MsgSigUnsupportedFilter {
		t.Fatalf("other SubFilter, no CMS: %s/%s %v", s.Indication, s.SubIndication, s.Summary)
	}
}

func hasWarning(s trust.SignatureReport, key string) bool {
	for _, w := range s.Warnings {
		if w.Key == key {
			return true
		}
	}
	return false
}
