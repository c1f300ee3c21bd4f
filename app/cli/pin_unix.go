//go:build unix

package cli

import "syscall"

// validFD reports whether fd is an open descriptor.
func validFD(fd int) bool {
	var st syscall.Stat_t
	return syscall.Fstat(fd, &st) == nil
}
