package xades

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/mynasign/mynasign/testdata/testenv"
)

// corpusDir returns the shared XML conformance corpus (../shared/corpus/xml next to the
// repository; MYNASIGN_CORPUS overrides the corpus root). It is read in place, never
// copied into the repository.
func corpusDir(t testing.TB) string {
	t.Helper()
	root := os.Getenv("MYNASIGN_CORPUS")
	if root == "" {
		root = filepath.Join("..", "..", "shared", "corpus")
	}
	dir := filepath.Join(root, "xml")
	if _, err := os.Stat(filepath.Join(dir, "INDEX.md")); err != nil {
		testenv.Unavailable(t, "the shared XML corpus is not at %s (set MYNASIGN_CORPUS)", dir)
	}
	return dir
}

func readCorpus(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(corpusDir(t), rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
