package flow

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mynasign/mynasign/internal/testenv"
)

// BenchmarkZipBomb verifies, as a batch, the non-recursive zip bomb of issue 12: a zip of
// about 1 MB whose 1,000 directory entries all name one deflated body of 1 GiB of zeros
// (built outside the timer). The batch must refuse it whole, before extracting anything;
// peak-RSS-MB is the process's resident high-water mark during VerifyBatch. The peer is
// `unzip -t` of the same zip (Info-ZIP also detects overlapping entries, but only after
// testing the first one), in the same benchmark, under GNU time for its peak RSS.
func BenchmarkZipBomb(b *testing.B) {
	dir := b.TempDir()
	body, crc := deflatedZeros(b, 1<<30)
	bomb := filepath.Join(dir, "bomb.zip")
	writeOverlapZip(b, bomb, 1000, body, crc, 1<<30)
	st, _ := os.Stat(bomb)
	b.Logf("bomb.zip: %d bytes, 1000 entries of 1 GiB each", st.Size())
	pol := testPolicy(b)
	b.Run("mynasign-batch", func(b *testing.B) {
		tmp := b.TempDir()
		b.Setenv("TMPDIR", tmp)
		peak := 0.0
		for range b.N {
			b.StopTimer()
			testenv.ResetPeakRSS()
			b.StartTimer()
			res, err := VerifyBatch(context.Background(), []string{bomb}, BatchOptions{Policy: pol})
			b.StopTimer()
			if err != nil {
				b.Fatal(err)
			}
			if len(res.Reports) != 1 || res.Reports[0].Error == nil || res.Reports[0].Error.Key != MsgBatchZipBomb {
				b.Fatalf("not refused as a zip bomb: %+v", res.Reports)
			}
			emptyDir(b, tmp)
			peak = max(peak, testenv.PeakRSSMiB())
			b.StartTimer()
		}
		b.ReportMetric(peak, "peak-RSS-MB")
	})
	b.Run("peer-unzip-t", func(b *testing.B) {
		unzip := testenv.Tool(b, "unzip")
		timeTool := testenv.Tool(b, "time")
		peak := 0.0
		for range b.N {
			cmd := exec.Command(timeTool, "-f", "peak-kb %M", unzip, "-t", bomb)
			out, _ := cmd.CombinedOutput() // refusing the zip is a non-zero exit
			if !strings.Contains(string(out), "overlap") {
				b.Logf("unzip -t did not report overlapping entries: %.300s", out)
			}
			// The child's own rusage is not usable from Go (it counts the parent's
			// memory shared until exec): GNU time reports the peak.
			for _, l := range strings.Split(string(out), "\n") {
				if kb, ok := strings.CutPrefix(l, "peak-kb "); ok {
					n, _ := strconv.ParseFloat(kb, 64)
					peak = max(peak, n/1024)
				}
			}
		}
		b.ReportMetric(peak, "peak-RSS-MB")
	})
}
