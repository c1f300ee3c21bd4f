package softcard

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"time"
)

// The vsmartcard vpcd protocol: every message is a 2-byte big-endian length and a
// payload. A 1-byte payload from vpcd is a control message; anything longer is a
// command APDU, answered with the response APDU. Control messages get no answer except
// GET ATR.
const (
	vpcdPowerOff = 0x00
	vpcdPowerOn  = 0x01
	vpcdReset    = 0x02
	vpcdGetATR   = 0x04
)

// vpcdRetry is the pause before connecting to vpcd again.
const vpcdRetry = 100 * time.Millisecond

var errRemoved = errors.New("card removed")

// ServeVPCD attaches the card to the vpcd virtual reader at addr ("host:port"; vpcd
// listens, the card connects) and serves it until ctx is done, then returns nil. While
// the card is removed (Remove, or FailBefore firing) the connection is closed, so the
// reader reports no card; after Insert it connects again. When vpcd is not reachable
// or drops the connection (pcscd restarting) it keeps trying.
func (c *Card) ServeVPCD(ctx context.Context, addr string) error {
	var d net.Dialer
	for {
		present, changed := c.Changes()
		if !present {
			select {
			case <-ctx.Done():
				return nil
			case <-changed:
				continue
			}
		}
		conn, err := d.DialContext(ctx, "tcp", addr)
		if err == nil {
			err = c.serveConn(ctx, conn, changed)
			conn.Close()
		}
		if ctx.Err() != nil {
			return nil
		}
		if errors.Is(err, errRemoved) {
			continue
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(vpcdRetry):
		}
	}
}

// serveConn answers vpcd on one connection until ctx is done, the connection fails or
// the card leaves the reader.
func (c *Card) serveConn(ctx context.Context, conn net.Conn, changed <-chan struct{}) error {
	frames := make(chan []byte)
	errc := make(chan error, 1)
	done := make(chan struct{})
	defer close(done)
	go func() {
		r := quickAckReader{conn}
		for {
			f, err := readFrame(r)
			if err != nil {
				errc <- err
				return
			}
			select {
			case frames <- f:
			case <-done:
				return
			}
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-changed:
			present, ch := c.Changes()
			if !present {
				return errRemoved
			}
			changed = ch
		case err := <-errc:
			return err
		case f := <-frames:
			resp, ok := c.handleVPCD(f)
			if !ok {
				return errRemoved
			}
			if resp != nil {
				if err := writeFrame(conn, resp); err != nil {
					return err
				}
				// Sending switches the kernel back to delayed ACKs, while the reader
				// may already be waiting for the next message: re-arm.
				quickAck(conn)
			}
		}
	}
}

// handleVPCD processes one message from vpcd. ok is false when the card turned out to
// be gone (a FailBefore fired): the caller then drops the connection unanswered.
func (c *Card) handleVPCD(f []byte) (resp []byte, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.present {
		return nil, false
	}
	if len(f) == 1 {
		switch f[0] {
		case vpcdPowerOff:
			c.powerOn()
		case vpcdPowerOn, vpcdReset:
			c.powerOn()
			c.stats.Resets++
		case vpcdGetATR:
			return c.ATR(), true
		}
		return nil, true
	}
	if len(f) == 0 {
		return nil, true
	}
	data, sw, ok := c.receive(f)
	if !ok {
		return nil, false
	}
	return append(data, byte(sw>>8), byte(sw)), true
}

// quickAckReader re-arms quick acknowledgements before each read.
type quickAckReader struct{ c net.Conn }

func (r quickAckReader) Read(p []byte) (int, error) {
	quickAck(r.c)
	return r.c.Read(p)
}

// readFrame reads one length-prefixed vpcd message.
func readFrame(r io.Reader) ([]byte, error) {
	var hdr [2]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	f := make([]byte, binary.BigEndian.Uint16(hdr[:]))
	if _, err := io.ReadFull(r, f); err != nil {
		return nil, fmt.Errorf("vpcd: truncated message: %w", err)
	}
	return f, nil
}

// writeFrame writes one length-prefixed vpcd message.
func writeFrame(w io.Writer, payload []byte) error {
	if len(payload) > 0xFFFF {
		return fmt.Errorf("vpcd: message of %d bytes too long", len(payload))
	}
	buf := make([]byte, 2+len(payload))
	binary.BigEndian.PutUint16(buf, uint16(len(payload)))
	copy(buf[2:], payload)
	_, err := w.Write(buf)
	return err
}
