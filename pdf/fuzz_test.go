package pdf

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mynasign/mynasign/internal/testenv"
	"github.com/mynasign/mynasign/trust"
)

// FuzzVerify feeds the verifier hostile files: it must never panic or hang, and never
// call a signature intact whose byte ranges it rejected.
func FuzzVerify(f *testing.F) {
	dir, _ := testenv.CorpusPath("pdf")
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && strings.HasSuffix(p, ".pdf") && info.Size() < 40<<10 {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
		return nil
	})
	opts := personaOptions(f, "valid", PAdES)
	signed, _ := signBytes(f, makePDF(f, docSpec{acroForm: "indirect", textField: true}), opts)
	f.Add(signed)
	twice, _ := signBytes(f, signed, personaOptions(f, "blocked", Registry))
	f.Add(twice)
	xs, _ := signBytes(f, makePDF(f, docSpec{xrefStream: true}), opts)
	f.Add(xs)
	// An update after signing with a repeated key, a generation mismatch and a body its
	// table does not list: the repair scan and every-reading comparisons run.
	f.Add(appendCustom(f, signed, map[int]string{40: "<</A 1 0 R /A 41 1 R>>"},
		"7 0 obj\n<</Length 2>>\nstream\nBT\nendstream\nendobj\ntrailer <</Root 40 0 R>>\n", nil, ""))
	pol, err := trust.NewPolicy(trust.Options{TrustStore: trust.StoreTest, CRLDir: f.TempDir()})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rep := Verify(context.Background(), bytes.NewReader(data), int64(len(data)), "fuzz.pdf", pol)
		if rep == nil {
			t.Fatal("no report")
		}
		for _, s := range rep.Signatures {
			if s.Intact {
				for _, c := range s.Checks {
					if c.Name == "byterange" && !c.Passed {
						t.Fatalf("intact with a rejected byte range: %+v", s)
					}
				}
			}
			if s.Indication == trust.TotalPassed && (!s.Intact || s.Coverage == trust.CoveragePartial) {
				t.Fatalf("passed without being intact and covering: %+v", s)
			}
		}
	})
}
