//go:build !unix

package trust

import (
	"errors"
	"os"
)

// mapFile is not used on this system: lookups read records with ReadAt instead (on
// Windows this also keeps index files replaceable while a lookup has one open).
func mapFile(f *os.File, size int64) ([]byte, func() error, error) {
	return nil, nil, errors.New("memory mapping not used on this system")
}
