package pdf

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mynasign/mynasign/internal/testenv"
)

// qpdfShapes are the ways qpdf rewrites a file: each a structure other producers write
// too (linearized, object and cross-reference streams, uncompressed QDF, …).
var qpdfShapes = map[string][]string{
	"linearized":     {"--linearize"},
	"object-streams": {"--object-streams=generate"},
	"qdf":            {"--qdf", "--object-streams=disable"},
	"no-compression": {"--stream-data=uncompress", "--object-streams=disable"},
	"all":            {"--linearize", "--object-streams=generate", "--compress-streams=y", "--recompress-flate"},
}

// TestReadsWhatQpdfAccepts rewrites the corpus PDFs and sample documents with qpdf in
// each shape: every output that `qpdf --check` accepts must be readable by our parser
// (structure, fields and a report without a document error), and a rewritten sample
// document can be signed and verifies.
func TestReadsWhatQpdfAccepts(t *testing.T) {
	qpdf := testenv.Tool(t, "qpdf")
	var inputs []string
	filepath.Walk(corpusDir(t), func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() && strings.HasSuffix(p, ".pdf") {
			inputs = append(inputs, p)
		}
		return nil
	})
	samples := map[string]bool{}
	for name, spec := range map[string]docSpec{
		"sample-table":  {pages: 2, acroForm: "indirect", textField: true, annots: "indirect"},
		"sample-stream": {xrefStream: true, annots: "direct"},
	} {
		p := writeTemp(t, name+".pdf", makePDF(t, spec))
		inputs = append(inputs, p)
		samples[p] = true
	}
	if len(inputs) < 30 {
		t.Fatalf("only %d inputs", len(inputs))
	}
	pol := testPolicy(t)
	dir := t.TempDir()
	checked := 0
	for _, in := range inputs {
		for shape, args := range qpdfShapes {
			out := filepath.Join(dir, "out.pdf")
			os.Remove(out)
			cmd := exec.Command(qpdf, append(append([]string{}, args...), in, out)...)
			if err := cmd.Run(); err != nil {
				var ee *exec.ExitError
				if !errors.As(err, &ee) || ee.ExitCode() != 3 { // 3: written with warnings
					continue // qpdf cannot rewrite it (encrypted, damaged): nothing to compare
				}
			}
			if err := exec.Command(qpdf, "--check", out).Run(); err != nil {
				var ee *exec.ExitError
				if !errors.As(err, &ee) || ee.ExitCode() != 3 {
					continue
				}
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			name := filepath.Base(in) + " as " + shape
			checked++
			f, err := NewFile(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				t.Errorf("%s: qpdf accepts it, we cannot read it: %v", name, err)
				continue
			}
			if _, err := f.Fields(f.Last()); err != nil {
				t.Errorf("%s: qpdf accepts it, we cannot read its fields: %v", name, err)
			}
			if rep := verifyBytes(t, data, pol); rep.Error != nil {
				t.Errorf("%s: report error %v", name, rep.Error)
			}
			if samples[in] {
				signed, _ := signBytes(t, data, personaOptions(t, "valid", PAdES))
				requirePassed(t, verifyBytes(t, signed, pol), 1)
			}
		}
	}
	if checked < len(inputs)*3 {
		t.Fatalf("qpdf rewrote only %d of %d inputs × %d shapes", checked, len(inputs), len(qpdfShapes))
	}
	t.Logf("%d rewritten files read", checked)
}
