package pcsc

import "fmt"

// Code is a PC/SC return code (SCARD_E_*, SCARD_W_*, SCARD_F_*). The codes this package
// names are errors that callers match with errors.Is.
type Code uint32

// The PC/SC return codes callers are expected to handle. The numeric values are those
// of the PC/SC specification (identical in pcsc-lite, macOS and Windows).
const (
	ErrInternal           Code = 0x80100001 // SCARD_F_INTERNAL_ERROR
	ErrCancelled          Code = 0x80100002 // SCARD_E_CANCELLED
	ErrInvalidHandle      Code = 0x80100003 // SCARD_E_INVALID_HANDLE
	ErrInvalidParameter   Code = 0x80100004 // SCARD_E_INVALID_PARAMETER
	ErrNoMemory           Code = 0x80100006 // SCARD_E_NO_MEMORY
	ErrInsufficientBuffer Code = 0x80100008 // SCARD_E_INSUFFICIENT_BUFFER
	ErrUnknownReader      Code = 0x80100009 // SCARD_E_UNKNOWN_READER
	ErrTimeout            Code = 0x8010000A // SCARD_E_TIMEOUT
	ErrSharingViolation   Code = 0x8010000B // SCARD_E_SHARING_VIOLATION
	ErrNoSmartcard        Code = 0x8010000C // SCARD_E_NO_SMARTCARD
	ErrProtoMismatch      Code = 0x8010000F // SCARD_E_PROTO_MISMATCH
	ErrNotReady           Code = 0x80100010 // SCARD_E_NOT_READY
	ErrInvalidValue       Code = 0x80100011 // SCARD_E_INVALID_VALUE
	ErrSystemCancelled    Code = 0x80100012 // SCARD_E_SYSTEM_CANCELLED
	ErrCommError          Code = 0x80100013 // SCARD_F_COMM_ERROR
	ErrUnknownError       Code = 0x80100014 // SCARD_F_UNKNOWN_ERROR
	ErrNotTransacted      Code = 0x80100016 // SCARD_E_NOT_TRANSACTED
	ErrReaderUnavailable  Code = 0x80100017 // SCARD_E_READER_UNAVAILABLE
	ErrNoService          Code = 0x8010001D // SCARD_E_NO_SERVICE
	ErrServiceStopped     Code = 0x8010001E // SCARD_E_SERVICE_STOPPED
	ErrUnexpected         Code = 0x8010001F // SCARD_E_UNEXPECTED
	ErrUnsupportedFeature Code = 0x80100022 // SCARD_E_UNSUPPORTED_FEATURE
	ErrNoReaders          Code = 0x8010002E // SCARD_E_NO_READERS_AVAILABLE
	ErrCommDataLost       Code = 0x8010002F // SCARD_E_COMM_DATA_LOST
	ErrUnsupportedCard    Code = 0x80100065 // SCARD_W_UNSUPPORTED_CARD
	ErrUnresponsiveCard   Code = 0x80100066 // SCARD_W_UNRESPONSIVE_CARD
	ErrUnpoweredCard      Code = 0x80100067 // SCARD_W_UNPOWERED_CARD
	ErrResetCard          Code = 0x80100068 // SCARD_W_RESET_CARD
	ErrRemovedCard        Code = 0x80100069 // SCARD_W_REMOVED_CARD
)

var codeNames = map[Code]struct{ name, text string }{
	ErrInternal:           {"SCARD_F_INTERNAL_ERROR", "internal error in the PC/SC service"},
	ErrCancelled:          {"SCARD_E_CANCELLED", "cancelled"},
	ErrInvalidHandle:      {"SCARD_E_INVALID_HANDLE", "invalid handle"},
	ErrInvalidParameter:   {"SCARD_E_INVALID_PARAMETER", "invalid parameter"},
	ErrNoMemory:           {"SCARD_E_NO_MEMORY", "out of memory"},
	ErrInsufficientBuffer: {"SCARD_E_INSUFFICIENT_BUFFER", "buffer too small"},
	ErrUnknownReader:      {"SCARD_E_UNKNOWN_READER", "unknown reader"},
	ErrTimeout:            {"SCARD_E_TIMEOUT", "timeout"},
	ErrSharingViolation:   {"SCARD_E_SHARING_VIOLATION", "the card is in use by another program"},
	ErrNoSmartcard:        {"SCARD_E_NO_SMARTCARD", "no card in the reader"},
	ErrProtoMismatch:      {"SCARD_E_PROTO_MISMATCH", "protocol mismatch"},
	ErrNotReady:           {"SCARD_E_NOT_READY", "reader or card not ready"},
	ErrInvalidValue:       {"SCARD_E_INVALID_VALUE", "invalid value"},
	ErrSystemCancelled:    {"SCARD_E_SYSTEM_CANCELLED", "cancelled by the system"},
	ErrCommError:          {"SCARD_F_COMM_ERROR", "communication error with the reader"},
	ErrUnknownError:       {"SCARD_F_UNKNOWN_ERROR", "unknown error"},
	ErrNotTransacted:      {"SCARD_E_NOT_TRANSACTED", "the command could not be sent to the card"},
	ErrReaderUnavailable:  {"SCARD_E_READER_UNAVAILABLE", "reader unavailable"},
	ErrNoService:          {"SCARD_E_NO_SERVICE", "the PC/SC service is not running"},
	ErrServiceStopped:     {"SCARD_E_SERVICE_STOPPED", "the PC/SC service stopped"},
	ErrUnexpected:         {"SCARD_E_UNEXPECTED", "unexpected error"},
	ErrUnsupportedFeature: {"SCARD_E_UNSUPPORTED_FEATURE", "unsupported feature"},
	ErrNoReaders:          {"SCARD_E_NO_READERS_AVAILABLE", "no card reader connected"},
	ErrCommDataLost:       {"SCARD_E_COMM_DATA_LOST", "communication data lost"},
	ErrUnsupportedCard:    {"SCARD_W_UNSUPPORTED_CARD", "unsupported card"},
	ErrUnresponsiveCard:   {"SCARD_W_UNRESPONSIVE_CARD", "the card does not respond"},
	ErrUnpoweredCard:      {"SCARD_W_UNPOWERED_CARD", "the card is not powered"},
	ErrResetCard:          {"SCARD_W_RESET_CARD", "the card was reset"},
	ErrRemovedCard:        {"SCARD_W_REMOVED_CARD", "the card was removed"},
}

// Error returns a short description and the PC/SC name of the code.
func (c Code) Error() string {
	if n, ok := codeNames[c]; ok {
		return n.text + " (" + n.name + ")"
	}
	return fmt.Sprintf("PC/SC error 0x%08X", uint32(c))
}

// Name returns the PC/SC constant name of the code ("SCARD_W_REMOVED_CARD"), or its
// hexadecimal value when the code has no name here.
func (c Code) Name() string {
	if n, ok := codeNames[c]; ok {
		return n.name
	}
	return fmt.Sprintf("0x%08X", uint32(c))
}

// Error is a failed PC/SC call: the function and its return code.
type Error struct {
	Op   string // the PC/SC function, e.g. "SCardTransmit"
	Code Code
}

// Error describes the failure in English; it never contains a PIN.
func (e *Error) Error() string { return "pcsc: " + e.Op + ": " + e.Code.Error() }

// Unwrap returns the Code, so that errors.Is(err, pcsc.ErrRemovedCard) works.
func (e *Error) Unwrap() error { return e.Code }

// check turns a PC/SC return value into nil or an *Error.
func check(op string, rc uint32) error {
	if rc == 0 {
		return nil
	}
	return &Error{Op: op, Code: Code(rc)}
}
