// Package pdfdoc writes small PDF documents with Japanese text: pages of positioned
// text, lines and filled rectangles, with TrueType fonts embedded as subsets (Type0 /
// CIDFontType2, Identity-H, ToUnicode), so the text renders without installed fonts
// and can be extracted and searched (pdftotext, a viewer's search).
//
// It is the writer behind mynasign's printable verification records; it knows nothing
// about signatures. The output is a plain PDF 1.7 file with a classic cross-reference
// table and compressed streams.
package pdfdoc

import (
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf16"
)

// A4 page size in points.
const (
	A4Width  = 595.28
	A4Height = 841.89
)

// Info is the document information dictionary.
type Info struct {
	Title    string
	Subject  string
	Producer string
	Created  time.Time
	Lang     string // BCP 47 language of the text, e.g. "ja" or "en"
}

// Document is a PDF being built. It is not safe for concurrent use.
type Document struct {
	info  Info
	fonts []*Font
	pages []*Page
}

// New returns an empty document.
func New(info Info) *Document { return &Document{info: info} }

// AddFont registers a TrueType font (the bytes of a .ttf file with glyf outlines) for
// use on the document's pages.
func (d *Document) AddFont(ttf []byte) (*Font, error) {
	f, err := newFont(ttf)
	if err != nil {
		return nil, err
	}
	d.fonts = append(d.fonts, f)
	return f, nil
}

// Page is one page: a content stream in PDF user space (origin bottom left, points).
type Page struct {
	doc           *Document
	Width, Height float64
	content       bytes.Buffer
	fontsUsed     map[*Font]bool
}

// NewPage appends a page of the given size (points).
func (d *Document) NewPage(width, height float64) *Page {
	p := &Page{doc: d, Width: width, Height: height, fontsUsed: map[*Font]bool{}}
	d.pages = append(d.pages, p)
	return p
}

// Pages returns the number of pages so far.
func (d *Document) Pages() int { return len(d.pages) }

// Color is an RGB colour, components in 0..1.
type Color struct{ R, G, B float64 }

// Black is the default text colour.
var Black = Color{}

func num(v float64) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "" || s == "-" || s == "-0" {
		return "0"
	}
	return s
}

// Text draws s with its baseline starting at (x, y).
func (p *Page) Text(f *Font, size float64, c Color, x, y float64, s string) {
	if s == "" {
		return
	}
	p.fontsUsed[f] = true
	fmt.Fprintf(&p.content, "BT %s %s %s rg /F%d %s Tf %s %s Td <%s> Tj ET\n",
		num(c.R), num(c.G), num(c.B), p.doc.fontIndex(f), num(size), num(x), num(y),
		hex.EncodeToString(f.encode(s)))
}

// Rect fills a rectangle (x, y lower left) with fill; a zero-width stroke draws none.
func (p *Page) Rect(x, y, w, h float64, fill Color) {
	fmt.Fprintf(&p.content, "%s %s %s rg %s %s %s %s re f\n",
		num(fill.R), num(fill.G), num(fill.B), num(x), num(y), num(w), num(h))
}

// StrokeRect draws the outline of a rectangle.
func (p *Page) StrokeRect(x, y, w, h, width float64, c Color) {
	fmt.Fprintf(&p.content, "%s w %s %s %s RG %s %s %s %s re S\n",
		num(width), num(c.R), num(c.G), num(c.B), num(x), num(y), num(w), num(h))
}

// Line draws a straight line.
func (p *Page) Line(x1, y1, x2, y2, width float64, c Color) {
	fmt.Fprintf(&p.content, "%s w %s %s %s RG %s %s m %s %s l S\n",
		num(width), num(c.R), num(c.G), num(c.B), num(x1), num(y1), num(x2), num(y2))
}

func (d *Document) fontIndex(f *Font) int {
	for i, g := range d.fonts {
		if g == f {
			return i + 1
		}
	}
	panic("pdfdoc: font not added to this document")
}

