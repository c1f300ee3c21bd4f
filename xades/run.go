package xades

import (
	"errors"
	"sync"
)

// Runs: a big document is mostly plain content — elements without identifiers or
// namespace declarations, outside the XMLDSig and XAdES structures, and the text,
// comments and processing instructions around them. Nothing in the verifier looks into
// such content by name; it is only canonicalized (and, for reports, counted or shown).
// The parser therefore keeps each stretch of plain siblings as one node, a run, that
// records where the stretch is in the input, and parses it again when it is needed:
// the canonicalizer streams a run's nodes one top-level node at a time, reusing the same
// memory, and the children iterator hands out freshly parsed nodes. A document of tiny
// elements then costs a few nodes instead of a node per four bytes.
//
// What stays a real node: the document node and the document element, every element
// with an identifier attribute (Id, ID, id, xml:id) or a namespace declaration, every
// element in the XMLDSig, XAdES, exclusive-canonicalization, XPath Filter 2.0 or RFC 4050
// namespaces and everything inside such elements, and every ancestor of those. So every
// node a URI, a signature or a content model names is real, and so are its ancestors.
// The XPath transforms evaluate expressions over every node: a document whose signatures
// use them is parsed again whole (parseFull), as are the e-Gov kousei.xml files (whose
// rules look for elements by local name anywhere).

// errStopExpansion ends a run expansion early (the consumer stopped).
var errStopExpansion = errors.New("expansion stopped")

// collapsible reports whether the plain children of parent become runs.
func (p *parser) collapsible(parent *node) bool {
	return p.collapse && parent.kind == elementNode && parent != p.base && sigName(parent) == ""
}

// plainElement reports whether a completed element is plain: no namespace of the
// signature structures, no declarations, no identifier, and content that is one run at
// most.
func plainElement(n *node) bool {
	if sigName(n) != "" || len(n.decls) > 0 {
		return false
	}
	for i := range n.attrs {
		if isIDAttr(&n.attrs[i]) {
			return false
		}
	}
	return n.first == nil || (n.first.kind == runNode && n.first.next == nil)
}

// settle is called when element n, the last child of its parent so far, is complete:
// a plain element inside collapsible content joins the run before it, or becomes one.
func (p *parser) settle(n *node) {
	parent := n.parent
	if !p.collapsible(parent) || !plainElement(n) {
		return
	}
	if n.first != nil {
		p.release(n.first)
	}
	t := &p.tail[len(p.tail)-1]
	if prev := t.prev; prev != nil && prev.kind == runNode {
		prev.end = n.end
		prev.next = nil
		t.last, t.prev = prev, nil
		p.release(n)
		return
	}
	*n = node{kind: runNode, parent: parent, start: n.start, end: n.end, order: n.order, data: p.s}
}

// joinRun adds the comment or processing instruction that ended at p.p (from start) to
// the run at the end of parent's content, or starts a run with it; it reports false when
// parent's content does not collapse.
func (p *parser) joinRun(parent *node, start int) bool {
	if !p.collapsible(parent) {
		return false
	}
	if last := p.tail[len(p.tail)-1].last; last != nil && last.kind == runNode {
		last.end = int32(p.p)
		return true
	}
	r := p.newNode(runNode, parent, start)
	r.end, r.data = int32(p.p), p.s
	return true
}

// release gives back the node n when it is the last one allocated (it became part of a
// run), with its attributes.
func (p *parser) release(n *node) {
	if k := len(p.slab); k == 0 || &p.slab[k-1] != n {
		return
	}
	if k := len(p.eslab); n.elemFields != nil && len(n.attrs) > 0 && k > 0 && &p.eslab[k-1] == n.elemFields {
		if a, end := n.attrs, len(p.aslab); end >= cap(a) && &p.aslab[end-cap(a)] == &a[0] {
			clear(p.aslab[end-cap(a) : end]) // the attributes were the last ones allocated
			p.aslab = p.aslab[:end-cap(a)]
		}
		p.eslab[k-1] = elemFields{}
		p.eslab = p.eslab[:k-1]
	}
	p.slab[len(p.slab)-1] = node{}
	p.slab = p.slab[:len(p.slab)-1]
}

