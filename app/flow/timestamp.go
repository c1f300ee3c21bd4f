package flow

import (
	"context"

	"github.com/mynasign/mynasign/internal/tsp"
	"github.com/mynasign/mynasign/pdf"
	"github.com/mynasign/mynasign/trust"
)

// TimestampRequest is one PDF to time-stamp: a document time-stamp over the whole file,
// with no signature and no card (電子帳簿保存; or, on a B-LTA file, its renewal).
type TimestampRequest struct {
	// Input is the PDF; it is never modified.
	Input string
	// Output is where the time-stamped file goes, written atomically after a
	// self-verification.
	Output string
	// TSA is the time-stamping authority's address (http or https).
	TSA string
	// Policy, when set, validates the result's signatures and time-stamps for the report.
	Policy *trust.Policy
}

// Timestamp adds a document time-stamp to a PDF (pdf.TimestampFile).
func Timestamp(ctx context.Context, req TimestampRequest) (*SignResult, error) {
	if req.TSA == "" {
		return nil, ErrLevelNeedsTSA
	}
	c, err := tsp.NewClient(req.TSA)
	if err != nil {
		return nil, err
	}
	res, err := pdf.TimestampFile(ctx, req.Input, req.Output, pdf.TimestampOptions{Timestamper: c, Policy: req.Policy})
	if err != nil {
		return nil, err
	}
	return &SignResult{Output: res.Output, Report: res.Report}, nil
}
