package flow

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/mynasign/mynasign/internal/testpki"
	"github.com/mynasign/mynasign/trust"
)

// TestRemoveCRL: the IDs CRLStatus lists remove exactly their CRL through RemoveCRL;
// a built-in test CRL (no ID) and an unknown ID are refused with ErrUnknownCRL.
func TestRemoveCRL(t *testing.T) {
	src := t.TempDir()
	opts := trust.Options{TrustStore: trust.StoreTest, CRLDir: filepath.Join(t.TempDir(), "crl"), ImportedCRLsOnly: true}
	var paths []string
	for _, n := range []string{testpki.CRLSignFresh, testpki.CRLAuthFresh} {
		b, err := testpki.CRL(n)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(src, n)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	if _, err := ImportCRLs(opts, paths...); err != nil {
		t.Fatal(err)
	}
	ov, err := CRLStatus(opts)
	if err != nil || len(ov.CRLs) != 2 {
		t.Fatalf("status: %+v, %v", ov, err)
	}
	auth := ov.CRLs[1]
	if auth.Kind != trust.KindAuthentication || auth.ID == "" {
		t.Fatalf("second CRL: %+v", auth.CRLInfo)
	}
	res, err := RemoveCRL(opts, auth.ID)
	if err != nil {
		t.Fatal(err)
	}
	if res.Dir != opts.CRLDir || res.Removed.ID != auth.ID || res.Removed.File != testpki.CRLAuthFresh {
		t.Errorf("removal: %+v %+v", res, res.Removed)
	}
	ov, err = CRLStatus(opts)
	if err != nil || len(ov.CRLs) != 1 || ov.CRLs[0].File != testpki.CRLSignFresh {
		t.Fatalf("status after the removal: %+v, %v", ov, err)
	}
	if _, err := RemoveCRL(opts, auth.ID); !errors.Is(err, trust.ErrUnknownCRL) {
		t.Errorf("second removal: %v", err)
	}

	// The test store's built-in CRLs are listed without an ID: nothing to remove.
	withBuiltin := trust.Options{TrustStore: trust.StoreTest, CRLDir: t.TempDir()}
	ov, err = CRLStatus(withBuiltin)
	if err != nil || len(ov.CRLs) == 0 {
		t.Fatalf("built-in CRLs: %+v, %v", ov, err)
	}
	for _, c := range ov.CRLs {
		if !c.Builtin || c.ID != "" {
			t.Errorf("built-in CRL with an ID or a stored one: %+v", c.CRLInfo)
		}
		if _, err := RemoveCRL(withBuiltin, c.ID); !errors.Is(err, trust.ErrUnknownCRL) {
			t.Errorf("removing a built-in CRL: %v", err)
		}
	}
}
