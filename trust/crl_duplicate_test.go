package trust

import (
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A CRL that lists one serial number twice is refused, whatever the order and the
// reasons of the two entries (a revocation withdrawn by removeFromCRL, a hold next to a
// revocation, two identical entries): never "good", never one entry chosen silently. The
// store keeps what it had, and the revocation check still says what the earlier CRL said.
func TestImportRefusesDuplicateSerial(t *testing.T) {
	ts := testStoreNoBuiltin(t)
	src := t.TempDir()
	now := time.Now()
	victim := persona(t, "valid").SignCert.SerialNumber
	other := persona(t, "revoked").SignCert.SerialNumber
	early, late := now.Add(-10*24*time.Hour), now.Add(-5*24*time.Hour)
	entry := func(serial any, at time.Time, reason int) x509.RevocationListEntry {
		e := x509.RevocationListEntry{SerialNumber: victim, RevocationTime: at, ReasonCode: reason}
		if serial != nil {
			e.SerialNumber = other
		}
		return e
	}
	cases := []struct {
		name    string
		entries []x509.RevocationListEntry
	}{
		{"removeFromCRL then keyCompromise", []x509.RevocationListEntry{entry(nil, early, 8), entry(nil, late, 1)}},
		{"keyCompromise then removeFromCRL", []x509.RevocationListEntry{entry(nil, late, 1), entry(nil, early, 8)}},
		{"certificateHold then affiliationChanged", []x509.RevocationListEntry{entry(nil, early, 6), entry(nil, late, 3)}},
		{"affiliationChanged then certificateHold", []x509.RevocationListEntry{entry(nil, late, 3), entry(nil, early, 6)}},
		{"identical entries", []x509.RevocationListEntry{entry(nil, early, 1), entry(nil, early, 1)}},
		{"apart, among others", []x509.RevocationListEntry{entry(nil, late, 3), entry(1, early, 1), entry(nil, early, 8)}},
	}
	store := OpenStore(t.TempDir())
	// The store already holds a CRL that lists the victim as on hold.
	base := filepath.Join(src, "base.crl")
	os.WriteFile(base, makeCRL(t, "sign-ca-2023", 10, now.Add(-2*time.Hour), now.Add(24*time.Hour),
		[]x509.RevocationListEntry{entry(nil, early, 6)}, nil), 0o644)
	if _, err := store.Import(ts, base); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, store.Dir())
	want := strings.ToUpper(fmt.Sprintf("%x", victim))
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(src, fmt.Sprintf("dup%d.crl", i))
			os.WriteFile(p, makeCRL(t, "sign-ca-2023", int64(20+i), now.Add(-time.Hour), now.Add(24*time.Hour), tc.entries, nil), 0o644)
			ce := importRefused(t, store, ts, p, MsgCRLDuplicateSerial)
			if !errors.Is(ce, ErrCRLDuplicateSerial) || len(ce.Reason.Args) != 1 || ce.Reason.Args[0] != want {
				t.Errorf("%v (args %v), want serial %s", ce, ce.Reason.Args, want)
			}
			if !sameSnapshot(before, snapshot(t, store.Dir())) {
				t.Fatal("a refused CRL changed the store")
			}
			p2 := policyOn(t, ts, store.Dir(), now)
			if r := p2.CheckSigner(persona(t, "valid").SignCert, nil, nil); r.Summary.Key != MsgRevOnHold {
				t.Errorf("after the refusal: %s/%s %v, want the stored CRL's hold", r.Indication, r.SubIndication, r.Summary)
			}
		})
	}
	// The same entries, each serial once, are accepted.
	fixed := filepath.Join(src, "fixed.crl")
	os.WriteFile(fixed, makeCRL(t, "sign-ca-2023", 40, now.Add(-time.Hour), now.Add(24*time.Hour),
		[]x509.RevocationListEntry{entry(nil, late, 1), entry(1, early, 1)}, nil), 0o644)
	if res, err := store.Import(ts, fixed); err != nil || res.CRLs[0].Status != ImportAdded {
		t.Fatalf("corrected CRL: %+v, %v", res, err)
	}
}
