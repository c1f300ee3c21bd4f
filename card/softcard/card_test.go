package softcard

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/mynasign/mynasign/card"
	"github.com/mynasign/mynasign/internal/testpki"
)

func newCard(t testing.TB, persona string, q Quirks) *Card {
	t.Helper()
	p, err := testpki.PersonaByID(persona)
	if err != nil {
		t.Fatal(err)
	}
	cfg := ConfigFor(p)
	cfg.Quirks = q
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// apdu parses hex with spaces.
func apdu(s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		panic(err)
	}
	return b
}

// run sends an APDU and returns data and SW.
func run(t *testing.T, c *Card, cmd []byte) ([]byte, uint16) {
	t.Helper()
	out, err := c.Transmit(cmd)
	if err != nil {
		t.Fatalf("%X: %v", cmd, err)
	}
	if len(out) < 2 {
		t.Fatalf("%X: response %X too short", cmd, out)
	}
	n := len(out) - 2
	return out[:n], uint16(out[n])<<8 | uint16(out[n+1])
}

func expectSW(t *testing.T, c *Card, cmd string, want uint16) []byte {
	t.Helper()
	data, sw := run(t, c, apdu(cmd))
	if sw != want {
		t.Fatalf("%s: SW %04X, want %04X", cmd, sw, want)
	}
	return data
}

const (
	selJPKI   = "00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01"
	selText   = "00 A4 04 0C 0A D3 92 10 00 31 00 01 01 04 08"
	selVisual = "00 A4 04 0C 0A D3 92 10 00 31 00 01 01 04 02"
	selJuki   = "00 A4 04 0C 0A D3 92 10 00 31 00 01 01 04 01"
)

func sel(fid string) string { return "00 A4 02 0C 02 " + fid }

// verifyCmd is VERIFY with the ASCII PIN, P2 as given.
func verifyCmd(p2 byte, pin string) string {
	return fmt.Sprintf("00 20 00 %02X %02X %X", p2, len(pin), pin)
}

func TestATR(t *testing.T) {
	c := newCard(t, "valid", Quirks{})
	if got := hex.EncodeToString(c.ATR()); got != "3be000ff8131fe4514" {
		t.Fatalf("ATR %s", got)
	}
}

func TestSelect(t *testing.T) {
	c := newCard(t, "valid", Quirks{})
	expectSW(t, c, sel("00 06"), 0x6A82) // no application selected yet
	expectSW(t, c, selJPKI, 0x9000)
	expectSW(t, c, selText, 0x9000)
	expectSW(t, c, selVisual, 0x9000)
	expectSW(t, c, selJuki, 0x9000)
	expectSW(t, c, "00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 02", 0x6A82)
	expectSW(t, c, "00 A4 04 00 0A D3 92 F0 00 26 01 00 00 00 01", 0x6A86) // FCI not offered
	expectSW(t, c, "00 A4 08 0C 02 00 01", 0x6A86)
	expectSW(t, c, selJPKI, 0x9000)
	for _, fid := range []string{"00 01", "00 02", "00 06", "00 0A", "00 0B", "00 17", "00 18", "00 1A", "00 1B"} {
		expectSW(t, c, sel(fid), 0x9000)
	}
	expectSW(t, c, sel("00 03"), 0x6A82)
	expectSW(t, c, sel("00 11"), 0x6A82) // the text AP's PIN is not in the JPKI AP
	expectSW(t, c, "00 A4 02 0C 01 00", 0x6700)
	expectSW(t, c, "00 A4 02 0C 03 00 01 02", 0x6700)
	expectSW(t, c, "00 A4 02 0C 02 00", 0x6700) // Lc says 2, one byte follows
	expectSW(t, c, "00 A4 00 0C 02 3F 00", 0x9000)
	expectSW(t, c, sel("00 06"), 0x6A82)
}

func TestClassAndInstruction(t *testing.T) {
	c := newCard(t, "valid", Quirks{})
	expectSW(t, c, selJPKI, 0x9000)
	expectSW(t, c, "0C A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01", 0x6882) // secure messaging SELECT
	expectSW(t, c, "08 A4 02 0C 02 00 06", 0x6882)
	expectSW(t, c, "0C B0 86 00 20", 0x69FC)
	expectSW(t, c, "08 20 00 9B", 0x69FC)
	expectSW(t, c, "8C 2A 00 9A 01 00 00", 0x69FC)
	expectSW(t, c, "01 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01", 0x6881) // logical channel 1
	expectSW(t, c, "10 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01", 0x6884) // chaining
	expectSW(t, c, "A0 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01", 0x6E00)
	expectSW(t, c, "00 CA 00 00 00", 0x6D00)
	expectSW(t, c, "80 B0 00 00 00", 0x6D00)
	expectSW(t, c, "00 2A 00 9A 01 00 00", 0x6D00)
	expectSW(t, c, "00 A4", 0x6700)
	expectSW(t, c, "00 B0 00 00 05 01 02", 0x6700) // Lc 5, two bytes
}

