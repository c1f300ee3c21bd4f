package cli

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/mynasign/mynasign/app/flow"
	"github.com/mynasign/mynasign/app/i18n"
	batchcorpus "github.com/mynasign/mynasign/internal/batchcorpus"
	"github.com/mynasign/mynasign/internal/testenv"
	"github.com/mynasign/mynasign/trust"
)

// The clerk's desk, end to end: `mynasign verify` over a generated folder of 300 mixed
// documents (internal/batchcorpus says what each one must get), the exit codes, and the
// printable records checked with poppler and qpdf.

var (
	corpusOnce sync.Once
	corpus     *batchcorpus.Corpus
	corpusErr  error
)

// sharedCorpus generates the 300-document folder once per test binary.
func sharedCorpus(t testing.TB) *batchcorpus.Corpus {
	t.Helper()
	corpusOnce.Do(func() {
		dir, err := os.MkdirTemp("", "mynasign-batch-corpus-*")
		if err != nil {
			corpusErr = err
			return
		}
		corpus, corpusErr = batchcorpus.Generate(dir, 300)
	})
	if corpusErr != nil {
		t.Fatal(corpusErr)
	}
	return corpus
}

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		// The signal tests (signal_test.go) run the CLI in a child process.
		os.Exit(Main(os.Args[1:]))
	}
	code := m.Run()
	if corpus != nil {
		os.RemoveAll(corpus.Dir)
	}
	os.Exit(code)
}

// runCLI runs the CLI in-process and returns the exit code and both streams.
func runCLI(t testing.TB, lang i18n.Lang, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, L: i18n.New(lang)}
	code := Run(env, args)
	return code, out.String(), errb.String()
}

type batchJSON struct {
	Schema               string
	App                  struct{ Name, Version string }
	ValidationTimeChosen bool
	TrustStore           string
	PersonalData         bool
	AllPassed            bool
	Totals               flow.BatchTotals
	Files                []struct {
		Status string
		trust.DocumentReport
	}
}

func TestVerifyBatchOf300MixedDocuments(t *testing.T) {
	c := sharedCorpus(t)
	if len(c.Expect) != 300 {
		t.Fatalf("the corpus has %d documents, want 300", len(c.Expect))
	}
	code, stdout, stderr := runCLI(t, i18n.Japanese, "verify", "--json", "--trust", "test", "--crl-dir", t.TempDir(), c.Dir)
	if code != ExitFailure {
		t.Errorf("exit code %d, want %d (the folder holds documents that do not pass)\n%s", code, ExitFailure, stderr)
	}
	if stderr != "" && !strings.Contains(stderr, "level=") {
		t.Errorf("stderr in JSON mode: %s", stderr)
	}
	var got batchJSON
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("JSON: %v\n%.2000s", err, stdout)
	}
	if got.Schema != flow.BatchSchema || got.App.Name != "mynasign" || got.App.Version == "" || got.TrustStore != "test" ||
		got.AllPassed || got.PersonalData {
		t.Errorf("header: %+v", got)
	}
	if len(got.Files) != len(c.Expect) {
		t.Errorf("%d files in the JSON, want %d", len(got.Files), len(c.Expect))
	}
	seen := map[string]bool{}
	var totals flow.BatchTotals
	for _, f := range got.Files {
		totals.Add(flow.DocStatus(f.Status))
		e, ok := c.Expect[f.File]
		if !ok {
			t.Errorf("unexpected document %s (%s)", f.File, f.Status)
			continue
		}
		seen[f.File] = true
		// Signed documents must get exactly the expected indication; an unsigned or
		// unreadable one only its status (and never TOTAL-PASSED).
		wrongIndication := f.Indication != e.Indication || f.SubIndication != e.SubIndication
		if e.Indication == "" {
			wrongIndication = f.Indication == trust.TotalPassed
		}
		if f.Status != e.Status || wrongIndication || f.Kind != e.Kind {
			errText := ""
			if f.Error != nil {
				errText = f.Error.Key + " " + strings.Join(f.Error.Args, " ")
			}
			t.Errorf("%s (%s): got %s %s %s kind %q, want %s %s %s kind %q %s", filepath.Base(f.File), e.Category,
				f.Status, f.Indication, f.SubIndication, f.Kind, e.Status, e.Indication, e.SubIndication, e.Kind, errText)
		}
		if e.Status == "error" && f.Error == nil {
			t.Errorf("%s: status error without an error message", f.File)
		}
		if e.Status != "error" && len(f.SHA256) != 64 {
			t.Errorf("%s: sha256 %q", f.File, f.SHA256)
		}
		for _, s := range f.Signatures {
			if s.Signer != nil && (s.Signer.Name != "" || s.Signer.Address != "" || s.Signer.BirthDate != "") {
				t.Errorf("%s: personal data in the JSON without --show-personal-data", f.File)
			}
		}
	}
	for name, e := range c.Expect {
		if !seen[name] {
			t.Errorf("no result for %s (%s)", name, e.Category)
		}
	}
	if totals != got.Totals {
		t.Errorf("totals %+v, counted %+v", got.Totals, totals)
	}
	for _, personal := range []string{"髙橋", "高橋", "山田", "霞が関"} {
		if strings.Contains(stdout, personal) {
			t.Errorf("the JSON holds personal data %q", personal)
		}
	}
}

