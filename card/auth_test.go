package card_test

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"errors"
	"testing"

	"github.com/mynasign/mynasign/card"
	"github.com/mynasign/mynasign/card/softcard"
	"github.com/mynasign/mynasign/internal/testpki"
)

// countingTransport counts the command APDUs it passes to the card.
type countingTransport struct {
	card.Transport
	n int
}

func (c *countingTransport) Transmit(cmd []byte) ([]byte, error) {
	c.n++
	return c.Transport.Transmit(cmd)
}

// TestAuthenticate: the card signs with the authentication key after one VERIFY; the
// signature verifies with the authentication certificate; the PIN does not stay
// verified; at most 6 APDUs after the PIN (3 with SELECT EF, 2 with short file IDs).
func TestAuthenticate(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			sc := newCard(t, "valid", nil)
			ct := &countingTransport{Transport: sc}
			s, err := card.OpenWith(ct, m.opts)
			if err != nil {
				t.Fatal(err)
			}
			cert, err := s.AuthCertificate()
			if err != nil {
				t.Fatal(err)
			}
			d := sha256.Sum256([]byte("challenge"))
			before := sc.Stats().VerifyAuth
			n0 := ct.n
			sig, err := s.Authenticate(pin(testpki.AuthPIN), crypto.SHA256, d[:])
			if err != nil {
				t.Fatal(err)
			}
			if err := rsa.VerifyPKCS1v15(cert.PublicKey.(*rsa.PublicKey), crypto.SHA256, d[:], sig); err != nil {
				t.Fatalf("signature: %v", err)
			}
			if got := sc.Stats().VerifyAuth - before; got != 1 {
				t.Fatalf("%d VERIFY with data, want 1", got)
			}
			// Status query: SELECT EF + empty VERIFY (SFI: empty VERIFY); then the VERIFY.
			pre := 2
			if m.opts.ShortFileIDs {
				pre = 1
			}
			after := ct.n - n0 - pre - 1
			want := 3
			if m.opts.ShortFileIDs {
				want = 2
			}
			if after != want || after > 6 {
				t.Fatalf("%d APDUs after the PIN, want %d (at most 6)", after, want)
			}
			if st, err := s.PINStatus(card.AuthPIN); err != nil || st.Verified || st.Left != 3 {
				t.Fatalf("after: %+v %v", st, err)
			}
		})
	}
}

func TestAuthenticatePINRules(t *testing.T) {
	d := sha256.Sum256([]byte("x"))
	sc := newCard(t, "valid", nil)
	s := open(t, sc, card.Options{})
	var inv *card.InvalidPIN
	if _, err := s.Authenticate(pin("12a4"), crypto.SHA256, d[:]); !errors.As(err, &inv) {
		t.Fatalf("malformed: %v", err)
	}
	var wrong *card.WrongPIN
	if _, err := s.Authenticate(pin("9999"), crypto.SHA256, d[:]); !errors.As(err, &wrong) || wrong.Left != 2 {
		t.Fatalf("wrong: %v", err)
	}
	if sc.Stats().VerifyAuth != 1 || sc.Stats().Signatures != 0 {
		t.Fatalf("stats %+v", sc.Stats())
	}
	last := newCard(t, "valid", func(c *softcard.Config) { c.AuthFailures = 2 })
	s = open(t, last, card.Options{})
	var lt *card.LastTry
	if _, err := s.Authenticate(pin(testpki.AuthPIN), crypto.SHA256, d[:]); !errors.As(err, &lt) || last.Stats().VerifyAuth != 0 {
		t.Fatalf("last try: %v", err)
	}
	if _, err := s.Authenticate(pin(testpki.AuthPIN), crypto.SHA256, d[:], card.AllowLastTry); err != nil {
		t.Fatalf("last try confirmed: %v", err)
	}
	blocked, err := softcard.NewCheckPersona("blocked")
	if err != nil {
		t.Fatal(err)
	}
	s = open(t, blocked, card.Options{})
	var bl *card.Blocked
	if _, err := s.Authenticate(pin(testpki.AuthPIN), crypto.SHA256, d[:], card.AllowLastTry); !errors.As(err, &bl) || blocked.Stats().VerifyAuth != 0 {
		t.Fatalf("blocked: %v", err)
	}
}
