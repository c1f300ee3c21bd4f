package pcsc_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/mynasign/mynasign/card/internal/pcsc"
	"github.com/mynasign/mynasign/card/softcard"
	"github.com/mynasign/mynasign/card/softcard/pcscdtest"
)

var selectJPKI = []byte{0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01}

// TestBindingAgainstPcscd drives every function of the binding against a real pcscd
// with the vpcd driver and the software card.
func TestBindingAgainstPcscd(t *testing.T) {
	st := pcscdtest.Start(t, pcscdtest.Options{})

	ctx, err := pcsc.EstablishContext()
	if err != nil {
		t.Fatal(err)
	}
	defer ctx.Release()
	if err := ctx.IsValid(); err != nil {
		t.Fatal(err)
	}
	readers, err := ctx.ListReaders()
	if err != nil || !slices.Contains(readers, st.Reader) || !slices.Contains(readers, st.SpareReader) {
		t.Fatalf("readers %q %v", readers, err)
	}

	// Status without connecting: the card is in one slot, the other is empty.
	states := []pcsc.ReaderState{{Reader: st.Reader}, {Reader: st.SpareReader}}
	if err := ctx.GetStatusChange(context.Background(), 0, states); err != nil {
		t.Fatal(err)
	}
	if !states[0].EventState.Has(pcsc.StatePresent) || !bytes.Equal(states[0].ATR, softcard.ATR) {
		t.Fatalf("card slot: %v ATR %X", states[0].EventState, states[0].ATR)
	}
	if !states[1].EventState.Has(pcsc.StateEmpty) {
		t.Fatalf("spare slot: %v", states[1].EventState)
	}
	// Nothing changes: a zero timeout gives ErrTimeout.
	for i := range states {
		states[i].CurrentState = states[i].EventState &^ pcsc.StateChanged
	}
	if err := ctx.GetStatusChange(context.Background(), 0, states); !errors.Is(err, pcsc.ErrTimeout) {
		t.Fatalf("no change: %v", err)
	}

	if _, err := ctx.Connect(st.SpareReader, pcsc.ShareShared, pcsc.ProtocolAny); !errors.Is(err, pcsc.ErrNoSmartcard) {
		t.Fatalf("connect to the empty slot: %v", err)
	}
	if _, err := ctx.Connect("no such reader", pcsc.ShareShared, pcsc.ProtocolAny); !errors.Is(err, pcsc.ErrUnknownReader) {
		t.Fatalf("connect to an unknown reader: %v", err)
	}

	card, err := ctx.Connect(st.Reader, pcsc.ShareShared, pcsc.ProtocolAny)
	if err != nil {
		t.Fatal(err)
	}
	if card.Protocol() != pcsc.ProtocolT1 || card.Reader() != st.Reader {
		t.Fatalf("protocol %v reader %q", card.Protocol(), card.Reader())
	}
	status, err := card.Status()
	if err != nil || !status.Present || !status.Powered || status.Reader != st.Reader || !bytes.Equal(status.ATR, softcard.ATR) {
		t.Fatalf("status %+v %v", status, err)
	}
	if err := card.BeginTransaction(); err != nil {
		t.Fatal(err)
	}
	resp, err := card.Transmit(selectJPKI)
	if err != nil || !bytes.Equal(resp, []byte{0x90, 0x00}) {
		t.Fatalf("SELECT: %X %v", resp, err)
	}
	resp, err = card.Transmit([]byte{0x00, 0xB0, 0x86, 0x00, 0x00})
	if err != nil || len(resp) != 162 || string(resp[:15]) != "JPKIAPICCTOKEN2" {
		t.Fatalf("READ BINARY: %d bytes %v", len(resp), err)
	}
	// An extended-length READ BINARY through pcscd: the whole authentication certificate.
	resp, err = card.Transmit([]byte{0x00, 0xB0, 0x8A, 0x00, 0x00, 0x00, 0x00})
	if err != nil || len(resp) < 1000 || !bytes.Equal(resp[len(resp)-2:], []byte{0x90, 0x00}) {
		t.Fatalf("extended READ BINARY: %d bytes %v", len(resp), err)
	}
	if _, err := card.Transmit(nil); !errors.Is(err, pcsc.ErrInvalidParameter) {
		t.Fatalf("empty APDU: %v", err)
	}
	if err := card.EndTransaction(pcsc.LeaveCard); err != nil {
		t.Fatal(err)
	}

	// A second, exclusive connection is refused while we hold a shared one.
	ctx2, err := pcsc.EstablishContext()
	if err != nil {
		t.Fatal(err)
	}
	defer ctx2.Release()
	if _, err := ctx2.Connect(st.Reader, pcsc.ShareExclusive, pcsc.ProtocolAny); !errors.Is(err, pcsc.ErrSharingViolation) {
		t.Fatalf("exclusive while shared: %v", err)
	}
	// Another program resets the card: our next transaction learns it, Reconnect
	// acknowledges it, and the card's state is gone.
	other, err := ctx2.Connect(st.Reader, pcsc.ShareShared, pcsc.ProtocolAny)
	if err != nil {
		t.Fatal(err)
	}
	verify := []byte{0x00, 0x20, 0x00, 0x9B, 0x08, 'T', 'E', 'S', 'T', '1', '2', '3', '4'}
	if resp, err := card.Transmit(verify); err != nil || !bytes.Equal(resp, []byte{0x90, 0x00}) {
		t.Fatalf("VERIFY: %X %v", resp, err)
	}
	if err := other.Disconnect(pcsc.ResetCard); err != nil {
		t.Fatal(err)
	}
	if err := card.BeginTransaction(); !errors.Is(err, pcsc.ErrResetCard) {
		t.Fatalf("after a reset by another program: %v", err)
	}
	if err := card.Reconnect(pcsc.ShareShared, pcsc.ProtocolAny, pcsc.LeaveCard); err != nil {
		t.Fatal(err)
	}
	if resp, _ := card.Transmit([]byte{0x00, 0xB0, 0x81, 0x00, 0x04}); !bytes.Equal(resp, []byte{0x6A, 0x82}) {
		t.Fatalf("state survived the reset: %X", resp)
	}
	// Reconnect with a reset of our own.
	card.Transmit(selectJPKI)
	card.Transmit(verify)
	if err := card.Reconnect(pcsc.ShareShared, pcsc.ProtocolT1, pcsc.ResetCard); err != nil {
		t.Fatal(err)
	}
	if resp, _ := card.Transmit([]byte{0x00, 0xB0, 0x81, 0x00, 0x04}); !bytes.Equal(resp, []byte{0x6A, 0x82}) {
		t.Fatalf("state survived our reset: %X", resp)
	}

	// The card is pulled out: transmissions fail with ErrRemovedCard once pcscd notices.
	st.Card.Remove()
	st.WaitCard(false)
	if _, err := card.Transmit(selectJPKI); !errors.Is(err, pcsc.ErrRemovedCard) {
		t.Fatalf("transmit to a removed card: %v", err)
	}
	if err := card.Disconnect(pcsc.LeaveCard); err != nil && !errors.Is(err, pcsc.ErrRemovedCard) {
		t.Fatal(err)
	}
	if err := card.Disconnect(pcsc.LeaveCard); err != nil {
		t.Fatal("second Disconnect:", err)
	}
	if _, err := card.Transmit(selectJPKI); !errors.Is(err, pcsc.ErrInvalidHandle) {
		t.Fatalf("transmit after Disconnect: %v", err)
	}
	st.Card.Insert()
	st.WaitCard(true)

	// Released contexts refuse further use.
	ctx2.Release()
	if _, err := ctx2.ListReaders(); !errors.Is(err, pcsc.ErrInvalidHandle) {
		t.Fatalf("released context: %v", err)
	}
}

