package pdf

import (
	"os"
	"path/filepath"
	"testing"

	samplepdf "github.com/mynasign/mynasign/internal/samplepdf"
)

// docSpec is samplepdf.Spec with the short names the tests use.
type docSpec struct {
	pages      int
	xrefStream bool
	acroForm   string
	textField  bool
	annots     string
	noEOL      bool
	padding    int
}

// makePDF writes a sample PDF.
func makePDF(t testing.TB, s docSpec) []byte {
	t.Helper()
	return samplepdf.Make(samplepdf.Spec{Pages: s.pages, XRefStream: s.xrefStream, AcroForm: s.acroForm,
		TextField: s.textField, Annots: s.annots, NoEOL: s.noEOL, Padding: s.padding})
}

// writeTemp writes data to a file in a fresh temporary folder.
func writeTemp(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
