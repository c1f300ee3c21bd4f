package flow

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/mynasign/mynasign/internal/testpki"
	"github.com/mynasign/mynasign/trust"
)

// B-LT with no CRL in the store is an error naming the CRL to import, never a silent
// B-B; B-B embeds nothing.
func TestValidationDataNeedsACRL(t *testing.T) {
	p, err := trust.NewPolicy(trust.Options{TrustStore: trust.StoreTest, CRLDir: filepath.Join(t.TempDir(), "crl"), ImportedCRLsOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	who, err := testpki.PersonaByID("valid")
	if err != nil {
		t.Fatal(err)
	}
	req := SignRequest{Certificate: who.SignCert, Policy: p, Options: SignOptions{Level: LevelBLT}}
	var me *trust.MissingCRLError
	if _, err := validationData(req); !errors.As(err, &me) || me.Scope == "" {
		t.Fatalf("B-LT, empty store: %v", err)
	}
	req.Options.Level = LevelBB
	if vd, err := validationData(req); vd != nil || err != nil {
		t.Fatalf("B-B: %v %v", vd, err)
	}
	req.Options.Level, req.Policy = LevelBLT, nil
	if _, err := validationData(req); !errors.Is(err, ErrLevelNeedsPolicy) {
		t.Fatalf("B-LT without a policy: %v", err)
	}
}
