package pdf

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// Object is a PDF object: one of Null, Bool, Int, Real, Name, String, Array, Dict, Ref or
// *Stream.
type Object interface{}

// Null is the PDF null object.
type Null struct{}

// Bool is a PDF boolean.
type Bool bool

// Int is a PDF integer.
type Int int64

// Real is a PDF real number.
type Real float64

// Name is a PDF name, decoded (#xx escapes resolved), without the leading slash.
type Name string

// String is a PDF string as bytes (escapes resolved). Pos and End are the file offsets
// of its first and one past its last byte, delimiters included, when it was parsed
// directly from the file; both are -1 otherwise (object streams, objects we build).
type String struct {
	Bytes []byte
	Hex   bool
	Pos   int64
	End   int64
}

// Array is a PDF array.
type Array []Object

// DictEntry is one key/value pair of a Dict.
type DictEntry struct {
	Key   Name
	Value Object
}

// Dict is a PDF dictionary that keeps the order of its keys (so that an object we
// rewrite keeps its look). Dup records that a key occurred more than once in the file;
// Entries holds the first occurrence (this reader's value) and Shadowed the later ones
// (the value pdf.js, poppler, MuPDF and qpdf take), in file order.
type Dict struct {
	Entries  []DictEntry
	Dup      bool
	Shadowed []DictEntry
}

// Ref is an indirect reference.
type Ref struct {
	Num int
	Gen int
}

// Stream is a PDF stream: its dictionary and where its (still encoded) data lies in the
// file. Data is set instead of Offset for streams we build ourselves.
type Stream struct {
	Dict   Dict
	Offset int64 // absolute offset of the first data byte
	Length int64 // encoded length
	Data   []byte
}

func (r Ref) String() string { return fmt.Sprintf("%d %d R", r.Num, r.Gen) }

// Get returns the value of key (the first occurrence), or nil.
func (d Dict) Get(key Name) Object {
	for i := range d.Entries {
		if d.Entries[i].Key == key {
			return d.Entries[i].Value
		}
	}
	return nil
}

// Has reports whether key is present.
func (d Dict) Has(key Name) bool {
	for i := range d.Entries {
		if d.Entries[i].Key == key {
			return true
		}
	}
	return false
}

// Set replaces the value of key or appends it; later copies of a repeated key are
// dropped, so that every reader reads v.
func (d *Dict) Set(key Name, v Object) {
	d.dropShadowed(key)
	for i := range d.Entries {
		if d.Entries[i].Key == key {
			d.Entries[i].Value = v
			return
		}
	}
	d.Entries = append(d.Entries, DictEntry{key, v})
}

// dropShadowed removes the later copies of key.
func (d *Dict) dropShadowed(key Name) {
	if len(d.Shadowed) == 0 {
		return
	}
	var keep []DictEntry
	for _, e := range d.Shadowed {
		if e.Key != key {
			keep = append(keep, e)
		}
	}
	d.Shadowed = keep
	d.Dup = len(keep) > 0
}

// Delete removes key (every copy).
func (d *Dict) Delete(key Name) {
	d.dropShadowed(key)
	out := d.Entries[:0]
	for _, e := range d.Entries {
		if e.Key != key {
			out = append(out, e)
		}
	}
	d.Entries = out
}

// Keys returns the keys in order.
func (d Dict) Keys() []Name {
	ks := make([]Name, 0, len(d.Entries))
	for _, e := range d.Entries {
		ks = append(ks, e.Key)
	}
	return ks
}

// Clone returns a shallow copy of d (entries copied, values shared).
func (d Dict) Clone() Dict {
	return Dict{Entries: append([]DictEntry(nil), d.Entries...), Dup: d.Dup, Shadowed: append([]DictEntry(nil), d.Shadowed...)}
}

// NameOf returns v as a Name, or "".
func NameOf(v Object) Name {
	n, _ := v.(Name)
	return n
}

// IntOf returns v as an integer when it is an Int (or a Real with an integral value).
func IntOf(v Object) (int64, bool) {
	switch x := v.(type) {
	case Int:
		return int64(x), true
	case Real:
		if float64(x) == float64(int64(x)) {
			return int64(x), true
		}
	}
	return 0, false
}

