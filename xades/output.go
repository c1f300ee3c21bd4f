package xades

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

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

// writeFileAtomic writes data to path through a temporary file in the same folder. It
// refuses to replace an existing file.
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
	dir := filepath.Dir(path)
	tmp, err := tempfile.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return newError(err, MsgSignWrite, err.Error())
	}
	name := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			tempfile.Remove(name)
		}
	}()
	if err := write(tmp); err != nil {
		return newError(err, MsgSignWrite, err.Error())
	}
	if err := tmp.Sync(); err != nil {
		return newError(err, MsgSignWrite, err.Error())
	}
	if err := tmp.Close(); err != nil {
		return newError(err, MsgSignWrite, err.Error())
	}
	if err := os.Chmod(name, 0o644); err != nil {
		return newError(err, MsgSignWrite, err.Error())
	}
	if err := commit(name, func() error { return renameNoReplace(name, path) }); err != nil {
		return err
	}
	ok = true
	syncDir(dir)
	return nil
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

// commit moves a finished temporary output into place unless the process is being
// stopped (tempfile.Commit).
func commit(tmp string, move func() error) error {
	err := tempfile.Commit(tmp, move)
	if errors.Is(err, tempfile.ErrInterrupted) {
		return newError(err, MsgSignWrite, err.Error())
	}
	return err
}

// renameNoReplace moves a finished temporary file to path unless path exists: a hard
// link fails atomically when the target exists; file systems without links fall back to
// a checked rename.
func renameNoReplace(tmp, path string) error {
	if err := os.Link(tmp, path); err == nil {
		os.Remove(tmp)
		return nil
	} else if errors.Is(err, fs.ErrExist) {
		return newError(err, MsgSignOutputExists, path)
	}
	if _, err := os.Lstat(path); err == nil {
		return newError(fs.ErrExist, MsgSignOutputExists, path)
	}
	if err := os.Rename(tmp, path); err != nil {
		return newError(err, MsgSignWrite, err.Error())
	}
	return nil
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
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
	syncDir(tmp)
	if err := check(tmp); err != nil {
		return err
	}
	err = commit(tmp, func() error {
		if _, err := os.Lstat(path); err == nil {
			return newError(fs.ErrExist, MsgSignOutputExists, path)
		}
		if err := os.Rename(tmp, path); err != nil {
			return newError(err, MsgSignWrite, err.Error())
		}
		return nil
	})
	if err != nil {
		return err
	}
	ok = true
	syncDir(parent)
	return nil
}
