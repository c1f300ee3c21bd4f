package trust

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"strings"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// JPKI certificate policies (jpki-card.md §7).
var (
	// OIDPolicyJPKISign is the policy of a real JPKI signature certificate.
	OIDPolicyJPKISign = asn1.ObjectIdentifier{1, 2, 392, 200149, 8, 5, 1, 1, 20}
	// OIDPolicyJPKITest is the policy of a test card's signature certificate.
	OIDPolicyJPKITest = asn1.ObjectIdentifier{1, 2, 392, 200149, 8, 5, 1, 0, 20}
)

// Extension OIDs this package reads itself.
var (
	oidExtSAN   = asn1.ObjectIdentifier{2, 5, 29, 17}
	oidExtCRLDP = asn1.ObjectIdentifier{2, 5, 29, 31}
)

// JPKIProfile is what a certificate says about itself, read without trusting it: the
// JPKI personal data, kind, policies and CRL partition. Chain building (Policy.CheckSigner)
// decides whether any of it can be believed, and fixes Kind and Generation from the
// anchor the certificate chains to.
type JPKIProfile struct {
	// Kind from the certificate's shape: the issuer name (JPKI for digital signature / user
	// authentication) or a JPKI policy. Policy.CheckSigner replaces it with the kind of the
	// anchor the certificate chains to.
	Kind CertKind
	// Test is true when the certificate carries the JPKI test policy.
	Test bool
	// Policies lists the certificatePolicies OIDs.
	Policies []string
	// Personal is the subjectAltName personal data; nil when the certificate has no
	// subjectAltName extension.
	Personal *PersonalData
	// CRLDistributionPoints holds the directory names (DER) of the cRLDistributionPoints'
	// full names: a JPKI signature certificate's CRL partition.
	CRLDistributionPoints [][]byte
	// CRLDPNames are the same as RFC 4514 strings, for display.
	CRLDPNames []string
	// Problems lists what could not be read (the personal data's problems included).
	Problems []Message
}

// ParseJPKIProfile reads the JPKI-specific content of cert. It never fails; what is
// missing or malformed is listed in Problems.
func ParseJPKIProfile(cert *x509.Certificate) *JPKIProfile {
	p := &JPKIProfile{Kind: KindNotJPKI}
	for _, pol := range cert.PolicyIdentifiers {
		p.Policies = append(p.Policies, pol.String())
		if pol.Equal(OIDPolicyJPKITest) {
			p.Test = true
		}
	}
	issuer := cert.Issuer.OrganizationalUnit
	for _, ou := range issuer {
		switch {
		case strings.HasPrefix(ou, "JPKI for digital signature"):
			p.Kind = KindSignature
		case strings.HasPrefix(ou, "JPKI for user authentication"):
			p.Kind = KindAuthentication
		}
	}
	if p.Kind == KindNotJPKI {
		for _, pol := range cert.PolicyIdentifiers {
			if pol.Equal(OIDPolicyJPKISign) || pol.Equal(OIDPolicyJPKITest) {
				p.Kind = KindSignature
			}
		}
	}
	for _, ext := range cert.Extensions {
		switch {
		case ext.Id.Equal(oidExtSAN):
			// A non-JPKI certificate's subjectAltName (DNS names, e-mail addresses) is not
			// personal data in the JPKI sense: keep it out of the profile.
			if pd := ParsePersonalData(ext.Value); p.Kind != KindNotJPKI || pd.HasPersonalData() {
				p.Personal = pd
			}
		case ext.Id.Equal(oidExtCRLDP):
			names, ok := parseCRLDPDirectoryNames(ext.Value, cert.RawIssuer)
			if !ok {
				p.Problems = append(p.Problems, problem(MsgCertCRLDPMalformed))
			}
			p.CRLDistributionPoints = names
			for _, n := range names {
				p.CRLDPNames = append(p.CRLDPNames, nameString(n))
			}
		}
	}
	if p.Kind == KindSignature {
		if p.Personal == nil {
			p.Problems = append(p.Problems, problem(MsgSANMissing, oidExtSAN.String()))
		} else {
			// The flags are checked (and reported missing) with the text they belong to.
			for _, req := range []struct {
				suffix string
				oid    asn1.ObjectIdentifier
			}{{"1", oidJPKIName}, {"3", oidJPKISex}, {"4", oidJPKIBirthDate}, {"5", oidJPKIAddress}} {
				if !p.Personal.Present[req.suffix] {
					p.Problems = append(p.Problems, problem(MsgSANMissing, req.oid.String()))
				}
			}
		}
	}
	if p.Personal != nil {
		p.Problems = append(p.Problems, p.Personal.Problems...)
	}
	return p
}

