package xades

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mynasign/mynasign/trust"
)

// TestHostileLimits: documents that are cheap to write but expensive to verify hit a
// limit and say so, instead of running for a long time.
func TestHostileLimits(t *testing.T) {
	pol := testPolicy(t)

	var decls strings.Builder
	for i := range MaxNamespaces + 1 {
		fmt.Fprintf(&decls, ` xmlns:p%d="urn:%d"`, i, i)
	}
	var attrs strings.Builder
	for i := range MaxAttributes + 1 {
		fmt.Fprintf(&attrs, ` a%d="1"`, i)
	}
	for name, doc := range map[string]string{
		"namespaces in scope": "<a" + decls.String() + "/>",
		"attributes":          "<a" + attrs.String() + "/>",
	} {
		rep := Verify(name, []byte(doc), pol)
		if rep.Error == nil || rep.Error.Key != MsgDocMalformed || rep.Indication == trust.TotalPassed {
			t.Errorf("%s: %v", name, rep.Error)
		}
	}

	// More signatures than MaxSignatures: none is verified.
	sig := `<ds:Signature xmlns:ds="` + NSDSig + `"/>`
	rep := Verify("many.xml", []byte("<a>"+strings.Repeat(sig, MaxSignatures+1)+"</a>"), pol)
	if rep.Error == nil || rep.Error.Key != MsgDocTooManySignatures || len(rep.Signatures) != 0 {
		t.Errorf("too many signatures: %v, %d reports", rep.Error, len(rep.Signatures))
	}

	// One signature whose MaxReferences references each canonicalize the whole document:
	// the canonicalization budget stops it.
	var refs strings.Builder
	for range MaxReferences {
		refs.WriteString(`<ds:Reference URI=""><ds:Transforms><ds:Transform Algorithm="` + AlgExcC14N + `"/></ds:Transforms>` +
			`<ds:DigestMethod Algorithm="` + AlgSHA256 + `"/><ds:DigestValue>` + placeholderDigests(1)[0] + `</ds:DigestValue></ds:Reference>`)
	}
	doc := `<a><filler>` + strings.Repeat("x", 200<<10) + `</filler><ds:Signature xmlns:ds="` + NSDSig + `"><ds:SignedInfo>` +
		`<ds:CanonicalizationMethod Algorithm="` + AlgExcC14N + `"/><ds:SignatureMethod Algorithm="` + AlgRSASHA256 + `"/>` +
		refs.String() + `</ds:SignedInfo><ds:SignatureValue>AAAA</ds:SignatureValue></ds:Signature></a>`
	rep = Verify("work.xml", []byte(doc), pol)
	if len(rep.Signatures) != 1 || rep.Signatures[0].Summary.Key != MsgDocTooComplex || rep.Indication != trust.Indeterminate {
		t.Errorf("canonicalization budget: %s %+v", rep.Indication, rep.Signatures)
	}
}

// TestHostileXPath: an XPath transform whose every evaluation climbs a deep document,
// and Filter 2.0 expressions with many descendant steps, are stopped by the work budget
// (INDETERMINATE, too complex), quickly. The enveloped-signature idioms (one ancestor
// step) are remembered per element and stay cheap on the same document.
func TestHostileXPath(t *testing.T) {
	pol := testPolicy(t)
	deep := strings.Repeat("<d>", MaxDepth-10) + strings.Repeat("<e/>", 60000) + strings.Repeat("</d>", MaxDepth-10)
	xpath := func(expr string) string {
		return `<ds:Transform Algorithm="` + AlgXPath + `"><ds:XPath>` + expr + `</ds:XPath></ds:Transform>`
	}
	for _, c := range []struct {
		name, transform string
		key             string
	}{
		{"xpath", xpath("not(ancestor-or-self::*[@Id='none']/self::*)"), MsgDocTooComplex},
		{"filter2", `<ds:Transform Algorithm="` + AlgXPathFilter2 + `">` +
			strings.Repeat(`<f:XPath xmlns:f="`+AlgXPathFilter2+`" Filter="intersect">`+strings.Repeat("//d", 60)+`</f:XPath>`, 40) +
			`</ds:Transform>`, MsgDocTooComplex},
		{"idiom", xpath("not(ancestor-or-self::*[@Id='none'])"), MsgSigNoKey},
	} {
		doc := `<a>` + deep + `<ds:Signature xmlns:ds="` + NSDSig + `"><ds:SignedInfo>` +
			`<ds:CanonicalizationMethod Algorithm="` + AlgExcC14N + `"/><ds:SignatureMethod Algorithm="` + AlgRSASHA256 + `"/>` +
			`<ds:Reference URI=""><ds:Transforms>` + c.transform + `</ds:Transforms><ds:DigestMethod Algorithm="` + AlgSHA256 + `"/><ds:DigestValue>` +
			placeholderDigests(1)[0] + `</ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue>AAAA</ds:SignatureValue></ds:Signature></a>`
		start := time.Now()
		rep := Verify(c.name+".xml", []byte(doc), pol)
		if len(rep.Signatures) != 1 || rep.Signatures[0].Summary.Key != c.key || rep.Indication != trust.Indeterminate {
			t.Errorf("%s: %s %+v", c.name, rep.Indication, rep.Signatures)
		}
		t.Logf("%s: %v", c.name, time.Since(start))
		if d := time.Since(start); d > 20*time.Second {
			t.Errorf("%s: %v", c.name, d)
		}
	}
}

