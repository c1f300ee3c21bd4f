package xades

// A small XPath 1.0 evaluator, used only by the canonicalization conformance tests to
// build the node-sets of the W3C/Merlin vectors (XPath transforms are not accepted by
// the verifier). It covers location paths over the self, parent, ancestor(-or-self),
// child, descendant(-or-self), attribute and namespace axes, name and node-type tests,
// unions, the boolean, equality, relational and arithmetic operators, and the functions
// count, name, local-name, namespace-uri, string, not, boolean, true and false.
// Anything else is an error, so a vector it cannot express fails loudly.

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

type xkind int

const (
	xRoot xkind = iota
	xElem
	xText
	xComment
	xPI
	xAttr
	xNS
)

// xnode is a node of the XPath data model over our tree: tree nodes, plus attribute
// (el, index) and namespace (el, prefix) nodes.
type xnode struct {
	n      *node
	kind   xkind
	ai     int
	prefix string
}

func xOf(n *node) xnode {
	switch n.kind {
	case documentNode:
		return xnode{n: n, kind: xRoot}
	case elementNode:
		return xnode{n: n, kind: xElem}
	case textNode:
		return xnode{n: n, kind: xText}
	case commentNode:
		return xnode{n: n, kind: xComment}
	default:
		return xnode{n: n, kind: xPI}
	}
}

// nsNodes returns the namespace nodes of an element (in-scope namespaces, xml included).
func nsNodes(el *node) []xnode {
	out := []xnode{{n: el, kind: xNS, prefix: "xml"}}
	for _, b := range el.scope {
		out = append(out, xnode{n: el, kind: xNS, prefix: b.prefix})
	}
	return out
}

func (x xnode) parent() (xnode, bool) {
	switch x.kind {
	case xAttr, xNS:
		return xnode{n: x.n, kind: xElem}, true
	case xRoot:
		return xnode{}, false
	}
	return xOf(x.n.parent), true
}

func (x xnode) stringValue() string {
	switch x.kind {
	case xAttr:
		return x.n.attrs[x.ai].value
	case xNS:
		u, _ := x.n.lookupNS(x.prefix)
		return u
	}
	return x.n.stringValue()
}

func (x xnode) name() string {
	switch x.kind {
	case xElem:
		return x.n.qname()
	case xAttr:
		return x.n.attrs[x.ai].qname()
	case xNS:
		return x.prefix
	case xPI:
		return x.n.local
	}
	return ""
}

func (x xnode) localName() string {
	switch x.kind {
	case xElem:
		return x.n.local
	case xAttr:
		return x.n.attrs[x.ai].local
	case xNS:
		return x.prefix
	case xPI:
		return x.n.local
	}
	return ""
}

func (x xnode) nsURI() string {
	switch x.kind {
	case xElem:
		return x.n.uri
	case xAttr:
		return x.n.attrs[x.ai].uri
	}
	return ""
}

// docKey orders nodes in document order: an element, then its namespace nodes, then its
// attributes, then its children.
func (x xnode) docKey() (int, int) {
	switch x.kind {
	case xNS:
		return int(x.n.order), 1 + sort.Search(len(x.n.scope), func(i int) bool { return x.n.scope[i].prefix >= x.prefix })
	case xAttr:
		return int(x.n.order), 100000 + x.ai
	}
	return int(x.n.order), 0
}

type xval struct {
	kind  int // 0 nodeset, 1 string, 2 number, 3 boolean
	nodes []xnode
	s     string
	f     float64
	b     bool
}

func (v xval) toBool() bool {
	switch v.kind {
	case 0:
		return len(v.nodes) > 0
	case 1:
		return v.s != ""
	case 2:
		return v.f != 0 && !math.IsNaN(v.f)
	}
	return v.b
}

