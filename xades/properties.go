package xades

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"
)

// XAdES qualifying properties (ETSI EN 319 132-1): building the SignedProperties of a
// baseline B-B signature, and reading them back from the element a signature's
// SignedProperties reference resolved to.

// issuerSerial is RFC 5035's IssuerSerial: the issuer as GeneralNames and the serial.
type issuerSerial struct {
	Issuer []asn1.RawValue
	Serial *big.Int
}

// issuerSerialV2 encodes a certificate's IssuerSerialV2 value (DER, for base64).
func issuerSerialV2(c *x509.Certificate) ([]byte, error) {
	return asn1.Marshal(issuerSerial{
		Issuer: []asn1.RawValue{{Class: asn1.ClassContextSpecific, Tag: 4, IsCompound: true, Bytes: c.RawIssuer}},
		Serial: c.SerialNumber,
	})
}

// matchesIssuerSerialV2 reports whether an IssuerSerialV2 value names the certificate.
func matchesIssuerSerialV2(der []byte, c *x509.Certificate) bool {
	var is issuerSerial
	rest, err := asn1.Unmarshal(der, &is)
	if err != nil || len(rest) != 0 || is.Serial == nil || is.Serial.Cmp(c.SerialNumber) != 0 {
		return false
	}
	for _, gn := range is.Issuer {
		if gn.Class == asn1.ClassContextSpecific && gn.Tag == 4 && sameName(gn.Bytes, c.RawIssuer) {
			return true
		}
	}
	return false
}

// sameName compares two DER-encoded Names, byte for byte or, failing that, by content.
func sameName(a, b []byte) bool {
	if bytes.Equal(a, b) {
		return true
	}
	var ra, rb pkix.RDNSequence
	if _, err := asn1.Unmarshal(a, &ra); err != nil {
		return false
	}
	if _, err := asn1.Unmarshal(b, &rb); err != nil {
		return false
	}
	return ra.String() == rb.String()
}

// xsdDateTime formats a signing time as xsd:dateTime in UTC.
func xsdDateTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

func parseXSDDateTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("SigningTime %q is not an xsd:dateTime", s)
}

// signedPropertiesXML renders xades:SignedProperties for a B-B signature (the
// QualifyingProperties element declares the xades and ds prefixes).
func signedPropertiesXML(id string, signingTime time.Time, cert *x509.Certificate, dataRefID string) (string, error) {
	certDigest := sha256.Sum256(cert.Raw)
	is, err := issuerSerialV2(cert)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(`<xades:SignedProperties Id="` + id + `">`)
	b.WriteString(`<xades:SignedSignatureProperties>`)
	b.WriteString(`<xades:SigningTime>` + xsdDateTime(signingTime) + `</xades:SigningTime>`)
	b.WriteString(`<xades:SigningCertificateV2><xades:Cert><xades:CertDigest>`)
	b.WriteString(`<ds:DigestMethod Algorithm="` + AlgSHA256 + `"/>`)
	b.WriteString(`<ds:DigestValue>` + base64.StdEncoding.EncodeToString(certDigest[:]) + `</ds:DigestValue>`)
	b.WriteString(`</xades:CertDigest>`)
	b.WriteString(`<xades:IssuerSerialV2>` + base64.StdEncoding.EncodeToString(is) + `</xades:IssuerSerialV2>`)
	b.WriteString(`</xades:Cert></xades:SigningCertificateV2>`)
	b.WriteString(`</xades:SignedSignatureProperties>`)
	// EN 319 132-1 baseline: the format of the signed data object (the document).
	b.WriteString(`<xades:SignedDataObjectProperties><xades:DataObjectFormat ObjectReference="#` + dataRefID + `">`)
	b.WriteString(`<xades:MimeType>text/xml</xades:MimeType></xades:DataObjectFormat></xades:SignedDataObjectProperties>`)
	b.WriteString(`</xades:SignedProperties>`)
	return b.String(), nil
}

// certRef is one xades:Cert of SigningCertificate(V2).
type certRef struct {
	digest       digestAlg
	digestValue  []byte
	issuerSerial []byte // V2 DER, when present
	serialV1     string // SigningCertificate (v1) X509SerialNumber, decimal
	issuerV1     string // SigningCertificate (v1) X509IssuerName, as written
}

// signedProps is what mynasign reads from a signature's SignedProperties.
type signedProps struct {
	signingTime *time.Time
	certRefs    []certRef
	v2          bool
	// objectRefs are the ObjectReference attributes of DataObjectFormat elements.
	objectRefs []string
	// unsupportedDigest is a CertDigest algorithm outside the allow-list: the signing
	// certificate reference cannot be checked (certRefs is then empty).
	unsupportedDigest string
}

func isXAdESNS(uri string) bool { return uri == NSXAdES || uri == NSXAdES141 }