func TestTokenInfo(t *testing.T) {
	c := newCard(t, "valid", Quirks{})
	expectSW(t, c, selJPKI, 0x9000)
	expectSW(t, c, sel("00 06"), 0x9000)
	data := expectSW(t, c, "00 B0 00 00 00", 0x9000)
	if len(data) != 160 {
		t.Fatalf("EF 0006 has %d bytes, want 160", len(data))
	}
	if got := string(data[:32]); got != "JPKIAPICCTOKEN2                 " {
		t.Fatalf("label %q", got)
	}
	// SFI form, exactly 32 bytes.
	if got := expectSW(t, c, "00 B0 86 00 20", 0x9000); string(got) != string(data[:32]) {
		t.Fatalf("SFI read %q", got)
	}
}

func TestReadBinary(t *testing.T) {
	p, _ := testpki.PersonaByID("valid")
	der := p.AuthCert.Raw
	c := newCard(t, "valid", Quirks{})
	expectSW(t, c, "00 B0 00 00 00", 0x6986) // no current EF
	expectSW(t, c, selJPKI, 0x9000)
	expectSW(t, c, "00 B0 00 00 00", 0x6986)
	expectSW(t, c, sel("00 0A"), 0x9000)
	expectSW(t, c, "00 B0 00 00", 0x6700) // no Le
	first := expectSW(t, c, "00 B0 00 00 04", 0x9000)
	if !bytes.Equal(first, der[:4]) || first[0] != 0x30 || first[1] != 0x82 {
		t.Fatalf("header %X", first)
	}
	if total := int(first[2])<<8 | int(first[3]) + 4; total != len(der) {
		t.Fatalf("DER length %d, file %d", total, len(der))
	}
	// 256-byte chunks; the last one is short with 9000.
	var got []byte
	for off := 0; ; off += 256 {
		data, sw := run(t, c, []byte{0x00, 0xB0, byte(off >> 8), byte(off), 0x00})
		if off >= len(der) {
			if sw != 0x6B00 {
				t.Fatalf("offset %d (end %d): SW %04X, want 6B00", off, len(der), sw)
			}
			break
		}
		if sw != 0x9000 {
			t.Fatalf("offset %d: SW %04X", off, sw)
		}
		if want := min(256, len(der)-off); len(data) != want {
			t.Fatalf("offset %d: %d bytes, want %d", off, len(data), want)
		}
		got = append(got, data...)
	}
	if !bytes.Equal(got, der) {
		t.Fatal("chunked read differs from the certificate")
	}
	end := len(der)
	expectSW(t, c, fmt.Sprintf("00 B0 %02X %02X 01", end>>8, end&0xFF), 0x6B00)
	if d := expectSW(t, c, fmt.Sprintf("00 B0 %02X %02X 10", (end-1)>>8, (end-1)&0xFF), 0x9000); len(d) != 1 {
		t.Fatalf("last byte: %d bytes", len(d))
	}
	// One extended read returns the whole file.
	if d := expectSW(t, c, "00 B0 00 00 00 00 00", 0x9000); !bytes.Equal(d, der) {
		t.Fatalf("extended read: %d bytes", len(d))
	}
	// SFI form selects the EF; then plain offsets continue in it.
	expectSW(t, c, sel("00 06"), 0x9000)
	if d := expectSW(t, c, "00 B0 8A 00 04", 0x9000); !bytes.Equal(d, der[:4]) {
		t.Fatalf("SFI read %X", d)
	}
	if d := expectSW(t, c, "00 B0 01 00 02", 0x9000); !bytes.Equal(d, der[256:258]) {
		t.Fatalf("read after SFI %X", d)
	}
	expectSW(t, c, "00 B0 AA 00 04", 0x6A86) // bits 6-7 of P1 set
	expectSW(t, c, "00 B0 80 00 04", 0x6A86) // SFI 0
	expectSW(t, c, "00 B0 83 00 04", 0x6A82) // no EF 0003 in the JPKI AP
	expectSW(t, c, "00 B0 97 00 04", 0x6981) // a key is not readable
	expectSW(t, c, "00 B0 9B 00 04", 0x6981) // nor a PIN
}