// NumberOf returns v as a float64 when it is a number.
func NumberOf(v Object) (float64, bool) {
	switch x := v.(type) {
	case Int:
		return float64(x), true
	case Real:
		return float64(x), true
	}
	return 0, false
}

// Equal reports whether a and b are the same PDF value. References are compared as
// references (not followed); strings by their bytes; streams by dictionary and encoded
// data (data must be loaded by the caller for file streams: see File.equalObjects).
func Equal(a, b Object) bool {
	switch x := a.(type) {
	case nil, Null:
		switch b.(type) {
		case nil, Null:
			return true
		}
		return false
	case Bool:
		y, ok := b.(Bool)
		return ok && x == y
	case Int:
		switch y := b.(type) {
		case Int:
			return x == y
		case Real:
			return float64(x) == float64(y)
		}
		return false
	case Real:
		switch y := b.(type) {
		case Int:
			return float64(x) == float64(y)
		case Real:
			return x == y
		}
		return false
	case Name:
		y, ok := b.(Name)
		return ok && x == y
	case String:
		y, ok := b.(String)
		return ok && bytes.Equal(x.Bytes, y.Bytes)
	case Ref:
		y, ok := b.(Ref)
		return ok && x == y
	case Array:
		y, ok := b.(Array)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !Equal(x[i], y[i]) {
				return false
			}
		}
		return true
	case Dict:
		y, ok := b.(Dict)
		return ok && equalDicts(x, y)
	case *Stream:
		y, ok := b.(*Stream)
		if !ok || !equalDicts(x.Dict, y.Dict) {
			return false
		}
		if x.Data != nil || y.Data != nil {
			return bytes.Equal(x.Data, y.Data)
		}
		return x.Offset == y.Offset && x.Length == y.Length
	}
	return false
}

func equalDicts(x, y Dict) bool {
	if len(x.Entries) != len(y.Entries) || len(x.Shadowed) != len(y.Shadowed) {
		return false
	}
	for i, e := range x.Shadowed {
		if e.Key != y.Shadowed[i].Key || !Equal(e.Value, y.Shadowed[i].Value) {
			return false
		}
	}
	for _, e := range x.Entries {
		if !y.Has(e.Key) || !Equal(e.Value, y.Get(e.Key)) {
			return false
		}
	}
	return true
}

// Text decodes a PDF text string (UTF-16BE with BOM, UTF-8 with BOM, or
// PDFDocEncoding, approximated by Latin-1 here).
func (s String) Text() string {
	b := s.Bytes
	if len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF {
		var sb strings.Builder
		u := make([]uint16, 0, (len(b)-2)/2)
		for i := 2; i+1 < len(b); i += 2 {
			u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
		}
		for i := 0; i < len(u); i++ {
			c := rune(u[i])
			if c >= 0xD800 && c < 0xDC00 && i+1 < len(u) && u[i+1] >= 0xDC00 && u[i+1] < 0xE000 {
				c = (c-0xD800)<<10 + rune(u[i+1]-0xDC00) + 0x10000
				i++
			}
			sb.WriteRune(c)
		}
		return sb.String()
	}
	if len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		return string(b[3:])
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

// TextString encodes s as a PDF text string: PDFDocEncoding-compatible ASCII as is,
// anything else as UTF-16BE with a byte order mark.
func TextString(s string) String {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return String{Bytes: []byte(s), Pos: -1, End: -1}
	}
	b := []byte{0xFE, 0xFF}
	for _, r := range s {
		if r >= 0x10000 {
			r -= 0x10000
			hi, lo := 0xD800+(r>>10), 0xDC00+(r&0x3FF)
			b = append(b, byte(hi>>8), byte(hi), byte(lo>>8), byte(lo))
			continue
		}
		b = append(b, byte(r>>8), byte(r))
	}
	return String{Bytes: b, Pos: -1, End: -1}
}

// formatReal writes a real without an exponent, as PDF wants.
func formatReal(f float64) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if s == "-0" {
		return "0"
	}
	return s
}
