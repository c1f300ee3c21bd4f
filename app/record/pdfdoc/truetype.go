package pdfdoc

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
)

// trueType is a parsed TrueType (glyf-outline) font: just what is needed to map runes to
// glyphs, measure them and cut a subset.
type trueType struct {
	tables      map[string][]byte
	unitsPerEm  int
	numGlyphs   int
	longLoca    bool
	numHMetrics int
	ascent      int // hhea ascender, font units
	descent     int // hhea descender (negative), font units
	capHeight   int
	bbox        [4]int // head xMin yMin xMax yMax
	psName      string
	cmap        cmapLookup
}

// cmapLookup maps a rune to a glyph index (0 when the font has none).
type cmapLookup func(r rune) int

var errNotTrueType = errors.New("not a TrueType font with glyf outlines")

func u16(b []byte, off int) int { return int(binary.BigEndian.Uint16(b[off:])) }
func i16(b []byte, off int) int { return int(int16(binary.BigEndian.Uint16(b[off:]))) }
func u32(b []byte, off int) int { return int(binary.BigEndian.Uint32(b[off:])) }

// parseTrueType reads the table directory and the tables the subsetter needs.
func parseTrueType(data []byte) (ft *trueType, err error) {
	defer func() {
		// A malformed font is a programming error here (the fonts are embedded), but never
		// let it crash the app: slice bounds turn into an error.
		if r := recover(); r != nil {
			ft, err = nil, fmt.Errorf("malformed font: %v", r)
		}
	}()
	if len(data) < 12 {
		return nil, errNotTrueType
	}
	if v := u32(data, 0); v != 0x00010000 && v != 0x74727565 { // 1.0 or 'true'
		return nil, errNotTrueType
	}
	n := u16(data, 4)
	ft = &trueType{tables: map[string][]byte{}}
	for i := 0; i < n; i++ {
		rec := data[12+16*i:]
		tag := string(rec[:4])
		off, length := u32(rec, 8), u32(rec, 12)
		if off+length > len(data) || off < 0 || length < 0 {
			return nil, fmt.Errorf("table %q outside the file", tag)
		}
		ft.tables[tag] = data[off : off+length]
	}
	for _, t := range []string{"head", "hhea", "maxp", "hmtx", "loca", "glyf", "cmap"} {
		if ft.tables[t] == nil {
			if t == "glyf" || t == "loca" {
				return nil, errNotTrueType
			}
			return nil, fmt.Errorf("missing %q table", t)
		}
	}
	head := ft.tables["head"]
	ft.unitsPerEm = u16(head, 18)
	ft.bbox = [4]int{i16(head, 36), i16(head, 38), i16(head, 40), i16(head, 42)}
	ft.longLoca = i16(head, 50) == 1
	ft.numGlyphs = u16(ft.tables["maxp"], 4)
	hhea := ft.tables["hhea"]
	ft.ascent, ft.descent = i16(hhea, 4), i16(hhea, 6)
	ft.numHMetrics = u16(hhea, 34)
	if ft.unitsPerEm == 0 || ft.numHMetrics == 0 || ft.numHMetrics > ft.numGlyphs {
		return nil, errors.New("inconsistent head/hhea/maxp")
	}
	ft.capHeight = ft.ascent * 7 / 10
	if os2 := ft.tables["OS/2"]; len(os2) >= 90 && u16(os2, 0) >= 2 {
		ft.capHeight = i16(os2, 88)
	}
	ft.psName = postScriptName(ft.tables["name"])
	if ft.cmap, err = parseCmap(ft.tables["cmap"]); err != nil {
		return nil, err
	}
	return ft, nil
}

// postScriptName returns name ID 6 (Windows, Unicode), or a fallback.
func postScriptName(name []byte) string {
	if len(name) < 6 {
		return "Font"
	}
	count, strOff := u16(name, 2), u16(name, 4)
	for i := 0; i < count; i++ {
		rec := 6 + 12*i
		if rec+12 > len(name) {
			break
		}
		platform, nameID := u16(name, rec), u16(name, rec+6)
		length, off := u16(name, rec+8), u16(name, rec+10)
		if nameID != 6 || strOff+off+length > len(name) {
			continue
		}
		s := name[strOff+off : strOff+off+length]
		var out []byte
		if platform == 3 || platform == 0 { // UTF-16BE
			for j := 0; j+1 < len(s); j += 2 {
				if c := u16(s, j); c > 0x20 && c < 0x7f {
					out = append(out, byte(c))
				}
			}
		} else {
			for _, c := range s {
				if c > 0x20 && c < 0x7f {
					out = append(out, c)
				}
			}
		}
		if len(out) > 0 {
			return string(out)
		}
	}
	return "Font"
}

