package trust

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Limits of what one import looks at.
const (
	maxZipEntries  = 10000
	maxDirFiles    = 10000
	maxDirDepth    = 4
	maxPEMLineLen  = 128
	pemFirstWindow = 64 // bytes examined to tell DER from PEM
)

// crlFileExts are the file name endings imported from a folder or a zip (a file named
// explicitly is always imported).
var crlFileExts = []string{".crl", ".der", ".pem", ".arl"}

// crlUnit is one CRL to import: a name for messages, a way to open the raw bytes (again:
// the importer reads each CRL twice), and, for a PEM file, which CRL block it is.
type crlUnit struct {
	name     string
	open     func() (io.ReadCloser, error)
	pemBlock int // -1: DER; else the 0-based index of the CRL block in the PEM file
	size     int // the file's size when it is held in memory (see small), else 0
}

// crlSkip is a file of a folder or zip that was not imported (not named like a CRL).
type crlSkip struct{ name string }

// expandInputs turns the paths the user gave (files, folders, zips) into CRL units. A
// problem with a path is a CRLError naming it. The zip archives stay open for the units
// to read; release closes them (call it when the units are no longer used, also after an
// error).
func expandInputs(paths []string) (units []crlUnit, skipped []crlSkip, release func(), err error) {
	var archives []io.Closer
	release = func() {
		for _, a := range archives {
			a.Close()
		}
	}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, nil, release, &CRLError{File: p, Reason: Message{Key: MsgCRLRead, Args: []string{errText(err)}}, Err: err}
		}
		switch {
		case st.IsDir():
			u, s, err := expandDir(p)
			if err != nil {
				return nil, nil, release, err
			}
			units, skipped = append(units, u...), append(skipped, s...)
		case isZip(p):
			zr, err := zip.OpenReader(p)
			if err != nil {
				return nil, nil, release, &CRLError{File: p, Reason: Message{Key: MsgCRLRead, Args: []string{errText(err)}}, Err: err}
			}
			archives = append(archives, zr)
			u, s, err := expandZip(p, &zr.Reader)
			if err != nil {
				return nil, nil, release, err
			}
			units, skipped = append(units, u...), append(skipped, s...)
		default:
			u, err := fileUnits(p, func() (io.ReadCloser, error) { return os.Open(p) })
			if err != nil {
				return nil, nil, release, err
			}
			units = append(units, u...)
		}
	}
	return units, skipped, release, nil
}

func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// isZip tells a zip archive by its name or its first bytes.
func isZip(path string) bool {
	if strings.EqualFold(filepath.Ext(path), ".zip") {
		return true
	}
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	var magic [4]byte
	if _, err := io.ReadFull(f, magic[:]); err != nil {
		return false
	}
	return string(magic[:]) == "PK\x03\x04" || string(magic[:]) == "PK\x05\x06"
}

func hasCRLExt(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	for _, e := range crlFileExts {
		if ext == e {
			return true
		}
	}
	return false
}

// expandDir lists the CRL files of a folder (and its subfolders, a few levels deep).
func expandDir(root string) ([]crlUnit, []crlSkip, error) {
	var units []crlUnit
	var skipped []crlSkip
	count := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() {
			if p != root && (strings.HasPrefix(d.Name(), ".") || strings.Count(rel, string(filepath.Separator)) >= maxDirDepth) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") || !d.Type().IsRegular() {
			return nil
		}
		if count++; count > maxDirFiles {
			return fmt.Errorf("more than %d files", maxDirFiles)
		}
		if !hasCRLExt(p) {
			skipped = append(skipped, crlSkip{name: p})
			return nil
		}
		u, err := fileUnits(p, func() (io.ReadCloser, error) { return os.Open(p) })
		if err != nil {
			return err
		}
		units = append(units, u...)
		return nil
	})
	if err != nil {
		var ce *CRLError
		if errors.As(err, &ce) {
			return nil, nil, ce
		}
		return nil, nil, &CRLError{File: root, Reason: Message{Key: MsgCRLRead, Args: []string{errText(err)}}, Err: err}
	}
	if len(units) == 0 {
		return nil, nil, crlErr(root, MsgCRLNoFiles)
	}
	return units, skipped, nil
}

