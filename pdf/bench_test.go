package pdf

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/mynasign/mynasign/internal/testenv"
	"github.com/mynasign/mynasign/trust"
)

// Benchmarks (make bench; BENCHMARKS.md "## PDF"):
//   - BenchmarkSign/{1,50,200}MB: SignFile on a generated PDF of that size (copy + hash,
//     the update, the signature, fsync, the self-verification, the rename), with the
//     process's peak RSS during the call;
//   - BenchmarkSignFloor/{1,50,200}MB[+fsync]: `cp` of the same file and `sha256sum` of
//     the copy (with `sync FILE` in between for +fsync), the physical floor of reading,
//     writing and hashing it once;
//   - BenchmarkVerify200: 200 signed files verified one after the other with the test
//     trust store, against poppler's pdfsig run on the same files.

var benchSizes = []int64{1 << 20, 50 << 20, 200 << 20}

// writeBigPDF writes a valid one-page PDF of about size bytes to path without holding it
// in memory: the bulk is a second content stream of PDF comments.
func writeBigPDF(path string, size int64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	var off int64
	offs := map[int]int64{}
	put := func(s string) { w.WriteString(s); off += int64(len(s)) }
	obj := func(n int, body string) { offs[n] = off; put(fmt.Sprintf("%d 0 obj\n%s\nendobj\n", n, body)) }
	put("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	obj(1, "<</Type /Catalog /Pages 2 0 R>>")
	obj(2, "<</Type /Pages /Kids [3 0 R] /Count 1>>")
	obj(3, "<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources <</Font <</F1 4 0 R>>>> /Contents [5 0 R 6 0 R]>>")
	obj(4, "<</Type /Font /Subtype /Type1 /BaseFont /Helvetica>>")
	text := "BT /F1 24 Tf 72 720 Td (A large document) Tj ET"
	obj(5, fmt.Sprintf("<</Length %d>>\nstream\n%s\nendstream", len(text), text))
	line := "% 0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ padding of a large page content\n"
	n := (size - 1024) / int64(len(line))
	if n < 1 {
		n = 1
	}
	offs[6] = off
	put(fmt.Sprintf("6 0 obj\n<</Length %d>>\nstream\n", n*int64(len(line))))
	for i := int64(0); i < n; i++ {
		put(line)
	}
	put("\nendstream\nendobj\n")
	xref := off
	put("xref\n0 7\n0000000000 65535 f\r\n")
	for i := 1; i <= 6; i++ {
		put(fmt.Sprintf("%010d 00000 n\r\n", offs[i]))
	}
	put(fmt.Sprintf("trailer\n<</Size 7 /Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n", xref))
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func BenchmarkSign(b *testing.B) {
	dir := b.TempDir()
	pol := testPolicy(b)
	for _, size := range benchSizes {
		in := filepath.Join(dir, fmt.Sprintf("in-%d.pdf", size))
		if err := writeBigPDF(in, size); err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("%dMB", size>>20), func(b *testing.B) {
			opts := personaOptions(b, "valid", PAdES)
			opts.Policy = pol
			b.StopTimer()
			b.SetBytes(size)
			var peak int64
			for i := 0; i < b.N; i++ {
				out := filepath.Join(dir, "out.pdf")
				os.Remove(out)
				testenv.ResetPeakRSS()
				b.StartTimer()
				res, err := SignFile(context.Background(), in, out, opts)
				b.StopTimer()
				if err != nil {
					b.Fatal(err)
				}
				if res.Report.Signatures[0].Intact != true {
					b.Fatal("not intact")
				}
				if p, ok := testenv.PeakRSS(); ok && p > peak {
					peak = p
				}
				os.Remove(out)
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MB")
		})
		os.Remove(in)
	}
}

func BenchmarkSignFloor(b *testing.B) {
	dir := b.TempDir()
	for _, size := range benchSizes {
		in := filepath.Join(dir, fmt.Sprintf("in-%d.pdf", size))
		if err := writeBigPDF(in, size); err != nil {
			b.Fatal(err)
		}
		for _, mode := range []struct{ name, script string }{
			// cp writes into the page cache; the signer also fsyncs its output, so the
			// second floor adds `sync FILE` (fsync) before the hash.
			{"", `cp "$1" "$2" && sha256sum "$2" >/dev/null`},
			{"+fsync", `cp "$1" "$2" && sync "$2" && sha256sum "$2" >/dev/null`},
		} {
			b.Run(fmt.Sprintf("%dMB%s", size>>20, mode.name), func(b *testing.B) {
				b.StopTimer()
				out := filepath.Join(dir, "copy.pdf")
				b.SetBytes(size)
				for i := 0; i < b.N; i++ {
					os.Remove(out)
					b.StartTimer()
					if o, err := exec.Command("sh", "-c", mode.script, "floor", in, out).CombinedOutput(); err != nil {
						b.Fatalf("%v: %s", err, o)
					}
					b.StopTimer()
				}
				os.Remove(out)
			})
		}
		os.Remove(in)
	}
}

func BenchmarkVerify200(b *testing.B) {
	dir := b.TempDir()
	pol := testPolicy(b)
	var files []string
	base := []docSpec{{}, {acroForm: "indirect", textField: true}, {xrefStream: true, pages: 3}, {annots: "direct", pages: 2}}
	for i := 0; i < 200; i++ {
		opts := personaOptions(b, "valid", []Profile{PAdES, Registry}[i%2])
		data, _ := signBytes(b, makePDF(b, base[i%len(base)]), opts)
		if i%5 == 0 {
			data, _ = signBytes(b, data, personaOptions(b, "valid", PAdES)) // every fifth file: two signatures
		}
		p := filepath.Join(dir, fmt.Sprintf("f%03d.pdf", i))
		if err := os.WriteFile(p, data, 0o644); err != nil {
			b.Fatal(err)
		}
		files = append(files, p)
	}
	b.Run("mynasign", func(b *testing.B) {
		b.StopTimer()
		for i := 0; i < b.N; i++ {
			b.StartTimer()
			for _, f := range files {
				rep, err := VerifyFile(context.Background(), f, pol)
				if err != nil || rep.Indication != trust.TotalPassed {
					b.Fatalf("%s: %v %v", f, err, rep.Indication)
				}
			}
			b.StopTimer()
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(files))/1000, "ms/file")
	})
	b.Run("pdfsig", func(b *testing.B) {
		pdfsig, err := exec.LookPath("pdfsig")
		if err != nil {
			b.Skip("pdfsig is not installed")
		}
		b.StopTimer()
		for i := 0; i < b.N; i++ {
			b.StartTimer()
			for _, f := range files {
				out, _ := exec.Command(pdfsig, f).CombinedOutput()
				if !bytes.Contains(out, []byte("Signature is Valid.")) {
					b.Fatalf("pdfsig %s:\n%s", f, out)
				}
			}
			b.StopTimer()
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(files))/1000, "ms/file")
	})
}
