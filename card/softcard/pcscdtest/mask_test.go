package pcscdtest

import "testing"

// TestMaskSecrets: a password sent with VERIFY (or CHANGE REFERENCE DATA, RESET RETRY
// COUNTER) never appears in the log tail a failed test prints; other commands do.
func TestMaskSecrets(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"00000002 APDU: 00 20 00 80 08 54 45 53 54 31 32 33 34 ", "00000002 APDU: 00 20 00 80 08 (8 bytes of data hidden)"},
		{"00000002 APDU: 00 24 00 80 10 54 45 53 54 31 32 33 34 54 45 53 54 31 32 33 34", "00000002 APDU: 00 24 00 80 10 (16 bytes of data hidden)"},
		{"APDU: 00 2C 00 80 04 31 32 33 34", "APDU: 00 2C 00 80 04 (4 bytes of data hidden)"},
		{"00000003 APDU: 00 20 00 80 ", "00000003 APDU: 00 20 00 80 "},
		{"00000004 APDU: 00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01 ", "00000004 APDU: 00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01 "},
		{"00000002 SW: 90 00 ", "00000002 SW: 90 00 "},
		{"APDU: zz 20", "APDU: zz 20"},
	} {
		if got := maskSecrets(c.in); got != c.want {
			t.Errorf("maskSecrets(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
