package atomicfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mynasign/mynasign/internal/tempfile"
)

// leftovers lists what is in dir besides the names given.
func leftovers(t *testing.T, dir string, keep ...string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		found := false
		for _, k := range keep {
			found = found || e.Name() == k
		}
		if !found {
			out = append(out, e.Name())
		}
	}
	return out
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	if err := WriteFile(path, []byte("one"), Options{Perm: 0o644}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "one" {
		t.Fatalf("content %q", b)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", fi.Mode().Perm())
	}
	// Replacing is the default.
	if err := WriteFile(path, []byte("two"), Options{}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "two" {
		t.Fatalf("content after replacing %q", b)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want the temporary file's 0600", fi.Mode().Perm())
	}
	// NoReplace refuses, and leaves the old file and no temporary file.
	err := WriteFile(path, []byte("three"), Options{NoReplace: true})
	if !errors.Is(err, fs.ErrExist) {
		t.Fatalf("NoReplace over an existing file: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "two" {
		t.Fatalf("the refused write changed the file: %q", b)
	}
	if l := leftovers(t, dir, "out.txt"); len(l) != 0 {
		t.Errorf("left behind: %v", l)
	}
	if p := tempfile.Pending(); len(p) != 0 {
		t.Errorf("still registered: %v", p)
	}
}

// TestWriteFailure: a writer that fails leaves nothing, not even a temporary file, and
// the destination untouched.
func TestWriteFailure(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk full")
	err := Write(path, Options{}, func(w io.Writer) error {
		io.WriteString(w, strings.Repeat("x", 1<<16))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Fatalf("destination changed: %q", b)
	}
	if l := leftovers(t, dir, "out.txt"); len(l) != 0 {
		t.Errorf("left behind: %v", l)
	}
}

// TestCreateTempAndMove: the temporary file is hidden next to the destination and
// registered (a termination signal would remove it) until it is moved.
func TestCreateTempAndMove(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "signed.pdf")
	f, err := CreateTemp(path)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(f.Name()) != dir || !strings.HasPrefix(filepath.Base(f.Name()), ".signed.pdf.tmp-") {
		t.Errorf("temporary name %s", f.Name())
	}
	registered := false
	for _, p := range tempfile.Pending() {
		registered = registered || p == f.Name()
	}
	if !registered {
		t.Error("the temporary file is not registered for cleanup")
	}
	f.WriteString("%PDF")
	if err := Commit(f, path, Options{NoReplace: true}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "%PDF" {
		t.Fatalf("content %q", b)
	}
	if l := leftovers(t, dir, "signed.pdf"); len(l) != 0 {
		t.Errorf("left behind: %v", l)
	}
	if p := tempfile.Pending(); len(p) != 0 {
		t.Errorf("still registered: %v", p)
	}
}