func (v xval) toString() string {
	switch v.kind {
	case 0:
		if len(v.nodes) == 0 {
			return ""
		}
		return firstInDocOrder(v.nodes).stringValue()
	case 1:
		return v.s
	case 2:
		if v.f == math.Trunc(v.f) && !math.IsInf(v.f, 0) {
			return strconv.FormatInt(int64(v.f), 10)
		}
		return strconv.FormatFloat(v.f, 'f', -1, 64)
	}
	if v.b {
		return "true"
	}
	return "false"
}

func strToNum(s string) float64 {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return math.NaN()
	}
	return f
}

func (v xval) toNumber() float64 {
	switch v.kind {
	case 2:
		return v.f
	case 3:
		if v.b {
			return 1
		}
		return 0
	}
	return strToNum(v.toString())
}

func firstInDocOrder(ns []xnode) xnode {
	best := ns[0]
	for _, x := range ns[1:] {
		a1, a2 := x.docKey()
		b1, b2 := best.docKey()
		if a1 < b1 || (a1 == b1 && a2 < b2) {
			best = x
		}
	}
	return best
}

type xexpr func(ctx xnode) (xval, error)

type xparser struct {
	toks []string
	i    int
	ns   *node // the XPath element: its in-scope namespaces resolve prefixes
}

func compileXPath(expr string, nsContext *node) (xexpr, error) {
	toks, err := xtokenize(expr)
	if err != nil {
		return nil, err
	}
	p := &xparser{toks: toks, ns: nsContext}
	e, err := p.orExpr()
	if err != nil {
		return nil, err
	}
	if p.i != len(p.toks) {
		return nil, fmt.Errorf("xpath: unexpected %q", p.toks[p.i])
	}
	return e, nil
}

func xtokenize(s string) ([]string, error) {
	var toks []string
	operand := func() bool {
		if len(toks) == 0 {
			return false
		}
		t := toks[len(toks)-1]
		switch t {
		case "@", "::", "(", "[", ",", "/", "//", "|", "+", "-", "=", "!=", "<", "<=", ">", ">=", "and", "or", "mod", "div", "*op":
			return false
		}
		return true
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case isSpace(c):
			i++
		case c == '"' || c == '\'':
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 {
				return nil, fmt.Errorf("xpath: unterminated literal")
			}
			toks = append(toks, s[i:i+j+2])
			i += j + 2
		case c >= '0' && c <= '9' || (c == '.' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9'):
			j := i
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
				j++
			}
			toks = append(toks, "#"+s[i:j])
			i = j
		case strings.HasPrefix(s[i:], "::"), strings.HasPrefix(s[i:], "//"), strings.HasPrefix(s[i:], "!="),
			strings.HasPrefix(s[i:], "<="), strings.HasPrefix(s[i:], ">="), strings.HasPrefix(s[i:], ".."):
			toks = append(toks, s[i:i+2])
			i += 2
		case c == '*':
			if operand() {
				toks = append(toks, "*op")
			} else {
				toks = append(toks, "*")
			}
			i++
		case strings.IndexByte("()[]@,/|+-=<>.", c) >= 0:
			toks = append(toks, string(c))
			i++
		default:
			j := i
			for j < len(s) {
				r := s[j]
				if isASCIINameChar(r) && r != ':' || r >= 0x80 {
					j++
					continue
				}
				// a single colon inside a QName (not "::")
				if r == ':' && j+1 < len(s) && s[j+1] != ':' && j > i {
					j++
					continue
				}
				break
			}
			if j == i {
				return nil, fmt.Errorf("xpath: unexpected character %q", c)
			}
			name := s[i:j]
			if operand() && (name == "and" || name == "or" || name == "mod" || name == "div") {
				toks = append(toks, name)
			} else {
				toks = append(toks, "n:"+name)
			}
			i = j
		}
	}
	return toks, nil
}

func (p *xparser) peek() string {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return ""
}

func (p *xparser) next() string {
	t := p.peek()
	p.i++
	return t
}

func (p *xparser) binary(sub func() (xexpr, error), ops ...string) (xexpr, error) {
	left, err := sub()
	if err != nil {
		return nil, err
	}
	for {
		op := p.peek()
		found := false
		for _, o := range ops {
			if op == o {
				found = true
			}
		}
		if !found {
			return left, nil
		}
		p.i++
		right, err := sub()
		if err != nil {
			return nil, err
		}
		left = combine(op, left, right)
	}
}

