package cli

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	samplepdf "github.com/mynasign/mynasign/internal/samplepdf"
	"github.com/mynasign/mynasign/internal/testpki"
)

// childEnv makes the test binary run the CLI (Main, with its signal handling) instead
// of the tests (TestMain): the signal tests start it as a separate process.
const childEnv = "MYNASIGN_CLI_TEST_CHILD"

// startChild starts the CLI with args in a new process whose temporary folder is tmp;
// pin, when set, is readable on --pin-fd 3.
func startChild(t *testing.T, tmp, pin string, args ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), childEnv+"=1", "TMPDIR="+tmp, "MYNASIGN_LANG=en")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if pin != "" {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		w.WriteString(pin + "\n")
		w.Close()
		defer r.Close()
		cmd.ExtraFiles = []*os.File{r}
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &out
}

// waitFor polls until found reports something (true) or the child ends (false).
func waitFor(cmd *exec.Cmd, done <-chan error, found func() bool) bool {
	for {
		select {
		case <-done:
			return false
		default:
		}
		if found() {
			return true
		}
		time.Sleep(time.Millisecond)
	}
}

// hidden reports whether dir holds a temporary name (a leading dot).
func hidden(dir string) func() bool {
	return func() bool {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".") {
				return true
			}
		}
		return false
	}
}

// extracted reports whether a folder in dir holds something (a batch's temporary folder
// with an extracted entry in it).
func extracted(dir string) func() bool {
	return func() bool {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if sub, _ := os.ReadDir(filepath.Join(dir, e.Name())); len(sub) > 0 {
				return true
			}
		}
		return false
	}
}

func listAll(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if p != dir {
			out = append(out, p)
		}
		return nil
	})
	return out
}

func sum(t *testing.T, p string) [32]byte {
	t.Helper()
	h := sha256.New()
	filepath.WalkDir(p, func(q string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			f, _ := os.Open(q)
			io.WriteString(h, q)
			io.Copy(h, f)
			f.Close()
		}
		return nil
	})
	var s [32]byte
	copy(s[:], h.Sum(nil))
	return s
}

// interrupt runs the CLI in a child process, sends it SIGTERM once busy reports that
// its temporary output exists, and checks that it ended through its signal handling
// (exit 143) and that neither outDir nor its temporary folder holds anything. A child
// that finished before the signal reached it proves nothing: the run is repeated with
// an input made twice as big by grow.
func interrupt(t *testing.T, outDir string, pin string, grow func(size int64) []string, busy func(tmp string) func() bool) {
	t.Helper()
	for size := int64(64 << 20); size <= 1<<30; size *= 2 {
		args := grow(size)
		in := args[len(args)-1]
		before := sum(t, in)
		tmp := t.TempDir()
		cmd, out := startChild(t, tmp, pin, args...)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		if !waitFor(cmd, done, busy(tmp)) {
			t.Logf("%d MB: finished before a temporary output was seen; again with a bigger input", size>>20)
			cleanOut(t, outDir)
			continue
		}
		cmd.Process.Signal(syscall.SIGTERM)
		err := <-done
		var ee *exec.ExitError
		code := 0
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		}
		if code != 128+int(syscall.SIGTERM) {
			if code == 0 {
				t.Logf("%d MB: finished before SIGTERM arrived; again with a bigger input", size>>20)
				cleanOut(t, outDir)
				continue
			}
			t.Fatalf("exit %d after SIGTERM, want 143\n%s", code, out)
		}
		if left := listAll(t, outDir); len(left) > 0 {
			t.Errorf("left in the output folder after SIGTERM: %v", left)
		}
		if left := listAll(t, tmp); len(left) > 0 {
			t.Errorf("left in the temporary folder after SIGTERM: %v", left)
		}
		if sum(t, in) != before {
			t.Errorf("the input changed")
		}
		return
	}
	t.Fatal("every run finished before SIGTERM could reach it")
}

func cleanOut(t *testing.T, dir string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		os.RemoveAll(filepath.Join(dir, e.Name()))
	}
}

// bigPackage writes an e-Gov package folder (the shinsei-1 sample) whose attachment is
// size bytes (sparse: holes read as zeros).
func bigPackage(t *testing.T, dir string, size int64) string {
	t.Helper()
	pkg := filepath.Join(dir, "shinsei")
	os.RemoveAll(pkg)
	if err := os.CopyFS(pkg, os.DirFS(filepath.Join("..", "..", "testdata", "egov", "shinsei-1"))); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(filepath.Join(pkg, "tenpu_01.pdf"), size); err != nil {
		t.Fatal(err)
	}
	return pkg
}

