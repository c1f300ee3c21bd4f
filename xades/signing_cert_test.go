package xades

import (
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"math/big"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/mynasign/mynasign/internal/testpki"
	"github.com/mynasign/mynasign/trust"
)

// withSignedProperties replaces the SigningCertificateV2 of a document signed by
// SignXAdES with signingCert, then recomputes the SignedProperties digest and the
// signature value with opts: a signer that writes its properties so.
func withSignedProperties(t *testing.T, signed []byte, signingCert string, opts SignOptions) []byte {
	t.Helper()
	s := string(signed)
	old := between(s, "<xades:SigningCertificateV2>", "</xades:SigningCertificateV2>")
	s = strings.Replace(s, old, signingCert, 1)
	doc, err := parseDocument([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	sig := signatureElements(doc)[0]
	sigID, _ := sig.attrValue("Id")
	for _, e := range sig.elements()[0].elements()[2:] {
		ref, perr := parseReference(e)
		if perr != nil {
			t.Fatal(perr)
		}
		if ref.typ != TypeSignedProperties {
			continue
		}
		if rerr := ref.resolve(doc, nil); rerr != nil {
			t.Fatal(rerr)
		}
		h := sha256.New()
		if err := ref.digestNodes(h, sig); err != nil {
			t.Fatal(err)
		}
		for _, dv := range e.elements() {
			if dv.is(NSDSig, "DigestValue") {
				open := int(dv.start) + strings.IndexByte(doc.src[dv.start:], '>') + 1
				s = doc.src[:open] + base64.StdEncoding.EncodeToString(h.Sum(nil)) + doc.src[dv.innerIn(doc.src):]
			}
		}
	}
	return resign(t, []byte(s), sigID, opts)
}

// certXML is one xades:Cert: the SHA-256 digest of c and, when given, the issuer and
// serial number (v1: X509IssuerName and X509SerialNumber; v2: IssuerSerialV2 DER).
func certXML(c *x509.Certificate, v1Issuer string, v1Serial *big.Int, v2 []byte) string {
	d := sha256.Sum256(c.Raw)
	out := `<xades:Cert><xades:CertDigest><ds:DigestMethod Algorithm="` + AlgSHA256 + `"/><ds:DigestValue>` +
		base64.StdEncoding.EncodeToString(d[:]) + `</ds:DigestValue></xades:CertDigest>`
	switch {
	case v1Issuer != "":
		out += `<xades:IssuerSerial><ds:X509IssuerName>` + escapeText(v1Issuer) + `</ds:X509IssuerName><ds:X509SerialNumber>` +
			v1Serial.String() + `</ds:X509SerialNumber></xades:IssuerSerial>`
	case v2 != nil:
		out += `<xades:IssuerSerialV2>` + base64.StdEncoding.EncodeToString(v2) + `</xades:IssuerSerialV2>`
	}
	return out + `</xades:Cert>`
}

func escapeText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// TestSigningCertificateMatchedByDigest: SigningCertificate(V2) names certificates by
// digest; the signer is the one of them whose key verifies, in whatever order the Cert
// elements come (a CA listed first is not a broken signature), and an issuer name or
// serial number that does not name that certificate is a warning (v1 and v2). A
// certificate the properties do not name still verifies only as a mismatch.
func TestSigningCertificateMatchedByDigest(t *testing.T) {
	opts := personaOpts(t, "valid")
	persona, _ := testpki.PersonaByID("valid")
	other, _ := testpki.PersonaByID("revoked")
	signer, ca := persona.SignCert, persona.SignCACert
	orig, err := os.ReadFile(sampleXML)
	if err != nil {
		t.Fatal(err)
	}
	signed, err := SignXAdES(orig, opts)
	if err != nil {
		t.Fatal(err)
	}
	pol := testPolicy(t)
	v2 := func(c *x509.Certificate) []byte {
		der, err := issuerSerialV2(c)
		if err != nil {
			t.Fatal(err)
		}
		return der
	}
	forgedIssuer := "CN=Forged CA,O=JPKI,C=JP"
	wrongSerial, _ := issuerSerialV2(&x509.Certificate{RawIssuer: signer.RawIssuer, SerialNumber: big.NewInt(12345)})
	wrongIssuerV2, _ := issuerSerialV2(&x509.Certificate{RawIssuer: other.SignCert.RawSubject, SerialNumber: signer.SerialNumber})
	// The issuer as RFC 4514 writes it (the last RDN first), and in the other order with
	// other spacing and case, as some libraries write it.
	var issuerRDNs pkix.RDNSequence
	if _, err := asn1.Unmarshal(signer.RawIssuer, &issuerRDNs); err != nil {
		t.Fatal(err)
	}
	issuer := issuerRDNs.String()
	rdns := strings.Split(issuer, ",")
	slices.Reverse(rdns)
	otherOrder := strings.ToLower(strings.Join(rdns, " , "))
	var caRDNs pkix.RDNSequence
	asn1.Unmarshal(ca.RawIssuer, &caRDNs)

	v1 := func(certs string) string {
		return `<xades:SigningCertificate>` + certs + `</xades:SigningCertificate>`
	}
	v2s := func(certs string) string {
		return `<xades:SigningCertificateV2>` + certs + `</xades:SigningCertificateV2>`
	}
	cases := []struct {
		name     string
		props    string
		ind      trust.Indication
		intact   bool
		warnName bool // the issuer/serial warning
	}{
		{"v2: the CA first", v2s(certXML(ca, "", nil, v2(ca)) + certXML(signer, "", nil, v2(signer))), trust.TotalPassed, true, false},
		{"v2: the signer first, then the CA", v2s(certXML(signer, "", nil, v2(signer)) + certXML(ca, "", nil, v2(ca))), trust.TotalPassed, true, false},
		{"v2: the CA first, without IssuerSerialV2", v2s(certXML(ca, "", nil, nil) + certXML(signer, "", nil, nil)), trust.TotalPassed, true, false},
		{"v1: the issuer as written by RFC 4514", v1(certXML(signer, issuer, signer.SerialNumber, nil)), trust.TotalPassed, true, false},
		{"v1: the issuer in the other order", v1(certXML(signer, otherOrder, signer.SerialNumber, nil)), trust.TotalPassed, true, false},
		{"v1: the issuer as Go's pkix.Name writes it", v1(certXML(signer, signer.Issuer.String(), signer.SerialNumber, nil)), trust.TotalPassed, true, false},
		{"v1: the CA first", v1(certXML(ca, caRDNs.String(), ca.SerialNumber, nil) + certXML(signer, issuer, signer.SerialNumber, nil)), trust.TotalPassed, true, false},
		{"v1: the serial number with leading zeros", v1(strings.Replace(certXML(signer, issuer, signer.SerialNumber, nil), "<ds:X509SerialNumber>", "<ds:X509SerialNumber> 000", 1)), trust.TotalPassed, true, false},
		{"v1: another issuer", v1(certXML(signer, forgedIssuer, signer.SerialNumber, nil)), trust.TotalPassed, true, true},
		{"v1: another serial number", v1(certXML(signer, issuer, big.NewInt(12345), nil)), trust.TotalPassed, true, true},
		{"v2: another issuer", v2s(certXML(signer, "", nil, wrongIssuerV2)), trust.TotalPassed, true, true},
		{"v2: another serial number", v2s(certXML(ca, "", nil, nil) + certXML(signer, "", nil, wrongSerial)), trust.TotalPassed, true, true},
		{"v2: only the CA named", v2s(certXML(ca, "", nil, v2(ca))), trust.Indeterminate, true, false},
		{"v2: another person named", v2s(certXML(other.SignCert, "", nil, v2(other.SignCert))), trust.Indeterminate, true, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := withSignedProperties(t, signed, c.props, opts)
			rep := Verify("signed.xml", data, pol)
			if rep.Error != nil || len(rep.Signatures) != 1 {
				t.Fatalf("%v", rep.Error)
			}
			s := rep.Signatures[0]
			if s.Indication != c.ind || s.Intact != c.intact {
				t.Fatalf("%s/%s intact=%v: %s", s.Indication, s.SubIndication, s.Intact, failedChecks(s))
			}
			if c.ind == trust.Indeterminate && s.SubIndication != trust.NoSigningCertificateFound {
				t.Errorf("%s/%s", s.Indication, s.SubIndication)
			}
			if hasWarning(s, MsgPropsIssuerSerial) != c.warnName {
				t.Errorf("issuer/serial warning %v, want %v: %v", !c.warnName, c.warnName, s.Warnings)
			}
		})
	}
}

// TestDNStrings: X509IssuerName spellings that name one issuer, and others that do not
// (malformed strings never match and never panic).
func TestDNStrings(t *testing.T) {
	raw, err := asn1.Marshal(pkix.RDNSequence{
		{{Type: asn1.ObjectIdentifier{2, 5, 4, 6}, Value: "JP"}},
		{{Type: asn1.ObjectIdentifier{2, 5, 4, 10}, Value: "Example, Inc."}},
		{{Type: asn1.ObjectIdentifier{2, 5, 4, 3}, Value: "Test CA+1"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for s, want := range map[string]bool{
		`CN=Test CA\+1,O=Example\, Inc.,C=JP`:                   true,
		`C=JP; O="Example, Inc."; CN=Test CA\+1`:                true,
		`cn=test  ca\2B1 , o=example\2c inc. , c=jp`:            true,
		`2.5.4.3=#0C09546573742043412B31,O=Example\, Inc.,C=JP`: true,
		`OID.2.5.4.3=Test CA\+1,O=Example\, Inc.,C=JP`:          true,
		`CN=Test CA\+1,O=Example\, Inc.,C=US`:                   false,
		`CN=Test CA\+1,O=Example\, Inc.`:                        false,
		`CN=Test CA\+1,O=Example\, Inc.,C=JP,C=JP`:              false,
		``: false, `=`: false, `CN`: false, `CN=#zz`: false, `CN=#0C`: false, `\`: false, `CN=a\`: false, `"`: false,
	} {
		if got := sameDNString(s, raw); got != want {
			t.Errorf("sameDNString(%q) = %v", s, got)
		}
	}
}
