package card

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"
)

func unhex(s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		panic(err)
	}
	return b
}

func TestCommandBytes(t *testing.T) {
	long := bytes.Repeat([]byte{0xAB}, 300)
	for _, tc := range []struct {
		c    Command
		want string
	}{
		{Command{CLA: 0x00, INS: 0x20, P1: 0x00, P2: 0x80}, "00 20 00 80"},
		{Command{INS: 0xB0, Le: 256}, "00 B0 00 00 00"},
		{Command{INS: 0xB0, P1: 0x01, Le: 17}, "00 B0 01 00 11"},
		{Command{INS: 0xA4, P1: 0x02, P2: 0x0C, Data: []byte{0x00, 0x1B}}, "00 A4 02 0C 02 00 1B"},
		{Command{CLA: 0x80, INS: 0x2A, P2: 0x9A, Data: []byte{1, 2}, Le: 256}, "80 2A 00 9A 02 01 02 00"},
		{Command{INS: 0xB0, Le: 65536}, "00 B0 00 00 00 00 00"},
		{Command{INS: 0xB0, Le: 257}, "00 B0 00 00 00 01 01"},
		{Command{INS: 0x2A, Data: long, Le: 256}, "00 2A 00 00 00 01 2C" + strings.Repeat("AB", 300) + "01 00"},
		{Command{INS: 0x2A, Data: long}, "00 2A 00 00 00 01 2C" + strings.Repeat("AB", 300)},
	} {
		got, err := tc.c.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, unhex(tc.want)) {
			t.Errorf("%+v: %X, want %s", tc.c, got, tc.want)
		}
	}
	for _, c := range []Command{{Le: -1}, {Le: 65537}, {Data: make([]byte, 65536)}} {
		if _, err := c.Bytes(); err == nil {
			t.Errorf("Le %d, %d bytes accepted", c.Le, len(c.Data))
		}
	}
}

func TestParseResponse(t *testing.T) {
	r, err := ParseResponse(unhex("01 02 90 00"))
	if err != nil || !bytes.Equal(r.Data, []byte{1, 2}) || r.SW != SWOK {
		t.Fatalf("%+v %v", r, err)
	}
	r, err = ParseResponse(unhex("63 C2"))
	if left, ok := r.SW.Tries(); err != nil || len(r.Data) != 0 || !ok || left != 2 {
		t.Fatalf("%+v %v", r, err)
	}
	if _, ok := StatusWord(0x6982).Tries(); ok {
		t.Fatal("6982 has tries")
	}
	for _, b := range [][]byte{nil, {0x90}} {
		if _, err := ParseResponse(b); err == nil {
			t.Fatalf("%X accepted", b)
		}
	}
}

func TestTLVHeader(t *testing.T) {
	for _, tc := range []struct {
		in             string
		tag            uint32
		length, header int
		ok             bool
	}{
		{"30 82 06 1A", 0x30, 0x061A, 4, true},
		{"30 81 80", 0x30, 0x80, 3, true},
		{"30 05", 0x30, 5, 2, true},
		{"FF 20 82 01 00", 0xFF20, 256, 5, true},
		{"FF 10 0C", 0xFF10, 12, 3, true},
		{"DF 21 08", 0xDF21, 8, 3, true},
		{"5F 81 01 00", 0x5F8101, 0, 4, true},
		{"30 83 01 00 00", 0x30, 0x10000, 5, true},
		{"30 80", 0, 0, 0, false}, // indefinite
		{"30 84 00 00 00 01", 0, 0, 0, false},
		{"30 82 06", 0, 0, 0, false}, // cut
		{"30", 0, 0, 0, false},
		{"FF", 0, 0, 0, false},
		{"FF 81 81 81 01", 0, 0, 0, false}, // tag too long
	} {
		tag, l, h, err := tlvHeader(unhex(tc.in))
		if (err == nil) != tc.ok || tc.ok && (tag != tc.tag || l != tc.length || h != tc.header) {
			t.Errorf("%s: %X %d %d %v", tc.in, tag, l, h, err)
		}
	}
	items, err := tlvSplit(unhex("DF 21 02 01 02 DF 22 00"))
	if err != nil || len(items) != 2 || items[1].tag != 0xDF22 || len(items[0].raw) != 5 {
		t.Fatalf("%+v %v", items, err)
	}
	if _, err := tlvSplit(unhex("DF 21 05 01")); err == nil {
		t.Fatal("short value accepted")
	}
}

