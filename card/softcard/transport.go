package softcard

import (
	"fmt"

	"github.com/mynasign/mynasign/card"
)

// Transmit is the in-process card.Transport: it hands one command APDU to the card and
// returns the response (data and status word). A removed card gives an error matching
// card.ErrCardRemoved, a card reset by Reset gives card.ErrCardReset once.
func (c *Card) Transmit(cmd []byte) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.resetPending {
		c.resetPending = false
		return nil, fmt.Errorf("softcard: %w", card.ErrCardReset)
	}
	resp, sw, ok := c.receive(cmd)
	if !ok {
		return nil, fmt.Errorf("softcard: %w", card.ErrCardRemoved)
	}
	return append(resp, byte(sw>>8), byte(sw)), nil
}

// receive delivers an APDU to the card, applying a pending FailBefore. ok is false when
// the card is not there. The caller holds c.mu.
func (c *Card) receive(cmd []byte) (resp []byte, sw uint16, ok bool) {
	if c.present && c.failIn > 0 {
		c.failIn--
		if c.failIn == 0 {
			c.setPresent(false)
		}
	}
	if !c.present {
		c.stats.Lost++
		return nil, 0, false
	}
	resp, sw, _ = c.process(cmd)
	return resp, sw, true
}

// BeginTransaction starts an operation (the in-process side of a PC/SC transaction).
// reset reports a Reset since the previous transaction: verified PINs are gone.
func (c *Card) BeginTransaction() (reset bool, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stats.Transactions++
	if !c.present {
		return false, fmt.Errorf("softcard: %w", card.ErrCardRemoved)
	}
	reset, c.resetPending = c.resetPending, false
	return reset, nil
}

// EndTransaction ends an operation.
func (c *Card) EndTransaction() error { return nil }

// Present reports whether the card is in its (virtual) reader.
func (c *Card) Present() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.present
}

// Remove takes the card out of the reader: every APDU fails until Insert, and a vpcd
// connection is closed (pcscd then reports the card removed).
func (c *Card) Remove() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.setPresent(false)
}

// Insert puts the card back: it powers on fresh (nothing selected or verified; the try
// counters are kept, as on a real card).
func (c *Card) Insert() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.failIn = 0
	if !c.present {
		c.powerOn()
		c.stats.Resets++
	}
	c.setPresent(true)
}

// Reset resets the card as another program or a reader glitch would: verified PINs
// and selections are lost, and the in-process transport reports it once (at the next
// BeginTransaction, or as card.ErrCardReset from the next Transmit outside one).
func (c *Card) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.powerOn()
	c.stats.Resets++
	c.resetPending = true
}

// FailBefore makes the card vanish just before it would process the n-th APDU from now
// (n = 1: the next one): that APDU and every later one fail as if the card had been
// pulled out, until Insert. n <= 0 cancels a pending failure.
func (c *Card) FailBefore(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.failIn = max(n, 0)
}

// setPresent changes the presence and wakes whoever waits for a change. The caller
// holds c.mu.
func (c *Card) setPresent(p bool) {
	if c.present == p {
		return
	}
	c.present = p
	if !p {
		c.powerOn()
	}
	close(c.changed)
	c.changed = make(chan struct{})
}

// Changes reports whether the card is in its (virtual) reader, and a channel that is
// closed at the next change of that: Remove, Insert, or a FailBefore that fires in the
// middle of an operation. It is the software card's card-event source, as a reader's
// status changes are for a real card: wait on the channel, then call Changes again for
// the new presence and the next channel.
func (c *Card) Changes() (present bool, changed <-chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.present, c.changed
}
