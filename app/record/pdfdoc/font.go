package pdfdoc

import (
	"fmt"
	"sync"
	"unicode"
)

// Font is a TrueType font used in one Document. Only the glyphs that the document
// draws are embedded (a subset), as a Type0 font with a CIDFontType2 descendant,
// Identity-H encoding and a ToUnicode CMap, so that the text can be extracted and
// searched.
type Font struct {
	tt *trueType
	// cids[i] is the glyph index (in the full font) of CID i; CID 0 is .notdef.
	cids     []int
	cidOf    map[int]uint16 // glyph index → CID
	unicode  map[uint16]rune
	fallback int // glyph drawn for a rune the font lacks
}

var (
	parsedMu sync.Mutex
	parsed   = map[*byte]*trueType{}
)

// parseCached parses a font once per backing array (the app's fonts are embedded
// byte slices that never change).
func parseCached(data []byte) (*trueType, error) {
	if len(data) == 0 {
		return nil, errNotTrueType
	}
	parsedMu.Lock()
	defer parsedMu.Unlock()
	if ft := parsed[&data[0]]; ft != nil {
		return ft, nil
	}
	ft, err := parseTrueType(data)
	if err != nil {
		return nil, err
	}
	parsed[&data[0]] = ft
	return ft, nil
}

func newFont(data []byte) (*Font, error) {
	ft, err := parseCached(data)
	if err != nil {
		return nil, fmt.Errorf("loading font: %w", err)
	}
	f := &Font{tt: ft, cids: []int{0}, cidOf: map[int]uint16{0: 0}, unicode: map[uint16]rune{}}
	for _, r := range []rune{'〓', '?'} {
		if g := ft.cmap(r); g != 0 {
			f.fallback = g
			break
		}
	}
	return f, nil
}

// glyphFor returns the glyph index drawn for r and the rune it stands for (r itself,
// or the substitute when the font has no glyph for r).
func (f *Font) glyphFor(r rune) (int, rune) {
	switch {
	case r == '\t' || r == '\n' || r == '\r' || r == '\u3000' && f.tt.cmap(r) == 0:
		r = ' '
	case unicode.IsControl(r):
		r = '〓'
	}
	if g := f.tt.cmap(r); g != 0 {
		return g, r
	}
	if f.fallback != 0 {
		return f.fallback, '〓'
	}
	return 0, r
}

// cid returns the CID of glyph g, assigning the next one on first use.
func (f *Font) cid(g int, r rune) uint16 {
	if c, ok := f.cidOf[g]; ok {
		return c
	}
	c := uint16(len(f.cids))
	f.cids = append(f.cids, g)
	f.cidOf[g] = c
	f.unicode[c] = r
	return c
}

// encode turns s into Identity-H codes (two bytes per character).
func (f *Font) encode(s string) []byte {
	out := make([]byte, 0, 2*len(s))
	for _, r := range s {
		g, rr := f.glyphFor(r)
		c := f.cid(g, rr)
		out = append(out, byte(c>>8), byte(c))
	}
	return out
}

// Width returns the advance width of s at size points, in points.
func (f *Font) Width(s string, size float64) float64 {
	units := 0
	for _, r := range s {
		g, _ := f.glyphFor(r)
		units += f.tt.advance(g)
	}
	return float64(units) * size / float64(f.tt.unitsPerEm)
}

// RuneWidth returns the advance width of one rune at size points.
func (f *Font) RuneWidth(r rune, size float64) float64 {
	g, _ := f.glyphFor(r)
	return float64(f.tt.advance(g)) * size / float64(f.tt.unitsPerEm)
}

// Ascent and Descent return the font's ascender and descender (negative) at size points.
func (f *Font) Ascent(size float64) float64 {
	return float64(f.tt.ascent) * size / float64(f.tt.unitsPerEm)
}

// Descent returns the descender at size points (a negative number).
func (f *Font) Descent(size float64) float64 {
	return float64(f.tt.descent) * size / float64(f.tt.unitsPerEm)
}

// Has reports whether the font has a glyph for r.
func (f *Font) Has(r rune) bool { return f.tt.cmap(r) != 0 }
