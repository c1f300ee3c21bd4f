package card

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/mynasign/mynasign/card/internal/pcsc"
)

// Readers lists the card readers the PC/SC service knows (none is not an error).
func Readers() ([]string, error) {
	ctx, err := pcsc.EstablishContext()
	if err != nil {
		return nil, classifyPCSC(err)
	}
	defer ctx.Release()
	readers, err := ctx.ListReaders()
	if err != nil {
		return nil, classifyPCSC(err)
	}
	return readers, nil
}

// Conn is a PC/SC connection to the card in one reader, shared with other programs;
// it is the Transport (and Transactor) a Session uses for a real card. Errors wrap
// ErrCardRemoved, ErrCardReset, ErrNoCard, ErrNoReader, ErrNoService or ErrCardBusy
// where they apply, and the *pcsc.Error underneath.
type Conn struct {
	ctx    *pcsc.Context
	card   *pcsc.Card
	reader string
}

// Connect connects to the card in reader (shared mode, T=1 or T=0).
func Connect(reader string) (*Conn, error) {
	ctx, err := pcsc.EstablishContext()
	if err != nil {
		return nil, classifyPCSC(err)
	}
	k, err := ctx.Connect(reader, pcsc.ShareShared, pcsc.ProtocolAny)
	if err != nil {
		ctx.Release()
		if errors.Is(err, pcsc.ErrNoSmartcard) || errors.Is(err, pcsc.ErrRemovedCard) {
			return nil, fmt.Errorf("%w: %w", ErrNoCard, err)
		}
		return nil, classifyPCSC(err)
	}
	return &Conn{ctx: ctx, card: k, reader: reader}, nil
}

// OpenReader connects to the card in reader and opens a session on it; closing the
// session closes the connection.
func OpenReader(reader string, opts Options) (*Session, error) {
	c, err := Connect(reader)
	if err != nil {
		return nil, err
	}
	s, err := OpenWith(c, opts)
	if err != nil {
		c.Close()
		return nil, err
	}
	return s, nil
}

// Reader returns the reader's name.
func (c *Conn) Reader() string { return c.reader }

// ATR returns the card's answer to reset as the reader reports it.
func (c *Conn) ATR() ([]byte, error) {
	st, err := c.card.Status()
	if err != nil {
		return nil, c.classify(err)
	}
	return st.ATR, nil
}

// Transmit sends one command APDU. After a reset by someone else it re-establishes
// the connection and returns an error matching ErrCardReset.
func (c *Conn) Transmit(cmd []byte) ([]byte, error) {
	resp, err := c.card.Transmit(cmd)
	if err == nil && len(resp) >= 2 {
		return resp, nil
	}
	if err == nil {
		// A reader that lost the card mid-exchange may hand back an empty response
		// (vpcd does): a failed exchange, not an answer.
		perr := &ProtocolError{Op: "SCardTransmit", Detail: fmt.Sprintf("%d-byte response", len(resp))}
		if c.cardGone() {
			return nil, fmt.Errorf("%w: %w", ErrCardRemoved, perr)
		}
		return nil, perr
	}
	if errors.Is(err, pcsc.ErrResetCard) {
		if rerr := c.card.Reconnect(pcsc.ShareShared, pcsc.ProtocolAny, pcsc.LeaveCard); rerr != nil {
			return nil, c.classify(rerr)
		}
		return nil, fmt.Errorf("%w: %w", ErrCardReset, err)
	}
	return nil, c.classify(err)
}

// BeginTransaction starts a PC/SC transaction. When the card was reset since the last
// one, it re-establishes the connection first and reports reset.
func (c *Conn) BeginTransaction() (reset bool, err error) {
	err = c.card.BeginTransaction()
	if errors.Is(err, pcsc.ErrResetCard) {
		if err := c.card.Reconnect(pcsc.ShareShared, pcsc.ProtocolAny, pcsc.LeaveCard); err != nil {
			return false, c.classify(err)
		}
		if err := c.card.BeginTransaction(); err != nil {
			return false, c.classify(err)
		}
		return true, nil
	}
	if err != nil {
		return false, c.classify(err)
	}
	return false, nil
}

// EndTransaction ends the transaction, leaving the card as it is.
func (c *Conn) EndTransaction() error {
	if err := c.card.EndTransaction(pcsc.LeaveCard); err != nil {
		return c.classify(err)
	}
	return nil
}

