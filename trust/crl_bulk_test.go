package trust

import (
	"archive/zip"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// partitionName is the directory name of the i-th synthetic CRL partition.
func partitionName(i int) ([]byte, error) {
	return asn1.Marshal(pkix.Name{
		Country: []string{"JP"}, Organization: []string{"JPKI"},
		OrganizationalUnit: []string{"CRL Distribution Points", "Bulk"},
		CommonName:         fmt.Sprintf("Partition %05d CRLDP", i),
	}.ToRDNSequence())
}

// partitionIDP is a critical issuingDistributionPoint naming one directory name.
func partitionIDP(nameDER []byte) pkix.Extension {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.Tag(4).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) { b.AddBytes(nameDER) })
			})
		})
	})
	return pkix.Extension{Id: oidCRLIDP, Critical: true, Value: b.BytesOrPanic()}
}

// bulkCA is a CA with an ECDSA P-256 key, made for the bulk tests: signing thousands
// of CRLs with the test PKI's RSA 2048 keys takes minutes on a small machine, P-256 a
// second. Its CRLs are imported through importWith with it as the only signer.
type bulkCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

func newBulkCA(tb testing.TB) *bulkCA {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{Country: []string{"JP"}, Organization: []string{"JPKI"}, CommonName: "Bulk CRL test CA"},
		NotBefore: time.Now().Add(-24 * time.Hour), NotAfter: time.Now().Add(365 * 24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		SubjectKeyId: []byte{1, 2, 3, 4, 5, 6, 7, 8},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatal(err)
	}
	return &bulkCA{cert: cert, key: key}
}

func (ca *bulkCA) signers() []crlSigner {
	return []crlSigner{{cert: ca.cert, keyID: ca.cert.SubjectKeyId}}
}

// writeBulkCRLs writes n small CRLs of ca, each for its own partition with 5 entries,
// into dir as partition-NNNNN.crl, and the same files into zipPath (in a folder "crl").
// Signing is spread over the CPUs.
func writeBulkCRLs(tb testing.TB, ca *bulkCA, dir, zipPath string, n int) {
	tb.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	now := time.Now()
	ders := make([][]byte, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	workers := 4 * runtime.GOMAXPROCS(0) // each also waits for its files' flushes
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				var entries []x509.RevocationListEntry
				for k := 0; k < 5; k++ {
					entries = append(entries, x509.RevocationListEntry{
						SerialNumber:   new(big.Int).SetBytes((syntheticCRL{seed: uint64(i)}).serial(k)),
						RevocationTime: now.Add(-time.Duration(k+1) * time.Hour), ReasonCode: 3,
					})
				}
				name, err := partitionName(i)
				if err != nil {
					errs[i] = err
					continue
				}
				ders[i], errs[i] = x509.CreateRevocationList(rand.Reader, &x509.RevocationList{
					Number: big.NewInt(int64(1000 + i)), ThisUpdate: now.Add(-time.Hour), NextUpdate: now.Add(48 * time.Hour),
					RevokedCertificateEntries: entries, ExtraExtensions: []pkix.Extension{partitionIDP(name)},
				}, ca.cert, ca.key)
				if errs[i] == nil {
					errs[i] = writeSynced(filepath.Join(dir, bulkName(i)), ders[i])
				}
			}
		}()
	}
	wg.Wait()
	zf, err := os.Create(zipPath)
	if err != nil {
		tb.Fatal(err)
	}
	zw := zip.NewWriter(zf)
	for i, der := range ders {
		if errs[i] != nil {
			tb.Fatal(errs[i])
		}
		w, err := zw.Create("crl/" + bulkName(i))
		if err != nil {
			tb.Fatal(err)
		}
		w.Write(der)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	if err := zf.Sync(); err != nil {
		tb.Fatal(err)
	}
	if err := zf.Close(); err != nil {
		tb.Fatal(err)
	}
}

// bulkName is the file name of the i-th bulk CRL.
func bulkName(i int) string { return fmt.Sprintf("partition-%05d.crl", i) }

