package xades

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
)

// Fuzz targets of the transforms: the XPath subset's parser and evaluation (and, where
// the conformance tests' general evaluator understands the expression, the same answer
// for every node), XPath Filter 2.0, the base64 transform, and whole signatures using
// them. No panic, bounded work (every evaluation is charged to a budget), no crash.

func FuzzXPathSubset(f *testing.F) {
	for _, s := range []string{
		"not(ancestor-or-self::ds:Signature)", "not(ancestor-or-self::node()[@Id='s1'])", "self::text()",
		"@a:flag != 'no' or ancestor::a:*", "ancestor-or-self::*[not(@Id)][@a:flag='yes'] and ..",
		"//a:data | id('k1')//node()", "/r/*[@Id='o1']/self::*", "/", "//descendant-or-self::skip",
		"count(//x)", "here()", "not(not(not(true())))",
	} {
		f.Add(s)
	}
	doc := mustParse(f, transformDoc)
	var all []xpNode
	var walk func(n *node)
	walk = func(n *node) {
		all = append(all, treeNode(n))
		if n.kind == elementNode {
			for i := range n.attrs {
				all = append(all, xpNode{n: n, attr: i})
			}
			for _, b := range n.scope {
				all = append(all, xpNode{n: n, attr: -1, isNS: true, prefix: b.prefix})
			}
		}
		for _, c := range n.children {
			walk(c)
		}
	}
	walk(doc.root)
	f.Fuzz(func(t *testing.T, expr string) {
		if e, err := parseXPathBool(expr, doc.elem); err == nil {
			ev := &xpEval{work: &budget{left: 1 << 20}}
			oracle, oerr := compileXPath(expr, doc.elem)
			for _, x := range all {
				got := ev.boolean(e, x)
				if oerr != nil || ev.work.exceeded() || x.n.kind == documentNode {
					continue
				}
				v, err := oracle(oracleNode(x))
				if err == nil && v.toBool() != got {
					t.Fatalf("%q on %s: %v, the general evaluator says %v", expr, x.n.path(), got, v.toBool())
				}
			}
			set := &refSet{exprs: []xpExpr{e}, ev: ev}
			canonicalize(&bytes.Buffer{}, doc.root, set, c14nMethod{})
		}
		if u, err := parseXPathNodeSet(expr, doc.elem); err == nil {
			ev := &xpEval{work: &budget{left: 1 << 20}}
			marks := filter2Marks([]filter2Op{{op: "subtract", expr: u}, {op: "union", expr: u}}, doc, ev)
			if !ev.work.exceeded() {
				// (all - S) ∪ S = S ∪ everything outside S: every node.
				for i := 0; i < doc.count; i++ {
					if marks[i/64]&(1<<(i%64)) == 0 {
						t.Fatalf("%q: node %d left out of (all - S) | S", expr, i)
					}
				}
			}
		}
	})
}

// oracleNode is x in the general evaluator's model.
func oracleNode(x xpNode) xnode {
	switch {
	case x.attr >= 0:
		return xnode{n: x.n, kind: xAttr, ai: x.attr}
	case x.isNS:
		return xnode{n: x.n, kind: xNS, prefix: x.prefix}
	}
	return xOf(x.n)
}

func FuzzBase64Transform(f *testing.F) {
	f.Add([]byte("c2lnbmVk"))
	f.Add([]byte("c2ln\nbmVk\r\n ZA=="))
	f.Add([]byte("c2lnbmVkZA"))
	f.Add([]byte("===="))
	f.Fuzz(func(t *testing.T, in []byte) {
		out, err := decodeBase64Transform(in)
		if err != nil {
			return
		}
		if len(out) > len(in) {
			t.Fatalf("%d octets decoded from %d", len(out), len(in))
		}
		again, err := decodeBase64Transform([]byte(base64.StdEncoding.EncodeToString(out)))
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("does not round-trip: %q", in)
		}
	})
}

// FuzzVerifyTransforms: documents with signatures whose references use every transform
// (digest and signature values are not genuine: the transforms run all the same, before
// the signature value is checked).
func FuzzVerifyTransforms(f *testing.F) {
	fill := strings.NewReplacer("<ds:DigestValue/>", "<ds:DigestValue>"+strings.Repeat("A", 43)+"=</ds:DigestValue>",
		"<ds:SignatureValue/>", "<ds:SignatureValue>AAAA</ds:SignatureValue>")
	for _, c := range peerCases() {
		f.Add([]byte(fill.Replace(c.template)))
	}
	pol := testPolicy(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		checkReportInvariants(t, Verify("fuzz.xml", data, pol))
	})
}