func TestVerifyBatchCSVAndText(t *testing.T) {
	c := sharedCorpus(t)
	code, stdout, _ := runCLI(t, i18n.English, "verify", "--csv", "--trust", "test", "--crl-dir", t.TempDir(), c.Dir)
	if code != ExitFailure {
		t.Errorf("exit code %d", code)
	}
	if !strings.HasPrefix(stdout, "\xef\xbb\xbf") {
		t.Errorf("the CSV does not begin with the UTF-8 BOM: %q", stdout[:min(len(stdout), 20)])
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(stdout, flow.CSVBOM))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(c.Expect)+1 || strings.Join(rows[0], ",") != strings.Join(flow.CSVHeader, ",") {
		t.Fatalf("%d CSV rows, header %q", len(rows), rows[0])
	}
	for _, r := range rows[1:] {
		if e := c.Expect[r[0]]; r[2] != e.Status {
			t.Errorf("CSV %s: status %s, want %s", r[0], r[2], e.Status)
		}
	}

	// The text output names every document with its status word; standard output is not
	// a terminal here, so no progress line is written.
	code, stdout, stderr := runCLI(t, i18n.English, "verify", "--trust", "test", "--crl-dir", t.TempDir(), c.Dir)
	if code != ExitFailure || strings.Contains(stderr, "Verifying") {
		t.Errorf("exit code %d, stderr %q", code, stderr)
	}
	if n := strings.Count(stdout, "\n"+"VALID\t") + strings.Count(stdout, "INVALID\t"); n == 0 || !strings.Contains(stdout, "300 files:") {
		t.Errorf("text output:\n%.3000s", stdout)
	}
}

func TestVerifyExitCodes(t *testing.T) {
	c := sharedCorpus(t)
	var valid, revoked []string
	for name, e := range c.Expect {
		switch {
		case e.Category == "pdf-valid" && len(valid) < 2, e.Category == "xml-valid" && len(valid) < 4:
			valid = append(valid, name)
		case e.Category == "pdf-revoked" && len(revoked) == 0:
			revoked = append(revoked, name)
		}
	}
	crl := t.TempDir()
	args := append([]string{"verify", "--json", "--trust", "test", "--crl-dir", crl}, valid...)
	if code, out, errs := runCLI(t, i18n.Japanese, args...); code != ExitOK {
		t.Errorf("all valid: exit %d\n%s\n%s", code, errs, out)
	}
	if code, _, _ := runCLI(t, i18n.Japanese, append(args, revoked...)...); code != ExitFailure {
		t.Errorf("one revoked among valid ones: exit %d", code)
	}
	// Production trust: the test CA is not trusted, nothing passes.
	if code, _, _ := runCLI(t, i18n.Japanese, "verify", "--json", "--crl-dir", crl, valid[0]); code != ExitFailure {
		t.Errorf("test signature under production trust: exit %d", code)
	}
	for _, bad := range [][]string{
		{"verify"},
		{"verify", "--json", "--csv", valid[0]},
		{"verify", "--report-scope", "all", "--report", t.TempDir(), valid[0]},
		{"verify", "--report-scope", "file", valid[0]},
		{"verify", "--at", "yesterday", valid[0]},
		{"verify", "--trust", "nobody", valid[0]},
		{"verify", "--no-such-flag", valid[0]},
	} {
		if code, _, _ := runCLI(t, i18n.Japanese, bad...); code != ExitUsage {
			t.Errorf("%q: exit %d, want %d", bad, code, ExitUsage)
		}
	}
}

