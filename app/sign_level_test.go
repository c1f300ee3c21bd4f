package app

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/mynasign/mynasign/app/flow"
	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/internal/testenv"
	"github.com/mynasign/mynasign/internal/testpki"
	"github.com/mynasign/mynasign/trust"
)

// wizardToProfile drives the wizard with the test card from the files to the profile
// step and chooses profile.
func wizardToProfile(t *testing.T, u *UI, files []string, profile string) *signWizard {
	t.Helper()
	w := u.startSignWizard(nil)
	u.Drop(files)
	u.WaitIdle()
	tap(t, u, w.nextBtn)
	if w.step != stepProfile {
		t.Fatalf("after the files, step %d; screen:\n%s", w.step, screenText(u))
	}
	w.profileRad.SetSelected(u.t("gui.profile." + profile))
	return w
}

// TestTimestampNeedsAnAddress: a time-stamped signature cannot start without the
// authority's address, nor with one that is not http(s), and says why next to the
// field; with 長期保存 too it is B-LT with the address; the registry profile offers no
// time-stamp; the field explains what is sent.
func TestTimestampNeedsAnAddress(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.Japanese, i18n.English} {
		u := newTestUI(t, lang)
		withTestCard(t, u, "valid")
		in := filepath.Join(t.TempDir(), "申請書.pdf")
		if err := os.WriteFile(in, minimalPDF("ts"), 0o644); err != nil {
			t.Fatal(err)
		}
		w := wizardToProfile(t, u, []string{in}, "pades")
		mustShow(t, u, u.t("gui.sign.tsa_help"))
		if w.level.ts.Checked || !w.level.tsa.Disabled() || w.level.tsa.Text != "" {
			t.Fatalf("time-stamp chosen %v, address field disabled %v, address %q: want none by default",
				w.level.ts.Checked, w.level.tsa.Disabled(), w.level.tsa.Text)
		}
		w.level.ts.SetChecked(true)
		if w.level.tsa.Disabled() {
			t.Fatal("the address field stays disabled with a time-stamp chosen")
		}
		tap(t, u, w.nextBtn)
		if w.step != stepProfile {
			t.Fatalf("B-T without an address went on to step %d", w.step)
		}
		mustShow(t, u, u.t("gui.sign.err.needs_tsa"))
		typeInto(u, &w.level.tsa.Entry, "ftp://tsa.example/")
		tap(t, u, w.nextBtn)
		if w.step != stepProfile {
			t.Fatalf("B-T with an ftp address went on to step %d", w.step)
		}
		mustShow(t, u, u.t("gui.sign.err.tsa_address", "ftp://tsa.example/"))
		noMissingKeys(t, u, "time-stamp problems")
		if got := u.fa.Preferences().String(prefTSA); got != "" {
			t.Errorf("an unusable address was remembered: %q", got)
		}
		// 長期保存 with a time-stamp: B-LT, time-stamped too.
		w.level.lt.SetChecked(true)
		w.level.tsa.SetText(" https://tsa.example/rfc3161 ")
		tap(t, u, w.nextBtn)
		if w.step != stepCard || w.opts.Level != flow.LevelBLT || w.opts.TSA != "https://tsa.example/rfc3161" {
			t.Fatalf("B-LT with a time-stamp: step %d, level %q, address %q", w.step, w.opts.Level, w.opts.TSA)
		}
		w.back()
		u.WaitIdle()
		if w.step != stepProfile || !w.level.lt.Checked || !w.level.ts.Checked || w.level.tsa.Text != "https://tsa.example/rfc3161" {
			t.Fatalf("back at the profile: step %d, B-LT %v, time-stamp %v, address %q", w.step, w.level.lt.Checked, w.level.ts.Checked, w.level.tsa.Text)
		}

		w.profileRad.SetSelected(u.t("gui.profile.registry"))
		if !w.level.ts.Disabled() || w.level.ts.Checked || !w.level.tsa.Disabled() {
			t.Error("the registry profile offers a time-stamp")
		}
		tap(t, u, w.nextBtn)
		if w.step != stepCard || w.opts.Level != "" || w.opts.TSA != "" {
			t.Errorf("registry: step %d, level %q, address %q", w.step, w.opts.Level, w.opts.TSA)
		}
		w.cancelWizard()
		u.WaitIdle()
	}
}