func TestSignCertNeedsPassword(t *testing.T) {
	p, _ := testpki.PersonaByID("valid")
	c := newCard(t, "valid", Quirks{})
	expectSW(t, c, selJPKI, 0x9000)
	expectSW(t, c, sel("00 01"), 0x9000)
	expectSW(t, c, "00 B0 00 00 04", 0x6982)
	expectSW(t, c, "00 B0 81 00 04", 0x6982)
	expectSW(t, c, "00 B0 82 00 04", 0x9000) // the CA certificate is free
	expectSW(t, c, verifyCmd(0x9B, "TEST1234"), 0x9000)
	if d := expectSW(t, c, "00 B0 81 00 04", 0x9000); !bytes.Equal(d, p.SignCert.Raw[:4]) {
		t.Fatalf("sign cert header %X", d)
	}
	// The authentication PIN does not open the signature certificate.
	expectSW(t, c, selJPKI, 0x9000)
	expectSW(t, c, verifyCmd(0x98, "1234"), 0x9000)
	expectSW(t, c, "00 B0 81 00 04", 0x6982)
}

func TestPINCounters(t *testing.T) {
	for _, tc := range []struct {
		name, sel, pinEF string
		p2               byte
		good, bad        string
		max              int
		secret           string
	}{
		{"sign", selJPKI, "00 1B", 0x9B, "TEST1234", "TEST9999", 5, "sign"},
		{"auth", selJPKI, "00 18", 0x98, "1234", "9999", 3, "auth"},
		{"text", selText, "00 11", 0x91, "1234", "0000", 3, "text"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, q := range []Quirks{{}, {BlockedAs6983: true}} {
				blocked := uint16(0x6984)
				if q.BlockedAs6983 {
					blocked = 0x6983
				}
				c := newCard(t, "valid", q)
				expectSW(t, c, tc.sel, 0x9000)
				expectSW(t, c, sel(tc.pinEF), 0x9000)
				expectSW(t, c, "00 20 00 80", 0x63C0|uint16(tc.max))
				expectSW(t, c, fmt.Sprintf("00 20 00 %02X", tc.p2), 0x63C0|uint16(tc.max))
				// Wrong, wrong, right: the counter is back at its maximum.
				expectSW(t, c, verifyCmd(0x80, tc.bad), 0x63C0|uint16(tc.max-1))
				expectSW(t, c, verifyCmd(tc.p2, tc.bad), 0x63C0|uint16(tc.max-2))
				expectSW(t, c, "00 20 00 80", 0x63C0|uint16(tc.max-2))
				expectSW(t, c, verifyCmd(0x80, tc.good), 0x9000)
				expectSW(t, c, "00 20 00 80", 0x9000) // verified: the ISO answer
				// Lowercase is a different PIN for the card.
				if tc.name == "sign" {
					expectSW(t, c, verifyCmd(0x80, "test1234"), 0x63C4)
					expectSW(t, c, "00 20 00 80", 0x63C4) // no longer verified
					expectSW(t, c, verifyCmd(0x80, tc.good), 0x9000)
				}
				// Down to zero: 63Cx ... 63C0, then blocked.
				for left := tc.max - 1; left >= 0; left-- {
					expectSW(t, c, verifyCmd(0x80, tc.bad), 0x63C0|uint16(left))
				}
				expectSW(t, c, "00 20 00 80", blocked)
				expectSW(t, c, verifyCmd(0x80, tc.good), blocked) // even the right one
				expectSW(t, c, verifyCmd(0x80, tc.bad), blocked)
				if got := c.TriesLeft(tc.secret); got != 0 {
					t.Fatalf("tries left %d", got)
				}
				// A reset does not unblock.
				c.Reset()
				if _, err := c.Transmit(apdu(tc.sel)); !errors.Is(err, card.ErrCardReset) {
					t.Fatalf("after Reset: %v", err)
				}
				expectSW(t, c, tc.sel, 0x9000)
				expectSW(t, c, sel(tc.pinEF), 0x9000)
				expectSW(t, c, "00 20 00 80", blocked)
			}
		})
	}
}

func TestVerifyReferences(t *testing.T) {
	c := newCard(t, "valid", Quirks{})
	expectSW(t, c, "00 20 00 80", 0x6A88) // nothing selected
	expectSW(t, c, selJPKI, 0x9000)
	expectSW(t, c, "00 20 00 80", 0x6A88)
	expectSW(t, c, sel("00 01"), 0x9000)
	expectSW(t, c, "00 20 00 80", 0x6A88) // a certificate is no PIN
	expectSW(t, c, "00 20 00 91", 0x6A88) // no EF 0011 here
	expectSW(t, c, "00 20 01 9B", 0x6A86)
	expectSW(t, c, "00 20 00 00", 0x6A86)
	if s := c.Stats(); s.VerifySign+s.VerifyAuth+s.VerifyText != 0 {
		t.Fatalf("a rejected reference counted as a try: %+v", s)
	}
}

