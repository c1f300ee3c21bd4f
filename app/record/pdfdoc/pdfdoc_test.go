package pdfdoc

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mynasign/mynasign/assets"
	"github.com/mynasign/mynasign/internal/testenv"
)

func writeSample(t *testing.T) (string, string) {
	t.Helper()
	d := New(Info{Title: "検証記録 test", Producer: "mynasign test", Created: time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("JST", 9*3600)), Lang: "ja"})
	f, err := d.AddFont(assets.FontRegular)
	if err != nil {
		t.Fatal(err)
	}
	b, err := d.AddFont(assets.FontBold)
	if err != nil {
		t.Fatal(err)
	}
	p := d.NewPage(A4Width, A4Height)
	text := "電子署名の検証結果：有効（TOTAL-PASSED）"
	hash := "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	p.Text(b, 16, Black, 50, 780, "電子署名検証記録")
	p.Text(f, 10, Black, 50, 750, text)
	p.Text(f, 10, Color{0.8, 0, 0}, 50, 735, hash)
	p.Rect(50, 700, 200, 20, Color{0.9, 1, 0.9})
	p.Line(50, 690, 545, 690, 0.5, Black)
	p2 := d.NewPage(A4Width, A4Height)
	p2.Text(f, 10, Black, 50, 780, "2ページ目 髙橋 𠮷野家 ☃")
	dir := t.TempDir()
	path := filepath.Join(dir, "sample.pdf")
	var buf bytes.Buffer
	if _, err := d.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, text + "\n" + hash
}

// TestPDFIsReadableByPoppler writes a two-page document with Japanese text and checks
// it with the independent tools: pdftotext finds the text, qpdf --check is clean, and
// pdftoppm renders it.
func TestPDFIsReadableByPoppler(t *testing.T) {
	pdftotext := testenv.Tool(t, "pdftotext")
	qpdf := testenv.Tool(t, "qpdf")
	pdftoppm := testenv.Tool(t, "pdftoppm")
	path, want := writeSample(t)

	out, err := exec.Command(pdftotext, "-layout", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	for _, line := range strings.Split(want, "\n") {
		if !strings.Contains(string(out), line) {
			t.Errorf("pdftotext output lacks %q:\n%s", line, out)
		}
	}
	for _, s := range []string{"電子署名検証記録", "2ページ目", "髙橋"} {
		if !strings.Contains(string(out), s) {
			t.Errorf("pdftotext output lacks %q", s)
		}
	}
	if out, err := exec.Command(qpdf, "--check", path).CombinedOutput(); err != nil || !strings.Contains(string(out), "No syntax or stream encoding errors") {
		t.Errorf("qpdf --check: %v\n%s", err, out)
	}
	png := filepath.Join(t.TempDir(), "page")
	if out, err := exec.Command(pdftoppm, "-r", "50", "-png", "-f", "1", "-l", "1", path, png).CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("pdftoppm: %v\n%s", err, out)
	}
	if dst := os.Getenv("PDFDOC_KEEP"); dst != "" {
		data, _ := os.ReadFile(path)
		os.WriteFile(dst, data, 0o644)
	}
}
