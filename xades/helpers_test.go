package xades

import (
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mynasign/mynasign/card"
	"github.com/mynasign/mynasign/card/softcard"
	"github.com/mynasign/mynasign/internal/testpki"
	"github.com/mynasign/mynasign/trust"
)

func errorsIs(err, target error) bool { return errors.Is(err, target) }

// testPolicy validates with the test trust store (test CA + its built-in fresh CRLs) and
// an empty CRL folder.
func testPolicy(t testing.TB) *trust.Policy {
	t.Helper()
	p, err := trust.NewPolicy(trust.Options{TrustStore: trust.StoreTest, CRLDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// personaOpts signs with a persona's software key (no card): for unit tests.
func personaOpts(t testing.TB, id string) SignOptions {
	t.Helper()
	p, err := testpki.PersonaByID(id)
	if err != nil {
		t.Fatal(err)
	}
	return SignOptions{Signer: p.SignKey, Certificate: p.SignCert, Chain: []*x509.Certificate{p.SignCACert}}
}

// cardOpts signs through the software My Number Card of a persona: the APDU-level card,
// the JPKI client session, one VERIFY of the signature password, the card's
// crypto.Signer (the RSA operation happens in the card).
func cardOpts(t testing.TB, persona string) SignOptions {
	t.Helper()
	sc, err := softcard.NewPersona(persona)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := card.Open(sc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sess.Close() })
	if err := sess.VerifySignPIN([]byte(testpki.SignPassword)); err != nil {
		t.Fatal(err)
	}
	sg, err := sess.Signer()
	if err != nil {
		t.Fatal(err)
	}
	ca, err := sess.SignCACertificate()
	if err != nil {
		t.Fatal(err)
	}
	var s crypto.Signer = sg
	return SignOptions{Signer: s, Certificate: sg.Certificate(), Chain: []*x509.Certificate{ca}}
}

// copyDir copies a package folder (plain files only) to a new temporary folder.
func copyDir(t testing.TB, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), filepath.Base(src))
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	return dst
}

// treeHash fingerprints every file under dir (names and bytes), to show an input was
// not modified.
func treeHash(t testing.TB, root string) string {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		h.Write([]byte(p + "\x00"))
		if d.Type().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			h.Write(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return string(h.Sum(nil))
}

// failedCheck returns the details of the failed checks of a signature.
func failedChecks(s trust.SignatureReport) string {
	var out []string
	for _, c := range s.Checks {
		if !c.Passed {
			out = append(out, string(c.Name)+": "+c.Detail.Key+" "+strings.Join(c.Detail.Args, ","))
		}
	}
	return strings.Join(out, "; ")
}
