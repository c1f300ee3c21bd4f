package xades

import (
	"errors"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// XPath in ds:Transform, restricted to a subset that is cheap to evaluate and easy to
// judge. mynasign has no general XPath engine: an expression outside the subset makes
// the reference unverifiable (INDETERMINATE, MsgSigXPathUnsupported), never "broken".
//
// The XPath 1.0 transform (AlgXPath) evaluates its expression as a boolean for every
// node of the input node-set, with that node as the context node. The subset:
//
//	Expr      := OrExpr
//	OrExpr    := AndExpr ("or" AndExpr)*
//	AndExpr   := Compare ("and" Compare)*
//	Compare   := Operand (("=" | "!=") Operand)?   one side a string literal, the other a
//	                                              path whose last step is on the attribute axis
//	Operand   := Literal | "not(" Expr ")" | "true()" | "false()" | "(" Expr ")" | Path
//	Path      := Step ("/" Step)*                 relative to the context node
//	Step      := Axis "::" NodeTest Predicate* | "@" NodeTest | "." | ".." | NodeTest Predicate*
//	Axis      := self | parent | ancestor | ancestor-or-self | attribute
//	NodeTest  := "*" | prefix ":*" | QName | "node()" | "text()" | "comment()" | "processing-instruction()"
//	Predicate := "[" Expr "]"                     a boolean, never a position
//
// Every axis of the subset leads up the tree (or to the attributes of one element), so
// one evaluation costs at most the depth of the document times the size of the
// expression; the total is charged to the verification's work budget. That covers the
// idioms signers write: not(ancestor-or-self::ds:Signature) with any prefix bound to
// the XMLDSig namespace, not(ancestor-or-self::node()[@Id='x']), ancestor-or-self::x,
// self::text(), @attr='value', combined with not, and and or.
//
// XPath Filter 2.0 (AlgXPathFilter2) evaluates each expression once, from the document
// node, as a node-set: a union ("|") of location paths made of child, descendant,
// descendant-or-self and self steps (with "/" and "//", absolute or relative) whose node
// tests are the ones above and whose predicates are booleans of the transform subset,
// or id('value'). Attribute and namespace nodes cannot be selected on their own (they
// are part of their element's subtree). here(), variables, numbers, positions, other
// functions and other axes are outside the subset in both transforms.
//
// Prefixes are resolved with the in-scope namespaces of the XPath element; an unprefixed
// name means no namespace (XPath 1.0).

// Limits of one expression.
const (
	maxXPathLen   = 4096 // characters
	maxXPathDepth = 32   // nesting of parentheses, predicates and not()
	maxXPathSteps = 64   // location steps in one expression
)

// errXPathUnsupported: the expression is outside the subset (or malformed).
var errXPathUnsupported = errors.New("XPath expression outside the supported subset")

// xpNode is a node of the XPath data model over our tree: a tree node, or an element's
// attribute (attr >= 0) or namespace node (isNS, prefix).
type xpNode struct {
	n      *node
	attr   int
	isNS   bool
	prefix string
}

func treeNode(n *node) xpNode { return xpNode{n: n, attr: -1} }

func (x xpNode) isTree() bool { return x.attr < 0 && !x.isNS }

// xpAxis is an axis of the subset.
type xpAxis uint8

const (
	axSelf xpAxis = iota
	axParent
	axAncestor
	axAncestorOrSelf
	axAttribute
	axChild
	axDescendant
	axDescendantOrSelf
)

var xpAxes = map[string]xpAxis{
	"self": axSelf, "parent": axParent, "ancestor": axAncestor, "ancestor-or-self": axAncestorOrSelf,
	"attribute": axAttribute, "child": axChild, "descendant": axDescendant, "descendant-or-self": axDescendantOrSelf,
}

func (a xpAxis) downward() bool { return a >= axChild }

// xpTestKind is a node test.
type xpTestKind uint8

const (
	testName    xpTestKind = iota // a QName (uri, local)
	testAny                       // *
	testNSAny                     // prefix:*
	testNode                      // node()
	testText                      // text()
	testComment                   // comment()
	testPI                        // processing-instruction()
)

type xpStep struct {
	axis       xpAxis
	test       xpTestKind
	uri, local string
	preds      []xpExpr
}

// xpExpr is a node of a parsed expression.
type xpExpr interface{ isExpr() }

type (
	xpOr      struct{ l, r xpExpr }
	xpAnd     struct{ l, r xpExpr }
	xpNot     struct{ e xpExpr }
	xpConst   bool
	xpLiteral string
	// xpPath is a location path. abs: from the document node. id: id('value') as its
	// first step (Filter 2.0 only).
	xpPath struct {
		abs   bool
		id    *string
		steps []xpStep
	}
	xpCompare struct {
		path *xpPath
		lit  string
		neq  bool
	}
	xpUnion struct{ paths []*xpPath }
)

func (xpOr) isExpr()      {}
func (xpAnd) isExpr()     {}
func (xpNot) isExpr()     {}
func (xpConst) isExpr()   {}
func (xpLiteral) isExpr() {}
func (*xpPath) isExpr()   {}
func (xpCompare) isExpr() {}
func (xpUnion) isExpr()   {}

// xpToken is a lexical token: a name (NCName, QName or prefix:*), a literal, or an
// operator/punctuation string.
type xpToken struct {
	kind byte // 'n' name, 'l' literal, 'o' operator
	text string
}

func xpTokenize(s string) ([]xpToken, error) {
	if len(s) > maxXPathLen || !utf8.ValidString(s) {
		return nil, errXPathUnsupported
	}
	var out []xpToken
	isStart := func(r rune) bool { return r == '_' || unicode.IsLetter(r) }
	isChar := func(r rune) bool {
		return isStart(r) || r == '-' || r == '.' || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
	}
	ncname := func(i int) int { // end of the NCName starting at i (i when none)
		if i >= len(s) {
			return i
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if !isStart(r) {
			return i
		}
		i += w
		for i < len(s) {
			r, w := utf8.DecodeRuneInString(s[i:])
			if !isChar(r) {
				break
			}
			i += w
		}
		return i
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '\'' || c == '"':
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 {
				return nil, errXPathUnsupported
			}
			out = append(out, xpToken{'l', s[i+1 : i+1+j]})
			i += j + 2
		case strings.HasPrefix(s[i:], "//"), strings.HasPrefix(s[i:], "::"), strings.HasPrefix(s[i:], "!="),
			strings.HasPrefix(s[i:], ".."):
			out = append(out, xpToken{'o', s[i : i+2]})
			i += 2
		case strings.IndexByte("/()[]@=|*.", c) >= 0:
			out = append(out, xpToken{'o', s[i : i+1]})
			i++
		default:
			j := ncname(i)
			if j == i {
				return nil, errXPathUnsupported
			}
			// prefix:local or prefix:* (but not the axis separator ::)
			if j+1 < len(s) && s[j] == ':' && s[j+1] != ':' {
				if s[j+1] == '*' {
					j += 2
				} else if k := ncname(j + 1); k > j+1 {
					j = k
				} else {
					return nil, errXPathUnsupported
				}
			}
			out = append(out, xpToken{'n', s[i:j]})
			i = j
		}
		if len(out) > maxXPathLen/2 {
			return nil, errXPathUnsupported
		}
	}
	return out, nil
}

// xpParser parses the subset. ns resolves prefixes (the XPath element); filter2 allows
// the node-set form of XPath Filter 2.0 at the top.
type xpParser struct {
	toks  []xpToken
	pos   int
	depth int
	steps int
	ns    *node
}

func (p *xpParser) peek() xpToken {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return xpToken{}
}

func (p *xpParser) peekAt(k int) xpToken {
	if p.pos+k < len(p.toks) {
		return p.toks[p.pos+k]
	}
	return xpToken{}
}

func (p *xpParser) isOp(s string) bool { t := p.peek(); return t.kind == 'o' && t.text == s }

func (p *xpParser) expect(s string) error {
	if !p.isOp(s) {
		return errXPathUnsupported
	}
	p.pos++
	return nil
}

func (p *xpParser) enter() error {
	p.depth++
	if p.depth > maxXPathDepth {
		return errXPathUnsupported
	}
	return nil
}

// parseXPathBool parses the expression of an XPath 1.0 transform.
func parseXPathBool(expr string, ns *node) (xpExpr, error) {
	toks, err := xpTokenize(expr)
	if err != nil {
		return nil, err
	}
	p := &xpParser{toks: toks, ns: ns}
	e, err := p.or()
	if err != nil || p.pos != len(p.toks) {
		return nil, errXPathUnsupported
	}
	return e, nil
}

// parseXPathNodeSet parses the expression of an XPath Filter 2.0 element.
func parseXPathNodeSet(expr string, ns *node) (xpUnion, error) {
	toks, err := xpTokenize(expr)
	if err != nil {
		return xpUnion{}, err
	}
	p := &xpParser{toks: toks, ns: ns}
	var u xpUnion
	for {
		path, err := p.selectPath()
		if err != nil {
			return xpUnion{}, err
		}
		u.paths = append(u.paths, path)
		if !p.isOp("|") {
			break
		}
		p.pos++
	}
	if p.pos != len(p.toks) {
		return xpUnion{}, errXPathUnsupported
	}
	return u, nil
}

func (p *xpParser) or() (xpExpr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	l, err := p.and()
	if err != nil {
		return nil, err
	}
	for t := p.peek(); t.kind == 'n' && t.text == "or"; t = p.peek() {
		p.pos++
		r, err := p.and()
		if err != nil {
			return nil, err
		}
		l = xpOr{l, r}
	}
	return l, nil
}

func (p *xpParser) and() (xpExpr, error) {
	l, err := p.compare()
	if err != nil {
		return nil, err
	}
	for t := p.peek(); t.kind == 'n' && t.text == "and"; t = p.peek() {
		p.pos++
		r, err := p.compare()
		if err != nil {
			return nil, err
		}
		l = xpAnd{l, r}
	}
	return l, nil
}

func (p *xpParser) compare() (xpExpr, error) {
	l, err := p.operand()
	if err != nil {
		return nil, err
	}
	if !p.isOp("=") && !p.isOp("!=") {
		if _, ok := l.(xpLiteral); ok {
			return nil, errXPathUnsupported // a bare string is not a test of the node
		}
		return l, nil
	}
	neq := p.peek().text == "!="
	p.pos++
	r, err := p.operand()
	if err != nil {
		return nil, err
	}
	path, lit := attrPath(l), r
	if path == nil {
		path, lit = attrPath(r), l
	}
	s, ok := lit.(xpLiteral)
	if path == nil || !ok {
		return nil, errXPathUnsupported
	}
	return xpCompare{path: path, lit: string(s), neq: neq}, nil
}

// attrPath returns e when it is a path ending on the attribute axis.
func attrPath(e xpExpr) *xpPath {
	p, ok := e.(*xpPath)
	if !ok || len(p.steps) == 0 || p.steps[len(p.steps)-1].axis != axAttribute {
		return nil
	}
	return p
}

func (p *xpParser) operand() (xpExpr, error) {
	t := p.peek()
	switch {
	case t.kind == 'l':
		p.pos++
		return xpLiteral(t.text), nil
	case t.kind == 'o' && t.text == "(":
		p.pos++
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		return e, p.expect(")")
	case t.kind == 'n' && p.peekAt(1).kind == 'o' && p.peekAt(1).text == "(" && !isNodeTypeName(t.text):
		p.pos += 2
		switch t.text {
		case "not":
			e, err := p.or()
			if err != nil {
				return nil, err
			}
			return xpNot{e}, p.expect(")")
		case "true", "false":
			return xpConst(t.text == "true"), p.expect(")")
		}
		return nil, errXPathUnsupported
	}
	return p.relPath(false)
}

func isNodeTypeName(s string) bool {
	return s == "node" || s == "text" || s == "comment" || s == "processing-instruction"
}

// relPath parses Step ("/" Step)*; downward allows the downward axes and "//" (Filter 2.0).
func (p *xpParser) relPath(downward bool) (*xpPath, error) {
	path := &xpPath{}
	for {
		st, err := p.step(downward)
		if err != nil {
			return nil, err
		}
		path.steps = append(path.steps, st)
		switch {
		case p.isOp("/"):
			p.pos++
		case downward && p.isOp("//"):
			p.pos++
			path.steps = append(path.steps, xpStep{axis: axDescendantOrSelf, test: testNode})
		default:
			return path, nil
		}
	}
}

// selectPath parses one location path of XPath Filter 2.0.
func (p *xpParser) selectPath() (*xpPath, error) {
	path := &xpPath{}
	switch {
	case p.isOp("/"):
		p.pos++
		path.abs = true
		if p.pos == len(p.toks) || p.isOp("|") {
			return path, nil // the document node
		}
	case p.isOp("//"):
		p.pos++
		path.abs = true
		path.steps = append(path.steps, xpStep{axis: axDescendantOrSelf, test: testNode})
	case p.peek().kind == 'n' && p.peek().text == "id" && p.peekAt(1).text == "(":
		p.pos += 2
		lit := p.peek()
		if lit.kind != 'l' {
			return nil, errXPathUnsupported
		}
		p.pos++
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		path.id = &lit.text
		switch {
		case p.isOp("/"):
			p.pos++
		case p.isOp("//"):
			p.pos++
			path.steps = append(path.steps, xpStep{axis: axDescendantOrSelf, test: testNode})
		default:
			return path, nil
		}
	}
	rest, err := p.relPath(true)
	if err != nil {
		return nil, err
	}
	path.steps = append(path.steps, rest.steps...)
	return path, nil
}

func (p *xpParser) step(downward bool) (xpStep, error) {
	p.steps++
	if p.steps > maxXPathSteps {
		return xpStep{}, errXPathUnsupported
	}
	// The transform subset has the upward axes and attribute; Filter 2.0 paths have the
	// downward axes (child when none is written) and self.
	st := xpStep{axis: axChild}
	explicit := false
	switch t := p.peek(); {
	case t.kind == 'o' && t.text == ".":
		p.pos++
		return xpStep{axis: axSelf, test: testNode}, nil
	case t.kind == 'o' && t.text == "..":
		if downward {
			return xpStep{}, errXPathUnsupported
		}
		p.pos++
		return xpStep{axis: axParent, test: testNode}, nil
	case t.kind == 'o' && t.text == "@":
		p.pos++
		st.axis, explicit = axAttribute, true
	case t.kind == 'n' && p.peekAt(1).kind == 'o' && p.peekAt(1).text == "::":
		a, ok := xpAxes[t.text]
		if !ok {
			return xpStep{}, errXPathUnsupported
		}
		p.pos += 2
		st.axis, explicit = a, true
	}
	switch {
	case downward && !st.axis.downward() && st.axis != axSelf,
		!downward && (!explicit || st.axis.downward()):
		return xpStep{}, errXPathUnsupported
	}
	if err := p.nodeTest(&st); err != nil {
		return xpStep{}, err
	}
	for p.isOp("[") {
		if st.axis == axAttribute {
			return xpStep{}, errXPathUnsupported
		}
		p.pos++
		e, err := p.or()
		if err != nil {
			return xpStep{}, err
		}
		st.preds = append(st.preds, e)
		if err := p.expect("]"); err != nil {
			return xpStep{}, err
		}
	}
	return st, nil
}

func (p *xpParser) nodeTest(st *xpStep) error {
	t := p.peek()
	switch {
	case t.kind == 'o' && t.text == "*":
		p.pos++
		st.test = testAny
		return nil
	case t.kind != 'n':
		return errXPathUnsupported
	}
	p.pos++
	if isNodeTypeName(t.text) && p.isOp("(") {
		p.pos++
		if err := p.expect(")"); err != nil {
			return err
		}
		st.test = map[string]xpTestKind{"node": testNode, "text": testText, "comment": testComment,
			"processing-instruction": testPI}[t.text]
		return nil
	}
	prefix, local, ok := strings.Cut(t.text, ":")
	if !ok {
		st.test, st.local = testName, t.text
		return nil
	}
	uri, bound := p.ns.lookupNS(prefix)
	if !bound || uri == "" {
		return errXPathUnsupported
	}
	st.uri = uri
	if local == "*" {
		st.test = testNSAny
	} else {
		st.test, st.local = testName, local
	}
	return nil
}

// xpEval evaluates expressions over one document, charging every node visited to a
// work budget (nil: unbounded, for tests). A path of one ancestor or ancestor-or-self
// step (the idioms' form) is remembered per element, so that evaluating it for every
// node of a document costs about one visit per node, not one per node and ancestor.
type xpEval struct {
	work  *budget
	count int                // nodes of the document (0: nothing is remembered)
	memo  map[*xpStep][]byte // per step, by node order: 0 unknown, 1 false, 2 true
}

func newXPEval(work *budget, doc *document) *xpEval {
	ev := &xpEval{work: work}
	if doc != nil {
		ev.count = doc.count
	}
	return ev
}

// xpathVisitCost is what one node visit of an evaluation costs against the work budget
// (which counts canonicalized bytes otherwise): a visit is worth a few bytes of output.
const xpathVisitCost = 4

func (ev *xpEval) charge(n int) bool {
	if ev.work == nil {
		return true
	}
	ev.work.left -= int64(n) * xpathVisitCost
	return ev.work.left >= 0
}

func (ev *xpEval) exceeded() bool { return ev.work != nil && ev.work.exceeded() }

// matches applies a step's node test (and predicates) to x.
func (ev *xpEval) matches(st *xpStep, x xpNode) bool {
	if !ev.charge(1) {
		return false
	}
	switch st.test {
	case testNode:
	case testText:
		if !x.isTree() || x.n.kind != textNode {
			return false
		}
	case testComment:
		if !x.isTree() || x.n.kind != commentNode {
			return false
		}
	case testPI:
		if !x.isTree() || x.n.kind != piNode {
			return false
		}
	default:
		// A name test selects the axis's principal node type: attributes on the attribute
		// axis, elements on the others.
		var uri, local string
		switch {
		case st.axis == axAttribute:
			if x.attr < 0 {
				return false
			}
			a := &x.n.attrs[x.attr]
			uri, local = a.uri, a.local
		case x.isTree() && x.n.kind == elementNode:
			uri, local = x.n.uri, x.n.local
		default:
			return false
		}
		switch st.test {
		case testName:
			if uri != st.uri || local != st.local {
				return false
			}
		case testNSAny:
			if uri != st.uri {
				return false
			}
		}
	}
	for _, pr := range st.preds {
		if !ev.boolean(pr, x) {
			return false
		}
	}
	return true
}

// parent is the XPath parent of x (attributes and namespace nodes: their element).
func parent(x xpNode) (xpNode, bool) {
	if !x.isTree() {
		return treeNode(x.n), true
	}
	if x.n.parent == nil {
		return xpNode{}, false
	}
	return treeNode(x.n.parent), true
}

// upward calls f for the nodes of an upward or attribute axis from x, nearest first,
// until f returns true; it reports whether f did.
func (ev *xpEval) upward(axis xpAxis, x xpNode, f func(xpNode) bool) bool {
	switch axis {
	case axSelf:
		return f(x)
	case axAttribute:
		if !x.isTree() || x.n.kind != elementNode {
			return false
		}
		for i := range x.n.attrs {
			if f(xpNode{n: x.n, attr: i}) {
				return true
			}
		}
		return false
	case axParent:
		p, ok := parent(x)
		return ok && f(p)
	case axAncestorOrSelf:
		if f(x) {
			return true
		}
	}
	for p, ok := parent(x); ok; p, ok = parent(p) {
		if !ev.charge(1) {
			return false
		}
		if f(p) {
			return true
		}
	}
	return false
}

// exists reports whether the relative path from x selects a node for which f (nil:
// any) holds.
func (ev *xpEval) exists(path *xpPath, x xpNode, f func(xpNode) bool) bool {
	if f == nil && ev.count > 0 && len(path.steps) == 1 {
		switch st := &path.steps[0]; st.axis {
		case axAncestorOrSelf:
			return ev.ancestorOrSelf(st, x)
		case axAncestor:
			p, ok := parent(x)
			return ok && ev.ancestorOrSelf(st, p)
		}
	}
	var walk func(i int, x xpNode) bool
	walk = func(i int, x xpNode) bool {
		if i == len(path.steps) {
			return f == nil || f(x)
		}
		st := &path.steps[i]
		return ev.upward(st.axis, x, func(y xpNode) bool {
			return ev.matches(st, y) && walk(i+1, y)
		})
	}
	return walk(0, x)
}

// ancestorOrSelf reports whether x or one of its ancestors matches st (whose predicates
// depend on the candidate node only), remembering the answer for elements.
func (ev *xpEval) ancestorOrSelf(st *xpStep, x xpNode) bool {
	if ev.matches(st, x) {
		return true
	}
	p, ok := parent(x)
	if !ok {
		return false
	}
	if ev.memo == nil {
		ev.memo = map[*xpStep][]byte{}
	}
	m := ev.memo[st]
	if m == nil {
		m = make([]byte, ev.count)
		ev.memo[st] = m
	}
	// Climb to the first ancestor whose answer is known (or that matches), then write
	// the answer down the path.
	var path []*node
	answer := false
	for n := p.n; ; {
		if int(n.order) >= len(m) {
			return false // not a node of this document
		}
		if v := m[n.order]; v != 0 {
			answer = v == 2
			break
		}
		path = append(path, n)
		if ev.matches(st, treeNode(n)) {
			answer = true
			break
		}
		if n.parent == nil {
			break
		}
		n = n.parent
	}
	if ev.exceeded() {
		return false // the answers may be cut short: remember nothing
	}
	v := byte(1)
	if answer {
		v = 2
	}
	for _, n := range path {
		m[n.order] = v
	}
	return answer
}

// boolean evaluates e with context node x.
func (ev *xpEval) boolean(e xpExpr, x xpNode) bool {
	switch e := e.(type) {
	case xpOr:
		return ev.boolean(e.l, x) || ev.boolean(e.r, x)
	case xpAnd:
		return ev.boolean(e.l, x) && ev.boolean(e.r, x)
	case xpNot:
		return !ev.boolean(e.e, x)
	case xpConst:
		return bool(e)
	case *xpPath:
		return ev.exists(e, x, nil)
	case xpCompare:
		// A node-set compared with a string: true when some node's string-value
		// compares so (XPath 1.0 §3.4), for = as for !=.
		return ev.exists(e.path, x, func(a xpNode) bool {
			return (a.n.attrs[a.attr].value == e.lit) != e.neq
		})
	}
	return false
}

// selectNodes evaluates a Filter 2.0 node-set from the document node of doc: the
// selected tree nodes in document order.
func (ev *xpEval) selectNodes(u xpUnion, doc *document) []*node {
	var out []*node
	for _, path := range u.paths {
		var cur []*node
		switch {
		case path.id != nil:
			if el, ok := doc.byID(*path.id); ok {
				cur = []*node{el}
			}
		default:
			cur = []*node{doc.root} // absolute, or relative to the document node
		}
		for i := range path.steps {
			cur = ev.downStep(&path.steps[i], cur)
			if len(cur) == 0 || ev.exceeded() {
				break
			}
		}
		out = mergeOrdered(out, cur)
	}
	return out
}

// downStep applies one downward step to a document-ordered set of context nodes.
func (ev *xpEval) downStep(st *xpStep, ctx []*node) []*node {
	var out []*node
	add := func(n *node) {
		if ev.matches(st, treeNode(n)) {
			out = append(out, n)
		}
	}
	switch st.axis {
	case axSelf:
		for _, n := range ctx {
			add(n)
		}
	case axChild:
		for _, n := range ctx {
			for _, c := range n.children {
				add(c)
			}
		}
		// Children of nested context nodes come out of order (never twice).
		sort.Slice(out, func(i, j int) bool { return out[i].order < out[j].order })
	case axDescendant, axDescendantOrSelf:
		// A context node inside the previous one's subtree adds nothing new.
		var walk func(m *node, self bool)
		walk = func(m *node, self bool) {
			if self {
				add(m)
			}
			for _, c := range m.children {
				if ev.exceeded() {
					return
				}
				walk(c, true)
			}
		}
		end := -1 // the last document position of the previous context node's subtree
		for _, n := range ctx {
			if !ev.charge(1) {
				break
			}
			if int(n.order) <= end {
				continue
			}
			end = int(lastDescendant(n).order)
			walk(n, st.axis == axDescendantOrSelf)
		}
	}
	return out
}

// lastDescendant is the last node of n's subtree in document order (n when it has no
// children): the subtree of n holds the nodes from n.order to its order.
func lastDescendant(n *node) *node {
	for n.first != nil {
		n = n.first
		for n.next != nil {
			n = n.next
		}
	}
	return n
}

// mergeOrdered merges two document-ordered node lists without duplicates.
func mergeOrdered(a, b []*node) []*node {
	if len(a) == 0 {
		return b
	}
	out := make([]*node, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || (i < len(a) && a[i].order < b[j].order):
			out = append(out, a[i])
			i++
		case i == len(a) || b[j].order < a[i].order:
			out = append(out, b[j])
			j++
		default:
			out = append(out, a[i])
			i++
			j++
		}
	}
	return out
}
