package pdf

import (
	"bytes"
	"sort"
)

// Readers that find a cross-reference section broken — an entry they reject, a comment,
// a short entry, a subsection whose numbering they "fix", an object whose header is not
// the one the entry names — rebuild it by scanning the file for "num gen obj" headers,
// and the last definition of each object wins. What such a reader shows of an update is
// then the objects in the update's bytes, listed or not. The change analysis compares
// that reading with the cross-reference one (unlistedCopies).

// bodyCopy is one "num gen obj" header found in the file.
type bodyCopy struct {
	ref      Ref
	off, end int64
}

// maxBodyCopies bounds the headers collected from one revision.
const maxBodyCopies = 1 << 20

// objectHeaders lists the indirect object headers in [from, to), in file order, as a
// repairing reader finds them: the data of the streams it parses is skipped.
func (f *File) objectHeaders(from, to int64) []bodyCopy {
	var out []bodyCopy
	sc := &finder{w: f.w, to: to}
	pos := from
	for pos < to && len(out) < maxBodyCopies {
		i := sc.find([]byte("obj"), pos)
		if i < 0 {
			break
		}
		pos = i + 3
		if c, ok := f.w.at(i + 3); ok && isRegular(c) {
			continue
		}
		start, ok := f.headerStart(i, from)
		if !ok {
			continue
		}
		ref, _, end, err := f.parseIndirectAt(start, nil, 0)
		if err != nil {
			continue
		}
		out = append(out, bodyCopy{ref: ref, off: start, end: end})
		if end > pos {
			pos = end
		}
	}
	return out
}

// headersBefore returns the object headers a repairing reader finds in the first end
// bytes of the file. The whole file is scanned once.
func (f *File) headersBefore(end int64) []bodyCopy {
	if !f.scanned {
		f.headers, f.scanned = f.objectHeaders(0, f.size), true
	}
	n := sort.Search(len(f.headers), func(i int) bool { return f.headers[i].off >= end })
	return f.headers[:n]
}

// looseTrailers returns the trailer dictionaries that a repairing reader finds in
// [from, to) outside the given object bodies (in file order): the last one is the
// trailer it uses.
func (f *File) looseTrailers(from, to int64, bodies []bodyCopy) []Dict {
	var out []Dict
	sc := &finder{w: f.w, to: to}
	pos := from
	b := 0
	for pos < to && len(out) < maxBodyCopies {
		i := sc.find([]byte("trailer"), pos)
		if i < 0 {
			break
		}
		pos = i + 7
		for b < len(bodies) && bodies[b].end <= i {
			b++
		}
		if b < len(bodies) && bodies[b].off <= i {
			continue // inside an object
		}
		if c, ok := f.w.at(i - 1); ok && i > 0 && isRegular(c) {
			continue
		}
		p := newParser(f.w, i+7)
		if o, err := p.object(0); err == nil {
			if d, ok := o.(Dict); ok {
				out = append(out, d)
			}
		}
	}
	return out
}

// headerStart walks back from "obj" at i over "num gen " to the header's first byte,
// which must follow white space or a delimiter (or be at from).
func (f *File) headerStart(i, from int64) (int64, bool) {
	p := i - 1
	digits := func() bool {
		n := 0
		for p >= from {
			c, _ := f.w.at(p)
			if c < '0' || c > '9' {
				break
			}
			p--
			n++
		}
		return n > 0 && n <= 10
	}
	white := func() bool {
		n := 0
		for p >= from {
			c, _ := f.w.at(p)
			if !isWhite(c) {
				break
			}
			p--
			n++
		}
		return n > 0
	}
	if !white() || !digits() || !white() || !digits() {
		return 0, false
	}
	if p >= from {
		if c, _ := f.w.at(p); isRegular(c) {
			return 0, false
		}
	}
	return p + 1, true
}

// finder searches [pos, to) of a window for a needle through one buffer of up to
// finderChunk bytes, kept across calls: a scan that finds many hits reads each byte
// about once.
type finder struct {
	w      *window
	to     int64
	buf    []byte
	bufOff int64
}

const finderChunk = 1 << 20

func (s *finder) find(needle []byte, pos int64) int64 {
	for pos < s.to {
		if s.buf == nil || pos < s.bufOff || pos+int64(len(needle)) > s.bufOff+int64(len(s.buf)) {
			end := pos + finderChunk
			if end > s.to {
				end = s.to
			}
			b, err := s.w.slice(pos, end)
			if err != nil {
				return -1
			}
			s.buf, s.bufOff = b, pos
		}
		rel := pos - s.bufOff
		if i := bytes.Index(s.buf[rel:], needle); i >= 0 {
			return pos + int64(i)
		}
		bufEnd := s.bufOff + int64(len(s.buf))
		if bufEnd >= s.to {
			return -1
		}
		// Go on from where a needle could still start.
		pos = bufEnd - int64(len(needle)) + 1
		s.buf = nil
	}
	return -1
}

// wouldRepair reports whether readers may find revision k's cross-reference section
// broken and rebuild the file from the object headers: a table not in the fixed format
// of ISO 32000-1 §7.5.4 (20-byte entries, nothing else between them), a subsection that
// starts at 1 with a free entry (which pdf.js renumbers from 0), or an in-use entry whose
// offset does not hold that object's header.
func (f *File) wouldRepair(k int) bool {
	rv := f.Revisions[k]
	for _, s := range rv.sections {
		if !s.stream && !f.strictTable(s.offset, s.end) {
			return true
		}
	}
	for n, e := range rv.entries {
		if e.kind != 'n' {
			continue
		}
		p := newParser(f.w, e.off)
		ref, err := p.objHeader()
		if err != nil || ref.Num != n || ref.Gen != e.gen {
			return true
		}
	}
	return false
}

// strictTable reports whether the cross-reference table in [off, end) is in the fixed
// format every reader reads alike.
func (f *File) strictTable(off, end int64) bool {
	b, err := f.w.slice(off, end)
	if err != nil {
		return false
	}
	i := 0
	eol := func() bool {
		for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
			i++
		}
		switch {
		case i+1 < len(b) && b[i] == '\r' && b[i+1] == '\n':
			i += 2
		case i < len(b) && (b[i] == '\r' || b[i] == '\n'):
			i++
		default:
			return false
		}
		return true
	}
	number := func() (int, bool) {
		n, start := 0, i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' && i-start < 10 {
			n = n*10 + int(b[i]-'0')
			i++
		}
		return n, i > start
	}
	if len(b) < 4 || string(b[:4]) != "xref" {
		return false
	}
	i = 4
	if !eol() {
		return false
	}
	for {
		if i+7 <= len(b) && string(b[i:i+7]) == "trailer" {
			return true
		}
		start, ok1 := number()
		if !ok1 || i >= len(b) || b[i] != ' ' {
			return false
		}
		i++
		count, ok2 := number()
		if !ok2 || !eol() {
			return false
		}
		for j := 0; j < count; j++ {
			if i+20 > len(b) {
				return false
			}
			e := b[i : i+20]
			for _, c := range append(append([]byte{}, e[0:10]...), e[11:16]...) {
				if c < '0' || c > '9' {
					return false
				}
			}
			if e[10] != ' ' || e[16] != ' ' || (e[17] != 'n' && e[17] != 'f') {
				return false
			}
			if t := string(e[18:20]); t != " \r" && t != " \n" && t != "\r\n" {
				return false
			}
			if j == 0 && start == 1 && e[17] == 'f' {
				return false
			}
			i += 20
		}
	}
}
