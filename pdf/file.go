package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
)

// File is a PDF opened for reading. Objects are read lazily from the underlying
// io.ReaderAt, so even very large files cost little memory. A File is not safe for
// concurrent use.
type File struct {
	r    io.ReaderAt
	size int64
	w    *window

	// Revisions lists the revisions of the file, oldest first. The last one is the
	// document as a viewer shows it.
	Revisions []*Revision
	// Version is the header's version ("1.7").
	Version string
	// TrailingData is the offset of the first byte after the last revision that is not
	// white space (data appended without a cross-reference section), or -1.
	TrailingData int64

	cache       map[objLoc]Object
	history     map[int][]listing // each object's cross-reference entries, oldest revision first
	headers     []bodyCopy        // every object header in the file, once scanned (repair.go)
	scanned     bool
	objStms     map[objLoc]*objStm
	objStmBytes int64
	closer      io.Closer
}

// Revision is one revision: the original document or one incremental update.
type Revision struct {
	Index    int   // 0-based, oldest first
	Trailer  Dict  // the trailer (or cross-reference stream dictionary) of the revision
	EOF      int64 // offset just after the revision's "%%EOF" marker, -1 when missing
	End      int64 // end of the revision: after "%%EOF" and the end-of-line markers after it
	XRefOff  int64 // offset of the revision's (main) cross-reference section
	IsStream bool  // the revision's main cross-reference section is a stream

	sections []*xrefSection // newest first
	entries  map[int]xrefEntry
}

// listing is a revision's cross-reference entry for one object.
type listing struct {
	rev int
	e   xrefEntry
}

type objLoc struct {
	off int64 // offset of an indirect object, or the object stream's offset
	idx int   // -1 for an object at an offset; the index inside an object stream
	// rev is 0 when the object reads the same in every revision, else the revision it
	// was read as of plus one: a stream whose /Length is an indirect object (or an
	// object in such an object stream) reads differently when a later revision
	// redefines that object.
	rev int
}

type objStm struct {
	data   []byte
	nums   []int
	offs   []int64
	first  int64
	perRev bool // the stream's /Length is indirect: what it holds depends on the revision
}

// indirectLength reports whether o is a stream whose /Length is an indirect object.
func indirectLength(o Object) bool {
	st, ok := o.(*Stream)
	if !ok {
		return false
	}
	_, ok = st.Dict.Get("Length").(Ref)
	return ok
}

// cached looks up the parse of the object at loc, read as of revision rev.
func (f *File) cached(loc objLoc, rev int) (Object, bool) {
	if o, ok := f.cache[loc]; ok {
		return o, true
	}
	loc.rev = rev + 1
	o, ok := f.cache[loc]
	return o, ok
}

// ErrEncrypted is returned when signing an encrypted PDF.
var ErrEncrypted = errors.New("the PDF is encrypted")

// Open opens the PDF file at path for reading.
func Open(path string) (*File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := fh.Stat()
	if err != nil {
		fh.Close()
		return nil, err
	}
	f, err := NewFile(fh, st.Size())
	if err != nil {
		fh.Close()
		return nil, err
	}
	f.closer = fh
	return f, nil
}

// Close closes the file opened by Open.
func (f *File) Close() error {
	if f.closer != nil {
		return f.closer.Close()
	}
	return nil
}

// Size is the length of the file.
func (f *File) Size() int64 { return f.size }

// NewFile reads the structure (cross-reference sections and revisions) of the PDF in r.
func NewFile(r io.ReaderAt, size int64) (*File, error) {
	f := &File{r: r, size: size, w: newWindow(r, size), cache: map[objLoc]Object{}, objStms: map[objLoc]*objStm{}, TrailingData: -1}
	if err := f.readHeader(); err != nil {
		return nil, &ReadError{Err: err}
	}
	if err := f.readStructure(); err != nil {
		return nil, &ReadError{Err: err}
	}
	return f, nil
}

// ReadError says that a file could not be read as a PDF.
type ReadError struct{ Err error }

func (e *ReadError) Error() string { return "not a readable PDF: " + e.Err.Error() }
func (e *ReadError) Unwrap() error { return e.Err }

