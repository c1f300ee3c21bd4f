package xades

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// Output is written next to its final place and renamed into place only when it is
// complete: a crash, a full disk or a card pulled out leaves no partial output, and the
// input is never opened for writing.

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
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return newError(err, MsgSignWrite, err.Error())
	}
	name := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(name)
		}
	}()
	if _, err := tmp.Write(data); err != nil {
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
	if err := renameNoReplace(name, path); err != nil {
		return err
	}
	ok = true
	syncDir(dir)
	return nil
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
// only when check succeeds.
func writeDirAtomic(path string, files map[string][]byte, check func(tmpDir string) error) error {
	parent := filepath.Dir(path)
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(path)+".tmp-")
	if err != nil {
		return newError(err, MsgSignWrite, err.Error())
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(tmp)
		}
	}()
	for name, data := range files {
		if err := checkPlainName(name); err != nil {
			return newError(err, MsgEGovUnsafeEntry, name)
		}
		f, err := os.OpenFile(filepath.Join(tmp, name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return newError(err, MsgSignWrite, err.Error())
		}
		_, werr := f.Write(data)
		serr := f.Sync()
		cerr := f.Close()
		if err := errors.Join(werr, serr, cerr); err != nil {
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
	if _, err := os.Lstat(path); err == nil {
		return newError(fs.ErrExist, MsgSignOutputExists, path)
	}
	if err := os.Rename(tmp, path); err != nil {
		return newError(err, MsgSignWrite, err.Error())
	}
	ok = true
	syncDir(parent)
	return nil
}