// TestGetStatusChangeEventsAndCancellation waits on the PnP pseudo-reader and the card
// reader; insertion and removal wake it, and cancelling the context ends the wait.
func TestGetStatusChangeEventsAndCancellation(t *testing.T) {
	st := pcscdtest.Start(t, pcscdtest.Options{})
	pc, err := pcsc.EstablishContext()
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Release()
	states := []pcsc.ReaderState{{Reader: pcsc.PnPNotification}, {Reader: st.Reader}}
	if err := pc.GetStatusChange(context.Background(), time.Second, states); err != nil {
		t.Fatal(err)
	}
	for i := range states {
		states[i].CurrentState = states[i].EventState &^ pcsc.StateChanged
	}
	if !states[1].CurrentState.Has(pcsc.StatePresent) {
		t.Fatalf("card state %v", states[1].CurrentState)
	}

	// Cancellation: the wait ends promptly with the context's error.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- pc.GetStatusChange(ctx, -1, states) }()
	time.Sleep(100 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled wait: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("cancellation did not end the wait")
	}
	// Explicit Cancel from another goroutine.
	go func() {
		time.Sleep(100 * time.Millisecond)
		pc.Cancel()
	}()
	if err := pc.GetStatusChange(context.Background(), 10*time.Second, states); !errors.Is(err, pcsc.ErrCancelled) {
		t.Fatalf("Cancel: %v", err)
	}

	// Removal and insertion wake a blocked wait.
	for _, present := range []bool{false, true} {
		go func() {
			time.Sleep(100 * time.Millisecond)
			if present {
				st.Card.Insert()
			} else {
				st.Card.Remove()
			}
		}()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		for {
			if err := pc.GetStatusChange(ctx, -1, states); err != nil {
				t.Fatalf("waiting for present=%v: %v", present, err)
			}
			for i := range states {
				states[i].CurrentState = states[i].EventState &^ pcsc.StateChanged
			}
			if states[1].EventState.Has(pcsc.StatePresent) == present {
				break
			}
		}
		cancel()
	}
	if !bytes.Equal(states[1].ATR, softcard.ATR) {
		t.Fatalf("ATR after insertion %X", states[1].ATR)
	}

	// The service stops: the wait ends with an error, and new contexts fail with
	// ErrNoService.
	go func() {
		time.Sleep(100 * time.Millisecond)
		st.StopDaemon()
	}()
	ctx, cancel = context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		err := pc.GetStatusChange(ctx, -1, states)
		if err != nil {
			if ctx.Err() != nil {
				t.Fatal("the wait did not end when pcscd stopped")
			}
			break
		}
		for i := range states {
			states[i].CurrentState = states[i].EventState &^ pcsc.StateChanged
		}
	}
	if _, err := pcsc.EstablishContext(); !errors.Is(err, pcsc.ErrNoService) {
		t.Fatalf("without pcscd: %v", err)
	}
}