func (p *xparser) orExpr() (xexpr, error)  { return p.binary(p.andExpr, "or") }
func (p *xparser) andExpr() (xexpr, error) { return p.binary(p.eqExpr, "and") }
func (p *xparser) eqExpr() (xexpr, error)  { return p.binary(p.relExpr, "=", "!=") }
func (p *xparser) relExpr() (xexpr, error) { return p.binary(p.addExpr, "<", "<=", ">", ">=") }
func (p *xparser) addExpr() (xexpr, error) { return p.binary(p.mulExpr, "+", "-") }
func (p *xparser) mulExpr() (xexpr, error) { return p.binary(p.unaryExpr, "*op", "div", "mod") }

func (p *xparser) unaryExpr() (xexpr, error) {
	if p.peek() == "-" {
		p.i++
		e, err := p.unaryExpr()
		if err != nil {
			return nil, err
		}
		return func(ctx xnode) (xval, error) {
			v, err := e(ctx)
			return xval{kind: 2, f: -v.toNumber()}, err
		}, nil
	}
	return p.binary(p.pathExpr, "|")
}

func combine(op string, l, r xexpr) xexpr {
	return func(ctx xnode) (xval, error) {
		a, err := l(ctx)
		if err != nil {
			return a, err
		}
		if op == "and" && !a.toBool() {
			return xval{kind: 3}, nil
		}
		if op == "or" && a.toBool() {
			return xval{kind: 3, b: true}, nil
		}
		b, err := r(ctx)
		if err != nil {
			return b, err
		}
		switch op {
		case "and", "or":
			return xval{kind: 3, b: b.toBool()}, nil
		case "|":
			if a.kind != 0 || b.kind != 0 {
				return xval{}, fmt.Errorf("xpath: union of non-node-sets")
			}
			seen := map[xnode]bool{}
			var out []xnode
			for _, x := range append(append([]xnode{}, a.nodes...), b.nodes...) {
				if !seen[x] {
					seen[x] = true
					out = append(out, x)
				}
			}
			return xval{nodes: out}, nil
		case "+":
			return xval{kind: 2, f: a.toNumber() + b.toNumber()}, nil
		case "-":
			return xval{kind: 2, f: a.toNumber() - b.toNumber()}, nil
		case "*op":
			return xval{kind: 2, f: a.toNumber() * b.toNumber()}, nil
		case "div":
			return xval{kind: 2, f: a.toNumber() / b.toNumber()}, nil
		case "mod":
			return xval{kind: 2, f: math.Mod(a.toNumber(), b.toNumber())}, nil
		}
		return xval{kind: 3, b: compare(op, a, b)}, nil
	}
}

func compareAtoms(op string, a, b xval) bool {
	if op == "=" || op == "!=" {
		var eq bool
		switch {
		case a.kind == 3 || b.kind == 3:
			eq = a.toBool() == b.toBool()
		case a.kind == 2 || b.kind == 2:
			eq = a.toNumber() == b.toNumber()
		default:
			eq = a.toString() == b.toString()
		}
		if op == "=" {
			return eq
		}
		return !eq
	}
	x, y := a.toNumber(), b.toNumber()
	switch op {
	case "<":
		return x < y
	case "<=":
		return x <= y
	case ">":
		return x > y
	}
	return x >= y
}

