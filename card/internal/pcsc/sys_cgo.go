//go:build (linux || darwin || freebsd || openbsd || netbsd) && cgo

package pcsc

/*
#cgo linux pkg-config: libpcsclite
#cgo freebsd openbsd netbsd CFLAGS: -I/usr/local/include -I/usr/local/include/PCSC
#cgo freebsd openbsd netbsd LDFLAGS: -L/usr/local/lib -lpcsclite
#cgo darwin LDFLAGS: -framework PCSC
#include <stdlib.h>
#include <string.h>
#include <PCSC/winscard.h>
#include <PCSC/wintypes.h>

#ifdef __APPLE__
typedef SCARD_READERSTATE_A mn_readerstate;
#else
typedef SCARD_READERSTATE mn_readerstate;
#endif

#define MN_ATR_MAX 36

// The reader-state array is built here, in C, so that its layout (packed on macOS,
// natural elsewhere) is the compiler's business, not ours.
static LONG mn_get_status_change(SCARDCONTEXT ctx, DWORD timeout, char **names,
		DWORD *states, unsigned char *atrs, DWORD *atrlens, DWORD n) {
	mn_readerstate *rs = calloc(n ? n : 1, sizeof *rs);
	if (rs == NULL)
		return SCARD_E_NO_MEMORY;
	for (DWORD i = 0; i < n; i++) {
		rs[i].szReader = names[i];
		rs[i].dwCurrentState = states[2*i];
	}
	LONG rc = SCardGetStatusChange(ctx, timeout, rs, n);
	for (DWORD i = 0; i < n; i++) {
		states[2*i+1] = rs[i].dwEventState;
		DWORD l = rs[i].cbAtr;
		if (l > MN_ATR_MAX || l > sizeof rs[i].rgbAtr)
			l = 0;
		atrlens[i] = l;
		memcpy(atrs + i*MN_ATR_MAX, rs[i].rgbAtr, l);
	}
	free(rs);
	return rc;
}

static LONG mn_transmit(SCARDHANDLE h, DWORD proto, const unsigned char *cmd, DWORD cmdlen,
		unsigned char *resp, DWORD *resplen) {
	const SCARD_IO_REQUEST *pci = (proto == SCARD_PROTOCOL_T0) ? SCARD_PCI_T0 : SCARD_PCI_T1;
	return SCardTransmit(h, pci, cmd, cmdlen, NULL, resp, resplen);
}
*/
import "C"

import "unsafe"

const mnATRMax = C.MN_ATR_MAX

func rc(v C.LONG) uint32 { return uint32(v) }

func sysEstablish() (uintptr, error) {
	var ctx C.SCARDCONTEXT
	if err := check("SCardEstablishContext", rc(C.SCardEstablishContext(C.SCARD_SCOPE_SYSTEM, nil, nil, &ctx))); err != nil {
		return 0, err
	}
	return uintptr(ctx), nil
}

func sysRelease(h uintptr) error {
	return check("SCardReleaseContext", rc(C.SCardReleaseContext(C.SCARDCONTEXT(h))))
}

func sysIsValid(h uintptr) error {
	return check("SCardIsValidContext", rc(C.SCardIsValidContext(C.SCARDCONTEXT(h))))
}

func sysCancel(h uintptr) error {
	return check("SCardCancel", rc(C.SCardCancel(C.SCARDCONTEXT(h))))
}

func sysListReaders(h uintptr) ([]string, error) {
	for attempt := 0; ; attempt++ {
		var n C.DWORD
		if err := check("SCardListReaders", rc(C.SCardListReaders(C.SCARDCONTEXT(h), nil, nil, &n))); err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, nil
		}
		buf := (*C.char)(C.malloc(C.size_t(n)))
		err := check("SCardListReaders", rc(C.SCardListReaders(C.SCARDCONTEXT(h), nil, buf, &n)))
		data := C.GoBytes(unsafe.Pointer(buf), C.int(n))
		C.free(unsafe.Pointer(buf))
		// A reader plugged in between the two calls makes the buffer too small: ask again.
		if attempt < 3 && err != nil && (err.(*Error)).Code == ErrInsufficientBuffer {
			continue
		}
		if err != nil {
			return nil, err
		}
		return splitMultiString(data), nil
	}
}