// zlibPool reuses compressors: a new one allocates about a megabyte.
var zlibPool = sync.Pool{New: func() any {
	zw, _ := zlib.NewWriterLevel(nil, zlib.BestCompression)
	return zw
}}

// writer numbers objects and records their offsets.
type writer struct {
	buf     bytes.Buffer
	offsets []int // offsets[n-1] is object n's offset
}

func (w *writer) reserve() int {
	w.offsets = append(w.offsets, -1)
	return len(w.offsets)
}

func (w *writer) object(n int, body string) {
	w.offsets[n-1] = w.buf.Len()
	fmt.Fprintf(&w.buf, "%d 0 obj\n%s\nendobj\n", n, body)
}

func (w *writer) stream(n int, dict string, data []byte) {
	var z bytes.Buffer
	zw := zlibPool.Get().(*zlib.Writer)
	zw.Reset(&z)
	zw.Write(data)
	zw.Close()
	zlibPool.Put(zw)
	w.offsets[n-1] = w.buf.Len()
	fmt.Fprintf(&w.buf, "%d 0 obj\n<< %s /Filter /FlateDecode /Length %d >>\nstream\n", n, dict, z.Len())
	w.buf.Write(z.Bytes())
	w.buf.WriteString("\nendstream\nendobj\n")
}

