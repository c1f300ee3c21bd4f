package flow

import (
	"bytes"
	"context"

	"github.com/mynasign/mynasign/pdf"
	"github.com/mynasign/mynasign/trust"
)

// pdfVerifier is "pdf": any PDF, recognized by its header.
func pdfVerifier() Verifier {
	return Verifier{Name: "pdf", Detect: isPDF, Verify: verifyPDF}
}

// registryConformance is "registry": a PDF checked against the registry's profile.
func registryConformance() ConformanceCheck {
	return ConformanceCheck{Profile: "registry", Detect: isPDF, Check: checkRegistry}
}

// isPDF recognizes a PDF by its header in the first kilobyte.
func isPDF(_ string, head []byte) bool {
	if head == nil {
		return false
	}
	if len(head) > 1024 {
		head = head[:1024]
	}
	return bytes.Contains(head, []byte("%PDF-"))
}

func verifyPDF(ctx context.Context, path string, policy *trust.Policy) (*trust.DocumentReport, error) {
	return pdf.VerifyFile(ctx, path, policy)
}

// checkRegistry is the Legal Affairs Bureau registry profile (formats.md §1b).
func checkRegistry(ctx context.Context, path string) (*Conformance, error) {
	r, err := pdf.CheckRegistryFile(ctx, path)
	if err != nil {
		return nil, err
	}
	c := &Conformance{Profile: "registry", File: r.File, Passed: r.Passed, Problem: r.Problem,
		Signatures: []ConformanceSignature{}}
	for _, s := range r.Signatures {
		cs := ConformanceSignature{Signature: s.Signature, Passed: s.Passed}
		for _, row := range s.Rows {
			cs.Rows = append(cs.Rows, ConformanceRow(row))
		}
		c.Signatures = append(c.Signatures, cs)
	}
	return c, nil
}
