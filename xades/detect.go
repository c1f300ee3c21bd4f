package xades

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// LooksLikeXML reports whether the first bytes of a file look like an XML document: an
// optional UTF-8 byte order mark and white space, then an XML declaration, a comment, a
// processing instruction or a start tag. It is what the app uses to route a file to this
// package; the verifier itself decides everything else.
func LooksLikeXML(head []byte) bool {
	head = bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
	head = bytes.TrimLeft(head, " \t\r\n")
	if len(head) < 2 || head[0] != '<' {
		return false
	}
	switch head[1] {
	case '?', '!':
		return bytes.HasPrefix(head, []byte("<?xml")) || bytes.HasPrefix(head, []byte("<!--")) ||
			bytes.HasPrefix(head, []byte("<?")) || bytes.HasPrefix(head, []byte("<!DOCTYPE"))
	}
	r, _ := utf8.DecodeRune(head[1:])
	return isNameStartRune(r) && r != ':'
}

// IsEGovPackage reports whether path is to be judged as an e-Gov package: a folder
// holding a kousei.xml, a zip holding one, or a kousei.xml itself (its folder is the
// package), where that kousei.xml names 構成情報 or 署名情報 anywhere in its bytes, or is
// not a plain file at all. The file name kousei.xml is part of the e-Gov package format:
// file references are resolved in its folder; names that are kousei.xml where packages
// are unpacked (KOUSEI.XML, …) count too.
//
// It is deliberately wider than what VerifyEGov accepts. A package the e-Gov rules refuse
// (two 構成情報, a second 署名情報, a zip-slip entry, names that are one file, a linked
// kousei.xml) is still an e-Gov package: its kousei.xml must be refused with the reason,
// never verified as plain XMLDSig (where, without attachments, it would pass) nor walked
// as loose files.
func IsEGovPackage(path string) bool {
	fi, err := os.Stat(path)
	if err != nil {
		return false
	}
	switch {
	case fi.IsDir():
		return dirClaimsEGov(path)
	case isZipFile(path):
		return zipClaimsEGov(path)
	case isKouseiName(filepath.Base(path)):
		return dirClaimsEGov(filepath.Dir(path))
	}
	return false
}

// isKouseiName reports whether a file name is kousei.xml where packages are unpacked
// (Windows and macOS: any case, NFC or NFD, trailing dots and spaces dropped).
func isKouseiName(name string) bool { return sameFileKey(name) == sameFileKey(KouseiName) }

// dirClaimsEGov reports whether a folder holds a kousei.xml that claims to be e-Gov's.
func dirClaimsEGov(dir string) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if !isKouseiName(e.Name()) {
			continue
		}
		if !e.Type().IsRegular() {
			return true // a link, a folder, …: refused by VerifyEGov, with the reason
		}
		f, err := os.Open(filepath.Join(dir, e.Name()))
		if err != nil {
			return true // unreadable: VerifyEGov says so
		}
		claims := mentionsEGov(f)
		f.Close()
		if claims {
			return true
		}
	}
	return false
}

// zipClaimsEGov reports whether a zip holds, anywhere, a kousei.xml that claims to be
// e-Gov's.
func zipClaimsEGov(p string) bool {
	zr, err := zip.OpenReader(p)
	if err != nil {
		return false
	}
	defer zr.Close()
	// A zip bomb must not make detection inflate one body per entry: a body several
	// entries name is scanned once, and after MaxXMLSize bytes scanned in all the zip is
	// taken as e-Gov material, for the e-Gov rules (one kousei.xml, entry sizes, layout)
	// to judge or refuse.
	scanned := map[int64]bool{}
	budget := int64(MaxXMLSize)
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, "/") || !isKouseiName(path.Base(f.Name)) {
			continue
		}
		if !f.Mode().IsRegular() {
			return true
		}
		off, err := f.DataOffset()
		if err != nil {
			return true
		}
		if scanned[off] {
			continue
		}
		scanned[off] = true
		if budget <= 0 {
			return true
		}
		rc, err := f.Open()
		if err != nil {
			return true
		}
		cr := &countingReader{r: rc}
		claims := mentionsEGov(cr)
		rc.Close()
		budget -= cr.n
		if claims {
			return true
		}
	}
	return false
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// mentionsEGov reports whether the first MaxXMLSize bytes of r hold the name 構成情報 or
// 署名情報 (in UTF-8), read in blocks: memory stays bounded whatever the file.
func mentionsEGov(r io.Reader) bool {
	words := [][]byte{[]byte(egovInfoName), []byte(egovSigName)}
	const keep = 16 // longer than either word
	buf := make([]byte, 64<<10)
	have := 0
	r = io.LimitReader(r, MaxXMLSize+keep)
	for {
		n, err := r.Read(buf[have:])
		have += n
		for _, w := range words {
			if bytes.Contains(buf[:have], w) {
				return true
			}
		}
		if err != nil {
			return false
		}
		if have > keep {
			copy(buf, buf[have-keep:have])
			have = keep
		}
	}
}

func isZipFile(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 4)
	n, _ := f.Read(head)
	return bytes.Equal(head[:n], []byte("PK\x03\x04")) || bytes.Equal(head[:n], []byte("PK\x05\x06"))
}
