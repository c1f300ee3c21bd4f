package xades

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Parsing errors. Every error returned by the parser wraps exactly one of these.
var (
	// ErrDOCTYPE: the document has a document type declaration. mynasign never processes
	// DTDs (no entity expansion, no default attributes, no external subsets), so such a
	// document is refused as a whole.
	ErrDOCTYPE = errors.New("the XML has a DOCTYPE declaration (refused: no DTD processing)")
	// ErrEncoding: the document is not in UTF-8 (the only encoding accepted).
	ErrEncoding = errors.New("the XML is not UTF-8")
	// ErrMalformed: the document is not well-formed (or not namespace-well-formed).
	ErrMalformed = errors.New("the XML is malformed")
	// ErrTooDeep: elements are nested deeper than MaxDepth.
	ErrTooDeep = errors.New("the XML is nested too deeply")
)

// Structural limits. Real application data stays far below them; they keep hostile
// input from exhausting the stack or the memory, or making canonicalization quadratic.
const (
	MaxDepth      = 1000  // deepest element nesting
	MaxAttributes = 10000 // attributes and namespace declarations on one element
	MaxNamespaces = 1000  // namespace bindings in scope at one element
)

// SyntaxError says where and why a document is not acceptable XML.
type SyntaxError struct {
	Line   int // 1-based
	Offset int // byte offset in the input
	Msg    string
	kind   error
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// Unwrap returns the error kind (ErrDOCTYPE, ErrEncoding, ErrMalformed or ErrTooDeep).
func (e *SyntaxError) Unwrap() error { return e.kind }

type parser struct {
	s     string
	p     int
	doc   *document
	order int
	buf   []byte
	slab  []node // nodes are allocated in blocks: a big document has millions
	eslab []elemFields
	aslab []attr // and so are attributes
	// raws and others are startTag's scratch lists of an element's attributes.
	raws, others []rawAttr
	// plain holds the shared elemFields of elements without attributes and namespace
	// declarations, by qualified name and scope, and of processing instructions, by
	// "?" and their target (a name cannot start with "?").
	plain map[plainKey]*elemFields
	// tail holds, for each open node (the document node first), its last child so far
	// and the child before that one (which a completed plain node merges into: runs).
	tail []tailEntry
	// collapse makes runs of plain nodes (run.go); base is the copy of a run's parent
	// whose children a run expansion parses (nil for a whole document).
	collapse bool
	base     *node
	baseNode node // what base points at in a run expansion
	// runParent is the parent of the run being expanded (the real node, whose copy is
	// base); reuse makes the expansion reuse the nodes of each top-level node for the next.
	runParent *node
	reuse     bool
	// scopeEntries counts the namespace bindings of the scopes built so far: each element
	// that declares a namespace gets a copy of its whole scope, so deep nesting with a
	// declaration at every level would otherwise cost memory quadratic in the depth.
	scopeEntries int
}

// maxScopeEntries (plus one per 16 bytes of input) bounds parser.scopeEntries: 32 MB of
// bindings, far more than real documents hold, far less than a hostile one could ask.
const maxScopeEntries = 1 << 20

// tailEntry is the end of an open node's child list.
type tailEntry struct{ last, prev *node }

// plainKey identifies the elemFields of an element without attributes: its qualified
// name and its scope (which it shares with its parent, so the slice identifies it).
type plainKey struct {
	qname string
	scope *nsBinding
	n     int
}

func (p *parser) fail(kind error, at int, format string, args ...any) error {
	if at > len(p.s) {
		at = len(p.s)
	}
	return &SyntaxError{
		Line:   strings.Count(p.s[:at], "\n") + 1,
		Offset: at,
		Msg:    fmt.Sprintf(format, args...),
		kind:   kind,
	}
}

// parseDocument parses an XML document without a DTD. The input is not modified; the
// returned document keeps it (as a string) for byte-exact splicing. Runs of plain content
// are kept as runs (run.go): parseFull gives the whole tree.
func parseDocument(data []byte) (*document, error) {
	return parseString(string(data))
}

// parseString is parseDocument of an input held as a string (no copy is made).
func parseString(s string) (*document, error) { return parseMode(s, true) }

// parseFull parses a document into its whole tree, every node materialized: what the
// XPath transforms and the e-Gov rules work on.
func parseFull(s string) (*document, error) { return parseMode(s, false) }

func parseMode(s string, collapse bool) (*document, error) {
	d := &document{src: s, root: &node{kind: documentNode}, ids: map[string][]*node{}}
	p := &parser{s: s, doc: d, tail: []tailEntry{{}}, collapse: collapse}
	if strings.HasPrefix(s, "\xEF\xBB\xBF") {
		d.hasBOM = true
		p.p = 3
	} else if strings.HasPrefix(s, "\xFE\xFF") || strings.HasPrefix(s, "\xFF\xFE") {
		return nil, p.fail(ErrEncoding, 0, "UTF-16 is not supported; save the file as UTF-8")
	}
	if err := p.checkChars(); err != nil {
		return nil, err
	}
	if strings.HasPrefix(s[p.p:], "<?xml") && p.p+5 < len(s) && isSpace(s[p.p+5]) {
		if err := p.xmlDecl(); err != nil {
			return nil, err
		}
		if err := p.checkDeclaredASCII(); err != nil {
			return nil, err
		}
	}
	if err := p.misc(false); err != nil {
		return nil, err
	}
	if p.p >= len(s) || s[p.p] != '<' {
		return nil, p.fail(ErrMalformed, p.p, "no document element")
	}
	if err := p.content(d.root, len(s), nil); err != nil {
		return nil, err
	}
	if err := p.misc(true); err != nil {
		return nil, err
	}
	if p.p < len(s) {
		return nil, p.fail(ErrMalformed, p.p, "content after the document element")
	}
	d.count = p.order
	return d, nil
}

// checkChars verifies UTF-8 and the XML 1.0 Char production for the whole input.
func (p *parser) checkChars() error {
	s := p.s
	for i := p.p; i < len(s); {
		b := s[i]
		if b < 0x80 {
			if b < 0x20 && b != '\t' && b != '\n' && b != '\r' {
				return p.fail(ErrMalformed, i, "control character U+%04X is not allowed in XML", b)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			return p.fail(ErrEncoding, i, "invalid UTF-8 byte sequence")
		}
		if r == 0xFFFE || r == 0xFFFF {
			return p.fail(ErrMalformed, i, "character U+%04X is not allowed in XML", r)
		}
		i += n
	}
	return nil
}

// checkDeclaredASCII refuses a document that declares US-ASCII but holds other bytes (a
// byte order mark or UTF-8 characters). Such a file is not what it says it is (a fatal
// error in XML 1.0 §4.3.3): libxml2 and Xerces stop on the first such byte, .NET reads
// each one as '?', and none of them shows the UTF-8 text the verifier would read. The
// verdict is INDETERMINATE (the document cannot be read as declared), as for every
// other encoding mynasign does not read.
func (p *parser) checkDeclaredASCII() error {
	enc := p.doc.encoding
	if !strings.EqualFold(enc, "US-ASCII") && !strings.EqualFold(enc, "ASCII") {
		return nil
	}
	if p.doc.hasBOM {
		return p.fail(ErrEncoding, 0, "the XML declaration says %s but the file starts with a UTF-8 byte order mark", enc)
	}
	for i := 0; i < len(p.s); i++ {
		if p.s[i] >= 0x80 {
			return p.fail(ErrEncoding, i, "the XML declaration says %s but the file holds characters that are not ASCII (save it declaring UTF-8)", enc)
		}
	}
	return nil
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

func (p *parser) skipSpace() bool {
	start := p.p
	for p.p < len(p.s) && isSpace(p.s[p.p]) {
		p.p++
	}
	return p.p > start
}

// xmlDecl parses the XML declaration; only version 1.0 and UTF-8 are accepted.
func (p *parser) xmlDecl() error {
	start := p.p
	p.p += 5
	seen := map[string]bool{}
	for {
		sp := p.skipSpace()
		if strings.HasPrefix(p.s[p.p:], "?>") {
			p.p += 2
			break
		}
		if !sp {
			return p.fail(ErrMalformed, p.p, "malformed XML declaration")
		}
		name, err := p.name()
		if err != nil {
			return err
		}
		p.skipSpace()
		if p.p >= len(p.s) || p.s[p.p] != '=' {
			return p.fail(ErrMalformed, p.p, "malformed XML declaration")
		}
		p.p++
		p.skipSpace()
		if p.p >= len(p.s) || (p.s[p.p] != '"' && p.s[p.p] != '\'') {
			return p.fail(ErrMalformed, p.p, "malformed XML declaration")
		}
		q := p.s[p.p]
		end := strings.IndexByte(p.s[p.p+1:], q)
		if end < 0 {
			return p.fail(ErrMalformed, p.p, "unterminated XML declaration")
		}
		val := p.s[p.p+1 : p.p+1+end]
		p.p += end + 2
		if seen[name] {
			return p.fail(ErrMalformed, p.p, "repeated %s in the XML declaration", name)
		}
		seen[name] = true
		switch name {
		case "version":
			if val != "1.0" {
				return p.fail(ErrMalformed, p.p, "XML version %q is not supported (only 1.0)", val)
			}
		case "encoding":
			// The bytes are read as UTF-8, so only encodings that agree with UTF-8 on
			// every byte of the file are accepted: UTF-8 itself, and US-ASCII for a file
			// that holds ASCII only (checkDeclaredASCII). Any other declaration
			// (Shift_JIS, ISO-8859-1, UTF-16, …) is refused rather than decoded: a
			// parser that honours it reads other characters from the same bytes than
			// a parser that assumes UTF-8, and which one an application uses cannot be
			// known (XML 1.0 §4.3.3 makes bytes that are not in the declared encoding a
			// fatal error).
			if !strings.EqualFold(val, "UTF-8") && !strings.EqualFold(val, "UTF8") &&
				!strings.EqualFold(val, "US-ASCII") && !strings.EqualFold(val, "ASCII") {
				return p.fail(ErrEncoding, p.p, "encoding %q is not supported; save the file as UTF-8", val)
			}
			p.doc.encoding = val
		case "standalone":
			if val != "yes" && val != "no" {
				return p.fail(ErrMalformed, p.p, "malformed standalone declaration")
			}
		default:
			return p.fail(ErrMalformed, p.p, "unknown %q in the XML declaration", name)
		}
	}
	if !seen["version"] {
		return p.fail(ErrMalformed, start, "the XML declaration has no version")
	}
	return nil
}

// misc parses comments, processing instructions and white space before or after the
// document element; they become children of the document node.
func (p *parser) misc(after bool) error {
	for {
		p.skipSpace()
		if p.p >= len(p.s) {
			return nil
		}
		rest := p.s[p.p:]
		switch {
		case strings.HasPrefix(rest, "<!--"):
			if err := p.comment(p.doc.root); err != nil {
				return err
			}
		case strings.HasPrefix(rest, "<?"):
			if err := p.pi(p.doc.root); err != nil {
				return err
			}
		case strings.HasPrefix(rest, "<!DOCTYPE"):
			return p.fail(ErrDOCTYPE, p.p, "DOCTYPE declarations are refused (no DTD processing)")
		case strings.HasPrefix(rest, "<!"):
			return p.fail(ErrMalformed, p.p, "markup declaration outside a DOCTYPE")
		default:
			if after || rest[0] != '<' {
				if rest[0] == '<' {
					return p.fail(ErrMalformed, p.p, "a second document element")
				}
				return p.fail(ErrMalformed, p.p, "text outside the document element")
			}
			return nil
		}
	}
}

func (p *parser) newNode(kind nodeKind, parent *node, start int) *node {
	if len(p.slab) == cap(p.slab) {
		size := 64
		if p.order > 4096 && p.base == nil {
			size = 4096
		}
		p.slab = make([]node, 0, size)
	}
	p.slab = p.slab[:len(p.slab)+1]
	n := &p.slab[len(p.slab)-1]
	*n = node{kind: kind, parent: parent, start: int32(start), order: int32(p.order)}
	p.order++
	// parent is the innermost open node, whose last child is the tail's top.
	t := &p.tail[len(p.tail)-1]
	if t.last == nil {
		parent.first = n
	} else {
		t.last.next = n
	}
	t.prev, t.last = t.last, n
	return n
}

// appendText adds character data to parent, merging it with a directly preceding text
// node (CDATA sections and character data are one text node in the data model). Text
// inside an element whose content collapses joins the run before it, or starts one.
func (p *parser) appendText(parent *node, start int, data func() string) {
	if start == p.p {
		return
	}
	last := p.tail[len(p.tail)-1].last
	if p.collapsible(parent) {
		if last != nil && last.kind == runNode {
			last.end = int32(p.p)
			return
		}
		r := p.newNode(runNode, parent, start)
		r.end, r.data = int32(p.p), p.s
		return
	}
	d := data()
	if d == "" {
		return
	}
	if last != nil && last.kind == textNode {
		last.data += d
		last.end = int32(p.p)
		return
	}
	t := p.newNode(textNode, parent, start)
	t.data = d
	t.end = int32(p.p)
}

func (p *parser) comment(parent *node) error {
	start := p.p
	end := strings.Index(p.s[p.p+4:], "--")
	if end < 0 {
		return p.fail(ErrMalformed, start, "unterminated comment")
	}
	body := p.s[p.p+4 : p.p+4+end]
	if !strings.HasPrefix(p.s[p.p+4+end:], "-->") {
		return p.fail(ErrMalformed, start, "\"--\" inside a comment")
	}
	p.p += 4 + end + 3
	if p.joinRun(parent, start) {
		return nil
	}
	c := p.newNode(commentNode, parent, start)
	c.data = normalizeNewlines(body)
	c.end = int32(p.p)
	return nil
}

func (p *parser) pi(parent *node) error {
	start := p.p
	p.p += 2
	target, err := p.name()
	if err != nil {
		return err
	}
	if strings.EqualFold(target, "xml") {
		return p.fail(ErrMalformed, start, "XML declaration not at the start of the document")
	}
	if strings.Contains(target, ":") {
		return p.fail(ErrMalformed, start, "processing instruction target %q contains a colon", target)
	}
	var data string
	if strings.HasPrefix(p.s[p.p:], "?>") {
		p.p += 2
	} else {
		if !p.skipSpace() {
			return p.fail(ErrMalformed, p.p, "malformed processing instruction")
		}
		end := strings.Index(p.s[p.p:], "?>")
		if end < 0 {
			return p.fail(ErrMalformed, start, "unterminated processing instruction")
		}
		data = normalizeNewlines(p.s[p.p : p.p+end])
		p.p += end + 2
	}
	if p.joinRun(parent, start) {
		return nil
	}
	n := p.newNode(piNode, parent, start)
	n.elemFields = p.plain[plainKey{qname: "?" + target}]
	if n.elemFields == nil {
		if p.plain == nil {
			p.plain = map[plainKey]*elemFields{}
		}
		n.elemFields = &elemFields{local: target}
		p.plain[plainKey{qname: "?" + target}] = n.elemFields
	}
	n.data = data
	n.end = int32(p.p)
	return nil
}

// rawAttr is an attribute as written, before namespace processing.
type rawAttr struct {
	qname string
	value string
	at    int
}

// content parses, iteratively, the content of base from p.p: for the document node its
// document element, and for the copy of a run's parent (a run expansion, run.go) every
// node up to limit, each handed to emit once it is complete.
func (p *parser) content(base *node, limit int, emit func(*node) bool) error {
	cur := base
	depth := 0
	for {
		if cur == base && emit != nil {
			// A run expansion: text at the top is handed over before the next node.
			if p.p >= limit || (p.s[p.p] == '<' && !strings.HasPrefix(p.s[p.p:], "<![CDATA[")) {
				if !p.emitText(base, emit) {
					return errStopExpansion
				}
				if p.p >= limit {
					return nil
				}
			}
		}
		if p.p >= len(p.s) {
			return p.fail(ErrMalformed, p.p, "the document ends inside <%s>", cur.qname())
		}
		if p.s[p.p] != '<' {
			if err := p.charData(cur); err != nil {
				return err
			}
			continue
		}
		rest := p.s[p.p:]
		var done *node // a node completed at the top of an expansion
		switch {
		case strings.HasPrefix(rest, "</"):
			closed := cur
			if err := p.endTag(cur, base); err != nil {
				return err
			}
			cur = cur.parent
			depth--
			if cur == p.doc.root {
				return nil
			}
			p.settle(closed)
			if cur == base {
				done = closed
			}
		case strings.HasPrefix(rest, "<!--"):
			if err := p.comment(cur); err != nil {
				return err
			}
			if cur == base {
				done = p.tail[len(p.tail)-1].last
			}
		case strings.HasPrefix(rest, "<![CDATA["):
			if err := p.cdata(cur); err != nil {
				return err
			}
		case strings.HasPrefix(rest, "<?"):
			if err := p.pi(cur); err != nil {
				return err
			}
			if cur == base {
				done = p.tail[len(p.tail)-1].last
			}
		case strings.HasPrefix(rest, "<!DOCTYPE"):
			return p.fail(ErrDOCTYPE, p.p, "DOCTYPE declarations are refused (no DTD processing)")
		case strings.HasPrefix(rest, "<!"):
			return p.fail(ErrMalformed, p.p, "markup declaration inside an element")
		default:
			if cur == p.doc.root && p.doc.elem != nil {
				return p.fail(ErrMalformed, p.p, "a second document element")
			}
			el, err := p.startTag(cur)
			if err != nil {
				return err
			}
			if cur == p.doc.root {
				p.doc.elem = el
			}
			if !el.selfClosing {
				depth++
				if depth > MaxDepth {
					return p.fail(ErrTooDeep, int(el.start), "elements nested deeper than %d", MaxDepth)
				}
				cur = el
				p.tail = append(p.tail, tailEntry{})
			} else if cur == p.doc.root {
				return nil
			} else {
				p.settle(el)
				if cur == base {
					done = el
				}
			}
		}
		if done != nil && emit != nil && !p.emitTop(base, done, emit) {
			return errStopExpansion
		}
	}
}

// endTag parses the end tag at p.p, which must close cur (not base, the node whose
// content is parsed), and ends cur there; the caller moves up to cur's parent.
func (p *parser) endTag(cur, base *node) error {
	start := p.p
	p.p += 2
	name, err := p.name()
	if err != nil {
		return err
	}
	if name != cur.qname() || cur == base {
		return p.fail(ErrMalformed, start, "end tag </%s> does not match <%s>", name, cur.qname())
	}
	p.skipSpace()
	if p.p >= len(p.s) || p.s[p.p] != '>' {
		return p.fail(ErrMalformed, p.p, "malformed end tag </%s>", name)
	}
	p.p++
	cur.end = int32(p.p)
	p.tail = p.tail[:len(p.tail)-1]
	return nil
}

// cdata parses the CDATA section at p.p into text of parent.
func (p *parser) cdata(parent *node) error {
	start := p.p
	rest := p.s[p.p:]
	end := strings.Index(rest[9:], "]]>")
	if end < 0 {
		return p.fail(ErrMalformed, start, "unterminated CDATA section")
	}
	body := rest[9 : 9+end]
	p.p += 9 + end + 3
	p.appendText(parent, start, func() string { return normalizeNewlines(body) })
	return nil
}

// charData parses character data up to the next '<'.
func (p *parser) charData(parent *node) error {
	start := p.p
	end := strings.IndexByte(p.s[p.p:], '<')
	if end < 0 {
		end = len(p.s) - p.p
	}
	seg := p.s[p.p : p.p+end]
	if i := strings.Index(seg, "]]>"); i >= 0 {
		return p.fail(ErrMalformed, p.p+i, "\"]]>\" is not allowed in text")
	}
	if parent == p.doc.root {
		return p.fail(ErrMalformed, p.p, "text outside the document element")
	}
	if strings.IndexByte(seg, '&') < 0 && strings.IndexByte(seg, '\r') < 0 {
		p.p += end
		p.appendText(parent, start, func() string { return seg })
		return nil
	}
	p.buf = p.buf[:0]
	lim := p.p + end
	for p.p < lim {
		c := p.s[p.p]
		switch c {
		case '&':
			if err := p.reference(); err != nil {
				return err
			}
		case '\r':
			p.buf = append(p.buf, '\n')
			p.p++
			if p.p < lim && p.s[p.p] == '\n' {
				p.p++
			}
		default:
			p.buf = append(p.buf, c)
			p.p++
		}
	}
	p.appendText(parent, start, func() string { return string(p.buf) })
	return nil
}

// reference parses &name; or &#n; / &#xh; at p.p and appends the character to p.buf.
func (p *parser) reference() error {
	start := p.p
	end := strings.IndexByte(p.s[p.p:], ';')
	if end < 0 || end > 12 {
		return p.fail(ErrMalformed, start, "malformed reference")
	}
	ref := p.s[p.p+1 : p.p+end]
	p.p += end + 1
	switch ref {
	case "lt":
		p.buf = append(p.buf, '<')
	case "gt":
		p.buf = append(p.buf, '>')
	case "amp":
		p.buf = append(p.buf, '&')
	case "apos":
		p.buf = append(p.buf, '\'')
	case "quot":
		p.buf = append(p.buf, '"')
	default:
		if !strings.HasPrefix(ref, "#") {
			return p.fail(ErrMalformed, start, "undeclared entity &%s; (no DTD)", ref)
		}
		var r rune
		digits := ref[1:]
		base := rune(10)
		if strings.HasPrefix(digits, "x") {
			digits = digits[1:]
			base = 16
		}
		if digits == "" {
			return p.fail(ErrMalformed, start, "malformed character reference")
		}
		for i := 0; i < len(digits); i++ {
			c := digits[i]
			var v rune
			switch {
			case c >= '0' && c <= '9':
				v = rune(c - '0')
			case base == 16 && c >= 'a' && c <= 'f':
				v = rune(c-'a') + 10
			case base == 16 && c >= 'A' && c <= 'F':
				v = rune(c-'A') + 10
			default:
				return p.fail(ErrMalformed, start, "malformed character reference")
			}
			r = r*base + v
			if r > 0x10FFFF {
				return p.fail(ErrMalformed, start, "character reference out of range")
			}
		}
		if !isXMLChar(r) {
			return p.fail(ErrMalformed, start, "character reference to a character not allowed in XML")
		}
		p.buf = utf8.AppendRune(p.buf, r)
	}
	return nil
}

func isXMLChar(r rune) bool {
	return r == 0x9 || r == 0xA || r == 0xD || (r >= 0x20 && r <= 0xD7FF) ||
		(r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}

// attrSlab returns an empty list with room for n attributes, from the parser's blocks.
func (p *parser) attrSlab(n int) []attr {
	if cap(p.aslab)-len(p.aslab) < n {
		size := 256
		if p.order > 4096 {
			size = 4096
		}
		p.aslab = make([]attr, 0, max(size, n))
	}
	k := len(p.aslab)
	p.aslab = p.aslab[:k+n]
	return p.aslab[k : k : k+n]
}

// rawAttrs reads the attributes of a start tag up to its end (> or />, which sets
// el.selfClosing), into the parser's reused scratch list.
func (p *parser) rawAttrs(el *node, qn string, start int) ([]rawAttr, error) {
	p.raws = p.raws[:0]
	for {
		sp := p.skipSpace()
		if p.p >= len(p.s) {
			return nil, p.fail(ErrMalformed, start, "unterminated start tag <%s", qn)
		}
		if p.s[p.p] == '>' {
			p.p++
			return p.raws, nil
		}
		if strings.HasPrefix(p.s[p.p:], "/>") {
			p.p += 2
			el.selfClosing = true
			el.end = int32(p.p)
			return p.raws, nil
		}
		if !sp {
			return nil, p.fail(ErrMalformed, p.p, "white space expected between attributes in <%s>", qn)
		}
		at := p.p
		an, err := p.name()
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if p.p >= len(p.s) || p.s[p.p] != '=' {
			return nil, p.fail(ErrMalformed, p.p, "attribute %s has no value", an)
		}
		p.p++
		p.skipSpace()
		val, err := p.attrValue()
		if err != nil {
			return nil, err
		}
		p.raws = append(p.raws, rawAttr{qname: an, value: val, at: at})
		if len(p.raws) > MaxAttributes {
			return nil, p.fail(ErrMalformed, at, "more than %d attributes on <%s>", MaxAttributes, qn)
		}
	}
}

// startTag parses a start tag or empty-element tag and applies namespace processing.
func (p *parser) startTag(parent *node) (*node, error) {
	start := p.p
	p.p++
	qn, err := p.name()
	if err != nil {
		return nil, err
	}
	el := p.newNode(elementNode, parent, start)
	raws, err := p.rawAttrs(el, qn, start)
	if err != nil {
		return nil, err
	}

	// Namespace declarations first: they apply to the element's own name and attributes.
	var scope []nsBinding
	if parent.kind == elementNode {
		scope = parent.scope
	}
	// An element without attributes shares the fields of the last one with the same name
	// in the same scope.
	var plain plainKey
	isPlain := len(raws) == 0
	if isPlain {
		plain = plainKey{qname: qn, n: len(scope)}
		if len(scope) > 0 {
			plain.scope = &scope[0]
		}
		if f, ok := p.plain[plain]; ok {
			el.elemFields = f
			return el, nil
		}
	}
	el.elemFields = p.newElemFields()
	others, err := p.nsDecls(el, raws)
	if err != nil {
		return nil, err
	}
	if len(el.decls) > 0 {
		if scope, err = p.declScope(scope, el.decls, qn, start); err != nil {
			return nil, err
		}
	}
	el.scope = scope
	if err := p.elementName(el, qn, start); err != nil {
		return nil, err
	}
	if len(others) > 0 {
		if err := p.elemAttrs(el, others); err != nil {
			return nil, err
		}
	}
	if isPlain {
		if p.plain == nil {
			p.plain = map[plainKey]*elemFields{}
		}
		p.plain[plain] = el.elemFields
	}
	return el, nil
}

// newElemFields returns the next zeroed elemFields of the parser's slab, starting a new
// slab (larger in big documents) when the current one is full.
func (p *parser) newElemFields() *elemFields {
	if len(p.eslab) == cap(p.eslab) {
		size := 64
		if p.order > 4096 {
			size = 2048
		}
		p.eslab = make([]elemFields, 0, size)
	}
	p.eslab = p.eslab[:len(p.eslab)+1]
	return &p.eslab[len(p.eslab)-1]
}

// nsDecls checks el's namespace declarations (xmlns and xmlns:prefix attributes among
// raws) and records them in el.decls; it returns the other attributes, kept in p.others
// (reused from one element to the next).
func (p *parser) nsDecls(el *node, raws []rawAttr) ([]rawAttr, error) {
	others := p.others[:0]
	var declared map[string]bool
	for _, a := range raws {
		var prefix string
		switch {
		case a.qname == "xmlns":
			prefix = ""
		case strings.HasPrefix(a.qname, "xmlns:"):
			prefix = a.qname[6:]
			if err := checkNCName(prefix); err != nil {
				return nil, p.fail(ErrMalformed, a.at, "namespace prefix %q: %v", prefix, err)
			}
		default:
			others = append(others, a)
			continue
		}
		if declared == nil {
			declared = map[string]bool{}
		}
		if declared[prefix] {
			return nil, p.fail(ErrMalformed, a.at, "duplicate attribute %s", a.qname)
		}
		declared[prefix] = true
		switch {
		case prefix == "xmlns":
			return nil, p.fail(ErrMalformed, a.at, "the xmlns prefix cannot be declared")
		case prefix == "xml":
			if a.value != nsXML {
				return nil, p.fail(ErrMalformed, a.at, "the xml prefix cannot be bound to another namespace")
			}
			el.decls = append(el.decls, nsBinding{prefix, a.value})
			continue // implicit binding; not part of scope
		case a.value == nsXML || a.value == nsXMLNS:
			return nil, p.fail(ErrMalformed, a.at, "namespace %s cannot be bound to %q", a.value, a.qname)
		case prefix != "" && a.value == "":
			return nil, p.fail(ErrMalformed, a.at, "prefix %s cannot be undeclared in XML 1.0", prefix)
		}
		el.decls = append(el.decls, nsBinding{prefix, a.value})
	}
	p.others = others
	return others, nil
}

// declScope returns the scope of an element that declares decls inside base (the
// element <qn> at start), counting new copies against the parser's namespace limits.
func (p *parser) declScope(base, decls []nsBinding, qn string, start int) ([]nsBinding, error) {
	scope := applyDecls(base, decls)
	if len(scope) > 0 && (len(base) == 0 || &scope[0] != &base[0]) {
		p.scopeEntries += len(scope) // a new copy
	}
	if len(scope) > MaxNamespaces {
		return nil, p.fail(ErrMalformed, start, "more than %d namespaces in scope at <%s>", MaxNamespaces, qn)
	}
	if p.scopeEntries > maxScopeEntries+len(p.s)/16 {
		return nil, p.fail(ErrMalformed, start, "too many namespace declarations in nested elements")
	}
	return scope, nil
}

// elementName splits el's qualified name qn into prefix and local name and resolves its
// namespace in el's scope.
func (p *parser) elementName(el *node, qn string, start int) error {
	prefix, local, ok := splitQName(qn)
	if !ok {
		return p.fail(ErrMalformed, start, "element name %q is not a valid qualified name", qn)
	}
	if prefix == "xmlns" {
		return p.fail(ErrMalformed, start, "element name %q uses the xmlns prefix", qn)
	}
	el.prefix, el.local = prefix, local
	uri, bound := el.lookupNS(prefix)
	if !bound && prefix != "" {
		return p.fail(ErrMalformed, start, "namespace prefix %q of <%s> is not declared", prefix, qn)
	}
	el.uri = uri
	return nil
}

// elemAttrs resolves the namespaces of el's attributes (others, not the declarations)
// into el.attrs, refusing duplicates by qualified and by expanded name, and indexes the
// ID attributes of the document.
func (p *parser) elemAttrs(el *node, others []rawAttr) error {
	el.attrs = p.attrSlab(len(others))
	var seen map[string]bool
	if len(others) > 16 {
		seen = make(map[string]bool, 2*len(others))
	}
	for _, a := range others {
		ap, al, ok := splitQName(a.qname)
		if !ok {
			return p.fail(ErrMalformed, a.at, "attribute name %q is not a valid qualified name", a.qname)
		}
		var auri string
		if ap != "" {
			u, bound := el.lookupNS(ap)
			if !bound {
				return p.fail(ErrMalformed, a.at, "namespace prefix %q of attribute %s is not declared", ap, a.qname)
			}
			auri = u
		}
		nv := attr{prefix: ap, local: al, uri: auri, value: a.value}
		if seen != nil {
			k1, k2 := "q\x00"+a.qname, "e\x00"+auri+"\x00"+al
			if seen[k1] || (ap != "" && seen[k2]) {
				return p.fail(ErrMalformed, a.at, "duplicate attribute %s", a.qname)
			}
			seen[k1] = true
			if ap != "" {
				seen[k2] = true
			}
		} else {
			for i := range el.attrs {
				o := &el.attrs[i]
				if o.qname() == a.qname || (ap != "" && o.prefix != "" && o.uri == auri && o.local == al) {
					return p.fail(ErrMalformed, a.at, "duplicate attribute %s", a.qname)
				}
			}
		}
		el.attrs = append(el.attrs, nv)
		if isIDAttr(&nv) && p.base == nil {
			d := p.doc
			d.ids[nv.value] = append(d.ids[nv.value], el)
			if len(d.ids[nv.value]) == 2 {
				d.dups = append(d.dups, nv.value)
			}
		}
	}
	return nil
}

// applyDecls returns a new sorted scope: base with decls applied, or base itself when
// the declarations change nothing (a vocabulary that repeats its namespace declaration
// on every record).
func applyDecls(base []nsBinding, decls []nsBinding) []nsBinding {
	same := true
	for _, d := range decls {
		if d.prefix == "xml" {
			continue
		}
		if u, ok := findNS(base, d.prefix); d.uri == "" && ok || d.uri != "" && (!ok || u.uri != d.uri) {
			same = false
			break
		}
	}
	if same {
		return base
	}
	m := make(map[string]string, len(base)+len(decls))
	for _, b := range base {
		m[b.prefix] = b.uri
	}
	for _, d := range decls {
		switch {
		case d.prefix == "xml":
		case d.uri == "": // xmlns="" undeclares the default namespace
			delete(m, d.prefix)
		default:
			m[d.prefix] = d.uri
		}
	}
	out := make([]nsBinding, 0, len(m))
	for prefix, uri := range m {
		out = append(out, nsBinding{prefix, uri})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].prefix < out[j].prefix })
	return out
}

// attrValue parses a quoted attribute value and normalizes it (XML 1.0 §3.3.3 for CDATA
// attributes: every literal white space character becomes a space, a CR LF pair counts
// as one; characters from references are kept as they are).
func (p *parser) attrValue() (string, error) {
	if p.p >= len(p.s) || (p.s[p.p] != '"' && p.s[p.p] != '\'') {
		return "", p.fail(ErrMalformed, p.p, "attribute value must be quoted")
	}
	q := p.s[p.p]
	p.p++
	end := strings.IndexByte(p.s[p.p:], q)
	if end < 0 {
		return "", p.fail(ErrMalformed, p.p, "unterminated attribute value")
	}
	seg := p.s[p.p : p.p+end]
	if i := strings.IndexByte(seg, '<'); i >= 0 {
		return "", p.fail(ErrMalformed, p.p+i, "'<' in an attribute value")
	}
	if strings.IndexAny(seg, "&\t\n\r") < 0 {
		p.p += end + 1
		return seg, nil
	}
	p.buf = p.buf[:0]
	lim := p.p + end
	for p.p < lim {
		c := p.s[p.p]
		switch c {
		case '&':
			if err := p.reference(); err != nil {
				return "", err
			}
			if p.p > lim {
				return "", p.fail(ErrMalformed, p.p, "malformed reference in an attribute value")
			}
		case '\r':
			p.buf = append(p.buf, ' ')
			p.p++
			if p.p < lim && p.s[p.p] == '\n' {
				p.p++
			}
		case '\t', '\n':
			p.buf = append(p.buf, ' ')
			p.p++
		default:
			p.buf = append(p.buf, c)
			p.p++
		}
	}
	p.p++ // closing quote
	return string(p.buf), nil
}

// name parses an XML Name at p.p.
func (p *parser) name() (string, error) {
	start := p.p
	for p.p < len(p.s) {
		c := p.s[p.p]
		if c < 0x80 {
			ok := isASCIINameChar(c)
			if p.p == start {
				ok = isASCIINameStart(c)
			}
			if !ok {
				break
			}
			p.p++
			continue
		}
		r, n := utf8.DecodeRuneInString(p.s[p.p:])
		if p.p == start && !isNameStartRune(r) || p.p > start && !isNameRune(r) {
			break
		}
		p.p += n
	}
	if p.p == start {
		return "", p.fail(ErrMalformed, start, "a name was expected")
	}
	return p.s[start:p.p], nil
}

func isASCIINameStart(c byte) bool {
	return c == ':' || c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
}

func isASCIINameChar(c byte) bool {
	return isASCIINameStart(c) || c == '-' || c == '.' || (c >= '0' && c <= '9')
}

// isNameStartRune is the XML 1.0 (fifth edition) NameStartChar production above ASCII.
func isNameStartRune(r rune) bool {
	switch {
	case r < 0x80:
		return isASCIINameStart(byte(r))
	case r >= 0xC0 && r <= 0xD6, r >= 0xD8 && r <= 0xF6, r >= 0xF8 && r <= 0x2FF,
		r >= 0x370 && r <= 0x37D, r >= 0x37F && r <= 0x1FFF, r >= 0x200C && r <= 0x200D,
		r >= 0x2070 && r <= 0x218F, r >= 0x2C00 && r <= 0x2FEF, r >= 0x3001 && r <= 0xD7FF,
		r >= 0xF900 && r <= 0xFDCF, r >= 0xFDF0 && r <= 0xFFFD, r >= 0x10000 && r <= 0xEFFFF:
		return true
	}
	return false
}

func isNameRune(r rune) bool {
	if r < 0x80 {
		return isASCIINameChar(byte(r))
	}
	return isNameStartRune(r) || r == 0xB7 || (r >= 0x300 && r <= 0x36F) || (r >= 0x203F && r <= 0x2040)
}

// splitQName splits a Name into prefix and local part; ok is false when it is not a
// QName (more than one colon, or an empty part).
func splitQName(qn string) (prefix, local string, ok bool) {
	i := strings.IndexByte(qn, ':')
	if i < 0 {
		return "", qn, true
	}
	prefix, local = qn[:i], qn[i+1:]
	if prefix == "" || local == "" || strings.IndexByte(local, ':') >= 0 {
		return "", "", false
	}
	return prefix, local, true
}

func checkNCName(s string) error {
	if s == "" || strings.IndexByte(s, ':') >= 0 {
		return errors.New("not a valid prefix")
	}
	return nil
}

// normalizeNewlines applies XML end-of-line handling: CR LF and lone CR become LF.
func normalizeNewlines(s string) string {
	if strings.IndexByte(s, '\r') < 0 {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}
