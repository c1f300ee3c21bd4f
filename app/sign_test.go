package app

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/mynasign/mynasign/app/flow"
	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/card"
	"github.com/mynasign/mynasign/card/softcard"
	samplepdf "github.com/mynasign/mynasign/internal/samplepdf"
	"github.com/mynasign/mynasign/internal/testpki"
	"github.com/mynasign/mynasign/pdf"
	"github.com/mynasign/mynasign/trust"
)

// minimalPDF is a one-page PDF 1.7 with a classic cross-reference table.
func minimalPDF(text string) []byte {
	content := fmt.Sprintf("BT /F1 12 Tf 72 720 Td (%s) Tj ET", text)
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// listDir names the entries of dir (sorted).
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

// wizardToPIN drives the wizard with the test card from the files to the password
// step: the files are dropped, profile is chosen (and the options set by opts), the
// test card's reader taken.
func wizardToPIN(t *testing.T, u *UI, files []string, profile string, opts func(w *signWizard)) *signWizard {
	t.Helper()
	w := u.startSignWizard(nil)
	u.Drop(files) // as a drop on the window
	u.WaitIdle()
	for _, f := range files {
		mustShow(t, u, filepath.Base(f))
	}
	tap(t, u, w.nextBtn)
	if w.step != stepProfile {
		t.Fatalf("after the files, step %d; screen:\n%s", w.step, screenText(u))
	}
	want := u.t("gui.profile." + profile)
	found := false
	for _, o := range w.profileRad.Options {
		if o == want {
			found = true
		}
	}
	if !found {
		t.Fatalf("profile %q not offered; options %v", want, w.profileRad.Options)
	}
	w.profileRad.SetSelected(want)
	if opts != nil {
		opts(w)
	}
	tap(t, u, w.nextBtn)
	if w.step != stepCard {
		t.Fatalf("after the profile, step %d; screen:\n%s", w.step, screenText(u))
	}
	if w.readerRad.Selected != u.t("gui.testcard.reader") {
		t.Fatalf("the test card's reader is not chosen: %q (options %v)", w.readerRad.Selected, w.readerRad.Options)
	}
	tap(t, u, w.nextBtn)
	if w.step != stepPIN {
		t.Fatalf("after the card, step %d; screen:\n%s", w.step, screenText(u))
	}
	return w
}

// enterPIN types the password and sends it with the button.
func enterPIN(t *testing.T, u *UI, w *signWizard, pin string) {
	t.Helper()
	entries := passwordEntries(u)
	if len(entries) != 1 {
		t.Fatalf("want one password entry, got %d; screen:\n%s", len(entries), screenText(u))
	}
	typeInto(u, entries[0], pin)
	tap(t, u, w.pin.submit)
}

// signAndSave goes from the disclosure to the result, checking that nothing is written
// next to the inputs before the save button.
func signAndSave(t *testing.T, u *UI, w *signWizard, dir string) {
	t.Helper()
	if w.step != stepDisclose {
		t.Fatalf("not at the disclosure step (%d); screen:\n%s", w.step, screenText(u))
	}
	before := listDir(t, dir)
	tap(t, u, w.signBtn)
	if w.step != stepSave {
		t.Fatalf("after signing, step %d; screen:\n%s", w.step, screenText(u))
	}
	if after := listDir(t, dir); strings.Join(after, "|") != strings.Join(before, "|") {
		t.Fatalf("files were written before the save step: %v → %v", before, after)
	}
	tap(t, u, w.saveBtn)
	if w.step != stepResult {
		t.Fatalf("after saving, step %d; screen:\n%s", w.step, screenText(u))
	}
	if w.tmpDir != "" {
		t.Fatal("the signing work folder was not removed")
	}
}

// checkSaved verifies a saved output with the test trust store and checks that it
// starts with the input's exact bytes (for incremental formats).
func checkSaved(t *testing.T, out string) *trust.DocumentReport {
	t.Helper()
	p, err := trust.NewPolicy(trust.Options{TrustStore: trust.StoreTest, CRLDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := flow.VerifyFile(context.Background(), out, p)
	if err != nil {
		t.Fatal(err)
	}
	if st := flow.StatusOf(rep); st != flow.DocPassed {
		t.Fatalf("%s: %s, want passed: %+v", out, st, rep.Summary)
	}
	return rep
}

// TestSignPDFThroughWizard signs two PDFs with one password (a visible signature with a
// reason), saves them under their default names and shows each self-verification,
// marked as a test signature.
func TestSignPDFThroughWizard(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	withTestCard(t, u, "valid")
	dir := t.TempDir()
	in1, in2 := filepath.Join(dir, "申請書.pdf"), filepath.Join(dir, "添付.pdf")
	for i, p := range []string{in1, in2} {
		if err := os.WriteFile(p, minimalPDF(fmt.Sprintf("document %d", i)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	orig, _ := os.ReadFile(in1)
	w := wizardToPIN(t, u, []string{in1, in2}, "pades", func(w *signWizard) {
		w.visibleChk.SetChecked(true)
		w.pageEntry.SetText("1")
		w.posSelect.SetSelectedIndex(1)
		typeInto(u, w.reasonEntry, "申請内容に相違ありません")
	})
	mustShow(t, u, u.t("gui.pin.tries_left", 5, 5))
	enterPIN(t, u, w, testpki.SignPassword)
	p, _ := testpki.PersonaByID("valid")
	mustShow(t, u, p.CertName)
	mustShow(t, u, "東京都千代田区")
	before := u.testCard.card.Stats()
	signAndSave(t, u, w, dir)
	if got := u.testCard.card.Stats(); got.VerifySign != before.VerifySign || got.Signatures-before.Signatures != 2 {
		t.Fatalf("one password for both files: %d more VERIFYs, %d signatures", got.VerifySign-before.VerifySign, got.Signatures-before.Signatures)
	}
	noMissingKeys(t, u, "sign result")
	mustShow(t, u, u.t("gui.test.mark"))
	for _, in := range []string{in1, in2} {
		out := strings.TrimSuffix(in, ".pdf") + "-signed.pdf" // the default name
		mustShow(t, u, u.t("gui.sign.result_saved", filepath.Base(out)))
		rep := checkSaved(t, out)
		if rep.TrustStore != trust.StoreTest {
			t.Errorf("the self-verification used the %s trust store", rep.TrustStore)
		}
		if rep.Signatures[0].Signer == nil || !rep.Signatures[0].Signer.Test {
			t.Error("the signature is not reported as a test signature")
		}
	}
	out1, _ := os.ReadFile(filepath.Join(dir, "申請書-signed.pdf"))
	if !bytes.HasPrefix(out1, orig) {
		t.Error("the signed PDF does not start with the input's bytes (not an incremental update)")
	}
	if now, _ := os.ReadFile(in1); !bytes.Equal(now, orig) {
		t.Error("the input file was modified")
	}
	if len(passwordEntries(u)) != 0 {
		t.Error("a password entry is still on screen")
	}
}

// TestSignXMLThroughWizard signs an XML application file (XAdES).
func TestSignXMLThroughWizard(t *testing.T) {
	u := newTestUI(t, i18n.English)
	withTestCard(t, u, "valid")
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join(repoRoot(t), "testdata", "xml", "application.xml"))
	if err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "application.xml")
	if err := os.WriteFile(in, src, 0o644); err != nil {
		t.Fatal(err)
	}
	w := wizardToPIN(t, u, []string{in}, "xades", nil)
	enterPIN(t, u, w, testpki.SignPassword)
	signAndSave(t, u, w, dir)
	noMissingKeys(t, u, "xml result")
	out := filepath.Join(dir, "application-signed.xml")
	checkSaved(t, out)
	mustShow(t, u, u.t("gui.sign.result_saved", filepath.Base(out)))
	if now, _ := os.ReadFile(in); !bytes.Equal(now, src) {
		t.Error("the input file was modified")
	}
}

// TestWrongPasswordShowsTriesAndDoesNotRetry: a wrong password costs exactly one try,
// the new count is shown, the entry is emptied, and the wizard waits for the user.
func TestWrongPasswordShowsTriesAndDoesNotRetry(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	withTestCard(t, u, "valid")
	dir := t.TempDir()
	in := filepath.Join(dir, "a.pdf")
	os.WriteFile(in, minimalPDF("a"), 0o644)
	w := wizardToPIN(t, u, []string{in}, "pades", nil)
	before := u.testCard.card.Stats()
	enterPIN(t, u, w, "WRONG1234")
	mustShow(t, u, u.tn("gui.pin.sign.wrong", 4, 4))
	mustShow(t, u, u.t("gui.pin.tries_left", 4, 5))
	if got := u.testCard.card.Stats().VerifySign - before.VerifySign; got != 1 {
		t.Fatalf("%d VERIFYs with data for one wrong password, want 1", got)
	}
	if left := u.testCard.card.TriesLeft("sign"); left != 4 {
		t.Fatalf("tries left %d, want 4", left)
	}
	if w.step != stepPIN || passwordEntries(u)[0].Text != "" {
		t.Fatal("the wizard left the password step, or the entry still holds the password")
	}
	// Malformed input is refused before anything is sent, and says what is wrong.
	typeInto(u, passwordEntries(u)[0], "abc")
	mustShow(t, u, u.t("gui.pin.sign.problem_length"))
	if !w.pin.submit.Disabled() {
		t.Fatal("a malformed password can be sent")
	}
	test.Type(passwordEntries(u)[0], "def")
	mustShow(t, u, u.t("gui.pin.problem.letter_digit"))
	passwordEntries(u)[0].SetText("ＡＢＣ１２３") // full width is accepted
	mustShow(t, u, u.t("gui.pin.ok"))
	passwordEntries(u)[0].SetText("ABC-123")
	mustShow(t, u, u.t("gui.pin.sign.problem_chars"))
	if got := u.testCard.card.Stats().VerifySign - before.VerifySign; got != 1 {
		t.Fatalf("typing sent something to the card (%d VERIFYs)", got)
	}
	tap(t, u, w.cancelBtn)
	if listDir(t, dir)[0] != "a.pdf" || len(listDir(t, dir)) != 1 {
		t.Fatalf("cancel left files: %v", listDir(t, dir))
	}
}

// TestLastTryAsksForConfirmation: with one try left the prompt says so before anything
// is typed, and sending asks for an explicit confirmation that says what blocking means;
// going back sends nothing.
func TestLastTryAsksForConfirmation(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	withTestCard(t, u, "valid")
	dir := t.TempDir()
	in := filepath.Join(dir, "a.pdf")
	os.WriteFile(in, minimalPDF("a"), 0o644)
	w := wizardToPIN(t, u, []string{in}, "pades", nil)
	for left := 4; left >= 1; left-- {
		enterPIN(t, u, w, "WRONG1234")
		mustShow(t, u, u.tn("gui.pin.sign.wrong", left, left))
	}
	mustShow(t, u, u.t("gui.pin.last_try_title"))
	mustShow(t, u, u.t("gui.pin.sign.last_try_text"))
	before := u.testCard.card.Stats()
	enterPIN(t, u, w, testpki.SignPassword)
	if w.pin.confirm == nil {
		t.Fatal("no confirmation before the last try")
	}
	mustShow(t, u, u.t("gui.pin.sign.blocked_where"))
	if got := u.testCard.card.Stats().VerifySign - before.VerifySign; got != 0 {
		t.Fatalf("the password was sent before the confirmation (%d VERIFYs)", got)
	}
	tap(t, u, w.pin.confirmBack)
	if got := u.testCard.card.Stats().VerifySign - before.VerifySign; got != 0 || w.step != stepPIN {
		t.Fatal("going back sent the password or left the step")
	}
	if passwordEntries(u)[0].Text != "" {
		t.Fatal("going back left the password in the entry")
	}
	enterPIN(t, u, w, testpki.SignPassword)
	tap(t, u, w.pin.confirmSend)
	if got := u.testCard.card.Stats().VerifySign - before.VerifySign; got != 1 {
		t.Fatalf("%d VERIFYs after the confirmation, want 1", got)
	}
	if w.step != stepDisclose {
		t.Fatalf("the right password on the last try did not go on; screen:\n%s", screenText(u))
	}
	if left := u.testCard.card.TriesLeft("sign"); left != 5 {
		t.Fatalf("tries left after a success %d, want 5", left)
	}
	tap(t, u, w.cancelBtn)
}

// TestBlockedPersonaHasNoPasswordField: a blocked card is explained, with where to
// reset it, and no password field is shown at any point.
func TestBlockedPersonaHasNoPasswordField(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.Japanese, i18n.English} {
		u := newTestUI(t, lang)
		withTestCard(t, u, "blocked")
		dir := t.TempDir()
		in := filepath.Join(dir, "a.pdf")
		os.WriteFile(in, minimalPDF("a"), 0o644)
		before := u.testCard.card.Stats()
		w := wizardToPIN(t, u, []string{in}, "pades", nil)
		mustShow(t, u, u.t("gui.pin.sign.blocked_title"))
		mustShow(t, u, u.t("gui.pin.sign.blocked_where"))
		if n := len(passwordEntries(u)); n != 0 {
			t.Fatalf("%s: a blocked card shows %d password entries", lang, n)
		}
		if got := u.testCard.card.Stats().VerifySign - before.VerifySign; got != 0 {
			t.Fatalf("%s: a password was sent to a blocked card", lang)
		}
		noMissingKeys(t, u, "blocked")
		tap(t, u, w.cancelBtn)
	}
}

// TestCardRemovedWhileSigning: the card vanishes in the middle of signing (before its
// second signature of three files); the wizard ends with a clear message and no file is
// written.
func TestCardRemovedWhileSigning(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	withTestCard(t, u, "valid")
	dir := t.TempDir()
	var ins []string
	for i := 0; i < 3; i++ {
		p := filepath.Join(dir, fmt.Sprintf("f%d.pdf", i))
		os.WriteFile(p, minimalPDF(p), 0o644)
		ins = append(ins, p)
	}
	w := wizardToPIN(t, u, ins, "pades", nil)
	enterPIN(t, u, w, testpki.SignPassword)
	if w.step != stepDisclose {
		t.Fatalf("not at the disclosure; screen:\n%s", screenText(u))
	}
	// The card vanishes after the first file's signature, before the second one.
	u.testCard.card.FailBefore(apdusPerSignature(t) + 1)
	tap(t, u, w.signBtn)
	if w.errorView == nil {
		t.Fatalf("no error after the card vanished; screen:\n%s", screenText(u))
	}
	mustShow(t, u, u.t("err.card.removed"))
	mustShow(t, u, u.t("gui.sign.nothing_written"))
	if got := listDir(t, dir); len(got) != 3 {
		t.Fatalf("files were written: %v", got)
	}
	if w.tmpDir != "" || w.card != nil {
		t.Fatal("the work folder or the card session was left open")
	}
	waitCards(t, u, func(r Readers) bool { return len(r.Readers) == 1 && !r.Readers[0].Present })
	// The card comes back: the app recovers, the wizard can start again.
	u.testCard.insert()
	waitCards(t, u, func(r Readers) bool { return len(r.Readers) == 1 && r.Readers[0].Present })
	tap(t, u, button(t, u, u.t("gui.sign.again")))
	mustShow(t, u, "f0.pdf")
}

// apdusPerSignature measures how many APDUs the first signature of a verified session
// costs (after the certificates were read), on a card of its own.
func apdusPerSignature(t *testing.T) int {
	t.Helper()
	c, err := softcard.NewPersona("valid")
	if err != nil {
		t.Fatal(err)
	}
	s, err := card.Open(c)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.VerifySignPIN([]byte(testpki.SignPassword)); err != nil {
		t.Fatal(err)
	}
	sg, err := s.Signer()
	if err != nil {
		t.Fatal(err)
	}
	// As the wizard does: the certificates are read between VERIFY and signing.
	if _, err := s.SignCertificate(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SignCACertificate(); err != nil {
		t.Fatal(err)
	}
	d := sha256.Sum256([]byte("x"))
	before := c.Stats().Commands
	if _, err := sg.Sign(rand.Reader, d[:], crypto.SHA256); err != nil {
		t.Fatal(err)
	}
	return c.Stats().Commands - before
}

// TestCardTakenOutAtPassword: the card leaves the reader while the password is asked:
// the wizard ends at once with a clear message (the watch reports it, no operation is
// needed to notice).
func TestCardTakenOutAtPassword(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	withTestCard(t, u, "valid")
	dir := t.TempDir()
	in := filepath.Join(dir, "a.pdf")
	os.WriteFile(in, minimalPDF("a"), 0o644)
	w := wizardToPIN(t, u, []string{in}, "pades", nil)
	u.testCard.remove()
	waitCards(t, u, func(r Readers) bool { return len(r.Readers) == 1 && !r.Readers[0].Present })
	u.WaitIdle()
	if w.errorView == nil {
		t.Fatalf("no message after the card was taken out; screen:\n%s", screenText(u))
	}
	mustShow(t, u, u.t("err.card.removed"))
	if n := len(passwordEntries(u)); n != 0 {
		t.Fatal("the password field is still there")
	}
}

// TestSignEGovFolderThroughWizard signs an e-Gov application folder (kousei.xml and its
// forms): the signed copy is a new folder next to the original.
func TestSignEGovFolderThroughWizard(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	withTestCard(t, u, "valid")
	dir := t.TempDir()
	in := filepath.Join(dir, "shinsei-1")
	if err := copyDir(filepath.Join(repoRoot(t), "testdata", "egov", "shinsei-1"), in); err != nil {
		t.Fatal(err)
	}
	w := wizardToPIN(t, u, []string{in}, "egov", nil)
	enterPIN(t, u, w, testpki.SignPassword)
	signAndSave(t, u, w, dir)
	out := filepath.Join(dir, "shinsei-1-signed")
	rep := checkSaved(t, out)
	if rep.Kind != "egov" {
		t.Errorf("the saved folder verified as %q", rep.Kind)
	}
	mustShow(t, u, u.t("gui.sign.result_saved", "shinsei-1-signed"))
	orig, _ := os.ReadFile(filepath.Join(repoRoot(t), "testdata", "egov", "shinsei-1", "kousei.xml"))
	if now, _ := os.ReadFile(filepath.Join(in, "kousei.xml")); !bytes.Equal(now, orig) {
		t.Error("the input folder was modified")
	}
}

// TestRegistryProfileAndConformance signs with the 登記用 profile, then checks the saved
// file against the registry's table from the result's details; a PAdES file fails it.
func TestRegistryProfileAndConformance(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	withTestCard(t, u, "valid")
	dir := t.TempDir()
	for _, prof := range []string{"registry", "pades"} {
		in := filepath.Join(dir, prof+".pdf")
		os.WriteFile(in, minimalPDF(prof), 0o644)
		w := wizardToPIN(t, u, []string{in}, prof, nil)
		enterPIN(t, u, w, testpki.SignPassword)
		signAndSave(t, u, w, dir)
		tap(t, u, button(t, u, u.t("gui.verify.details")))
		tap(t, u, button(t, u, u.t("gui.conf.check")))
		noMissingKeys(t, u, "conformance")
		want, not := "gui.conf.passed", "gui.conf.failed"
		if prof == "pades" {
			want, not = not, want
		}
		mustShow(t, u, u.t(want, "Signature1"))
		mustNotShow(t, u, u.t(not, "Signature1"))
	}
}

// TestCardWithoutSignatureCertificate: a child's card (no signature certificate) is
// explained at the card step; nothing is asked.
func TestCardWithoutSignatureCertificate(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	withTestCard(t, u, "child")
	dir := t.TempDir()
	in := filepath.Join(dir, "a.pdf")
	os.WriteFile(in, minimalPDF("a"), 0o644)
	w := u.startSignWizard([]string{in})
	tap(t, u, w.nextBtn)
	tap(t, u, w.nextBtn)
	tap(t, u, w.nextBtn)
	if w.errorView == nil {
		t.Fatalf("no explanation; screen:\n%s", screenText(u))
	}
	mustShow(t, u, u.t("err.card.no_sign_cert"))
	if len(passwordEntries(u)) != 0 {
		t.Fatal("a password is asked for a card that cannot sign")
	}
}

// TestLeavingTheWizardEndsIt: stopping the test card from the banner in the middle of
// the wizard closes the card session (as キャンセル does).
func TestLeavingTheWizardEndsIt(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	withTestCard(t, u, "valid")
	dir := t.TempDir()
	in := filepath.Join(dir, "a.pdf")
	os.WriteFile(in, minimalPDF("a"), 0o644)
	w := wizardToPIN(t, u, []string{in}, "pades", nil)
	if w.card == nil {
		t.Fatal("no session at the password step")
	}
	tap(t, u, button(t, u, u.t("gui.testcard.stop")))
	if !w.ended || w.card != nil {
		t.Fatal("the wizard still holds the card after its screen was left")
	}
}

// TestVisibleSignatureOnTheRealPage: the page number is checked against the document
// before the card is used (page 3 of a two-page PDF is refused on the profile step, the
// card sees nothing); the box is then placed in the chosen corner of the real page — here
// a landscape US Letter page — inside it and the margin from its edges.
func TestVisibleSignatureOnTheRealPage(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	withTestCard(t, u, "valid")
	dir := t.TempDir()
	in := filepath.Join(dir, "landscape.pdf")
	spec := samplepdf.Spec{Pages: 2, PageBoxes: []string{"/MediaBox [0 0 595 842]", "/MediaBox [0 0 792 612]"}}
	if err := os.WriteFile(in, samplepdf.Make(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	w := u.startSignWizard([]string{in})
	tap(t, u, w.nextBtn)
	before := u.testCard.card.Stats()
	w.visibleChk.SetChecked(true)
	w.pageEntry.SetText("3")
	w.posSelect.SetSelectedIndex(2) // top right
	tap(t, u, w.nextBtn)
	if w.step != stepProfile {
		t.Fatalf("page 3 of 2 was accepted; step %d", w.step)
	}
	noMissingKeys(t, u, "page check")
	mustShow(t, u, u.t("gui.sign.page_out_of_range", "landscape.pdf", 2, 3))
	if after := u.testCard.card.Stats(); after.Commands != before.Commands || after.Transactions != before.Transactions {
		t.Fatalf("the card was used before the page was checked: %+v → %+v", before, after)
	}

	w.pageEntry.SetText("2")
	tap(t, u, w.nextBtn)
	if w.step != stepCard {
		t.Fatalf("page 2 of 2 was refused; screen:\n%s", screenText(u))
	}
	tap(t, u, w.nextBtn)
	enterPIN(t, u, w, testpki.SignPassword)
	signAndSave(t, u, w, dir)
	out := filepath.Join(dir, "landscape-signed.pdf")
	checkSaved(t, out)

	f, err := pdf.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pages, err := f.Pages(f.Last())
	if err != nil {
		t.Fatal(err)
	}
	fields, err := f.Fields(f.Last())
	if err != nil {
		t.Fatal(err)
	}
	var rect []float64
	for _, fl := range fields {
		if fl.Type != "Sig" {
			continue
		}
		o, err := f.Resolve(f.Last(), fl.Widget[0])
		if err != nil {
			t.Fatal(err)
		}
		wd := o.(pdf.Dict)
		if p, _ := wd.Get("P").(pdf.Ref); p != pages[1] {
			t.Errorf("the widget is on %v, want page 2 (%v)", wd.Get("P"), pages[1])
		}
		for _, v := range wd.Get("Rect").(pdf.Array) {
			n, _ := pdf.NumberOf(v)
			rect = append(rect, n)
		}
	}
	want := []float64{792 - 36 - visibleW, 612 - 36 - visibleH, 792 - 36, 612 - 36}
	if fmt.Sprint(rect) != fmt.Sprint(want) {
		t.Fatalf("signature /Rect %v, want %v (top right of the 792×612 page)", rect, want)
	}
}
