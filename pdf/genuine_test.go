package pdf

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/digitorus/pkcs7"

	"github.com/mynasign/mynasign/trust"
)

// Genuine files that other writers make and that must verify (issue 12, item 6).

// signAssembled signs in like SignFile, with the signature dictionary edited by edit,
// the end-of-line after the new %%EOF replaced by eol, the increment's bytes after the
// signature's /Contents (its trailer) edited by each post, and the CMS made by mk from
// the signed bytes.
func signAssembled(t testing.TB, in []byte, edit func(raw []byte) []byte, eol string, mk func(signed []byte) []byte, post ...func(tail []byte) []byte) []byte {
	t.Helper()
	return signAssembledWith(t, in, personaOptions(t, "valid", PAdES), edit, eol, mk, post...)
}

// signAssembledWith is signAssembled with the signing options given (a visible
// appearance, say).
func signAssembledWith(t testing.TB, in []byte, opts SignOptions, edit func(raw []byte) []byte, eol string, mk func(signed []byte) []byte, post ...func(tail []byte) []byte) []byte {
	t.Helper()
	f, err := NewFile(bytes.NewReader(in), int64(len(in)))
	if err != nil {
		t.Fatal(err)
	}
	p, err := prepare(f, opts)
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		p.inc.raw[p.sigRef.Num] = edit(p.inc.raw[p.sigRef.Num])
	}
	ser, err := p.inc.serialize(int64(len(in)), p.sigRef.Num, p.newline)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(ser.data, []byte("%%EOF\n")) {
		t.Fatal("the increment does not end with the EOF marker and a line feed")
	}
	ser.data = append(ser.data[:len(ser.data)-1], eol...)
	for _, p := range post {
		tail := p(append([]byte{}, ser.data[ser.contentsEnd:]...))
		ser.data = append(ser.data[:ser.contentsEnd], tail...)
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

// detachedCMS is a CMS detached signature over signed by the "valid" persona, made by
// another producer (digitorus/pkcs7).
func detachedCMS(t testing.TB) func(signed []byte) []byte {
	per := testPersona(t, "valid")
	return func(signed []byte) []byte {
		sd, err := pkcs7.NewSignedData(signed)
		if err != nil {
			t.Fatal(err)
		}
		sd.SetDigestAlgorithm(pkcs7.OIDDigestAlgorithmSHA256)
		if err := sd.AddSigner(per.SignCert, per.SignKey, pkcs7.SignerInfoConfig{}); err != nil {
			t.Fatal(err)
		}
		sd.Detach()
		der, err := sd.Finish()
		if err != nil {
			t.Fatal(err)
		}
		return der
	}
}

// timeStampToken is an RFC 3161 time-stamp token over the SHA-256 digest of signed,
// signed by the "valid" persona (not a TSA: the stamp itself cannot be trusted, which
// does not matter to the signature before it).
func timeStampToken(t testing.TB) func(signed []byte) []byte {
	per := testPersona(t, "valid")
	return func(signed []byte) []byte {
		sum := sha256.Sum256(signed)
		type imprint struct {
			Alg    pkix.AlgorithmIdentifier
			Hashed []byte
		}
		type tstInfo struct {
			Version int
			Policy  asn1.ObjectIdentifier
			Imprint imprint
			Serial  *big.Int
			GenTime time.Time `asn1:"generalized"`
		}
		der, err := asn1.Marshal(tstInfo{Version: 1, Policy: asn1.ObjectIdentifier{1, 2, 3, 4},
			Imprint: imprint{Alg: pkix.AlgorithmIdentifier{Algorithm: pkcs7.OIDDigestAlgorithmSHA256}, Hashed: sum[:]},
			Serial:  big.NewInt(7), GenTime: time.Date(2026, 11, 26, 1, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		sd, err := pkcs7.NewSignedData(der)
		if err != nil {
			t.Fatal(err)
		}
		sd.SetContentType(asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 1, 4})
		sd.SetDigestAlgorithm(pkcs7.OIDDigestAlgorithmSHA256)
		if err := sd.AddSigner(per.SignCert, per.SignKey, pkcs7.SignerInfoConfig{}); err != nil {
			t.Fatal(err)
		}
		out, err := sd.Finish()
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
}

// asDetached makes our signature dictionary an adbe.pkcs7.detached one.
func asDetached(raw []byte) []byte {
	return bytes.Replace(raw, []byte("/SubFilter /ETSI.CAdES.detached"), []byte("/SubFilter /adbe.pkcs7.detached"), 1)
}

// asDocTimeStamp makes our signature dictionary a document time-stamp's.
func asDocTimeStamp(raw []byte) []byte {
	raw = bytes.Replace(raw, []byte("/SubFilter /ETSI.CAdES.detached"), []byte("/SubFilter /ETSI.RFC3161"), 1)
	return bytes.Replace(raw, []byte("/Type /Sig"), []byte("/Type /DocTimeStamp"), 1)
}

// certifiedP makes our signature dictionary a certification signature with DocMDP P=p.
func certifiedP(p int) func(raw []byte) []byte {
	return func(raw []byte) []byte {
		raw = asDetached(raw)
		return bytes.Replace(raw, []byte("/Type /Sig"), []byte(fmt.Sprintf(
			"/Type /Sig /Reference [<</Type /SigRef /TransformMethod /DocMDP /TransformParams <</Type /TransformParams /P %d /V /1.2>>>>]", p)), 1)
	}
}

func TestEOFFollowedBySeveralLineBreaks(t *testing.T) {
	pol := testPolicy(t)
	for _, eol := range []string{"\n\n", "\r\n\r\n", "\r\r", "\r\n\n\n"} {
		t.Run(fmt.Sprintf("%q", eol), func(t *testing.T) {
			for _, spec := range []docSpec{{}, {xrefStream: true, pages: 2}} {
				signed := signAssembled(t, makePDF(t, spec), asDetached, eol, detachedCMS(t))
				if !bytes.HasSuffix(signed, []byte("%%EOF"+eol)) {
					t.Fatal("the file does not end as meant")
				}
				rep := verifyBytes(t, signed, pol)
				requirePassed(t, rep, 1)
				if c := rep.Signatures[0].Coverage; c != trust.CoverageWhole {
					t.Fatalf("coverage %s, want whole", c)
				}
			}
		})
	}
	// A signature that stops short of the line breaks after %%EOF covers the file all
	// the same (the breaks are white space), but one that stops before %%EOF does not.
	signed := signAssembled(t, makePDF(t, docSpec{}), asDetached, "\n", detachedCMS(t))
	requirePassed(t, verifyBytes(t, append(append([]byte{}, signed...), "\r\n\n"...), pol), 1)
}

func TestDocTimeStampOnCertifiedDocument(t *testing.T) {
	pol := testPolicy(t)
	for _, spec := range []docSpec{{}, {acroForm: "indirect", pages: 2}, {xrefStream: true, annots: "indirect", acroForm: "indirect"}} {
		t.Run(fmt.Sprintf("%+v", spec), func(t *testing.T) {
			certified := signAssembled(t, makePDF(t, spec), certifiedP(1), "\n", detachedCMS(t))
			requirePassed(t, verifyBytes(t, certified, pol), 1)
			stamped := signAssembled(t, certified, asDocTimeStamp, "\n", timeStampToken(t))
			rep := verifyBytes(t, stamped, pol)
			if len(rep.Signatures) < 1 {
				t.Fatalf("no signatures: %+v", rep)
			}
			s := rep.Signatures[0]
			if s.Indication != trust.TotalPassed || s.ChangesAfterSigning.Level != trust.ChangesPermitted {
				t.Fatalf("certified signature after a document time-stamp: %s/%s %v changes %s %+v", s.Indication,
					s.SubIndication, s.Summary, s.ChangesAfterSigning.Level, s.ChangesAfterSigning.Objects)
			}
			for _, o := range s.ChangesAfterSigning.Objects {
				if o.Why.Key != MsgChangeDocTimestamp {
					t.Errorf("change %+v, want only %s", o, MsgChangeDocTimestamp)
				}
			}
			// A second certification-era signature is still refused under P=1.
			again := signAssembled(t, certified, asDetached, "\n", detachedCMS(t))
			requireRejected(t, verifyBytes(t, again, pol))
		})
	}
}
