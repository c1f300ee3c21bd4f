package pdf

import (
	"bytes"
	"context"
	"crypto/sha256"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mynasign/mynasign/internal/testenv"
	"github.com/mynasign/mynasign/trust"
)

// The viewer oracle (issue 12, Method): what poppler (pdftotext) and MuPDF (mutool draw
// -F txt) show of each page of a file is compared with what they show of the revision a
// signature signed (the file cut at the end of its /ByteRange). When a page reads
// differently, the report may not say TOTAL-PASSED with changes "none" or "permitted" —
// unless the permitted changes are ones that legitimately draw new text: a signature
// added (its appearance), a field filled in or redrawn.
//
// checkViewers runs from verifyBytes, so every file a test verifies — every attack file
// the tests build — goes through it; TestViewerOracleOnCorpus runs it over the
// corpus.

// viewerTools are the text extractors, by name: the command line writing the text of
// every page of the file at the last argument to stdout, pages ended by a form feed.
var viewerTools = map[string][]string{
	"pdftotext": {"pdftotext", "-q", "-enc", "UTF-8"},             // + path, "-"
	"mutool":    {"mutool", "draw", "-q", "-F", "txt", "-o", "-"}, // + path
}

// oracleCompared counts the signed revisions compared with their file.
var oracleCompared atomic.Int64

var viewerCache sync.Map // sha256 + tool → []string (nil: the tool could not read the file)

// toolsPresent reports whether both extractors are installed.
func toolsPresent() bool {
	for _, argv := range viewerTools {
		if _, err := exec.LookPath(argv[0]); err != nil {
			return false
		}
	}
	return true
}

