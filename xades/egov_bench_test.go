package xades

import (
	"archive/zip"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mynasign/mynasign/internal/testenv"
	"github.com/mynasign/mynasign/trust"
)

// egovBigAttachment is the attachment size of BenchmarkEGovBigAttachment: 1 GB.
const egovBigAttachment = 1_000_000_000

// BenchmarkEGovBigAttachment signs and verifies an e-Gov package (the shinsei-1 sample)
// whose attachment is 1 GB of zeros (a sparse file; the signed copy is real data):
// signing the folder (hash, copy, fsync, self-check), verifying the signed folder, and
// verifying it zipped (deflated: the zip is about 1 MB). peak-RSS-MB is the process's
// resident high-water mark during the call. The peer is sha256sum of the same
// attachment, run in the same benchmark (its time, and its peak RSS from GNU time).
func BenchmarkEGovBigAttachment(b *testing.B) {
	dir := b.TempDir()
	pkg := copyDir(b, filepath.Join("..", "testdata", "egov", "shinsei-1"))
	if err := os.Truncate(filepath.Join(pkg, "tenpu_01.pdf"), egovBigAttachment); err != nil {
		b.Fatal(err)
	}
	opts := personaOpts(b, "valid")
	pol := testPolicy(b)
	signed := filepath.Join(dir, "signed")
	if err := SignEGov(pkg, signed, opts); err != nil {
		b.Fatal(err)
	}
	zipped := filepath.Join(dir, "signed.zip")
	egovZipFolder(b, signed, zipped)
	passed := func(b *testing.B, rep *trust.DocumentReport) {
		if rep.Indication != trust.TotalPassed || len(rep.Signatures) != 1 || !rep.Signatures[0].Intact {
			b.Fatalf("not passed: %+v", rep)
		}
	}
	run := func(name string, f func(b *testing.B)) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(egovBigAttachment)
			peak := 0.0
			for range b.N {
				b.StopTimer()
				testenv.ResetPeakRSS()
				b.StartTimer()
				f(b)
				b.StopTimer()
				peak = max(peak, testenv.PeakRSSMiB())
				b.StartTimer()
			}
			b.ReportMetric(peak, "peak-RSS-MB")
		})
	}
	run("sign-folder", func(b *testing.B) {
		out := filepath.Join(dir, "out")
		if err := SignEGov(pkg, out, opts); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		os.RemoveAll(out)
		b.StartTimer()
	})
	run("verify-folder", func(b *testing.B) { passed(b, VerifyEGov(signed, pol)) })
	run("verify-zip", func(b *testing.B) { passed(b, VerifyEGov(zipped, pol)) })
	b.Run("peer-sha256sum", func(b *testing.B) {
		tool := testenv.Tool(b, "sha256sum")
		b.SetBytes(egovBigAttachment)
		peak := 0.0
		for range b.N {
			peak = max(peak, egovPeerPeak(b, tool, filepath.Join(signed, "tenpu_01.pdf")))
		}
		b.ReportMetric(peak, "peak-RSS-MB")
	})
}

// egovPeerPeak runs a peer tool under GNU time and returns its peak RSS in MB (the
// child's own rusage is not usable from Go: it counts the parent's memory shared until
// exec).
func egovPeerPeak(b *testing.B, args ...string) float64 {
	var stderr strings.Builder
	cmd := exec.Command(testenv.Tool(b, "time"), append([]string{"-f", "peak-kb %M"}, args...)...)
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		b.Fatalf("%v: %v\n%s", args, err, stderr.String())
	}
	for _, l := range strings.Split(stderr.String(), "\n") {
		if kb, ok := strings.CutPrefix(l, "peak-kb "); ok {
			n, _ := strconv.ParseFloat(kb, 64)
			return n / 1024
		}
	}
	b.Fatalf("no peak from time(1): %s", stderr.String())
	return 0
}

// egovZipFolder zips the package folder src under its name, deflated.
func egovZipFolder(b *testing.B, src, dst string) {
	f, err := os.Create(dst)
	if err != nil {
		b.Fatal(err)
	}
	zw := zip.NewWriter(f)
	entries, _ := os.ReadDir(src)
	for _, e := range entries {
		w, err := zw.Create(filepath.Base(src) + "/" + e.Name())
		if err != nil {
			b.Fatal(err)
		}
		r, err := os.Open(filepath.Join(src, e.Name()))
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(w, r)
		r.Close()
	}
	if err := zw.Close(); err != nil {
		b.Fatal(err)
	}
	f.Close()
}
