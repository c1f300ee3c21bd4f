// Package cms builds and parses the CMS SignedData (RFC 5652) that PDF signatures carry:
// detached, one signer, signed attributes in DER order. It is mynasign's own
// implementation; other libraries serve only as test oracles.
package cms

import (
	"crypto"
	"encoding/asn1"
	"errors"
	"fmt"
)

// Object identifiers.
var (
	OIDData               = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	OIDSignedData         = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	OIDTSTInfo            = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 1, 4}
	OIDAttrContentType    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	OIDAttrMessageDigest  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	OIDAttrSigningTime    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 5}
	OIDAttrSigningCert    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 12}
	OIDAttrSigningCertV2  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 47}
	OIDAttrTimeStampToken = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 14}
	OIDAttrAdbeRevocation = asn1.ObjectIdentifier{1, 2, 840, 113583, 1, 1, 8}
	OIDSHA1               = asn1.ObjectIdentifier{1, 3, 14, 3, 2, 26}
	OIDSHA224             = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 4}
	OIDSHA256             = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	OIDSHA384             = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}
	OIDSHA512             = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}
	OIDSHAKE256           = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 12}
	OIDRSAEncryption      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	OIDSHA1WithRSA        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 5}
	OIDSHA256WithRSA      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}
	OIDSHA384WithRSA      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 12}
	OIDSHA512WithRSA      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 13}
	OIDSHA224WithRSA      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 14}
	OIDRSAPSS             = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 10}
	OIDMGF1               = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 8}
	OIDECDSAWithSHA1      = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 1}
	OIDECDSAWithSHA224    = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 1}
	OIDECDSAWithSHA256    = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	OIDECDSAWithSHA384    = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 3}
	OIDECDSAWithSHA512    = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 4}
	OIDECPublicKey        = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	OIDEd25519            = asn1.ObjectIdentifier{1, 3, 101, 112}
	OIDEd448              = asn1.ObjectIdentifier{1, 3, 101, 113}
	OIDDSAWithSHA1        = asn1.ObjectIdentifier{1, 2, 840, 10040, 4, 3}
	OIDDSA                = asn1.ObjectIdentifier{1, 2, 840, 10040, 4, 1}
)

// HashByOID maps a digest algorithm identifier to a crypto.Hash.
func HashByOID(oid asn1.ObjectIdentifier) (crypto.Hash, bool) {
	switch {
	case oid.Equal(OIDSHA1):
		return crypto.SHA1, true
	case oid.Equal(OIDSHA224):
		return crypto.SHA224, true
	case oid.Equal(OIDSHA256):
		return crypto.SHA256, true
	case oid.Equal(OIDSHA384):
		return crypto.SHA384, true
	case oid.Equal(OIDSHA512):
		return crypto.SHA512, true
	}
	return 0, false
}

// OIDByHash is the inverse of HashByOID.
func OIDByHash(h crypto.Hash) (asn1.ObjectIdentifier, bool) {
	switch h {
	case crypto.SHA1:
		return OIDSHA1, true
	case crypto.SHA224:
		return OIDSHA224, true
	case crypto.SHA256:
		return OIDSHA256, true
	case crypto.SHA384:
		return OIDSHA384, true
	case crypto.SHA512:
		return OIDSHA512, true
	}
	return nil, false
}

// HashName is a short name for reports ("SHA-256").
func HashName(h crypto.Hash) string {
	switch h {
	case crypto.SHA1:
		return "SHA-1"
	case crypto.SHA224:
		return "SHA-224"
	case crypto.SHA256:
		return "SHA-256"
	case crypto.SHA384:
		return "SHA-384"
	case crypto.SHA512:
		return "SHA-512"
	}
	return h.String()
}

// ErrUnsupported marks an algorithm or structure this package does not handle.
var ErrUnsupported = errors.New("unsupported")

func unsupported(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrUnsupported, fmt.Sprintf(format, args...))
}
