package trust

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// importRefused imports path and returns the single refusal, failing unless there is
// exactly one with the given key.
func importRefused(t *testing.T, store *Store, ts *TrustStore, path, key string) *CRLError {
	t.Helper()
	_, err := store.Import(ts, path)
	var ie *ImportError
	if !errors.As(err, &ie) || len(ie.Errors) != 1 {
		t.Fatalf("import %s: %v, want one refusal", filepath.Base(path), err)
	}
	if ce := ie.Errors[0]; ce.Reason.Key != key || ce.File != path {
		t.Fatalf("import %s: %s %v, want %s", filepath.Base(path), ce.Reason.Key, ce.Reason.Args, key)
	}
	return ie.Errors[0]
}

// A CRL dated in the future (beyond the clock-skew allowance) or whose nextUpdate is
// before its thisUpdate is refused with its own key and sentinel, the store is left as
// it was, and a genuine CRL imported afterwards (with a lower number or an earlier
// thisUpdate than the refused one) is installed.
func TestImportRefusesImpossibleDates(t *testing.T) {
	src := t.TempDir()
	ts := testStoreNoBuiltin(t)
	now := time.Now()
	write := func(name string, b []byte) string {
		p := filepath.Join(src, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	synthetic := func(name string, number int64, this, next time.Time) string {
		var buf bytes.Buffer
		writeSyntheticCRL(t, &buf, "sign-ca-2023", syntheticCRL{seed: 5, entries: 3, base: now.Add(-48 * time.Hour)}, number, this, next)
		return write(name, buf.Bytes())
	}
	future := write("future.crl", makeCRL(t, "sign-ca-2023", 500, now.Add(24*time.Hour), now.Add(48*time.Hour), nil, nil))
	justFuture := write("just-future.crl", makeCRL(t, "sign-ca-2023", 501, now.Add(crlClockSkew+time.Minute), now.Add(48*time.Hour), nil, nil))
	inverted := synthetic("inverted.crl", 502, now.Add(-time.Hour), now.Add(-2*time.Hour))
	invertedFuture := synthetic("inverted-future.crl", 503, now.Add(72*time.Hour), now.Add(48*time.Hour))
	genuine := write("genuine.crl", makeCRL(t, "sign-ca-2023", 100, now.Add(-time.Hour), now.Add(24*time.Hour), nil, nil))

	store := OpenStore(filepath.Join(t.TempDir(), "store"))
	for _, tc := range []struct {
		path     string
		key      string
		sentinel error
	}{
		{future, MsgCRLNotYetValid, ErrCRLNotYetValid},
		{justFuture, MsgCRLNotYetValid, ErrCRLNotYetValid},
		{inverted, MsgCRLValidityInverted, ErrCRLValidityInverted},
		{invertedFuture, MsgCRLValidityInverted, ErrCRLValidityInverted},
	} {
		ce := importRefused(t, store, ts, tc.path, tc.key)
		if !errors.Is(ce, tc.sentinel) || len(ce.Reason.Args) != 2 {
			t.Errorf("%s: %v (args %v), want %v", filepath.Base(tc.path), ce, ce.Reason.Args, tc.sentinel)
		}
		if list, _ := store.List(); len(list) != 0 {
			t.Fatalf("%s: the store now holds %+v", filepath.Base(tc.path), list)
		}
	}
	res, err := store.Import(ts, genuine)
	if err != nil || res.CRLs[0].Status != ImportAdded {
		t.Fatalf("genuine CRL after the refused ones: %+v, %v", res, err)
	}
	// Together with the genuine CRL, the future one still fails the whole import.
	importRefusedWith(t, store, ts, []string{genuine, future}, future, MsgCRLNotYetValid)

	// Within the allowance (a CA clock a few minutes ahead): imported.
	skewed := write("skewed.crl", makeCRL(t, "sign-ca-2023", 101, now.Add(crlClockSkew/2), now.Add(24*time.Hour), nil, nil))
	if res, err := store.Import(ts, skewed); err != nil || res.CRLs[0].Status != ImportAdded {
		t.Fatalf("CRL %v ahead: %+v, %v", crlClockSkew/2, res, err)
	}
}

func importRefusedWith(t *testing.T, store *Store, ts *TrustStore, paths []string, bad, key string) {
	t.Helper()
	_, err := store.Import(ts, paths...)
	var ie *ImportError
	if !errors.As(err, &ie) || len(ie.Errors) != 1 || ie.Errors[0].File != bad || ie.Errors[0].Reason.Key != key {
		t.Fatalf("import %v: %v, want %s for %s", paths, err, key, bad)
	}
}

// A store written by an earlier version may hold a CRL dated in the future. It does not
// count as newer: a genuine CRL with a lower number (or an earlier thisUpdate) replaces it.
func TestStoredFutureCRLDoesNotBlock(t *testing.T) {
	src := t.TempDir()
	ts := testStoreNoBuiltin(t)
	now := time.Now()
	future := filepath.Join(src, "future.crl")
	genuine := filepath.Join(src, "genuine.crl")
	os.WriteFile(future, makeCRL(t, "sign-ca-2023", 900, now.Add(30*24*time.Hour), now.Add(31*24*time.Hour), nil, nil), 0o644)
	os.WriteFile(genuine, makeCRL(t, "sign-ca-2023", 120, now.Add(-time.Hour), now.Add(24*time.Hour), nil, nil), 0o644)
	store := OpenStore(t.TempDir())
	// Imported "a month from now", as a version without the date check would have.
	if _, err := store.importWith(signersOf(ts), []string{future}, now.Add(30*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	res, err := store.Import(ts, genuine)
	if err != nil {
		t.Fatal(err)
	}
	if c := res.CRLs[0]; c.Status != ImportAdded || c.Replaced == nil || c.Replaced.Number != "900" {
		t.Fatalf("genuine CRL over a stored future one: %+v", c)
	}
	if list, _ := store.List(); len(list) != 1 || list[0].Number != "120" {
		t.Fatalf("store: %+v", list)
	}
}
