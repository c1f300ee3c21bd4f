package xades

import (
	"bufio"
	"errors"
	"io"
	"sort"
	"strings"
)

// Canonicalization: Canonical XML 1.0 (W3C REC 2001-03-15, "true" 1.0: the xml:*
// attributes of omitted ancestors are inherited, all of them), Canonical XML 1.1 (only
// xml:lang and xml:space are inherited; xml:base fix-up is not implemented and is refused)
// and Exclusive XML Canonicalization 1.0 (RFC 3741, with an InclusiveNamespaces
// PrefixList). All of them work on a node-set of our own tree, so that document subsets
// (a referenced element, a document minus its signature, an XPath-filtered set in the
// conformance tests) follow the specifications' rules for omitted ancestors, namespace
// nodes and orphan attribute and namespace nodes.

// Canonicalization algorithm identifiers.
const (
	AlgC14N10              = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
	AlgC14N10WithComments  = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments"
	AlgC14N11              = "http://www.w3.org/2006/12/xml-c14n11"
	AlgC14N11WithComments  = "http://www.w3.org/2006/12/xml-c14n11#WithComments"
	AlgExcC14N             = "http://www.w3.org/2001/10/xml-exc-c14n#"
	AlgExcC14NWithComments = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments"
)

// budget bounds the canonicalization work of one verification: a small hostile
// document could otherwise make every one of many references canonicalize all of it.
type budget struct{ left int64 }

func (b *budget) exceeded() bool { return b.left < 0 }

// budgetWriter counts what is written against a budget.
type budgetWriter struct {
	w io.Writer
	b *budget
}

func (bw *budgetWriter) Write(p []byte) (int, error) {
	bw.b.left -= int64(len(p))
	if bw.b.left < 0 {
		return 0, errBudget
	}
	return bw.w.Write(p)
}

// errBudget: the verification needed more canonicalization than its budget.
var errBudget = errors.New("the signatures need too much processing")

// errC14N11Base is returned when Canonical XML 1.1 would have to join xml:base values of
// omitted ancestors, which mynasign does not implement.
var errC14N11Base = errors.New("canonical XML 1.1 xml:base fix-up is not supported")

// c14nMethod is one canonicalization algorithm with its parameters.
type c14nMethod struct {
	exclusive bool
	comments  bool
	v11       bool
	// inclusive holds the exclusive canonicalization's InclusiveNamespaces PrefixList
	// ("" stands for #default).
	inclusive map[string]bool
}

// c14nByURI returns the method for an algorithm URI.
func c14nByURI(uri string) (c14nMethod, bool) {
	switch uri {
	case AlgC14N10:
		return c14nMethod{}, true
	case AlgC14N10WithComments:
		return c14nMethod{comments: true}, true
	case AlgC14N11:
		return c14nMethod{v11: true}, true
	case AlgC14N11WithComments:
		return c14nMethod{v11: true, comments: true}, true
	case AlgExcC14N:
		return c14nMethod{exclusive: true}, true
	case AlgExcC14NWithComments:
		return c14nMethod{exclusive: true, comments: true}, true
	}
	return c14nMethod{}, false
}

// withPrefixList sets the exclusive canonicalization's InclusiveNamespaces PrefixList
// (white-space separated, "#default" for the default namespace).
func (m c14nMethod) withPrefixList(list string) c14nMethod {
	m.inclusive = map[string]bool{}
	for _, p := range strings.Fields(list) {
		if p == "#default" {
			p = ""
		}
		m.inclusive[p] = true
	}
	return m
}

// nodeSet is an XPath node-set over one document, as the canonicalizer sees it.
type nodeSet interface {
	// has reports whether an element, text, comment or processing instruction is in the set.
	has(n *node) bool
	// hasAttr reports whether attribute i of el is in the set.
	hasAttr(el *node, i int) bool
	// hasNS reports whether el's namespace node for prefix ("" default) is in the set.
	hasNS(el *node, prefix string) bool
	// skip reports whether n and everything below it are outside the set.
	skip(n *node) bool
	// full reports that the attribute and namespace nodes of every element in the set
	// are in the set too (then hasAttr and hasNS are not consulted).
	full() bool
}

