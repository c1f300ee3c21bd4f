package pdf

import (
	"bytes"
	"strconv"
)

// appendObject serializes o in PDF syntax. Streams must carry their data in Data.
func appendObject(b *bytes.Buffer, o Object) {
	switch x := o.(type) {
	case nil, Null:
		b.WriteString("null")
	case Bool:
		if x {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case Int:
		b.WriteString(strconv.FormatInt(int64(x), 10))
	case Real:
		b.WriteString(formatReal(float64(x)))
	case Name:
		appendName(b, x)
	case String:
		appendString(b, x)
	case Ref:
		b.WriteString(strconv.Itoa(x.Num))
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(x.Gen))
		b.WriteString(" R")
	case Array:
		b.WriteByte('[')
		for i, v := range x {
			if i > 0 {
				b.WriteByte(' ')
			}
			appendObject(b, v)
		}
		b.WriteByte(']')
	case Dict:
		appendDict(b, x)
	case *Stream:
		d := x.Dict.Clone()
		d.Set("Length", Int(len(x.Data)))
		appendDict(b, d)
		b.WriteString("\nstream\n")
		b.Write(x.Data)
		b.WriteString("\nendstream")
	}
}

func appendDict(b *bytes.Buffer, d Dict) {
	b.WriteString("<<")
	// A rewritten dictionary keeps the later copies of a repeated key, so that readers
	// that take them read what they read before.
	for _, e := range append(append([]DictEntry(nil), d.Entries...), d.Shadowed...) {
		appendName(b, e.Key)
		b.WriteByte(' ')
		appendObject(b, e.Value)
	}
	b.WriteString(">>")
}

func appendName(b *bytes.Buffer, n Name) {
	b.WriteByte('/')
	for i := 0; i < len(n); i++ {
		c := n[i]
		if c < 0x21 || c > 0x7E || c == '#' || isDelim(c) {
			b.WriteByte('#')
			b.WriteByte("0123456789ABCDEF"[c>>4])
			b.WriteByte("0123456789ABCDEF"[c&15])
			continue
		}
		b.WriteByte(c)
	}
}

func appendString(b *bytes.Buffer, s String) {
	binary := 0
	for _, c := range s.Bytes {
		if c < 0x20 || c > 0x7E {
			binary++
		}
	}
	if s.Hex || binary > len(s.Bytes)/4 {
		b.WriteByte('<')
		for _, c := range s.Bytes {
			b.WriteByte("0123456789ABCDEF"[c>>4])
			b.WriteByte("0123456789ABCDEF"[c&15])
		}
		b.WriteByte('>')
		return
	}
	b.WriteByte('(')
	for _, c := range s.Bytes {
		switch {
		case c == '(' || c == ')' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c < 0x20 || c > 0x7E:
			b.WriteByte('\\')
			b.WriteByte('0' + c>>6)
			b.WriteByte('0' + (c>>3)&7)
			b.WriteByte('0' + c&7)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte(')')
}