func compare(op string, a, b xval) bool {
	str := func(x xnode) xval { return xval{kind: 1, s: x.stringValue()} }
	switch {
	case a.kind == 0 && b.kind == 0:
		for _, x := range a.nodes {
			for _, y := range b.nodes {
				if compareAtoms(op, str(x), str(y)) {
					return true
				}
			}
		}
		return false
	case a.kind == 0 && b.kind == 3, a.kind == 3 && b.kind == 0:
		return compareAtoms(op, xval{kind: 3, b: a.toBool()}, xval{kind: 3, b: b.toBool()})
	case a.kind == 0:
		for _, x := range a.nodes {
			v := str(x)
			if b.kind == 2 {
				v = xval{kind: 2, f: strToNum(v.s)}
			}
			if compareAtoms(op, v, b) {
				return true
			}
		}
		return false
	case b.kind == 0:
		for _, y := range b.nodes {
			v := str(y)
			if a.kind == 2 {
				v = xval{kind: 2, f: strToNum(v.s)}
			}
			if compareAtoms(op, a, v) {
				return true
			}
		}
		return false
	}
	return compareAtoms(op, a, b)
}

// pathExpr: a location path, or a primary expression optionally followed by a path.
func (p *xparser) pathExpr() (xexpr, error) {
	t := p.peek()
	isFunc := strings.HasPrefix(t, "n:") && p.i+1 < len(p.toks) && p.toks[p.i+1] == "(" &&
		!isNodeType(t[2:])
	if t == "(" || strings.HasPrefix(t, "\"") || strings.HasPrefix(t, "'") || strings.HasPrefix(t, "#") || isFunc {
		prim, err := p.primary()
		if err != nil {
			return nil, err
		}
		if p.peek() == "/" || p.peek() == "//" {
			return p.steps(prim)
		}
		return prim, nil
	}
	if t == "/" || t == "//" {
		root := func(ctx xnode) (xval, error) {
			n := ctx.n
			for n.parent != nil {
				n = n.parent
			}
			return xval{nodes: []xnode{{n: n, kind: xRoot}}}, nil
		}
		if t == "/" {
			p.i++
			if !p.startsStep() {
				return root, nil
			}
			return p.relPath(root)
		}
		return p.steps(root)
	}
	self := func(ctx xnode) (xval, error) { return xval{nodes: []xnode{ctx}}, nil }
	return p.relPath(self)
}

func isNodeType(s string) bool {
	return s == "node" || s == "text" || s == "comment" || s == "processing-instruction"
}

func (p *xparser) startsStep() bool {
	t := p.peek()
	return t == "@" || t == "." || t == ".." || t == "*" || strings.HasPrefix(t, "n:")
}

// steps parses ('/' | '//') step ... after base.
func (p *xparser) steps(base xexpr) (xexpr, error) {
	cur := base
	for p.peek() == "/" || p.peek() == "//" {
		if p.next() == "//" {
			cur = applyStep(cur, "descendant-or-self", func(xnode) bool { return true })
		}
		st, err := p.step()
		if err != nil {
			return nil, err
		}
		cur = st(cur)
	}
	return cur, nil
}

func (p *xparser) relPath(base xexpr) (xexpr, error) {
	st, err := p.step()
	if err != nil {
		return nil, err
	}
	return p.steps(st(base))
}