func (f *File) readHeader() error {
	n := int64(1024)
	if n > f.size {
		n = f.size
	}
	b, err := f.w.slice(0, n)
	if err != nil {
		return err
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		return errors.New("no %PDF- header at the start of the file")
	}
	v := b[5:]
	end := 0
	for end < len(v) && end < 8 && (v[end] == '.' || (v[end] >= '0' && v[end] <= '9')) {
		end++
	}
	f.Version = string(v[:end])
	return nil
}

func (f *File) readStructure() error {
	start, err := f.findStartXRef()
	if err != nil {
		return err
	}
	// Follow the chain of sections from the newest to the oldest.
	var chain []*xrefSection
	entries := 0
	seen := map[int64]bool{}
	off := start
	for off >= 0 {
		if seen[off] {
			return fmt.Errorf("cross-reference sections form a loop at offset %d", off)
		}
		if len(chain) >= maxSections {
			return errors.New("too many cross-reference sections")
		}
		seen[off] = true
		s, err := f.readSection(off)
		if err != nil {
			return fmt.Errorf("cross-reference section at offset %d: %w", off, err)
		}
		if s.xrefStm >= 0 && !seen[s.xrefStm] {
			seen[s.xrefStm] = true
			hs, err := f.readSection(s.xrefStm)
			if err != nil {
				return fmt.Errorf("cross-reference stream at offset %d: %w", s.xrefStm, err)
			}
			if !hs.stream {
				return fmt.Errorf("/XRefStm %d is not a cross-reference stream", s.xrefStm)
			}
			// Entries of the table win; the stream fills in what the table lacks or
			// lists as free (hybrid-reference files).
			for n, e := range hs.entries {
				if te, ok := s.entries[n]; !ok || (te.kind == 'f' && n != 0) {
					s.entries[n] = e
				}
			}
			hs.hidden = true
			if hs.end > s.end && hs.offset > s.offset {
				// unusual, but keep the revision's end right
				s.end = hs.end
			}
		}
		// Every entry costs memory three times (the section, its revision, the object's
		// history): the entries of all sections together are bounded by the file's size,
		// so that a small file of many compressed cross-reference streams, each listing
		// every object number up to a huge /Size, cannot take gigabytes.
		if entries += len(s.entries); entries > maxEntries(f.size) {
			return errors.New("too many cross-reference entries for the size of the file")
		}
		chain = append(chain, s)
		off = s.prev
	}
	// Group into revisions: a new (older) revision starts where /Prev points backwards
	// in the file. Linearized files point forwards from the first-page section to the
	// main one, and the two belong to one revision.
	var groups [][]*xrefSection
	for i, s := range chain {
		if i == 0 || s.offset < chain[i-1].offset {
			groups = append(groups, []*xrefSection{s})
		} else {
			groups[len(groups)-1] = append(groups[len(groups)-1], s)
		}
	}
	// groups is newest first; revisions are oldest first.
	for i := len(groups) - 1; i >= 0; i-- {
		g := groups[i]
		rev := &Revision{Index: len(f.Revisions), sections: g, entries: map[int]xrefEntry{}, Trailer: g[0].trailer,
			XRefOff: g[0].offset, IsStream: g[0].stream, EOF: -1}
		if len(g) == 1 {
			rev.entries = g[0].entries // one section: its entries are the revision's
		} else {
			for _, s := range g {
				for n, e := range s.entries {
					if _, ok := rev.entries[n]; !ok {
						rev.entries[n] = e
					}
				}
			}
		}
		var maxEnd int64
		for _, s := range g {
			s.entries = nil // now the revision's
			if s.end > maxEnd {
				maxEnd = s.end
			}
		}
		rev.End = maxEnd
		if eof := f.w.indexOf([]byte("%%EOF"), maxEnd, 4096); eof >= 0 {
			rev.EOF = eof + 5
			// The end-of-line after the marker belongs to the revision; writers put one
			// or more (\n\n, \r\n\r\n, \r\r), and a signature that covers them all covers
			// the whole revision.
			rev.End = rev.EOF
			for {
				c, ok := f.w.at(rev.End)
				if !ok || (c != '\r' && c != '\n') {
					break
				}
				rev.End++
			}
		}
		f.Revisions = append(f.Revisions, rev)
	}
	// Each object's entries across the revisions, so that finding the entry in force at
	// a revision costs a binary search instead of a walk back through every revision:
	// a file of thousands of small updates stays linear to read.
	f.history = map[int][]listing{}
	for _, rv := range f.Revisions {
		for n, e := range rv.entries {
			f.history[n] = append(f.history[n], listing{rev: rv.Index, e: e})
		}
	}
	// The revisions must follow one another in the file.
	for i := 1; i < len(f.Revisions); i++ {
		if f.Revisions[i].XRefOff < f.Revisions[i-1].End {
			return fmt.Errorf("revision %d overlaps revision %d", i+1, i)
		}
	}
	last := f.Revisions[len(f.Revisions)-1]
	for pos := last.End; pos < f.size; pos++ {
		c, _ := f.w.at(pos)
		if !isWhite(c) {
			f.TrailingData = pos
			break
		}
	}
	return nil
}

