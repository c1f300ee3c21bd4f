package flow

import (
	"context"
	"crypto/x509"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/mynasign/mynasign/internal/testenv"
	"github.com/mynasign/mynasign/internal/testpki"
	"github.com/mynasign/mynasign/trust"
	"github.com/mynasign/mynasign/xades"
)

// bigXMLBatch is the folder of BenchmarkBatchBigXML: four signed XAdES documents of
// about 40 MB of tiny elements (<a>x</a>), the shape that costs a parsed tree the most
// per byte. Made once per process, outside the timer.
var bigXMLBatch struct {
	once sync.Once
	dir  string
	err  error
}

func makeBigXMLBatch(b *testing.B) string {
	bigXMLBatch.once.Do(func() {
		dir, err := os.MkdirTemp("", "mynasign-bigxml-")
		if err != nil {
			bigXMLBatch.err = err
			return
		}
		p, err := testpki.PersonaByID("valid")
		if err != nil {
			bigXMLBatch.err = err
			return
		}
		opts := xades.SignOptions{Signer: p.SignKey, Certificate: p.SignCert, Chain: []*x509.Certificate{p.SignCACert}}
		for i := range 4 {
			in := filepath.Join(dir, fmt.Sprintf("unsigned-%d.xml", i))
			if err := testenv.WriteTinyXML(in, 40<<20); err != nil {
				bigXMLBatch.err = err
				return
			}
			if err := xades.SignXAdESFile(in, filepath.Join(dir, fmt.Sprintf("big-%d.xml", i)), opts); err != nil {
				bigXMLBatch.err = err
				return
			}
			os.Remove(in)
		}
		bigXMLBatch.dir = dir
	})
	if bigXMLBatch.err != nil {
		b.Fatal(bigXMLBatch.err)
	}
	return bigXMLBatch.dir
}

// BenchmarkBatchBigXML verifies the four 40 MB documents as one batch (issue 12 item 8:
// "four 40 MB files in one batch 5.5 GB") and reports the process's peak resident set
// during the batch. The batch's memory budget (default 512 MiB, XML counted by
// xades.VerifyMemory's estimate) decides how many are parsed at once.
func BenchmarkBatchBigXML(b *testing.B) {
	dir := makeBigXMLBatch(b)
	pol, err := trust.NewPolicy(trust.Options{TrustStore: trust.StoreTest, CRLDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	var peak float64
	for b.Loop() {
		testenv.ResetPeakRSS()
		res, err := VerifyBatch(context.Background(), []string{dir}, BatchOptions{Policy: pol})
		if err != nil {
			b.Fatal(err)
		}
		peak = max(peak, testenv.PeakRSSMiB())
		if len(res.Reports) != 4 || res.Totals.Passed != 4 {
			b.Fatalf("%d reports, totals %+v", len(res.Reports), res.Totals)
		}
	}
	b.ReportMetric(peak, "peak-RSS-MiB")
}

// TestMain removes the big documents of BenchmarkBatchBigXML when the run ends.
func TestMain(m *testing.M) {
	code := m.Run()
	if bigXMLBatch.dir != "" {
		os.RemoveAll(bigXMLBatch.dir)
	}
	os.Exit(code)
}
