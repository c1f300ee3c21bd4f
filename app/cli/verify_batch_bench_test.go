package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/mynasign/mynasign/internal/testenv"
)

// BenchmarkBatchVerify runs, in one run, the 300-document folder of internal/batchcorpus
// through the real `mynasign verify --json` binary (one process for the whole folder,
// PDFs, XML and e-Gov, chain + CRL + change analysis) and poppler's pdfsig once per PDF
// of that folder (one process per file, its default NSS certificate check). A third
// case runs mynasign over the same PDFs only, for a like-for-like comparison. Each
// iteration is a complete pass; ns/file is per document verified.
//
//	go test -run '^$' -bench BatchVerify -benchtime 3x ./app/cli/
func BenchmarkBatchVerify(b *testing.B) {
	pdfsig := testenv.Tool(b, "pdfsig")
	c := sharedCorpus(b)
	bin := buildMynasign(b)
	crlDir := b.TempDir()

	var pdfs []string // the PDF files on disk (zip entries are not files pdfsig can open)
	for _, p := range c.PDFs {
		if _, err := os.Stat(p); err == nil {
			pdfs = append(pdfs, p)
		}
	}
	run := func(b *testing.B, name string, args ...string) {
		b.Helper()
		cmd := exec.Command(name, args...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		if _, isExit := err.(*exec.ExitError); err != nil && !isExit {
			b.Fatalf("%s: %v", name, err)
		}
	}
	b.Run("mynasign-verify-all", func(b *testing.B) {
		for b.Loop() {
			run(b, bin, "verify", "--json", "--trust", "test", "--crl-dir", crlDir, c.Dir)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(c.Expect)), "ns/file")
		b.ReportMetric(float64(len(c.Expect)), "files")
	})
	b.Run("mynasign-verify-pdfs", func(b *testing.B) {
		for b.Loop() {
			run(b, bin, append([]string{"verify", "--json", "--trust", "test", "--crl-dir", crlDir}, pdfs...)...)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(pdfs)), "ns/file")
		b.ReportMetric(float64(len(pdfs)), "files")
	})
	b.Run("pdfsig-loop-pdfs", func(b *testing.B) {
		for b.Loop() {
			for _, p := range pdfs {
				run(b, pdfsig, p)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(pdfs)), "ns/file")
		b.ReportMetric(float64(len(pdfs)), "files")
	})
}

// buildMynasign builds the app binary (the same main package `make build` builds).
func buildMynasign(b *testing.B) string {
	b.Helper()
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goTool); err != nil {
		goTool = "go"
	}
	bin := filepath.Join(b.TempDir(), "mynasign")
	cmd := exec.Command(goTool, "build", "-o", bin, "github.com/mynasign/mynasign")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, strings.TrimSpace(string(out)))
	}
	return bin
}
