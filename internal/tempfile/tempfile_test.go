package tempfile

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mynasign/mynasign/internal/testenv"
)

// reset undoes Cleanup, for the next test.
func reset() {
	reg.Lock()
	reg.closed = false
	reg.paths = map[string]bool{}
	reg.Unlock()
}

func exists(p string) bool { _, err := os.Lstat(p); return err == nil }

func TestCleanupRemovesWhatIsPending(t *testing.T) {
	defer reset()
	dir := t.TempDir()
	f, err := CreateTemp(dir, ".out-*")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	d, err := MkdirTemp(dir, ".pkg-*")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(d, "inner"), []byte("personal data"), 0o600)
	done, err := CreateTemp(dir, ".done-*")
	if err != nil {
		t.Fatal(err)
	}
	done.Close()
	final := filepath.Join(dir, "final")
	if err := Commit(done.Name(), func() error { return os.Rename(done.Name(), final) }); err != nil {
		t.Fatal(err)
	}
	gone, _ := CreateTemp(dir, ".gone-*")
	gone.Close()
	Remove(gone.Name())
	if len(Pending()) != 2 {
		t.Errorf("pending %v, want the file and the folder", Pending())
	}

	Cleanup()
	for _, p := range []string{f.Name(), d} {
		if exists(p) {
			t.Errorf("%s survived Cleanup", p)
		}
	}
	if !exists(final) {
		t.Error("Cleanup removed a committed output")
	}
	if _, err := CreateTemp(dir, "x-*"); !errors.Is(err, ErrInterrupted) {
		t.Errorf("CreateTemp after Cleanup: %v", err)
	}
	if _, err := MkdirTemp(dir, "x-*"); !errors.Is(err, ErrInterrupted) {
		t.Errorf("MkdirTemp after Cleanup: %v", err)
	}
	called := false
	if err := Commit(f.Name(), func() error { called = true; return nil }); !errors.Is(err, ErrInterrupted) || called {
		t.Errorf("Commit after Cleanup: %v (move called: %v)", err, called)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d entries left, want only the committed output", len(entries))
	}
}

const childEnv = "TEMPFILE_TEST_CHILD"

func TestMain(m *testing.M) {
	if dir := os.Getenv(childEnv); dir != "" {
		// An operation that ignores its context: only the grace period ends it.
		WatchSignals(context.Background(), 200*time.Millisecond)
		f, err := CreateTemp(dir, ".partial-*")
		if err != nil {
			os.Exit(3)
		}
		f.WriteString("partial")
		os.WriteFile(filepath.Join(dir, "ready"), nil, 0o644)
		time.Sleep(time.Minute)
		os.Exit(4)
	}
	os.Exit(m.Run())
}

// TestSignalEndsAStuckOperation: SIGTERM removes the temporary files at once, and
// exits with status 143 when the operation does not end within the grace period.
func TestSignalEndsAStuckOperation(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), childEnv+"="+dir)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for !exists(filepath.Join(dir, "ready")) {
		time.Sleep(time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 143 {
		t.Fatalf("child ended with %v, want exit status 143", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left: %v, want only the ready marker", entries)
	}
}

// TestStaleFoldersOfEndedProcessesAreSwept: MkdirSystemTemp removes the folders that a
// process which no longer runs left behind, and keeps those of running processes.
func TestStaleFoldersOfEndedProcessesAreSwept(t *testing.T) {
	defer reset()
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	ended := exec.Command("true")
	if err := ended.Run(); err != nil {
		testenv.Unavailable(t, "true(1) cannot be run: %v", err)
	}
	dead := filepath.Join(tmp, "mynasign-batch-"+strconv.Itoa(ended.Process.Pid)+"-123")
	os.MkdirAll(filepath.Join(dead, "inner"), 0o700)
	os.WriteFile(filepath.Join(dead, "inner", "entry.pdf"), []byte("personal data"), 0o600)
	alive := filepath.Join(tmp, "mynasign-batch-"+strconv.Itoa(os.Getppid())+"-456")
	os.Mkdir(alive, 0o700)
	other := filepath.Join(tmp, "mynasign-sign-"+strconv.Itoa(ended.Process.Pid)+"-789")
	os.Mkdir(other, 0o700)

	d, err := MkdirSystemTemp("mynasign-batch")
	if err != nil {
		t.Fatal(err)
	}
	if exists(dead) {
		t.Error("the folder of an ended process was kept")
	}
	if !exists(alive) || !exists(other) || !exists(d) {
		t.Error("a folder of a running process, of another prefix, or the new one was removed")
	}
	if filepath.Dir(d) != tmp || !strings.HasPrefix(filepath.Base(d), "mynasign-batch-"+strconv.Itoa(os.Getpid())+"-") {
		t.Errorf("new folder %s", d)
	}
}
