package pdf

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mynasign/mynasign/internal/testenv"
	"github.com/mynasign/mynasign/trust"
)

// TestSignCorpusFiles adds our signature to every file of the conformance corpus that
// can be signed: real-world structures (linearized files, object streams, xref streams,
// forms, several revisions). Each must either be refused with a typed error or give a
// file whose new signature passes and whose earlier signatures keep their verdicts.
func TestSignCorpusFiles(t *testing.T) {
	dir := corpusDir(t)
	pol := testPolicy(t)
	pdfsig := testenv.Tool(t, "pdfsig")
	var files []string
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && strings.HasSuffix(p, ".pdf") {
			files = append(files, p)
		}
		return nil
	})
	signed := 0
	for _, p := range files {
		rel, _ := filepath.Rel(dir, p)
		t.Run(rel, func(t *testing.T) {
			before, err := VerifyFile(context.Background(), p, pol)
			if err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(t.TempDir(), "signed.pdf")
			opts := personaOptions(t, "valid", Registry)
			opts.Visible = &Appearance{Page: 1, X: 20, Y: 20, W: 160, H: 50}
			res, err := SignFile(context.Background(), p, out, opts)
			var re *ReadError
			var ce *CertifiedError
			var pe *PageError
			switch {
			case err == nil:
			case errors.Is(err, ErrEncrypted), errors.As(err, &re), errors.As(err, &ce), errors.As(err, &pe):
				t.Logf("refused: %v", err)
				return
			default:
				t.Fatalf("unexpected error: %v", err)
			}
			signed++
			after, err := VerifyFile(context.Background(), out, pol)
			if err != nil {
				t.Fatal(err)
			}
			if len(after.Signatures) != len(before.Signatures)+1 {
				t.Fatalf("%d signatures after signing, %d before", len(after.Signatures), len(before.Signatures))
			}
			byID := map[string]trust.SignatureReport{}
			for _, s := range after.Signatures {
				byID[s.ID] = s
			}
			if s := byID[res.Field]; s.Indication != trust.TotalPassed || s.Coverage != trust.CoverageWhole {
				t.Fatalf("our signature: %s/%s %v", s.Indication, s.SubIndication, s.Summary)
			}
			// poppler accepts our signature on the real-world file too.
			ps, _ := exec.Command(pdfsig, "-nocert", out).CombinedOutput()
			lastSig := string(ps)
			if i := strings.LastIndex(lastSig, "Signature #"); i >= 0 {
				lastSig = lastSig[i:]
			}
			if !strings.Contains(lastSig, "Signature is Valid.") || !strings.Contains(lastSig, "Total document signed") {
				t.Errorf("pdfsig on our signature:\n%s", ps)
			}
			for i, b := range before.Signatures {
				a, ok := byID[b.ID]
				if !ok || a.Indication != b.Indication || a.SubIndication != b.SubIndication || a.Intact != b.Intact {
					t.Errorf("signature %d (%s) changed verdict: %s/%s -> %s/%s", i+1, b.ID, b.Indication, b.SubIndication, a.Indication, a.SubIndication)
					for _, o := range a.ChangesAfterSigning.Objects {
						t.Logf("  r%d %s %v", o.Revision, o.Object, o.Why)
					}
				}
			}
		})
	}
	if signed < len(files)/2 {
		t.Fatalf("only %d of %d corpus files could be signed", signed, len(files))
	}
}