// expandZip lists the CRL files of a zip archive, open as zr. The entries are read in
// place (nothing is extracted), so entry names cannot escape anywhere; each unit reads
// its entry through zr, which the caller keeps open (the archive's directory is read
// once, however many entries it has). Entries come in name order; entries with the same
// name are each imported.
func expandZip(path string, zr *zip.Reader) ([]crlUnit, []crlSkip, error) {
	var files []*zip.File
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		if len(files) >= maxZipEntries {
			return nil, nil, crlErr(path, MsgCRLTooLarge, "more than "+strconv.Itoa(maxZipEntries)+" entries")
		}
		files = append(files, f)
	}
	if len(files) == 0 {
		return nil, nil, crlErr(path, MsgCRLEmptyZip)
	}
	sort.SliceStable(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	var units []crlUnit
	var skipped []crlSkip
	for _, f := range files {
		display := path + "!" + f.Name
		if !hasCRLExt(f.Name) {
			skipped = append(skipped, crlSkip{name: display})
			continue
		}
		u, err := fileUnits(display, f.Open)
		if err != nil {
			return nil, nil, err
		}
		units = append(units, u...)
	}
	if len(units) == 0 {
		return nil, nil, crlErr(path, MsgCRLNoFiles)
	}
	return units, skipped, nil
}

// fileUnits looks at a file's first bytes: DER is one unit; a PEM file has one unit per
// CRL block (and must hold nothing else).
func fileUnits(name string, open func() (io.ReadCloser, error)) ([]crlUnit, error) {
	rc, err := open()
	if err != nil {
		return nil, &CRLError{File: name, Reason: Message{Key: MsgCRLRead, Args: []string{errText(err)}}, Err: err}
	}
	defer rc.Close()
	br := bufio.NewReader(rc)
	head, _ := br.Peek(pemFirstWindow)
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	switch {
	case len(trimmed) == 0:
		if len(head) == 0 {
			return nil, crlErr(name, MsgCRLTruncated)
		}
		return nil, crlErr(name, MsgCRLNotCRL)
	case trimmed[0] == 0x30:
		return []crlUnit{{name: name, open: open, pemBlock: -1}}, nil
	case trimmed[0] == '-':
		n, err := countPEMBlocks(br)
		if err != nil {
			var pe *parseError
			if errors.As(err, &pe) {
				return nil, &CRLError{File: name, Reason: Message{Key: pe.key, Args: pe.args}}
			}
			return nil, &CRLError{File: name, Reason: Message{Key: MsgCRLRead, Args: []string{errText(err)}}, Err: err}
		}
		units := make([]crlUnit, n)
		for i := range units {
			units[i] = crlUnit{name: name, open: open, pemBlock: i}
			if n > 1 {
				units[i].name = name + "#" + strconv.Itoa(i+1)
			}
		}
		return units, nil
	default:
		return nil, crlErr(name, MsgCRLNotCRL)
	}
}

// pemScanner walks a PEM file: CRL blocks separated by white space, nothing else.
type pemScanner struct {
	br    *bufio.Reader
	block int  // index of the current block (-1 before the first)
	in    bool // inside a block's base64 body
}

// pemCRLLabels are the labels accepted for a CRL block.
var pemCRLLabels = map[string]bool{"X509 CRL": true, "CRL": true}

// boundary reads the rest of a "-----BEGIN X-----" or "-----END X-----" line (the first
// '-' already consumed) and returns "BEGIN X" or "END X".
func (s *pemScanner) boundary() (string, error) {
	var line []byte
	for {
		c, err := s.br.ReadByte()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", err
		}
		if c == '\n' {
			break
		}
		if len(line) >= maxPEMLineLen {
			return "", refuse(MsgCRLPEMGarbage)
		}
		line = append(line, c)
	}
	l := strings.TrimRight(string(line), "\r \t")
	if !strings.HasPrefix(l, "----") || !strings.HasSuffix(l, "-----") {
		return "", refuse(MsgCRLPEMGarbage)
	}
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(l, "----"), "-----")), nil
}

// nextBlock skips white space up to the next BEGIN line; io.EOF when the file ends.
func (s *pemScanner) nextBlock() error {
	for {
		c, err := s.br.ReadByte()
		if err != nil {
			return err
		}
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case '-':
			b, err := s.boundary()
			if err != nil {
				return err
			}
			label, ok := strings.CutPrefix(b, "BEGIN ")
			if !ok || !pemCRLLabels[label] {
				return refuse(MsgCRLPEMGarbage)
			}
			s.block++
			s.in = true
			return nil
		default:
			return refuse(MsgCRLPEMGarbage)
		}
	}
}

