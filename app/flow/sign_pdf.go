package flow

import (
	"context"
	"errors"

	"github.com/mynasign/mynasign/pdf"
)

// pdfSignProfile is the PDF sign profile p ("pades" or "registry").
func pdfSignProfile(p pdf.Profile) SignProfile {
	return SignProfile{
		Name:          string(p),
		Kind:          "pdf",
		Accepts:       isPDF,
		DefaultOutput: func(in string) string { return SuffixedOutput(in, SignedSuffix) },
		Sign:          signPDF(p),
		Check:         checkPDF,
	}
}

// checkPDF checks a visible signature against the PDF's pages: the page exists and the
// box fits where it goes. A file the profile does not accept, or cannot read, is left to
// Sign, which reports it for that file alone (the other files are still signed).
func checkPDF(input string, opts SignOptions) error {
	if opts.Visible == nil {
		return nil
	}
	if head, err := ReadHead(input); err != nil || !isPDF(input, head) {
		return nil
	}
	err := pdf.CheckAppearance(input, pdfAppearance(opts.Visible))
	var re *pdf.ReadError
	if errors.As(err, &re) {
		return nil
	}
	return err
}

// pdfAppearance is the pdf package's form of a visible signature (nil for none).
func pdfAppearance(v *Visible) *pdf.Appearance {
	if v == nil {
		return nil
	}
	return &pdf.Appearance{Page: v.Page, Corner: v.Corner, X: v.Rect.X, Y: v.Rect.Y, W: v.Rect.W, H: v.Rect.H}
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
		opts.Visible = pdfAppearance(req.Options.Visible)
		if profile == pdf.Registry && (req.Options.Level != "" && req.Options.Level != LevelBB || req.Options.TSA != "") {
			return nil, ErrLevelUnsupported
		}
		vd, err := validationData(req)
		if err != nil {
			return nil, err
		}
		opts.Validation = vd
		tsa, err := timestamper(req)
		if err != nil {
			return nil, err
		}
		if tsa != nil {
			opts.Timestamper = tsa
			if req.Options.Level == LevelBLTA {
				opts.DocumentTimestamper = tsa
			}
		}
		res, err := pdf.SignFile(ctx, req.Input, req.Output, opts)
		if err != nil {
			return nil, err
		}
		return &SignResult{Output: res.Output, Report: res.Report}, nil
	}
}
