package pdf

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"testing"

	"github.com/digitorus/pkcs7"

	"github.com/mynasign/mynasign/internal/cms"
	"github.com/mynasign/mynasign/internal/testpki"
	"github.com/mynasign/mynasign/trust"
)

// oidBytes is the DER of an OBJECT IDENTIFIER.
func oidBytes(t *testing.T, oid asn1.ObjectIdentifier) []byte {
	t.Helper()
	b, err := asn1.Marshal(oid)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCannotEvaluateIsIndeterminate checks the verifier's rule check by check: what
// cannot be evaluated is INDETERMINATE with its reason and integrity unknown; only a
// proof is TOTAL-FAILED.
func TestCannotEvaluateIsIndeterminate(t *testing.T) {
	pol := testPolicy(t)
	per := testPersona(t, "valid")
	in := makePDF(t, docSpec{})
	ours := func(signed []byte) []byte {
		d := sha256.Sum256(signed)
		sp := cms.SignParams{Certificate: per.SignCert, ContentDigest: d[:], SigningCertificateV2: true}
		der, err := sp.Sign(per.SignKey)
		if err != nil {
			t.Fatal(err)
		}
		return der
	}
	// replaceLast replaces the last occurrence of old (in the SignerInfo, after the
	// certificates).
	replaceLast := func(der, old, new []byte) []byte {
		i := bytes.LastIndex(der, old)
		if i < 0 || len(old) != len(new) {
			t.Fatalf("% x not found", old)
		}
		out := bytes.Clone(der)
		copy(out[i:], new)
		return out
	}
	rsa := oidBytes(t, cms.OIDRSAEncryption)
	for _, c := range []struct {
		name      string
		subFilter string
		mk        func(signed []byte) []byte
		ind       trust.Indication
		sub       trust.SubIndication
		key       string
		integrity trust.Integrity
	}{
		{"unknown digest algorithm", "ETSI.CAdES.detached", func(s []byte) []byte {
			return bytes.ReplaceAll(ours(s), oidBytes(t, cms.OIDSHA256), oidBytes(t, asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 8}))
		}, trust.Indeterminate, trust.CryptoConstraintsFailure, MsgSigUnsupportedAlg, trust.IntegrityUnknown},
		{"unknown signature algorithm", "ETSI.CAdES.detached", func(s []byte) []byte {
			return replaceLast(ours(s), rsa, oidBytes(t, asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 3, 2}))
		}, trust.Indeterminate, trust.CryptoConstraintsFailure, MsgSigUnsupportedAlg, trust.IntegrityUnknown},
		{"signature algorithm disagrees with the digest", "ETSI.CAdES.detached", func(s []byte) []byte {
			return replaceLast(ours(s), rsa, oidBytes(t, cms.OIDSHA1WithRSA))
		}, trust.Indeterminate, trust.FormatFailure, MsgSigAlgMismatch, trust.IntegrityUnknown},
		{"RSA-PSS with default (SHA-1) parameters over a SHA-256 digest", "ETSI.CAdES.detached", func(s []byte) []byte {
			return replaceLast(ours(s), rsa, oidBytes(t, cms.OIDRSAPSS))
		}, trust.Indeterminate, trust.FormatFailure, MsgSigAlgMismatch, trust.IntegrityUnknown},
		{"not a CMS", "adbe.pkcs7.detached", func([]byte) []byte { return []byte{0x30, 0x03, 0x02, 0x01, 0x01} },
			trust.Indeterminate, trust.FormatFailure, MsgSigCMSMalformed, trust.IntegrityUnknown},
		{"signer certificate unreadable", "ETSI.CAdES.detached", func(s []byte) []byte {
			return unreadableCert(t, ours(s), per.SignCert.Raw)
		}, trust.Indeterminate, trust.NoSigningCertificateFound, MsgSigNoCertificate, trust.IntegrityUnknown},
		{"unknown SubFilter, not a CMS", "JP.Example", func([]byte) []byte { return []byte{0x04, 0x01, 0x00} },
			trust.Indeterminate, trust.FormatFailure, MsgSigUnsupportedFilter, trust.IntegrityUnknown},
		// The proofs.
		{"signature value changed", "ETSI.CAdES.detached", func(s []byte) []byte {
			der := ours(s)
			der[len(der)-5] ^= 1
			return der
		}, trust.TotalFailed, trust.SigCryptoFailure, MsgSigBadSignature, trust.IntegrityBroken},
		{"digest of other content", "ETSI.CAdES.detached", func(s []byte) []byte { return ours(append(s, 'x')) },
			trust.TotalFailed, trust.HashFailure, MsgSigDigestMismatch, trust.IntegrityBroken},
	} {
		t.Run(c.name, func(t *testing.T) {
			rep := verifyBytes(t, signWithCMS(t, in, c.subFilter, c.mk), pol)
			if len(rep.Signatures) != 1 {
				t.Fatalf("%d signatures", len(rep.Signatures))
			}
			s := rep.Signatures[0]
			if s.Indication != c.ind || s.SubIndication != c.sub || s.Summary.Key != c.key || s.Integrity() != c.integrity {
				t.Fatalf("%s/%s %v integrity %s; want %s/%s %s %s", s.Indication, s.SubIndication, s.Summary, s.Integrity(),
					c.ind, c.sub, c.key, c.integrity)
			}
		})
	}
}