// TestDeepNesting: a document nested as deep as the parser accepts, many times over, is
// signed and verified (bounded time and memory: nothing in the tree or the
// canonicalizers is quadratic in the depth); one level more is refused; and nesting with
// a new namespace declaration at every level — where every element would carry its own
// copy of a scope that grows with the depth — is refused once the copies add up.
func TestDeepNesting(t *testing.T) {
	pol := testPolicy(t)
	chain := func(b *strings.Builder, depth int, open func(i int) string, close string) {
		for i := range depth {
			b.WriteString(open(i))
		}
		b.WriteString("x")
		for range depth {
			b.WriteString(close)
		}
	}
	var deep strings.Builder
	deep.WriteString("<r>")
	for deep.Len() < 2<<20 {
		chain(&deep, MaxDepth-1, func(int) string { return "<d>" }, "</d>")
	}
	deep.WriteString("</r>")
	signed, err := SignXAdES([]byte(deep.String()), personaOpts(t, "valid"))
	if err != nil {
		t.Fatalf("sign at depth %d: %v", MaxDepth, err)
	}
	if rep := Verify("deep.xml", signed, pol); rep.Indication != trust.TotalPassed {
		t.Errorf("depth %d: %s %v", MaxDepth, rep.Indication, rep.Error)
	}

	var tooDeep strings.Builder
	tooDeep.WriteString("<r>")
	chain(&tooDeep, MaxDepth, func(int) string { return "<d>" }, "</d>")
	tooDeep.WriteString("</r>")
	if rep := Verify("too-deep.xml", []byte(tooDeep.String()), pol); rep.Error == nil || rep.Error.Key != MsgDocTooDeep {
		t.Errorf("depth %d: %v", MaxDepth+1, rep.Error)
	}
	if _, err := SignXAdES([]byte(tooDeep.String()), personaOpts(t, "valid")); err == nil {
		t.Errorf("depth %d signed", MaxDepth+1)
	}

	var decls strings.Builder
	decls.WriteString("<r>")
	for decls.Len() < 1<<20 {
		chain(&decls, MaxDepth-1, func(i int) string { return fmt.Sprintf(`<d xmlns:p%d="urn:x">`, i) }, "</d>")
	}
	decls.WriteString("</r>")
	if rep := Verify("nested-declarations.xml", []byte(decls.String()), pol); rep.Error == nil || rep.Error.Key != MsgDocMalformed {
		t.Errorf("a declaration at every level: %v", rep.Error)
	}

	// The same declaration repeated on every level changes no scope and costs nothing.
	var same strings.Builder
	same.WriteString(`<r xmlns="urn:x">`)
	for same.Len() < 1<<20 {
		chain(&same, MaxDepth-1, func(int) string { return `<d xmlns="urn:x" xmlns:p="urn:p">` }, "</d>")
	}
	same.WriteString("</r>")
	if rep := Verify("repeated-declarations.xml", []byte(same.String()), pol); rep.Error != nil || len(rep.Signatures) != 0 {
		t.Errorf("a repeated declaration at every level: %v", rep.Error)
	}
}
