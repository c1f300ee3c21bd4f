package xades

import (
	"sort"
	"strings"
)

// The XML data model the canonicalizers and the verifier work on. It is the XPath 1.0
// data model restricted to what a document without a DTD can hold: a document node,
// elements (with their namespace declarations, in-scope namespaces and attributes), text
// (adjacent character data and CDATA merged), comments and processing instructions.
// Every node remembers where it sits in the input, so that a signature can be spliced
// into the original bytes instead of re-serializing the document.

type nodeKind uint8

const (
	documentNode nodeKind = iota
	elementNode
	textNode
	commentNode
	piNode
	// runNode stands for a stretch of plain sibling nodes (run.go): start and end are
	// where the stretch is in the input, data is the whole input (the run is parsed
	// again from it).
	runNode
)

// Namespace URIs with a fixed meaning.
const (
	nsXML   = "http://www.w3.org/XML/1998/namespace"
	nsXMLNS = "http://www.w3.org/2000/xmlns/"
)

// nsBinding is one namespace binding: a prefix ("" for the default namespace) and its URI
// ("" only in a declaration xmlns="" that undeclares the default namespace).
type nsBinding struct {
	prefix, uri string
}

// attr is an attribute that is not a namespace declaration. value is the normalized value
// (XML 1.0 §3.3.3: literal white space became spaces, references were replaced).
type attr struct {
	prefix, local string
	uri           string // the namespace of a prefixed attribute; "" when unprefixed
	value         string
}

func (a *attr) qname() string {
	if a.prefix == "" {
		return a.local
	}
	return a.prefix + ":" + a.local
}

// node is one node of a parsed document. Element-only fields live behind elemFields
// (nil for other nodes), which keeps the many text nodes of a big document small.
//
// A big document has millions of nodes, so the struct is kept small (64 bytes): positions
// are int32 (MaxXMLSize is far below 2 GiB), children are a linked list (first child,
// next sibling) rather than a slice per node, a processing instruction's target lives in
// its elemFields (local), and elements without attributes or namespace declarations
// share one elemFields per name and scope (elemFields are never changed after parsing).
type node struct {
	kind        nodeKind
	selfClosing bool

	// Position in the input. For an element, start is its '<' and end is just after its
	// end tag (or after "/>"); innerIn finds where its end tag begins.
	start, end int32
	order      int32 // preorder position in the document (document order)

	parent, first, next *node // parent, first child, next sibling
	*elemFields

	// Text, comments and processing instructions (for these the data; for a processing
	// instruction the target is elemFields.local).
	data string
}

// elemFields are an element's name, namespaces and attributes. They are read-only once
// the parser has filled them in: elements without attributes and declarations share them.
type elemFields struct {
	prefix, local string
	uri           string      // the element's namespace ("" for none)
	decls         []nsBinding // namespace declarations written on this element, in document order
	attrs         []attr      // other attributes, in document order
	// scope holds the in-scope namespaces after this element's declarations, sorted by
	// prefix, without the implicit xml prefix and without an empty default namespace.
	// Elements without declarations share their parent's slice.
	scope []nsBinding
}

// children yields n's children in document order: for _, c := range n.children. The
// nodes of a run are parsed again and yielded in its place (they are new nodes each
// time); a run that cannot be parsed again — which the parser rules out, as it parsed
// the same bytes before — is yielded as itself, and callers treat it as content they
// cannot read.
func (n *node) children(yield func(int, *node) bool) {
	i := 0
	for c := n.first; c != nil; c = c.next {
		if c.kind == runNode {
			stopped := false
			err := c.expand(false, func(m *node) bool {
				if !yield(i, m) {
					stopped = true
					return false
				}
				i++
				return true
			})
			if stopped {
				return
			}
			if err == nil {
				continue
			}
		}
		if !yield(i, c) {
			return
		}
		i++
	}
}

// innerIn returns where an element's end tag begins ("</") in src, the document's input,
// or the position of "/>" for an empty-element tag.
func (n *node) innerIn(src string) int {
	if n.selfClosing {
		return int(n.end) - 2
	}
	i := int(n.end) - 1 // the end tag's '>', after optional white space
	for i > 0 && isSpace(src[i-1]) {
		i--
	}
	return i - len(n.qname()) - 2
}

func (n *node) qname() string {
	if n.kind != elementNode {
		return ""
	}
	if n.prefix == "" {
		return n.local
	}
	return n.prefix + ":" + n.local
}

// is reports whether n is an element with the given namespace and local name.
func (n *node) is(uri, local string) bool {
	return n != nil && n.kind == elementNode && n.local == local && n.uri == uri
}

// lookupNS returns the URI bound to prefix in the element's scope.
func (n *node) lookupNS(prefix string) (string, bool) {
	if prefix == "xml" {
		return nsXML, true
	}
	i := sort.Search(len(n.scope), func(i int) bool { return n.scope[i].prefix >= prefix })
	if i < len(n.scope) && n.scope[i].prefix == prefix {
		return n.scope[i].uri, true
	}
	return "", false
}

