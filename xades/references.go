package xades

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"
)

// What a ds:Reference may point at, and how its digest is computed. Same-document
// references are resolved only through unique identifiers of this document; file
// references (e-Gov) only to plain files of the same package folder. Nothing is ever
// fetched from elsewhere.

type transformKind int

const (
	tEnveloped    transformKind = iota + 1
	tNoSignatures               // the XPath idiom not(ancestor-or-self::ds:Signature)
	tC14N
)

type transform struct {
	kind transformKind
	c14n c14nMethod
	uri  string
}

// reference is one parsed ds:Reference.
type reference struct {
	el          *node
	uri         string
	typ         string
	transforms  []transform
	digestURI   string
	digest      digestAlg
	digestValue []byte

	// Resolution.
	file     string // e-Gov: the package file the URI names ("" for same-document)
	apex     *node  // same-document: the document node or the element the URI resolved to
	comments bool   // the xpointer forms keep comments in the node-set
}

// refError is a reason a reference cannot be processed.
type refError struct {
	key  string
	args []string
	err  error
}

func (e *refError) Error() string { return fmt.Sprintf("%s %v", e.key, e.args) }

// parseReference reads a ds:Reference's structure and algorithms (no resolution yet).
func parseReference(r *node) (*reference, *refError) {
	ref := &reference{el: r}
	uri, hasURI := r.attrValue("URI")
	if !hasURI {
		return nil, &refError{key: MsgSigStructure, args: []string{"Reference without URI"}}
	}
	ref.uri = uri
	ref.typ, _ = r.attrValue("Type")
	kids := r.elements()
	i := 0
	if i < len(kids) && kids[i].is(NSDSig, "Transforms") {
		for _, t := range kids[i].elements() {
			if !t.is(NSDSig, "Transform") {
				return nil, &refError{key: MsgSigStructure, args: []string{"unexpected " + t.local + " in Transforms"}}
			}
			tr, err := parseTransform(t)
			if err != nil {
				return nil, err
			}
			ref.transforms = append(ref.transforms, tr)
		}
		i++
	}
	if i >= len(kids) || !kids[i].is(NSDSig, "DigestMethod") {
		return nil, &refError{key: MsgSigStructure, args: []string{"Reference without DigestMethod"}}
	}
	ref.digestURI, _ = kids[i].attrValue("Algorithm")
	d, ok := digestAlgs[ref.digestURI]
	if !ok {
		return nil, &refError{key: MsgSigAlgorithm, args: []string{"digest", ref.digestURI}}
	}
	ref.digest = d
	i++
	if i >= len(kids) || !kids[i].is(NSDSig, "DigestValue") {
		return nil, &refError{key: MsgSigStructure, args: []string{"Reference without DigestValue"}}
	}
	dv, err := decodeBase64(kids[i].text())
	if err != nil || len(dv) != d.hash.Size() {
		return nil, &refError{key: MsgSigStructure, args: []string{"malformed DigestValue"}}
	}
	ref.digestValue = dv
	if i+1 != len(kids) {
		return nil, &refError{key: MsgSigStructure, args: []string{"unexpected " + kids[i+1].local + " in Reference"}}
	}
	return ref, nil
}

var xpathNoSignature = regexp.MustCompile(`^not\(\s*ancestor-or-self::([A-Za-z_][A-Za-z0-9_.\-]*):Signature\s*\)$`)

func parseTransform(t *node) (transform, *refError) {
	alg, _ := t.attrValue("Algorithm")
	tr := transform{uri: alg}
	switch {
	case alg == AlgEnveloped:
		tr.kind = tEnveloped
	case alg == AlgXPath:
		// Only the well-known filter that removes signatures is accepted: it is what the
		// enveloped-signature transform does, written in XPath by some signers.
		var xp *node
		for _, c := range t.elements() {
			if c.is(NSDSig, "XPath") {
				xp = c
			}
		}
		if xp == nil {
			return tr, &refError{key: MsgSigAlgorithm, args: []string{"transform", alg}}
		}
		m := xpathNoSignature.FindStringSubmatch(strings.TrimSpace(xp.text()))
		if m == nil {
			return tr, &refError{key: MsgSigAlgorithm, args: []string{"transform", alg}}
		}
		if u, ok := xp.lookupNS(m[1]); !ok || u != NSDSig {
			return tr, &refError{key: MsgSigAlgorithm, args: []string{"transform", alg}}
		}
		tr.kind = tNoSignatures
	default:
		m, ok := c14nByURI(alg)
		if !ok {
			return tr, &refError{key: MsgSigAlgorithm, args: []string{"transform", alg}}
		}
		if m.exclusive {
			for _, c := range t.elements() {
				if c.is(AlgExcC14N, "InclusiveNamespaces") {
					pl, _ := c.attrValue("PrefixList")
					m = m.withPrefixList(pl)
				}
			}
		}
		tr.kind = tC14N
		tr.c14n = m
	}
	return tr, nil
}

var xpointerID = regexp.MustCompile(`^xpointer\(id\((?:'([^']*)'|"([^"]*)")\)\)$`)

