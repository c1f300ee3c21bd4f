package card_test

import (
	"crypto"
	"crypto/sha256"
	"errors"
	"testing"

	"github.com/mynasign/mynasign/card"
	"github.com/mynasign/mynasign/card/softcard"
)

// FuzzTextRecords: the text-AP record parsers never panic on hostile card data.
func FuzzTextRecords(f *testing.F) {
	p := persona(f, "valid")
	mn, _ := softcard.MyNumberFile(p.MyNumber)
	basic, _ := softcard.BasicInfoFile(softcard.BasicInfo(p.Basic))
	f.Add(mn)
	f.Add(basic)
	f.Add([]byte{0xFF, 0x30, 0x82, 0x01, 0x4B, 0xDF, 0x31, 0x20})
	f.Fuzz(func(t *testing.T, b []byte) {
		if n, err := card.ParseMyNumber(b); err == nil && len(n.Digits()) != 12 {
			t.Fatalf("My Number of %d digits", len(n.Digits()))
		}
		if info, err := card.ParseBasicInfo(b); err == nil && len(info.BirthDate) != 8 {
			t.Fatalf("birth date %q", info.BirthDate)
		}
		if r, err := card.ParseTextIntegrity(b); err == nil && len(r.Signature) == 0 {
			t.Fatal("integrity record without signature")
		}
	})
}

// hostileCard answers each command with the next response from a fuzzer-chosen list,
// and records what the client sent.
type hostileCard struct {
	responses [][]byte
	verifies  int // VERIFY commands carrying data
}

func (h *hostileCard) Transmit(cmd []byte) ([]byte, error) {
	if len(cmd) > 5 && cmd[1] == 0x20 {
		h.verifies++
	}
	if len(h.responses) == 0 {
		return nil, card.ErrCardRemoved
	}
	r := h.responses[0]
	h.responses = h.responses[1:]
	return r, nil
}

// FuzzHostileCard runs the whole client against a card that answers anything at all:
// no panic, no hang, and never more than one VERIFY with data per Verify call.
func FuzzHostileCard(f *testing.F) {
	// Seeds: the responses of a real flow, recorded from the software card.
	c := newCard(f, "valid", nil)
	rec := &recorder{c: c}
	if s, err := card.Open(rec); err == nil {
		s.PINStatus(card.SignPassword)
		s.VerifySignPIN(pin("TEST1234"))
		s.SignCertificate()
	}
	f.Add(rec.stream)
	f.Add([]byte{2, 0x90, 0x00, 2, 0x63, 0xC5, 2, 0x61, 0x00, 1, 0x90})
	f.Add([]byte{2, 0x90, 0x00, 2, 0x6C, 0x20, 2, 0x63, 0xC1, 2, 0x69, 0x84})
	f.Fuzz(func(t *testing.T, stream []byte) {
		h := &hostileCard{}
		for len(stream) > 0 {
			n := int(stream[0])
			stream = stream[1:]
			n = min(n, len(stream))
			h.responses = append(h.responses, stream[:n])
			stream = stream[n:]
		}
		s, err := card.Open(h)
		if err != nil {
			return
		}
		s.PINStatus(card.SignPassword)
		before := h.verifies
		s.VerifySignPIN(pin("TEST1234"), card.AllowLastTry)
		if h.verifies-before > 1 {
			t.Fatalf("%d VERIFY in one call", h.verifies-before)
		}
		s.SignCertificate()
		if g, err := s.Signer(); err == nil {
			d := sha256.Sum256(nil)
			g.Sign(nil, d[:], crypto.SHA256)
		}
		before = h.verifies
		if _, err := s.ReadBasicInfo(pin("1234"), card.AllowLastTry); err != nil && errors.Is(err, card.ErrClosed) {
			t.Fatal(err)
		}
		if h.verifies-before > 1 {
			t.Fatalf("%d VERIFY in one call", h.verifies-before)
		}
		s.AuthCertificate()
		s.Logout()
	})
}

// recorder passes commands to a card and records the responses as a fuzz stream.
type recorder struct {
	c      *softcard.Card
	stream []byte
}

func (r *recorder) Transmit(cmd []byte) ([]byte, error) {
	out, err := r.c.Transmit(cmd)
	if err == nil && len(out) < 256 {
		r.stream = append(append(r.stream, byte(len(out))), out...)
	}
	return out, err
}
