package testenv

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// EnvShared overrides where the workplace's shared folder is (the one holding docs/,
// trust-anchors/ and corpus/). By default it is ../shared next to the repository.
const EnvShared = "MYNASIGN_SHARED"

// SharedPath returns the path of elem inside the shared folder: $MYNASIGN_SHARED, or
// ../shared next to the repository root (found from the working directory by its
// go.mod). The conformance corpus is read there in place, never copied into the repo.
func SharedPath(elem ...string) (string, error) {
	root := os.Getenv(EnvShared)
	if root == "" {
		repo, err := repoRoot()
		if err != nil {
			return "", err
		}
		root = filepath.Join(filepath.Dir(repo), "shared")
	}
	return filepath.Join(append([]string{root}, elem...)...), nil
}

// Shared is SharedPath for tests: when the path does not exist the test ends through
// Unavailable (a failure in CI).
func Shared(t testing.TB, elem ...string) string {
	t.Helper()
	p, err := SharedPath(elem...)
	if err == nil {
		_, err = os.Stat(p)
	}
	if err != nil {
		Unavailable(t, "the shared material %s is missing (set %s to the shared folder): %v", filepath.Join(elem...), EnvShared, err)
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
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}
