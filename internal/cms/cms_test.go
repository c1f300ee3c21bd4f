package cms

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/digitorus/pkcs7"
	"github.com/mynasign/mynasign/internal/testpki"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

func persona(t *testing.T) *testpki.Persona {
	t.Helper()
	p, err := testpki.PersonaByID("valid")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestBuildParseVerifyRoundTrip(t *testing.T) {
	p := persona(t)
	content := []byte("the signed byte ranges of a PDF")
	digest := sha256.Sum256(content)
	when := time.Date(2026, 4, 1, 9, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		sp   SignParams
	}{
		{"pades", SignParams{Certificate: p.SignCert, Chain: []*x509.Certificate{p.SignCACert}, ContentDigest: digest[:], SigningCertificateV2: true}},
		{"registry", SignParams{Certificate: p.SignCert, ContentDigest: digest[:], SigningTime: &when, SigningCertificateV2: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			est, err := tc.sp.EstimateSize()
			if err != nil {
				t.Fatal(err)
			}
			der, err := tc.sp.Sign(p.SignKey)
			if err != nil {
				t.Fatal(err)
			}
			if len(der) != est {
				t.Errorf("RSA size estimate %d, real %d", est, len(der))
			}
			sd, rest, err := Parse(append(der, make([]byte, 100)...))
			if err != nil {
				t.Fatal(err)
			}
			if len(rest) != 100 || sd.HasEContent || len(sd.Signers) != 1 {
				t.Fatalf("rest=%d econtent=%v signers=%d", len(rest), sd.HasEContent, len(sd.Signers))
			}
			si := &sd.Signers[0]
			cert := si.FindCertificate(sd.Certificates)
			if cert == nil || !cert.Equal(p.SignCert) {
				t.Fatal("signer certificate not found")
			}
			if err := sd.VerifySigner(si, cert, digest[:]); err != nil {
				t.Fatal(err)
			}
			if c := si.CheckSigningCertificate(cert); !c.Present || !c.V2 || !c.Match || c.Err != nil {
				t.Fatalf("signing-certificate-v2: %+v", c)
			}
			if _, n := si.Attr(OIDAttrSigningTime); (n == 1) != (tc.sp.SigningTime != nil) {
				t.Fatalf("signing-time count %d", n)
			}
			// Attributes in DER order.
			var prev []byte
			body := cryptobyte.String(si.SignedAttrsDER)
			var set cryptobyte.String
			body.ReadASN1(&set, cbasn1.SET)
			for !set.Empty() {
				var el cryptobyte.String
				var tag cbasn1.Tag
				set.ReadAnyASN1Element(&el, &tag)
				if prev != nil && bytes.Compare(prev, el) > 0 {
					t.Fatal("signed attributes not in DER order")
				}
				prev = el
			}
			// A different content fails on the digest; a flipped signature bit fails on
			// the signature.
			other := sha256.Sum256([]byte("other"))
			if err := sd.VerifySigner(si, cert, other[:]); !errors.Is(err, ErrDigestMismatch) {
				t.Fatalf("other content: %v", err)
			}
			si.Signature[10] ^= 1
			if err := sd.VerifySigner(si, cert, digest[:]); !errors.Is(err, ErrBadSignature) {
				t.Fatalf("flipped signature: %v", err)
			}
			// Oracle: digitorus/pkcs7 verifies the detached signature.
			p7, err := pkcs7.Parse(der)
			if err != nil {
				t.Fatal(err)
			}
			p7.Content = content
			if err := p7.Verify(); err != nil {
				t.Fatalf("pkcs7 oracle: %v", err)
			}
			p7.Content = []byte("tampered")
			if err := p7.Verify(); err == nil {
				t.Fatal("pkcs7 oracle accepted tampered content")
			}
		})
	}
}

func TestSignRejectsForeignKey(t *testing.T) {
	p := persona(t)
	other, _ := testpki.PersonaByID("revoked")
	d := sha256.Sum256(nil)
	sp := SignParams{Certificate: p.SignCert, ContentDigest: d[:]}
	if _, err := sp.Sign(other.SignKey); err == nil {
		t.Fatal("signed with a key that is not the certificate's")
	}
}

func TestECDSA(t *testing.T) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "ec"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	raw, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(raw)
	d := sha256.Sum256([]byte("x"))
	sp := SignParams{Certificate: cert, ContentDigest: d[:], SigningCertificateV2: true}
	est, _ := sp.EstimateSize()
	der, err := sp.Sign(key)
	if err != nil {
		t.Fatal(err)
	}
	if len(der) > est {
		t.Fatalf("ECDSA estimate %d < real %d", est, len(der))
	}
	sd, _, err := Parse(der)
	if err != nil {
		t.Fatal(err)
	}
	if err := sd.VerifySigner(&sd.Signers[0], cert, d[:]); err != nil {
		t.Fatal(err)
	}
}

func TestParseRejectsGarbage(t *testing.T) {
	for _, b := range [][]byte{nil, {0x30, 0x80}, {0x30, 0x03, 0x06, 0x01, 0x00}, bytes.Repeat([]byte{0}, 64)} {
		if _, _, err := Parse(b); err == nil {
			t.Fatalf("Parse(%x) succeeded", b)
		}
	}
}

func TestHashNames(t *testing.T) {
	if HashName(crypto.SHA256) != "SHA-256" {
		t.Fatal(HashName(crypto.SHA256))
	}
}

func personaForFuzz() (*testpki.Persona, error) { return testpki.PersonaByID("valid") }
