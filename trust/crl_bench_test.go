package trust

import (
	"crypto/x509"
	"math/big"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// benchEntries is the size of the benchmark CRL (MYNASIGN_BENCH_CRL_ENTRIES overrides it).
func benchEntries() int {
	if v, err := strconv.Atoi(os.Getenv("MYNASIGN_BENCH_CRL_ENTRIES")); err == nil && v > 0 {
		return v
	}
	return 1_000_000
}

// peakHeap samples the live heap while f runs and returns the highest value above the
// heap in use before it started.
func peakHeap(f func()) (peak uint64) {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	base := read()
	var max atomic.Uint64
	max.Store(base)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(200 * time.Microsecond)
		defer t.Stop()
		for {
			if v := read(); v > max.Load() {
				max.Store(v)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	f()
	if v := read(); v > max.Load() {
		max.Store(v)
	}
	close(stop)
	wg.Wait()
	return max.Load() - base
}

func totalAlloc() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.TotalAlloc
}

// BenchmarkCRLStore1M builds a CRL with 1,000,000 entries (16-byte serials in random
// order, reasons, signed by the test CA), imports it into a store, and reports the import
// time, the peak live heap during the import, the index size and the lookup time; then
// parses the same file with x509.ParseRevocationList for comparison.
//
//	go test -run '^$' -bench BenchmarkCRLStore1M -benchtime 1x ./trust
func BenchmarkCRLStore1M(b *testing.B) {
	n := benchEntries()
	dir := b.TempDir()
	s := syntheticCRL{seed: 2026, entries: n, base: time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)}
	crlPath := filepath.Join(dir, "big.crl")
	f, err := os.Create(crlPath)
	if err != nil {
		b.Fatal(err)
	}
	writeSyntheticCRL(b, f, "sign-ca-2023", s, 1, time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour))
	f.Close()
	st, _ := os.Stat(crlPath)
	ts := testStoreNoBuiltin(b)

	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		store := OpenStore(filepath.Join(dir, "store"+strconv.Itoa(i)))
		var res *ImportResult
		var importTime, importCPU time.Duration
		allocBefore := totalAlloc()
		peak := peakHeap(func() {
			start, cpu := time.Now(), processCPU()
			res, err = store.Import(ts, crlPath)
			importTime, importCPU = time.Since(start), processCPU()-cpu
		})
		allocated := totalAlloc() - allocBefore
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		idxPath := filepath.Join(store.Dir(), indexFileName(&res.CRLs[0].CRL))
		ist, err := os.Stat(idxPath)
		if err != nil {
			b.Fatal(err)
		}

		// Lookups through the mapped index (the store's normal path) and through ReadAt
		// (the fallback), half of them present.
		x, err := openIndexFile(idxPath)
		if err != nil {
			b.Fatal(err)
		}
		const lookups = 200_000
		queries := make([]*big.Int, lookups)
		for q := range queries {
			if q%2 == 0 {
				queries[q] = s.serialInt((q * 7919) % n)
			} else {
				queries[q] = (syntheticCRL{seed: 1}).serialInt(q)
			}
		}
		// The first pass maps the pages it touches (cold); the second is the steady state.
		var lookupColdNs, lookupNs float64
		found := 0
		for pass := 0; pass < 2; pass++ {
			found = 0
			start := time.Now()
			for _, q := range queries {
				if _, ok, _ := x.lookup(q); ok {
					found++
				}
			}
			ns := float64(time.Since(start).Nanoseconds()) / lookups
			if pass == 0 {
				lookupColdNs = ns
			} else {
				lookupNs = ns
			}
		}
		x.close()
		if found != lookups/2 {
			b.Fatalf("found %d of %d present serials", found, lookups/2)
		}
		fh, _ := os.Open(idxPath)
		fst, _ := fh.Stat()
		rx, err := readIndexHeader(fh, fst.Size())
		if err != nil {
			b.Fatal(err)
		}
		counter := &countingReaderAt{r: fh}
		rx.ra = counter
		start := time.Now()
		for _, q := range queries[:20000] {
			rx.lookup(q)
		}
		readAtNs := float64(time.Since(start).Nanoseconds()) / 20000
		readAtBytes := float64(counter.n.Load()) / 20000
		fh.Close()

		// crypto/x509 on the same file, for comparison.
		var rl *x509.RevocationList
		x509Alloc := totalAlloc()
		var x509Time, x509CPU time.Duration
		x509Peak := peakHeap(func() {
			start, cpu := time.Now(), processCPU()
			defer func() { x509CPU = processCPU() - cpu }()
			der, err := os.ReadFile(crlPath)
			if err != nil {
				b.Fatal(err)
			}
			rl, err = x509.ParseRevocationList(der)
			if err != nil {
				b.Fatal(err)
			}
			x509Time = time.Since(start)
		})
		x509Alloc = totalAlloc() - x509Alloc
		if len(rl.RevokedCertificateEntries) != n {
			b.Fatalf("x509: %d entries", len(rl.RevokedCertificateEntries))
		}
		rl = nil

		mb := func(v uint64) float64 { return float64(v) / (1 << 20) }
		b.ReportMetric(float64(n), "entries")
		b.ReportMetric(mb(uint64(st.Size())), "crl-MB")
		b.ReportMetric(importTime.Seconds(), "import-s")
		b.ReportMetric(importCPU.Seconds(), "import-cpu-s")
		b.ReportMetric(mb(peak), "import-peak-heap-MB")
		b.ReportMetric(mb(allocated), "import-alloc-MB")
		b.ReportMetric(mb(uint64(ist.Size())), "index-MB")
		b.ReportMetric(lookupColdNs, "lookup-cold-ns")
		b.ReportMetric(lookupNs, "lookup-ns")
		b.ReportMetric(readAtNs, "lookup-readat-ns")
		b.ReportMetric(readAtBytes, "lookup-readat-bytes")
		b.ReportMetric(x509Time.Seconds(), "x509-parse-s")
		b.ReportMetric(x509CPU.Seconds(), "x509-parse-cpu-s")
		b.ReportMetric(mb(x509Peak), "x509-peak-heap-MB")
		b.ReportMetric(mb(x509Alloc), "x509-alloc-MB")
		b.StartTimer()
	}
}

// countingReaderAt counts the bytes read through it.
type countingReaderAt struct {
	r interface {
		ReadAt([]byte, int64) (int, error)
	}
	n atomic.Int64
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n.Add(int64(n))
	return n, err
}
