package pdf

import (
	"encoding/asn1"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/mynasign/mynasign/internal/cms"
	"github.com/mynasign/mynasign/trust"
)

// oidRevocationInfoArchival is Acrobat's adbe-revocationInfoArchival signed attribute.
var oidRevocationInfoArchival = asn1.ObjectIdentifier{1, 2, 840, 113583, 1, 1, 8}

// archivedRevocation returns the CRLs and OCSP responses of the signer's
// adbe-revocationInfoArchival signed attribute (DER, unverified):
//
//	RevocationInfoArchival ::= SEQUENCE {
//	  crl          [0] EXPLICIT SEQUENCE OF CRLs OPTIONAL,
//	  ocsp         [1] EXPLICIT SEQUENCE OF OCSPResponse OPTIONAL,
//	  otherRevInfo [2] EXPLICIT SEQUENCE OF OtherRevInfo OPTIONAL }
//
// A value that cannot be read gives nothing: what it would have said stays unknown.
func archivedRevocation(si *cms.SignerInfo) (crls, ocsps [][]byte) {
	if si == nil {
		return nil, nil
	}
	values, count := si.Attr(oidRevocationInfoArchival)
	if count != 1 || len(values) != 1 {
		return nil, nil
	}
	in := cryptobyte.String(values[0])
	var seq cryptobyte.String
	if !in.ReadASN1(&seq, cbasn1.SEQUENCE) || !in.Empty() {
		return nil, nil
	}
	read := func(tag int) [][]byte {
		var field, list cryptobyte.String
		var present bool
		if !seq.ReadOptionalASN1(&field, &present, cbasn1.Tag(tag).Constructed().ContextSpecific()) || !present {
			return nil
		}
		if !field.ReadASN1(&list, cbasn1.SEQUENCE) {
			return nil
		}
		var out [][]byte
		for !list.Empty() {
			var el cryptobyte.String
			if !list.ReadASN1Element(&el, cbasn1.SEQUENCE) {
				return out
			}
			out = append(out, []byte(el))
		}
		return out
	}
	crls = read(0)
	ocsps = read(1)
	return crls, ocsps
}

// longTermFormat is the format a signature is reported at once its certificate was
// checked: PAdES-B-B or -B-T become PAdES-B-LT when the validation data the document
// carries (the /DSS, or the CMS's archived revocation information) covered every
// certificate of the path and verified.
func longTermFormat(format string, res *trust.SignerResult) string {
	if res.EmbeddedValidationData && (format == "PAdES-B-B" || format == "PAdES-B-T") {
		return "PAdES-B-LT"
	}
	return format
}
