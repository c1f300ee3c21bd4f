package card_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mynasign/mynasign/card"
	"github.com/mynasign/mynasign/card/internal/pcsc"
	"github.com/mynasign/mynasign/card/softcard"
	"github.com/mynasign/mynasign/card/softcard/pcscdtest"
	"github.com/mynasign/mynasign/internal/testpki"
)

// TestRealStack runs identify → PIN status → VERIFY → read sign cert → sign through
// card/internal/pcsc, a real pcscd and the vpcd driver, against the software card; the signature
// verifies with the certificate read from the card.
func TestRealStack(t *testing.T) {
	st := pcscdtest.Start(t, pcscdtest.Options{})
	readers, err := card.Readers()
	if err != nil || !slices.Contains(readers, st.Reader) {
		t.Fatalf("readers %q: %v", readers, err)
	}
	statuses, err := card.ReaderStatuses()
	if err != nil || len(statuses) != 2 {
		t.Fatalf("statuses %+v %v", statuses, err)
	}
	for _, rs := range statuses {
		if want := rs.Name == st.Reader; rs.CardPresent != want || rs.Mute || want != bytes.Equal(rs.ATR, softcard.ATR) {
			t.Fatalf("status %+v", rs)
		}
	}
	if _, err := card.Connect(st.SpareReader); !errors.Is(err, card.ErrNoCard) {
		t.Fatalf("empty reader: %v", err)
	}
	if _, err := card.Connect("no such reader"); !errors.Is(err, card.ErrNoReader) {
		t.Fatalf("unknown reader: %v", err)
	}
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			st.Card.ResetStats()
			s, err := card.OpenReader(st.Reader, m.opts)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if s.Kind() != card.KindMyNumberCard {
				t.Fatalf("kind %v", s.Kind())
			}
			for _, k := range []card.PINKind{card.SignPassword, card.AuthPIN} {
				ps, err := s.PINStatus(k)
				if err != nil || ps.Left != k.MaxTries() {
					t.Fatalf("%v: %+v %v", k, ps, err)
				}
			}
			if err := s.VerifySignPIN(pin(testpki.SignPassword)); err != nil {
				t.Fatal(err)
			}
			cert, err := s.SignCertificate()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(cert.Raw, persona(t, "valid").SignCert.Raw) {
				t.Fatal("sign certificate differs")
			}
			signer, err := s.Signer()
			if err != nil {
				t.Fatal(err)
			}
			for _, msg := range []string{"first", "second"} {
				d := sha256.Sum256([]byte(msg))
				sig, err := signer.Sign(nil, d[:], crypto.SHA256)
				if err != nil {
					t.Fatal(err)
				}
				if err := rsa.VerifyPKCS1v15(cert.PublicKey.(*rsa.PublicKey), crypto.SHA256, d[:], sig); err != nil {
					t.Fatalf("signature does not verify with the card's certificate: %v", err)
				}
			}
			if got := st.Card.Stats(); got.VerifySign != 1 || got.Signatures != 2 {
				t.Fatalf("card stats %+v", got)
			}
			if err := s.Logout(); err != nil {
				t.Fatal(err)
			}
		})
	}

	t.Run("card pulled out", func(t *testing.T) {
		s, err := card.OpenReader(st.Reader, card.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if err := s.VerifySignPIN(pin(testpki.SignPassword)); err != nil {
			t.Fatal(err)
		}
		signer, err := s.Signer()
		if err != nil {
			t.Fatal(err)
		}
		// The card leaves right before the signature command reaches it.
		st.Card.FailBefore(2) // SELECT EF 001A, then COMPUTE DIGITAL SIGNATURE
		d := sha256.Sum256(nil)
		if _, err := signer.Sign(nil, d[:], crypto.SHA256); !errors.Is(err, card.ErrCardRemoved) {
			t.Fatalf("sign with the card vanishing: %v", err)
		}
		st.WaitCard(false)
		if _, err := s.PINStatus(card.SignPassword); !errors.Is(err, card.ErrCardRemoved) {
			t.Fatalf("status with the card out: %v", err)
		}
		st.Card.Insert()
		st.WaitCard(true)
		// A new connection works again; nothing was signed.
		s2, err := card.OpenReader(st.Reader, card.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s2.Close()
		if ps, err := s2.PINStatus(card.SignPassword); err != nil || ps.Left != 5 {
			t.Fatalf("after re-insertion: %+v %v", ps, err)
		}
	})

	t.Run("reset by another program", func(t *testing.T) {
		s, err := card.OpenReader(st.Reader, card.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if err := s.VerifySignPIN(pin(testpki.SignPassword)); err != nil {
			t.Fatal(err)
		}
		signer, err := s.Signer()
		if err != nil {
			t.Fatal(err)
		}
		pc, err := pcsc.EstablishContext()
		if err != nil {
			t.Fatal(err)
		}
		defer pc.Release()
		other, err := pc.Connect(st.Reader, pcsc.ShareShared, pcsc.ProtocolAny)
		if err != nil {
			t.Fatal(err)
		}
		other.Disconnect(pcsc.ResetCard)
		d := sha256.Sum256(nil)
		if _, err := signer.Sign(nil, d[:], crypto.SHA256); !errors.Is(err, card.ErrSecurityStatusNotSatisfied) {
			t.Fatalf("sign after a reset: %v", err)
		}
		if err := s.VerifySignPIN(pin(testpki.SignPassword)); err != nil {
			t.Fatal(err)
		}
		if _, err := signer.Sign(nil, d[:], crypto.SHA256); err != nil {
			t.Fatal(err)
		}
	})
}

// TestWatch observes the software card and the readers through real PC/SC events:
// the initial state, removal and insertion, pcscd stopping and coming back.
func TestWatch(t *testing.T) {
	st := pcscdtest.Start(t, pcscdtest.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	events := make(chan card.Event, 16)
	done := make(chan error, 1)
	go func() { done <- card.Watch(ctx, events) }()

	expect := func(want ...card.Event) {
		t.Helper()
		var got []card.Event
		timeout := time.After(20 * time.Second)
		for len(got) < len(want) {
			select {
			case e := <-events:
				got = append(got, e)
			case <-timeout:
				t.Fatalf("got %v, want %v", got, want)
			}
		}
		// Readers may be reported in either order within one step.
		key := func(e card.Event) string { return e.Kind.String() + "|" + e.Reader }
		slices.SortStableFunc(got, func(a, b card.Event) int { return compare(key(a), key(b)) })
		slices.SortStableFunc(want, func(a, b card.Event) int { return compare(key(a), key(b)) })
		for i := range want {
			if got[i].Kind != want[i].Kind || got[i].Reader != want[i].Reader {
				t.Fatalf("got %v, want %v", got, want)
			}
			if got[i].Kind == card.CardInserted && !bytes.Equal(got[i].ATR, softcard.ATR) {
				t.Fatalf("ATR %X", got[i].ATR)
			}
		}
	}
	ev := func(k card.EventKind, r string) card.Event { return card.Event{Kind: k, Reader: r} }

	expect(ev(card.ServiceAvailable, ""), ev(card.ReaderAdded, st.Reader), ev(card.ReaderAdded, st.SpareReader), ev(card.CardInserted, st.Reader))
	st.Card.Remove()
	expect(ev(card.CardRemoved, st.Reader))
	st.Card.Insert()
	expect(ev(card.CardInserted, st.Reader))
	st.StopDaemon()
	expect(ev(card.CardRemoved, st.Reader), ev(card.ReaderRemoved, st.Reader), ev(card.ReaderRemoved, st.SpareReader), ev(card.ServiceUnavailable, ""))
	st.StartDaemon()
	expect(ev(card.ServiceAvailable, ""), ev(card.ReaderAdded, st.Reader), ev(card.ReaderAdded, st.SpareReader), ev(card.CardInserted, st.Reader))

	// Nothing more happens: no event, and no busy loop behind the silence (pcscd logs
	// every wait request it receives).
	waits := func() int {
		b, _ := os.ReadFile(st.LogPath)
		return strings.Count(string(b), "Received command: CMD_WAIT_READER_STATE_CHANGE")
	}
	before := waits()
	select {
	case e := <-events:
		t.Fatalf("unexpected %v", e)
	case <-time.After(time.Second):
	}
	if n := waits() - before; n > 2 {
		t.Fatalf("the watcher sent %d wait requests in a second of silence", n)
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Watch returned %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Watch did not stop")
	}
}

func compare(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
