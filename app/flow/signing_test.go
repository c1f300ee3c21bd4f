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
)

// TestNewSigningCard: a session opened by the caller drives the flow's steps (tries,
// one VERIFY, certificate, signing); a card that is not a My Number Card is refused and
// its session closed.
func TestNewSigningCard(t *testing.T) {
	dir := t.TempDir()
	in := writePDF(t, dir, "in.pdf", samplepdf.Spec{})
	c, sc := softSigningCard(t, personaConfig(t, "valid"))
	st, err := c.PINStatus()
	if err != nil || st.Left != 5 || st.Blocked {
		t.Fatalf("tries: %+v %v", st, err)
	}
	if err := c.Verify([]byte(testpki.SignPassword), false); err != nil {
		t.Fatal(err)
	}
	cert, _, err := c.Certificate()
	if err != nil || cert == nil {
		t.Fatalf("certificate: %v", err)
	}
	prof, _ := LookupSignProfile("pades")
	var last FileProgress
	res, err := c.Sign(context.Background(), prof, SignJob{in, filepath.Join(dir, "out.pdf")}, SignOptions{}, testPolicyAt(t, time.Time{}), func(done, total int64) {
		last = FileProgress{Done: done, Total: total}
	})
	if err != nil || res.Report == nil {
		t.Fatalf("sign: %v", err)
	}
	if last.Total == 0 || last.Done != last.Total {
		t.Errorf("progress did not reach the end: %+v", last)
	}
	if got := sc.Stats(); got.VerifySign != 1 || got.Signatures != 1 {
		t.Errorf("%d VERIFY, %d signatures; want 1, 1", got.VerifySign, got.Signatures)
	}

	cfg := personaConfig(t, "valid")
	cfg.NoJPKI = true
	other, err := softcard.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := card.Open(other)
	if err != nil {
		t.Fatal(err)
	}
	var unsup *card.UnsupportedCard
	if _, err := NewSigningCard(sess, true); !errors.As(err, &unsup) {
		t.Fatalf("a card without JPKI: %v", err)
	}
	if _, err := sess.PINStatus(card.SignPassword); err == nil {
		t.Error("the refused card's session is still open")
	}
	if _, err := NewSigningCard(nil, false); err == nil {
		t.Error("a nil session was accepted")
	}
}

// TestSignAllStopsWhenTheCardLeaves: the card leaves while the second of three files is
// being signed; the third is not tried (no progress for it, no transaction on the card)
// and carries the card's error; the first is signed.
func TestSignAllStopsWhenTheCardLeaves(t *testing.T) {
	dir := t.TempDir()
	var jobs []SignJob
	for _, n := range []string{"a", "b", "c"} {
		jobs = append(jobs, SignJob{writePDF(t, dir, n+".pdf", samplepdf.Spec{}), filepath.Join(dir, n+"-out.pdf")})
	}
	c, sc := softSigningCard(t, personaConfig(t, "valid"))
	if err := c.Verify([]byte(testpki.SignPassword), false); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Certificate(); err != nil {
		t.Fatal(err)
	}
	prof, _ := LookupSignProfile("pades")
	var started []int
	var afterRemoval int
	res := c.SignAll(context.Background(), prof, jobs, SignOptions{}, nil, func(p FileProgress) {
		if p.Done == 0 && p.Total == 0 {
			started = append(started, p.Index)
			if p.Index == 1 {
				sc.Remove()
				afterRemoval = sc.Stats().Transactions
			}
		}
	})
	if len(started) != 2 {
		t.Fatalf("files started: %v, want [0 1]", started)
	}
	if res[0].Err != nil || res[0].Result == nil {
		t.Fatalf("first file: %v", res[0].Err)
	}
	for i := 1; i < 3; i++ {
		if !errors.Is(res[i].Err, card.ErrCardRemoved) || res[i].Result != nil {
			t.Errorf("file %d: %v, want the card's removal", i+1, res[i].Err)
		}
	}
	if got := sc.Stats().Transactions - afterRemoval; got > 1 {
		t.Errorf("%d card transactions after the removal, want at most the failing one", got)
	}
	for _, j := range jobs[1:] {
		if _, err := os.Stat(j.Output); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s exists after the card left", j.Output)
		}
	}
}
