package pdf

import (
	"errors"
	"fmt"
)

// Errors of signing. ErrEncrypted and *ReadError are defined with the reader.
var (
	// ErrSignatureTooLarge: the CMS does not fit the /Contents placeholder. The output is
	// never written with a truncated signature.
	ErrSignatureTooLarge = errors.New("the signature does not fit its placeholder")
	// ErrRegistryLevel: the registry (登記) profile takes no extras: no long-term
	// validation data, no time-stamp.
	ErrRegistryLevel = errors.New("the registry profile is signed at its own level only (no /DSS, no time-stamp)")
	// ErrNoSignerName: the registry profile needs the signer's name and the certificate
	// carries none.
	ErrNoSignerName = errors.New("the certificate carries no signer name")
	// ErrSameFile: the output would overwrite the input.
	ErrSameFile = errors.New("the output must not be the input file")
)

// CertifiedError: the document carries a certification signature whose DocMDP
// permissions forbid any change (P = 1), so adding a signature would break it.
type CertifiedError struct {
	P int // the DocMDP permission level
}

func (e *CertifiedError) Error() string {
	return fmt.Sprintf("the document is certified with DocMDP permission %d: no changes are allowed", e.P)
}

// PageError: the page chosen for a visible signature does not exist.
type PageError struct {
	Page, Pages int
}

func (e *PageError) Error() string {
	return fmt.Sprintf("page %d does not exist (the document has %d pages)", e.Page, e.Pages)
}

// SelfCheckError: the signed output did not pass our own verification, so it was not
// written. Reason says what failed.
type SelfCheckError struct {
	Reason string
}

func (e *SelfCheckError) Error() string {
	return "the signed file failed its self-verification: " + e.Reason
}
