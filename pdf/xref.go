package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"math"
)

// xrefEntry is one cross-reference entry.
type xrefEntry struct {
	kind byte  // 'f' free, 'n' in use at an offset, 'c' compressed in an object stream
	off  int64 // 'n': byte offset; 'c': the object stream's number
	gen  int   // 'n', 'f': generation; 'c': index within the object stream
}

// xrefSection is one cross-reference table (with its trailer) or one cross-reference
// stream, as found in the file.
type xrefSection struct {
	offset  int64
	stream  bool  // a cross-reference stream
	streamN int   // its object number when stream
	end     int64 // one past the trailer dictionary / the stream object's endobj
	entries map[int]xrefEntry
	trailer Dict
	prev    int64 // -1 when absent
	xrefStm int64 // hybrid files: the /XRefStm offset, -1 when absent
	hidden  bool  // reached through /XRefStm: part of its table's revision
}

// maxSections bounds the cross-reference sections read: well past the revisions the
// change analysis compares (maxComparedRevisions), so that a file with more revisions is
// still read — and its signatures reported INDETERMINATE — rather than refused.
const maxSections = 1 << 16

// readSection parses the cross-reference section at off.
func (f *File) readSection(off int64) (*xrefSection, error) {
	if off < 0 || off >= f.size {
		return nil, fmt.Errorf("cross-reference offset %d outside the file", off)
	}
	p := newParser(f.w, off)
	save := p.lx.pos
	t, err := p.lx.next()
	if err != nil {
		return nil, err
	}
	if t.kind == tKeyword && string(t.s) == "xref" {
		return f.readTable(p, off)
	}
	p.lx.pos = save
	return f.readXRefStream(off)
}

func (f *File) readTable(p *parser, off int64) (*xrefSection, error) {
	s := &xrefSection{offset: off, entries: map[int]xrefEntry{}, prev: -1, xrefStm: -1}
	for {
		t, err := p.lx.next()
		if err != nil {
			return nil, err
		}
		if t.kind == tKeyword && string(t.s) == "trailer" {
			break
		}
		if t.kind != tInt {
			return nil, syntaxErr(t.pos, "bad cross-reference subsection")
		}
		t2, err := p.lx.next()
		if err != nil {
			return nil, err
		}
		if t2.kind != tInt || t.i < 0 || t2.i < 0 || t.i+t2.i > math.MaxInt32 || t2.i > f.size/18+1 {
			return nil, syntaxErr(t.pos, "bad cross-reference subsection header")
		}
		for n := t.i; n < t.i+t2.i; n++ {
			a, err := p.lx.next()
			if err != nil {
				return nil, err
			}
			b, err := p.lx.next()
			if err != nil {
				return nil, err
			}
			c, err := p.lx.next()
			if err != nil {
				return nil, err
			}
			if a.kind != tInt || b.kind != tInt || c.kind != tKeyword || len(c.s) != 1 || (c.s[0] != 'n' && c.s[0] != 'f') {
				return nil, syntaxErr(a.pos, "bad cross-reference entry")
			}
			if a.i < 0 || b.i < 0 || b.i > 65535 {
				return nil, syntaxErr(a.pos, "bad cross-reference entry")
			}
			if _, dup := s.entries[int(n)]; dup {
				continue
			}
			if c.s[0] == 'n' && a.i == 0 && b.i == 0 && n == 0 {
				// A common writer bug: object 0 listed as in use. Treat as free.
				s.entries[int(n)] = xrefEntry{kind: 'f', gen: 65535}
				continue
			}
			s.entries[int(n)] = xrefEntry{kind: c.s[0], off: a.i, gen: int(b.i)}
		}
	}
	v, err := p.object(0)
	if err != nil {
		return nil, fmt.Errorf("trailer: %w", err)
	}
	d, ok := v.(Dict)
	if !ok {
		return nil, fmt.Errorf("trailer is not a dictionary")
	}
	s.trailer = d
	s.end = p.lx.pos
	if n, ok := IntOf(d.Get("Prev")); ok {
		s.prev = n
	}
	if n, ok := IntOf(d.Get("XRefStm")); ok {
		s.xrefStm = n
	}
	return s, nil
}