func sysGetStatusChange(h uintptr, timeout uint32, states []ReaderState) error {
	n := len(states)
	names := (**C.char)(C.calloc(C.size_t(max(n, 1)), C.size_t(unsafe.Sizeof((*C.char)(nil)))))
	defer C.free(unsafe.Pointer(names))
	nameSlice := unsafe.Slice(names, max(n, 1))
	cstates := (*C.DWORD)(C.calloc(C.size_t(2*max(n, 1)), C.size_t(unsafe.Sizeof(C.DWORD(0)))))
	defer C.free(unsafe.Pointer(cstates))
	stateSlice := unsafe.Slice(cstates, 2*max(n, 1))
	atrs := (*C.uchar)(C.calloc(C.size_t(max(n, 1)*mnATRMax), 1))
	defer C.free(unsafe.Pointer(atrs))
	atrlens := (*C.DWORD)(C.calloc(C.size_t(max(n, 1)), C.size_t(unsafe.Sizeof(C.DWORD(0)))))
	defer C.free(unsafe.Pointer(atrlens))
	lenSlice := unsafe.Slice(atrlens, max(n, 1))
	for i := range states {
		nameSlice[i] = C.CString(states[i].Reader)
		stateSlice[2*i] = C.DWORD(states[i].CurrentState)
	}
	defer func() {
		for i := range states {
			C.free(unsafe.Pointer(nameSlice[i]))
		}
	}()
	r := C.mn_get_status_change(C.SCARDCONTEXT(h), C.DWORD(timeout), names, cstates, atrs, atrlens, C.DWORD(n))
	atrBytes := unsafe.Slice((*byte)(unsafe.Pointer(atrs)), max(n, 1)*mnATRMax)
	for i := range states {
		states[i].EventState = State(stateSlice[2*i+1])
		l := int(lenSlice[i])
		states[i].ATR = append([]byte(nil), atrBytes[i*mnATRMax:i*mnATRMax+l]...)
	}
	return check("SCardGetStatusChange", rc(r))
}

func sysConnect(h uintptr, reader string, mode ShareMode, protocols Protocol) (uintptr, Protocol, error) {
	name := C.CString(reader)
	defer C.free(unsafe.Pointer(name))
	var card C.SCARDHANDLE
	var active C.DWORD
	err := check("SCardConnect", rc(C.SCardConnect(C.SCARDCONTEXT(h), name, C.DWORD(mode), C.DWORD(protocols), &card, &active)))
	if err != nil {
		return 0, 0, err
	}
	return uintptr(card), Protocol(active), nil
}

func sysDisconnect(h uintptr, d Disposition) error {
	return check("SCardDisconnect", rc(C.SCardDisconnect(C.SCARDHANDLE(h), C.DWORD(d))))
}

func sysReconnect(h uintptr, mode ShareMode, protocols Protocol, init Disposition) (Protocol, error) {
	var active C.DWORD
	err := check("SCardReconnect", rc(C.SCardReconnect(C.SCARDHANDLE(h), C.DWORD(mode), C.DWORD(protocols), C.DWORD(init), &active)))
	return Protocol(active), err
}

func sysBeginTransaction(h uintptr) error {
	return check("SCardBeginTransaction", rc(C.SCardBeginTransaction(C.SCARDHANDLE(h))))
}

func sysEndTransaction(h uintptr, d Disposition) error {
	return check("SCardEndTransaction", rc(C.SCardEndTransaction(C.SCARDHANDLE(h), C.DWORD(d))))
}

func sysTransmit(h uintptr, proto Protocol, cmd, resp []byte) (int, error) {
	// Both buffers are Go memory without Go pointers in them: cgo lets C use them for
	// the duration of the call.
	n := C.DWORD(len(resp))
	err := check("SCardTransmit", rc(C.mn_transmit(C.SCARDHANDLE(h), C.DWORD(proto),
		(*C.uchar)(unsafe.Pointer(&cmd[0])), C.DWORD(len(cmd)),
		(*C.uchar)(unsafe.Pointer(&resp[0])), &n)))
	if err != nil {
		return 0, err
	}
	if int(n) > len(resp) {
		return 0, &Error{Op: "SCardTransmit", Code: ErrInsufficientBuffer}
	}
	return int(n), nil
}

// pcsc-lite and macOS report the card state of SCardStatus as bit flags.
const (
	cardPresent  = 0x0004 // SCARD_PRESENT
	cardPowered  = 0x0010 // SCARD_POWERED
	cardSpecific = 0x0040 // SCARD_SPECIFIC
)

func sysStatus(h uintptr) (CardStatus, error) {
	var nameLen C.DWORD = 1024
	name := (*C.char)(C.calloc(C.size_t(nameLen), 1))
	defer C.free(unsafe.Pointer(name))
	var state, proto C.DWORD
	var atr [mnATRMax]C.uchar
	var atrLen C.DWORD = mnATRMax
	err := check("SCardStatus", rc(C.SCardStatus(C.SCARDHANDLE(h), name, &nameLen, &state, &proto, &atr[0], &atrLen)))
	if err != nil {
		return CardStatus{}, err
	}
	names := splitMultiString(C.GoBytes(unsafe.Pointer(name), C.int(min(nameLen, 1024))))
	st := CardStatus{
		Present:  state&(cardPresent|cardPowered|cardSpecific) != 0,
		Powered:  state&(cardPowered|cardSpecific) != 0,
		Protocol: Protocol(proto),
		ATR:      C.GoBytes(unsafe.Pointer(&atr[0]), C.int(min(atrLen, mnATRMax))),
	}
	if len(names) > 0 {
		st.Reader = names[0]
	}
	return st, nil
}
