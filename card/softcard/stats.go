package softcard

import (
	"fmt"
	"time"
)

// Stats counts what the card received. Only processed commands count: an APDU that
// found the card removed is counted in Lost instead.
type Stats struct {
	Commands int // command APDUs processed
	BytesIn  int // bytes of those commands
	BytesOut int // bytes of the responses, status words included
	// VERIFY commands with data (each one a try, right or wrong), per secret.
	VerifySign, VerifyAuth, VerifyText int
	// VerifyEmpty counts the empty VERIFY (the tries-left query).
	VerifyEmpty int
	// Signatures counts COMPUTE DIGITAL SIGNATURE commands that produced a signature.
	Signatures int
	// Transactions counts BeginTransaction calls of the in-process transport.
	Transactions int
	// Lost counts APDUs that reached a removed card.
	Lost int
	// Resets counts power-ons and resets (insertions and vpcd resets included).
	Resets int
}

// Stats returns the counters.
func (c *Card) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stats
}

// ResetStats sets every counter to zero and empties the log.
func (c *Card) ResetStats() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stats = Stats{}
	c.log.entries, c.log.next, c.log.seq = nil, 0, 0
}

// LogEntry is one APDU as the card saw it. It holds the header and the lengths, never
// the data: a VERIFY's PIN is not kept anywhere.
type LogEntry struct {
	Seq    int
	Header [4]byte // CLA INS P1 P2
	Lc     int     // command data length
	Le     int     // expected response length; -1 when absent
	// Malformed is true when the APDU could not be parsed (Header then holds what
	// there was of it).
	Malformed   bool
	SW          uint16
	ResponseLen int // response data length
	At          time.Time
	Took        time.Duration // processing time inside the card
}

// String describes the LogEntry in English (for logs and errors).
func (e LogEntry) String() string {
	le := "-"
	if e.Le >= 0 {
		le = fmt.Sprint(e.Le)
	}
	return fmt.Sprintf("#%d %02X %02X %02X %02X Lc=%d Le=%s -> %04X (%d B) %s",
		e.Seq, e.Header[0], e.Header[1], e.Header[2], e.Header[3], e.Lc, le, e.SW, e.ResponseLen, e.Took)
}

type apduLog struct {
	size    int
	entries []LogEntry
	next    int // ring position once full
	seq     int
}

func (l *apduLog) add(raw []byte, cmd command, parsed bool, sw uint16, respLen int, at time.Time, took time.Duration) {
	l.seq++
	e := LogEntry{Seq: l.seq, SW: sw, ResponseLen: respLen, At: at, Took: took, Le: -1, Malformed: !parsed}
	copy(e.Header[:], raw)
	if parsed {
		e.Lc, e.Le = len(cmd.data), cmd.le
	}
	if len(l.entries) < l.size {
		l.entries = append(l.entries, e)
		return
	}
	l.entries[l.next] = e
	l.next = (l.next + 1) % l.size
}

// Log returns the newest log entries, oldest first.
func (c *Card) Log() []LogEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]LogEntry, 0, len(c.log.entries))
	out = append(out, c.log.entries[c.log.next:]...)
	return append(out, c.log.entries[:c.log.next]...)
}
