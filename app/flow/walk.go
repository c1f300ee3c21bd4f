package flow

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// A batch first walks its paths into units (cheap: names, sizes and first bytes only),
// then verifies the units in parallel. A unit is one document: a file, a folder or zip
// that a verifier takes as a whole (an e-Gov application), or one entry of a zip.

// unit is one document to verify.
type unit struct {
	name string // what reports call it: a path, or "archive.zip!/dir/file.pdf"
	path string // on disk: a file or a folder; empty for a zip entry
	// For a zip entry: the archive and the entry.
	arc   *archive
	entry *zip.File
	size  int64 // bytes (uncompressed, for a zip entry); 0 for a folder
	err   error // the walk already failed on it; it becomes an error report
}

// archive is a zip opened for its entries; it is closed when its last entry is done.
type archive struct {
	mu      sync.Mutex
	rc      *zip.ReadCloser
	pending int
}

func (a *archive) done() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.pending--
	if a.pending == 0 {
		a.rc.Close()
	}
}

// zipMagic starts every zip file (a local file header; an empty zip starts with the end
// of central directory record).
var zipMagic = [][]byte{[]byte("PK\x03\x04"), []byte("PK\x05\x06")}

func isZip(head []byte) bool {
	for _, m := range zipMagic {
		if bytes.HasPrefix(head, m) {
			return true
		}
	}
	return false
}

// Limits of the walk; they keep a hostile or mistaken input from exhausting the disk or
// the memory.
const (
	maxZipEntries = 100_000 // entries per archive
	maxZipDepth   = 3       // zips inside zips inside zips
)

// walker turns the batch's paths into units.
type walker struct {
	verifiers []Verifier
	maxSize   int64                  // the largest file or zip entry accepted
	maxTotal  int64                  // the most bytes one zip may declare
	ctx       context.Context        // stops extractions when the batch is cancelled
	tmp       func() (string, error) // the batch's temporary folder, made on first use
	units     []*unit
	archives  []*archive
}

// claimed reports whether a verifier takes path (a folder, or a zip file) as one document.
func (w *walker) claimed(path string, head []byte) bool {
	for _, v := range w.verifiers {
		if v.Detect(path, head) {
			return true
		}
	}
	return false
}

// skipName says whether a name found inside a folder or a zip is system clutter rather
// than a submitted file: hidden files, macOS resource forks, Windows thumbnails. A path
// the user names explicitly is never skipped.
func skipName(name string) bool {
	base := path.Base(name)
	if strings.HasPrefix(base, ".") {
		return true
	}
	switch strings.ToLower(base) {
	case "thumbs.db", "desktop.ini":
		return true
	}
	for _, part := range strings.Split(name, "/") {
		if part == "__MACOSX" {
			return true
		}
	}
	return false
}

// add walks one path named by the user.
func (w *walker) add(p string) {
	st, err := os.Stat(p)
	if err != nil {
		w.units = append(w.units, &unit{name: p, path: p, err: err})
		return
	}
	if st.IsDir() {
		root, err := realPath(p)
		if err != nil {
			w.units = append(w.units, &unit{name: p, path: p, err: err})
			return
		}
		w.dir(p, root, nil)
		return
	}
	w.file(p, st, 0, p)
}

// errLinkOutside is a symbolic link inside a chosen folder that leads out of it: the
// walk never follows it (a folder shared or unpacked from elsewhere must not make the
// batch read, and report on, files the user did not choose).
var errLinkOutside = errors.New("a symbolic link leads outside the chosen folder")

// realPath is p absolute, with every symbolic link resolved.
func realPath(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(abs)
}

// within reports whether the resolved path p is root or inside it.
func within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// dir walks a folder: a folder a verifier takes as a whole is one unit, otherwise every
// file in it (recursively, in name order) is. root is the chosen folder, resolved: a
// symbolic link is followed only when it leads to something inside it. ancestors guards
// against symlink loops.
func (w *walker) dir(p, root string, ancestors []os.FileInfo) {
	st, err := os.Stat(p)
	if err != nil {
		w.units = append(w.units, &unit{name: p, path: p, err: err})
		return
	}
	for _, a := range ancestors {
		if os.SameFile(a, st) {
			return // a symlink back up the tree
		}
	}
	if w.claimed(p, nil) {
		w.units = append(w.units, &unit{name: p, path: p})
		return
	}
	entries, err := os.ReadDir(p)
	if err != nil {
		w.units = append(w.units, &unit{name: p, path: p, err: err})
		return
	}
	ancestors = append(ancestors, st)
	for _, e := range entries { // ReadDir sorts by name
		if skipName(e.Name()) {
			continue
		}
		child := filepath.Join(p, e.Name())
		if e.Type()&os.ModeSymlink != 0 {
			if target, err := realPath(child); err == nil && !within(root, target) {
				w.units = append(w.units, &unit{name: child, path: child, err: errLinkOutside})
				continue
			}
		}
		cst, err := os.Stat(child) // follows symlinks (that stay inside root)
		switch {
		case err != nil:
			w.units = append(w.units, &unit{name: child, path: child, err: err})
		case cst.IsDir():
			w.dir(child, root, ancestors)
		case cst.Mode().IsRegular():
			w.file(child, cst, 0, child)
		}
		// Sockets, devices and pipes are not documents: skipped.
	}
}