func (f *File) readXRefStream(off int64) (*xrefSection, error) {
	ref, obj, end, err := f.parseIndirectAt(off, nil, 0)
	if err != nil {
		return nil, fmt.Errorf("cross-reference stream: %w", err)
	}
	st, ok := obj.(*Stream)
	if !ok || NameOf(st.Dict.Get("Type")) != "XRef" {
		return nil, fmt.Errorf("no cross-reference table or stream at offset %d", off)
	}
	s := &xrefSection{offset: off, stream: true, streamN: ref.Num, end: end, entries: map[int]xrefEntry{},
		trailer: st.Dict, prev: -1, xrefStm: -1}
	if n, ok := IntOf(st.Dict.Get("Prev")); ok {
		s.prev = n
	}
	size, ok := IntOf(st.Dict.Get("Size"))
	if !ok || size < 0 || size > math.MaxInt32 {
		return nil, errors.New("cross-reference stream: bad /Size")
	}
	wa, ok := st.Dict.Get("W").(Array)
	if !ok || len(wa) != 3 {
		return nil, errors.New("cross-reference stream: bad /W")
	}
	var w [3]int
	rowLen := 0
	for i := range w {
		n, ok := IntOf(wa[i])
		if !ok || n < 0 || n > 8 {
			return nil, errors.New("cross-reference stream: bad /W")
		}
		w[i] = int(n)
		rowLen += w[i]
	}
	if rowLen == 0 {
		return nil, errors.New("cross-reference stream: bad /W")
	}
	var index []int64
	if ia, ok := st.Dict.Get("Index").(Array); ok {
		if len(ia)%2 != 0 {
			return nil, errors.New("cross-reference stream: bad /Index")
		}
		for _, v := range ia {
			n, ok := IntOf(v)
			if !ok || n < 0 || n > math.MaxInt32 {
				return nil, errors.New("cross-reference stream: bad /Index")
			}
			index = append(index, n)
		}
	} else {
		index = []int64{0, size}
	}
	var total int64
	for i := 1; i < len(index); i += 2 {
		total += index[i]
	}
	// Objects take at least a few bytes each: more entries than that cannot be real.
	if total > f.size/2+1024 || total*int64(rowLen) > 512<<20 {
		return nil, errors.New("cross-reference stream too large for the file")
	}
	data, err := f.decodeStream(st, total*int64(rowLen)+1)
	if err != nil {
		return nil, fmt.Errorf("cross-reference stream: %w", err)
	}
	field := func(b []byte) int64 {
		var v int64
		for _, c := range b {
			v = v<<8 | int64(c)
		}
		return v
	}
	pos := 0
	for i := 0; i+1 < len(index); i += 2 {
		for n := index[i]; n < index[i]+index[i+1]; n++ {
			if pos+rowLen > len(data) {
				return nil, errors.New("cross-reference stream: data too short")
			}
			row := data[pos : pos+rowLen]
			pos += rowLen
			typ := int64(1)
			if w[0] > 0 {
				typ = field(row[:w[0]])
			}
			f2 := field(row[w[0] : w[0]+w[1]])
			f3 := field(row[w[0]+w[1]:])
			if _, dup := s.entries[int(n)]; dup {
				continue
			}
			switch typ {
			case 0:
				s.entries[int(n)] = xrefEntry{kind: 'f', gen: int(f3)}
			case 1:
				if f3 > 65535 || f2 < 0 {
					return nil, errors.New("cross-reference stream: bad entry")
				}
				s.entries[int(n)] = xrefEntry{kind: 'n', off: f2, gen: int(f3)}
			case 2:
				if f2 < 0 || f2 > math.MaxInt32 || f3 < 0 || f3 > math.MaxInt32 {
					return nil, errors.New("cross-reference stream: bad entry")
				}
				s.entries[int(n)] = xrefEntry{kind: 'c', off: f2, gen: int(f3)}
			default:
				// Unknown types are references to the null object (ISO 32000-1 7.5.8.3).
			}
		}
	}
	return s, nil
}

// findStartXRef finds the offset named by the last "startxref" of the file.
func (f *File) findStartXRef() (int64, error) {
	const tail = 1 << 20
	from := f.size - tail
	if from < 0 {
		from = 0
	}
	b, err := f.w.slice(from, f.size)
	if err != nil {
		return 0, err
	}
	i := bytes.LastIndex(b, []byte("startxref"))
	if i < 0 {
		return 0, errors.New("no startxref")
	}
	p := newParser(memWindow(b), int64(i+len("startxref")))
	t, err := p.lx.next()
	if err != nil || t.kind != tInt || t.i < 0 {
		return 0, errors.New("bad startxref")
	}
	return t.i, nil
}