func TestNormalizePIN(t *testing.T) {
	for _, tc := range []struct {
		kind  PINKind
		in    string
		want  string
		issue PINProblem
	}{
		{SignPassword, "TEST1234", "TEST1234", 0},
		{SignPassword, "abc123", "ABC123", 0},
		{SignPassword, "ＡＢＣ１２３", "ABC123", 0},
		{SignPassword, "ａｂｃ１２３ｄｅｆ４５６ｇｈｉ７", "ABC123DEF456GHI7", 0},
		{SignPassword, "ABCDEFGHIJKLMNO1P", "", PINLength},
		{SignPassword, "AB12", "", PINLength},
		{SignPassword, "", "", PINEmpty},
		{SignPassword, "ABCDEF", "", PINLetterAndDigit},
		{SignPassword, "123456", "", PINLetterAndDigit},
		{SignPassword, "ABC 123", "", PINCharacters},
		{SignPassword, "ABC　123", "", PINCharacters}, // ideographic space
		{SignPassword, "ÀBC123", "", PINCharacters},
		{SignPassword, "ＡＢＣ－１２３", "", PINCharacters},
		{AuthPIN, "1234", "1234", 0},
		{AuthPIN, "１２３４", "1234", 0},
		{AuthPIN, "123", "", PINLength},
		{AuthPIN, "12345", "", PINLength},
		{AuthPIN, "12a4", "", PINCharacters},
		{TextPIN, "0000", "0000", 0},
		{TextPIN, "", "", PINEmpty},
		{PINKind(9), "1234", "", PINCharacters},
	} {
		in := []byte(tc.in)
		got, err := NormalizePIN(tc.kind, in)
		if string(in) != tc.in {
			t.Fatalf("%q: input modified", tc.in)
		}
		if tc.issue != 0 {
			e, ok := err.(*InvalidPIN)
			if !ok || e.Problem != tc.issue || got != nil {
				t.Errorf("%v %q: %v, want %v", tc.kind, tc.in, err, tc.issue)
			}
			if err != nil && tc.in != "" && strings.Contains(err.Error(), tc.in) {
				t.Errorf("error shows the input: %v", err)
			}
			continue
		}
		if err != nil || string(got) != tc.want {
			t.Errorf("%v %q: %q %v", tc.kind, tc.in, got, err)
		}
	}
}

func TestParseLabelAndKind(t *testing.T) {
	b := append([]byte("JPKIAPICCTOKEN2"), bytes.Repeat([]byte{' '}, 17)...)
	b = append(b, make([]byte, 128)...)
	if l := parseLabel(b); l != "JPKIAPICCTOKEN2" || kindFromLabel(l) != KindMyNumberCard {
		t.Fatalf("%q", l)
	}
	if l := parseLabel([]byte("JPKIAPICCTOKEN\x00\x00")); kindFromLabel(l) != KindJukiCard {
		t.Fatalf("%q", l)
	}
	if l := parseLabel([]byte("A\x07B")); l != "A?B" || kindFromLabel(l) != KindUnknownJPKI {
		t.Fatalf("%q", l)
	}
	for k := KindNotJPKI; k <= KindUnknownJPKI; k++ {
		if k.String() == "unidentified" || k.ID() == "unknown" {
			t.Errorf("kind %d has no name", k)
		}
	}
}

func TestDiffReaders(t *testing.T) {
	known := map[string]bool{"A": true, "B": false}
	added, removed := diffReaders(known, []string{"B", "C", "D"})
	if strings.Join(added, ",") != "C,D" || strings.Join(removed, ",") != "A" {
		t.Fatalf("added %v removed %v", added, removed)
	}
	added, removed = diffReaders(map[string]bool{}, nil)
	if added != nil || removed != nil {
		t.Fatal("empty diff")
	}
}
