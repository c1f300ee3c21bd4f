package flow

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mynasign/mynasign/trust"
)

// These tests drive the walker and the scheduler with small verifiers of their own (a
// "T:" text format and a folder format), passed through BatchOptions.Verifiers rather
// than registered: the batch tests with real PDF and XML documents are in
// batch_test.go.

// textVerifier handles files starting with "T:"; the rest of the first line says what
// the report is: pass, fail, none (no signature), panic, error.
func textVerifier(inFlight *atomic.Int64, maxSeen *atomic.Int64) Verifier {
	return Verifier{
		Name:   "text",
		Detect: func(path string, head []byte) bool { return bytes.HasPrefix(head, []byte("T:")) },
		Verify: func(ctx context.Context, path string, policy *trust.Policy) (*trust.DocumentReport, error) {
			data, err := os.ReadFile(path)
			if err != nil {
				return nil, err
			}
			if inFlight != nil {
				n := inFlight.Add(int64(len(data)))
				for {
					m := maxSeen.Load()
					if n <= m || maxSeen.CompareAndSwap(m, n) {
						break
					}
				}
				time.Sleep(2 * time.Millisecond)
				defer inFlight.Add(-int64(len(data)))
			}
			word := strings.TrimSpace(strings.SplitN(string(data[2:]), "\n", 2)[0])
			r := &trust.DocumentReport{Kind: "text", SHA256: "x", Indication: trust.TotalPassed}
			switch word {
			case "pass":
				r.Signatures = []trust.SignatureReport{{Indication: trust.TotalPassed}}
			case "fail":
				r.Indication, r.SubIndication = trust.TotalFailed, trust.HashFailure
				r.Signatures = []trust.SignatureReport{{Indication: trust.TotalFailed, SubIndication: trust.HashFailure}}
			case "none":
				r.Indication = trust.Indeterminate
			case "panic":
				panic("test verifier panics")
			case "error":
				return nil, errors.New("cannot read " + path)
			}
			return r, nil
		},
	}
}

// folderVerifier takes a folder or a zip holding "kousei.xml" as one document, like the
// e-Gov verifier.
func folderVerifier() Verifier {
	return Verifier{
		Name: "folder",
		Detect: func(path string, head []byte) bool {
			if head == nil {
				_, err := os.Stat(filepath.Join(path, "kousei.xml"))
				return err == nil
			}
			if !isZip(head) {
				return false
			}
			z, err := zip.OpenReader(path)
			if err != nil {
				return false
			}
			defer z.Close()
			for _, f := range z.File {
				if f.Name == "kousei.xml" {
					return true
				}
			}
			return false
		},
		Verify: func(ctx context.Context, path string, policy *trust.Policy) (*trust.DocumentReport, error) {
			return &trust.DocumentReport{Kind: "folder", Indication: trust.TotalPassed,
				Signatures: []trust.SignatureReport{{Indication: trust.TotalPassed}}}, nil
		},
	}
}

