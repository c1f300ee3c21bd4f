package flow

import (
	"context"

	"github.com/mynasign/mynasign/pdf"
)

func init() {
	for _, p := range []pdf.Profile{pdf.PAdES, pdf.Registry} {
		RegisterSignProfile(SignProfile{
			Name:          string(p),
			Kind:          "pdf",
			Accepts:       isPDF,
			DefaultOutput: func(in string) string { return SuffixedOutput(in, "_signed") },
			Sign:          signPDF(p),
		})
	}
}

// signPDF signs with one of the pdf package's profiles.
func signPDF(profile pdf.Profile) func(ctx context.Context, req SignRequest) (*SignResult, error) {
	return func(ctx context.Context, req SignRequest) (*SignResult, error) {
		opts := pdf.SignOptions{
			Profile:     profile,
			Signer:      req.Signer,
			Certificate: req.Certificate,
			Chain:       req.Chain,
			Time:        req.Options.Time,
			Reason:      req.Options.Reason,
			Location:    req.Options.Location,
			ContactInfo: req.Options.ContactInfo,
			Policy:      req.Policy,
			Progress:    req.Progress,
		}
		if v := req.Options.Visible; v != nil {
			opts.Visible = &pdf.Appearance{Page: v.Page, X: v.Rect.X, Y: v.Rect.Y, W: v.Rect.W, H: v.Rect.H}
		}
		res, err := pdf.SignFile(ctx, req.Input, req.Output, opts)
		if err != nil {
			return nil, err
		}
		return &SignResult{Output: res.Output, Report: res.Report}, nil
	}
}
