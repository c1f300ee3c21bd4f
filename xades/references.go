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
// references only to plain files of the same folder (the e-Gov package's, or the folder
// of the verified XML file, VerifyFile). Nothing is ever fetched from elsewhere.
//
// The transforms: enveloped-signature, the canonicalizations (the last transform when
// present), base64 (transform_base64.go), XPath and XPath Filter 2.0 restricted to a
// subset (transform_xpath.go, transform_filter2.go). They form a pipeline over a
// node-set or octets (XMLDSig §4.3.3.2): octets that a node-set transform needs are
// parsed as XML (without a DOCTYPE, as every document here), a node-set left at the end
// is canonicalized with Canonical XML 1.0. e-Gov signatures keep the profile's
// transforms only (canonicalization and the signature filters).

type transformKind int

const (
	tEnveloped    transformKind = iota + 1
	tNoSignatures               // the XPath idiom not(ancestor-or-self::ds:Signature)
	tC14N
	tBase64
	tXPath   // an XPath 1.0 transform in the supported subset
	tFilter2 // XPath Filter 2.0
)

type transform struct {
	kind    transformKind
	c14n    c14nMethod
	uri     string
	xpath   xpExpr      // tXPath
	filter2 []filter2Op // tFilter2
}

// name is how messages name the transform.
func (t transform) name() string {
	switch t.kind {
	case tEnveloped:
		return "enveloped-signature"
	case tNoSignatures, tXPath:
		return "XPath"
	case tFilter2:
		return "XPath Filter 2.0"
	case tBase64:
		return "base64"
	}
	return "canonicalization"
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

	noURI bool // the Reference has no URI attribute

	// Resolution.
	file      string    // the file the URI names ("" for same-document)
	inPackage bool      // the reference belongs to an e-Gov package (its profile applies)
	doc       *document // same-document: the document
	apex      *node     // same-document: the document node or the element the URI resolved to
	comments  bool      // the xpointer forms keep comments in the node-set

	// set is the node-set of this document that the transforms select before any of
	// them turns it into octets (computed once, by nodeSetOf).
	set      *refSet
	setLen   int  // how many transforms made set
	textOnly bool // a base64 transform keeps only the set's text
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
	ref.uri, ref.noURI = uri, !hasURI
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

func parseTransform(t *node) (transform, *refError) {
	alg, _ := t.attrValue("Algorithm")
	tr := transform{uri: alg}
	switch {
	case alg == AlgEnveloped:
		tr.kind = tEnveloped
	case alg == AlgBase64:
		tr.kind = tBase64
	case alg == AlgXPath:
		var xp *node
		for _, c := range t.elements() {
			if !c.is(NSDSig, "XPath") || xp != nil {
				return tr, &refError{key: MsgSigXPathUnsupported, args: []string{"XPath"}}
			}
			xp = c
		}
		if xp == nil {
			return tr, &refError{key: MsgSigXPathUnsupported, args: []string{"XPath"}}
		}
		if isHereEnveloped(xp) {
			tr.kind = tEnveloped
			break
		}
		e, err := parseXPathBool(xp.text(), xp)
		if err != nil {
			return tr, &refError{key: MsgSigXPathUnsupported, args: []string{"XPath"}, err: err}
		}
		tr.kind, tr.xpath = tXPath, e
		if isNoSignatures(e) {
			// What the enveloped-signature transform does for every signature at once.
			tr.kind, tr.xpath = tNoSignatures, nil
		}
	case alg == AlgXPathFilter2:
		ops, err := parseFilter2(t)
		if err != nil {
			return tr, &refError{key: MsgSigXPathUnsupported, args: []string{"XPath Filter 2.0"}, err: err}
		}
		tr.kind, tr.filter2 = tFilter2, ops
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

// xpathHereEnveloped is XMLDSig's own example of the enveloped-signature transform
// written in XPath (§6.6.4): the nodes that are not inside the signature holding the
// expression (here()).
var xpathHereEnveloped = regexp.MustCompile(`^count\(\s*ancestor-or-self::([A-Za-z_][\w.\-]*):Signature\s*\|\s*here\(\s*\)\s*/\s*ancestor::([A-Za-z_][\w.\-]*):Signature\s*\[\s*1\s*\]\s*\)\s*>\s*count\(\s*ancestor-or-self::([A-Za-z_][\w.\-]*):Signature\s*\)$`)

// isHereEnveloped reports whether the XPath element holds that idiom, its prefixes bound
// to the XMLDSig namespace.
func isHereEnveloped(xp *node) bool {
	m := xpathHereEnveloped.FindStringSubmatch(strings.TrimSpace(xp.text()))
	if m == nil {
		return false
	}
	for _, p := range m[1:] {
		if u, ok := xp.lookupNS(p); !ok || u != NSDSig {
			return false
		}
	}
	return true
}

// isNoSignatures reports whether e is not(ancestor-or-self::P:Signature) with P bound to
// the XMLDSig namespace.
func isNoSignatures(e xpExpr) bool {
	n, ok := e.(xpNot)
	if !ok {
		return false
	}
	p, ok := n.e.(*xpPath)
	if !ok || p.abs || p.id != nil || len(p.steps) != 1 {
		return false
	}
	st := p.steps[0]
	return st.axis == axAncestorOrSelf && st.test == testName && st.uri == NSDSig && st.local == "Signature" && len(st.preds) == 0
}

var xpointerID = regexp.MustCompile(`^xpointer\(id\((?:'([^']*)'|"([^"]*)")\)\)$`)

// resolve finds what a reference's URI names. files is the e-Gov package, the folder of
// the verified file (siblingFiles) or nil.
func (ref *reference) resolve(doc *document, files packageFiles) *refError {
	uri := ref.uri
	sibling, _ := files.(*siblingFiles)
	ref.inPackage = files != nil && sibling == nil
	if ref.noURI {
		// XMLDSig leaves the object to the application; no profile here defines one.
		return &refError{key: MsgRefNoURI}
	}
	switch {
	case uri == "":
		ref.doc, ref.apex = doc, doc.root
		return nil
	case strings.HasPrefix(uri, "#"):
		frag := uri[1:]
		ref.doc = doc
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
	if sibling != nil {
		// Outside an e-Gov package a URI that is not a plain file name (a path, a
		// scheme) is not followed; it is no proof of anything.
		if err != nil {
			return &refError{key: MsgRefExternal, args: []string{uri}, err: err}
		}
		ref.file = name
		return nil
	}
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
// at most one canonicalization, the last transform; for an e-Gov package file none (the
// profile digests the raw bytes); for e-Gov's same-document references and for XAdES
// SignedProperties only the signature filters and canonicalization.
func (ref *reference) checkTransforms() *refError {
	if ref.file != "" && ref.inPackage {
		if len(ref.transforms) > 0 {
			return &refError{key: MsgSigTransforms, args: []string{ref.uri, "transforms on a file reference"}}
		}
		return nil
	}
	for i, t := range ref.transforms {
		if t.kind == tC14N && i != len(ref.transforms)-1 {
			return &refError{key: MsgSigTransforms, args: []string{ref.uri, "canonicalization must be the last transform"}}
		}
		filtering := t.kind == tBase64 || t.kind == tXPath || t.kind == tFilter2
		if filtering && (ref.inPackage || ref.signsProperties()) {
			// What the profile's structures hold is read in full (the 構成情報, the
			// signing time and certificate): a transform that keeps part of them
			// would let the rest be changed unseen.
			return &refError{key: MsgSigTransforms, args: []string{ref.uri, t.name()}}
		}
	}
	return nil
}

// signsProperties reports whether the reference is the one to XAdES SignedProperties
// (by its Type or by what it resolved to).
func (ref *reference) signsProperties() bool {
	return ref.typ == TypeSignedProperties ||
		(ref.apex != nil && ref.apex.kind == elementNode && ref.apex.local == "SignedProperties" && isXAdESNS(ref.apex.uri))
}

// digestNodes computes the digest of a same-document reference. sig is the signature
// element that holds the reference (the one the enveloped transform removes).
func (ref *reference) digestNodes(h io.Writer, sig *node) error {
	return ref.digestData(h, sig, nil)
}

// nodeSetOf returns the node-set of the reference's own document that its transforms
// select before any of them makes octets of it (the canonicalizations, base64), and how
// many transforms that took.
func (ref *reference) nodeSetOf(sig *node, work *budget) (*refSet, int) {
	if ref.set != nil {
		return ref.set, ref.setLen
	}
	ev := newXPEval(work, ref.doc)
	set := &refSet{subtreeSet: subtreeSet{comments: ref.comments}, ev: ev}
	n := applyNodeTransforms(ref.transforms, set, sig, ref.doc, ev)
	ref.textOnly = n < len(ref.transforms) && ref.transforms[n].kind == tBase64
	ref.set, ref.setLen = set, n
	return set, n
}

// applyNodeTransforms adds the node-set transforms at the head of ts to set, up to the
// first one that makes octets or that cannot apply (the enveloped signature when sig is
// nil: it is not in this document), and returns how many it added.
func applyNodeTransforms(ts []transform, set *refSet, sig *node, doc *document, ev *xpEval) int {
	for i, t := range ts {
		switch {
		case t.kind == tEnveloped && sig != nil:
			set.exclude = sig
		case t.kind == tNoSignatures:
			set.excludeSignatures = true
		case t.kind == tXPath:
			set.exprs = append(set.exprs, t.xpath)
		case t.kind == tFilter2:
			set.marks = append(set.marks, filter2Marks(t.filter2, doc, ev))
		default:
			return i
		}
	}
	return len(ts)
}

// digestData writes what the reference's transforms make of its data to h: the node-set
// of this document, or the bytes of its file (from files). A node-set transform on
// octets parses them as a document of its own.
func (ref *reference) digestData(h io.Writer, sig *node, files packageFiles) error {
	var work *budget
	if bw, ok := h.(*budgetWriter); ok {
		work = bw.b
	}
	failed := func(t transform) error {
		return &refError{key: MsgSigTransformFailed, args: []string{ref.uri, t.name()}}
	}
	// The data is a node-set (start, set) or octets.
	var start *node
	var set *refSet
	var octets []byte
	ts := ref.transforms
	if ref.file != "" {
		data, err := readPackageFile(files, ref.file)
		if err != nil {
			return err
		}
		octets = data
	} else {
		var n int
		set, n = ref.nodeSetOf(sig, work)
		start, ts = ref.apex, ts[n:]
	}
	for len(ts) > 0 {
		t := ts[0]
		if set == nil && t.kind != tBase64 {
			// A transform that needs a node-set, on octets: they become a document of
			// their own (without the enveloped signature, which is not in it).
			d, err := parseOctets(octets)
			if err != nil {
				return failed(t)
			}
			start, octets = d.root, nil
			ev := newXPEval(work, d)
			set = &refSet{subtreeSet: subtreeSet{comments: true}, ev: ev}
			n := applyNodeTransforms(ts, set, nil, d, ev)
			if n < len(ts) && ts[n].kind == tEnveloped {
				return failed(ts[n])
			}
			ts = ts[n:]
			continue
		}
		switch t.kind {
		case tBase64:
			if set != nil {
				octets, set = base64Text(start, set.nodeSet(), work), nil
			}
			dec, err := decodeBase64Transform(octets)
			if err != nil {
				return failed(t)
			}
			octets, ts = dec, ts[1:]
		case tC14N: // the last transform (checkTransforms)
			if err := canonicalize(h, start, set.nodeSet(), t.c14n); err != nil {
				return err
			}
			return checkWork(work)
		default:
			return failed(t) // not reached: node-set transforms were applied above
		}
	}
	if set != nil {
		// The default conversion of a node-set to octets: Canonical XML 1.0.
		if err := canonicalize(h, start, set.nodeSet(), c14nMethod{}); err != nil {
			return err
		}
		return checkWork(work)
	}
	if err := checkWork(work); err != nil {
		return err
	}
	_, err := h.Write(octets)
	return err
}

// parseOctets parses octets that a transform needs as a node-set.
func parseOctets(octets []byte) (*document, error) {
	if len(octets) > MaxXMLSize {
		return nil, errors.New("too large")
	}
	return parseFull(string(octets))
}

func checkWork(work *budget) error {
	if work != nil && work.exceeded() {
		return errBudget
	}
	return nil
}

// describe says what the reference covers, computed from what it resolved to.
func (ref *reference) describe(sig *node) string {
	var b strings.Builder
	switch {
	case ref.file != "":
		b.WriteString("file:" + ref.file)
	case ref.apex.kind == documentNode:
		b.WriteString("document")
		if e := docElement(ref.apex); e != nil {
			b.WriteString(" " + e.path())
		}
	default:
		b.WriteString(ref.apex.path())
	}
	for _, t := range ref.transforms {
		switch t.kind {
		case tEnveloped:
			if ref.apex != nil && (ref.apex == sig || ref.apex.isAncestorOf(sig)) {
				b.WriteString(" without " + sig.path())
			}
		case tNoSignatures:
			b.WriteString(" without ds:Signature elements")
		case tXPath:
			b.WriteString(" filtered by XPath")
		case tFilter2:
			b.WriteString(" filtered by XPath Filter 2.0")
		case tBase64:
			b.WriteString(" base64-decoded")
		}
	}
	return b.String()
}

// what names what the reference covers for a person: the file, or the element (for a
// whole-document reference, the document's root element) by its name; describe is the
// technical description, used when there is no name.
func (ref *reference) what(sig *node) string {
	switch {
	case ref.file != "":
		return ref.file
	case ref.apex == nil:
	case ref.apex.kind == documentNode:
		if e := docElement(ref.apex); e != nil && e.elemFields != nil {
			return e.local
		}
	case ref.apex.elemFields != nil:
		return ref.apex.local
	}
	return ref.describe(sig)
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
	set, _ := ref.nodeSetOf(sig, nil)
	if ref.textOnly && n.kind != textNode {
		return false // base64 keeps the text, not the markup
	}
	ok := set.inSet(n)
	if set.ev.exceeded() {
		return false // the evaluation was cut short
	}
	return ok
}

// coversWholeDocument reports whether the reference covers the whole document except
// signatures.
func (ref *reference) coversWholeDocument() bool {
	if ref.file != "" || ref.apex == nil || ref.apex.kind != documentNode {
		return false
	}
	for _, t := range ref.transforms {
		if t.kind == tXPath || t.kind == tFilter2 || t.kind == tBase64 {
			return false
		}
	}
	return true
}
