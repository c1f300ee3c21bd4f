package pdf

import "bytes"

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
