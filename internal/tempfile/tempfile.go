// Package tempfile keeps track of the temporary files and folders of the process, so that
// none stays behind when the process is told to stop.
//
// Signing writes its output next to the final place under a temporary name and renames it
// when it is complete; a batch verification extracts zip entries into a temporary folder.
// Each is made with CreateTemp or MkdirTemp of this package, which registers the path,
// and ends with Remove or Commit, which forget it. WatchSignals (in the CLI and GUI entry
// points) runs Cleanup on SIGINT or SIGTERM: every registered path is removed, and from
// then on no temporary path can be created or committed, so that an operation still
// running cannot put a partial output in place or leave a new temporary file.
//
// A process killed outright (SIGKILL, power loss) cannot clean up; its temporary names
// start with a dot next to the output, or with "mynasign-" in the system's temporary
// folder.
package tempfile

import (
	"errors"
	"os"
	"sync"
)

// ErrInterrupted is returned by CreateTemp, MkdirTemp and Commit once Cleanup has begun.
var ErrInterrupted = errors.New("interrupted: temporary files were removed")

var reg = struct {
	sync.Mutex
	paths  map[string]bool
	closed bool
}{paths: map[string]bool{}}

// CreateTemp is os.CreateTemp for a file that Cleanup removes unless it is committed
// or removed first.
func CreateTemp(dir, pattern string) (*os.File, error) {
	reg.Lock()
	defer reg.Unlock()
	if reg.closed {
		return nil, ErrInterrupted
	}
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	reg.paths[f.Name()] = true
	return f, nil
}

// MkdirTemp is os.MkdirTemp for a folder that Cleanup removes (with everything in it)
// unless it is committed or removed first.
func MkdirTemp(dir, pattern string) (string, error) {
	reg.Lock()
	defer reg.Unlock()
	if reg.closed {
		return "", ErrInterrupted
	}
	p, err := os.MkdirTemp(dir, pattern)
	if err != nil {
		return "", err
	}
	reg.paths[p] = true
	return p, nil
}

// Remove removes a registered path with everything in it and forgets it.
func Remove(path string) error {
	reg.Lock()
	delete(reg.paths, path)
	reg.Unlock()
	return os.RemoveAll(path)
}

// Commit runs move, which gives the finished temporary path its final name (a rename or
// a link), and forgets the path when move succeeds. It holds off Cleanup while move runs,
// and fails with ErrInterrupted, without calling move, once Cleanup has begun: an output
// is either wholly in place or not there.
func Commit(path string, move func() error) error {
	reg.Lock()
	defer reg.Unlock()
	if reg.closed {
		return ErrInterrupted
	}
	if err := move(); err != nil {
		return err
	}
	delete(reg.paths, path)
	return nil
}

// Cleanup removes every registered path. From then on CreateTemp, MkdirTemp and Commit
// fail with ErrInterrupted; the process is expected to end.
func Cleanup() {
	reg.Lock()
	defer reg.Unlock()
	reg.closed = true
	for p := range reg.paths {
		os.RemoveAll(p)
		delete(reg.paths, p)
	}
}

// Pending lists the registered paths (for tests).
func Pending() []string {
	reg.Lock()
	defer reg.Unlock()
	out := make([]string, 0, len(reg.paths))
	for p := range reg.paths {
		out = append(out, p)
	}
	return out
}