// maxEntries bounds the cross-reference entries of all the sections of a file of size
// bytes: two per byte — a file that lists every object again in each of thousands of
// updates stays well below — and a million more for small files.
func maxEntries(size int64) int {
	return int(min(2*size, 1<<31)) + 1<<20
}

// Trailer returns the trailer of the newest revision.
func (f *File) Trailer() Dict { return f.Revisions[len(f.Revisions)-1].Trailer }

// Encrypted reports whether the document is encrypted.
func (f *File) Encrypted() bool { return f.Trailer().Has("Encrypt") }

// Last returns the index of the newest revision.
func (f *File) Last() int { return len(f.Revisions) - 1 }

// entry finds the cross-reference entry of object num as of revision rev.
func (f *File) entry(rev, num int) (xrefEntry, int, bool) {
	h := f.history[num]
	// The last listing at or before rev.
	i := sort.Search(len(h), func(i int) bool { return h[i].rev > rev }) - 1
	if i < 0 {
		return xrefEntry{}, -1, false
	}
	return h[i].e, h[i].rev, true
}

// readsThrough reports whether reading object num as of revision rev depends on an
// object listed in revision rev's own cross-reference section: num itself, the object
// stream that holds it, or the object that gives a stream's (or its object stream's)
// /Length. A revision that lists any of these can change what num reads as without
// listing num.
func (f *File) readsThrough(rev, num int) bool {
	listed := f.Revisions[rev].entries
	for hop := 0; hop < 8; hop++ {
		if _, ok := listed[num]; ok {
			return true
		}
		e, _, ok := f.entry(rev, num)
		if !ok {
			return false
		}
		switch e.kind {
		case 'c':
			num = int(e.off) // the object stream
		case 'n':
			o, err := f.Resolve(rev, Ref{Num: num, Gen: e.gen})
			if err != nil {
				return true // unreadable now: let the caller look at it
			}
			st, ok := o.(*Stream)
			if !ok {
				return false
			}
			r, ok := st.Dict.Get("Length").(Ref)
			if !ok {
				return false
			}
			num = r.Num
		default:
			return false
		}
	}
	return true
}

// Resolve returns the object ref refers to as of revision rev (the null object when it
// does not exist).
func (f *File) Resolve(rev int, ref Ref) (Object, error) {
	return f.resolve(rev, ref, 0)
}

func (f *File) resolve(rev int, ref Ref, depth int) (Object, error) {
	if depth > 8 {
		return nil, errors.New("references nested too deeply")
	}
	e, _, ok := f.entry(rev, ref.Num)
	if !ok || e.kind == 'f' {
		return Null{}, nil
	}
	switch e.kind {
	case 'n':
		if e.gen != ref.Gen {
			return Null{}, nil
		}
		loc := objLoc{off: e.off, idx: -1}
		if o, ok := f.cached(loc, rev); ok {
			return o, nil
		}
		got, o, _, err := f.parseIndirectAt(e.off, func(r Ref) (Object, error) { return f.resolve(rev, r, depth+1) }, depth)
		if err != nil {
			return nil, fmt.Errorf("object %s: %w", ref, err)
		}
		if got.Num != ref.Num || got.Gen != ref.Gen {
			return nil, fmt.Errorf("object %s: the cross-reference entry points to object %s", ref, got)
		}
		if indirectLength(o) {
			loc.rev = rev + 1
		}
		f.remember(loc, o)
		return o, nil
	case 'c':
		if ref.Gen != 0 {
			return Null{}, nil
		}
		return f.resolveCompressed(rev, ref, int(e.off), e.gen, depth)
	}
	return Null{}, nil
}

