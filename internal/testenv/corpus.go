package testenv

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// CorpusPath returns the path of elem inside the conformance corpus, testdata/corpus of
// the repository (found from the working directory by its go.mod). The corpus is files
// written by other projects; testdata/corpus/MANIFEST.md says where each comes from.
func CorpusPath(elem ...string) (string, error) {
	repo, err := repoRoot()
	if err != nil {
		return "", err
	}
	return filepath.Join(append([]string{repo, "testdata", "corpus"}, elem...)...), nil
}

// Corpus is CorpusPath for tests: when the path does not exist the test fails (the
// corpus is part of the repository, so a missing file is a broken checkout or a wrong
// name, never a reason to skip).
func Corpus(t testing.TB, elem ...string) string {
	t.Helper()
	p, err := CorpusPath(elem...)
	if err == nil {
		_, err = os.Stat(p)
	}
	if err != nil {
		t.Fatalf("the corpus file %s is missing: %v", filepath.Join(elem...), err)
	}
	return p
}

// repoRoot walks up from the working directory to the folder holding go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("testenv: no go.mod above the working directory")
		}
		dir = parent
	}
}
