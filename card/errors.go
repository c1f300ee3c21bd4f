package card

import (
	"errors"
	"fmt"
)

// Conditions of the card and the reader. Errors returned by this package wrap one of
// these (or one of the error types below) when it applies; test with errors.Is.
var (
	// ErrCardRemoved: the card left the reader (or stopped answering) during or
	// before the operation. Nothing on the card changed after the last answer.
	ErrCardRemoved = errors.New("card removed")
	// ErrCardReset: the card was reset (by another program or the reader) during the
	// operation; verified PINs are gone. The connection was re-established.
	ErrCardReset = errors.New("card was reset")
	// ErrNoCard: the reader holds no card.
	ErrNoCard = errors.New("no card in the reader")
	// ErrNoReader: the reader is not connected (or no reader is).
	ErrNoReader = errors.New("card reader not found")
	// ErrNoService: the PC/SC service (pcscd, the Windows smart card service) is not
	// running or not reachable.
	ErrNoService = errors.New("smart card service not available")
	// ErrCardBusy: another program holds the card exclusively.
	ErrCardBusy = errors.New("card in use by another program")
	// ErrSecurityStatusNotSatisfied: the operation needs a PIN that this session has
	// not verified (or whose verification the card has since forgotten).
	ErrSecurityStatusNotSatisfied = errors.New("security status not satisfied: verify the password first")
	// ErrNoSignCertificate: the card holds no signature certificate (for example a
	// child's card).
	ErrNoSignCertificate = errors.New("the card holds no signature certificate")
	// ErrIntegrity: data read from the text application does not match its integrity
	// record.
	ErrIntegrity = errors.New("card data does not match its integrity record")
	// ErrClosed: the session was closed.
	ErrClosed = errors.New("card session closed")
)

// IsGone reports an error that means the card left its reader, was reset, or the reader
// or the PC/SC service went away: the session cannot go on (a reset also forgets the
// verified password).
func IsGone(err error) bool {
	return errors.Is(err, ErrCardRemoved) || errors.Is(err, ErrCardReset) ||
		errors.Is(err, ErrNoCard) || errors.Is(err, ErrNoReader) || errors.Is(err, ErrNoService)
}

// WrongPIN is a rejected PIN: the card counted a failed try and Left tries remain
// (Left >= 1; a rejection that uses up the last try is reported as *Blocked).
type WrongPIN struct {
	Kind PINKind
	Left int
}

// Error describes the failure in English; it never contains a PIN.
func (e *WrongPIN) Error() string {
	return fmt.Sprintf("wrong %s: %d tries left", e.Kind, e.Left)
}

// Blocked means the PIN is blocked: no try is left. Only the municipal office (for the
// signature password also some convenience-store kiosks) can reset it; no software can.
// Now is true when this very attempt used up the last try.
type Blocked struct {
	Kind PINKind
	Now  bool
}

// Error describes the failure in English; it never contains a PIN.
func (e *Blocked) Error() string {
	if e.Now {
		return fmt.Sprintf("wrong %s: it is now blocked", e.Kind)
	}
	return fmt.Sprintf("%s is blocked", e.Kind)
}

// LastTry is returned instead of sending a PIN when only one try is left and the caller
// did not pass AllowLastTry: a wrong PIN now would block the card.
type LastTry struct {
	Kind PINKind
}

// Error describes the failure in English; it never contains a PIN.
func (e *LastTry) Error() string {
	return fmt.Sprintf("only one try of the %s is left: not sent without explicit confirmation", e.Kind)
}

// PINProblem says why a PIN was refused before being sent.
type PINProblem int

// The ways a PIN can be malformed.
const (
	PINEmpty          PINProblem = iota + 1 // nothing entered
	PINLength                               // too short or too long
	PINCharacters                           // a character outside A–Z / 0–9 (digits only for 4-digit PINs)
	PINLetterAndDigit                       // the signature password needs both a letter and a digit
)

// String describes the PINProblem in English (for logs and errors).
func (p PINProblem) String() string {
	switch p {
	case PINEmpty:
		return "empty"
	case PINLength:
		return "wrong length"
	case PINCharacters:
		return "characters not allowed"
	case PINLetterAndDigit:
		return "needs both a letter and a digit"
	}
	return "malformed"
}

// InvalidPIN is a PIN refused by local validation; nothing was sent to the card.
type InvalidPIN struct {
	Kind    PINKind
	Problem PINProblem
}

// Error describes the failure in English; it never contains a PIN.
func (e *InvalidPIN) Error() string {
	return fmt.Sprintf("%s not accepted (%s): %s; nothing was sent to the card", e.Kind, e.Problem, e.Kind.Rule())
}

// StatusError is a status word the operation did not expect.
type StatusError struct {
	Op string
	SW StatusWord
}

// Error describes the failure in English; it never contains a PIN.
func (e *StatusError) Error() string {
	return fmt.Sprintf("%s: card answered %s", e.Op, e.SW)
}

// Is lets errors.Is(err, ErrSecurityStatusNotSatisfied) match a 6982 answer.
func (e *StatusError) Is(target error) bool {
	return target == ErrSecurityStatusNotSatisfied && e.SW == SWSecurityNotSatisfied
}

// UnsupportedCard is a card this client cannot sign with: not a JPKI card, the older
// Basic Resident Register (住基) card, or a smartphone JPKI token.
type UnsupportedCard struct {
	Kind  Kind
	Label string // the token label read from the card, if any
}

// Error describes the failure in English; it never contains a PIN.
func (e *UnsupportedCard) Error() string {
	return "unsupported card: " + e.Kind.String()
}

// ProtocolError is a response that breaks the card protocol (malformed data, a file
// longer than announced, a response chain that does not end).
type ProtocolError struct {
	Op     string
	Detail string
}

// Error describes the failure in English; it never contains a PIN.
func (e *ProtocolError) Error() string { return e.Op + ": " + e.Detail }
