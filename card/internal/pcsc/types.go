package pcsc

import (
	"bytes"
	"strings"
)

// ShareMode says whether other programs may use the card while we are connected.
type ShareMode uint32

// Share modes of SCardConnect.
const (
	ShareExclusive ShareMode = 1 // SCARD_SHARE_EXCLUSIVE: no other program may connect
	ShareShared    ShareMode = 2 // SCARD_SHARE_SHARED: others may connect; use transactions
	ShareDirect    ShareMode = 3 // SCARD_SHARE_DIRECT: talk to the reader, not the card
)

// Protocol is a card transmission protocol, or a set of acceptable ones.
type Protocol uint32

// Transmission protocols (bit flags).
const (
	ProtocolUndefined Protocol = 0
	ProtocolT0        Protocol = 1 // SCARD_PROTOCOL_T0
	ProtocolT1        Protocol = 2 // SCARD_PROTOCOL_T1
	ProtocolAny                = ProtocolT0 | ProtocolT1
)

// String describes the Protocol in English (for logs and errors).
func (p Protocol) String() string {
	switch p {
	case ProtocolT0:
		return "T=0"
	case ProtocolT1:
		return "T=1"
	case ProtocolAny:
		return "T=0|T=1"
	case ProtocolUndefined:
		return "undefined"
	}
	return "unknown"
}

// Disposition says what happens to the card when a connection or transaction ends.
type Disposition uint32

// Card dispositions.
const (
	LeaveCard   Disposition = 0 // SCARD_LEAVE_CARD: keep the card's state
	ResetCard   Disposition = 1 // SCARD_RESET_CARD: warm reset (clears verified PINs)
	UnpowerCard Disposition = 2 // SCARD_UNPOWER_CARD: power down
	EjectCard   Disposition = 3 // SCARD_EJECT_CARD: eject, where the reader can
)

// State is a set of reader state flags (SCARD_STATE_*), as used by GetStatusChange.
type State uint32

// Reader state flags. The upper 16 bits of an event state carry a change counter
// (pcsc-lite and Windows); StateMask keeps the flags alone.
const (
	StateUnaware     State = 0x0000
	StateIgnore      State = 0x0001
	StateChanged     State = 0x0002
	StateUnknown     State = 0x0004
	StateUnavailable State = 0x0008
	StateEmpty       State = 0x0010
	StatePresent     State = 0x0020
	StateATRMatch    State = 0x0040
	StateExclusive   State = 0x0080
	StateInUse       State = 0x0100
	StateMute        State = 0x0200
	StateUnpowered   State = 0x0400
	StateMask        State = 0xFFFF
)

// Has reports whether every flag of f is set in s.
func (s State) Has(f State) bool { return s&f == f }

// Count returns the change counter that pcsc-lite and Windows keep in the upper 16 bits.
func (s State) Count() uint16 { return uint16(s >> 16) }

// String describes the State in English (for logs and errors).
func (s State) String() string {
	names := []struct {
		f State
		n string
	}{
		{StateIgnore, "ignore"}, {StateChanged, "changed"}, {StateUnknown, "unknown"},
		{StateUnavailable, "unavailable"}, {StateEmpty, "empty"}, {StatePresent, "present"},
		{StateATRMatch, "atrmatch"}, {StateExclusive, "exclusive"}, {StateInUse, "inuse"},
		{StateMute, "mute"}, {StateUnpowered, "unpowered"},
	}
	var parts []string
	for _, n := range names {
		if s.Has(n.f) {
			parts = append(parts, n.n)
		}
	}
	if len(parts) == 0 {
		return "unaware"
	}
	return strings.Join(parts, "|")
}

// PnPNotification is the pseudo reader name that GetStatusChange reports on when a
// reader is added or removed.
const PnPNotification = `\\?PnP?\Notification`

// ReaderState is one entry of GetStatusChange: the caller sets Reader and CurrentState
// (what it believes); the call fills EventState (what is true now) and ATR.
type ReaderState struct {
	Reader       string
	CurrentState State
	EventState   State
	ATR          []byte
}

// CardStatus is what SCardStatus reports about a connected card.
type CardStatus struct {
	Reader   string
	Present  bool
	Powered  bool
	Protocol Protocol
	ATR      []byte
}

// maxResponse is the largest response of an extended-length APDU (64 KiB data + SW).
const maxResponse = 4 + 3 + (1 << 16) + 3 + 2

// infinite is the PC/SC timeout meaning "wait forever".
const infinite = 0xFFFFFFFF

// splitMultiString splits a PC/SC multi-string (NUL-separated, ending in two NULs).
func splitMultiString(b []byte) []string {
	var out []string
	for _, s := range bytes.Split(b, []byte{0}) {
		if len(s) > 0 {
			out = append(out, string(s))
		}
	}
	return out
}
