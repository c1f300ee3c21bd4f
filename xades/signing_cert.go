package xades

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"fmt"
	"math/big"
	"slices"
	"strings"
)

// Matching SigningCertificate(V2) with the certificates of KeyInfo. A Cert names a
// certificate by its digest; the issuer and serial number next to it are a hint that
// cannot be checked against anything else (EN 319 132-1 lets verifiers identify the
// certificate by the digest alone). So the certificates are matched by digest, whatever
// the order of the Cert elements (a CA listed before the signer is common), and an
// issuer or serial number that does not name the matched certificate is a warning, not a
// reason to take another certificate or to call the signature broken.

// digestMatches reports whether the reference's digest is that of cert.
func (r *certRef) digestMatches(cert *x509.Certificate) bool {
	h := r.digest.hash.New()
	h.Write(cert.Raw)
	return bytes.Equal(h.Sum(nil), r.digestValue)
}

// issuerSerialMatches reports whether the issuer and serial number given with the
// reference (IssuerSerialV2, or SigningCertificate v1's X509IssuerName and
// X509SerialNumber) name cert; true when none are given.
func (r *certRef) issuerSerialMatches(cert *x509.Certificate) bool {
	if r.issuerSerial != nil && !matchesIssuerSerialV2(r.issuerSerial, cert) {
		return false
	}
	if r.serialV1 != "" {
		// xsd:integer: a sign, leading zeros and white space are allowed.
		n, ok := new(big.Int).SetString(strings.TrimPrefix(strings.TrimSpace(r.serialV1), "+"), 10)
		if !ok || n.Cmp(cert.SerialNumber) != 0 {
			return false
		}
	}
	if r.issuerV1 != "" && !sameDNString(r.issuerV1, cert.RawIssuer) {
		return false
	}
	return true
}

// findSigner picks the signing certificate among certs: one whose digest a Cert gives
// and whose key verifies the signature value. Without one, any certificate whose key
// verifies is returned with mismatch set (it is not the certificate the signed
// properties name); when none verifies, ok is false and signer is a named certificate
// (for the report) or nil. issuerDiffers says that the Cert matched by digest gives
// an issuer or serial number of another certificate.
func (p *signedProps) findSigner(certs []*x509.Certificate, verifies func(crypto.PublicKey) bool) (signer *x509.Certificate, ok, mismatch, issuerDiffers bool) {
	tried := map[*x509.Certificate]bool{}
	for i := range p.certRefs {
		ref := &p.certRefs[i]
		for _, c := range certs {
			if tried[c] || !ref.digestMatches(c) {
				continue
			}
			tried[c] = true
			if signer == nil {
				signer = c
			}
			if verifies(c.PublicKey) {
				return c, true, false, !ref.issuerSerialMatches(c)
			}
		}
	}
	for _, c := range certs {
		if !tried[c] && verifies(c.PublicKey) {
			return c, true, true, false
		}
	}
	return signer, false, false, false
}

// dnAttrNames are the short names RFC 4514 strings use for the usual attribute types,
// by OID; other types are compared by their dotted OID.
var dnAttrNames = map[string]string{
	"2.5.4.3": "CN", "2.5.4.4": "SN", "2.5.4.5": "SERIALNUMBER", "2.5.4.6": "C", "2.5.4.7": "L",
	"2.5.4.8": "ST", "2.5.4.9": "STREET", "2.5.4.10": "O", "2.5.4.11": "OU", "2.5.4.12": "T",
	"2.5.4.42": "GIVENNAME", "0.9.2342.19200300.100.1.25": "DC", "0.9.2342.19200300.100.1.1": "UID",
	"1.2.840.113549.1.9.1": "E",
}

// dnAttrAliases map other spellings of a type to the short name.
var dnAttrAliases = map[string]string{"EMAILADDRESS": "E", "EMAIL": "E", "S": "ST", "SURNAME": "SN", "G": "GIVENNAME"}

// sameDNString reports whether a distinguished name written as a string (X509IssuerName,
// RFC 4514 as various libraries write it) names the same issuer as the DER-encoded Name
// raw: the same attributes with the same values (case and repeated white space aside).
// How the attributes are grouped into RDNs and in which order is not compared: libraries
// write them last first (RFC 4514) or first first, and some (Go's pkix.Name.String) join
// RDNs of one type with "+".
func sameDNString(s string, raw []byte) bool {
	got, err := parseDNString(s)
	if err != nil {
		return false
	}
	var rdns pkix.RDNSequence
	if rest, err := asn1.Unmarshal(raw, &rdns); err != nil || len(rest) > 0 {
		return false
	}
	var want []string
	for _, rdn := range rdns {
		for _, atv := range rdn {
			t := atv.Type.String()
			if n, ok := dnAttrNames[t]; ok {
				t = n
			}
			want = append(want, t+"="+normDNValue(fmt.Sprint(atv.Value)))
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	return slices.Equal(got, want)
}

// parseDNString splits an RFC 4514 string into its attributes, each normalized as
// "TYPE=value"; "," and ";" (RFC 1779) separate RDNs, "+" attributes of one RDN.
func parseDNString(s string) ([]string, error) {
	var attrs []string
	var cur strings.Builder
	flush := func() error {
		a := strings.TrimSpace(cur.String())
		cur.Reset()
		t, v, ok := strings.Cut(a, "=")
		if !ok {
			return fmt.Errorf("no = in %q", a)
		}
		t = strings.ToUpper(strings.TrimSpace(t))
		t = strings.TrimPrefix(t, "OID.")
		if n, ok := dnAttrNames[t]; ok {
			t = n
		}
		if n, ok := dnAttrAliases[t]; ok {
			t = n
		}
		v = strings.TrimSpace(v)
		if strings.HasPrefix(v, "#") {
			// The value's BER encoding in hex (RFC 4514 §2.4): compared by its string.
			der, err := hex.DecodeString(v[1:])
			if err != nil {
				return fmt.Errorf("bad hex value in %q", a)
			}
			var val any
			if rest, err := asn1.Unmarshal(der, &val); err != nil || len(rest) > 0 {
				return fmt.Errorf("bad encoded value in %q", a)
			}
			v = fmt.Sprint(val)
		}
		attrs = append(attrs, t+"="+normDNValue(v))
		return nil
	}
	quoted := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			i++
			if i+1 < len(s) && isHex(s[i]) && isHex(s[i+1]) {
				b, _ := hex.DecodeString(s[i : i+2])
				cur.Write(b)
				i++
			} else {
				cur.WriteByte(s[i])
			}
		case c == '"':
			quoted = !quoted
		case !quoted && (c == ',' || c == ';' || c == '+'):
			if err := flush(); err != nil {
				return nil, err
			}
		default:
			cur.WriteByte(c)
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return attrs, nil
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// normDNValue compares attribute values as X.520 caseIgnoreMatch does, roughly: case
// folded, leading, trailing and repeated white space ignored.
func normDNValue(v string) string { return strings.ToLower(strings.Join(strings.Fields(v), " ")) }