func TestEmptyVerifyAfterSuccessQuirk(t *testing.T) {
	c := newCard(t, "valid", Quirks{EmptyVerifyAfterSuccess63Cx: true})
	expectSW(t, c, selJPKI, 0x9000)
	expectSW(t, c, verifyCmd(0x9B, "TEST1234"), 0x9000)
	expectSW(t, c, "00 20 00 9B", 0x63C5)
	expectSW(t, c, "00 B0 81 00 04", 0x9000) // still verified
}

func TestSecurityStateClearedBySelectAndReset(t *testing.T) {
	c := newCard(t, "valid", Quirks{})
	login := func() {
		expectSW(t, c, selJPKI, 0x9000)
		expectSW(t, c, verifyCmd(0x9B, "TEST1234"), 0x9000)
		expectSW(t, c, "00 B0 81 00 04", 0x9000)
	}
	login()
	expectSW(t, c, sel("00 1A"), 0x9000) // selecting an EF keeps it
	expectSW(t, c, "00 B0 81 00 04", 0x9000)
	expectSW(t, c, selJPKI, 0x9000) // re-selecting the application is OpenSC's logout
	expectSW(t, c, "00 B0 81 00 04", 0x6982)

	login()
	expectSW(t, c, selText, 0x9000)
	expectSW(t, c, selJPKI, 0x9000)
	expectSW(t, c, "00 B0 81 00 04", 0x6982)

	login()
	c.Reset()
	if _, err := c.BeginTransaction(); err != nil {
		t.Fatal(err)
	}
	expectSW(t, c, "00 B0 81 00 04", 0x6A82) // after a reset nothing is selected
	expectSW(t, c, selJPKI, 0x9000)
	expectSW(t, c, "00 B0 81 00 04", 0x6982)

	login()
	c.Remove()
	c.Insert()
	expectSW(t, c, selJPKI, 0x9000)
	expectSW(t, c, "00 B0 81 00 04", 0x6982)
}

func digestInfo(h crypto.Hash, digest []byte) []byte {
	prefix := map[crypto.Hash]string{
		crypto.SHA256: "3031300d060960864801650304020105000420",
		crypto.SHA384: "3041300d060960864801650304020205000430",
		crypto.SHA512: "3051300d060960864801650304020305000440",
	}[h]
	p, _ := hex.DecodeString(prefix)
	return append(p, digest...)
}

func signCmd(p2 byte, data []byte, le string) []byte {
	out := append([]byte{0x80, 0x2A, 0x00, p2, byte(len(data))}, data...)
	return append(out, apdu(le)...)
}

