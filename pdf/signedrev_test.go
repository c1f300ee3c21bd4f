package pdf

import (
	"bytes"
	"testing"
)

// TestSignedRevisions: each signature's signed revision ends where its /ByteRange ends,
// a later update leaves it as it was, and a signature whose range does not fit the file
// is left out.
func TestSignedRevisions(t *testing.T) {
	one, _ := signBytes(t, makePDF(t, docSpec{}), personaOptions(t, "valid", PAdES))
	two, _ := signBytes(t, one, personaOptions(t, "valid", PAdES))
	revs, err := SignedRevisions(bytes.NewReader(two), int64(len(two)))
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) != 2 || revs[0].Length != int64(len(one)) || revs[1].Length != int64(len(two)) ||
		revs[0].Field == revs[1].Field {
		t.Fatalf("signed revisions %+v (first file %d bytes, second %d)", revs, len(one), len(two))
	}
	later := appendUpdate(t, two, map[int]string{9999: "<<>>"}, "")
	if got, err := SignedRevisions(bytes.NewReader(later), int64(len(later))); err != nil || len(got) != 2 ||
		got[0] != revs[0] || got[1] != revs[1] {
		t.Errorf("after a later update: %+v, %v; want %+v", got, err, revs)
	}
	// The file cut short by a byte: the last signature's /ByteRange runs past its end, so
	// nothing is shown for it.
	cut := two[:len(two)-1]
	if got, err := SignedRevisions(bytes.NewReader(cut), int64(len(cut))); err != nil || len(got) != 1 || got[0] != revs[0] {
		t.Errorf("a file cut short: %+v, %v", got, err)
	}
}
