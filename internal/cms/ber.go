package cms

import (
	"bytes"
	"slices"
)

// BER input. RFC 5652 lets a SignedData be written in BER: indefinite lengths and
// constructed (segmented) strings are what BouncyCastle's getEncoded(), NSS (poppler's
// pdfsig, LibreOffice) and `openssl cms -sign -stream` produce. The parser works on DER,
// so its input is first rewritten into DER by toDER, keeping everything else as it is:
//
//   - indefinite lengths become definite, non-minimal lengths minimal;
//   - constructed universal string types (OCTET STRING, BIT STRING, the character
//     strings, the times) become primitive, their segments concatenated;
//   - the order of elements is kept, also inside a SET OF (a DER SET OF is sorted, but
//     the signed attributes must be checked over the order the signer used as well: see
//     SignerInfo.signedAttrsForms).
//
// DER is its own image: a DER input comes out byte for byte the same, so certificates
// (DER by RFC 5280) keep the bytes their issuers signed.

// Bounds of the BER reader.
const (
	// berMaxDepth bounds the nesting of elements. A SignedData with its certificates and
	// time-stamp tokens is about 12 deep.
	berMaxDepth = 64
	// berMaxLengthBytes bounds the long form of a length (2^32 bytes is more than a PDF
	// /Contents can hold).
	berMaxLengthBytes = 4
)

// berElement is one element of a BER encoding.
type berElement struct {
	class       byte   // the identifier octet's class bits (0x00, 0x40, 0x80, 0xC0)
	constructed bool   // the identifier octet's constructed bit
	number      uint32 // the tag number
	// content is the content octets; for an indefinite length, the encodings of the
	// elements between the header and the end-of-contents octets.
	content []byte
}

// universal string and time types: in DER always primitive.
func (e *berElement) isStringType() bool {
	if e.class != 0 {
		return false
	}
	switch e.number {
	case 3, 4, // BIT STRING, OCTET STRING
		12, 18, 19, 20, 21, 22, 25, 26, 27, 28, 29, 30, // the character strings
		23, 24: // UTCTime, GeneralizedTime
		return true
	}
	return false
}

// readBER reads the first element of b at the given nesting depth and returns it with
// the bytes after it.
func readBER(b []byte, depth int) (el berElement, rest []byte, err error) {
	if depth > berMaxDepth {
		return el, nil, formatErr("BER nesting too deep")
	}
	if len(b) < 2 {
		return el, nil, formatErr("truncated BER element")
	}
	id := b[0]
	el.class, el.constructed = id&0xC0, id&0x20 != 0
	i := 1
	if id&0x1F != 0x1F {
		el.number = uint32(id & 0x1F)
	} else {
		// High tag number form: base 128, at most 4 octets, no leading zero octet.
		for n := 0; ; n++ {
			if i >= len(b) || n == 4 || (n == 0 && b[i] == 0x80) {
				return el, nil, formatErr("bad BER tag")
			}
			c := b[i]
			i++
			el.number = el.number<<7 | uint32(c&0x7F)
			if c&0x80 == 0 {
				break
			}
		}
		if el.number < 0x1F {
			return el, nil, formatErr("bad BER tag")
		}
	}
	if i >= len(b) {
		return el, nil, formatErr("truncated BER element")
	}
	lb := b[i]
	i++
	switch {
	case lb < 0x80:
		return definite(el, b, i, uint64(lb))
	case lb == 0x80:
		if !el.constructed {
			return el, nil, formatErr("indefinite length on a primitive BER element")
		}
		start := i
		for {
			if len(b)-i >= 2 && b[i] == 0 && b[i+1] == 0 {
				el.content = b[start:i]
				return el, b[i+2:], nil
			}
			_, next, err := readBER(b[i:], depth+1)
			if err != nil {
				return el, nil, err
			}
			i = len(b) - len(next)
		}
	default:
		n := int(lb & 0x7F)
		if n > berMaxLengthBytes || n == 0x7F || len(b)-i < n {
			return el, nil, formatErr("bad BER length")
		}
		var l uint64
		for _, c := range b[i : i+n] {
			l = l<<8 | uint64(c)
		}
		return definite(el, b, i+n, l)
	}
}

func definite(el berElement, b []byte, at int, l uint64) (berElement, []byte, error) {
	if l > uint64(len(b)-at) {
		return el, nil, formatErr("BER element longer than its container")
	}
	el.content = b[at : at+int(l)]
	return el, b[at+int(l):], nil
}

// toDER rewrites the first element of a BER encoding in DER (see the comment at the top
// of this file) and returns it with the bytes that follow it.
func toDER(b []byte) (der, rest []byte, err error) {
	el, rest, err := readBER(b, 0)
	if err != nil {
		return nil, nil, err
	}
	out, err := appendDER(make([]byte, 0, len(b)-len(rest)), el, 0, false)
	if err != nil {
		return nil, nil, err
	}
	return out, rest, nil
}

