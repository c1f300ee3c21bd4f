// Package samplepdf writes the sample PDFs the tests and benchmarks sign: one or more
// pages, a cross-reference table or stream (with the dictionaries in an object stream),
// AcroForm direct or indirect with or without fields, /Annots direct or indirect, and
// padding to make large files. Nothing is committed as a binary: tests generate what
// they need.
package samplepdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"sort"
	"strings"
)

// Spec describes a sample PDF: the shapes of document structure a signer must cope
// with.
type Spec struct {
	Pages      int
	XRefStream bool   // a cross-reference stream, the dictionaries in an object stream
	AcroForm   string // "", "direct", "indirect" or "indirect-fields" (/Fields indirect too)
	TextField  bool   // an unsigned text field with a widget on page 1
	Annots     string // "", "direct" or "indirect": page 1 carries a link annotation
	NoEOL      bool   // no end of line after the final %%EOF
	Padding    int    // bytes of an extra content stream (to make big files)
	// PageBoxes, when set, gives page i's size entries instead of "/MediaBox [0 0 595 842]"
	// (A4 portrait), e.g. "/MediaBox [0 0 612 792] /Rotate 90"; "" leaves them out (the page
	// inherits them from TreeAttrs).
	PageBoxes []string
	// TreeAttrs are extra entries of the page tree's root (inheritable /MediaBox,
	// /CropBox, /Rotate).
	TreeAttrs string
}

// pageBox is the size entries of page i.
func (s Spec) pageBox(i int) string {
	if s.PageBoxes == nil {
		return " /MediaBox [0 0 595 842]"
	}
	if i < len(s.PageBoxes) && s.PageBoxes[i] != "" {
		return " " + s.PageBoxes[i]
	}
	return ""
}

// Make writes a small, valid PDF (or a large one with Padding).
func Make(s Spec) []byte {
	if s.Pages == 0 {
		s.Pages = 1
	}
	objs := map[int]string{}       // dictionaries and arrays
	streams := map[int][2]string{} // dict, data
	next := 1
	alloc := func() int { n := next; next++; return n }
	catalog, pages, font, info, fdesc := alloc(), alloc(), alloc(), alloc(), alloc()
	var pageNums []int
	var annotsRef, linkRef, fieldRef, afRef, fieldsRef, padRef int
	if s.Annots != "" {
		linkRef = alloc()
		if s.Annots == "indirect" {
			annotsRef = alloc()
		}
	}
	if s.TextField {
		fieldRef = alloc()
	}
	if s.AcroForm == "indirect" || s.AcroForm == "indirect-fields" {
		afRef = alloc()
	}
	if s.AcroForm == "indirect-fields" {
		fieldsRef = alloc()
	}
	if s.Padding > 0 {
		padRef = alloc()
	}
	kids := ""
	for i := 0; i < s.Pages; i++ {
		p, c := alloc(), alloc()
		pageNums = append(pageNums, p)
		kids += fmt.Sprintf("%d 0 R ", p)
		content := fmt.Sprintf("BT /F1 24 Tf 72 720 Td (Hello, page %d) Tj ET", i+1)
		streams[c] = [2]string{"<<>>", content}
		extra := ""
		if i == 0 {
			var list []string
			if linkRef != 0 {
				list = append(list, fmt.Sprintf("%d 0 R", linkRef))
			}
			if fieldRef != 0 {
				list = append(list, fmt.Sprintf("%d 0 R", fieldRef))
			}
			switch {
			case annotsRef != 0:
				objs[annotsRef] = "[" + join(list) + "]"
				extra = fmt.Sprintf(" /Annots %d 0 R", annotsRef)
			case len(list) > 0:
				extra = " /Annots [" + join(list) + "]"
			}
			if padRef != 0 {
				c2 := fmt.Sprintf("[%d 0 R %d 0 R]", c, padRef)
				objs[p] = fmt.Sprintf("<</Type /Page /Parent %d 0 R%s /Resources <</Font <</F1 %d 0 R>>>> /Contents %s%s>>", pages, s.pageBox(i), font, c2, extra)
				continue
			}
		}
		objs[p] = fmt.Sprintf("<</Type /Page /Parent %d 0 R%s /Resources <</Font <</F1 %d 0 R>>>> /Contents %d 0 R%s>>", pages, s.pageBox(i), font, c, extra)
	}
	if padRef != 0 {
		var b bytes.Buffer
		for b.Len() < s.Padding {
			b.WriteString("% padding to make the file large: 0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ\n")
		}
		streams[padRef] = [2]string{"<<>>", b.String()}
	}
	objs[pages] = fmt.Sprintf("<</Type /Pages /Kids [%s] /Count %d%s>>", kids, s.Pages, prefixed(s.TreeAttrs))
	objs[font] = "<</Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 32 /LastChar 126 /Widths [" + strings.Repeat("556 ", 95) + fmt.Sprintf("] /FontDescriptor %d 0 R>>", fdesc)
	objs[fdesc] = "<</Type /FontDescriptor /FontName /Helvetica /Flags 32 /FontBBox [-166 -225 1000 931] /ItalicAngle 0 /Ascent 718 /Descent -207 /CapHeight 718 /StemV 88>>"
	objs[info] = "<</Producer (mynasign test) /Title (Test document)>>"
	if linkRef != 0 {
		objs[linkRef] = "<</Type /Annot /Subtype /Link /Rect [72 700 200 730] /Border [0 0 0] /A <</S /URI /URI (https://example.com/)>>>>"
	}
	if fieldRef != 0 {
		objs[fieldRef] = fmt.Sprintf("<</Type /Annot /Subtype /Widget /FT /Tx /T (Name) /V (Taro) /Rect [72 600 300 630] /P %d 0 R /F 4>>", pageNums[0])
	}
	fieldList := "[]"
	if fieldRef != 0 {
		fieldList = fmt.Sprintf("[%d 0 R]", fieldRef)
	}
	fieldsVal := fieldList
	if fieldsRef != 0 {
		objs[fieldsRef] = fieldList
		fieldsVal = fmt.Sprintf("%d 0 R", fieldsRef)
	}
	af := ""
	switch s.AcroForm {
	case "direct":
		af = fmt.Sprintf(" /AcroForm <</Fields %s /DA (/Helv 0 Tf 0 g)>>", fieldsVal)
	case "indirect", "indirect-fields":
		objs[afRef] = fmt.Sprintf("<</Fields %s /DA (/Helv 0 Tf 0 g)>>", fieldsVal)
		af = fmt.Sprintf(" /AcroForm %d 0 R", afRef)
	}
	objs[catalog] = fmt.Sprintf("<</Type /Catalog /Pages %d 0 R%s>>", pages, af)

	return write(objs, streams, next, catalog, info, s)
}