// TestSignTimestampedThroughWizard: with the address of a test time-stamping authority
// (openssl ts under faketime on 127.0.0.1), the wizard's output is a PAdES-B-T signature
// whose time-stamp is trusted (the authority's certificate is trusted for time-stamps,
// as 信頼する認証局 adds it) and shown in the details; the address is remembered for
// the next signature. An authority that
// cannot be reached leaves the file unsigned, said in plain words.
func TestSignTimestampedThroughWizard(t *testing.T) {
	tsa := testenv.NewTSA(t)
	u := newTestUI(t, i18n.Japanese)
	withTestCard(t, u, "valid")
	store, err := trust.OpenAnchorStoreFor(u.trustOptions())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Add(trust.AddOptions{Purpose: trust.PurposeTimestamp, Name: "テスト時刻認証局"},
		trust.AnchorInput{File: "tsa.der", Data: tsa.Cert.Raw}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "申請書.pdf")
	if err := os.WriteFile(in, minimalPDF("timestamped"), 0o644); err != nil {
		t.Fatal(err)
	}
	w := wizardToPIN(t, u, []string{in}, "pades", func(w *signWizard) {
		w.level.ts.SetChecked(true)
		typeInto(u, &w.level.tsa.Entry, tsa.URL)
	})
	if w.opts.Level != flow.LevelBT || w.opts.TSA != tsa.URL {
		t.Fatalf("options: level %q, address %q", w.opts.Level, w.opts.TSA)
	}
	enterPIN(t, u, w, testpki.SignPassword)
	signAndSave(t, u, w, dir)
	noMissingKeys(t, u, "time-stamped result")
	if tsa.Requests != 1 {
		t.Fatalf("%d requests to the time-stamping authority, want 1", tsa.Requests)
	}
	out := filepath.Join(dir, "申請書-signed.pdf")
	pol, err := trust.NewPolicy(u.trustOptions())
	if err != nil {
		t.Fatal(err)
	}
	rep, err := flow.VerifyFile(context.Background(), out, pol)
	if err != nil {
		t.Fatal(err)
	}
	s := rep.Signatures[0]
	if s.Format != "PAdES-B-T" || len(s.Timestamps) != 1 || s.Timestamps[0].Indication != trust.TotalPassed ||
		s.BestSignatureTime == nil || s.Integrity() != trust.IntegrityIntact {
		t.Fatalf("format %q, time-stamps %+v, best signature time %v, integrity %v", s.Format, s.Timestamps, s.BestSignatureTime, s.Integrity())
	}
	if got := u.fa.Preferences().String(prefTSA); got != tsa.URL {
		t.Errorf("remembered address %q, want %q", got, tsa.URL)
	}
	// The details of the result show the time-stamp.
	tap(t, u, button(t, u, u.t("gui.verify.details")))
	mustShow(t, u, u.t("gui.details.ts.n", 1, u.t("gui.details.ts.passed")))
	mustShow(t, u, u.t("gui.details.best_signature_time"))

	// The next wizard offers the remembered address; an authority that is not there
	// leaves the file unsigned.
	w = wizardToProfile(t, u, []string{in}, "pades")
	if w.level.tsa.Text != tsa.URL {
		t.Fatalf("the address field shows %q, want the remembered %q", w.level.tsa.Text, tsa.URL)
	}
	w.cancelWizard()
	u.WaitIdle()
	w = wizardToPIN(t, u, []string{in}, "pades", func(w *signWizard) {
		w.level.ts.SetChecked(true)
		w.level.tsa.SetText("http://127.0.0.1:1/tsa")
	})
	enterPIN(t, u, w, testpki.SignPassword)
	tap(t, u, w.signBtn)
	if w.step != stepSave {
		t.Fatalf("after signing with an unreachable authority, step %d; screen:\n%s", w.step, screenText(u))
	}
	mustShow(t, u, u.t("gui.sign.file_failed", "申請書.pdf", u.t("err.tsa.unreachable")))
	if !w.saveBtn.Disabled() {
		t.Error("the save button is enabled with nothing signed")
	}
}