// sortedSETOFDER is toDER with the elements of every SET sorted as DER sorts a SET OF
// (X.690 §11.6): the strict DER form of signed attributes.
func sortedSETOFDER(b []byte) ([]byte, error) {
	el, _, err := readBER(b, 0)
	if err != nil {
		return nil, err
	}
	return appendDER(nil, el, 0, true)
}

// appendDER appends el in DER to out. With sortSets the children of a universal SET are
// sorted by their encodings. The body is written in place after room for the longest
// length and moved down once its length is known, so nothing is copied per level but
// that move.
func appendDER(out []byte, el berElement, depth int, sortSets bool) ([]byte, error) {
	if !el.constructed {
		return appendLength(appendIdentifier(out, el, false), len(el.content), el.content), nil
	}
	str := el.isStringType()
	out = appendIdentifier(out, el, !str)
	lenAt := len(out)
	out = append(out, 0, 0, 0, 0, 0) // room for the longest length (0x84 and four octets)
	bodyAt := len(out)
	var err error
	if str {
		if out, err = joinSegments(out, el, depth); err != nil {
			return nil, err
		}
	} else {
		var kids []int // where each child's encoding starts
		for rest := el.content; len(rest) > 0; {
			var kid berElement
			if kid, rest, err = readBER(rest, depth+1); err != nil {
				return nil, err
			}
			kids = append(kids, len(out))
			if out, err = appendDER(out, kid, depth+1, sortSets); err != nil {
				return nil, err
			}
		}
		if sortSets && el.class == 0 && el.number == 17 && len(kids) > 1 {
			encs := make([][]byte, len(kids))
			for k, at := range kids {
				end := len(out)
				if k+1 < len(kids) {
					end = kids[k+1]
				}
				encs[k] = append([]byte(nil), out[at:end]...)
			}
			slices.SortStableFunc(encs, bytes.Compare)
			out = out[:bodyAt]
			for _, e := range encs {
				out = append(out, e...)
			}
		}
	}
	n := len(out) - bodyAt
	if n > 0xFFFFFFFF {
		return nil, formatErr("BER element too long")
	}
	head := appendLength(nil, n, nil)
	copy(out[lenAt:], head)
	copy(out[lenAt+len(head):], out[bodyAt:])
	return out[:lenAt+len(head)+n], nil
}

// joinSegments appends the concatenated segments of a constructed string to out (X.690
// §8.7.3; for a BIT STRING, §8.6.4: every segment but the last has no unused bits, and
// the result starts with the last segment's count of unused bits). Segments must be of
// the string's own type.
func joinSegments(out []byte, el berElement, depth int) ([]byte, error) {
	bitString := el.number == 3
	unusedAt, unused := -1, byte(0)
	if bitString {
		unusedAt = len(out)
		out = append(out, 0)
	}
	var err error
	for rest := el.content; len(rest) > 0; {
		var seg berElement
		if seg, rest, err = readBER(rest, depth+1); err != nil {
			return nil, err
		}
		if seg.class != el.class || seg.number != el.number {
			return nil, formatErr("a segment of a constructed string has another type")
		}
		if seg.constructed {
			if bitString {
				return nil, formatErr("nested BIT STRING segments")
			}
			if out, err = joinSegments(out, seg, depth+1); err != nil {
				return nil, err
			}
			continue
		}
		part := seg.content
		if bitString {
			if len(part) == 0 || unused != 0 || part[0] > 7 {
				return nil, formatErr("bad BIT STRING segment")
			}
			unused, part = part[0], part[1:]
		}
		out = append(out, part...)
	}
	if bitString {
		out[unusedAt] = unused
	}
	return out, nil
}

// appendIdentifier appends the identifier octets of el, constructed or not.
func appendIdentifier(out []byte, el berElement, constructed bool) []byte {
	id := el.class
	if constructed {
		id |= 0x20
	}
	if el.number < 0x1F {
		return append(out, id|byte(el.number))
	}
	out = append(out, id|0x1F)
	var b7 [5]byte
	n := 0
	for v := el.number; ; v >>= 7 {
		b7[n] = byte(v & 0x7F)
		n++
		if v < 0x80 {
			break
		}
	}
	for k := n - 1; k >= 0; k-- {
		c := b7[k]
		if k > 0 {
			c |= 0x80
		}
		out = append(out, c)
	}
	return out
}

// appendLength appends the minimal definite length l and then body.
func appendLength(out []byte, l int, body []byte) []byte {
	if l < 0x80 {
		out = append(out, byte(l))
	} else {
		var lb [8]byte
		n := 0
		for v := l; v > 0; v >>= 8 {
			lb[n] = byte(v)
			n++
		}
		out = append(out, 0x80|byte(n))
		for k := n - 1; k >= 0; k-- {
			out = append(out, lb[k])
		}
	}
	return append(out, body...)
}
