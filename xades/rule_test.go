package xades

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mynasign/mynasign/trust"
)

// cannotEvaluate are the outcomes that say a check could not be carried out (an
// unsupported algorithm, parameter, key or transform, an unreadable certificate, a
// reference that cannot be resolved): never a proof of failure.
var cannotEvaluate = map[string]bool{
	MsgSigAlgorithm: true, MsgSigAlgorithmParams: true, MsgSigTransforms: true, MsgSigCertUnparseable: true,
	MsgSigNoKey: true, MsgSigValueHoistedNS: true, MsgRefNotFound: true, MsgRefExternal: true,
	MsgRefFileMissing: true, MsgDocTooComplex: true,
}

// proofOfFailure are the sub-indications a TOTAL-FAILED may have.
var proofOfFailure = map[trust.SubIndication]bool{
	trust.HashFailure: true, trust.SigCryptoFailure: true, trust.FormatFailure: true,
	trust.Revoked: true, trust.NotYetValid: true,
}

// TestCorpusXMLVerdictRule: over every XML file of the corpus (testdata/corpus/xml), TOTAL-FAILED only
// with a proof (a digest, a signature value, a forbidden structure), and what could not
// be evaluated is INDETERMINATE and not intact.
func TestCorpusXMLVerdictRule(t *testing.T) {
	root := corpusDir(t)
	n := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".xml") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		for _, s := range Verify(rel, data, nil).Signatures {
			n++
			key := s.Summary.Key
			if s.Indication == trust.TotalFailed && (!proofOfFailure[s.SubIndication] || cannotEvaluate[key]) {
				t.Errorf("%s %s: TOTAL-FAILED/%s without proof (%s %v)", rel, s.ID, s.SubIndication, key, s.Summary.Args)
			}
			if cannotEvaluate[key] && (s.Indication != trust.Indeterminate || s.Intact) {
				t.Errorf("%s %s: %s is %s, intact=%v", rel, s.ID, key, s.Indication, s.Intact)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 100 {
		t.Fatalf("only %d signatures in the corpus", n)
	}
}