// emitText hands a run expansion's pending top-level text to emit.
func (p *parser) emitText(base *node, emit func(*node) bool) bool {
	if t := p.tail[0].last; t != nil && t.kind == textNode {
		return p.emitTop(base, t, emit)
	}
	return true
}

// emitTop hands a complete top-level node of a run expansion to emit, as a child of the
// run's parent, and then forgets it (reusing its memory when the expansion reuses).
func (p *parser) emitTop(base, n *node, emit func(*node) bool) bool {
	n.parent, n.next = p.runParent, nil
	ok := emit(n)
	base.first = nil
	p.tail[0] = tailEntry{}
	if p.reuse {
		clear(p.slab)
		p.slab = p.slab[:0]
		clear(p.eslab)
		p.eslab = p.eslab[:0]
		clear(p.aslab)
		p.aslab = p.aslab[:0]
		clear(p.plain)
	}
	return ok
}

// expanders are parsers kept for run expansions (a canonicalization expands a run per
// plain element that has content).
var expanders = sync.Pool{New: func() any { return &parser{} }}

// expand parses the run r again and calls f with each of its top-level nodes in document
// order, until f returns false. The nodes are children of r's parent; their own plain
// content is in runs again. With reuse, a node is valid only during its call of f (its
// memory is reused for the next one); without, the nodes are the caller's.
func (r *node) expand(reuse bool, f func(*node) bool) error {
	p := expanders.Get().(*parser)
	parent := r.parent
	next := parser{s: r.data, p: int(r.start), doc: expansionDoc, order: int(r.order), buf: p.buf[:0],
		raws: p.raws[:0], others: p.others[:0],
		tail: append(p.tail[:0], tailEntry{}), collapse: true, runParent: parent, reuse: reuse}
	if reuse {
		// Only a reusing expansion keeps its memory for the next one: the nodes of the
		// other kind belong to the caller.
		next.slab, next.eslab, next.aslab, next.plain = p.slab[:0], p.eslab[:0], p.aslab[:0], p.plain
		clear(next.plain)
	}
	*p = next
	// The copy of the parent lives in the pooled parser: an element's content is expanded
	// once per element canonicalized, and emitTop gives each top-level node the real parent.
	p.baseNode = node{kind: elementNode, elemFields: parent.elemFields, start: parent.start}
	p.base = &p.baseNode
	err := p.content(p.base, int(r.end), f)
	if errors.Is(err, errStopExpansion) {
		err = nil
	}
	if reuse {
		clear(p.slab[:cap(p.slab)])
		clear(p.eslab[:cap(p.eslab)])
		clear(p.aslab[:cap(p.aslab)])
	} else {
		p.slab, p.eslab, p.aslab, p.plain = nil, nil, nil, nil
	}
	// Whatever points into this input would otherwise keep it alive in the pool.
	clear(p.raws[:cap(p.raws)])
	clear(p.others[:cap(p.others)])
	clear(p.tail[:cap(p.tail)])
	p.s, p.doc, p.base, p.runParent, p.baseNode = "", nil, nil, nil, node{}
	expanders.Put(p)
	return err
}

// expansionDoc stands for the document while a run is parsed again: the run holds no
// identifier to record and is never at the top of the document.
var expansionDoc = &document{root: &node{kind: documentNode}, ids: map[string][]*node{}}

// needsFullTree reports whether a document parsed with runs must be parsed whole: one of
// its signatures has a transform that evaluates XPath over the document's nodes (XPath,
// XPath Filter 2.0) or reads their text (base64).
func needsFullTree(doc *document) bool {
	full := false
	walkElements(doc.root, func(n *node) bool {
		if n.is(NSDSig, "Transform") {
			switch alg, _ := n.attrValue("Algorithm"); alg {
			case AlgXPath, AlgXPathFilter2, AlgBase64:
				full = true
			}
		}
		return !full
	})
	return full
}

// parseForVerification parses a document to verify its signatures: with runs, unless its
// signatures need the whole tree.
func parseForVerification(data []byte) (*document, error) {
	doc, err := parseDocument(data)
	if err != nil || !needsFullTree(doc) {
		return doc, err
	}
	return parseFull(doc.src)
}
