package pdf

import "testing"

// However many signature time-stamp tokens a SignerInfo carries (unsigned attributes:
// anyone may add to them), at most maxSignatureTimestamps are verified and have their
// authorities validated, as in XAdES.
func TestSignatureTimestampsBounded(t *testing.T) {
	tokens := make([][]byte, 3*maxSignatureTimestamps)
	for i := range tokens {
		tokens[i] = []byte{0x30, 0x03, 0x02, 0x01, byte(i)}
	}
	if n := len(signatureTimestamps(tokens, []byte("signature value"), nil)); n != maxSignatureTimestamps {
		t.Errorf("%d of %d tokens read, want %d", n, len(tokens), maxSignatureTimestamps)
	}
}
