package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
)

// Limits that keep a hostile file from exhausting the stack or memory.
const (
	maxDepth    = 64       // nesting of arrays and dictionaries
	maxTokenLen = 64 << 20 // one string or name token
	blockSize   = 64 << 10 // read granularity of the windowed reader
)

// errSyntax is wrapped by every parse error of the lexer.
var errSyntax = errors.New("syntax error")

func syntaxErr(pos int64, format string, args ...any) error {
	return fmt.Errorf("%w at offset %d: %s", errSyntax, pos, fmt.Sprintf(format, args...))
}

// window gives byte access to an io.ReaderAt through one cached block, so that huge
// files are never read whole.
type window struct {
	r      io.ReaderAt
	size   int64
	buf    []byte
	bufOff int64
	mem    []byte // when the whole source is in memory (object streams)
}

func newWindow(r io.ReaderAt, size int64) *window {
	return &window{r: r, size: size, bufOff: -1}
}

func memWindow(b []byte) *window { return &window{mem: b, size: int64(len(b))} }

// at returns the byte at pos; ok is false past the end.
func (w *window) at(pos int64) (byte, bool) {
	if pos < 0 || pos >= w.size {
		return 0, false
	}
	if w.mem != nil {
		return w.mem[pos], true
	}
	if w.bufOff < 0 || pos < w.bufOff || pos >= w.bufOff+int64(len(w.buf)) {
		start := pos - pos%blockSize
		n := int64(blockSize)
		if start+n > w.size {
			n = w.size - start
		}
		if cap(w.buf) < int(n) {
			w.buf = make([]byte, blockSize)
		}
		w.buf = w.buf[:n]
		m, err := w.r.ReadAt(w.buf, start)
		if m < int(n) && err != nil {
			w.buf = w.buf[:m]
			if pos >= start+int64(m) {
				return 0, false
			}
		}
		w.bufOff = start
	}
	return w.buf[pos-w.bufOff], true
}

