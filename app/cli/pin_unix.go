//go:build unix

package cli

import (
	"os"
	"syscall"
)

// openPINFD returns a private duplicate of descriptor fd. Reading through a duplicate
// means that closing it — by pinReader.Close or by the garbage collector — never closes
// the caller's descriptor (which may by then be reused for another file).
func openPINFD(fd int) (*os.File, error) {
	d, err := syscall.Dup(fd)
	if err != nil {
		return nil, err
	}
	syscall.CloseOnExec(d)
	return os.NewFile(uintptr(d), "pin-fd"), nil
}
