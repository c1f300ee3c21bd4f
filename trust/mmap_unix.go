//go:build unix

package trust

import (
	"errors"
	"os"
	"syscall"
)

// mapFile maps a file read-only into memory. The mapping stays valid when the file is
// replaced (the store renames new indexes into place, it never rewrites one).
func mapFile(f *os.File, size int64) ([]byte, func() error, error) {
	if size <= 0 || int64(int(size)) != size {
		return nil, nil, errors.New("cannot map an empty or huge file")
	}
	mem, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil, err
	}
	return mem, func() error { return syscall.Munmap(mem) }, nil
}