func (p *xparser) step() (func(xexpr) xexpr, error) {
	t := p.next()
	axis := "child"
	switch {
	case t == ".":
		return func(b xexpr) xexpr { return applyStep(b, "self", func(xnode) bool { return true }) }, nil
	case t == "..":
		return func(b xexpr) xexpr { return applyStep(b, "parent", func(xnode) bool { return true }) }, nil
	case t == "@":
		axis = "attribute"
		t = p.next()
	case strings.HasPrefix(t, "n:") && p.peek() == "::":
		axis = t[2:]
		p.i++
		t = p.next()
	}
	principal := xElem
	switch axis {
	case "attribute":
		principal = xAttr
	case "namespace":
		principal = xNS
	case "self", "parent", "ancestor", "ancestor-or-self", "child", "descendant", "descendant-or-self":
	default:
		return nil, fmt.Errorf("xpath: unsupported axis %q", axis)
	}
	var test func(xnode) bool
	switch {
	case t == "*":
		test = func(x xnode) bool { return x.kind == principal }
	case strings.HasPrefix(t, "n:") && isNodeType(t[2:]) && p.peek() == "(":
		p.i++
		if p.next() != ")" {
			return nil, fmt.Errorf("xpath: node type test with arguments")
		}
		switch t[2:] {
		case "node":
			test = func(xnode) bool { return true }
		case "text":
			test = func(x xnode) bool { return x.kind == xText }
		case "comment":
			test = func(x xnode) bool { return x.kind == xComment }
		default:
			test = func(x xnode) bool { return x.kind == xPI }
		}
	case strings.HasPrefix(t, "n:"):
		qn := t[2:]
		prefix, local, _ := strings.Cut(qn, ":")
		if local == "" {
			prefix, local = "", qn
		}
		var uri string
		if prefix != "" {
			u, ok := p.ns.lookupNS(prefix)
			if !ok {
				return nil, fmt.Errorf("xpath: prefix %q not declared", prefix)
			}
			uri = u
		}
		test = func(x xnode) bool {
			if x.kind != principal {
				return false
			}
			if principal == xNS {
				return prefix == "" && x.prefix == local
			}
			if local != "*" && x.localName() != local {
				return false
			}
			return x.nsURI() == uri
		}
	default:
		return nil, fmt.Errorf("xpath: unexpected %q in a step", t)
	}
	if p.peek() == "[" {
		return nil, fmt.Errorf("xpath: predicates are not supported")
	}
	return func(b xexpr) xexpr { return applyStep(b, axis, test) }, nil
}

func applyStep(base xexpr, axis string, test func(xnode) bool) xexpr {
	return func(ctx xnode) (xval, error) {
		v, err := base(ctx)
		if err != nil {
			return v, err
		}
		if v.kind != 0 {
			return v, fmt.Errorf("xpath: step applied to a non-node-set")
		}
		seen := map[xnode]bool{}
		var out []xnode
		add := func(x xnode) {
			if test(x) && !seen[x] {
				seen[x] = true
				out = append(out, x)
			}
		}
		for _, x := range v.nodes {
			switch axis {
			case "self":
				add(x)
			case "parent":
				if par, ok := x.parent(); ok {
					add(par)
				}
			case "ancestor", "ancestor-or-self":
				if axis == "ancestor-or-self" {
					add(x)
				}
				for a, ok := x.parent(); ok; a, ok = a.parent() {
					add(a)
				}
			case "child", "descendant", "descendant-or-self":
				if axis == "descendant-or-self" {
					add(x)
				}
				if x.kind != xElem && x.kind != xRoot {
					continue
				}
				var walk func(n *node)
				walk = func(n *node) {
					for _, c := range n.children {
						add(xOf(c))
						if axis != "child" && c.kind == elementNode {
							walk(c)
						}
					}
				}
				walk(x.n)
			case "attribute":
				if x.kind == xElem {
					for i := range x.n.attrs {
						add(xnode{n: x.n, kind: xAttr, ai: i})
					}
				}
			case "namespace":
				if x.kind == xElem {
					for _, nn := range nsNodes(x.n) {
						add(nn)
					}
				}
			}
		}
		return xval{nodes: out}, nil
	}
}