// subtreeSet is the node-set of a subtree (an element or the whole document) with
// excluded subtrees (the enveloped signature) and optionally without comments.
type subtreeSet struct {
	comments bool
	exclude  *node // the enveloped signature
	// excludeSignatures drops every ds:Signature element (the XPath idiom
	// not(ancestor-or-self::ds:Signature)).
	excludeSignatures bool
}

func (s *subtreeSet) has(n *node) bool         { return s.comments || n.kind != commentNode }
func (s *subtreeSet) hasAttr(*node, int) bool  { return true }
func (s *subtreeSet) hasNS(*node, string) bool { return true }
func (s *subtreeSet) full() bool               { return true }
func (s *subtreeSet) skip(n *node) bool {
	if n.kind != elementNode {
		return false
	}
	if s.excludeSignatures && n.is(nsDSig, "Signature") {
		return true
	}
	return n == s.exclude
}

// frame is an element of the node-set on the way down, with its namespace nodes that
// are in the set.
type frame struct {
	el      *node
	nsInSet []nsBinding
}

// utilized records, for exclusive canonicalization, an output element that visibly
// utilizes prefix, and its namespace node for it.
type utilized struct {
	prefix string
	uri    string
	inSet  bool
}

type canonicalizer struct {
	w      *bufio.Writer
	m      c14nMethod
	set    nodeSet
	frames []frame
	// util holds, per prefix, the output elements (outermost first) that visibly
	// utilize it (exclusive canonicalization).
	util map[string][]utilized
	// pushed is the stack of prefixes pushed onto util, each open element's last.
	pushed []string
	// limit, when set, stops the canonicalization once too much has been written.
	limit        *budget
	doc          *node
	scratchAttrs []*attr
	scratchNS    []nsBinding
	scratchInh   []attr
}