// parseCmap picks the best Unicode subtable: format 12 (full Unicode) or format 4 (BMP).
func parseCmap(cmap []byte) (cmapLookup, error) {
	n := u16(cmap, 2)
	var best []byte
	bestFormat := 0
	for i := 0; i < n; i++ {
		rec := 4 + 8*i
		platform, enc, off := u16(cmap, rec), u16(cmap, rec+2), u32(cmap, rec+4)
		if off+4 > len(cmap) {
			continue
		}
		unicode := platform == 0 || (platform == 3 && (enc == 1 || enc == 10))
		if !unicode {
			continue
		}
		switch f := u16(cmap, off); {
		case f == 12 && bestFormat != 12:
			best, bestFormat = cmap[off:], 12
		case f == 4 && bestFormat == 0:
			best, bestFormat = cmap[off:], 4
		}
	}
	switch bestFormat {
	case 12:
		return cmap12(best)
	case 4:
		return cmap4(best)
	}
	return nil, errors.New("no Unicode cmap")
}

func cmap12(t []byte) (cmapLookup, error) {
	n := u32(t, 12)
	if 16+12*n > len(t) {
		return nil, errors.New("cmap format 12 truncated")
	}
	type group struct{ start, end, gid int }
	groups := make([]group, n)
	for i := range groups {
		o := 16 + 12*i
		groups[i] = group{u32(t, o), u32(t, o+4), u32(t, o+8)}
	}
	return func(r rune) int {
		c := int(r)
		i := sort.Search(len(groups), func(i int) bool { return groups[i].end >= c })
		if i < len(groups) && groups[i].start <= c {
			return groups[i].gid + c - groups[i].start
		}
		return 0
	}, nil
}

func cmap4(t []byte) (cmapLookup, error) {
	segX2 := u16(t, 6)
	seg := segX2 / 2
	ends, starts, deltas, ranges := 14, 16+segX2, 16+2*segX2, 16+3*segX2
	if ranges+segX2 > len(t) {
		return nil, errors.New("cmap format 4 truncated")
	}
	return func(r rune) int {
		c := int(r)
		if c > 0xFFFF {
			return 0
		}
		i := sort.Search(seg, func(i int) bool { return u16(t, ends+2*i) >= c })
		if i >= seg || u16(t, starts+2*i) > c {
			return 0
		}
		delta, ro := u16(t, deltas+2*i), u16(t, ranges+2*i)
		if ro == 0 {
			return (c + delta) & 0xFFFF
		}
		at := ranges + 2*i + ro + 2*(c-u16(t, starts+2*i))
		if at+2 > len(t) {
			return 0
		}
		g := u16(t, at)
		if g == 0 {
			return 0
		}
		return (g + delta) & 0xFFFF
	}, nil
}

// advance returns the advance width of glyph gid, in font units.
func (ft *trueType) advance(gid int) int {
	hmtx := ft.tables["hmtx"]
	if gid >= ft.numHMetrics {
		gid = ft.numHMetrics - 1
	}
	return u16(hmtx, 4*gid)
}

// lsb returns the left side bearing of glyph gid.
func (ft *trueType) lsb(gid int) int {
	hmtx := ft.tables["hmtx"]
	if gid < ft.numHMetrics {
		return i16(hmtx, 4*gid+2)
	}
	o := 4*ft.numHMetrics + 2*(gid-ft.numHMetrics)
	if o+2 > len(hmtx) {
		return 0
	}
	return i16(hmtx, o)
}

// glyph returns the glyf data of gid (empty for a glyph without outline).
func (ft *trueType) glyph(gid int) []byte {
	loca, glyf := ft.tables["loca"], ft.tables["glyf"]
	var start, end int
	if ft.longLoca {
		start, end = u32(loca, 4*gid), u32(loca, 4*gid+4)
	} else {
		start, end = 2*u16(loca, 2*gid), 2*u16(loca, 2*gid+2)
	}
	if start >= end || end > len(glyf) {
		return nil
	}
	return glyf[start:end]
}

// Flags of a composite glyph component (OpenType glyf table).
const (
	argsAreWords    = 0x0001
	weHaveScale     = 0x0008
	moreComponents  = 0x0020
	weHaveXYScale   = 0x0040
	weHaveTwoByTwo  = 0x0080
	compositeHeader = 10
)

// components calls fn with the offset of every component glyph index in a composite
// glyph (nothing for a simple glyph).
func components(g []byte, fn func(indexOffset int)) {
	if len(g) < compositeHeader || i16(g, 0) >= 0 {
		return
	}
	o := compositeHeader
	for o+4 <= len(g) {
		flags := u16(g, o)
		fn(o + 2)
		o += 4
		if flags&argsAreWords != 0 {
			o += 4
		} else {
			o += 2
		}
		switch {
		case flags&weHaveScale != 0:
			o += 2
		case flags&weHaveXYScale != 0:
			o += 4
		case flags&weHaveTwoByTwo != 0:
			o += 8
		}
		if flags&moreComponents == 0 {
			return
		}
	}
}