func TestComputeDigitalSignature(t *testing.T) {
	p, _ := testpki.PersonaByID("valid")
	signPub := p.SignCert.PublicKey.(*rsa.PublicKey)
	authPub := p.AuthCert.PublicKey.(*rsa.PublicKey)
	msg := []byte("mynasign softcard")
	s256, s384, s512 := sha256.Sum256(msg), sha512.Sum384(msg), sha512.Sum512(msg)
	c := newCard(t, "valid", Quirks{})
	expectSW(t, c, selJPKI, 0x9000)
	info := digestInfo(crypto.SHA256, s256[:])

	// Before the password: 6982, for both ways of naming the key.
	if _, sw := run(t, c, signCmd(0x9A, info, "00")); sw != 0x6982 {
		t.Fatalf("sign before VERIFY: %04X", sw)
	}
	expectSW(t, c, sel("00 1A"), 0x9000)
	if _, sw := run(t, c, signCmd(0x80, info, "00")); sw != 0x6982 {
		t.Fatalf("sign before VERIFY (P2 80): %04X", sw)
	}
	expectSW(t, c, sel("00 1B"), 0x9000)
	expectSW(t, c, verifyCmd(0x80, "TEST1234"), 0x9000)
	// P2 80 with the PIN EF current: no key selected.
	if _, sw := run(t, c, signCmd(0x80, info, "00")); sw != 0x6A88 {
		t.Fatalf("sign with no key selected: %04X", sw)
	}
	expectSW(t, c, sel("00 1A"), 0x9000)
	for _, tc := range []struct {
		h      crypto.Hash
		digest []byte
	}{{crypto.SHA256, s256[:]}, {crypto.SHA384, s384[:]}, {crypto.SHA512, s512[:]}} {
		sig, sw := run(t, c, signCmd(0x80, digestInfo(tc.h, tc.digest), "00"))
		if sw != 0x9000 || len(sig) != 256 {
			t.Fatalf("%v: SW %04X, %d bytes", tc.h, sw, len(sig))
		}
		if err := rsa.VerifyPKCS1v15(signPub, tc.h, tc.digest, sig); err != nil {
			t.Fatalf("%v: %v", tc.h, err)
		}
	}
	// Any DigestInfo (here an arbitrary 245-byte block) is padded and signed as is.
	raw := bytes.Repeat([]byte{0xA5}, 245)
	sig, sw := run(t, c, signCmd(0x9A, raw, "00"))
	if sw != 0x9000 {
		t.Fatalf("245 bytes: %04X", sw)
	}
	if err := rsa.VerifyPKCS1v15(signPub, 0, raw, sig); err != nil {
		t.Fatal(err)
	}
	// Several signatures after one VERIFY; no Le is accepted too.
	if _, sw := run(t, c, signCmd(0x9A, info, "")); sw != 0x9000 {
		t.Fatalf("without Le: %04X", sw)
	}
	for _, tc := range []struct {
		cmd  []byte
		want uint16
	}{
		{signCmd(0x9A, bytes.Repeat([]byte{1}, 246), "00"), 0x6700},
		{apdu("80 2A 00 9A 00"), 0x6700}, // no data (case 2)
		{signCmd(0x9A, info, "10"), 0x6700},
		{append([]byte{0x80, 0x2A, 0x01, 0x9A, byte(len(info))}, append(info, 0)...), 0x6A86},
		{signCmd(0x1A, info, "00"), 0x6A86},
		{signCmd(0x81, info, "00"), 0x6A88}, // a certificate is not a key
		{signCmd(0x97, info, "00"), 0x6982}, // the authentication key needs its own PIN
	} {
		if _, sw := run(t, c, tc.cmd); sw != tc.want {
			t.Errorf("%X: %04X, want %04X", tc.cmd, sw, tc.want)
		}
	}
	expectSW(t, c, verifyCmd(0x98, "1234"), 0x9000)
	sig, sw = run(t, c, signCmd(0x97, info, "00"))
	if sw != 0x9000 {
		t.Fatalf("auth key: %04X", sw)
	}
	if err := rsa.VerifyPKCS1v15(authPub, crypto.SHA256, s256[:], sig); err != nil {
		t.Fatal(err)
	}
	if got := c.Stats().Signatures; got != 6 {
		t.Fatalf("Signatures = %d, want 6", got)
	}
	// Re-selecting the application ends it.
	expectSW(t, c, selJPKI, 0x9000)
	if _, sw := run(t, c, signCmd(0x9A, info, "00")); sw != 0x6982 {
		t.Fatalf("after re-select: %04X", sw)
	}
	// In the text application there is no such key.
	expectSW(t, c, selText, 0x9000)
	if _, sw := run(t, c, signCmd(0x9A, info, "00")); sw != 0x6A88 {
		t.Fatalf("in the text AP: %04X", sw)
	}
}

