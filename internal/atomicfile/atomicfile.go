// Package atomicfile writes files so that no reader, crash or termination signal ever
// sees part of one: the content goes to a temporary file in the destination's folder
// (registered with package tempfile, so that a termination signal removes it), is
// synced, and is renamed into place; the folder is synced after the rename. Either the
// old file (or none) or the complete new one is there, never a mixture.
//
// Write and WriteFile do it all; a caller that checks the complete temporary file before
// it is put in place (the signers verify their output) uses CreateTemp and Commit.
package atomicfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/mynasign/mynasign/internal/tempfile"
)

// Options are the choices of a write.
type Options struct {
	// NoReplace refuses an existing destination (an error that is fs.ErrExist) instead
	// of replacing it: the signers never overwrite a file.
	NoReplace bool
	// Perm is the file's permission bits; zero keeps the temporary file's 0600 (the
	// stores of the app, which only its user reads).
	Perm fs.FileMode
}

// ErrInterrupted is tempfile.ErrInterrupted: the process is being stopped, so nothing
// was put in place.
var ErrInterrupted = tempfile.ErrInterrupted

// Write writes path with what write puts out.
func Write(path string, opts Options, write func(io.Writer) error) error {
	f, err := CreateTemp(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		tempfile.Remove(f.Name())
		return err
	}
	return Commit(f, path, opts)
}

// WriteFile writes data to path.
func WriteFile(path string, data []byte, opts Options) error {
	return Write(path, opts, func(w io.Writer) error { _, err := w.Write(data); return err })
}

// CreateTemp creates the temporary file for path, next to it: a hidden name derived from
// path's, which a termination signal removes.
func CreateTemp(path string) (*os.File, error) {
	return tempfile.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
}

// Commit syncs and closes the temporary file f, then moves it to path and syncs the
// folder; on any failure f is removed and path is left as it was.
func Commit(f *os.File, path string, opts Options) error {
	tmp := f.Name()
	err := f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && opts.Perm != 0 {
		err = os.Chmod(tmp, opts.Perm)
	}
	if err == nil {
		err = Move(tmp, path, opts)
	}
	if err != nil {
		tempfile.Remove(tmp)
	}
	return err
}

// Move puts the complete, closed temporary file tmp (made by CreateTemp) in place at
// path and syncs the folder. After a termination signal it refuses (ErrInterrupted).
func Move(tmp, path string, opts Options) error {
	move := func() error { return os.Rename(tmp, path) }
	if opts.NoReplace {
		move = func() error { return renameNoReplace(tmp, path) }
	}
	if err := tempfile.Commit(tmp, move); err != nil {
		return err
	}
	SyncDir(filepath.Dir(path))
	return nil
}

// renameNoReplace moves tmp to path unless path exists: a hard link fails atomically
// when the target exists; file systems without links fall back to a checked rename.
func renameNoReplace(tmp, path string) error {
	err := os.Link(tmp, path)
	switch {
	case err == nil:
		os.Remove(tmp)
		return nil
	case errors.Is(err, fs.ErrExist):
		return &fs.PathError{Op: "create", Path: path, Err: fs.ErrExist}
	}
	if _, err := os.Lstat(path); err == nil {
		return &fs.PathError{Op: "create", Path: path, Err: fs.ErrExist}
	}
	return os.Rename(tmp, path)
}

// SyncDir flushes a change of dir's entries to disk where the system supports it (a
// rename is durable only once its folder is synced).
func SyncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
