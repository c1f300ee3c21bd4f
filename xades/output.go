package xades

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/mynasign/mynasign/internal/atomicfile"
	"github.com/mynasign/mynasign/internal/tempfile"
)

// Output is written next to its final place and renamed into place only when it is
// complete: a crash, a full disk or a card pulled out leaves no partial output, and the
// input is never opened for writing. The temporary names are registered with package
// tempfile, so that a termination signal removes them too (and no output is put in
// place after it).

// checkDistinct refuses an output that is the input, or that exists already.
func checkDistinct(in, out string) error {
	ai, err1 := filepath.Abs(in)
	ao, err2 := filepath.Abs(out)
	if err1 == nil && err2 == nil && ai == ao {
		return newError(nil, MsgSignSameFile)
	}
	if _, err := os.Lstat(out); err == nil {
		return newError(fs.ErrExist, MsgSignOutputExists, out)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return newError(err, MsgSignWrite, err.Error())
	}
	return nil
}

// writeFileAtomic writes data to path (internal/atomicfile); it refuses to replace an
// existing file.
func writeFileAtomic(path string, data []byte) error {
	return writeAtomic(path, func(w io.Writer) error { _, err := w.Write(data); return err })
}

// writeStringAtomic is writeFileAtomic of a string (a signed document held as one is
// written without a second copy).
func writeStringAtomic(path, data string) error {
	return writeAtomic(path, func(w io.Writer) error { _, err := io.WriteString(w, data); return err })
}

// writeAtomic writes what write puts out to path through a temporary file in the same
// folder, renamed into place when complete. It refuses to replace an existing file.
func writeAtomic(path string, write func(io.Writer) error) error {
	return outputError(atomicfile.Write(path, atomicfile.Options{NoReplace: true, Perm: 0o644}, write), path)
}

// readFileString reads a whole file into a string, in one buffer (no []byte copy is
// kept beside it).
func readFileString(path string, size int64) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	var b strings.Builder
	b.Grow(int(size) + 1)
	if _, err := io.Copy(&b, f); err != nil {
		return "", err
	}
	return b.String(), nil
}

// outputError says why an output could not be put in place: an *Error as it is, an
// output that exists meanwhile, or a write failure (also a termination signal).
func outputError(err error, path string) error {
	var e *Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &e):
		return e
	case errors.Is(err, fs.ErrExist):
		return newError(err, MsgSignOutputExists, path)
	}
	return newError(err, MsgSignWrite, err.Error())
}

// writeDirAtomic creates the folder path with the given files through a temporary
// folder next to it, calls check on the temporary folder, and renames it into place
// only when check succeeds. Each file is written by its function, as a stream.
func writeDirAtomic(path string, files map[string]func(io.Writer) error, check func(tmpDir string) error) error {
	parent := filepath.Dir(path)
	tmp, err := tempfile.MkdirTemp(parent, "."+filepath.Base(path)+".tmp-")
	if err != nil {
		return newError(err, MsgSignWrite, err.Error())
	}
	ok := false
	defer func() {
		if !ok {
			tempfile.Remove(tmp)
		}
	}()
	for name, write := range files {
		if err := checkPlainName(name); err != nil {
			return newError(err, MsgEGovUnsafeEntry, name)
		}
		f, err := os.OpenFile(filepath.Join(tmp, name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return newError(err, MsgSignWrite, err.Error())
		}
		werr := write(f)
		serr := f.Sync()
		cerr := f.Close()
		if err := errors.Join(werr, serr, cerr); err != nil {
			var e *Error
			if errors.As(werr, &e) {
				return e
			}
			return newError(err, MsgSignWrite, err.Error())
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return newError(err, MsgSignWrite, err.Error())
	}
	atomicfile.SyncDir(tmp)
	if err := check(tmp); err != nil {
		return err
	}
	err = outputError(tempfile.Commit(tmp, func() error {
		if _, err := os.Lstat(path); err == nil {
			return newError(fs.ErrExist, MsgSignOutputExists, path)
		}
		if err := os.Rename(tmp, path); err != nil {
			return newError(err, MsgSignWrite, err.Error())
		}
		return nil
	}), path)
	if err != nil {
		return err
	}
	ok = true
	atomicfile.SyncDir(parent)
	return nil
}
