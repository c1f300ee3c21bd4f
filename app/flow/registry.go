package flow

import (
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mynasign/mynasign/pdf"
	"github.com/mynasign/mynasign/trust"
)

// Rect is a rectangle on a page, in PDF points (1/72 inch) from the page's lower left
// corner.
type Rect struct{ X, Y, W, H float64 }

// Visible asks for a visible signature on a page (1-based). Profiles that have no visible
// form ignore it.
//
// With Corner set, the box is Rect.W×Rect.H points as the page is shown (its rotation
// applied) and goes into that corner of the page's visible area, resolved against the
// page's own size (Rect.X and Rect.Y are not used). Without it, Rect is a rectangle in the
// page's user space (points from the unrotated page's lower left corner), and must lie
// inside the page's visible area.
type Visible struct {
	Page   int
	Corner pdf.Corner
	Rect   Rect
}

// SignOptions are the choices a user makes for a signature, whatever the format.
type SignOptions struct {
	Visible     *Visible  // nil: invisible
	Reason      string    // optional (PDF /Reason)
	Location    string    // optional (PDF /Location)
	ContactInfo string    // optional (PDF /ContactInfo)
	Time        time.Time // the claimed signing time; zero means now
	// Level is B-B (the default when empty), B-T (a signature time-stamp from TSA) or
	// B-LT (the path and the CRL store's CRL embedded: needs SignRequest.Policy; with
	// TSA, time-stamped too). PAdES and XAdES only.
	Level Level
	// TSA is the address (http or https) of the RFC 3161 time-stamping authority that
	// time-stamps the signature; empty: no time-stamp, and nothing is sent anywhere.
	TSA string
}

// SignRequest is one file to sign with one signer.
type SignRequest struct {
	// Input is the file (or, for e-Gov, the folder) to sign; it is never modified.
	Input string
	// Output is where the signed result goes. It is written to a temporary file in the
	// same folder, self-verified, and only then renamed into place.
	Output string
	// Signer signs (the card's crypto.Signer in practice); Certificate is its certificate
	// and Chain further certificates to embed (never trusted by a verifier).
	Signer      crypto.Signer
	Certificate *x509.Certificate
	Chain       []*x509.Certificate
	Options     SignOptions
	// Policy, when set, is used for the self-verification report's certificate part. The
	// self-verification always checks the document's integrity; a certificate the policy
	// cannot validate (no fresh CRL offline, for example) does not stop the output.
	Policy *trust.Policy
	// Progress, when set, is called with the bytes processed so far and the total.
	Progress func(done, total int64)
}

// SignResult is the outcome of one signed file.
type SignResult struct {
	Output string
	// Report is the self-verification of the output (the integrity of every signature,
	// plus the certificate checks when the request had a Policy).
	Report *trust.DocumentReport
}

// SignProfile is a way to sign one kind of document.
type SignProfile struct {
	// Name is the profile's identifier on the command line and in settings:
	// "pades", "registry", "xades", "egov".
	Name string
	// Kind is the document kind the profile signs ("pdf", "xml", "egov").
	Kind string
	// Accepts reports whether the profile can sign the file at path; head holds the
	// file's first bytes (nil for a folder).
	Accepts func(path string, head []byte) bool
	// DefaultOutput proposes the output name for input (same folder).
	DefaultOutput func(input string) string
	// Sign signs one file. It must honour ctx, write the output atomically and
	// self-verify it before it appears under req.Output.
	Sign func(ctx context.Context, req SignRequest) (*SignResult, error)
	// Check, when set, checks the options against an input before the card is used (a
	// visible signature's page exists in the PDF and the box fits on it). See CheckOptions.
	Check func(input string, opts SignOptions) error
}

// OptionsError: the sign options do not suit an input (a visible signature on a page the
// PDF does not have, …). Err is the profile's reason (*pdf.PageError,
// *pdf.PlacementError, *pdf.RectError, *pdf.ReadError, …).
type OptionsError struct {
	Input string
	Err   error
}

// Error names the input and the profile's reason.
func (e *OptionsError) Error() string { return e.Input + ": " + e.Err.Error() }

// Unwrap returns the profile's reason.
func (e *OptionsError) Unwrap() error { return e.Err }

// CheckOptions checks opts against every input with the profile's Check, before the
// card is touched; the first problem is an *OptionsError naming the input.
func CheckOptions(profile SignProfile, inputs []string, opts SignOptions) error {
	if profile.Check == nil {
		return nil
	}
	for _, in := range inputs {
		if err := profile.Check(in, opts); err != nil {
			return &OptionsError{Input: in, Err: err}
		}
	}
	return nil
}

// Verifier verifies one kind of document.
type Verifier struct {
	// Name is the document kind it handles ("pdf", "xml", "egov").
	Name string
	// Detect reports whether path is a document of this kind; head holds the first bytes
	// of a file (nil for a folder).
	Detect func(path string, head []byte) bool
	// Verify validates every signature of the document at path with policy. An error is
	// returned only when the verification could not run at all (the file vanished); a
	// file that cannot be parsed is a report with Error set.
	Verify func(ctx context.Context, path string, policy *trust.Policy) (*trust.DocumentReport, error)
	// Memory, when set, estimates the memory in bytes that verifying the document at path
	// (of size bytes) takes, for the batch's memory budget; without it the size counts.
	Memory func(path string, size int64) int64
}

// LookupSignProfile finds a sign profile of SignProfiles by name.
func LookupSignProfile(name string) (SignProfile, bool) {
	for _, p := range SignProfiles() {
		if p.Name == name {
			return p, true
		}
	}
	return SignProfile{}, false
}

// ErrUnknownKind means no verifier recognizes a file.
var ErrUnknownKind = errors.New("not a document mynasign can verify")

// headSize is how much of a file Detect and Accepts get to see.
const headSize = 4096

// ReadHead returns the first bytes of the file at path (nil for a folder).
func ReadHead(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := make([]byte, headSize)
	n, err := io.ReadFull(f, b)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return b[:n], nil
}

// DetectVerifier finds the verifier for the document at path.
func DetectVerifier(path string) (Verifier, error) {
	head, err := ReadHead(path)
	if err != nil {
		return Verifier{}, err
	}
	for _, v := range Verifiers() {
		if v.Detect(path, head) {
			return v, nil
		}
	}
	return Verifier{}, fmt.Errorf("%s: %w", path, ErrUnknownKind)
}

// VerifyFile verifies the document at path with the verifier that recognizes it.
func VerifyFile(ctx context.Context, path string, policy *trust.Policy) (*trust.DocumentReport, error) {
	v, err := DetectVerifier(path)
	if err != nil {
		return nil, err
	}
	return v.Verify(ctx, path, policy)
}

// SignedSuffix marks a signed copy's name: every profile's DefaultOutput inserts it
// before the extension ("申請書.pdf" → "申請書-signed.pdf", an e-Gov folder "申請" →
// "申請-signed"). The GUI and the CLI both name outputs through DefaultOutput.
const SignedSuffix = "-signed"

// SuffixedOutput returns input with suffix inserted before its extension
// ("a/b.pdf", SignedSuffix → "a/b-signed.pdf"), a helper for DefaultOutput.
func SuffixedOutput(input, suffix string) string {
	ext := filepath.Ext(input)
	return strings.TrimSuffix(input, ext) + suffix + ext
}