// write serializes the objects: the streams first, then the dictionaries, directly with
// a cross-reference table or in an object stream with a cross-reference stream. next is
// the first unused object number.
func write(objs map[int]string, streams map[int][2]string, next, catalog, info int, s Spec) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offsets := map[int]int{}
	var streamNums []int
	for n := range streams {
		streamNums = append(streamNums, n)
	}
	sort.Ints(streamNums)
	writeStream := func(n int, dict, data string) {
		offsets[n] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nstream\n%s\nendstream\nendobj\n", n, dictWithLength(dict, len(data)), data)
	}
	for _, n := range streamNums {
		writeStream(n, streams[n][0], streams[n][1])
	}
	var dictNums []int
	for n := range objs {
		dictNums = append(dictNums, n)
	}
	sort.Ints(dictNums)
	size := next
	if !s.XRefStream {
		for _, n := range dictNums {
			offsets[n] = b.Len()
			fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", n, objs[n])
		}
		xref := b.Len()
		fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f\r\n", size)
		for n := 1; n < size; n++ {
			fmt.Fprintf(&b, "%010d 00000 n\r\n", offsets[n])
		}
		fmt.Fprintf(&b, "trailer\n<</Size %d /Root %d 0 R /Info %d 0 R /ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>]>>\nstartxref\n%d\n%%%%EOF", size, catalog, info, xref)
	} else {
		writeXRefStream(&b, objs, streams, dictNums, offsets, size, catalog, info)
	}
	if !s.NoEOL {
		b.WriteString("\n")
	}
	return b.Bytes()
}

// writeXRefStream writes the dictionaries into an object stream and a cross-reference
// stream after it, and the end of the file.
func writeXRefStream(b *bytes.Buffer, objs map[int]string, streams map[int][2]string, dictNums []int, offsets map[int]int, size, catalog, info int) {
	objStm, xrefN := size, size+1
	size += 2
	var head, body bytes.Buffer
	index := map[int]int{}
	for i, n := range dictNums {
		index[n] = i
		fmt.Fprintf(&head, "%d %d ", n, body.Len())
		body.WriteString(objs[n])
		body.WriteString("\n")
	}
	data := head.String() + body.String()
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write([]byte(data))
	zw.Close()
	offsets[objStm] = b.Len()
	fmt.Fprintf(b, "%d 0 obj\n<</Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d>>\nstream\n", objStm, len(dictNums), head.Len(), z.Len())
	b.Write(z.Bytes())
	b.WriteString("\nendstream\nendobj\n")
	offsets[xrefN] = b.Len()
	var rows bytes.Buffer
	for n := 0; n < size; n++ {
		_, isStream := streams[n]
		switch {
		case n == 0:
			rows.Write([]byte{0, 0, 0, 0, 0, 0})
		case isStream || n == objStm || n == xrefN:
			o := offsets[n]
			rows.Write([]byte{1, byte(o >> 24), byte(o >> 16), byte(o >> 8), byte(o), 0})
		default:
			rows.Write([]byte{2, byte(objStm >> 24), byte(objStm >> 16), byte(objStm >> 8), byte(objStm), byte(index[n])})
		}
	}
	raw := rows.Bytes()
	fmt.Fprintf(b, "%d 0 obj\n<</Type /XRef /Size %d /W [1 4 1] /Root %d 0 R /Info %d 0 R /ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>] /Length %d>>\nstream\n", xrefN, size, catalog, info, len(raw))
	b.Write(raw)
	fmt.Fprintf(b, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF", offsets[xrefN])
}

func dictWithLength(d string, n int) string {
	return d[:len(d)-2] + fmt.Sprintf(" /Length %d>>", n)
}

func prefixed(attrs string) string {
	if attrs == "" {
		return ""
	}
	return " " + attrs
}

func join(l []string) string {
	out := ""
	for i, s := range l {
		if i > 0 {
			out += " "
		}
		out += s
	}
	return out
}
