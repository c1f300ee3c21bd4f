//go:build windows

package pcsc

import (
	"runtime"
	"unsafe"

	"golang.org/x/sys/windows"
)

// winscard.dll is loaded on first use: no cgo is needed on Windows.
var (
	winscard                  = windows.NewLazySystemDLL("winscard.dll")
	procSCardEstablishContext = winscard.NewProc("SCardEstablishContext")
	procSCardReleaseContext   = winscard.NewProc("SCardReleaseContext")
	procSCardIsValidContext   = winscard.NewProc("SCardIsValidContext")
	procSCardCancel           = winscard.NewProc("SCardCancel")
	procSCardListReadersW     = winscard.NewProc("SCardListReadersW")
	procSCardGetStatusChangeW = winscard.NewProc("SCardGetStatusChangeW")
	procSCardConnectW         = winscard.NewProc("SCardConnectW")
	procSCardDisconnect       = winscard.NewProc("SCardDisconnect")
	procSCardReconnect        = winscard.NewProc("SCardReconnect")
	procSCardBeginTransaction = winscard.NewProc("SCardBeginTransaction")
	procSCardEndTransaction   = winscard.NewProc("SCardEndTransaction")
	procSCardTransmit         = winscard.NewProc("SCardTransmit")
	procSCardStatusW          = winscard.NewProc("SCardStatusW")
)

const scopeSystem = 2 // SCARD_SCOPE_SYSTEM

// call invokes a winscard function; a missing DLL or entry point reads as "no service".
func call(op string, p *windows.LazyProc, args ...uintptr) error {
	if err := p.Find(); err != nil {
		return &Error{Op: op, Code: ErrNoService}
	}
	r, _, _ := p.Call(args...)
	return check(op, uint32(r))
}

func sysEstablish() (uintptr, error) {
	var ctx uintptr
	err := call("SCardEstablishContext", procSCardEstablishContext, scopeSystem, 0, 0, uintptr(unsafe.Pointer(&ctx)))
	return ctx, err
}

func sysRelease(h uintptr) error {
	return call("SCardReleaseContext", procSCardReleaseContext, h)
}

func sysIsValid(h uintptr) error {
	return call("SCardIsValidContext", procSCardIsValidContext, h)
}

func sysCancel(h uintptr) error {
	return call("SCardCancel", procSCardCancel, h)
}

func sysListReaders(h uintptr) ([]string, error) {
	for attempt := 0; ; attempt++ {
		var n uint32
		if err := call("SCardListReaders", procSCardListReadersW, h, 0, 0, uintptr(unsafe.Pointer(&n))); err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, nil
		}
		buf := make([]uint16, n)
		err := call("SCardListReaders", procSCardListReadersW, h, 0, uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&n)))
		if attempt < 3 && err != nil && err.(*Error).Code == ErrInsufficientBuffer {
			continue
		}
		if err != nil {
			return nil, err
		}
		return splitMultiString16(buf[:min(int(n), len(buf))]), nil
	}
}

// splitMultiString16 splits a UTF-16 multi-string (NUL-separated, two NULs at the end).
func splitMultiString16(b []uint16) []string {
	var out []string
	start := 0
	for i, c := range b {
		if c != 0 {
			continue
		}
		if i > start {
			out = append(out, windows.UTF16ToString(b[start:i]))
		}
		start = i + 1
	}
	if start < len(b) {
		out = append(out, windows.UTF16ToString(b[start:]))
	}
	return out
}

// readerStateW is SCARD_READERSTATEW (natural alignment; 36-byte ATR on Windows).
type readerStateW struct {
	reader   *uint16
	userData uintptr
	current  uint32
	event    uint32
	atrLen   uint32
	atr      [36]byte
}

func sysGetStatusChange(h uintptr, timeout uint32, states []ReaderState) error {
	rs := make([]readerStateW, max(len(states), 1))
	for i, s := range states {
		p, err := windows.UTF16PtrFromString(s.Reader)
		if err != nil {
			return &Error{Op: "SCardGetStatusChange", Code: ErrInvalidParameter}
		}
		rs[i].reader = p
		rs[i].current = uint32(s.CurrentState)
	}
	err := call("SCardGetStatusChange", procSCardGetStatusChangeW, h, uintptr(timeout),
		uintptr(unsafe.Pointer(&rs[0])), uintptr(len(states)))
	runtime.KeepAlive(rs)
	for i := range states {
		states[i].EventState = State(rs[i].event)
		l := min(int(rs[i].atrLen), len(rs[i].atr))
		states[i].ATR = append([]byte(nil), rs[i].atr[:l]...)
	}
	return err
}