// parseCRLDPDirectoryNames returns the directory names of the full names (or, for a
// nameRelativeToCRLIssuer, the issuer name extended by it) of every distribution point.
// Other kinds of names (URIs) are not needed by an offline verifier and are skipped.
func parseCRLDPDirectoryNames(der []byte, rawIssuer []byte) ([][]byte, bool) {
	in := cryptobyte.String(der)
	var dps cryptobyte.String
	if !in.ReadASN1(&dps, cbasn1.SEQUENCE) || !in.Empty() {
		return nil, false
	}
	var out [][]byte
	for !dps.Empty() {
		var dp cryptobyte.String
		if !dps.ReadASN1(&dp, cbasn1.SEQUENCE) {
			return out, false
		}
		var dpName cryptobyte.String
		var has bool
		if !dp.ReadOptionalASN1(&dpName, &has, cbasn1.Tag(0).Constructed().ContextSpecific()) {
			return out, false
		}
		if !has {
			continue // only a cRLIssuer: not a distribution point name we can match
		}
		names, ok := distributionPointNames(dpName, rawIssuer)
		if !ok {
			return out, false
		}
		out = append(out, names...)
	}
	return out, true
}

// distributionPointNames decodes a DistributionPointName (the content of its [0] tag):
// fullName [0] GeneralNames, or nameRelativeToCRLIssuer [1] RelativeDistinguishedName.
func distributionPointNames(dpName cryptobyte.String, rawIssuer []byte) ([][]byte, bool) {
	var inner cryptobyte.String
	var tag cbasn1.Tag
	if !dpName.ReadAnyASN1(&inner, &tag) || !dpName.Empty() {
		return nil, false
	}
	switch tag {
	case cbasn1.Tag(0).Constructed().ContextSpecific(): // fullName
		var out [][]byte
		for !inner.Empty() {
			var gn cryptobyte.String
			var gtag cbasn1.Tag
			if !inner.ReadAnyASN1Element(&gn, &gtag) {
				return out, false
			}
			if gtag != cbasn1.Tag(4).Constructed().ContextSpecific() { // directoryName
				continue
			}
			var name cryptobyte.String
			if !gn.ReadASN1(&name, gtag) || !name.ReadASN1Element(&name, cbasn1.SEQUENCE) {
				return out, false
			}
			out = append(out, []byte(name))
		}
		return out, true
	case cbasn1.Tag(1).Constructed().ContextSpecific(): // nameRelativeToCRLIssuer
		issuer := cryptobyte.String(rawIssuer)
		var rdns cryptobyte.String
		if !issuer.ReadASN1(&rdns, cbasn1.SEQUENCE) {
			return nil, false
		}
		var b cryptobyte.Builder
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddBytes(rdns)
			b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) { b.AddBytes(inner) })
		})
		full, err := b.Bytes()
		if err != nil {
			return nil, false
		}
		return [][]byte{full}, true
	default:
		return nil, false
	}
}

// distributionPointURIs returns the uniformResourceIdentifier names of a
// DistributionPointName's fullName (an HTTP or LDAP CRL location); none for a
// nameRelativeToCRLIssuer or a malformed name.
func distributionPointURIs(dpName cryptobyte.String) []string {
	var inner cryptobyte.String
	if !dpName.ReadASN1(&inner, cbasn1.Tag(0).Constructed().ContextSpecific()) {
		return nil
	}
	var out []string
	for !inner.Empty() {
		var gn cryptobyte.String
		var gtag cbasn1.Tag
		if !inner.ReadAnyASN1(&gn, &gtag) {
			return out
		}
		if gtag == cbasn1.Tag(6).ContextSpecific() { // uniformResourceIdentifier (IA5String)
			out = append(out, string(gn))
		}
	}
	return out
}

// nameString renders a DER Name as an RFC 4514 string, keeping its RDNs as they are
// (pkix.Name would merge repeated attributes such as the two L= of a JPKI subject).
func nameString(der []byte) string {
	var seq pkix.RDNSequence
	if rest, err := asn1.Unmarshal(der, &seq); err != nil || len(rest) != 0 {
		return "(unreadable name)"
	}
	return seq.String()
}

// keyUsageNames lists the keyUsage bits of c by their RFC 5280 names.
func keyUsageNames(ku x509.KeyUsage) []string {
	names := []string{"digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment",
		"keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly"}
	var out []string
	for i, n := range names {
		if ku&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return out
}