func (p *xparser) primary() (xexpr, error) {
	t := p.next()
	switch {
	case t == "(":
		e, err := p.orExpr()
		if err != nil {
			return nil, err
		}
		if p.next() != ")" {
			return nil, fmt.Errorf("xpath: missing )")
		}
		return e, nil
	case strings.HasPrefix(t, "\"") || strings.HasPrefix(t, "'"):
		s := t[1 : len(t)-1]
		return func(xnode) (xval, error) { return xval{kind: 1, s: s}, nil }, nil
	case strings.HasPrefix(t, "#"):
		f, err := strconv.ParseFloat(t[1:], 64)
		if err != nil {
			return nil, err
		}
		return func(xnode) (xval, error) { return xval{kind: 2, f: f}, nil }, nil
	}
	name := t[2:]
	p.i++ // (
	var args []xexpr
	for p.peek() != ")" {
		a, err := p.orExpr()
		if err != nil {
			return nil, err
		}
		args = append(args, a)
		if p.peek() == "," {
			p.i++
		}
		if p.peek() == "" {
			return nil, fmt.Errorf("xpath: unterminated call to %s", name)
		}
	}
	p.i++
	arg := func(ctx xnode) (xval, error) {
		if len(args) == 0 {
			return xval{nodes: []xnode{ctx}}, nil
		}
		return args[0](ctx)
	}
	nodeFn := func(f func(xnode) string) xexpr {
		return func(ctx xnode) (xval, error) {
			v, err := arg(ctx)
			if err != nil || v.kind != 0 {
				return xval{}, fmt.Errorf("xpath: %s needs a node-set", name)
			}
			if len(v.nodes) == 0 {
				return xval{kind: 1}, nil
			}
			return xval{kind: 1, s: f(firstInDocOrder(v.nodes))}, nil
		}
	}
	switch name {
	case "count":
		return func(ctx xnode) (xval, error) {
			v, err := arg(ctx)
			if err != nil || v.kind != 0 {
				return xval{}, fmt.Errorf("xpath: count needs a node-set")
			}
			return xval{kind: 2, f: float64(len(v.nodes))}, nil
		}, nil
	case "name":
		return nodeFn(xnode.name), nil
	case "local-name":
		return nodeFn(xnode.localName), nil
	case "namespace-uri":
		return nodeFn(xnode.nsURI), nil
	case "string":
		return func(ctx xnode) (xval, error) {
			v, err := arg(ctx)
			return xval{kind: 1, s: v.toString()}, err
		}, nil
	case "not", "boolean":
		if len(args) != 1 {
			return nil, fmt.Errorf("xpath: %s takes one argument", name)
		}
		return func(ctx xnode) (xval, error) {
			v, err := args[0](ctx)
			b := v.toBool()
			if name == "not" {
				b = !b
			}
			return xval{kind: 3, b: b}, err
		}, nil
	case "true", "false":
		b := name == "true"
		return func(xnode) (xval, error) { return xval{kind: 3, b: b}, nil }, nil
	}
	return nil, fmt.Errorf("xpath: unsupported function %s()", name)
}

// xpathSet is the node-set an XPath transform selects from an input set.
type xpathSet struct {
	nodes map[*node]bool
	attrs map[xnode]bool
	nss   map[xnode]bool
}

func (s *xpathSet) has(n *node) bool             { return s.nodes[n] }
func (s *xpathSet) hasAttr(el *node, i int) bool { return s.attrs[xnode{n: el, kind: xAttr, ai: i}] }
func (s *xpathSet) hasNS(el *node, prefix string) bool {
	return s.nss[xnode{n: el, kind: xNS, prefix: prefix}]
}
func (s *xpathSet) skip(*node) bool { return false }
func (s *xpathSet) full() bool      { return false }

// xpathFilter applies an XPath transform's expression to every node of the document
// except comments (the input node-set of a same-document reference URI="").
func xpathFilter(doc *document, e xexpr) (*xpathSet, error) {
	s := &xpathSet{nodes: map[*node]bool{}, attrs: map[xnode]bool{}, nss: map[xnode]bool{}}
	keep := func(x xnode) (bool, error) {
		v, err := e(x)
		if err != nil {
			return false, err
		}
		return v.toBool(), nil
	}
	var walk func(n *node) error
	walk = func(n *node) error {
		for _, c := range n.children {
			if c.kind == commentNode {
				continue
			}
			ok, err := keep(xOf(c))
			if err != nil {
				return err
			}
			if ok {
				s.nodes[c] = true
			}
			if c.kind != elementNode {
				continue
			}
			for _, nn := range nsNodes(c) {
				if ok, err := keep(nn); err != nil {
					return err
				} else if ok {
					s.nss[nn] = true
				}
			}
			for i := range c.attrs {
				an := xnode{n: c, kind: xAttr, ai: i}
				if ok, err := keep(an); err != nil {
					return err
				} else if ok {
					s.attrs[an] = true
				}
			}
			if err := walk(c); err != nil {
				return err
			}
		}
		return nil
	}
	return s, walk(doc.root)
}