func TestTextApplication(t *testing.T) {
	p, _ := testpki.PersonaByID("valid")
	c := newCard(t, "valid", Quirks{})
	expectSW(t, c, selText, 0x9000)
	expectSW(t, c, "00 B0 81 00 00", 0x6982)
	expectSW(t, c, "00 B0 82 00 00", 0x6982)
	expectSW(t, c, "00 B0 83 00 00", 0x6982)
	expectSW(t, c, sel("00 11"), 0x9000)
	expectSW(t, c, "00 20 00 80", 0x63C3)
	expectSW(t, c, verifyCmd(0x80, "1234"), 0x9000)

	mn := expectSW(t, c, "00 B0 81 00 00", 0x9000)
	want := append(append([]byte{0xFF, 0x10, 0x0C}, p.MyNumber...), 0xFF, 0xFF)
	if !bytes.Equal(mn, want) {
		t.Fatalf("EF 0001 = %X, want %X", mn, want)
	}

	basic := expectSW(t, c, "00 B0 82 00 00", 0x9000)
	if basic[0] != 0xFF || basic[1] != 0x20 {
		t.Fatalf("EF 0002 starts %X", basic[:2])
	}
	// Walk the TLVs by hand and check DF21's offsets point at the DF22..DF25 tags.
	body, start := basic[3:], 3
	if basic[2] == 0x81 {
		body, start = basic[4:], 4
	}
	if basic[2] == 0x82 {
		body, start = basic[5:], 5
	}
	if body[0] != 0xDF || body[1] != 0x21 || body[2] != 8 {
		t.Fatalf("DF21 header %X", body[:3])
	}
	offsets := body[3:11]
	values := map[byte]string{}
	pos := start + 11
	for i, tag := range []byte{0x22, 0x23, 0x24, 0x25} {
		if got := int(offsets[2*i])<<8 | int(offsets[2*i+1]); got != pos {
			t.Fatalf("offset of DF%X = %d, tag is at %d", tag, got, pos)
		}
		if basic[pos] != 0xDF || basic[pos+1] != tag {
			t.Fatalf("at %d: %X, want DF%X", pos, basic[pos:pos+2], tag)
		}
		l, h := int(basic[pos+2]), 3
		if basic[pos+2] == 0x81 {
			l, h = int(basic[pos+3]), 4
		}
		values[tag] = string(basic[pos+h : pos+h+l])
		pos += h + l
	}
	if pos != len(basic) {
		t.Fatalf("EF 0002 has %d bytes after its TLV", len(basic)-pos)
	}
	if values[0x22] != p.Basic.Name || values[0x23] != p.Basic.Address || values[0x24] != p.Basic.BirthDate || values[0x25] != p.Basic.Sex {
		t.Fatal("basic information differs from the persona")
	}
	if len(values[0x24]) != 8 {
		t.Fatalf("birth date %q", values[0x24])
	}

	integ := expectSW(t, c, "00 B0 83 00 00", 0x9000)
	integ = append(integ, expectSW(t, c, "00 B0 01 00 00", 0x9000)...)
	if len(integ) != 336 {
		t.Fatalf("EF 0003 has %d bytes, want 336", len(integ))
	}
	if !bytes.Equal(integ[:5], []byte{0xFF, 0x30, 0x82, 0x01, 0x4B}) ||
		!bytes.Equal(integ[5:8], []byte{0xDF, 0x31, 0x20}) ||
		!bytes.Equal(integ[40:43], []byte{0xDF, 0x32, 0x20}) ||
		!bytes.Equal(integ[75:80], []byte{0xDF, 0x33, 0x82, 0x01, 0x00}) {
		t.Fatalf("EF 0003 layout %X", integ[:80])
	}
	hmn := sha256.Sum256(want[:15])
	hbasic := sha256.Sum256(basic)
	if !bytes.Equal(integ[8:40], hmn[:]) || !bytes.Equal(integ[43:75], hbasic[:]) {
		t.Fatal("integrity hashes do not match EF 0001 / EF 0002")
	}
	signed := sha256.Sum256(append(hmn[:], hbasic[:]...))
	if err := rsa.VerifyPKCS1v15(&testpki.TextAPIssuerKey().PublicKey, crypto.SHA256, signed[:], integ[80:]); err != nil {
		t.Fatalf("integrity signature: %v", err)
	}
	// Selecting the JPKI AP and back clears the text PIN.
	expectSW(t, c, selJPKI, 0x9000)
	expectSW(t, c, selText, 0x9000)
	expectSW(t, c, "00 B0 81 00 00", 0x6982)
}

func TestPersonas(t *testing.T) {
	child := newCard(t, "child", Quirks{})
	expectSW(t, child, selJPKI, 0x9000)
	for _, fid := range []string{"00 01", "00 1A", "00 1B"} {
		expectSW(t, child, sel(fid), 0x6A82)
	}
	expectSW(t, child, "00 20 00 9B", 0x6A88)
	expectSW(t, child, "00 B0 81 00 04", 0x6A82)
	expectSW(t, child, sel("00 0A"), 0x9000)
	if child.TriesLeft("sign") != -1 {
		t.Fatal("child card has a signature password")
	}

	blocked := newCard(t, "blocked", Quirks{})
	expectSW(t, blocked, selJPKI, 0x9000)
	expectSW(t, blocked, "00 20 00 9B", 0x6984)
	expectSW(t, blocked, verifyCmd(0x9B, "TEST1234"), 0x6984)
	expectSW(t, blocked, "00 20 00 98", 0x63C3) // the other PINs are fine

	for _, id := range PersonaIDs() {
		if _, err := NewPersona(id); err != nil {
			t.Errorf("%s: %v", id, err)
		}
	}
	if _, err := NewPersona("nobody"); err == nil {
		t.Error("unknown persona accepted")
	}
}

func TestTokenLabels(t *testing.T) {
	p, _ := testpki.PersonaByID("valid")
	cfg := ConfigFor(p)
	cfg.TokenLabel = "JPKIAPGPSETOKEN"
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	expectSW(t, c, selJPKI, 0x9000)
	if d := expectSW(t, c, "00 B0 86 00 20", 0x9000); string(d) != "JPKIAPGPSETOKEN                 " {
		t.Fatalf("label %q", d)
	}
	cfg.NoJPKI = true
	c, _ = New(cfg)
	expectSW(t, c, selJPKI, 0x6A82)
}