// attrValue returns the value of the unprefixed attribute name.
func (n *node) attrValue(name string) (string, bool) {
	for i := range n.attrs {
		if n.attrs[i].prefix == "" && n.attrs[i].local == name {
			return n.attrs[i].value, true
		}
	}
	return "", false
}

// elements returns the element children of n.
func (n *node) elements() []*node {
	var out []*node
	for _, c := range n.children {
		if c.kind == elementNode {
			out = append(out, c)
		}
	}
	return out
}

// text returns the concatenated text of n's text children (not of deeper descendants).
func (n *node) text() string {
	var b strings.Builder
	for _, c := range n.children {
		if c.kind == textNode {
			b.WriteString(c.data)
		}
	}
	return b.String()
}

// stringValue is the XPath string-value: all descendant text in document order.
func (n *node) stringValue() string {
	if n.kind != elementNode && n.kind != documentNode {
		return n.data
	}
	var b strings.Builder
	var walk func(*node)
	walk = func(m *node) {
		for _, c := range m.children {
			switch c.kind {
			case textNode:
				b.WriteString(c.data)
			case elementNode:
				walk(c)
			}
		}
	}
	walk(n)
	return b.String()
}

// isAncestorOf reports whether n is a proper ancestor of m.
func (n *node) isAncestorOf(m *node) bool {
	for p := m.parent; p != nil; p = p.parent {
		if p == n {
			return true
		}
	}
	return false
}

// path describes where an element sits, as an XPath-like location with positions among
// same-named siblings: /Root[1]/Body[1]/Data[2]. It is what the report shows as the
// signed element, computed from the node a reference resolved to.
func (n *node) path() string {
	if n.kind == documentNode {
		return "/"
	}
	var parts []string
	for e := n; e != nil && e.kind == elementNode; e = e.parent {
		pos := 1
		if e.parent != nil {
			pos = e.position()
		}
		parts = append(parts, e.qname()+"["+itoa(pos)+"]")
	}
	var b strings.Builder
	for i := len(parts) - 1; i >= 0; i-- {
		b.WriteByte('/')
		b.WriteString(parts[i])
	}
	return b.String()
}

// position returns e's position among the element children of its parent that have its
// name, counting from 1. e is a real node, never inside a run; the elements of runs
// before it are counted while the run is parsed again with reused memory.
func (e *node) position() int {
	pos := 1
	same := func(s *node) bool { return s.kind == elementNode && s.local == e.local && s.uri == e.uri }
	for s := e.parent.first; s != nil && s != e; s = s.next {
		if s.kind != runNode {
			if same(s) {
				pos++
			}
			continue
		}
		// A run that cannot be parsed again (ruled out by the parser) counts nothing,
		// as children would yield it as itself.
		_ = s.expand(true, func(m *node) bool {
			if same(m) {
				pos++
			}
			return true
		})
	}
	return pos
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var buf [20]byte
	p := len(buf)
	neg := i < 0
	if neg {
		i = -i
	}
	for i > 0 {
		p--
		buf[p] = byte('0' + i%10)
		i /= 10
	}
	if neg {
		p--
		buf[p] = '-'
	}
	return string(buf[p:])
}

// document is a parsed XML document.
type document struct {
	src  string // the input, as read (the parser never changes it)
	root *node  // the document node
	elem *node  // the document element

	// Declaration facts, kept so that output can preserve them.
	hasBOM   bool
	encoding string // as declared ("" when there is no declaration or no encoding)

	// ids maps every ID value (attributes Id, ID, id and xml:id) to the elements that
	// carry it; more than one element per value is a duplicate.
	ids  map[string][]*node
	dups []string // ID values that occur more than once, in document order
	// count is the number of nodes, for document-order comparisons.
	count int
}

// idAttrNames are the attribute names treated as identifiers without a DTD or schema:
// XMLDSig and XAdES use Id, e-Gov uses ID, and many vocabularies use id. xml:id is
// an identifier by definition.
var idAttrNames = [...]string{"Id", "ID", "id"}

func isIDAttr(a *attr) bool {
	if a.prefix == "xml" && a.local == "id" {
		return true
	}
	if a.prefix != "" {
		return false
	}
	for _, n := range idAttrNames {
		if a.local == n {
			return true
		}
	}
	return false
}

// byID returns the single element carrying id; ok is false when there is none or more
// than one.
func (d *document) byID(id string) (*node, bool) {
	els := d.ids[id]
	if len(els) != 1 {
		return nil, false
	}
	return els[0], true
}

// walkElements calls f for every element under n (n included when it is an element), in
// document order, stopping early when f returns false. Runs are not looked into: they
// hold plain elements only, none of which a caller looks for (run.go); in a document
// parsed whole there are none.
func walkElements(n *node, f func(*node) bool) bool {
	if n.kind == elementNode && !f(n) {
		return false
	}
	for c := n.first; c != nil; c = c.next {
		if c.kind == elementNode && !walkElements(c, f) {
			return false
		}
	}
	return true
}
