package flow

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/mynasign/mynasign/card"
	"github.com/mynasign/mynasign/card/softcard"
	samplepdf "github.com/mynasign/mynasign/internal/samplepdf"
	"github.com/mynasign/mynasign/internal/testpki"
	"github.com/mynasign/mynasign/trust"
)

func testPolicyAt(t *testing.T, at time.Time) *trust.Policy {
	t.Helper()
	p, err := trust.NewPolicy(trust.Options{TrustStore: trust.StoreTest, CRLDir: t.TempDir(), At: at})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// softSigningCard opens a software card through card.Session, as a reader's card would be.
func softSigningCard(t *testing.T, cfg softcard.Config) (*SigningCard, *softcard.Card) {
	t.Helper()
	sc, err := softcard.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := card.Open(sc)
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewSigningCard(sess, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, sc
}

func personaConfig(t *testing.T, id string) softcard.Config {
	t.Helper()
	p, err := testpki.PersonaByID(id)
	if err != nil {
		t.Fatal(err)
	}
	return softcard.ConfigFor(p)
}

func writePDF(t *testing.T, dir, name string, spec samplepdf.Spec) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, samplepdf.Make(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// signWith runs the whole flow on c with the test password.
func signWith(t *testing.T, c *SigningCard, profile string, jobs []SignJob, opts SignOptions, pol *trust.Policy) []FileResult {
	t.Helper()
	prof, ok := LookupSignProfile(profile)
	if !ok {
		t.Fatalf("no profile %s", profile)
	}
	asked := 0
	res, err := c.run(context.Background(), prof, SignFilesRequest{Jobs: jobs, Options: opts, Policy: pol,
		AskPIN: func(st card.PINStatus) ([]byte, bool, error) {
			asked++
			if st.Left < 1 {
				t.Fatalf("asked for a password with %d tries left", st.Left)
			}
			return []byte(testpki.SignPassword), false, nil
		}})
	if err != nil {
		t.Fatalf("signing run: %v", err)
	}
	if asked > 1 {
		t.Fatalf("asked for the password %d times", asked)
	}
	return res
}

func TestSoftCardRoundTrip(t *testing.T) {
	pol := testPolicyAt(t, time.Time{})
	for _, profile := range []string{"pades", "registry"} {
		for _, visible := range []bool{false, true} {
			name := profile
			if visible {
				name += "/visible"
			}
			t.Run(name, func(t *testing.T) {
				dir := t.TempDir()
				opts := SignOptions{Reason: "申請書の提出"}
				if visible {
					opts.Visible = &Visible{Page: 1, Rect: Rect{X: 330, Y: 40, W: 220, H: 70}}
				}
				a := writePDF(t, dir, "a.pdf", samplepdf.Spec{AcroForm: "indirect", TextField: true})
				b := writePDF(t, dir, "b.pdf", samplepdf.Spec{XRefStream: true, Pages: 2})
				notPDF := filepath.Join(dir, "note.txt")
				os.WriteFile(notPDF, []byte("not a PDF"), 0o644)
				c, sc := softSigningCard(t, personaConfig(t, "valid"))
				jobs := []SignJob{{a, filepath.Join(dir, "a_signed.pdf")}, {notPDF, filepath.Join(dir, "note_signed.pdf")}, {b, filepath.Join(dir, "b_signed.pdf")}}
				res := signWith(t, c, profile, jobs, opts, pol)
				if !errors.Is(res[1].Err, ErrNotAccepted) {
					t.Fatalf("the text file: %v", res[1].Err)
				}
				for _, i := range []int{0, 2} {
					if res[i].Err != nil {
						t.Fatalf("%s: %v", jobs[i].Input, res[i].Err)
					}
					if res[i].Result.Report.Indication != trust.TotalPassed {
						t.Fatalf("self-verification of %s: %s", jobs[i].Input, res[i].Result.Report.Indication)
					}
					rep, err := VerifyFile(context.Background(), jobs[i].Output, pol)
					if err != nil || rep.Indication != trust.TotalPassed || len(rep.Signatures) != 1 {
						t.Fatalf("verify %s: %v %+v", jobs[i].Output, err, rep)
					}
				}
				if _, err := os.Stat(jobs[1].Output); !os.IsNotExist(err) {
					t.Fatal("an output was written for the refused file")
				}
				st := sc.Stats()
				if st.VerifySign != 1 || st.Signatures != 2 {
					t.Fatalf("one VERIFY and two signatures expected, the card saw %d and %d", st.VerifySign, st.Signatures)
				}
				// A second signature (a new card session) keeps the first valid.
				c2, _ := softSigningCard(t, personaConfig(t, "valid"))
				second := filepath.Join(dir, "a_signed_twice.pdf")
				res = signWith(t, c2, profile, []SignJob{{jobs[0].Output, second}}, opts, pol)
				if res[0].Err != nil {
					t.Fatal(res[0].Err)
				}
				rep, err := VerifyFile(context.Background(), second, pol)
				if err != nil || rep.Indication != trust.TotalPassed || len(rep.Signatures) != 2 ||
					rep.Signatures[0].ChangesAfterSigning.Level != trust.ChangesPermitted {
					t.Fatalf("twice signed: %v %+v", err, rep)
				}
			})
		}
	}
}

func TestSoftCardCertificateOutcomes(t *testing.T) {
	dir := t.TempDir()
	in := writePDF(t, dir, "in.pdf", samplepdf.Spec{})
	sign := func(t *testing.T, cfg softcard.Config, pol *trust.Policy) *trust.DocumentReport {
		c, _ := softSigningCard(t, cfg)
		out := filepath.Join(t.TempDir(), "out.pdf")
		res := signWith(t, c, "pades", []SignJob{{in, out}}, SignOptions{}, pol)
		if res[0].Err != nil {
			t.Fatal(res[0].Err)
		}
		rep, err := VerifyFile(context.Background(), out, pol)
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	now := testPolicyAt(t, time.Time{})
	t.Run("revoked", func(t *testing.T) {
		rep := sign(t, personaConfig(t, "revoked"), now)
		if s := rep.Signatures[0]; s.Indication != trust.TotalFailed || s.SubIndication != trust.Revoked || !s.Intact {
			t.Fatalf("revoked persona: %s/%s intact=%v", s.Indication, s.SubIndication, s.Intact)
		}
	})
	t.Run("unknown CA", func(t *testing.T) {
		rep := sign(t, personaConfig(t, "impostor"), now)
		if s := rep.Signatures[0]; s.Indication != trust.Indeterminate || s.SubIndication != trust.NoCertificateChainFound || !s.Intact {
			t.Fatalf("impostor persona: %s/%s", s.Indication, s.SubIndication)
		}
	})
	// Only imported CRLs count (the test store's built-in fresh CRLs are left out).
	importedOnly := func(t *testing.T, crls ...string) *trust.Policy {
		dir := t.TempDir()
		var paths []string
		for _, name := range crls {
			der, err := testpki.CRL(name)
			if err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(t.TempDir(), name)
			if err := os.WriteFile(p, der, 0o644); err != nil {
				t.Fatal(err)
			}
			paths = append(paths, p)
		}
		if len(paths) > 0 {
			ts, err := trust.LoadTrustStore(trust.StoreTest)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := trust.OpenStore(dir).Import(ts, paths...); err != nil {
				t.Fatal(err)
			}
		}
		p, err := trust.NewPolicy(trust.Options{TrustStore: trust.StoreTest, CRLDir: dir, ImportedCRLsOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	t.Run("missing CRL", func(t *testing.T) {
		rep := sign(t, personaConfig(t, "valid"), importedOnly(t))
		s := rep.Signatures[0]
		if s.Indication != trust.Indeterminate || s.SubIndication != trust.TryLater || !s.Intact ||
			s.Revocation == nil || s.Revocation.Status != trust.RevocationUnknown || s.Revocation.StaleSince != nil {
			t.Fatalf("missing CRL: %s/%s %+v", s.Indication, s.SubIndication, s.Revocation)
		}
	})
	t.Run("stale CRL", func(t *testing.T) {
		rep := sign(t, personaConfig(t, "valid"), importedOnly(t, testpki.CRLSignStale))
		s := rep.Signatures[0]
		if s.Indication != trust.Indeterminate || s.SubIndication != trust.TryLater || !s.Intact ||
			s.Revocation == nil || s.Revocation.StaleSince == nil {
			t.Fatalf("stale CRL: %s/%s %+v", s.Indication, s.SubIndication, s.Revocation)
		}
	})
	t.Run("fresh imported CRL", func(t *testing.T) {
		rep := sign(t, personaConfig(t, "valid"), importedOnly(t, testpki.CRLSignFresh))
		if s := rep.Signatures[0]; s.Indication != trust.TotalPassed {
			t.Fatalf("fresh imported CRL: %s/%s %+v", s.Indication, s.SubIndication, s.Revocation)
		}
	})
}

func TestSoftCardPINSafety(t *testing.T) {
	dir := t.TempDir()
	in := writePDF(t, dir, "in.pdf", samplepdf.Spec{})
	prof, _ := LookupSignProfile("pades")
	jobs := []SignJob{{in, filepath.Join(dir, "out.pdf")}}
	t.Run("blocked: no password asked", func(t *testing.T) {
		c, sc := softSigningCard(t, personaConfig(t, "blocked"))
		_, err := c.run(context.Background(), prof, SignFilesRequest{Jobs: jobs,
			AskPIN: func(card.PINStatus) ([]byte, bool, error) {
				t.Fatal("asked for a blocked password")
				return nil, false, nil
			}})
		var b *card.Blocked
		if !errors.As(err, &b) || sc.Stats().VerifySign != 0 {
			t.Fatalf("blocked: %v, %d VERIFY", err, sc.Stats().VerifySign)
		}
	})
	t.Run("wrong password: one VERIFY, no retry", func(t *testing.T) {
		c, sc := softSigningCard(t, personaConfig(t, "valid"))
		_, err := c.run(context.Background(), prof, SignFilesRequest{Jobs: jobs,
			AskPIN: func(card.PINStatus) ([]byte, bool, error) { return []byte("WRONG123"), false, nil }})
		var w *card.WrongPIN
		if !errors.As(err, &w) || w.Left != 4 || sc.Stats().VerifySign != 1 || sc.Stats().Signatures != 0 {
			t.Fatalf("wrong password: %v, %d VERIFY", err, sc.Stats().VerifySign)
		}
	})
	t.Run("last try needs confirmation", func(t *testing.T) {
		cfg := personaConfig(t, "valid")
		cfg.SignFailures = 4
		c, sc := softSigningCard(t, cfg)
		_, err := c.run(context.Background(), prof, SignFilesRequest{Jobs: jobs,
			AskPIN: func(st card.PINStatus) ([]byte, bool, error) {
				if st.Left != 1 {
					t.Fatalf("tries left %d", st.Left)
				}
				return []byte(testpki.SignPassword), false, nil
			}})
		var lt *card.LastTry
		if !errors.As(err, &lt) || sc.Stats().VerifySign != 0 {
			t.Fatalf("unconfirmed last try: %v, %d VERIFY", err, sc.Stats().VerifySign)
		}
	})
	if _, err := os.Stat(jobs[0].Output); !os.IsNotExist(err) {
		t.Fatal("an output appeared without a signature")
	}
}

func TestSoftCardRemovedMidBatch(t *testing.T) {
	dir := t.TempDir()
	a := writePDF(t, dir, "a.pdf", samplepdf.Spec{})
	b := writePDF(t, dir, "b.pdf", samplepdf.Spec{})
	c, sc := softSigningCard(t, personaConfig(t, "valid"))
	pol := testPolicyAt(t, time.Time{})
	prof, _ := LookupSignProfile("registry")
	if _, err := c.PINStatus(); err != nil {
		t.Fatal(err)
	}
	if err := c.Verify([]byte(testpki.SignPassword), false); err != nil {
		t.Fatal(err)
	}
	jobs := []SignJob{{a, filepath.Join(dir, "a_signed.pdf")}, {b, filepath.Join(dir, "b_signed.pdf")}}
	res := make([]FileResult, 2)
	res[0].Result, res[0].Err = c.Sign(context.Background(), prof, jobs[0], SignOptions{}, pol, nil)
	sc.Remove()
	res[1].Result, res[1].Err = c.Sign(context.Background(), prof, jobs[1], SignOptions{}, pol, nil)
	if res[0].Err != nil || !errors.Is(res[1].Err, card.ErrCardRemoved) {
		t.Fatalf("results: %v / %v", res[0].Err, res[1].Err)
	}
	entries, _ := os.ReadDir(dir)
	names := map[string]bool{}
	for _, e := range entries {
		names[e.Name()] = true
	}
	if len(entries) != 3 || !names["a_signed.pdf"] || names["b_signed.pdf"] {
		t.Fatalf("folder after a card removal: %v", names)
	}
}
