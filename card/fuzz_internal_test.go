package card

import (
	"bytes"
	"testing"
)

// FuzzTLV: the BER-TLV header parser and splitter never panic and stay within their
// input.
func FuzzTLV(f *testing.F) {
	for _, s := range []string{"30 82 06 1A", "FF 20 81 90 DF 21 08", "DF 21 02 01 02 DF 22 00", "5F 81 01 00", "30 84 00 00 00 01", "FF"} {
		f.Add(unhex(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		tag, l, h, err := tlvHeader(b)
		if err == nil && (h < 2 || h > len(b) || l < 0) {
			t.Fatalf("header %X: tag %X len %d header %d", b, tag, l, h)
		}
		items, err := tlvSplit(b)
		if err != nil {
			return
		}
		var joined []byte
		for _, it := range items {
			joined = append(joined, it.raw...)
		}
		if !bytes.Equal(joined, b) {
			t.Fatalf("split of %X does not add up", b)
		}
	})
}

// FuzzNormalizePIN: whatever is typed, the result is either refused or a well-formed
// PIN, and normalizing it again changes nothing.
func FuzzNormalizePIN(f *testing.F) {
	for _, s := range []string{"TEST1234", "ｔｅｓｔ１２３４", "1234", "", "ＡＢＣ－１２３", "\xff\xfe"} {
		f.Add(s, uint8(1))
	}
	f.Fuzz(func(t *testing.T, in string, k uint8) {
		kind := PINKind(k%3 + 1)
		out, err := NormalizePIN(kind, []byte(in))
		if err != nil {
			if out != nil {
				t.Fatal("output with an error")
			}
			return
		}
		letters, digits := 0, 0
		for _, c := range out {
			switch {
			case c >= '0' && c <= '9':
				digits++
			case c >= 'A' && c <= 'Z':
				letters++
			default:
				t.Fatalf("%q → %q", in, out)
			}
		}
		if kind == SignPassword && (len(out) < 6 || len(out) > 16 || letters == 0 || digits == 0) ||
			kind != SignPassword && (len(out) != 4 || letters != 0) {
			t.Fatalf("%v %q → %q", kind, in, out)
		}
		again, err := NormalizePIN(kind, out)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("not idempotent: %q → %q → %q %v", in, out, again, err)
		}
	})
}

// FuzzParseResponse: the response parser never panics and keeps every byte.
func FuzzParseResponse(f *testing.F) {
	f.Add(unhex("90 00"))
	f.Add(unhex("01 02 61 10"))
	f.Add([]byte{0x63})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ParseResponse(b)
		if err != nil {
			if len(b) >= 2 {
				t.Fatalf("%X refused", b)
			}
			return
		}
		if len(r.Data)+2 != len(b) || byte(r.SW>>8) != b[len(b)-2] {
			t.Fatalf("%X parsed as %+v", b, r)
		}
	})
}