// Read returns base64 characters of the current block; io.EOF at its END line.
func (s *pemScanner) Read(p []byte) (int, error) {
	if !s.in {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) {
		c, err := s.br.ReadByte()
		if err == io.EOF {
			return n, refuse(MsgCRLTruncated)
		}
		if err != nil {
			return n, err
		}
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
		case c == '-':
			b, err := s.boundary()
			if err != nil {
				return n, err
			}
			label, ok := strings.CutPrefix(b, "END ")
			if !ok || !pemCRLLabels[label] {
				return n, refuse(MsgCRLPEMGarbage)
			}
			s.in = false
			if n == 0 {
				return 0, io.EOF
			}
			return n, nil
		case c == '+' || c == '/' || c == '=' || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'):
			p[n] = c
			n++
		default:
			return n, refuse(MsgCRLPEMGarbage) // a header line or binary garbage
		}
	}
	return n, nil
}

// countPEMBlocks checks a PEM file's structure and counts its CRL blocks.
func countPEMBlocks(br *bufio.Reader) (int, error) {
	s := &pemScanner{br: br, block: -1}
	for {
		err := s.nextBlock()
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, err
		}
		if _, err := io.Copy(io.Discard, s); err != nil {
			return 0, err
		}
	}
	if s.block < 0 {
		return 0, refuse(MsgCRLNotCRL)
	}
	return s.block + 1, nil
}

// maxSmallCRL is the size up to which a CRL file is read into memory once, for both
// passes of the importer, instead of being opened and read twice.
const maxSmallCRL = 1 << 20

// small returns the unit reading from memory when its file is at most maxSmallCRL
// bytes (most CRLs: then the file is read once), else the unit itself.
func (u crlUnit) small() (crlUnit, error) {
	rc, err := u.open()
	if err != nil {
		return u, err
	}
	defer rc.Close()
	buf, err := io.ReadAll(io.LimitReader(rc, maxSmallCRL+1))
	if err != nil {
		return u, err
	}
	if len(buf) > maxSmallCRL {
		return u, nil
	}
	m := u
	m.open = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(buf)), nil }
	m.size = len(buf)
	return m, nil
}

// reader opens a unit for parsing: the DER stream of the CRL (a bufio.Reader the parser
// uses as it is), plus a function to call when the CRL has been parsed, which reads the
// rest of the file (checking it holds nothing unexpected) and returns the SHA-256 of the
// whole raw file.
func (u crlUnit) reader() (*bufio.Reader, func() ([]byte, error), io.Closer, error) {
	rc, err := u.open()
	if err != nil {
		return nil, nil, nil, err
	}
	h := sha256.New()
	bufSize := crlReaderBufSize
	if u.size > 0 {
		bufSize = min(bufSize, max(u.size, 512)) // no larger than the file
	}
	raw := bufio.NewReaderSize(io.TeeReader(rc, h), bufSize)
	if u.pemBlock < 0 {
		finish := func() ([]byte, error) {
			if err := onlyWhitespace(raw); err != nil {
				return nil, err
			}
			return h.Sum(nil), nil
		}
		return raw, finish, rc, nil
	}
	s := &pemScanner{br: raw, block: -1}
	for s.block < u.pemBlock {
		if err := s.nextBlock(); err != nil {
			rc.Close()
			if err == io.EOF {
				return nil, nil, nil, refuse(MsgCRLChanged)
			}
			return nil, nil, nil, err
		}
		if s.block < u.pemBlock {
			if _, err := io.Copy(io.Discard, s); err != nil {
				rc.Close()
				return nil, nil, nil, err
			}
		}
	}
	der := bufio.NewReaderSize(&pemErrReader{r: base64.NewDecoder(base64.StdEncoding, s)}, bufSize)
	finish := func() ([]byte, error) {
		// The DER must end exactly where the base64 does.
		if _, err := der.ReadByte(); err != io.EOF {
			if err != nil {
				return nil, err
			}
			return nil, malformed("data after the end of the CRL")
		}
		for {
			err := s.nextBlock()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, err
			}
			if _, err := io.Copy(io.Discard, s); err != nil {
				return nil, err
			}
		}
		return h.Sum(nil), nil
	}
	return der, finish, rc, nil
}

// pemErrReader turns base64 errors into "PEM garbage".
type pemErrReader struct{ r io.Reader }

func (p *pemErrReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if err != nil && err != io.EOF {
		err = pemError(err)
	}
	return n, err
}

func pemError(err error) error {
	var pe *parseError
	if errors.As(err, &pe) {
		return err
	}
	var ce base64.CorruptInputError
	if errors.As(err, &ce) {
		return refuse(MsgCRLPEMGarbage)
	}
	return err
}

// onlyWhitespace reads the rest of r and fails if it holds anything but white space.
func onlyWhitespace(r *bufio.Reader) error {
	for {
		c, err := r.ReadByte()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return malformed("data after the end of the CRL")
		}
	}
}