// unreadableCert makes the certificate cert inside der unparseable, lengths unchanged.
func unreadableCert(t *testing.T, der, cert []byte) []byte {
	t.Helper()
	i := bytes.Index(der, cert)
	if i < 0 {
		t.Fatal("certificate not in the CMS")
	}
	out := bytes.Clone(der)
	out[i+4] = 0x31 // the TBSCertificate's SEQUENCE tag
	return out
}

// A signer certificate that the CMS lacks is taken from the document's /DSS, with a
// warning; trust still comes only from the anchors.
func TestSignerCertificateFromDSS(t *testing.T) {
	pol := testPolicy(t)
	per := testPersona(t, "valid")
	in := makePDF(t, docSpec{})
	signed := signWithCMS(t, in, "ETSI.CAdES.detached", func(s []byte) []byte {
		d := sha256.Sum256(s)
		sp := cms.SignParams{Certificate: per.SignCert, ContentDigest: d[:], SigningCertificateV2: true}
		der, err := sp.Sign(per.SignKey)
		if err != nil {
			t.Fatal(err)
		}
		return unreadableCert(t, der, per.SignCert.Raw)
	})
	f, err := NewFile(bytes.NewReader(signed), int64(len(signed)))
	if err != nil {
		t.Fatal(err)
	}
	_, root, err := f.Catalog(f.Last())
	if err != nil {
		t.Fatal(err)
	}
	size, _ := IntOf(f.Trailer().Get("Size"))
	dss, certObj := int(size), int(size)+1
	catalog := serializeObj(t, signed, root.Num, func(d Dict) Dict {
		d.Set("DSS", Ref{Num: dss})
		return d
	})
	// A certificate with the signer's issuer and serial number but another key, as
	// anyone could add to a /DSS later.
	decoy := sameIssuerSerial(t, per.SignCert)
	withCerts := func(certs ...[]byte) []byte {
		objs := map[int]string{root.Num: catalog}
		refs := ""
		for i, c := range certs {
			objs[certObj+i] = fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(c), c)
			refs += fmt.Sprintf(" %d 0 R", certObj+i)
		}
		objs[dss] = "<< /Certs [" + refs + " ] >>"
		return appendUpdate(t, signed, objs, "")
	}
	for name, doc := range map[string][]byte{
		"signer's certificate":           withCerts(per.SignCert.Raw),
		"decoy first, then the signer's": withCerts(decoy.Raw, per.SignCert.Raw),
	} {
		rep := verifyBytes(t, doc, pol)
		requirePassed(t, rep, 1)
		if !hasWarning(rep.Signatures[0], MsgWarnCertFromDSS) {
			t.Fatalf("%s: warnings %v, want %s", name, rep.Signatures[0].Warnings, MsgWarnCertFromDSS)
		}
	}
	// Only the decoy: which certificate signed is unknown — not a broken signature.
	if s := verifyBytes(t, withCerts(decoy.Raw), pol).Signatures[0]; s.Indication != trust.Indeterminate ||
		s.SubIndication != trust.NoSigningCertificateFound || s.Integrity() != trust.IntegrityUnknown {
		t.Fatalf("decoy only: %s/%s integrity %s", s.Indication, s.SubIndication, s.Integrity())
	}
	// Without the /DSS the signer certificate is missing: INDETERMINATE, not broken.
	s := verifyBytes(t, signed, pol).Signatures[0]
	if s.Indication != trust.Indeterminate || s.SubIndication != trust.NoSigningCertificateFound {
		t.Fatalf("without DSS: %s/%s", s.Indication, s.SubIndication)
	}
}

