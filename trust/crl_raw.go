package trust

import (
	"bufio"
	"errors"
	"io"
	"os"
	"strings"
)

// rawExt names the file next to a scope's index that holds the CRL itself, in DER: what
// a long-term (B-LT) signature embeds. An index stored by an earlier version has none.
const rawExt = ".crl.der"

// rawPath is the CRL file that goes with the index file index.
func rawPath(index string) string { return strings.TrimSuffix(index, indexExt) + rawExt }

// ErrNoRawCRL: the store holds a CRL's index but not the CRL itself (imported by an
// earlier version): import the CRL again.
var ErrNoRawCRL = errors.New("the CRL store does not hold this CRL's own bytes")

// stageRaw copies the unit's CRL (DER, exactly one element) to a temporary file in the
// store directory and returns its name.
func (s *Store) stageRaw(u crlUnit) (string, error) {
	der, _, closer, err := u.reader()
	if err != nil {
		return "", err
	}
	defer closer.Close()
	f, err := os.CreateTemp(s.dir, ".import-*"+rawExt+".tmp")
	if err != nil {
		return "", err
	}
	fail := func(err error) (string, error) {
		f.Close()
		os.Remove(f.Name())
		return "", err
	}
	d := &derStream{r: der}
	_, length, err := d.header()
	if err != nil {
		return fail(err)
	}
	w := bufio.NewWriter(f)
	w.Write(d.hdr[:d.hdrLen])
	if _, err := io.CopyN(w, der, length); err != nil {
		return fail(err)
	}
	if err := w.Flush(); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	return f.Name(), f.Close()
}

// rawCRL returns the CRL an index describes, in DER: from memory, or from the file next
// to the index file.
func (x *crlIndex) rawCRL() ([]byte, error) {
	if x.der != nil {
		return x.der, nil
	}
	if x.path == "" {
		return nil, ErrNoRawCRL
	}
	b, err := os.ReadFile(rawPath(x.path))
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNoRawCRL
	}
	return b, err
}
