//go:build unix

package tempfile

import (
	"errors"
	"syscall"
)

// processEnded reports whether no process has the id pid (signal 0 finds none). A
// process of another user (EPERM) still runs.
func processEnded(pid int) bool {
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}