func TestQuirkGetResponse(t *testing.T) {
	c := newCard(t, "valid", Quirks{GetResponse: true})
	expectSW(t, c, selJPKI, 0x9000)
	expectSW(t, c, "00 C0 00 00 10", 0x6985) // nothing pending
	if d := expectSW(t, c, "00 B0 86 00 20", 0x6120); len(d) != 0 {
		t.Fatal("data with 61xx")
	}
	d1 := expectSW(t, c, "00 C0 00 00 10", 0x6110)
	d2 := expectSW(t, c, "00 C0 00 00 10", 0x9000)
	if string(d1)+string(d2) != "JPKIAPICCTOKEN2                 " {
		t.Fatalf("GET RESPONSE data %q%q", d1, d2)
	}
	expectSW(t, c, "00 C0 00 00 10", 0x6985)
	// Any other command drops what was pending.
	expectSW(t, c, "00 B0 86 00 20", 0x6120)
	expectSW(t, c, sel("00 06"), 0x9000)
	expectSW(t, c, "00 C0 00 00 10", 0x6985)
}

func TestQuirkWrongLe(t *testing.T) {
	c := newCard(t, "valid", Quirks{WrongLe: true})
	expectSW(t, c, selJPKI, 0x9000)
	expectSW(t, c, sel("00 06"), 0x9000)
	expectSW(t, c, "00 B0 00 90 00", 0x6C10) // 16 bytes left
	if d := expectSW(t, c, "00 B0 00 90 10", 0x9000); len(d) != 16 {
		t.Fatalf("%d bytes", len(d))
	}
}

func TestQuirkCertPadding(t *testing.T) {
	p, _ := testpki.PersonaByID("valid")
	c := newCard(t, "valid", Quirks{CertPadding: 100})
	expectSW(t, c, selJPKI, 0x9000)
	expectSW(t, c, sel("00 0A"), 0x9000)
	d := expectSW(t, c, "00 B0 00 00 00 00 00", 0x9000)
	if len(d) != len(p.AuthCert.Raw)+100 || !bytes.Equal(d[len(d)-100:], bytes.Repeat([]byte{0xFF}, 100)) {
		t.Fatalf("padded file: %d bytes", len(d))
	}
}

func TestFaults(t *testing.T) {
	c := newCard(t, "valid", Quirks{})
	c.FailBefore(2)
	expectSW(t, c, selJPKI, 0x9000)
	if _, err := c.Transmit(apdu(selJPKI)); !errors.Is(err, card.ErrCardRemoved) {
		t.Fatalf("second APDU: %v", err)
	}
	if c.Present() {
		t.Fatal("still present")
	}
	if _, err := c.BeginTransaction(); !errors.Is(err, card.ErrCardRemoved) {
		t.Fatalf("BeginTransaction on a removed card: %v", err)
	}
	c.Insert()
	expectSW(t, c, selJPKI, 0x9000)
	s := c.Stats()
	if s.Commands != 2 || s.Lost != 1 {
		t.Fatalf("stats %+v", s)
	}
	c.FailBefore(1)
	c.FailBefore(0) // cancelled
	expectSW(t, c, selJPKI, 0x9000)
	c.Reset()
	if reset, err := c.BeginTransaction(); !reset || err != nil {
		t.Fatalf("BeginTransaction after Reset: %v %v", reset, err)
	}
	if reset, _ := c.BeginTransaction(); reset {
		t.Fatal("reset reported twice")
	}
}

func TestLogHoldsNoPIN(t *testing.T) {
	c := newCard(t, "valid", Quirks{})
	expectSW(t, c, selJPKI, 0x9000)
	expectSW(t, c, verifyCmd(0x9B, "TEST1234"), 0x9000)
	expectSW(t, c, "00 20 00 9B", 0x9000)
	log := c.Log()
	if len(log) != 3 {
		t.Fatalf("%d entries", len(log))
	}
	v := log[1]
	if v.Header != [4]byte{0x00, 0x20, 0x00, 0x9B} || v.Lc != 8 || v.SW != 0x9000 || v.Le != -1 {
		t.Fatalf("VERIFY entry %+v", v)
	}
	for _, e := range log {
		s := fmt.Sprintf("%v %+v %#v", e, e, e)
		for _, secret := range []string{"TEST1234", "5445535431323334"} {
			if strings.Contains(strings.ToUpper(s), secret) {
				t.Fatalf("log entry shows the PIN: %s", s)
			}
		}
	}
	// The ring keeps the newest entries.
	small := newCard(t, "valid", Quirks{})
	small.log.size = 4
	for i := 0; i < 10; i++ {
		run(t, small, apdu(selJPKI))
	}
	if l := small.Log(); len(l) != 4 || l[0].Seq != 7 || l[3].Seq != 10 {
		t.Fatalf("ring: %v", l)
	}
	small.ResetStats()
	if len(small.Log()) != 0 || small.Stats().Commands != 0 {
		t.Fatal("ResetStats left something")
	}
}

