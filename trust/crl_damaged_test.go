package trust

import (
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mynasign/mynasign/internal/testpki"
)

// TestStoreDamagedIndex: an index file that cannot be read (truncated, garbage, another
// format version, empty) does not hide the others. List returns every readable CRL plus,
// first, one entry per unreadable file with its ID and the problem (no path); checks for
// other issuers still work; a check for the issuer it belongs to is INDETERMINATE naming
// the CRL, never a panic; Remove takes it out and everything works again.
func TestStoreDamagedIndex(t *testing.T) {
	src := t.TempDir()
	store := OpenStore(filepath.Join(t.TempDir(), "crl"))
	ts := testStoreNoBuiltin(t)
	if _, err := store.Import(ts,
		writeCommittedCRL(t, src, testpki.CRLSignFresh),
		writeCommittedCRL(t, src, testpki.CRLAuthFresh)); err != nil {
		t.Fatal(err)
	}
	list, err := store.List()
	if err != nil || len(list) != 2 {
		t.Fatalf("list: %+v, %v", list, err)
	}
	var signID, authID string
	for _, c := range list {
		if c.Kind == KindSignature {
			signID = c.ID
		} else {
			authID = c.ID
		}
	}
	idx := func(id string) string { return filepath.Join(store.Dir(), id+indexExt) }

	// The authentication CRL's index is cut in half; an index of an unrelated issuer is
	// of a later format version.
	b, err := os.ReadFile(idx(authID))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(idx(authID), b[:len(b)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	other := "0123456789abcdef-0123456789abcdef"
	hdr := make([]byte, indexHeaderSize)
	copy(hdr, indexMagic)
	binary.BigEndian.PutUint16(hdr[8:], indexVersion+1)
	if err := os.WriteFile(idx(other), hdr, 0o600); err != nil {
		t.Fatal(err)
	}

	list, err = store.List()
	if err != nil || len(list) != 3 {
		t.Fatalf("list with damaged indexes: %+v, %v", list, err)
	}
	damaged := map[string]bool{}
	for i, c := range list {
		if c.Problem == nil {
			if i < 2 || c.ID != signID || c.File != testpki.CRLSignFresh {
				t.Errorf("readable entry %d: %+v", i, c)
			}
			continue
		}
		damaged[c.ID] = true
		if c.Problem.Key != MsgCRLIndexDamaged || len(c.Problem.Args) != 1 || c.Problem.Args[0] == "" ||
			strings.Contains(c.Problem.Args[0], store.Dir()) || c.Issuer != "" || c.File != "" {
			t.Errorf("damaged entry: %+v (problem %+v)", c, c.Problem)
		}
	}
	if !damaged[authID] || !damaged[other] {
		t.Errorf("damaged entries %v, want %s and %s", damaged, authID, other)
	}
	if j, err := json.Marshal(list[0]); err != nil || !strings.Contains(string(j), `"problem":{"key":"`+MsgCRLIndexDamaged) {
		t.Errorf("JSON of a damaged entry: %s, %v", j, err)
	}

	// The signature CRL still serves its issuer.
	p := policyOn(t, ts, store.Dir(), time.Now())
	if r := p.CheckSigner(persona(t, "valid").SignCert, nil, nil); r.Indication != TotalPassed {
		t.Fatalf("valid persona with another issuer's index damaged: %s/%s %+v", r.Indication, r.SubIndication, r.Summary)
	}

	// An unreadable index of the signature CA itself (an empty file): INDETERMINATE,
	// naming the CRL to remove.
	same := signID[:16] + "-ffffffffffffffff"
	if err := os.WriteFile(idx(same), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	r := p.CheckSigner(persona(t, "valid").SignCert, nil, nil)
	if r.Indication != Indeterminate || r.SubIndication != TryLater || r.Summary.Key != MsgRevCRLDamaged ||
		len(r.Summary.Args) != 2 || r.Summary.Args[1] != same {
		t.Errorf("valid persona with its issuer's index damaged: %s/%s %+v", r.Indication, r.SubIndication, r.Summary)
	}

	// Each unreadable one can be removed by the ID List gave.
	for _, id := range []string{authID, other, same} {
		removed, err := store.Remove(id)
		if err != nil {
			t.Fatalf("Remove(%s): %v", id, err)
		}
		if removed.ID != id || removed.Problem == nil || removed.Problem.Key != MsgCRLIndexDamaged {
			t.Errorf("Remove(%s) = %+v", id, removed)
		}
		if _, err := os.Stat(idx(id)); !os.IsNotExist(err) {
			t.Errorf("%s is still there: %v", id, err)
		}
	}
	list, err = store.List()
	if err != nil || len(list) != 1 || list[0].ID != signID || list[0].Problem != nil {
		t.Fatalf("list after removing the damaged ones: %+v, %v", list, err)
	}
	if r := p.CheckSigner(persona(t, "valid").SignCert, nil, nil); r.Indication != TotalPassed {
		t.Errorf("valid persona after the removal: %s/%s %+v", r.Indication, r.SubIndication, r.Summary)
	}
}
