package xades

import (
	"strings"
	"testing"
)

// The canonical SignatureValue a time-stamp imprints follows the time-stamp's own
// canonicalization: exclusive C14N renders a namespace of the PrefixList that is in scope
// but not used, and leaves it out without one; Canonical XML 1.0 (the default) renders it.
func TestSignatureValueC14NPrefixList(t *testing.T) {
	doc, err := parseFull(`<r xmlns:a="urn:a"><ds:Signature xmlns:ds="` + NSDSig + `"><ds:SignedInfo/><ds:SignatureValue>AA==</ds:SignatureValue></ds:Signature></r>`)
	if err != nil {
		t.Fatal(err)
	}
	sig := signatureElements(doc)[0]
	for _, c := range []struct {
		uri, prefixes string
		withA         bool
	}{{AlgExcC14N, "", false}, {AlgExcC14N, "a", true}, {"", "", true}, {AlgC14N10, "a", true}} {
		b, err := signatureValueC14N(sig, c.uri, c.prefixes)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(string(b), `xmlns:a="urn:a"`); got != c.withA {
			t.Errorf("%q with PrefixList %q: %s", c.uri, c.prefixes, b)
		}
	}
}
