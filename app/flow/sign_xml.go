package flow

import (
	"context"
	"crypto"
	"os"
	"path/filepath"
	"strings"

	"github.com/mynasign/mynasign/xades"
)

// xadesSignProfile is "xades": XAdES baseline B-B, enveloped, for an XML file. Visible
// appearances, reason, location and contact information are PDF notions and are ignored
// by the XML profiles.
func xadesSignProfile() SignProfile {
	return SignProfile{
		Name:          "xades",
		Kind:          "xml",
		Accepts:       acceptsXAdES,
		DefaultOutput: func(in string) string { return SuffixedOutput(in, SignedSuffix) },
		Sign:          signXAdES,
	}
}

// egovSignProfile is "egov": the e-Gov kousei.xml signature, for a package folder, its
// zip or its kousei.xml.
func egovSignProfile() SignProfile {
	return SignProfile{
		Name:          "egov",
		Kind:          "egov",
		Accepts:       func(path string, _ []byte) bool { return xades.IsEGovPackage(path) },
		DefaultOutput: egovDefaultOutput,
		Sign:          signEGov,
	}
}

// acceptsXAdES takes an XML file (not a folder, not an e-Gov package: that one has its
// own profile).
func acceptsXAdES(path string, head []byte) bool {
	return head != nil && xades.LooksLikeXML(head) && !xades.IsEGovPackage(path)
}

// egovDefaultOutput: "申請/" → "申請-signed/", "申請.zip" → "申請-signed.zip", and for a
// kousei.xml its folder's name with SignedSuffix.
func egovDefaultOutput(in string) string {
	in = strings.TrimRight(in, string(filepath.Separator))
	if filepath.Base(in) == xades.KouseiName {
		in = filepath.Dir(in)
	}
	if fi, err := os.Stat(in); err == nil && fi.IsDir() {
		return in + SignedSuffix
	}
	return SuffixedOutput(in, SignedSuffix)
}

func xmlSignOptions(req SignRequest) xades.SignOptions {
	return xades.SignOptions{Signer: req.Signer, Certificate: req.Certificate, Chain: req.Chain, SigningTime: req.Options.Time}
}

// progressSpan reports the whole job as one step: the card signs once per file.
func progressSpan(req SignRequest) (start, end func()) {
	var total int64
	if fi, err := os.Stat(req.Input); err == nil && !fi.IsDir() {
		total = fi.Size()
	}
	if req.Progress == nil {
		return func() {}, func() {}
	}
	return func() { req.Progress(0, total) }, func() { req.Progress(total, total) }
}

func signXAdES(ctx context.Context, req SignRequest) (*SignResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if req.Options.Level == LevelBLTA {
		return nil, ErrLevelUnsupported // no XAdES archive time-stamp yet
	}
	opts := xmlSignOptions(req)
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
		opts.SignatureTimestamp = func(data []byte) ([]byte, error) { return tsa.Stamp(ctx, crypto.SHA256, data) }
	}
	start, end := progressSpan(req)
	start()
	if err := xades.SignXAdESFile(req.Input, req.Output, opts); err != nil {
		return nil, err
	}
	end()
	data, err := os.ReadFile(req.Output)
	if err != nil {
		return nil, err
	}
	return &SignResult{Output: req.Output, Report: xades.Verify(req.Output, data, req.Policy)}, nil
}

func signEGov(ctx context.Context, req SignRequest) (*SignResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if req.Options.Level != "" && req.Options.Level != LevelBB || req.Options.TSA != "" {
		return nil, ErrLevelUnsupported
	}
	start, end := progressSpan(req)
	start()
	if err := xades.SignEGov(req.Input, req.Output, xmlSignOptions(req)); err != nil {
		return nil, err
	}
	end()
	return &SignResult{Output: req.Output, Report: xades.VerifyEGov(req.Output, req.Policy)}, nil
}