// canonicalize writes the canonical form of the node-set set, walking from start (the
// document node or an element; nodes outside start's subtree are not in the set).
func canonicalize(w io.Writer, start *node, set nodeSet, m c14nMethod) error {
	bw, ok := w.(*bufio.Writer)
	if !ok {
		bw = bufio.NewWriterSize(w, 64*1024)
	}
	c := &canonicalizer{w: bw, m: m, set: set, util: map[string][]utilized{}}
	if b, ok := w.(*budgetWriter); ok {
		c.limit = b.b
	}
	for d := start; d != nil; d = d.parent {
		c.doc = d
	}
	var err error
	if start.kind == documentNode {
		err = c.document(start)
	} else {
		err = c.node(start, false)
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

func (c *canonicalizer) document(d *node) error {
	var docElem *node
	for _, ch := range d.children {
		if ch.kind == elementNode {
			docElem = ch
		}
	}
	for _, ch := range d.children {
		switch ch.kind {
		case elementNode:
			if err := c.node(ch, false); err != nil {
				return err
			}
		case commentNode, piNode:
			if c.set.skip(ch) || !c.set.has(ch) || (ch.kind == commentNode && !c.m.comments) {
				continue
			}
			after := docElem != nil && ch.order > docElem.order
			if after {
				c.w.WriteByte('\n')
			}
			c.leaf(ch)
			if !after {
				c.w.WriteByte('\n')
			}
		}
	}
	return nil
}

func (c *canonicalizer) leaf(n *node) {
	switch n.kind {
	case textNode:
		writeEscapedText(c.w, n.data)
	case commentNode:
		c.w.WriteString("<!--")
		c.w.WriteString(n.data)
		c.w.WriteString("-->")
	case piNode:
		c.w.WriteString("<?")
		c.w.WriteString(n.local)
		if n.data != "" {
			c.w.WriteByte(' ')
			c.w.WriteString(n.data)
		}
		c.w.WriteString("?>")
	}
}

// node processes one node below the document node. parentVisible says whether the
// parent element is in the node-set.
func (c *canonicalizer) node(n *node, parentVisible bool) error {
	if c.set.skip(n) {
		return nil
	}
	switch n.kind {
	case textNode, piNode:
		if c.set.has(n) {
			c.leaf(n)
		}
		return nil
	case commentNode:
		if c.m.comments && c.set.has(n) {
			c.leaf(n)
		}
		return nil
	case runNode:
		return c.run(n, parentVisible)
	case elementNode:
	default:
		return nil
	}

	visible := c.set.has(n)
	if !visible {
		c.orphans(n)
		for ch := n.first; ch != nil; ch = ch.next {
			if err := c.node(ch, false); err != nil {
				return err
			}
		}
		return nil
	}

	nsInSet := c.namespaceNodes(n)
	decls := c.renderedNamespaces(n, nsInSet)
	attrs, err := c.attributes(n, parentVisible)
	if err != nil {
		return err
	}

	w := c.w
	w.WriteByte('<')
	w.WriteString(n.qname())
	for _, d := range decls {
		if d.prefix == "" {
			w.WriteString(` xmlns="`)
		} else {
			w.WriteString(` xmlns:`)
			w.WriteString(d.prefix)
			w.WriteString(`="`)
		}
		writeEscapedAttr(w, d.uri)
		w.WriteByte('"')
	}
	for _, a := range attrs {
		w.WriteByte(' ')
		w.WriteString(a.qname())
		w.WriteString(`="`)
		writeEscapedAttr(w, a.value)
		w.WriteByte('"')
	}
	w.WriteByte('>')

	if c.limit != nil && c.limit.exceeded() {
		return errBudget
	}
	c.frames = append(c.frames, frame{el: n, nsInSet: nsInSet})
	pushed := 0
	if c.m.exclusive {
		pushed = c.pushUtilized(n, nsInSet)
	}
	for ch := n.first; ch != nil; ch = ch.next {
		if err := c.node(ch, true); err != nil {
			return err
		}
	}
	c.frames = c.frames[:len(c.frames)-1]
	c.popUtilized(pushed)

	w.WriteString("</")
	w.WriteString(n.qname())
	w.WriteByte('>')
	return nil
}

// run canonicalizes the nodes of a run, one top-level node at a time (run.go).
func (c *canonicalizer) run(r *node, parentVisible bool) error {
	var err error
	if xerr := r.expand(true, func(m *node) bool {
		err = c.node(m, parentVisible)
		return err == nil
	}); xerr != nil {
		return xerr
	}
	return err
}

// namespaceNodes returns el's namespace nodes that are in the set (without xml), sorted.
func (c *canonicalizer) namespaceNodes(el *node) []nsBinding {
	if c.set.full() {
		return el.scope
	}
	var out []nsBinding
	for _, b := range el.scope {
		if c.set.hasNS(el, b.prefix) {
			out = append(out, b)
		}
	}
	return out
}

// findNS looks prefix up in a list sorted by prefix.
func findNS(list []nsBinding, prefix string) (nsBinding, bool) {
	i := sort.Search(len(list), func(i int) bool { return list[i].prefix >= prefix })
	if i < len(list) && list[i].prefix == prefix {
		return list[i], true
	}
	return nsBinding{}, false
}

func (c *canonicalizer) top() *frame {
	if len(c.frames) == 0 {
		return nil
	}
	return &c.frames[len(c.frames)-1]
}

// inclusiveIgnored is Canonical XML's rule: a namespace node is not rendered when the
// nearest ancestor element in the node-set has an equal namespace node in the set.
func (c *canonicalizer) inclusiveIgnored(b nsBinding) bool {
	t := c.top()
	if t == nil {
		return false
	}
	o, ok := findNS(t.nsInSet, b.prefix)
	return ok && o.uri == b.uri
}

// needsEmptyDefault is Canonical XML's xmlns="" rule: el has no default namespace node
// in the set while the nearest ancestor element in the set has a non-empty one.
func (c *canonicalizer) needsEmptyDefault(nsInSet []nsBinding) bool {
	if _, ok := findNS(nsInSet, ""); ok {
		return false
	}
	t := c.top()
	if t == nil {
		return false
	}
	o, ok := findNS(t.nsInSet, "")
	return ok && o.uri != ""
}

// renderedNamespaces returns the namespace declarations to write on a visible element,
// sorted by prefix (the default namespace first).
func (c *canonicalizer) renderedNamespaces(el *node, nsInSet []nsBinding) []nsBinding {
	out := c.scratchNS[:0]
	if !c.m.exclusive {
		t := c.top()
		if c.set.full() && t != nil && t.el == el.parent && len(el.decls) == 0 {
			return out // same scope as the parent that is in the set: nothing new
		}
		if c.needsEmptyDefault(nsInSet) {
			out = append(out, nsBinding{"", ""})
		}
		for _, b := range nsInSet {
			if !c.inclusiveIgnored(b) {
				out = append(out, b)
			}
		}
		c.scratchNS = out
		return out
	}

	// Exclusive: prefixes visibly utilized by the element's name and its attributes in
	// the set, plus the InclusiveNamespaces PrefixList treated as in Canonical XML.
	seen := newPrefixSet(len(el.attrs))
	consider := func(prefix string) {
		if prefix == "xml" || c.m.inclusive[prefix] || !seen.add(prefix) {
			return
		}
		b, inSet := findNS(nsInSet, prefix)
		anc := c.nearestUtilizing(prefix)
		if inSet {
			if anc == nil || !anc.inSet || anc.uri != b.uri {
				out = append(out, b)
			}
		} else if prefix == "" && anc != nil && anc.inSet && anc.uri != "" {
			out = append(out, nsBinding{"", ""})
		}
	}
	consider(el.prefix)
	for i := range el.attrs {
		if el.attrs[i].prefix != "" && (c.set.full() || c.set.hasAttr(el, i)) {
			consider(el.attrs[i].prefix)
		}
	}
	if len(c.m.inclusive) > 0 {
		if c.m.inclusive[""] && c.needsEmptyDefault(nsInSet) {
			out = append(out, nsBinding{"", ""})
		}
		for _, b := range nsInSet {
			if c.m.inclusive[b.prefix] && !c.inclusiveIgnored(b) {
				out = append(out, b)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].prefix < out[j].prefix })
	c.scratchNS = out
	return out
}

func (c *canonicalizer) nearestUtilizing(prefix string) *utilized {
	st := c.util[prefix]
	if len(st) == 0 {
		return nil
	}
	return &st[len(st)-1]
}

// pushUtilized records the prefixes el visibly utilizes and returns how many it pushed
// (onto c.pushed, for popUtilized).
func (c *canonicalizer) pushUtilized(el *node, nsInSet []nsBinding) int {
	before := len(c.pushed)
	seen := newPrefixSet(len(el.attrs))
	push := func(prefix string) {
		if prefix == "xml" || !seen.add(prefix) {
			return
		}
		b, ok := findNS(nsInSet, prefix)
		c.util[prefix] = append(c.util[prefix], utilized{prefix: prefix, uri: b.uri, inSet: ok})
		c.pushed = append(c.pushed, prefix)
	}
	push(el.prefix)
	for i := range el.attrs {
		if el.attrs[i].prefix != "" && (c.set.full() || c.set.hasAttr(el, i)) {
			push(el.attrs[i].prefix)
		}
	}
	return len(c.pushed) - before
}

// popUtilized forgets the last n prefixes pushUtilized recorded (an element's, at its end).
func (c *canonicalizer) popUtilized(n int) {
	for _, prefix := range c.pushed[len(c.pushed)-n:] {
		st := c.util[prefix]
		c.util[prefix] = st[:len(st)-1]
	}
	c.pushed = c.pushed[:len(c.pushed)-n]
}

// prefixSet remembers the prefixes seen on one element: a short list for the usual few,
// a map when an element has many attributes.
type prefixSet struct {
	few  [4]string
	n    int
	many map[string]bool
}

func newPrefixSet(attrs int) prefixSet {
	if attrs > 3 {
		return prefixSet{many: make(map[string]bool, attrs+1)}
	}
	return prefixSet{}
}

// add reports whether prefix is new, and remembers it.
func (s *prefixSet) add(prefix string) bool {
	if s.many != nil {
		if s.many[prefix] {
			return false
		}
		s.many[prefix] = true
		return true
	}
	for _, p := range s.few[:s.n] {
		if p == prefix {
			return false
		}
	}
	s.few[s.n] = prefix
	s.n++
	return true
}

// attributes returns the attributes to write on a visible element, in canonical order:
// by namespace URI (none first), then local name.
func (c *canonicalizer) attributes(el *node, parentVisible bool) ([]*attr, error) {
	out := c.scratchAttrs[:0]
	for i := range el.attrs {
		if c.set.full() || c.set.hasAttr(el, i) {
			out = append(out, &el.attrs[i])
		}
	}
	if !c.m.exclusive && !parentVisible && el.parent != nil && el.parent.kind == elementNode {
		inh := c.scratchInh[:0]
		for a := el.parent; a != nil && a.kind == elementNode; a = a.parent {
			for i := range a.attrs {
				at := &a.attrs[i]
				if at.prefix != "xml" {
					continue
				}
				if c.m.v11 {
					switch at.local {
					case "lang", "space":
					case "base":
						return nil, errC14N11Base
					default:
						continue
					}
				}
				dup := false
				for j := range el.attrs {
					if el.attrs[j].prefix == "xml" && el.attrs[j].local == at.local {
						dup = true
						break
					}
				}
				for j := range inh {
					if inh[j].local == at.local {
						dup = true
						break
					}
				}
				if !dup {
					inh = append(inh, *at)
				}
			}
		}
		c.scratchInh = inh
		for i := range inh {
			out = append(out, &inh[i])
		}
	}
	if len(out) > 1 {
		sort.Slice(out, func(i, j int) bool {
			if out[i].uri != out[j].uri {
				return out[i].uri < out[j].uri
			}
			return out[i].local < out[j].local
		})
	}
	c.scratchAttrs = out
	return out, nil
}

// orphans writes the namespace and attribute nodes in the set of an element that is not
// in the set (Canonical XML renders them as " name="value"" where they occur).
func (c *canonicalizer) orphans(el *node) {
	if c.set.full() {
		return // a full set never holds the attributes of an element outside it
	}
	for _, b := range el.scope {
		if !c.set.hasNS(el, b.prefix) {
			continue
		}
		if c.m.exclusive && !c.m.inclusive[b.prefix] {
			continue
		}
		if c.inclusiveIgnored(b) {
			continue
		}
		if b.prefix == "" {
			c.w.WriteString(` xmlns="`)
		} else {
			c.w.WriteString(` xmlns:`)
			c.w.WriteString(b.prefix)
			c.w.WriteString(`="`)
		}
		writeEscapedAttr(c.w, b.uri)
		c.w.WriteByte('"')
	}
	var attrs []*attr
	for i := range el.attrs {
		if c.set.hasAttr(el, i) {
			attrs = append(attrs, &el.attrs[i])
		}
	}
	sort.Slice(attrs, func(i, j int) bool {
		if attrs[i].uri != attrs[j].uri {
			return attrs[i].uri < attrs[j].uri
		}
		return attrs[i].local < attrs[j].local
	})
	for _, a := range attrs {
		c.w.WriteByte(' ')
		c.w.WriteString(a.qname())
		c.w.WriteString(`="`)
		writeEscapedAttr(c.w, a.value)
		c.w.WriteByte('"')
	}
}

func writeEscapedText(w *bufio.Writer, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '\r':
			esc = "&#xD;"
		default:
			continue
		}
		w.WriteString(s[last:i])
		w.WriteString(esc)
		last = i + 1
	}
	w.WriteString(s[last:])
}

func writeEscapedAttr(w *bufio.Writer, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '"':
			esc = "&quot;"
		case '\t':
			esc = "&#x9;"
		case '\n':
			esc = "&#xA;"
		case '\r':
			esc = "&#xD;"
		default:
			continue
		}
		w.WriteString(s[last:i])
		w.WriteString(esc)
		last = i + 1
	}
	w.WriteString(s[last:])
}
