package card_test

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"errors"
	"testing"

	"github.com/mynasign/mynasign/card"
)

// signFlow is "verify password → read sign cert → sign", as the signing wizard runs it.
func signFlow(s *card.Session) error {
	if err := s.VerifySignPIN(pin("TEST1234")); err != nil {
		return err
	}
	if _, err := s.SignCertificate(); err != nil {
		return err
	}
	signer, err := s.Signer()
	if err != nil {
		return err
	}
	d := sha256.Sum256([]byte("document"))
	sig, err := signer.Sign(nil, d[:], crypto.SHA256)
	if err != nil {
		return err
	}
	return rsa.VerifyPKCS1v15(signer.Public().(*rsa.PublicKey), crypto.SHA256, d[:], sig)
}

// TestCardVanishesBeforeEachAPDU pulls the card out before each APDU of the signing
// flow in turn: every time the flow ends with an error matching ErrCardRemoved, no
// VERIFY is ever sent twice, nothing reaches the card after it left, and once the card
// is back the same session signs again after one new verification.
func TestCardVanishesBeforeEachAPDU(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			c := newCard(t, "valid", nil)
			s := open(t, c, m.opts)
			c.ResetStats()
			if err := signFlow(s); err != nil {
				t.Fatal(err)
			}
			n := c.Stats().Commands
			if n < 4 {
				t.Fatalf("the flow took only %d APDUs", n)
			}
			for i := 1; i <= n; i++ {
				c := newCard(t, "valid", nil)
				s := open(t, c, m.opts)
				c.ResetStats()
				c.FailBefore(i)
				err := signFlow(s)
				if !errors.Is(err, card.ErrCardRemoved) {
					t.Fatalf("card gone before APDU %d/%d: %v", i, n, err)
				}
				st := c.Stats()
				if st.VerifySign > 1 {
					t.Fatalf("APDU %d: %d VERIFY", i, st.VerifySign)
				}
				if st.Commands != i-1 || st.Lost != 1 {
					t.Fatalf("APDU %d: %d processed, %d lost after the card left", i, st.Commands, st.Lost)
				}
				if s.SignVerified() {
					t.Fatalf("APDU %d: the session believes a removed card is still verified", i)
				}
				// Further calls fail the same way, without sending a VERIFY.
				if err := s.VerifySignPIN(pin("TEST1234")); !errors.Is(err, card.ErrCardRemoved) {
					t.Fatalf("APDU %d: VERIFY with the card out: %v", i, err)
				}
				if _, err := s.PINStatus(card.SignPassword); !errors.Is(err, card.ErrCardRemoved) {
					t.Fatalf("APDU %d: status with the card out: %v", i, err)
				}
				c.Insert()
				if err := signFlow(s); err != nil {
					t.Fatalf("APDU %d: after re-insertion: %v", i, err)
				}
				if got := c.Stats().VerifySign; got > 2 {
					t.Fatalf("APDU %d: %d VERIFY for two user actions", i, got)
				}
				if got := c.TriesLeft("sign"); got != 5 {
					t.Fatalf("APDU %d: %d tries left", i, got)
				}
			}
			// A failure scheduled after the flow does not disturb it.
			c = newCard(t, "valid", nil)
			s = open(t, c, m.opts)
			c.FailBefore(n + 1)
			if err := signFlow(s); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestRemovedBetweenOperations(t *testing.T) {
	c := newCard(t, "valid", nil)
	s := open(t, c, card.Options{})
	if err := s.VerifySignPIN(pin("TEST1234")); err != nil {
		t.Fatal(err)
	}
	signer, err := s.Signer()
	if err != nil {
		t.Fatal(err)
	}
	c.Remove()
	d := sha256.Sum256(nil)
	if _, err := signer.Sign(nil, d[:], crypto.SHA256); !errors.Is(err, card.ErrCardRemoved) {
		t.Fatalf("sign with the card out: %v", err)
	}
	c.Insert()
	// The card came back fresh: the password must be given again.
	if _, err := signer.Sign(nil, d[:], crypto.SHA256); !errors.Is(err, card.ErrSecurityStatusNotSatisfied) {
		t.Fatalf("sign after re-insertion: %v", err)
	}
	if c.Stats().Signatures != 0 {
		t.Fatal("a signature was made")
	}
}
