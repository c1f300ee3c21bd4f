//go:build !unix && !windows

package cli

import (
	"errors"
	"os"
)

// openPINFD: descriptors cannot be duplicated portably here, so --pin-fd is refused.
func openPINFD(fd int) (*os.File, error) {
	return nil, errors.ErrUnsupported
}