func xadesChild(n *node, local string) []*node {
	var out []*node
	for _, c := range n.elements() {
		if c.local == local && isXAdESNS(c.uri) {
			out = append(out, c)
		}
	}
	return out
}

// readSignedProps reads SigningTime and SigningCertificate(V2) from the SignedProperties
// element sp (the one the signature's reference resolved to).
func readSignedProps(sp *node) (*signedProps, error) {
	out := &signedProps{}
	for _, sdop := range xadesChild(sp, "SignedDataObjectProperties") {
		for _, dof := range xadesChild(sdop, "DataObjectFormat") {
			ref, ok := dof.attrValue("ObjectReference")
			if !ok {
				return nil, errors.New("DataObjectFormat without ObjectReference")
			}
			out.objectRefs = append(out.objectRefs, ref)
		}
	}
	ssps := xadesChild(sp, "SignedSignatureProperties")
	if len(ssps) > 1 {
		return nil, errors.New("more than one SignedSignatureProperties")
	}
	if len(ssps) == 0 {
		return out, nil
	}
	ssp := ssps[0]
	if st := xadesChild(ssp, "SigningTime"); len(st) > 1 {
		return nil, errors.New("more than one SigningTime")
	} else if len(st) == 1 {
		t, err := parseXSDDateTime(st[0].text())
		if err != nil {
			return nil, err
		}
		out.signingTime = &t
	}
	v1 := xadesChild(ssp, "SigningCertificate")
	v2 := xadesChild(ssp, "SigningCertificateV2")
	if len(v1)+len(v2) > 1 {
		return nil, errors.New("more than one SigningCertificate")
	}
	var sc *node
	switch {
	case len(v2) == 1:
		sc, out.v2 = v2[0], true
	case len(v1) == 1:
		sc = v1[0]
	default:
		return out, nil
	}
	for _, c := range sc.elements() {
		if c.local != "Cert" || !isXAdESNS(c.uri) {
			return nil, fmt.Errorf("unexpected %s in %s", c.local, sc.local)
		}
		ref, unsupported, err := readCertRef(c, out.v2)
		if err != nil {
			return nil, err
		}
		if unsupported != "" {
			out.unsupportedDigest = unsupported
			continue
		}
		out.certRefs = append(out.certRefs, ref)
	}
	if out.unsupportedDigest != "" {
		// Which Cert is the signer's cannot be told without every digest.
		out.certRefs = nil
		return out, nil
	}
	if len(out.certRefs) == 0 {
		return nil, errors.New("SigningCertificate without a Cert")
	}
	return out, nil
}

// readCertRef reads one Cert of a SigningCertificate (v2: SigningCertificateV2): its
// CertDigest and issuer serial. A digest algorithm this package does not know is
// returned as unsupported, with no reference.
func readCertRef(c *node, v2 bool) (ref certRef, unsupported string, err error) {
	cds := xadesChild(c, "CertDigest")
	if len(cds) != 1 {
		return certRef{}, "", errors.New("Cert without exactly one CertDigest")
	}
	var dm, dv *node
	for _, e := range cds[0].elements() {
		switch {
		case e.is(NSDSig, "DigestMethod"):
			dm = e
		case e.is(NSDSig, "DigestValue"):
			dv = e
		}
	}
	if dm == nil || dv == nil {
		return certRef{}, "", errors.New("incomplete CertDigest")
	}
	alg, _ := dm.attrValue("Algorithm")
	d, ok := digestAlgs[alg]
	if !ok {
		return certRef{}, alg, nil
	}
	val, err := decodeBase64(dv.text())
	if err != nil || len(val) != d.hash.Size() {
		return certRef{}, "", errors.New("malformed CertDigest value")
	}
	ref.digest, ref.digestValue = d, val
	if err := ref.readIssuerSerial(c, v2); err != nil {
		return certRef{}, "", err
	}
	return ref, "", nil
}

// readIssuerSerial reads a Cert's IssuerSerialV2 (DER, v2) or IssuerSerial (issuer
// name and serial number as text), when present, into ref.
func (ref *certRef) readIssuerSerial(c *node, v2 bool) error {
	if v2 {
		if is := xadesChild(c, "IssuerSerialV2"); len(is) == 1 {
			der, err := decodeBase64(is[0].text())
			if err != nil {
				return errors.New("IssuerSerialV2 is not base64")
			}
			ref.issuerSerial = der
		}
		return nil
	}
	if is := xadesChild(c, "IssuerSerial"); len(is) == 1 {
		for _, e := range is[0].elements() {
			switch {
			case e.is(NSDSig, "X509SerialNumber"):
				ref.serialV1 = strings.TrimSpace(e.text())
			case e.is(NSDSig, "X509IssuerName"):
				ref.issuerV1 = strings.TrimSpace(e.text())
			}
		}
	}
	return nil
}