// TestSIGTERMWhileSigningLeavesNoTemporaryFiles: SIGTERM in the middle of signing (the
// software card, in-process) removes the partial output — a PDF, the copy of an e-Gov
// application folder, a signed e-Gov zip — and leaves nothing in the temporary folder.
func TestSIGTERMWhileSigningLeavesNoTemporaryFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("writes inputs of 64 MB and more")
	}
	crl := t.TempDir()
	t.Run("pdf", func(t *testing.T) {
		in, out := t.TempDir(), t.TempDir()
		interrupt(t, out, testpki.SignPassword, func(size int64) []string {
			p := filepath.Join(in, "big.pdf")
			if err := os.WriteFile(p, samplepdf.Make(samplepdf.Spec{Padding: int(size)}), 0o644); err != nil {
				t.Fatal(err)
			}
			return []string{"sign", "--pin-fd", "3", "--profile", "pades", "--testcard", "--crl-dir", crl, "-o", filepath.Join(out, "big-signed.pdf"), p}
		}, func(string) func() bool { return hidden(out) })
	})
	t.Run("egov-folder", func(t *testing.T) {
		in, out := t.TempDir(), t.TempDir()
		interrupt(t, out, testpki.SignPassword, func(size int64) []string {
			pkg := bigPackage(t, in, size)
			return []string{"sign", "--pin-fd", "3", "--profile", "egov", "--testcard", "--crl-dir", crl, "-o", filepath.Join(out, "signed"), pkg}
		}, func(string) func() bool { return hidden(out) })
	})
	t.Run("egov-zip", func(t *testing.T) {
		in, out := t.TempDir(), t.TempDir()
		interrupt(t, out, testpki.SignPassword, func(size int64) []string {
			pkg := bigPackage(t, in, size)
			z := filepath.Join(in, "shinsei.zip")
			storeZip(t, pkg, z)
			return []string{"sign", "--pin-fd", "3", "--profile", "egov", "--testcard", "--crl-dir", crl, "-o", filepath.Join(out, "signed.zip"), z}
		}, func(string) func() bool { return hidden(out) })
	})
}

// storeZip zips the folder src (its files under its name, uncompressed) into dst.
func storeZip(t *testing.T, src, dst string) {
	t.Helper()
	f, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	entries, _ := os.ReadDir(src)
	for _, e := range entries {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: filepath.Base(src) + "/" + e.Name(), Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		r, _ := os.Open(filepath.Join(src, e.Name()))
		io.Copy(w, r)
		r.Close()
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

// TestSIGTERMDuringBatchLeavesNoTemporaryFiles: a batch verification stopped by SIGTERM
// while it extracts a zip entry removes its temporary folder.
func TestSIGTERMDuringBatchLeavesNoTemporaryFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("writes inputs of 64 MB and more")
	}
	in := t.TempDir()
	crl := t.TempDir()
	interrupt(t, t.TempDir(), "", func(size int64) []string {
		z := filepath.Join(in, "big.zip")
		f, err := os.Create(z)
		if err != nil {
			t.Fatal(err)
		}
		zw := zip.NewWriter(f)
		for _, name := range []string{"a.xml", "b.xml"} {
			w, _ := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
			io.WriteString(w, "<doc>")
			io.Copy(w, io.LimitReader(spaces{}, size))
			io.WriteString(w, "</doc>")
		}
		zw.Close()
		f.Close()
		return []string{"verify", "--jobs", "1", "--trust", "test", "--crl-dir", crl, z}
	}, extracted)
}

type spaces struct{}

func (spaces) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

// TestKilledBatchIsSweptByTheNext: a batch killed outright (SIGKILL: no clean-up is
// possible) leaves its temporary folder; the next batch removes it.
func TestKilledBatchIsSweptByTheNext(t *testing.T) {
	if testing.Short() {
		t.Skip("writes inputs of 64 MB and more")
	}
	in, crl, tmp := t.TempDir(), t.TempDir(), t.TempDir()
	z := filepath.Join(in, "big.zip")
	for size := int64(64 << 20); ; size *= 2 {
		if size > 1<<30 {
			t.Fatal("every batch finished before SIGKILL could reach it")
		}
		f, err := os.Create(z)
		if err != nil {
			t.Fatal(err)
		}
		zw := zip.NewWriter(f)
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: "a.xml", Method: zip.Store})
		io.WriteString(w, "<doc>")
		io.Copy(w, io.LimitReader(spaces{}, size))
		io.WriteString(w, "</doc>")
		zw.Close()
		f.Close()
		cmd, _ := startChild(t, tmp, "", "verify", "--trust", "test", "--crl-dir", crl, z)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		if !waitFor(cmd, done, extracted(tmp)) {
			continue
		}
		cmd.Process.Kill()
		<-done
		if len(listAll(t, tmp)) > 0 {
			break // killed with its temporary folder in place
		}
	}
	// The next batch that needs a temporary folder (a zip entry) sweeps.
	zs := filepath.Join(in, "small.zip")
	f, _ := os.Create(zs)
	zw := zip.NewWriter(f)
	w, _ := zw.Create("b.xml")
	io.WriteString(w, "<doc/>")
	zw.Close()
	f.Close()
	cmd, out := startChild(t, tmp, "", "verify", "--trust", "test", "--crl-dir", crl, zs)
	cmd.Wait()
	if left := listAll(t, tmp); len(left) > 0 {
		t.Errorf("left in the temporary folder after the next batch: %v\n%s", left, out)
	}
}