// pageTexts returns the text each page of data shows in tool, with the
// white space removed (the tools space glyphs differently), or nil when the tool cannot
// read the file.
func pageTexts(t testing.TB, tool string, data []byte) []string {
	t.Helper()
	sum := sha256.Sum256(data)
	key := tool + string(sum[:])
	if v, ok := viewerCache.Load(key); ok {
		return v.([]string)
	}
	dir, err := os.MkdirTemp("", "viewer-oracle-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	argv := append(append([]string{}, viewerTools[tool]...), path)
	if tool == "pdftotext" {
		argv = append(argv, "-")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var stdout bytes.Buffer
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Stdout = &stdout
	var pages []string
	if err := cmd.Run(); err == nil {
		for _, p := range strings.Split(stdout.String(), "\f") {
			pages = append(pages, strings.Join(strings.Fields(p), ""))
		}
		for len(pages) > 0 && pages[len(pages)-1] == "" {
			pages = pages[:len(pages)-1]
		}
		if pages == nil {
			pages = []string{}
		}
	}
	viewerCache.Store(key, pages)
	return pages
}

// textChanging are the permitted changes that legitimately draw new text on a page.
var textChanging = map[string]bool{MsgChangeSignatureAdded: true, MsgChangeFormFilled: true, MsgChangeRedrawn: true}

// oracleFinding is one disagreement between the viewers and the report.
type oracleFinding struct {
	sig, tool string
	page      int
	signed    string
	now       string
}

// viewerFindings compares, for every intact signature the report does not fail and
// whose changes are none or permitted only, the pages of data with those of its signed revision.
func viewerFindings(t testing.TB, data []byte, rep *trust.DocumentReport) []oracleFinding {
	t.Helper()
	f, err := NewFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil
	}
	fields, err := f.Fields(f.Last())
	if err != nil {
		return nil
	}
	var out []oracleFinding
	for _, fl := range fields {
		sd, ok, err := f.dictAt(f.Last(), fl.Dict.Get("V"))
		if err != nil || !ok {
			continue
		}
		br, _ := sd.Get("ByteRange").(Array)
		if len(br) != 4 {
			continue
		}
		b2, ok2 := IntOf(br[2])
		b3, ok3 := IntOf(br[3])
		end := b2 + b3
		if !ok2 || !ok3 || end <= 0 || end >= int64(len(data)) {
			continue
		}
		for _, s := range rep.Signatures {
			// Intact and not failed: TOTAL-PASSED, or what would be with a trusted chain
			// (the corpus signers chain to foreign test CAs).
			if s.ID != fl.Name || s.Indication == trust.TotalFailed || !s.Intact {
				continue
			}
			ch := s.ChangesAfterSigning
			if ch.Level != trust.ChangesNone && ch.Level != trust.ChangesPermitted {
				continue
			}
			exempt := false
			for _, o := range ch.Objects {
				exempt = exempt || textChanging[o.Why.Key]
			}
			if exempt {
				continue
			}
			for tool := range viewerTools {
				before, after := pageTexts(t, tool, data[:end]), pageTexts(t, tool, data)
				if before == nil || after == nil {
					continue // the tool shows nothing of one of them
				}
				oracleCompared.Add(1)
				for i := 0; i < max(len(before), len(after)); i++ {
					var a, b string
					if i < len(before) {
						a = before[i]
					}
					if i < len(after) {
						b = after[i]
					}
					if a != b {
						out = append(out, oracleFinding{sig: s.ID, tool: tool, page: i + 1, signed: a, now: b})
						break
					}
				}
			}
		}
	}
	return out
}

// checkViewers fails t when the viewers show a page differently from a signed revision
// that the report passes as unchanged or changed only as permitted.
func checkViewers(t testing.TB, data []byte, rep *trust.DocumentReport) {
	t.Helper()
	if !toolsPresent() {
		return // TestViewerOracleTools says so (and fails in CI)
	}
	for _, o := range viewerFindings(t, data, rep) {
		t.Errorf("viewer oracle: %s shows page %d as %q, the revision signature %s signed as %q, yet the report passes it (%s)",
			o.tool, o.page, clip(o.now), o.sig, clip(o.signed), rep.Indication)
	}
}

func clip(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

func TestViewerOracleTools(t *testing.T) {
	for _, argv := range viewerTools {
		testenv.Tool(t, argv[0])
	}
	// The oracle itself: page text that an update changes is seen by both tools, and a
	// report that passes it is caught.
	signed := signedWith(t, docSpec{pages: 2}, nil, "")
	attacked := appendUpdate(t, signed, map[int]string{9: contentStream("Pay 1,000,000 yen")}, "")
	rep := verifyBytes(t, attacked, testPolicy(t))
	requireRejected(t, rep)
	forged := *rep
	forged.Signatures = append([]trust.SignatureReport{}, rep.Signatures...)
	forged.Signatures[0].Indication = trust.TotalPassed
	forged.Signatures[0].ChangesAfterSigning = trust.Changes{Level: trust.ChangesPermitted}
	got := map[string]bool{}
	for _, o := range viewerFindings(t, attacked, &forged) {
		got[o.tool] = o.page == 2 && strings.Contains(o.now, "1,000,000")
	}
	for tool := range viewerTools {
		if !got[tool] {
			t.Errorf("%s: the changed page 2 is not seen (%v)", tool, got)
		}
	}
	// A permitted change that shows nothing new (metadata) is no finding.
	info := serializeObj(t, signed, 4, func(d Dict) Dict {
		d.Set("Title", TextString("updated"))
		return d
	})
	ok := appendUpdate(t, signed, map[int]string{4: info}, " /Info 4 0 R")
	if fs := viewerFindings(t, ok, verifyBytes(t, ok, testPolicy(t))); len(fs) != 0 {
		t.Errorf("metadata change: %+v", fs)
	}
}

func TestViewerOracleOnCorpus(t *testing.T) {
	for _, argv := range viewerTools {
		testenv.Tool(t, argv[0])
	}
	dir := testenv.Corpus(t, "pdf")
	pol := testPolicy(t)
	n := 0
	before := oracleCompared.Load()
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.EqualFold(filepath.Ext(path), ".pdf") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n++
		rel, _ := filepath.Rel(dir, path)
		rep := Verify(context.Background(), bytes.NewReader(data), int64(len(data)), rel, pol)
		for _, o := range viewerFindings(t, data, rep) {
			t.Errorf("%s: %s shows page %d as %q, the revision signature %s signed as %q, yet the report passes it",
				rel, o.tool, o.page, clip(o.now), o.sig, clip(o.signed))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no PDFs in the corpus")
	}
	compared := oracleCompared.Load() - before
	if compared == 0 {
		t.Fatal("no signed revision of the corpus was compared")
	}
	t.Logf("%d corpus PDFs, %d signed revisions compared with their file", n, compared)
}
