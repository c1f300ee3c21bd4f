package xades

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/mynasign/mynasign/internal/testenv"
)

// corpusDir returns the XML conformance corpus (testdata/corpus/xml).
func corpusDir(t testing.TB) string {
	t.Helper()
	return testenv.Corpus(t, "xml")
}

func readCorpus(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(corpusDir(t), rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
