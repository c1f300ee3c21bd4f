package pdf

import (
	"bytes"
	"crypto/x509"
	"slices"

	"github.com/mynasign/mynasign/internal/cms"
	"github.com/mynasign/mynasign/internal/tsp"
	"github.com/mynasign/mynasign/trust"
)

// maxSignatureTimestamps bounds the signature time-stamps read from one SignerInfo (its
// unsigned attributes are anyone's to add to).
const maxSignatureTimestamps = 8

// signatureTimestamps verifies the RFC 3161 signature time-stamp tokens a SignerInfo
// carries as unsigned attributes (CAdES id-aa-signatureTimeStampToken), the first
// maxSignatureTimestamps of them: each must imprint the signature value and verify with
// the certificate it names, found in the token or in more (the document's /DSS
// certificates). Whether their authorities are trusted is decided later
// (trust.Policy.CheckTimestampToken).
func signatureTimestamps(tokens [][]byte, signature []byte, more []*x509.Certificate) []tsp.Checked {
	tokens = tokens[:min(len(tokens), maxSignatureTimestamps)]
	out := make([]tsp.Checked, 0, len(tokens))
	for _, der := range tokens {
		tok, err := tsp.Verify(der, signature, more)
		out = append(out, tsp.Checked{Token: tok, Err: err})
	}
	return out
}

// withTimestampData adds to vd what the signature time-stamp of the CMS needs for
// long-term validation: its authority's certificate path and the CRLs of the local store
// that cover it (policy.ValidationData), when the store holds them; an authority trusted
// directly (its own certificate is the anchor) needs only its certificate. vd itself is
// not changed. Without a token, a policy or such data, vd is returned as it is: the
// signer's data is what B-LT requires, the authority's is added where it can be.
func withTimestampData(vd *trust.ValidationData, contents []byte, policy *trust.Policy) *trust.ValidationData {
	if policy == nil {
		return vd
	}
	sd, _, err := cms.Parse(contents)
	if err != nil || len(sd.Signers) != 1 {
		return vd
	}
	si := &sd.Signers[0]
	tokens := si.UnsignedAttr(cms.OIDAttrTimeStampToken)
	if len(tokens) != 1 {
		return vd
	}
	tok, err := tsp.Verify(tokens[0], si.Signature, nil)
	if err != nil {
		return vd
	}
	out := &trust.ValidationData{Certs: append([]*x509.Certificate(nil), vd.Certs...), CRLs: append([][]byte(nil), vd.CRLs...)}
	add := func(c *x509.Certificate) {
		for _, have := range out.Certs {
			if have.Equal(c) {
				return
			}
		}
		out.Certs = append(out.Certs, c)
	}
	tsa, err := policy.ValidationData(tok.Certificate, tok.Certificates)
	if err != nil {
		add(tok.Certificate)
		return out
	}
	for _, c := range tsa.Certs {
		add(c)
	}
	for _, der := range tsa.CRLs {
		if !slices.ContainsFunc(out.CRLs, func(have []byte) bool { return bytes.Equal(have, der) }) {
			out.CRLs = append(out.CRLs, der)
		}
	}
	return out
}
