package trust

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// nameAttr is one AttributeTypeAndValue of a distinguished name.
type nameAttr struct {
	oid   string // DER of the OID
	value string // normalized when it is a string type, else the DER of the value
	str   bool
}

// parseRDNs splits a DER Name into its RDNs (each a set of attributes).
func parseRDNs(der []byte) ([][]nameAttr, bool) {
	in := cryptobyte.String(der)
	var seq cryptobyte.String
	if !in.ReadASN1(&seq, cbasn1.SEQUENCE) || !in.Empty() {
		return nil, false
	}
	var out [][]nameAttr
	for !seq.Empty() {
		var set cryptobyte.String
		if !seq.ReadASN1(&set, cbasn1.SET) {
			return nil, false
		}
		var rdn []nameAttr
		for !set.Empty() {
			var atv, oid cryptobyte.String
			var val cryptobyte.String
			var tag cbasn1.Tag
			if !set.ReadASN1(&atv, cbasn1.SEQUENCE) ||
				!atv.ReadASN1Element(&oid, cbasn1.OBJECT_IDENTIFIER) {
				return nil, false
			}
			full := atv
			if !atv.ReadAnyASN1(&val, &tag) || !atv.Empty() {
				return nil, false
			}
			a := nameAttr{oid: string(oid)}
			if s, ok := decodeDirectoryString(val, tag); ok {
				a.value, a.str = normalizeNameString(s), true
			} else {
				a.value = string(full)
			}
			rdn = append(rdn, a)
		}
		if len(rdn) == 0 {
			return nil, false
		}
		out = append(out, rdn)
	}
	return out, true
}

// decodeDirectoryString decodes the string types a DirectoryString (and IA5String) may use.
func decodeDirectoryString(v []byte, tag cbasn1.Tag) (string, bool) {
	switch tag {
	case cbasn1.UTF8String:
		return string(v), utf8.Valid(v)
	case cbasn1.PrintableString, cbasn1.IA5String, cbasn1.T61String:
		// T61 (Teletex) is treated as Latin-1, as most software does.
		var b strings.Builder
		for _, c := range v {
			b.WriteRune(rune(c))
		}
		return b.String(), true
	case cbasn1.Tag(30): // BMPString
		if len(v)%2 != 0 {
			return "", false
		}
		u := make([]uint16, len(v)/2)
		for i := range u {
			u[i] = uint16(v[2*i])<<8 | uint16(v[2*i+1])
		}
		return string(utf16.Decode(u)), true
	case cbasn1.Tag(28): // UniversalString
		if len(v)%4 != 0 {
			return "", false
		}
		var b strings.Builder
		for i := 0; i < len(v); i += 4 {
			b.WriteRune(rune(uint32(v[i])<<24 | uint32(v[i+1])<<16 | uint32(v[i+2])<<8 | uint32(v[i+3])))
		}
		return b.String(), true
	}
	return "", false
}

// normalizeNameString applies the essentials of RFC 4518 string preparation used by
// RFC 5280 §7.1 name comparison: case folding and insignificant white space.
func normalizeNameString(s string) string {
	fields := strings.FieldsFunc(s, unicode.IsSpace)
	return strings.ToLower(strings.Join(fields, " "))
}

// namesEqual compares two DER distinguished names as RFC 5280 §7.1 asks: the same RDNs
// in the same order, each attribute matching, string values compared case-insensitively
// with insignificant white space removed. Byte-identical names are equal.
func namesEqual(a, b []byte) bool {
	if bytes.Equal(a, b) {
		return true
	}
	ra, ok := parseRDNs(a)
	if !ok {
		return false
	}
	rb, ok := parseRDNs(b)
	if !ok || len(ra) != len(rb) {
		return false
	}
	for i := range ra {
		if !rdnEqual(ra[i], rb[i]) {
			return false
		}
	}
	return true
}

// rdnEqual compares two RDNs as sets of attributes.
func rdnEqual(a, b []nameAttr) bool {
	if len(a) != len(b) {
		return false
	}
	used := make([]bool, len(b))
	for _, x := range a {
		found := false
		for j, y := range b {
			if !used[j] && x == y {
				used[j], found = true, true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
