package flow

import (
	"context"
	"strings"
	"testing"

	"github.com/mynasign/mynasign/internal/testenv"
	"github.com/mynasign/mynasign/trust"
)

// cannotEvaluate tells the message keys that say a check could not be carried out —
// an unsupported algorithm, transform or format, something that could not be read or
// found — from those that state a finding.
func cannotEvaluate(key string) bool {
	for _, w := range []string{"unsupported", "malformed", "unreadable", "cannot", "external", "not_found", "unknown", "weak"} {
		if strings.Contains(key, w) {
			return true
		}
	}
	return false
}

// provenFailure is whether a TOTAL-FAILED signature rests on a finding: a digest or
// signature value that does not verify, a revocation, a certificate not yet valid, or a
// failed check (a forbidden structure, a change after signing) that is a finding
// rather than a "could not evaluate".
func provenFailure(s trust.SignatureReport) (bool, string) {
	if cannotEvaluate(s.Summary.Key) {
		return false, "its summary says it could not be evaluated: " + s.Summary.Key
	}
	switch s.SubIndication {
	case trust.HashFailure, trust.SigCryptoFailure, trust.Revoked, trust.NotYetValid:
		return true, ""
	}
	var failed []string
	for _, c := range s.Checks {
		if c.Passed {
			continue
		}
		if !cannotEvaluate(c.Detail.Key) {
			return true, ""
		}
		failed = append(failed, string(c.Name)+"="+c.Detail.Key)
	}
	return false, "its only failed checks could not be evaluated: " + strings.Join(failed, ", ")
}

// TestTotalFailedOnlyOnProof asserts the verifiers' rule over every file of the corpus
// (testdata/corpus: PDF and XML, signed by other software), against both trust stores: a
// TOTAL-FAILED rests on a finding, never only on something unsupported or unreadable;
// what cannot be evaluated is INDETERMINATE, and its integrity is then not called broken.
func TestTotalFailedOnlyOnProof(t *testing.T) {
	paths := []string{testenv.Corpus(t, "pdf"), testenv.Corpus(t, "xml")}
	for _, store := range []string{trust.StoreProduction, trust.StoreTest} {
		t.Run(store, func(t *testing.T) {
			pol, err := trust.NewPolicy(trust.Options{TrustStore: store, CRLDir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			res, err := VerifyBatch(context.Background(), paths, BatchOptions{Policy: pol})
			if err != nil {
				t.Fatal(err)
			}
			signatures := 0
			for _, rep := range res.Reports {
				for _, s := range rep.Signatures {
					signatures++
					if s.Integrity() == trust.IntegrityBroken && s.Indication != trust.TotalFailed {
						t.Errorf("%s, signature %q: integrity broken but %s", rep.File, s.ID, s.Indication)
					}
					if s.Indication != trust.TotalFailed {
						continue
					}
					if ok, why := provenFailure(s); !ok {
						t.Errorf("%s, signature %q: TOTAL-FAILED/%s, but %s", rep.File, s.ID, s.SubIndication, why)
					}
				}
			}
			if signatures < 100 {
				t.Fatalf("only %d signatures in %d documents: the corpus was not read", signatures, len(res.Reports))
			}
			t.Logf("%d documents, %d signatures", len(res.Reports), signatures)
		})
	}
}