func testPolicy(t testing.TB) *trust.Policy {
	t.Helper()
	p, err := trust.NewPolicy(trust.Options{TrustStore: trust.StoreTest, CRLDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func writeZip(t testing.TB, path string, entries map[string]string, order []string) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range order {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(entries[name]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, buf.String())
}

func TestBatchWalksFoldersZipsAndKeepsGoing(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a-pass.txt"), "T:pass")
	writeFile(t, filepath.Join(dir, "b-fail.dat"), "T:fail")
	writeFile(t, filepath.Join(dir, "c", "d-none"), "T:none")
	writeFile(t, filepath.Join(dir, "c", "e-panic"), "T:panic")
	writeFile(t, filepath.Join(dir, "c", "f-error"), "T:error")
	writeFile(t, filepath.Join(dir, "c", "g-unknown.pdf"), "not a document")
	writeFile(t, filepath.Join(dir, ".hidden"), "T:pass")
	writeFile(t, filepath.Join(dir, "Thumbs.db"), "x")
	writeFile(t, filepath.Join(dir, "egov", "kousei.xml"), "<x/>")
	writeFile(t, filepath.Join(dir, "egov", "form.xml"), "T:fail") // inside the e-Gov folder: not separate
	if err := os.Symlink(filepath.Join(dir, "missing"), filepath.Join(dir, "h-dangling")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(dir, filepath.Join(dir, "c", "loop")); err != nil {
		t.Fatal(err)
	}
	writeZip(t, filepath.Join(dir, "i.zip"), map[string]string{
		"x/pass": "T:pass", "__MACOSX/x/._pass": "junk", "y/fail": "T:fail",
	}, []string{"y/fail", "x/pass", "__MACOSX/x/._pass"})
	writeZip(t, filepath.Join(dir, "j-egov.zip"), map[string]string{"kousei.xml": "<x/>", "a.xml": "T:fail"}, []string{"kousei.xml", "a.xml"})
	// A zip inside a zip.
	var inner bytes.Buffer
	zw := zip.NewWriter(&inner)
	w, _ := zw.Create("deep")
	w.Write([]byte("T:pass"))
	zw.Close()
	writeZip(t, filepath.Join(dir, "k-outer.zip"), map[string]string{"inner.zip": inner.String()}, []string{"inner.zip"})

	var mu sync.Mutex
	var progress []BatchProgress
	res, err := VerifyBatch(context.Background(), []string{dir, filepath.Join(dir, "missing-arg.pdf")}, BatchOptions{
		Policy: testPolicy(t), Workers: 3, Verifiers: []Verifier{folderVerifier(), textVerifier(nil, nil)},
		Progress: func(p BatchProgress) { mu.Lock(); progress = append(progress, p); mu.Unlock() },
	})
	if err != nil {
		t.Fatal(err)
	}
	rel := func(p string) string { return strings.TrimPrefix(strings.TrimPrefix(p, dir), "/") }
	want := []struct {
		name   string
		status DocStatus
	}{
		{"a-pass.txt", DocPassed},
		{"b-fail.dat", DocFailed},
		{"c/d-none", DocUnsigned},
		{"c/e-panic", DocError},
		{"c/f-error", DocError},
		{"c/g-unknown.pdf", DocError},
		{"egov", DocPassed},
		{"h-dangling", DocError},
		{"i.zip!/x/pass", DocPassed},
		{"i.zip!/y/fail", DocFailed},
		{"j-egov.zip", DocPassed},
		{"k-outer.zip!/inner.zip!/deep", DocPassed},
		{"missing-arg.pdf", DocError},
	}
	var got []string
	for _, r := range res.Reports {
		got = append(got, rel(r.File)+"="+string(StatusOf(r)))
	}
	if len(res.Reports) != len(want) {
		t.Fatalf("got %d reports, want %d:\n%s", len(res.Reports), len(want), strings.Join(got, "\n"))
	}
	for i, w := range want {
		r := res.Reports[i]
		if rel(r.File) != w.name || StatusOf(r) != w.status {
			t.Errorf("report %d: %s = %s, want %s = %s", i, rel(r.File), StatusOf(r), w.name, w.status)
		}
		if r.ValidationTime.IsZero() || r.TrustStore != trust.StoreTest || r.Signatures == nil {
			t.Errorf("%s: validation time, trust store or signatures not filled in: %+v", r.File, r)
		}
	}
	if r := res.Reports[5]; r.Error == nil || r.Error.Key != MsgBatchUnknownKind || len(r.SHA256) != 64 {
		t.Errorf("unknown file: %+v", r)
	}
	if r := res.Reports[3]; r.Error == nil || r.Error.Key != MsgBatchInternal {
		t.Errorf("panicking verifier: %+v", r.Error)
	}
	if r := res.Reports[4]; r.Error == nil || r.Error.Key != MsgBatchReadError || r.Kind != "text" {
		t.Errorf("failing verifier: %+v", r)
	}
	wantTotals := BatchTotals{Files: 13, Passed: 5, Failed: 2, Unsigned: 1, Errors: 5}
	if res.Totals != wantTotals || res.Totals.AllPassed() {
		t.Errorf("totals %+v, want %+v", res.Totals, wantTotals)
	}
	if len(progress) != len(want) || progress[len(progress)-1].Done != len(want) || progress[0].Total != len(want) {
		t.Errorf("progress calls: %d, last %+v", len(progress), progress[len(progress)-1])
	}
}

func TestBatchZipEntryErrors(t *testing.T) {
	dir := t.TempDir()
	// An entry whose data is corrupt: the CRC check fails while extracting.
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "bad", Method: zip.Store})
	w.Write([]byte("T:pass"))
	w, _ = zw.CreateHeader(&zip.FileHeader{Name: "good", Method: zip.Store})
	w.Write([]byte("T:pass"))
	zw.Close()
	data := buf.Bytes()
	i := bytes.Index(data, []byte("T:pass"))
	data[i+2] = 'P' // "T:Pass": same length, wrong CRC
	writeFile(t, filepath.Join(dir, "crc.zip"), string(data))
	// A zip whose central directory is damaged.
	writeFile(t, filepath.Join(dir, "broken.zip"), "PK\x03\x04 truncated")
	// An entry larger than MaxFileSize.
	writeZip(t, filepath.Join(dir, "big.zip"), map[string]string{"huge": "T:pass" + strings.Repeat(" ", 200)}, []string{"huge"})

	res, err := VerifyBatch(context.Background(), []string{dir}, BatchOptions{
		Policy: testPolicy(t), MaxFileSize: 100, Verifiers: []Verifier{textVerifier(nil, nil)},
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range res.Reports {
		got = append(got, strings.TrimPrefix(r.File, dir+"/")+"="+string(StatusOf(r)))
		if r.Error != nil && strings.Contains(strings.Join(r.Error.Args, " "), os.TempDir()+"/mynasign-batch") {
			t.Errorf("%s: the error names the temporary file: %v", r.File, r.Error.Args)
		}
	}
	want := "big.zip!/huge=error broken.zip=error crc.zip!/bad=error crc.zip!/good=passed"
	if strings.Join(got, " ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
}

func TestBatchMemoryBudget(t *testing.T) {
	dir := t.TempDir()
	for i := 0; i < 12; i++ {
		writeFile(t, filepath.Join(dir, "f"+string(rune('a'+i))), "T:pass\n"+strings.Repeat("x", 400))
	}
	writeFile(t, filepath.Join(dir, "zz-huge"), "T:pass\n"+strings.Repeat("x", 5000))
	var inFlight, maxSeen atomic.Int64
	res, err := VerifyBatch(context.Background(), []string{dir}, BatchOptions{
		Policy: testPolicy(t), Workers: 8, MemoryBudget: 1000, Verifiers: []Verifier{textVerifier(&inFlight, &maxSeen)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Totals.AllPassed() || res.Totals.Files != 13 {
		t.Fatalf("totals %+v", res.Totals)
	}
	// Two 407-byte files fit in 1000 bytes, three do not; the huge file runs alone.
	if m := maxSeen.Load(); m > 5007 || (m > 1000 && m != 5007) {
		t.Errorf("at most %d bytes were in flight at once (budget 1000, huge file 5007)", m)
	}
}

func TestBatchCancel(t *testing.T) {
	dir := t.TempDir()
	for i := 0; i < 20; i++ {
		writeFile(t, filepath.Join(dir, "f"+string(rune('a'+i))), "T:pass")
	}
	ctx, cancel := context.WithCancel(context.Background())
	res, err := VerifyBatch(ctx, []string{dir}, BatchOptions{
		Policy: testPolicy(t), Workers: 1, Verifiers: []Verifier{textVerifier(nil, nil)},
		Progress: func(p BatchProgress) {
			if p.Done == 3 {
				cancel()
			}
		},
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if res.Totals.Files < 3 || res.Totals.Files >= 20 {
		t.Errorf("finished %d files after cancelling at 3", res.Totals.Files)
	}
}

func TestStatusOf(t *testing.T) {
	cases := []struct {
		r    *trust.DocumentReport
		want DocStatus
	}{
		{&trust.DocumentReport{Error: &trust.Message{Key: "x"}}, DocError},
		{&trust.DocumentReport{Indication: trust.TotalPassed}, DocUnsigned},
		{&trust.DocumentReport{Indication: trust.TotalPassed, Signatures: []trust.SignatureReport{{Indication: trust.TotalPassed}}}, DocPassed},
		{&trust.DocumentReport{Indication: trust.Indeterminate, Signatures: []trust.SignatureReport{{Indication: trust.TotalPassed}}}, DocIndeterminate},
		{&trust.DocumentReport{Indication: trust.TotalPassed, Signatures: []trust.SignatureReport{{Indication: trust.TotalPassed}, {Indication: ""}}}, DocIndeterminate},
		{&trust.DocumentReport{Signatures: []trust.SignatureReport{{Indication: trust.Indeterminate}, {Indication: trust.TotalFailed}}}, DocFailed},
	}
	for i, c := range cases {
		if got := StatusOf(c.r); got != c.want {
			t.Errorf("case %d: %s, want %s", i, got, c.want)
		}
	}
}
