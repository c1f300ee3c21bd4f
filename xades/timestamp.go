package xades

import (
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/mynasign/mynasign/internal/tsp"
	"github.com/mynasign/mynasign/trust"
)

// maxSignatureTimestamps bounds the signature time-stamps read from one signature.
const maxSignatureTimestamps = 8

// signatureValueC14N returns the canonical form of the ds:SignatureValue of sig, which a
// signature time-stamp imprints (ETSI EN 319 132-1 §5.3.4), under the method named by
// the URI (Canonical XML 1.0 when empty) with, for exclusive canonicalization, the
// InclusiveNamespaces PrefixList prefixes.
func signatureValueC14N(sig *node, uri, prefixList string) ([]byte, error) {
	if uri == "" {
		uri = AlgC14N10
	}
	m, ok := c14nByURI(uri)
	if !ok {
		return nil, fmt.Errorf("%w: canonicalization %s", tsp.ErrUnsupported, uri)
	}
	if m.exclusive && prefixList != "" {
		m = m.withPrefixList(prefixList)
	}
	var sv *node
	for _, el := range sig.elements() {
		if el.is(NSDSig, "SignatureValue") {
			sv = el
			break
		}
	}
	if sv == nil {
		return nil, tsp.ErrFormat
	}
	var b bytes.Buffer
	if err := canonicalize(&b, sv, &subtreeSet{comments: m.comments}, m); err != nil {
		return nil, fmt.Errorf("%w: %v", tsp.ErrFormat, err)
	}
	return b.Bytes(), nil
}

// stampSignatureValue sets the signature value of a signature template sig to value
// (base64) and has stamp time-stamp its canonical form (exclusive C14N, as the
// SignatureTimeStamp we write names). It returns the token in base64.
func stampSignatureValue(sig *node, value string, stamp func([]byte) ([]byte, error)) (string, error) {
	for _, el := range sig.elements() {
		if el.is(NSDSig, "SignatureValue") {
			el.first = &node{kind: textNode, parent: el, data: value}
		}
	}
	data, err := signatureValueC14N(sig, AlgExcC14N, "")
	if err != nil {
		return "", err
	}
	token, err := stamp(data)
	if err != nil {
		return "", newError(err, MsgSignTimestamp)
	}
	return base64.StdEncoding.EncodeToString(token), nil
}

// readSignatureTimestamps verifies the xades:SignatureTimeStamp elements of usp over the
// canonical form of sig's ds:SignatureValue: each encapsulated token must imprint it and
// verify (tsp.Verify; more are further certificates for the authority's certificate). It
// reads at most limit tokens (what is left of maxSignatureTimestamps for the signature).
func readSignatureTimestamps(sig, usp *node, more []*x509.Certificate, limit int) []tsp.Checked {
	var out []tsp.Checked
	for _, st := range xadesChild(usp, "SignatureTimeStamp") {
		if len(out) >= limit {
			return out
		}
		uri, prefixes := "", ""
		for _, el := range st.elements() {
			if el.is(NSDSig, "CanonicalizationMethod") {
				uri, _ = el.attrValue("Algorithm")
				for _, c := range el.elements() {
					if c.is(AlgExcC14N, "InclusiveNamespaces") {
						prefixes, _ = c.attrValue("PrefixList")
					}
				}
			}
		}
		data, derr := signatureValueC14N(sig, uri, prefixes)
		for _, et := range xadesChild(st, "EncapsulatedTimeStamp") {
			if len(out) >= limit {
				return out
			}
			if derr != nil {
				out = append(out, tsp.Checked{Err: derr})
				continue
			}
			der, err := decodeBase64(et.text())
			if err != nil {
				out = append(out, tsp.Checked{Err: tsp.ErrFormat})
				continue
			}
			tok, err := tsp.Verify(der, data, more)
			out = append(out, tsp.Checked{Token: tok, Err: err})
		}
	}
	return out
}

// timestampProofs validates the authorities of the verified tokens (with what the
// signature carried, ev): the report entries, and the earliest proof of existence of the
// signature they give.
func timestampProofs(policy *trust.Policy, tokens []tsp.Checked, ev trust.Evidence) (*time.Time, []trust.TimestampReport) {
	var poe *time.Time
	var entries []trust.TimestampReport
	for _, c := range tokens {
		e, p := policy.CheckTimestampToken(c.Token, c.Err, ev)
		entries = append(entries, e)
		poe = trust.EarliestProof(poe, p)
	}
	return poe, entries
}
