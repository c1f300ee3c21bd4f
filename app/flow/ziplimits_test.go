package flow

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"context"
	"encoding/binary"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/mynasign/mynasign/trust"
)

// deflatedZeros returns n zero bytes deflated (best compression) and their CRC-32.
func deflatedZeros(t testing.TB, n int64) ([]byte, uint32) {
	t.Helper()
	var body bytes.Buffer
	fw, err := flate.NewWriter(&body, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	zero := make([]byte, 1<<20)
	crc := uint32(0)
	for left := n; left > 0; {
		k := min(left, int64(len(zero)))
		fw.Write(zero[:k])
		crc = crc32.Update(crc, crc32.IEEETable, zero[:k])
		left -= k
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	return body.Bytes(), crc
}

// writeOverlapZip writes the non-recursive zip bomb: one local header and deflated body
// of usize bytes, and a central directory of n entries (names 0000.txt, …) that all
// point at it.
func writeOverlapZip(t testing.TB, path string, n int, body []byte, crc uint32, usize int64) {
	t.Helper()
	writeOverlapZipNamed(t, path, n, body, crc, usize, func(i int) string { return strconv.Itoa(10000 + i)[1:] + ".txt" })
}

// writeOverlapZipNamed is writeOverlapZip with entry names of its own.
func writeOverlapZipNamed(t testing.TB, path string, n int, body []byte, crc uint32, usize int64, name func(int) string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	le := binary.LittleEndian
	put16 := func(v uint16) { w.Write(le.AppendUint16(nil, v)) }
	put32 := func(v uint32) { w.Write(le.AppendUint32(nil, v)) }
	// Local header of entry 0.
	w.WriteString("PK\x03\x04")
	put16(20)
	put16(0)
	put16(zip.Deflate)
	put16(0)
	put16(0x21)
	put32(crc)
	put32(uint32(len(body)))
	put32(uint32(usize))
	put16(uint16(len(name(0))))
	put16(0)
	w.WriteString(name(0))
	w.Write(body)
	cdOff := 30 + len(name(0)) + len(body)
	cdLen := 0
	for i := range n {
		w.WriteString("PK\x01\x02")
		put16(20)
		put16(20)
		put16(0)
		put16(zip.Deflate)
		put16(0)
		put16(0x21)
		put32(crc)
		put32(uint32(len(body)))
		put32(uint32(usize))
		put16(uint16(len(name(i))))
		put16(0)
		put16(0)
		put16(0)
		put16(0)
		put32(0)
		put32(0) // every entry's local header is at offset 0
		w.WriteString(name(i))
		cdLen += 46 + len(name(i))
	}
	w.WriteString("PK\x05\x06")
	put16(0)
	put16(0)
	put16(uint16(n))
	put16(uint16(n))
	put32(uint32(cdLen))
	put32(uint32(cdOff))
	put16(0)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// emptyDir fails the test when dir holds anything.
func emptyDir(t testing.TB, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("left in the temporary folder: %s", e.Name())
	}
}

// TestBatchRefusesZipBombs: a zip that expands far beyond its size is refused before
// anything is extracted — overlapping entries and too large a total refuse the archive,
// an entry that expands more than the ratio limit is refused alone while the other
// entries are verified — and nothing stays in the temporary folder.
func TestBatchRefusesZipBombs(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	dir := t.TempDir()

	// 1. 1,000 entries naming one deflated body of 64 MiB zeros.
	body, crc := deflatedZeros(t, 64<<20)
	overlap := filepath.Join(dir, "overlap.zip")
	writeOverlapZip(t, overlap, 1000, body, crc, 64<<20)

	// 2. A genuine zip of a text document and one entry of 32 MiB zeros (about 1000:1).
	ratio := filepath.Join(dir, "ratio.zip")
	{
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.Create("a.txt")
		w.Write([]byte("T:pass\n"))
		w, _ = zw.Create("zeros.txt")
		w.Write(make([]byte, 32<<20))
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		writeFile(t, ratio, buf.String())
	}

	// 3. Three honest entries whose total is above a small MaxZipTotal.
	total := filepath.Join(dir, "total.zip")
	writeZip(t, total, map[string]string{"1.txt": "T:pass\n" + string(bytes.Repeat([]byte("x"), 600)),
		"2.txt": "T:pass\n" + string(bytes.Repeat([]byte("y"), 600))}, []string{"1.txt", "2.txt"})

	// 4. Below every limit: verified.
	fine := filepath.Join(dir, "fine.zip")
	writeZip(t, fine, map[string]string{"ok.txt": "T:pass\n"}, []string{"ok.txt"})

	got := map[string]*trust.DocumentReport{}
	n := 0
	for _, run := range []struct {
		paths    []string
		maxTotal int64
	}{{[]string{overlap, ratio, fine}, 0}, {[]string{total}, 1000}} {
		res, err := VerifyBatch(context.Background(), run.paths, BatchOptions{
			Policy: testPolicy(t), Workers: 2, MaxZipTotal: run.maxTotal,
			Verifiers: []Verifier{textVerifier(nil, nil)},
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res.Reports {
			got[r.File] = r
		}
		n += len(res.Reports)
	}
	wantBomb := []string{overlap, ratio + "!/zeros.txt", total}
	for _, name := range wantBomb {
		if r := got[name]; r == nil || r.Error == nil || r.Error.Key != MsgBatchZipBomb {
			t.Errorf("%s: %+v, want the error %s", name, r, MsgBatchZipBomb)
		}
	}
	for _, name := range []string{ratio + "!/a.txt", fine + "!/ok.txt"} {
		if r := got[name]; r == nil || StatusOf(r) != DocPassed {
			t.Errorf("%s: %+v, want passed", name, r)
		}
	}
	if n != 5 {
		t.Errorf("%d reports, want 5 (a refused archive is one report)", n)
	}
	emptyDir(t, tmp)
}

// TestBatchCancelLeavesNoTemporaryFiles: a batch cancelled while it extracts a big zip
// entry stops the extraction and removes the temporary folder.
func TestBatchCancelLeavesNoTemporaryFiles(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	dir := t.TempDir()
	p := filepath.Join(dir, "big.zip")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "big.txt", Method: zip.Store})
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("T:pass\n"))
	io.Copy(w, io.LimitReader(zeroReader{}, 64<<20))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()

	ctx, cancel := context.WithCancel(context.Background())
	v := textVerifier(nil, nil)
	verify := v.Verify
	v.Verify = func(ctx context.Context, path string, pol *trust.Policy) (*trust.DocumentReport, error) {
		cancel() // the entry is extracted: cancel while the batch holds it
		return verify(ctx, path, pol)
	}
	_, err = VerifyBatch(ctx, []string{p, p}, BatchOptions{Policy: testPolicy(t), Workers: 1, Verifiers: []Verifier{v}})
	if err == nil {
		t.Fatal("a cancelled batch returned no error")
	}
	emptyDir(t, tmp)
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// TestBatchZipBombOfKouseiEntries: the entries of the bomb are all named kousei.xml (in
// 1,000 folders), so that e-Gov detection looks into them; it scans the one body once,
// and the batch refuses the zip as a bomb.
func TestBatchZipBombOfKouseiEntries(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	body, crc := deflatedZeros(t, 64<<20)
	p := filepath.Join(t.TempDir(), "kousei-bomb.zip")
	writeOverlapZipNamed(t, p, 1000, body, crc, 64<<20, func(i int) string { return "p" + strconv.Itoa(i) + "/kousei.xml" })
	res, err := VerifyBatch(context.Background(), []string{p}, BatchOptions{Policy: testPolicy(t)})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Reports) != 1 || res.Reports[0].Error == nil || res.Reports[0].Error.Key != MsgBatchZipBomb {
		t.Errorf("reports %+v, want one, refused as a zip bomb", res.Reports)
	}
	emptyDir(t, tmp)
}
