package xades

import (
	"bytes"
	"os"
	"path/filepath"
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

// IsEGovPackage reports whether path is an e-Gov package: a folder holding a kousei.xml,
// a zip holding exactly one, or a kousei.xml itself (its folder is the package) — in
// each case a kousei.xml whose content is an e-Gov 構成管理XML (IsEGovKousei). The file
// name kousei.xml is part of the e-Gov package format: file references are resolved in
// its folder.
func IsEGovPackage(path string) bool {
	fi, err := os.Stat(path)
	if err != nil {
		return false
	}
	if !fi.IsDir() && !isZipFile(path) && filepath.Base(path) != KouseiName {
		return false
	}
	pkg, err := openPackage(path)
	if err != nil {
		return false
	}
	defer pkg.close()
	return IsEGovKousei(pkg.kouseiData)
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
