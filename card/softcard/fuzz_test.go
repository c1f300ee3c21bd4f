package softcard

import (
	"testing"

	"github.com/mynasign/mynasign/internal/testpki"
)

// FuzzParseCommand: the command parser never panics and its fields stay inside the input.
func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{"00A40000", "00B0000000", "00A4040C02AAAA00", "00B00000000000", "002A008000000202AAAA0000", "00A4"} {
		f.Add(apdu(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := parseCommand(b)
		if err != nil {
			return
		}
		if len(c.data) > len(b) || c.le > 65536 || c.le < -1 || c.le == 0 {
			t.Fatalf("%X → %+v", b, c)
		}
	})
}

// FuzzCardCommands sends a fuzzer-chosen sequence of APDUs (each prefixed by its length)
// to a fresh card: it always answers with a status word, never panics, and its try
// counters stay within 0..max.
func FuzzCardCommands(f *testing.F) {
	p, err := testpki.PersonaByID("valid")
	if err != nil {
		f.Fatal(err)
	}
	cfg := ConfigFor(p)
	seq := func(cmds ...string) []byte {
		var out []byte
		for _, c := range cmds {
			b := apdu(c)
			out = append(append(out, byte(len(b))), b...)
		}
		return out
	}
	f.Add(seq(selJPKI, verifyCmd(0x9B, "TEST1234"), "00 B0 81 00 00", "80 2A 00 9A 03 01 02 03 00"))
	f.Add(seq(selText, verifyCmd(0x91, "1234"), "00 B0 82 00 00", "00 B0 83 00 00"))
	f.Add(seq(selJPKI, verifyCmd(0x9B, "TEST9999"), "00 20 00 9B", "00 24 01 9B 02 41 31"))
	f.Fuzz(func(t *testing.T, stream []byte) {
		c, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		for len(stream) > 0 {
			n := min(int(stream[0]), len(stream)-1)
			cmd := stream[1 : 1+n]
			stream = stream[1+n:]
			out, err := c.Transmit(cmd)
			if err != nil {
				t.Fatalf("%X: %v", cmd, err)
			}
			if len(out) < 2 || len(out) > 65538 {
				t.Fatalf("%X → %d bytes", cmd, len(out))
			}
		}
		for _, s := range []struct {
			name string
			max  int
		}{{"sign", 5}, {"auth", 3}, {"text", 3}} {
			if l := c.TriesLeft(s.name); l < 0 || l > s.max {
				t.Fatalf("%s tries %d", s.name, l)
			}
		}
	})
}