// resolve finds what a reference's URI names. files is nil outside an e-Gov package.
func (ref *reference) resolve(doc *document, files packageFiles) *refError {
	uri := ref.uri
	switch {
	case uri == "":
		ref.apex = doc.root
		return nil
	case strings.HasPrefix(uri, "#"):
		frag := uri[1:]
		if frag == "xpointer(/)" {
			ref.apex, ref.comments = doc.root, true
			return nil
		}
		if m := xpointerID.FindStringSubmatch(frag); m != nil {
			frag = m[1] + m[2]
			ref.comments = true
		} else if strings.HasPrefix(frag, "xpointer(") {
			return &refError{key: MsgSigAlgorithm, args: []string{"reference", uri}}
		} else {
			dec, err := url.PathUnescape(frag)
			if err != nil || !utf8.ValidString(dec) {
				return &refError{key: MsgRefNotFound, args: []string{uri}}
			}
			frag = dec
		}
		if len(doc.ids[frag]) > 1 {
			return &refError{key: MsgSigDuplicateID, args: []string{frag}}
		}
		el, ok := doc.byID(frag)
		if !ok {
			return &refError{key: MsgRefNotFound, args: []string{uri}}
		}
		ref.apex = el
		return nil
	}
	if files == nil {
		return &refError{key: MsgRefExternal, args: []string{uri}}
	}
	name, err := packageFileName(uri)
	if err != nil {
		return &refError{key: MsgRefOutsidePackage, args: []string{uri}, err: err}
	}
	ref.file = name
	return nil
}

// packageFileName checks that a reference URI names a file directly in the package
// folder and returns the file name. Anything that could leave the folder (a path
// separator, "..", an absolute path, a scheme, a drive letter) is refused.
func packageFileName(uri string) (string, error) {
	if strings.ContainsAny(uri, "#?") {
		return "", errors.New("a fragment or query in a file reference")
	}
	name, err := url.PathUnescape(uri)
	if err != nil {
		return "", err
	}
	if err := checkPlainName(name); err != nil {
		return "", err
	}
	return name, nil
}

// checkPlainName accepts a bare file name: no directories, no parent, no device or
// drive, nothing hidden in control characters.
func checkPlainName(name string) error {
	switch {
	case name == "" || name == "." || name == "..":
		return errors.New("not a file name")
	case !utf8.ValidString(name):
		return errors.New("not UTF-8")
	case strings.ContainsAny(name, "/\\:"):
		return errors.New("a path, not a file name")
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return errors.New("a control character in a file name")
		}
	}
	return nil
}

// fileURI writes a package file name as a relative URI (percent-encoding what a URI
// path segment cannot hold as it is).
func fileURI(name string) string {
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ||
			strings.IndexByte("-._~!$&'()*+,;=@", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// checkTransforms validates the transform chain for what the reference resolved to:
// for a node-set, any number of signature-removing transforms followed by at most one
// canonicalization; for a file, none (e-Gov digests the raw bytes).
func (ref *reference) checkTransforms() *refError {
	if ref.file != "" {
		if len(ref.transforms) > 0 {
			return &refError{key: MsgSigTransforms, args: []string{ref.uri, "transforms on a file reference"}}
		}
		return nil
	}
	for i, t := range ref.transforms {
		if t.kind == tC14N && i != len(ref.transforms)-1 {
			return &refError{key: MsgSigTransforms, args: []string{ref.uri, "canonicalization must be the last transform"}}
		}
	}
	return nil
}

// digestNodes computes the digest of a same-document reference. sig is the signature
// element that holds the reference (the one the enveloped transform removes).
func (ref *reference) digestNodes(h io.Writer, sig *node) error {
	set := &subtreeSet{comments: ref.comments}
	m := c14nMethod{} // the default conversion of a node-set to octets: C14N 1.0
	for _, t := range ref.transforms {
		switch t.kind {
		case tEnveloped:
			set.exclude = sig
		case tNoSignatures:
			set.excludeSignatures = true
		case tC14N:
			m = t.c14n
		}
	}
	return canonicalize(h, ref.apex, set, m)
}

// describe says what the reference covers, computed from what it resolved to.
func (ref *reference) describe(sig *node) string {
	if ref.file != "" {
		return "file:" + ref.file
	}
	var b strings.Builder
	if ref.apex.kind == documentNode {
		b.WriteString("document")
		if e := docElement(ref.apex); e != nil {
			b.WriteString(" " + e.path())
		}
	} else {
		b.WriteString(ref.apex.path())
	}
	for _, t := range ref.transforms {
		switch t.kind {
		case tEnveloped:
			if ref.apex == sig || ref.apex.isAncestorOf(sig) {
				b.WriteString(" without " + sig.path())
			}
		case tNoSignatures:
			b.WriteString(" without ds:Signature elements")
		}
	}
	return b.String()
}

func docElement(d *node) *node {
	for _, c := range d.children {
		if c.kind == elementNode {
			return c
		}
	}
	return nil
}

// covers reports whether node n is in what the reference digests: n is the node it
// resolved to or below it, and no transform removed it. sig is the signature that holds
// the reference.
func (ref *reference) covers(n, sig *node) bool {
	if ref.file != "" || ref.apex == nil || (ref.apex != n && !ref.apex.isAncestorOf(n)) {
		return false
	}
	for _, t := range ref.transforms {
		switch t.kind {
		case tEnveloped:
			if sig == n || sig.isAncestorOf(n) {
				return false
			}
		case tNoSignatures:
			for p := n; p != nil; p = p.parent {
				if p.is(NSDSig, "Signature") {
					return false
				}
			}
		}
	}
	return true
}

// coversWholeDocument reports whether the reference covers the whole document except
// signatures.
func (ref *reference) coversWholeDocument() bool {
	return ref.file == "" && ref.apex != nil && ref.apex.kind == documentNode
}