// genIgnored reads the object ref names as readers that ignore generation numbers do,
// when ref's generation is not the in-use object's (this reader then reads null): the
// object and true. It returns false when the generations agree or the entry is not in
// use.
func (f *File) genIgnored(rev int, ref Ref) (Object, bool) {
	e, _, ok := f.entry(rev, ref.Num)
	if !ok {
		return nil, false
	}
	alt := ref
	switch {
	case e.kind == 'n' && e.gen != ref.Gen:
		alt.Gen = e.gen
	case e.kind == 'c' && ref.Gen != 0:
		alt.Gen = 0
	default:
		return nil, false
	}
	o, err := f.Resolve(rev, alt)
	if err != nil {
		return nil, false
	}
	return o, true
}

func (f *File) resolveCompressed(rev int, ref Ref, stmNum, idx, depth int) (Object, error) {
	se, _, ok := f.entry(rev, stmNum)
	if !ok || se.kind != 'n' {
		return nil, fmt.Errorf("object %s: object stream %d not found", ref, stmNum)
	}
	loc := objLoc{off: se.off, idx: idx}
	if o, ok := f.cached(loc, rev); ok {
		return o, nil
	}
	os, err := f.loadObjStm(rev, stmNum, se.off, depth)
	if err != nil {
		return nil, fmt.Errorf("object %s: %w", ref, err)
	}
	if os.perRev {
		loc.rev = rev + 1
	}
	if idx < 0 || idx >= len(os.nums) || os.nums[idx] != ref.Num {
		// Be tolerant of a wrong index as long as the object is in the stream.
		idx = -1
		for i, n := range os.nums {
			if n == ref.Num {
				idx = i
				break
			}
		}
		if idx < 0 {
			return nil, fmt.Errorf("object %s is not in object stream %d", ref, stmNum)
		}
	}
	p := newParser(memWindow(os.data), os.first+os.offs[idx])
	o, err := p.object(0)
	if err != nil {
		return nil, fmt.Errorf("object %s in object stream %d: %w", ref, stmNum, err)
	}
	f.remember(loc, o)
	return o, nil
}

// maxCached bounds the parsed objects kept; past it the cache starts over (objects are
// parsed again when needed), so that huge documents cost bounded memory.
const maxCached = 200000

// Object streams: the most one may decode to, and the most kept decoded at once.
const (
	maxObjStmBytes = 32 << 20
	maxObjStmCache = 64 << 20
)

func (f *File) remember(loc objLoc, o Object) {
	if len(f.cache) >= maxCached {
		f.cache = map[objLoc]Object{}
	}
	f.cache[loc] = o
}

func (f *File) loadObjStm(rev, num int, off int64, depth int) (*objStm, error) {
	key := objLoc{off: off, idx: -1}
	if os, ok := f.objStms[key]; ok {
		return os, nil
	}
	if os, ok := f.objStms[objLoc{off: off, idx: -1, rev: rev + 1}]; ok {
		return os, nil
	}
	got, o, _, err := f.parseIndirectAt(off, func(r Ref) (Object, error) { return f.resolve(rev, r, depth+1) }, depth)
	if err != nil {
		return nil, fmt.Errorf("object stream %d: %w", num, err)
	}
	st, ok := o.(*Stream)
	if !ok || got.Num != num || NameOf(st.Dict.Get("Type")) != "ObjStm" {
		return nil, fmt.Errorf("object %d is not an object stream", num)
	}
	n, ok1 := IntOf(st.Dict.Get("N"))
	first, ok2 := IntOf(st.Dict.Get("First"))
	if !ok1 || !ok2 || n < 0 || n > 1<<20 || first < 0 {
		return nil, fmt.Errorf("object stream %d: bad /N or /First", num)
	}
	data, err := f.decodeStream(st, maxObjStmBytes)
	if err != nil {
		return nil, fmt.Errorf("object stream %d: %w", num, err)
	}
	if first > int64(len(data)) {
		return nil, fmt.Errorf("object stream %d: /First beyond the data", num)
	}
	os := &objStm{data: data, first: first, perRev: indirectLength(st)}
	if os.perRev {
		key.rev = rev + 1
	}
	p := newParser(memWindow(data[:first]), 0)
	for i := int64(0); i < n; i++ {
		t1, err1 := p.lx.next()
		t2, err2 := p.lx.next()
		if err1 != nil || err2 != nil || t1.kind != tInt || t2.kind != tInt || t1.i < 0 || t2.i < 0 || first+t2.i > int64(len(data)) {
			return nil, fmt.Errorf("object stream %d: bad header", num)
		}
		os.nums = append(os.nums, int(t1.i))
		os.offs = append(os.offs, t2.i)
	}
	// Keep at most maxObjStmCache bytes of decoded object streams.
	for k, v := range f.objStms {
		if f.objStmBytes+int64(len(data)) <= maxObjStmCache {
			break
		}
		f.objStmBytes -= int64(len(v.data))
		delete(f.objStms, k)
	}
	f.objStms[key] = os
	f.objStmBytes += int64(len(data))
	return os, nil
}

