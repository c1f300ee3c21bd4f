//go:build windows

package cli

import (
	"os"

	"golang.org/x/sys/windows"
)

// openPINFD returns a private duplicate of handle fd, so that closing it never closes
// the caller's handle.
func openPINFD(fd int) (*os.File, error) {
	p := windows.CurrentProcess()
	var h windows.Handle
	if err := windows.DuplicateHandle(p, windows.Handle(fd), p, &h, 0, false, windows.DUPLICATE_SAME_ACCESS); err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(h), "pin-fd"), nil
}