// subset builds a TrueType font whose glyph i is glyph order[i] of ft (order[0] must be
// 0, .notdef), followed by the components of composite glyphs that order lacks. Component
// references are renumbered. It returns the font file.
func (ft *trueType) subset(order []int) []byte {
	newID := make(map[int]int, len(order))
	order = append([]int(nil), order...)
	for i, g := range order {
		newID[g] = i
	}
	for i := 0; i < len(order); i++ { // order grows while components are found
		g := ft.glyph(order[i])
		components(g, func(o int) {
			c := u16(g, o)
			if _, ok := newID[c]; !ok && c < ft.numGlyphs {
				newID[c] = len(order)
				order = append(order, c)
			}
		})
	}

	var glyf, loca, hmtx []byte
	for _, g := range order {
		loca = binary.BigEndian.AppendUint32(loca, uint32(len(glyf)))
		data := append([]byte(nil), ft.glyph(g)...)
		components(data, func(o int) {
			binary.BigEndian.PutUint16(data[o:], uint16(newID[u16(data, o)]))
		})
		glyf = append(glyf, data...)
		for len(glyf)%4 != 0 {
			glyf = append(glyf, 0)
		}
		hmtx = binary.BigEndian.AppendUint16(hmtx, uint16(ft.advance(g)))
		hmtx = binary.BigEndian.AppendUint16(hmtx, uint16(int16(ft.lsb(g))))
	}
	loca = binary.BigEndian.AppendUint32(loca, uint32(len(glyf)))

	head := append([]byte(nil), ft.tables["head"]...)
	binary.BigEndian.PutUint32(head[8:], 0)  // checkSumAdjustment, set below
	binary.BigEndian.PutUint16(head[50:], 1) // long loca
	hhea := append([]byte(nil), ft.tables["hhea"]...)
	binary.BigEndian.PutUint16(hhea[34:], uint16(len(order)))
	maxp := append([]byte(nil), ft.tables["maxp"]...)
	binary.BigEndian.PutUint16(maxp[4:], uint16(len(order)))

	tables := map[string][]byte{
		"head": head, "hhea": hhea, "maxp": maxp, "hmtx": hmtx, "loca": loca, "glyf": glyf,
	}
	// Hinting programs (the glyphs' instructions call them), the metrics, and the naming
	// table (it carries the font's copyright and licence notice, which the OFL asks to keep).
	for _, t := range []string{"cvt ", "fpgm", "prep", "OS/2", "name"} {
		if b := ft.tables[t]; b != nil {
			tables[t] = b
		}
	}
	if post := ft.tables["post"]; len(post) >= 32 {
		p := append([]byte(nil), post[:32]...)
		binary.BigEndian.PutUint32(p, 0x00030000) // format 3: no glyph names
		tables["post"] = p
	}
	font := assembleSfnt(tables)
	adj := 0xB1B0AFBA - checksum(font)
	headOff := tableOffset(font, "head")
	binary.BigEndian.PutUint32(font[headOff+8:], adj)
	return font
}

func checksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}

// assembleSfnt writes an sfnt file: the table directory (sorted by tag) and the tables,
// each 4-byte aligned, with their checksums.
func assembleSfnt(tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	for t := range tables {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	n := len(tags)
	entrySelector := 0
	for 1<<(entrySelector+1) <= n {
		entrySelector++
	}
	searchRange := 16 << entrySelector
	out := binary.BigEndian.AppendUint32(nil, 0x00010000)
	out = binary.BigEndian.AppendUint16(out, uint16(n))
	out = binary.BigEndian.AppendUint16(out, uint16(searchRange))
	out = binary.BigEndian.AppendUint16(out, uint16(entrySelector))
	out = binary.BigEndian.AppendUint16(out, uint16(16*n-searchRange))
	off := 12 + 16*n
	var body []byte
	for _, t := range tags {
		b := tables[t]
		out = append(out, t...)
		out = binary.BigEndian.AppendUint32(out, checksum(b))
		out = binary.BigEndian.AppendUint32(out, uint32(off+len(body)))
		out = binary.BigEndian.AppendUint32(out, uint32(len(b)))
		body = append(body, b...)
		for len(body)%4 != 0 {
			body = append(body, 0)
		}
	}
	return append(out, body...)
}

func tableOffset(font []byte, tag string) int {
	n := u16(font, 4)
	for i := 0; i < n; i++ {
		rec := font[12+16*i:]
		if string(rec[:4]) == tag {
			return u32(rec, 8)
		}
	}
	return -1
}
