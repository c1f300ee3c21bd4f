package pcsc

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Context is an application context with the PC/SC service (SCardEstablishContext).
// Release it when done.
type Context struct {
	mu       sync.Mutex
	h        uintptr
	released bool
}

// EstablishContext opens a context with the PC/SC service. When the service is not
// running the error matches ErrNoService.
func EstablishContext() (*Context, error) {
	h, err := sysEstablish()
	if err != nil {
		return nil, err
	}
	return &Context{h: h}, nil
}

// handle returns the raw context, or an error once the context was released.
func (c *Context) handle() (uintptr, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.released {
		return 0, &Error{Op: "context", Code: ErrInvalidHandle}
	}
	return c.h, nil
}

// Release closes the context (SCardReleaseContext). Calling it again does nothing.
func (c *Context) Release() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.released {
		return nil
	}
	c.released = true
	return sysRelease(c.h)
}

// IsValid reports whether the context is still usable (SCardIsValidContext); a
// context becomes invalid when the service restarts.
func (c *Context) IsValid() error {
	h, err := c.handle()
	if err != nil {
		return err
	}
	return sysIsValid(h)
}

// Cancel makes a GetStatusChange that is blocked on this context return ErrCancelled
// (SCardCancel). It may be called from any goroutine.
func (c *Context) Cancel() error {
	h, err := c.handle()
	if err != nil {
		return err
	}
	return sysCancel(h)
}

// ListReaders returns the names of the connected readers. No reader is not an error:
// the result is then empty.
func (c *Context) ListReaders() ([]string, error) {
	h, err := c.handle()
	if err != nil {
		return nil, err
	}
	readers, err := sysListReaders(h)
	if errors.Is(err, ErrNoReaders) {
		return nil, nil
	}
	return readers, err
}

// GetStatusChange blocks until the state of one of the readers in states differs from
// its CurrentState, the timeout passes (ErrTimeout; a negative timeout waits forever)
// or ctx is done (then it returns ctx's error, after SCardCancel). On return each
// entry's EventState and ATR are filled in. Include PnPNotification as a reader to be
// woken when readers are added or removed.
func (c *Context) GetStatusChange(ctx context.Context, timeout time.Duration, states []ReaderState) error {
	h, err := c.handle()
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	ms := uint32(infinite)
	if timeout >= 0 {
		ms = uint32(min(timeout.Milliseconds(), int64(infinite-1)))
	}
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		select {
		case <-done:
			return
		case <-ctx.Done():
		}
		// SCardCancel only wakes a call that is already waiting: repeat it until the
		// call has returned, in case the cancellation raced with its start.
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			_ = sysCancel(h)
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	err = sysGetStatusChange(h, ms, states)
	close(done)
	<-stopped
	if err != nil && ctx.Err() != nil && errors.Is(err, ErrCancelled) {
		return fmt.Errorf("pcsc: waiting for reader events: %w", ctx.Err())
	}
	return err
}

// Connect connects to the card in reader (SCardConnect) with the given share mode,
// accepting any of the given protocols.
func (c *Context) Connect(reader string, mode ShareMode, protocols Protocol) (*Card, error) {
	h, err := c.handle()
	if err != nil {
		return nil, err
	}
	ch, proto, err := sysConnect(h, reader, mode, protocols)
	if err != nil {
		return nil, err
	}
	return &Card{h: ch, protocol: proto, reader: reader}, nil
}

// Card is a connection to the card in one reader. Its methods must not be called from
// several goroutines at once.
type Card struct {
	h        uintptr
	protocol Protocol
	reader   string
	buf      []byte
	closed   bool
}

// Reader returns the name of the reader the card is in.
func (k *Card) Reader() string { return k.reader }

// Protocol returns the protocol negotiated with the card.
func (k *Card) Protocol() Protocol { return k.protocol }

func (k *Card) live(op string) error {
	if k.closed {
		return &Error{Op: op, Code: ErrInvalidHandle}
	}
	return nil
}

// BeginTransaction gives this connection exclusive use of the card until
// EndTransaction (SCardBeginTransaction). It fails with ErrResetCard when the card was
// reset since the last call (call Reconnect, then begin again) and with ErrRemovedCard
// when it was removed.
func (k *Card) BeginTransaction() error {
	if err := k.live("SCardBeginTransaction"); err != nil {
		return err
	}
	return sysBeginTransaction(k.h)
}

// EndTransaction ends the transaction (SCardEndTransaction), doing d to the card.
func (k *Card) EndTransaction(d Disposition) error {
	if err := k.live("SCardEndTransaction"); err != nil {
		return err
	}
	return sysEndTransaction(k.h, d)
}

// Transmit sends one command APDU and returns the response APDU, status word included
// (SCardTransmit).
func (k *Card) Transmit(cmd []byte) ([]byte, error) {
	if err := k.live("SCardTransmit"); err != nil {
		return nil, err
	}
	if len(cmd) == 0 {
		return nil, &Error{Op: "SCardTransmit", Code: ErrInvalidParameter}
	}
	if k.buf == nil {
		k.buf = make([]byte, maxResponse)
	}
	n, err := sysTransmit(k.h, k.protocol, cmd, k.buf)
	if err != nil {
		return nil, err
	}
	out := make([]byte, n)
	copy(out, k.buf[:n])
	clear(k.buf[:n])
	return out, nil
}

// Status reports the reader name, the card's state, protocol and ATR (SCardStatus).
func (k *Card) Status() (CardStatus, error) {
	if err := k.live("SCardStatus"); err != nil {
		return CardStatus{}, err
	}
	return sysStatus(k.h)
}

// Reconnect re-establishes the connection (SCardReconnect), doing init to the card
// first. After ErrResetCard, Reconnect with LeaveCard acknowledges the reset.
func (k *Card) Reconnect(mode ShareMode, protocols Protocol, init Disposition) error {
	if err := k.live("SCardReconnect"); err != nil {
		return err
	}
	proto, err := sysReconnect(k.h, mode, protocols, init)
	if err != nil {
		return err
	}
	k.protocol = proto
	return nil
}

// Disconnect closes the connection (SCardDisconnect), doing d to the card. Calling it
// again does nothing.
func (k *Card) Disconnect(d Disposition) error {
	if k.closed {
		return nil
	}
	k.closed = true
	return sysDisconnect(k.h, d)
}