// textString encodes s as a PDF text string: PDFDocEncoding-safe ASCII as a literal,
// anything else as UTF-16BE with a byte order mark.
func textString(s string) string {
	ascii := true
	for _, r := range s {
		if r < 0x20 || r > 0x7e {
			ascii = false
			break
		}
	}
	if ascii {
		r := strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`)
		return "(" + r.Replace(s) + ")"
	}
	b := []byte{0xfe, 0xff}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u>>8), byte(u))
	}
	return "<" + hex.EncodeToString(b) + ">"
}

func pdfDate(t time.Time) string {
	_, off := t.Zone()
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("D:%s%c%02d'%02d'", t.Format("20060102150405"), sign, off/3600, off%3600/60)
}

// WriteTo writes the complete PDF to out.
func (d *Document) WriteTo(out io.Writer) (int64, error) {
	if len(d.pages) == 0 {
		d.NewPage(A4Width, A4Height)
	}
	w := &writer{}
	w.buf.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

	catalog, pagesObj, infoObj := w.reserve(), w.reserve(), w.reserve()
	fontObjs := make([]int, len(d.fonts))
	for i := range d.fonts {
		fontObjs[i] = w.reserve()
	}
	var fontRes strings.Builder
	for i := range d.fonts {
		fmt.Fprintf(&fontRes, "/F%d %d 0 R ", i+1, fontObjs[i])
	}

	kids := make([]string, len(d.pages))
	for i, p := range d.pages {
		pageObj, contentObj := w.reserve(), w.reserve()
		kids[i] = fmt.Sprintf("%d 0 R", pageObj)
		w.object(pageObj, fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %s %s] "+
			"/Resources << /Font << %s>> /ProcSet [/PDF /Text] >> /Contents %d 0 R >>",
			pagesObj, num(p.Width), num(p.Height), fontRes.String(), contentObj))
		w.stream(contentObj, "", p.content.Bytes())
	}
	w.object(pagesObj, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(d.pages)))

	for i, f := range d.fonts {
		d.writeFont(w, fontObjs[i], f)
	}

	lang := ""
	if d.info.Lang != "" {
		lang = " /Lang " + textString(d.info.Lang)
	}
	w.object(catalog, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R%s /ViewerPreferences << /DisplayDocTitle true >> >>", pagesObj, lang))
	var info strings.Builder
	info.WriteString("<< ")
	if d.info.Title != "" {
		info.WriteString("/Title " + textString(d.info.Title) + " ")
	}
	if d.info.Subject != "" {
		info.WriteString("/Subject " + textString(d.info.Subject) + " ")
	}
	if d.info.Producer != "" {
		info.WriteString("/Producer " + textString(d.info.Producer) + " ")
	}
	if !d.info.Created.IsZero() {
		info.WriteString("/CreationDate " + textString(pdfDate(d.info.Created)) + " ")
	}
	info.WriteString(">>")
	w.object(infoObj, info.String())

	xref := w.buf.Len()
	fmt.Fprintf(&w.buf, "xref\n0 %d\n0000000000 65535 f \n", len(w.offsets)+1)
	for _, off := range w.offsets {
		fmt.Fprintf(&w.buf, "%010d 00000 n \n", off)
	}
	id := sha256.Sum256(w.buf.Bytes())
	idHex := hex.EncodeToString(id[:16])
	fmt.Fprintf(&w.buf, "trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n",
		len(w.offsets)+1, catalog, infoObj, idHex, idHex, xref)
	n, err := out.Write(w.buf.Bytes())
	return int64(n), err
}

// writeFont writes the Type0 font object n and its descendants for f.
func (d *Document) writeFont(w *writer, n int, f *Font) {
	tt := f.tt
	fontFile := tt.subset(f.cids)
	// The subset tag: six capital letters derived from the glyph set.
	sum := sha256.Sum256(fontFile)
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + sum[i]%26
	}
	name := string(tag) + "+" + tt.psName
	scale := func(v int) int { return v * 1000 / tt.unitsPerEm }

	cidFont, descriptor, fileObj, toUnicode := w.reserve(), w.reserve(), w.reserve(), w.reserve()
	w.object(n, fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H "+
		"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>", name, cidFont, toUnicode))

	// Widths: runs of consecutive CIDs.
	var widths strings.Builder
	widths.WriteString("[")
	for c := 0; c < len(f.cids); {
		fmt.Fprintf(&widths, " %d [", c)
		for end := min(c+64, len(f.cids)); c < end; c++ {
			fmt.Fprintf(&widths, " %d", scale(tt.advance(f.cids[c])))
		}
		widths.WriteString(" ]")
	}
	widths.WriteString(" ]")
	w.object(cidFont, fmt.Sprintf("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s "+
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "+
		"/FontDescriptor %d 0 R /DW %d /W %s /CIDToGIDMap /Identity >>",
		name, descriptor, scale(tt.advance(0)), widths.String()))
	w.object(descriptor, fmt.Sprintf("<< /Type /FontDescriptor /FontName /%s /Flags 4 "+
		"/FontBBox [%d %d %d %d] /ItalicAngle 0 /Ascent %d /Descent %d /CapHeight %d /StemV 80 "+
		"/FontFile2 %d 0 R >>", name, scale(tt.bbox[0]), scale(tt.bbox[1]), scale(tt.bbox[2]), scale(tt.bbox[3]),
		scale(tt.ascent), scale(tt.descent), scale(tt.capHeight), fileObj))
	w.stream(fileObj, fmt.Sprintf("/Length1 %d", len(fontFile)), fontFile)
	w.stream(toUnicode, "", toUnicodeCMap(f))
}

// toUnicodeCMap maps every CID of f back to the text it stands for.
func toUnicodeCMap(f *Font) []byte {
	var b bytes.Buffer
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n" +
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	cids := make([]int, 0, len(f.unicode))
	for c := range f.unicode {
		cids = append(cids, int(c))
	}
	sort.Ints(cids)
	for len(cids) > 0 {
		chunk := cids[:min(100, len(cids))]
		cids = cids[len(chunk):]
		fmt.Fprintf(&b, "%d beginbfchar\n", len(chunk))
		for _, c := range chunk {
			var u []byte
			for _, x := range utf16.Encode([]rune{f.unicode[uint16(c)]}) {
				u = append(u, byte(x>>8), byte(x))
			}
			fmt.Fprintf(&b, "<%04X> <%s>\n", c, strings.ToUpper(hex.EncodeToString(u)))
		}
		b.WriteString("endbfchar\n")
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	return b.Bytes()
}
