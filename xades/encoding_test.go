package xades

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"

	"github.com/mynasign/mynasign/trust"
)

// TestDeclaredEncodingMustMatchTheBytes: the bytes are read as UTF-8; a declaration that
// names another encoding is refused (INDETERMINATE: the document cannot be read as
// declared), also US-ASCII over a file holding other bytes: parsers that honour the
// declaration stop there or read '?', none shows the text that was verified. A file
// that is ASCII indeed (Japanese as character references) is read as declared.
func TestDeclaredEncodingMustMatchTheBytes(t *testing.T) {
	opts := personaOpts(t, "valid")
	pol := testPolicy(t)
	orig, _ := os.ReadFile(sampleXML)
	signed, err := SignXAdES(orig, opts)
	if err != nil {
		t.Fatal(err)
	}
	redeclare := func(data []byte, enc string) []byte {
		return []byte(strings.Replace(string(data), `encoding="UTF-8"`, `encoding="`+enc+`"`, 1))
	}
	sjis, err := japanese.ShiftJIS.NewEncoder().Bytes(redeclare(signed, "Shift_JIS"))
	if err != nil {
		t.Fatal(err)
	}
	ascii := []byte(`<?xml version="1.0" encoding="US-ASCII"?>` + "\n" + `<doc><name>&#x8A66;&#x9A13; ascii</name></doc>`)
	signedASCII, err := SignXAdES(ascii, opts)
	if err != nil {
		t.Fatalf("signing an ASCII document: %v", err)
	}
	refused := map[string][]byte{
		"us-ascii over UTF-8":              redeclare(signed, "us-ascii"),
		"ASCII over UTF-8":                 redeclare(signed, "ASCII"),
		"US-ASCII after a byte order mark": append([]byte("\xEF\xBB\xBF"), signedASCII...),
		"Shift_JIS over Shift_JIS":         sjis,
		"Shift_JIS over ASCII":             []byte(strings.Replace(string(signedASCII), "US-ASCII", "Shift_JIS", 1)),
		"ISO-8859-1 over UTF-8":            redeclare(signed, "ISO-8859-1"),
	}
	for name, data := range refused {
		t.Run(name, func(t *testing.T) {
			rep := Verify("doc.xml", data, pol)
			if rep.Indication != trust.Indeterminate || rep.Error == nil || rep.Error.Key != MsgDocEncoding {
				t.Fatalf("%s %v", rep.Indication, rep.Error)
			}
		})
	}
	t.Run("an ASCII document declared so", func(t *testing.T) {
		if rep := Verify("doc.xml", signedASCII, pol); rep.Indication != trust.TotalPassed {
			t.Fatalf("%s %v", rep.Indication, rep.Error)
		}
	})
	t.Run("signing refuses us-ascii over UTF-8", func(t *testing.T) {
		_, err := SignXAdES(redeclare(orig, "us-ascii"), opts)
		var e *Error
		if !errors.As(err, &e) || e.Key != MsgDocEncoding {
			t.Fatalf("%v", err)
		}
	})
	t.Run("an e-Gov kousei.xml declared us-ascii", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "signed")
		if err := SignEGov(copyDir(t, samplePackages[0]), dir, opts); err != nil {
			t.Fatal(err)
		}
		k, _ := os.ReadFile(filepath.Join(dir, KouseiName))
		os.WriteFile(filepath.Join(dir, KouseiName), redeclare(k, "us-ascii"), 0o644)
		checkOutcome(t, VerifyEGov(dir, pol), outcome{key: MsgDocEncoding, docError: true})
	})
}
