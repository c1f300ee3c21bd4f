package xades

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/mynasign/mynasign/internal/testenv"
	"github.com/mynasign/mynasign/internal/testpki"
)

// The memory benchmarks run each operation in a child process (this test binary, re-run
// with memChildEnv set) and read the child's peak resident set from its rusage, so that
// the figure is the operation's own high-water mark and not the benchmark's.

const memChildEnv = "MYNASIGN_XADES_MEM_CHILD" // "sign IN OUT" or "verify IN"

// TestMemoryChild is the child side of the memory benchmarks; it does nothing unless
// memChildEnv is set.
func TestMemoryChild(t *testing.T) {
	args := strings.Fields(os.Getenv(memChildEnv))
	if len(args) == 0 {
		t.Skip("only run as the child of a memory benchmark")
	}
	switch args[0] {
	case "sign":
		if err := SignXAdESFile(args[1], args[2], personaOpts(t, "valid")); err != nil {
			t.Fatal(err)
		}
		fmt.Println("RESULT signed")
	case "verify":
		data, err := os.ReadFile(args[1])
		if err != nil {
			t.Fatal(err)
		}
		rep := Verify(filepath.Base(args[1]), data, testPolicy(t))
		ind := "none"
		if len(rep.Signatures) > 0 {
			ind = string(rep.Signatures[0].Indication)
		}
		fmt.Printf("RESULT %s %d\n", ind, len(rep.Signatures))
	}
}

// runMemChild runs one operation in a child process and returns what it printed after
// RESULT and its peak RSS in bytes.
func runMemChild(tb testing.TB, op string) (string, int64) {
	tb.Helper()
	cmd := exec.Command(os.Args[0], "-test.run", "^TestMemoryChild$", "-test.count", "1")
	cmd.Env = append(os.Environ(), memChildEnv+"="+op)
	out, err := cmd.CombinedOutput()
	if err != nil {
		tb.Fatalf("%s: %v\n%s", op, err, out)
	}
	var result string
	for _, line := range strings.Split(string(out), "\n") {
		if r, ok := strings.CutPrefix(line, "RESULT "); ok {
			result = r
		}
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		tb.Fatal("no rusage")
	}
	return result, ru.Maxrss << 10 // KiB on Linux
}

// TestMemoryHarness runs the memory benchmarks' children on a small document of tiny
// elements: signing succeeds and its output verifies TOTAL-PASSED (the figures are the
// benchmark's business, not the test's).
func TestMemoryHarness(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "tiny.xml"), filepath.Join(dir, "tiny-signed.xml")
	if err := testenv.WriteTinyXML(in, 1<<20); err != nil {
		t.Fatal(err)
	}
	if r, _ := runMemChild(t, "sign "+in+" "+out); r != "signed" {
		t.Fatalf("sign: %q", r)
	}
	if r, _ := runMemChild(t, "verify "+out); r != "TOTAL-PASSED 1" {
		t.Fatalf("verify: %q", r)
	}
}

// BenchmarkMemoryXML signs and verifies documents of 20 MB (and of 200 MB with
// MYNASIGN_BENCH_XML_200MB=1: minutes and several GB per run, too much for make bench's
// six counts), each operation in a child process, and reports its peak RSS; xmlsec1
// --verify of the same signed file is the peer. Two shapes: tiny elements (<a>x</a>: a
// tree node for every four bytes, the worst shape for memory) and the application-like
// records of benchDoc. The documents are generated into a temporary folder and removed
// afterwards.
func BenchmarkMemoryXML(b *testing.B) {
	dir := b.TempDir()
	p, err := testpki.PersonaByID("valid")
	if err != nil {
		b.Fatal(err)
	}
	certFile := filepath.Join(dir, "signer.pem")
	writePEM(b, certFile, "CERTIFICATE", p.SignCert.Raw)
	shapes := []struct {
		name  string
		write func(path string, size int64) error
	}{
		{"tiny", testenv.WriteTinyXML},
		{"records", func(path string, size int64) error { return os.WriteFile(path, benchDoc(int(size)), 0o644) }},
	}
	for _, c := range []struct {
		shape int
		mb    int64
	}{{0, 20}, {1, 20}, {0, 200}, {1, 200}} {
		shape, mb := shapes[c.shape], c.mb
		if mb > 20 && os.Getenv("MYNASIGN_BENCH_XML_200MB") == "" {
			continue
		}
		in := filepath.Join(dir, fmt.Sprintf("%s-%dMB.xml", shape.name, mb))
		out := filepath.Join(dir, fmt.Sprintf("%s-%dMB-signed.xml", shape.name, mb))
		if err := shape.write(in, mb<<20); err != nil {
			b.Fatal(err)
		}
		report := func(b *testing.B, peak int64) {
			b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MiB")
			b.ReportMetric(float64(peak)/float64(mb<<20), "RSS/size")
		}
		b.Run(fmt.Sprintf("sign/%s/%dMB", shape.name, mb), func(b *testing.B) {
			var peak int64
			for b.Loop() {
				os.Remove(out)
				r, rss := runMemChild(b, "sign "+in+" "+out)
				if r != "signed" {
					b.Fatalf("sign: %q", r)
				}
				peak = max(peak, rss)
			}
			report(b, peak)
		})
		if _, err := os.Stat(out); err != nil {
			b.Fatal("no signed document: ", err)
		}
		b.Run(fmt.Sprintf("verify/%s/%dMB", shape.name, mb), func(b *testing.B) {
			var peak int64
			for b.Loop() {
				r, rss := runMemChild(b, "verify "+out)
				if r != "TOTAL-PASSED 1" {
					b.Fatalf("verify: %q", r)
				}
				peak = max(peak, rss)
			}
			report(b, peak)
		})
		b.Run(fmt.Sprintf("xmlsec1-verify/%s/%dMB", shape.name, mb), func(b *testing.B) {
			bin := testenv.Tool(b, "xmlsec1")
			var peak int64
			for b.Loop() {
				cmd := exec.Command(bin, "--verify", "--pubkey-cert-pem", certFile,
					"--id-attr:Id", NSXAdES+":SignedProperties", out)
				if o, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("xmlsec1: %v\n%s", err, o)
				}
				peak = max(peak, cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss<<10)
			}
			report(b, peak)
		})
		os.Remove(in)
		os.Remove(out)
	}
}
