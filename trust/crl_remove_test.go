package trust

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/mynasign/mynasign/internal/testpki"
)

// TestStoreRemove removes one scope by the ID List gave: the other scopes' index files
// are byte for byte as before, the removed CRL no longer counts for a check, and an
// unknown, malformed or already removed ID is ErrUnknownCRL with the store unchanged.
func TestStoreRemove(t *testing.T) {
	src := t.TempDir()
	store := OpenStore(filepath.Join(t.TempDir(), "crl"))
	ts := testStoreNoBuiltin(t)
	if _, err := store.Import(ts,
		writeCommittedCRL(t, src, testpki.CRLSignFresh),
		writeCommittedCRL(t, src, testpki.CRLAuthFresh),
		writeCommittedCRL(t, src, testpki.CRLSignPartition)); err != nil {
		t.Fatal(err)
	}
	list, err := store.List()
	if err != nil || len(list) != 3 {
		t.Fatalf("list: %+v, %v", list, err)
	}
	ids := map[string]bool{}
	var partition CRLInfo
	for _, c := range list {
		if !validCRLID(c.ID) || ids[c.ID] {
			t.Fatalf("bad or repeated ID %q in %+v", c.ID, list)
		}
		ids[c.ID] = true
		if c.Scope != "whole" {
			partition = c
		}
	}
	// The partition CRL covers the valid persona; the whole-scope fresh CRL also does.
	// Removing the whole-scope signature CRL must leave the partition and the
	// authentication CRL exactly as they were.
	var whole CRLInfo
	for _, c := range list {
		if c.Kind == KindSignature && c.Scope == "whole" {
			whole = c
		}
	}
	before := snapshot(t, store.Dir())
	removed, err := store.Remove(whole.ID)
	if err != nil {
		t.Fatal(err)
	}
	if removed.ID != whole.ID || removed.SHA256 != whole.SHA256 || removed.File != testpki.CRLSignFresh {
		t.Errorf("removed: %+v, want the fresh whole-scope CRL", removed)
	}
	after := snapshot(t, store.Dir())
	if len(after) != len(before)-2 {
		t.Errorf("files before %d, after %d: want exactly two fewer (the index and the CRL kept with it)", len(before), len(after))
	}
	for p, h := range after {
		if before[p] != h {
			t.Errorf("%s changed or appeared", p)
		}
	}
	if _, ok := after[filepath.Join(store.Dir(), whole.ID+indexExt)]; ok {
		t.Error("the removed index file is still there")
	}
	list, err = store.List()
	if err != nil || len(list) != 2 {
		t.Fatalf("list after removal: %+v, %v", list, err)
	}
	for _, c := range list {
		if c.ID == whole.ID {
			t.Errorf("the removed scope is still listed: %+v", c)
		}
	}
	// The revoked persona (Osaka) was covered only by the removed CRL: unknown now. The
	// valid persona (Chiyoda-ku) is still covered by its partition.
	p := policyOn(t, ts, store.Dir(), time.Now())
	if r := p.CheckSigner(persona(t, "revoked").SignCert, nil, nil); r.SubIndication != TryLater {
		t.Errorf("revoked persona after the removal: %s/%s", r.Indication, r.SubIndication)
	}
	if r := p.CheckSigner(persona(t, "valid").SignCert, nil, nil); r.Indication != TotalPassed || r.Revocation.CRLScope != partition.Scope {
		t.Errorf("valid persona after the removal: %s/%s %+v", r.Indication, r.SubIndication, r.Revocation)
	}

	// Unknown IDs: the one just removed, a well-formed one that was never there,
	// malformed ones (path tricks included). Nothing changes.
	before = snapshot(t, store.Dir())
	outside := filepath.Join(filepath.Dir(store.Dir()), "keep"+indexExt)
	if err := os.WriteFile(outside, []byte("not ours"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{whole.ID, "0123456789abcdef-0123456789abcdef", "", "keep", "../keep",
		"../crl/" + partition.ID, partition.ID + indexExt, "0123456789ABCDEF-0123456789abcdef"} {
		if _, err := store.Remove(id); !errors.Is(err, ErrUnknownCRL) {
			t.Errorf("Remove(%q) = %v, want ErrUnknownCRL", id, err)
		}
	}
	if !sameSnapshot(before, snapshot(t, store.Dir())) {
		t.Error("a refused removal changed the store")
	}
	if _, err := os.Stat(outside); err != nil {
		t.Errorf("a file outside the store was touched: %v", err)
	}
	// A missing store directory is an empty store: the ID is unknown.
	if _, err := OpenStore(filepath.Join(t.TempDir(), "none")).Remove(partition.ID); !errors.Is(err, ErrUnknownCRL) {
		t.Errorf("missing store: %v", err)
	}
}

// TestRemoveLeavesNoTemporaryFile: a removal interrupted after its rename leaves a
// private file that the next import cleans up once it is old, and which List ignores.
func TestRemoveLeavesNoTemporaryFile(t *testing.T) {
	src := t.TempDir()
	store := OpenStore(t.TempDir())
	ts := testStoreNoBuiltin(t)
	if _, err := store.Import(ts, writeCommittedCRL(t, src, testpki.CRLSignFresh)); err != nil {
		t.Fatal(err)
	}
	list, _ := store.List()
	if _, err := store.Remove(list[0].ID); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(store.Dir())
	for _, e := range ents {
		if e.Name() != lockFileName { // the store's lock file stays
			t.Fatalf("files left after the removal: %v", ents)
		}
	}
	// As if a removal had stopped between its rename and its delete, an hour ago.
	stale := filepath.Join(store.Dir(), removingPrefix+list[0].ID+indexExt+".tmp")
	if err := os.WriteFile(stale, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-2 * time.Hour)
	os.Chtimes(stale, old, old)
	if l, err := store.List(); err != nil || len(l) != 0 {
		t.Fatalf("list with a leftover: %+v, %v", l, err)
	}
	if _, err := store.Import(ts, filepath.Join(src, testpki.CRLSignFresh)); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the leftover of an interrupted removal was not cleaned up: %v", err)
	}
}
