package flow

import "github.com/mynasign/mynasign/pdf"

// The formats flow knows, as explicit tables (no registration from init, so the order
// is the one written here, not the source files' name order). Each call returns a fresh
// slice: callers may keep or change it.

// SignProfiles returns the sign profiles, sorted by name.
func SignProfiles() []SignProfile {
	return []SignProfile{
		egovSignProfile(),
		pdfSignProfile(pdf.PAdES),
		pdfSignProfile(pdf.Registry),
		xadesSignProfile(),
	}
}

// Verifiers returns the verifiers in the order DetectVerifier tries them: "egov" comes
// before "xml", since an e-Gov package's kousei.xml is also XML but must never be verified
// as a plain XML document.
func Verifiers() []Verifier {
	return []Verifier{
		pdfVerifier(),
		egovVerifier(),
		xmlVerifier(),
	}
}

// ConformanceChecks returns the submission-profile checks of `verify --profile`, sorted
// by name.
func ConformanceChecks() []ConformanceCheck {
	return []ConformanceCheck{
		registryConformance(),
	}
}