// file adds a regular file: a zip that no verifier takes as a whole is opened and its
// entries become units; anything else is one unit, recognized later by a worker.
func (w *walker) file(p string, st os.FileInfo, depth int, name string) {
	u := &unit{name: name, path: p, size: st.Size()}
	head, err := ReadHead(p)
	if err != nil {
		u.err = err
		w.units = append(w.units, u)
		return
	}
	if !isZip(head) || w.claimed(p, head) {
		w.units = append(w.units, u)
		return
	}
	if depth >= maxZipDepth {
		u.err = fmt.Errorf("zip nested more than %d deep", maxZipDepth)
		w.units = append(w.units, u)
		return
	}
	rc, err := zip.OpenReader(p)
	if err != nil {
		u.err = fmt.Errorf("reading zip: %w", err)
		w.units = append(w.units, u)
		return
	}
	if len(rc.File) > maxZipEntries {
		rc.Close()
		u.err = fmt.Errorf("zip has %d entries (more than %d)", len(rc.File), maxZipEntries)
		w.units = append(w.units, u)
		return
	}
	if err := checkZipArchive(rc.File, w.maxTotal); err != nil {
		rc.Close()
		u.err = err
		w.units = append(w.units, u)
		return
	}
	arc := &archive{rc: rc}
	files := append([]*zip.File(nil), rc.File...)
	sort.SliceStable(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	for _, f := range files {
		if f.FileInfo().IsDir() || skipName(f.Name) {
			continue
		}
		eu := &unit{name: name + "!/" + f.Name, size: int64(f.UncompressedSize64)}
		if f.UncompressedSize64 > uint64(w.maxSize) {
			eu.err = fmt.Errorf("%w (%d bytes)", errTooLarge, f.UncompressedSize64)
			w.units = append(w.units, eu)
			continue
		}
		if err := checkZipEntry(f); err != nil {
			eu.err = err
			w.units = append(w.units, eu)
			continue
		}
		if w.nestedZip(eu, f, depth) {
			continue
		}
		eu.arc, eu.entry = arc, f
		arc.pending++
		w.units = append(w.units, eu)
	}
	if arc.pending == 0 {
		rc.Close()
	} else {
		w.archives = append(w.archives, arc)
	}
}

// nestedZip extracts an entry that is itself a zip and walks it (unless a verifier takes
// it as a whole, which the walk of the extracted file decides). It reports whether the
// entry was handled that way.
func (w *walker) nestedZip(eu *unit, f *zip.File, depth int) bool {
	rc, err := f.Open()
	if err != nil {
		return false // the worker reports the error
	}
	head := make([]byte, 4)
	n, _ := io.ReadFull(rc, head)
	rc.Close()
	if !isZip(head[:n]) {
		return false
	}
	p, err := w.extract(f)
	if err != nil {
		eu.err = err
		w.units = append(w.units, eu)
		return true
	}
	st, err := os.Stat(p)
	if err != nil {
		eu.err = err
		w.units = append(w.units, eu)
		return true
	}
	w.file(p, st, depth+1, eu.name)
	return true
}

var errTooLarge = errors.New("file too large")

// extract copies a zip entry to a new file in the batch's temporary folder, refusing
// more bytes than the entry declares or than the batch accepts.
func (w *walker) extract(f *zip.File) (string, error) {
	dir, err := w.tmp()
	if err != nil {
		return "", err
	}
	return extractEntry(w.ctx, f, dir, w.maxSize)
}

// extractEntry copies a zip entry into dir (the batch's temporary folder, which package
// tempfile removes on a termination signal) and stops when ctx is cancelled.
func extractEntry(ctx context.Context, e *zip.File, dir string, maxSize int64) (string, error) {
	rc, err := e.Open()
	if err != nil {
		return "", fmt.Errorf("reading zip entry: %w", err)
	}
	defer rc.Close()
	// The temporary name keeps the entry's extension (some verifiers look at it to
	// phrase their messages) but never its path: no zip-slip.
	ext := path.Ext(e.Name)
	if len(ext) > 16 || strings.ContainsAny(ext, `/\:`) {
		ext = ""
	}
	f, err := os.CreateTemp(dir, "entry-*"+ext)
	if err != nil {
		return "", err
	}
	n, err := io.Copy(f, &ctxReader{ctx: ctx, r: io.LimitReader(rc, maxSize+1)})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	switch {
	case err != nil:
		os.Remove(f.Name())
		return "", fmt.Errorf("reading zip entry: %w", err)
	case n > maxSize:
		os.Remove(f.Name())
		return "", fmt.Errorf("%w (more than %d bytes)", errTooLarge, maxSize)
	}
	return f.Name(), nil
}

// ctxReader is a reader that fails once its context is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// walkPaths walks every path in order. Reading errors become units with err set, so that
// each one gets a report.
func (w *walker) walkPaths(paths []string) {
	for _, p := range paths {
		w.add(p)
	}
}