// Close disconnects (leaving the card as it is) and releases the PC/SC context.
func (c *Conn) Close() error {
	err := c.card.Disconnect(pcsc.LeaveCard)
	if rerr := c.ctx.Release(); err == nil {
		err = rerr
	}
	if err != nil && !errors.Is(err, pcsc.ErrRemovedCard) && !errors.Is(err, pcsc.ErrInvalidHandle) {
		return classifyPCSC(err)
	}
	return nil
}

// classify maps a PC/SC failure of a transmission to this package's conditions. A
// failed exchange with a card that is no longer there is a removal.
func (c *Conn) classify(err error) error {
	if errors.Is(err, pcsc.ErrNotTransacted) || errors.Is(err, pcsc.ErrCommError) ||
		errors.Is(err, pcsc.ErrUnresponsiveCard) || errors.Is(err, pcsc.ErrUnpoweredCard) {
		if c.cardGone() {
			return fmt.Errorf("%w: %w", ErrCardRemoved, err)
		}
	}
	return classifyPCSC(err)
}

// goneWait bounds how long a failed exchange waits for the service to notice that the
// card left (pcscd polls some readers a few times a second).
const goneWait = 2 * time.Second

// cardGone reports whether the card left the reader, waiting on PC/SC events (not
// polling) for at most goneWait. It is only called after an exchange failed.
func (c *Conn) cardGone() bool {
	ctx, cancel := context.WithTimeout(context.Background(), goneWait)
	defer cancel()
	states := []pcsc.ReaderState{{Reader: c.reader}}
	for {
		if err := c.ctx.GetStatusChange(ctx, -1, states); err != nil {
			return errors.Is(err, pcsc.ErrUnknownReader) || errors.Is(err, pcsc.ErrReaderUnavailable)
		}
		ev := states[0].EventState
		if !ev.Has(pcsc.StatePresent) || ev.Has(pcsc.StateUnknown) || ev.Has(pcsc.StateUnavailable) {
			return true
		}
		states[0].CurrentState = ev &^ pcsc.StateChanged
	}
}

// classifyPCSC wraps a PC/SC error with the matching condition of this package.
func classifyPCSC(err error) error {
	var cond error
	switch {
	case errors.Is(err, pcsc.ErrRemovedCard), errors.Is(err, pcsc.ErrNoSmartcard):
		cond = ErrCardRemoved
	case errors.Is(err, pcsc.ErrResetCard):
		cond = ErrCardReset
	case errors.Is(err, pcsc.ErrNoService), errors.Is(err, pcsc.ErrServiceStopped):
		cond = ErrNoService
	case errors.Is(err, pcsc.ErrUnknownReader), errors.Is(err, pcsc.ErrReaderUnavailable), errors.Is(err, pcsc.ErrNoReaders):
		cond = ErrNoReader
	case errors.Is(err, pcsc.ErrSharingViolation):
		cond = ErrCardBusy
	default:
		return err
	}
	return fmt.Errorf("%w: %w", cond, err)
}

// ReaderStatus is a reader and what is in it, as the PC/SC service reports without
// connecting to the card.
type ReaderStatus struct {
	Name        string
	CardPresent bool
	// Mute is true when a card is in the reader but does not answer.
	Mute bool
	ATR  []byte
}

// ReaderStatuses lists the readers and whether each holds a card. It does not connect
// to any card.
func ReaderStatuses() ([]ReaderStatus, error) {
	pc, err := pcsc.EstablishContext()
	if err != nil {
		return nil, classifyPCSC(err)
	}
	defer pc.Release()
	readers, err := pc.ListReaders()
	if err != nil {
		return nil, classifyPCSC(err)
	}
	if len(readers) == 0 {
		return nil, nil
	}
	states := make([]pcsc.ReaderState, len(readers))
	for i, r := range readers {
		states[i].Reader = r
	}
	if err := pc.GetStatusChange(context.Background(), 0, states); err != nil && !errors.Is(err, pcsc.ErrTimeout) {
		return nil, classifyPCSC(err)
	}
	out := make([]ReaderStatus, len(states))
	for i, st := range states {
		out[i] = ReaderStatus{
			Name:        st.Reader,
			CardPresent: st.EventState.Has(pcsc.StatePresent),
			Mute:        st.EventState.Has(pcsc.StateMute),
			ATR:         st.ATR,
		}
	}
	return out, nil
}
