package pdf

import (
	"crypto/x509"

	"github.com/mynasign/mynasign/internal/tsp"
)

// verifiedToken is a signature time-stamp token as tsp.Verify found it: tok is nil only
// when it could not be read at all.
type verifiedToken struct {
	tok *tsp.Token
	err error
}

// maxSignatureTimestamps bounds the signature time-stamps read from one SignerInfo (its
// unsigned attributes are anyone's to add to).
const maxSignatureTimestamps = 8

// signatureTimestamps verifies the RFC 3161 signature time-stamp tokens a SignerInfo
// carries as unsigned attributes (CAdES id-aa-signatureTimeStampToken), the first
// maxSignatureTimestamps of them: each must imprint the signature value and verify with
// the certificate it names, found in the token or in more (the document's /DSS
// certificates). Whether their authorities are trusted is decided later
// (trust.Policy.CheckTimestampToken).
func signatureTimestamps(tokens [][]byte, signature []byte, more []*x509.Certificate) []verifiedToken {
	tokens = tokens[:min(len(tokens), maxSignatureTimestamps)]
	out := make([]verifiedToken, 0, len(tokens))
	for _, der := range tokens {
		tok, err := tsp.Verify(der, signature, more)
		out = append(out, verifiedToken{tok: tok, err: err})
	}
	return out
}

// anyVerified reports whether one of the tokens verified.
func anyVerified(tokens []verifiedToken) bool {
	for _, t := range tokens {
		if t.err == nil {
			return true
		}
	}
	return false
}