func TestChangeReferenceData(t *testing.T) {
	c := newCard(t, "valid", Quirks{})
	expectSW(t, c, selJPKI, 0x9000)
	expectSW(t, c, sel("00 1B"), 0x9000)
	expectSW(t, c, "00 24 01 80 08 4E 45 57 50 41 53 53 31", 0x6982) // not verified
	expectSW(t, c, verifyCmd(0x80, "TEST1234"), 0x9000)
	expectSW(t, c, "00 24 01 80 08 6E 65 77 70 61 73 73 31", 0x6A80) // lowercase is not valid
	expectSW(t, c, "00 24 00 80 08 4E 45 57 50 41 53 53 31", 0x6A86)
	expectSW(t, c, "00 24 01 80 08 4E 45 57 50 41 53 53 31", 0x9000) // NEWPASS1
	expectSW(t, c, verifyCmd(0x80, "TEST1234"), 0x63C4)
	expectSW(t, c, verifyCmd(0x80, "NEWPASS1"), 0x9000)
}

func TestParseCommand(t *testing.T) {
	for _, tc := range []struct {
		in       string
		ok       bool
		lc, le   int
		extended bool
	}{
		{"00A40000", true, 0, -1, false},
		{"00B0000000", true, 0, 256, false},
		{"00B0000010", true, 0, 16, false},
		{"00A4040C02AAAA", true, 2, -1, false},
		{"00A4040C02AAAA00", true, 2, 256, false},
		{"00B00000000000", true, 0, 65536, true},
		{"00B00000000100", true, 0, 256, true},
		{"002A00800000 02 AAAA", true, 2, -1, true},
		{"002A00800000 02 AAAA 0000", true, 2, 65536, true},
		{"00A4", false, 0, 0, false},
		{"00A4040C02AA", false, 0, 0, false},
		{"00A4040C02AAAAAAAA", false, 0, 0, false},
		{"00A4040C0000", false, 0, 0, false},
		{"00A4040C000000", true, 0, 65536, true}, // case 2 extended
		{"00A4040C0000 05 AA", false, 0, 0, false},
	} {
		c, err := parseCommand(apdu(tc.in))
		if (err == nil) != tc.ok {
			t.Errorf("%s: err %v", tc.in, err)
			continue
		}
		if tc.ok && (len(c.data) != tc.lc || c.le != tc.le || c.extended != tc.extended) {
			t.Errorf("%s: Lc %d Le %d ext %v", tc.in, len(c.data), c.le, c.extended)
		}
	}
}

func TestVPCDMessages(t *testing.T) {
	c := newCard(t, "valid", Quirks{})
	if r, ok := c.handleVPCD([]byte{vpcdGetATR}); !ok || !bytes.Equal(r, ATR) {
		t.Fatalf("GET ATR: %X %v", r, ok)
	}
	r, ok := c.handleVPCD(apdu(selJPKI))
	if !ok || !bytes.Equal(r, []byte{0x90, 0x00}) {
		t.Fatalf("SELECT: %X", r)
	}
	expectSW(t, c, verifyCmd(0x9B, "TEST1234"), 0x9000)
	for _, ctrl := range []byte{vpcdPowerOff, vpcdPowerOn, vpcdReset} {
		expectSW(t, c, selJPKI, 0x9000)
		expectSW(t, c, verifyCmd(0x9B, "TEST1234"), 0x9000)
		if r, ok := c.handleVPCD([]byte{ctrl}); !ok || r != nil {
			t.Fatalf("control %d answered %X", ctrl, r)
		}
		expectSW(t, c, "00 B0 81 00 04", 0x6A82) // state gone: nothing selected
	}
	c.FailBefore(1)
	if _, ok := c.handleVPCD(apdu(selJPKI)); ok {
		t.Fatal("a vanished card answered")
	}
	var buf bytes.Buffer
	if err := writeFrame(&buf, []byte{1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), []byte{0, 3, 1, 2, 3}) {
		t.Fatalf("frame %X", buf.Bytes())
	}
	f, err := readFrame(&buf)
	if err != nil || !bytes.Equal(f, []byte{1, 2, 3}) {
		t.Fatalf("readFrame %X %v", f, err)
	}
	if _, err := readFrame(bytes.NewReader([]byte{0, 5, 1})); err == nil {
		t.Fatal("truncated frame accepted")
	}
}
