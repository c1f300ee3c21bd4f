// Package pcsc is mynasign's binding to the platform's PC/SC service: pcsc-lite
// (libpcsclite, through cgo) on Linux and the BSDs, PCSC.framework (cgo) on macOS, and
// winscard.dll (loaded at run time, no cgo) on Windows.
//
// It is deliberately thin: a Context (SCardEstablishContext) lists readers and waits for
// reader and card events, a Card (SCardConnect) transmits raw APDUs inside transactions.
// It knows nothing about the JPKI application; package card builds on it.
//
// Every PC/SC return code becomes a typed Go error: a *Error carrying the function name
// and a Code, so callers test for conditions with errors.Is:
//
//	if errors.Is(err, pcsc.ErrRemovedCard) { ... }
//
// A Context may be used from several goroutines, but PC/SC serializes calls on one
// context: a blocking GetStatusChange holds it. Use a separate Context for watching and
// for talking to cards.
package pcsc
