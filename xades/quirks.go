package xades

import (
	"bytes"
	"sort"
)

// Known signer defects that leave a signature value over something else than the
// canonical SignedInfo. A value that verifies only over such a form is not intact (the
// document's SignedInfo is not what was signed, byte for byte), but it is no proof of
// a broken signature either: the outcome is INDETERMINATE with a message naming the
// defect, never TOTAL-FAILED.

// hoistedNamespacesForm is the SignedInfo that xmldsigjs (and so xadesjs) signs under
// inclusive canonicalization: every namespace declared below SignedInfo (e.g. the pss
// prefix of RSAPSSParams) is declared on SignedInfo itself. It returns nil when that
// form cannot differ from canonical (exclusive canonicalization, no such declaration,
// or one prefix bound to two namespaces).
func hoistedNamespacesForm(canonical []byte, m c14nMethod) []byte {
	if m.exclusive || !bytes.Contains(canonical[1:], []byte(" xmlns")) {
		return nil
	}
	doc, err := parseDocument(canonical)
	if err != nil {
		return nil
	}
	root := doc.root.elements()
	if len(root) != 1 {
		return nil
	}
	si := root[0]
	bound := map[string]string{}
	for _, d := range si.decls {
		bound[d.prefix] = d.uri
	}
	var add []nsBinding
	ok := true
	walkElements(si, func(e *node) bool {
		if e == si {
			return true
		}
		for _, d := range e.decls {
			if u, seen := bound[d.prefix]; seen {
				if u != d.uri {
					ok = false
				}
				continue
			}
			bound[d.prefix] = d.uri
			add = append(add, d)
		}
		return ok
	})
	if !ok || len(add) == 0 {
		return nil
	}
	sort.Slice(add, func(i, j int) bool { return add[i].prefix < add[j].prefix })
	var decl bytes.Buffer
	for _, d := range add {
		decl.WriteString(" xmlns")
		if d.prefix != "" {
			decl.WriteString(":" + d.prefix)
		}
		decl.WriteString(`="` + escapeAttr(d.uri) + `"`)
	}
	// The apex's start tag: "<" qname, then its declarations and attributes.
	at := 1 + len(si.qname())
	src := append(append(append([]byte{}, canonical[:at]...), decl.Bytes()...), canonical[at:]...)
	alt, err := parseDocument(src)
	if err != nil {
		return nil
	}
	var out bytes.Buffer
	if err := canonicalize(&out, alt.root.elements()[0], &subtreeSet{comments: m.comments}, m); err != nil {
		return nil
	}
	if bytes.Equal(out.Bytes(), canonical) {
		return nil
	}
	return out.Bytes()
}
