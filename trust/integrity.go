package trust

import "encoding/json"

// Integrity is what a verification established about the signed data: that they
// verify against the signature value, that they do not (proven), or neither.
type Integrity string

// Integrity values.
const (
	IntegrityIntact  Integrity = "intact"  // the signed data verify against the signature value
	IntegrityBroken  Integrity = "broken"  // proven: a digest mismatch or a signature value that does not verify
	IntegrityUnknown Integrity = "unknown" // not evaluated: unreadable, unsupported, or not reached
)

// Integrity tells what is known of r's signed data. Only a proof makes it broken: a
// TOTAL-FAILED with HASH_FAILURE or SIG_CRYPTO_FAILURE. A signature that could not be
// evaluated is unknown, never broken.
func (r *SignatureReport) Integrity() Integrity {
	switch {
	case r.Intact:
		return IntegrityIntact
	case r.Indication == TotalFailed && (r.SubIndication == HashFailure || r.SubIndication == SigCryptoFailure):
		return IntegrityBroken
	}
	return IntegrityUnknown
}

// MarshalJSON writes the report with "intact" true, false (proven broken) or, when
// neither was established, absent.
func (r SignatureReport) MarshalJSON() ([]byte, error) {
	type plain SignatureReport
	var intact *bool
	switch r.Integrity() {
	case IntegrityIntact:
		t := true
		intact = &t
	case IntegrityBroken:
		f := false
		intact = &f
	}
	return json.Marshal(struct {
		plain
		Intact *bool `json:"intact,omitempty"`
	}{plain(r), intact})
}