func sysConnect(h uintptr, reader string, mode ShareMode, protocols Protocol) (uintptr, Protocol, error) {
	name, err := windows.UTF16PtrFromString(reader)
	if err != nil {
		return 0, 0, &Error{Op: "SCardConnect", Code: ErrUnknownReader}
	}
	var card uintptr
	var active uint32
	err = call("SCardConnect", procSCardConnectW, h, uintptr(unsafe.Pointer(name)), uintptr(mode),
		uintptr(protocols), uintptr(unsafe.Pointer(&card)), uintptr(unsafe.Pointer(&active)))
	runtime.KeepAlive(name)
	return card, Protocol(active), err
}

func sysDisconnect(h uintptr, d Disposition) error {
	return call("SCardDisconnect", procSCardDisconnect, h, uintptr(d))
}

func sysReconnect(h uintptr, mode ShareMode, protocols Protocol, init Disposition) (Protocol, error) {
	var active uint32
	err := call("SCardReconnect", procSCardReconnect, h, uintptr(mode), uintptr(protocols), uintptr(init), uintptr(unsafe.Pointer(&active)))
	return Protocol(active), err
}

func sysBeginTransaction(h uintptr) error {
	return call("SCardBeginTransaction", procSCardBeginTransaction, h)
}

func sysEndTransaction(h uintptr, d Disposition) error {
	return call("SCardEndTransaction", procSCardEndTransaction, h, uintptr(d))
}

// ioRequest is SCARD_IO_REQUEST.
type ioRequest struct {
	protocol uint32
	length   uint32
}

func sysTransmit(h uintptr, proto Protocol, cmd, resp []byte) (int, error) {
	pci := &ioRequest{protocol: uint32(proto), length: uint32(unsafe.Sizeof(ioRequest{}))}
	if proto != ProtocolT0 {
		pci.protocol = uint32(ProtocolT1)
	}
	n := uint32(len(resp))
	err := call("SCardTransmit", procSCardTransmit, h, uintptr(unsafe.Pointer(pci)),
		uintptr(unsafe.Pointer(&cmd[0])), uintptr(len(cmd)), 0,
		uintptr(unsafe.Pointer(&resp[0])), uintptr(unsafe.Pointer(&n)))
	runtime.KeepAlive(pci)
	if err != nil {
		return 0, err
	}
	if int(n) > len(resp) {
		return 0, &Error{Op: "SCardTransmit", Code: ErrInsufficientBuffer}
	}
	return int(n), nil
}

// Windows reports the card state of SCardStatus as a number, not flags.
const (
	winPresent = 2 // SCARD_PRESENT
	winPowered = 4 // SCARD_POWERED (5 negotiable and 6 specific are powered too)
)

func sysStatus(h uintptr) (CardStatus, error) {
	name := make([]uint16, 1024)
	nameLen := uint32(len(name))
	var state, proto uint32
	var atr [36]byte
	atrLen := uint32(len(atr))
	err := call("SCardStatus", procSCardStatusW, h, uintptr(unsafe.Pointer(&name[0])), uintptr(unsafe.Pointer(&nameLen)),
		uintptr(unsafe.Pointer(&state)), uintptr(unsafe.Pointer(&proto)), uintptr(unsafe.Pointer(&atr[0])), uintptr(unsafe.Pointer(&atrLen)))
	if err != nil {
		return CardStatus{}, err
	}
	st := CardStatus{
		Present:  state >= winPresent,
		Powered:  state >= winPowered,
		Protocol: Protocol(proto),
		ATR:      append([]byte(nil), atr[:min(int(atrLen), len(atr))]...),
	}
	if names := splitMultiString16(name[:min(int(nameLen), len(name))]); len(names) > 0 {
		st.Reader = names[0]
	}
	return st, nil
}
