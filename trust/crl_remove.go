package trust

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/mynasign/mynasign/internal/atomicfile"
)

// ErrUnknownCRL: no CRL with the given identifier is in the store (a mistyped ID, a
// scope removed meanwhile, or a built-in test CRL, which is not in the store).
var ErrUnknownCRL = errors.New("no CRL with this identifier in the CRL store")

// crlIDFromFile returns the identifier of the index file at path (its name without the
// extension): what CRLInfo.ID carries and Remove takes.
func crlIDFromFile(path string) string {
	return strings.TrimSuffix(filepath.Base(path), indexExt)
}

// validCRLID reports whether id has the shape indexFileName gives a scope: 16 hex
// digits of the issuer key, a dash, 16 hex digits of the scope hash. Nothing else can
// name a file in the store (no separators, no "..", no other files).
func validCRLID(id string) bool {
	key, scope, ok := strings.Cut(id, "-")
	return ok && isLowerHex(key, 16) && isLowerHex(scope, 16)
}

func isLowerHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// Remove takes the CRL of one scope out of the store: id is the CRLInfo.ID that List
// returned. It returns the description of the CRL that was removed (for one whose index
// could not be read, only ID and Problem, as List gave); the other scopes are untouched.
// An id that names no stored CRL gives an error matching ErrUnknownCRL.
//
// The removal is atomic for readers: the scope's index is first renamed to a private
// name (a concurrent check sees the CRL or no CRL, never a partial one, and one that
// has it open keeps reading it), then deleted. What is returned is read from that
// renamed file, so it is exactly the CRL that was removed. A removal holds the store's
// lock, as imports do, so it never interleaves with an import's decision.
func (s *Store) Remove(id string) (*CRLInfo, error) {
	if !validCRLID(id) {
		return nil, fmt.Errorf("removing CRL %q: %w", id, ErrUnknownCRL)
	}
	final := filepath.Join(s.dir, id+indexExt)
	st, err := os.Lstat(final)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("removing CRL %s from %s: %w", id, s.dir, ErrUnknownCRL)
	}
	if err != nil {
		return nil, fmt.Errorf("removing CRL %s: %w", id, err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("removing CRL %s: %s is not a regular file: %w", id, final, ErrUnknownCRL)
	}
	unlock, err := s.lock()
	if err != nil {
		return nil, fmt.Errorf("removing CRL %s: %w", id, err)
	}
	defer unlock()
	taken := filepath.Join(s.dir, removingPrefix+id+indexExt+".tmp")
	if err := os.Rename(final, taken); err != nil {
		if errors.Is(err, os.ErrNotExist) { // removed meanwhile
			return nil, fmt.Errorf("removing CRL %s from %s: %w", id, s.dir, ErrUnknownCRL)
		}
		return nil, fmt.Errorf("removing CRL %s: %w", id, err)
	}
	info, herr := readHeaderFile(taken)
	if err := os.Remove(rawPath(final)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("removing CRL %s: %w", id, err)
	}
	if err := os.Remove(taken); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("removing CRL %s: %w", id, err)
	}
	atomicfile.SyncDir(s.dir)
	if herr != nil {
		// An index this package cannot read any more is gone all the same; say only
		// which scope it was and why it could not be read.
		ie, ok := herr.(*IndexError)
		if !ok {
			ie = indexError(final, herr)
		}
		info = &CRLInfo{Problem: ie.Problem()}
	}
	info.ID = id
	return info, nil
}

// removingPrefix names an index being removed (see Remove); removeStaleTemps deletes one
// that an interrupted removal left behind.
const removingPrefix = ".remove-"