// writeSynced writes a file and flushes it to disk, so that a benchmark that follows does
// not pay for writing back the generated files (an fsync in the store may wait for them).
func writeSynced(path string, b []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// A zip of many partition CRLs imports every one of them, each as its own scope, and
// says so entry by entry; the same files as a folder give the same store. Importing the
// zip again changes nothing.
func TestImportZipOfManyCRLs(t *testing.T) {
	const n = 300
	work := t.TempDir()
	dir, zipPath := filepath.Join(work, "crls"), filepath.Join(work, "crls.zip")
	ca := newBulkCA(t)
	writeBulkCRLs(t, ca, dir, zipPath, n)
	fromZip, fromDir := OpenStore(filepath.Join(work, "store-zip")), OpenStore(filepath.Join(work, "store-dir"))
	res, err := fromZip.importWith(ca.signers(), []string{zipPath}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.CRLs) != n {
		t.Fatalf("%d results, want %d", len(res.CRLs), n)
	}
	for i, c := range res.CRLs {
		if c.Status != ImportAdded || c.CRL.File != "crls.zip!crl/"+bulkName(i) || c.CRL.Number != strconv.Itoa(1000+i) {
			t.Fatalf("entry %d: %s %s %s", i, c.Status, c.CRL.File, c.CRL.Number)
		}
	}
	if _, err := fromDir.importWith(ca.signers(), []string{dir}, time.Now()); err != nil {
		t.Fatal(err)
	}
	zl, err := fromZip.List()
	if err != nil {
		t.Fatal(err)
	}
	dl, _ := fromDir.List()
	if len(zl) != n || len(dl) != n {
		t.Fatalf("stores hold %d (zip) and %d (folder) CRLs, want %d", len(zl), len(dl), n)
	}
	for i := range zl {
		if zl[i].ID != dl[i].ID || zl[i].SHA256 != dl[i].SHA256 {
			t.Fatalf("CRL %d differs: %s %s / %s %s", i, zl[i].ID, zl[i].SHA256, dl[i].ID, dl[i].SHA256)
		}
	}
	res, err = fromZip.importWith(ca.signers(), []string{zipPath}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range res.CRLs {
		if c.Status != ImportUnchanged {
			t.Fatalf("second import of %s: %s", c.File, c.Status)
		}
	}
}

// bulk is the synthetic CRL set the bulk benchmark imports, generated once per process.
var bulk struct {
	once     sync.Once
	dir, zip string
	ca       *bulkCA
	n        int
	genTime  time.Duration
	err      error
}

// bulkCount is the number of CRLs of the bulk benchmark (MYNASIGN_BENCH_BULK_CRLS
// overrides it).
func bulkCount() int {
	if v, err := strconv.Atoi(os.Getenv("MYNASIGN_BENCH_BULK_CRLS")); err == nil && v > 0 {
		return v
	}
	return 10_000
}

// bulkCRLs generates the bulk set (outside any benchmark timer) into a directory that
// TestMain removes at the end.
func bulkCRLs(b *testing.B) (ca *bulkCA, dir, zipPath string, n int, gen time.Duration) {
	b.Helper()
	bulk.once.Do(func() {
		work, err := os.MkdirTemp("", "mynasign-bulk-crls-")
		if err != nil {
			bulk.err = err
			return
		}
		registerCleanup(func() { os.RemoveAll(work) })
		bulk.dir, bulk.zip, bulk.n = filepath.Join(work, "crls"), filepath.Join(work, "crls.zip"), bulkCount()
		start := time.Now()
		bulk.ca = newBulkCA(b)
		writeBulkCRLs(b, bulk.ca, bulk.dir, bulk.zip, bulk.n)
		bulk.genTime = time.Since(start)
	})
	if bulk.err != nil {
		b.Fatal(bulk.err)
	}
	return bulk.ca, bulk.dir, bulk.zip, bulk.n, bulk.genTime
}

// BenchmarkCRLImportBulk imports 10,000 small partition CRLs (ECDSA P-256, 5 entries
// each, one scope each) from a zip and from a folder of the same files, into an empty store;
// as the reference, crypto/x509 parses and verifies the same files (no store written).
// The CRLs are generated once per process, outside the timed part (gen-s).
//
//	go test -run '^$' -bench BenchmarkCRLImportBulk -benchtime 1x -count 3 ./trust
func BenchmarkCRLImportBulk(b *testing.B) {
	ca, dir, zipPath, n, gen := bulkCRLs(b)
	for _, input := range []struct{ name, path string }{{"zip", zipPath}, {"folder", dir}} {
		b.Run(input.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				store := OpenStore(filepath.Join(b.TempDir(), "store"))
				b.StartTimer()
				start, cpu := time.Now(), processCPU()
				res, err := store.importWith(ca.signers(), []string{input.path}, time.Now())
				elapsed, cpuUsed := time.Since(start), processCPU()-cpu
				if err != nil {
					b.Fatal(err)
				}
				if len(res.CRLs) != n {
					b.Fatalf("%d CRLs imported, want %d", len(res.CRLs), n)
				}
				b.ReportMetric(float64(n), "crls")
				b.ReportMetric(elapsed.Seconds(), "import-s")
				b.ReportMetric(cpuUsed.Seconds(), "import-cpu-s")
				b.ReportMetric(gen.Seconds(), "gen-s")
			}
		})
	}
	b.Run("x509-parse-verify", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			start := time.Now()
			for k := 0; k < n; k++ {
				der, err := os.ReadFile(filepath.Join(dir, bulkName(k)))
				if err != nil {
					b.Fatal(err)
				}
				rl, err := x509.ParseRevocationList(der)
				if err != nil {
					b.Fatal(err)
				}
				if err := rl.CheckSignatureFrom(ca.cert); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n), "crls")
			b.ReportMetric(time.Since(start).Seconds(), "import-s")
		}
	})
}