// TestVerifyReportRecords writes the records of real verifications and checks them with
// the independent tools: pdftotext finds each file's SHA-256 and result, qpdf --check is
// clean, pdftoppm renders every page.
func TestVerifyReportRecords(t *testing.T) {
	pdftotext := testenv.Tool(t, "pdftotext")
	qpdf := testenv.Tool(t, "qpdf")
	pdftoppm := testenv.Tool(t, "pdftoppm")
	c := sharedCorpus(t)
	pick := map[string]string{} // category → file
	for name, e := range c.Expect {
		switch e.Category {
		case "pdf-valid", "xml-revoked", "pdf-tampered", "pdf-unsigned", "dangling-link", "egov":
			if pick[e.Category] == "" || name < pick[e.Category] {
				pick[e.Category] = name
			}
		}
	}
	var files []string
	for _, f := range pick {
		files = append(files, f)
	}
	dir := t.TempDir()
	args := append([]string{"verify", "--json", "--trust", "test", "--crl-dir", t.TempDir(), "--report", dir}, files...)
	code, stdout, stderr := runCLI(t, i18n.Japanese, args...)
	if code != ExitFailure {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	var res batchJSON
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatal(err)
	}
	written, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(written) != 2*(len(files)+1) { // per file and the batch, PDF and HTML each
		t.Fatalf("records written: %v", written)
	}
	word := map[string]string{"passed": "有効", "failed": "無効", "indeterminate": "判定できず", "unsigned": "署名なし", "error": "読めないファイル"}
	etsi := map[string]string{"passed": "TOTAL-PASSED", "failed": "TOTAL-FAILED"}
	for _, f := range res.Files {
		id := f.SHA256
		if len(id) < 8 {
			continue // no hash: the unreadable file's record is named after its path
		}
		pattern := filepath.Join(dir, "record-*-"+id[:8]+".pdf")
		m, _ := filepath.Glob(pattern)
		if len(m) != 1 {
			t.Errorf("%s: no record %s", f.File, pattern)
			continue
		}
		out, err := exec.Command(pdftotext, "-layout", m[0], "-").CombinedOutput()
		if err != nil {
			t.Fatalf("pdftotext: %v\n%s", err, out)
		}
		text := string(out)
		for _, want := range []string{f.SHA256, word[f.Status], etsi[f.Status], "電子署名検証記録"} {
			if !strings.Contains(text, want) {
				t.Errorf("record of %s (%s) lacks %q", filepath.Base(f.File), f.Status, want)
			}
		}
		if out, err := exec.Command(qpdf, "--check", m[0]).CombinedOutput(); err != nil || !strings.Contains(string(out), "No syntax or stream encoding errors") {
			t.Errorf("qpdf --check %s: %v\n%s", m[0], err, out)
		}
		if out, err := exec.Command(pdftoppm, "-r", "30", "-png", m[0], filepath.Join(t.TempDir(), "p")).CombinedOutput(); err != nil || len(out) > 0 {
			t.Errorf("pdftoppm %s: %v\n%s", m[0], err, out)
		}
	}
	batch, _ := filepath.Glob(filepath.Join(dir, "batch-record-*.pdf"))
	if len(batch) != 1 {
		t.Fatalf("batch record: %v", batch)
	}
	out, err := exec.Command(pdftotext, "-layout", batch[0], "-").CombinedOutput()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Files {
		if f.SHA256 != "" && !strings.Contains(string(out), f.SHA256) {
			t.Errorf("the batch record lacks %s's hash", f.File)
		}
	}
	if out, err := exec.Command(qpdf, "--check", batch[0]).CombinedOutput(); err != nil {
		t.Errorf("qpdf --check %s: %v\n%s", batch[0], err, out)
	}
	if keep := os.Getenv("MYNASIGN_KEEP_RECORDS"); keep != "" {
		for _, p := range written {
			data, _ := os.ReadFile(p)
			os.WriteFile(filepath.Join(keep, filepath.Base(p)), data, 0o644)
		}
	}
}