// parseIndirectAt parses "num gen obj ... endobj" at off. resolveLen resolves an
// indirect /Length (nil: not allowed). It returns the object's reference, the object,
// and the offset after it.
func (f *File) parseIndirectAt(off int64, resolveLen func(Ref) (Object, error), depth int) (Ref, Object, int64, error) {
	p := newParser(f.w, off)
	ref, err := p.objHeader()
	if err != nil {
		return Ref{}, nil, 0, err
	}
	o, err := p.object(0)
	if err != nil {
		return ref, nil, 0, err
	}
	save := p.lx.pos
	t, err := p.lx.next()
	if err != nil {
		return ref, nil, 0, err
	}
	if t.kind == tKeyword && string(t.s) == "endobj" {
		return ref, o, p.lx.pos, nil
	}
	if t.kind != tKeyword || string(t.s) != "stream" {
		// Tolerate a missing endobj.
		return ref, o, save, nil
	}
	d, ok := o.(Dict)
	if !ok {
		return ref, nil, 0, syntaxErr(t.pos, "stream without a dictionary")
	}
	// The data starts after the end of line following "stream".
	pos := t.end
	if c, _ := f.w.at(pos); c == '\r' {
		pos++
	}
	if c, _ := f.w.at(pos); c == '\n' {
		pos++
	}
	length := int64(-1)
	switch lv := d.Get("Length").(type) {
	case Int:
		length = int64(lv)
	case Ref:
		if resolveLen != nil && depth < 8 {
			if v, err := resolveLen(lv); err == nil {
				if n, ok := IntOf(v); ok {
					length = n
				}
			}
		}
	}
	st := &Stream{Dict: d, Offset: pos}
	if length >= 0 && pos+length <= f.size {
		// Check that endstream follows.
		q := newParser(f.w, pos+length)
		if t, err := q.lx.next(); err == nil && t.kind == tKeyword && string(t.s) == "endstream" {
			st.Length = length
			end := q.lx.pos
			if t, err := q.lx.next(); err == nil && t.kind == tKeyword && string(t.s) == "endobj" {
				end = q.lx.pos
			}
			return ref, st, end, nil
		}
	}
	// /Length is wrong or missing: find endstream.
	i := f.w.indexOf([]byte("endstream"), pos, f.size-pos)
	if i < 0 {
		return ref, nil, 0, syntaxErr(pos, "stream without endstream")
	}
	end := i
	// The end of line before endstream is not part of the data.
	if c, _ := f.w.at(end - 1); c == '\n' && end > pos {
		end--
		if c, _ := f.w.at(end - 1); c == '\r' && end > pos {
			end--
		}
	} else if c == '\r' && end > pos {
		end--
	}
	st.Length = end - pos
	q := newParser(f.w, i+9)
	stop := q.lx.pos
	if t, err := q.lx.next(); err == nil && t.kind == tKeyword && string(t.s) == "endobj" {
		stop = q.lx.pos
	}
	return ref, st, stop, nil
}

// RawStreamData returns the encoded data of a stream.
func (f *File) RawStreamData(s *Stream) ([]byte, error) {
	if s.Data != nil {
		return s.Data, nil
	}
	return f.w.slice(s.Offset, s.Offset+s.Length)
}

// sortedNums returns the keys of m in increasing order.
func sortedNums(m map[int]xrefEntry) []int {
	out := make([]int, 0, len(m))
	for n := range m {
		out = append(out, n)
	}
	sort.Ints(out)
	return out
}