// A CMS with two SignerInfos (made by another producer) is reported signer by signer.
func TestSeveralSignerInfos(t *testing.T) {
	pol := testPolicy(t)
	in := makePDF(t, docSpec{})
	first, second := testPersona(t, "valid"), testPersona(t, "revoked")
	room := personaOptions(t, "valid", PAdES) // a placeholder with room for a second signer
	room.Chain = append(testpki.SignCAs(), second.SignCert, second.SignCert)
	doc := signWithCMSOptions(t, in, "adbe.pkcs7.detached", room, func(signed []byte) []byte {
		sd, err := pkcs7.NewSignedData(signed)
		if err != nil {
			t.Fatal(err)
		}
		sd.SetDigestAlgorithm(pkcs7.OIDDigestAlgorithmSHA256)
		for _, p := range []*testpki.Persona{first, second} {
			if err := sd.AddSigner(p.SignCert, p.SignKey, pkcs7.SignerInfoConfig{}); err != nil {
				t.Fatal(err)
			}
		}
		sd.Detach()
		der, err := sd.Finish()
		if err != nil {
			t.Fatal(err)
		}
		return der
	})
	rep := verifyBytes(t, doc, pol)
	if len(rep.Signatures) != 2 {
		t.Fatalf("%d signatures, want 2", len(rep.Signatures))
	}
	for i, want := range []trust.Indication{trust.TotalPassed, trust.TotalFailed} {
		s := rep.Signatures[i]
		if s.Indication != want || !s.Intact || !hasWarning(s, MsgWarnSeveralSigners) {
			t.Errorf("signer %d (%s): %s/%s intact=%v warnings %v", i+1, s.ID, s.Indication, s.SubIndication, s.Intact, s.Warnings)
		}
	}
	if rep.Signatures[1].SubIndication != trust.Revoked || rep.Signatures[0].ID == rep.Signatures[1].ID {
		t.Errorf("second signer: %s/%s, ids %q %q", rep.Signatures[1].Indication, rep.Signatures[1].SubIndication,
			rep.Signatures[0].ID, rep.Signatures[1].ID)
	}
}

// sameIssuerSerial issues, with the test signature CA's key, a certificate with cert's
// issuer, serial number and subject but a fresh key.
func sameIssuerSerial(t *testing.T, cert *x509.Certificate) *x509.Certificate {
	t.Helper()
	caKey, err := testpki.CAKey("sign-ca-2023")
	if err != nil {
		t.Fatal(err)
	}
	ca, err := testpki.CACert("sign-ca-2023")
	if err != nil {
		t.Fatal(err)
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: cert.SerialNumber, Subject: cert.Subject, NotBefore: cert.NotBefore,
		NotAfter: cert.NotAfter, KeyUsage: cert.KeyUsage}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	if string(c.RawIssuer) != string(cert.RawIssuer) {
		t.Fatal("the decoy has another issuer")
	}
	return c
}
