package xades

import (
	"crypto/x509"
	"encoding/base64"
	"strings"

	"github.com/mynasign/mynasign/trust"
)

// Formats a long-term signature is reported at.
const (
	// FormatXAdESBLT: the signature carries certificate and revocation values that
	// covered every certificate of its path and verified.
	FormatXAdESBLT = "XAdES-B-LT"
)

// maxValidationValues bounds how many values of each kind are read from one signature.
const maxValidationValues = 64

// validationValues are the certificate and revocation values a signature carries in its
// unsigned signature properties (xades:CertificateValues, xades:RevocationValues): used
// by the trust policy only where they verify.
type validationValues struct {
	certs       []*x509.Certificate
	crls, ocsps [][]byte
}

// readValidationValues collects the values of the UnsignedSignatureProperties usp (its
// own, not those of a TimeStampValidationData, which are a time-stamp's). Values that
// cannot be decoded are skipped.
func (vv *validationValues) read(usp *node) {
	decoded := func(parent, list, item string) [][]byte {
		var out [][]byte
		for _, p := range xadesChild(usp, parent) {
			holders := []*node{p}
			if list != "" {
				holders = xadesChild(p, list)
			}
			for _, h := range holders {
				for _, el := range xadesChild(h, item) {
					if len(out) == maxValidationValues {
						return out
					}
					if der, err := decodeBase64(el.text()); err == nil && len(der) > 0 {
						out = append(out, der)
					}
				}
			}
		}
		return out
	}
	for _, der := range decoded("CertificateValues", "", "EncapsulatedX509Certificate") {
		if c, err := x509.ParseCertificate(der); err == nil {
			vv.certs = append(vv.certs, c)
		}
	}
	vv.crls = append(vv.crls, decoded("RevocationValues", "CRLValues", "EncapsulatedCRLValue")...)
	vv.ocsps = append(vv.ocsps, decoded("RevocationValues", "OCSPValues", "EncapsulatedOCSPValue")...)
}

// evidence is what the signature brings for its certificate's validation.
func (r *sigResult) evidence() trust.Evidence {
	others := append(append([]*x509.Certificate(nil), r.others...), r.values.certs...)
	return trust.Evidence{Others: others, Claimed: r.claimed, CRLs: r.values.crls, OCSPs: r.values.ocsps}
}

// longTermFormat reports XAdES-B-B and -B-T as XAdES-B-LT once their embedded values
// covered the path and verified.
func longTermFormat(format string, res *trust.SignerResult) string {
	if res.EmbeddedValidationData && (format == FormatXAdESBB || format == FormatXAdESBT) {
		return FormatXAdESBLT
	}
	return format
}

// unsignedPropertiesXML renders the UnsignedProperties (prefix "xades:") of a signature
// with Id id: its signature time-stamp (a base64 token; none when empty), then the
// certificates and CRLs of vd (none when nil). Nothing when there is neither.
func unsignedPropertiesXML(id, timestamp string, vd *trust.ValidationData) string {
	if timestamp == "" && vd == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString(`<xades:UnsignedProperties><xades:UnsignedSignatureProperties>`)
	if timestamp != "" {
		b.WriteString(`<xades:SignatureTimeStamp Id="` + escapeAttr(id) + `-sigts">`)
		b.WriteString(`<ds:CanonicalizationMethod xmlns:ds="` + NSDSig + `" Algorithm="` + AlgExcC14N + `"/>`)
		b.WriteString(`<xades:EncapsulatedTimeStamp>` + timestamp + `</xades:EncapsulatedTimeStamp></xades:SignatureTimeStamp>`)
	}
	if vd != nil {
		b.WriteString(`<xades:CertificateValues>`)
		for _, c := range vd.Certs {
			b.WriteString(`<xades:EncapsulatedX509Certificate>` + base64.StdEncoding.EncodeToString(c.Raw) + `</xades:EncapsulatedX509Certificate>`)
		}
		b.WriteString(`</xades:CertificateValues><xades:RevocationValues><xades:CRLValues>`)
		for _, der := range vd.CRLs {
			b.WriteString(`<xades:EncapsulatedCRLValue>` + base64.StdEncoding.EncodeToString(der) + `</xades:EncapsulatedCRLValue>`)
		}
		b.WriteString(`</xades:CRLValues></xades:RevocationValues>`)
	}
	b.WriteString(`</xades:UnsignedSignatureProperties></xades:UnsignedProperties>`)
	return b.String()
}