// slice returns a copy of the bytes [from, to).
func (w *window) slice(from, to int64) ([]byte, error) {
	if from < 0 || to > w.size || from > to {
		return nil, fmt.Errorf("range %d..%d outside the file", from, to)
	}
	if w.mem != nil {
		return append([]byte(nil), w.mem[from:to]...), nil
	}
	b := make([]byte, to-from)
	if n, err := w.r.ReadAt(b, from); n < len(b) {
		if err == nil {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return b, nil
}

func isWhite(c byte) bool {
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' '
}

func isDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

func isRegular(c byte) bool { return !isWhite(c) && !isDelim(c) }

// tokKind classifies a token.
type tokKind int

const (
	tEOF tokKind = iota
	tInt
	tReal
	tName
	tString
	tHexString
	tArrayOpen
	tArrayClose
	tDictOpen
	tDictClose
	tKeyword
)

type token struct {
	kind tokKind
	pos  int64 // first byte
	end  int64 // one past the last byte
	i    int64
	f    float64
	s    []byte // name, string bytes or keyword
}

// lexer reads tokens from a window.
type lexer struct {
	w   *window
	pos int64
}

func (l *lexer) skipSpace() {
	for {
		c, ok := l.w.at(l.pos)
		if !ok {
			return
		}
		if isWhite(c) {
			l.pos++
			continue
		}
		if c == '%' {
			for {
				l.pos++
				c, ok = l.w.at(l.pos)
				if !ok || c == '\n' || c == '\r' {
					break
				}
			}
			continue
		}
		return
	}
}

func (l *lexer) next() (token, error) {
	l.skipSpace()
	start := l.pos
	c, ok := l.w.at(l.pos)
	if !ok {
		return token{kind: tEOF, pos: start, end: start}, nil
	}
	switch {
	case c == '[':
		l.pos++
		return token{kind: tArrayOpen, pos: start, end: l.pos}, nil
	case c == ']':
		l.pos++
		return token{kind: tArrayClose, pos: start, end: l.pos}, nil
	case c == '<':
		if c2, _ := l.w.at(l.pos + 1); c2 == '<' {
			l.pos += 2
			return token{kind: tDictOpen, pos: start, end: l.pos}, nil
		}
		return l.hexString()
	case c == '>':
		if c2, _ := l.w.at(l.pos + 1); c2 == '>' {
			l.pos += 2
			return token{kind: tDictClose, pos: start, end: l.pos}, nil
		}
		return token{}, syntaxErr(start, "unexpected '>'")
	case c == '(':
		return l.literalString()
	case c == '/':
		return l.name()
	case c == ')' || c == '{' || c == '}':
		return token{}, syntaxErr(start, "unexpected %q", c)
	case c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9'):
		return l.number()
	default:
		var kw []byte
		for {
			c, ok := l.w.at(l.pos)
			if !ok || !isRegular(c) {
				break
			}
			if len(kw) > 64 {
				return token{}, syntaxErr(start, "keyword too long")
			}
			kw = append(kw, c)
			l.pos++
		}
		return token{kind: tKeyword, pos: start, end: l.pos, s: kw}, nil
	}
}

func (l *lexer) number() (token, error) {
	start := l.pos
	var b []byte
	for {
		c, ok := l.w.at(l.pos)
		if !ok || !isRegular(c) {
			break
		}
		if len(b) > 64 {
			return token{}, syntaxErr(start, "number too long")
		}
		b = append(b, c)
		l.pos++
	}
	s := string(b)
	isInt := true
	for i, c := range b {
		if (c == '+' || c == '-') && i == 0 {
			continue
		}
		if c < '0' || c > '9' {
			isInt = false
		}
	}
	if isInt {
		if v, err := strconv.ParseInt(s, 10, 64); err == nil {
			return token{kind: tInt, pos: start, end: l.pos, i: v}, nil
		}
	}
	// A real: digits with at most one period, optional sign. No exponents in PDF.
	dots, digits := 0, 0
	for i, c := range b {
		switch {
		case (c == '+' || c == '-') && i == 0:
		case c == '.':
			dots++
		case c >= '0' && c <= '9':
			digits++
		default:
			return token{}, syntaxErr(start, "bad number %q", s)
		}
	}
	if dots > 1 || digits == 0 {
		return token{}, syntaxErr(start, "bad number %q", s)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return token{}, syntaxErr(start, "bad number %q", s)
	}
	return token{kind: tReal, pos: start, end: l.pos, f: f}, nil
}

func hexVal(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func (l *lexer) name() (token, error) {
	start := l.pos
	l.pos++ // '/'
	var b []byte
	for {
		c, ok := l.w.at(l.pos)
		if !ok || !isRegular(c) {
			break
		}
		if len(b) > 4096 {
			return token{}, syntaxErr(start, "name too long")
		}
		if c == '#' {
			h1, ok1 := l.w.at(l.pos + 1)
			h2, ok2 := l.w.at(l.pos + 2)
			v1, g1 := hexVal(h1)
			v2, g2 := hexVal(h2)
			if ok1 && ok2 && g1 && g2 {
				b = append(b, v1<<4|v2)
				l.pos += 3
				continue
			}
		}
		b = append(b, c)
		l.pos++
	}
	return token{kind: tName, pos: start, end: l.pos, s: b}, nil
}

func (l *lexer) hexString() (token, error) {
	start := l.pos
	l.pos++ // '<'
	var b []byte
	var hi byte
	half := false
	for {
		c, ok := l.w.at(l.pos)
		if !ok {
			return token{}, syntaxErr(start, "unterminated hex string")
		}
		l.pos++
		if c == '>' {
			break
		}
		if isWhite(c) {
			continue
		}
		v, ok := hexVal(c)
		if !ok {
			return token{}, syntaxErr(l.pos-1, "bad hex digit %q", c)
		}
		if half {
			b = append(b, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
		if len(b) > maxTokenLen {
			return token{}, syntaxErr(start, "hex string too long")
		}
	}
	if half {
		b = append(b, hi<<4)
	}
	return token{kind: tHexString, pos: start, end: l.pos, s: b}, nil
}

func (l *lexer) literalString() (token, error) {
	start := l.pos
	l.pos++ // '('
	var b []byte
	depth := 1
	for {
		c, ok := l.w.at(l.pos)
		if !ok {
			return token{}, syntaxErr(start, "unterminated string")
		}
		l.pos++
		if len(b) > maxTokenLen {
			return token{}, syntaxErr(start, "string too long")
		}
		switch c {
		case '(':
			depth++
			b = append(b, c)
		case ')':
			depth--
			if depth == 0 {
				return token{kind: tString, pos: start, end: l.pos, s: b}, nil
			}
			b = append(b, c)
		case '\r':
			// An end of line inside a literal string is read as a single LF.
			if c2, _ := l.w.at(l.pos); c2 == '\n' {
				l.pos++
			}
			b = append(b, '\n')
		case '\\':
			e, ok := l.w.at(l.pos)
			if !ok {
				return token{}, syntaxErr(start, "unterminated string")
			}
			l.pos++
			switch e {
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case '(', ')', '\\':
				b = append(b, e)
			case '\r':
				if c2, _ := l.w.at(l.pos); c2 == '\n' {
					l.pos++
				}
			case '\n':
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for k := 0; k < 2; k++ {
						d, ok := l.w.at(l.pos)
						if !ok || d < '0' || d > '7' {
							break
						}
						v = v*8 + int(d-'0')
						l.pos++
					}
					b = append(b, byte(v))
				} else {
					b = append(b, e)
				}
			}
		default:
			b = append(b, c)
		}
	}
}

// parser builds objects from tokens, with one token of lookahead kept by position.
type parser struct {
	lx lexer
}

func newParser(w *window, pos int64) *parser { return &parser{lx: lexer{w: w, pos: pos}} }

// object parses one direct object (references are returned as Ref).
func (p *parser) object(depth int) (Object, error) {
	t, err := p.lx.next()
	if err != nil {
		return nil, err
	}
	return p.objectFrom(t, depth)
}

func (p *parser) objectFrom(t token, depth int) (Object, error) {
	if depth > maxDepth {
		return nil, syntaxErr(t.pos, "objects nested too deeply")
	}
	switch t.kind {
	case tEOF:
		return nil, syntaxErr(t.pos, "unexpected end of data")
	case tInt:
		// Maybe "num gen R".
		save := p.lx.pos
		t2, err := p.lx.next()
		if err == nil && t2.kind == tInt {
			t3, err := p.lx.next()
			if err == nil && t3.kind == tKeyword && string(t3.s) == "R" {
				if t.i < 0 || t.i > math.MaxInt32 || t2.i < 0 || t2.i > 65535 {
					return nil, syntaxErr(t.pos, "bad reference %d %d R", t.i, t2.i)
				}
				return Ref{Num: int(t.i), Gen: int(t2.i)}, nil
			}
		}
		p.lx.pos = save
		return Int(t.i), nil
	case tReal:
		return Real(t.f), nil
	case tName:
		return Name(t.s), nil
	case tString:
		return String{Bytes: t.s, Pos: t.pos, End: t.end}, nil
	case tHexString:
		return String{Bytes: t.s, Hex: true, Pos: t.pos, End: t.end}, nil
	case tArrayOpen:
		var a Array
		for {
			t, err := p.lx.next()
			if err != nil {
				return nil, err
			}
			if t.kind == tArrayClose {
				if a == nil {
					a = Array{}
				}
				return a, nil
			}
			v, err := p.objectFrom(t, depth+1)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
	case tDictOpen:
		d := Dict{}
		for {
			t, err := p.lx.next()
			if err != nil {
				return nil, err
			}
			if t.kind == tDictClose {
				return d, nil
			}
			if t.kind != tName {
				return nil, syntaxErr(t.pos, "dictionary key is not a name")
			}
			v, err := p.object(depth + 1)
			if err != nil {
				return nil, err
			}
			if d.Has(Name(t.s)) {
				// The first occurrence wins here; other readers take the last one, which
				// Shadowed keeps so that the change analysis sees every reading.
				d.Dup = true
				d.Shadowed = append(d.Shadowed, DictEntry{Name(t.s), v})
				continue
			}
			d.Entries = append(d.Entries, DictEntry{Name(t.s), v})
		}
	case tKeyword:
		switch string(t.s) {
		case "true":
			return Bool(true), nil
		case "false":
			return Bool(false), nil
		case "null":
			return Null{}, nil
		}
		return nil, syntaxErr(t.pos, "unexpected keyword %q", t.s)
	}
	return nil, syntaxErr(t.pos, "unexpected token")
}

// keyword reads the next token and checks that it is the keyword kw.
func (p *parser) keyword(kw string) error {
	t, err := p.lx.next()
	if err != nil {
		return err
	}
	if t.kind != tKeyword || string(t.s) != kw {
		return syntaxErr(t.pos, "expected %q", kw)
	}
	return nil
}

// objHeader reads "num gen obj".
func (p *parser) objHeader() (Ref, error) {
	t1, err := p.lx.next()
	if err != nil {
		return Ref{}, err
	}
	t2, err := p.lx.next()
	if err != nil {
		return Ref{}, err
	}
	if t1.kind != tInt || t2.kind != tInt || t1.i < 0 || t1.i > math.MaxInt32 || t2.i < 0 || t2.i > 65535 {
		return Ref{}, syntaxErr(t1.pos, "expected an object header")
	}
	if err := p.keyword("obj"); err != nil {
		return Ref{}, err
	}
	return Ref{Num: int(t1.i), Gen: int(t2.i)}, nil
}

// indexOf finds needle in the window starting at from, looking at most limit bytes.
func (w *window) indexOf(needle []byte, from, limit int64) int64 {
	end := from + limit
	if end > w.size {
		end = w.size
	}
	const chunk = 64 << 10
	for pos := from; pos < end; pos += chunk - int64(len(needle)) {
		to := pos + chunk
		if to > end {
			to = end
		}
		b, err := w.slice(pos, to)
		if err != nil {
			return -1
		}
		if i := bytes.Index(b, needle); i >= 0 {
			return pos + int64(i)
		}
		if to == end {
			break
		}
	}
	return -1
}
