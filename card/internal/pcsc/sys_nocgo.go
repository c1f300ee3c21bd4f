//go:build !windows && !cgo

package pcsc

// Without cgo there is no way to reach pcsc-lite or PCSC.framework: every call reports
// that the PC/SC service is unavailable.

func unavailable(op string) error { return &Error{Op: op + " (built without cgo)", Code: ErrNoService} }

func sysEstablish() (uintptr, error)           { return 0, unavailable("SCardEstablishContext") }
func sysRelease(uintptr) error                 { return nil }
func sysIsValid(uintptr) error                 { return unavailable("SCardIsValidContext") }
func sysCancel(uintptr) error                  { return unavailable("SCardCancel") }
func sysListReaders(uintptr) ([]string, error) { return nil, unavailable("SCardListReaders") }
func sysGetStatusChange(uintptr, uint32, []ReaderState) error {
	return unavailable("SCardGetStatusChange")
}
func sysConnect(uintptr, string, ShareMode, Protocol) (uintptr, Protocol, error) {
	return 0, 0, unavailable("SCardConnect")
}
func sysDisconnect(uintptr, Disposition) error { return nil }
func sysReconnect(uintptr, ShareMode, Protocol, Disposition) (Protocol, error) {
	return 0, unavailable("SCardReconnect")
}
func sysBeginTransaction(uintptr) error            { return unavailable("SCardBeginTransaction") }
func sysEndTransaction(uintptr, Disposition) error { return unavailable("SCardEndTransaction") }
func sysTransmit(uintptr, Protocol, []byte, []byte) (int, error) {
	return 0, unavailable("SCardTransmit")
}
func sysStatus(uintptr) (CardStatus, error) { return CardStatus{}, unavailable("SCardStatus") }
