package app

import (
	"errors"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/internal/testpki"
)

// pressKey types a key as the window does: to the focused control, else to the
// window's handler.
func pressKey(u *UI, k fyne.KeyName) {
	ev := &fyne.KeyEvent{Name: k}
	if f := u.win.Canvas().Focused(); f != nil {
		f.TypedKey(ev)
	} else if h := u.win.Canvas().OnTypedKey(); h != nil {
		h(ev)
	}
	u.WaitIdle()
}

// menuItem finds the main menu's item with the given shortcut.
func menuItem(t *testing.T, u *UI, key fyne.KeyName) *fyne.MenuItem {
	t.Helper()
	for _, m := range u.win.MainMenu().Items {
		for _, it := range m.Items {
			if sc, ok := it.Shortcut.(*desktop.CustomShortcut); ok && sc.KeyName == key && sc.Modifier == fyne.KeyModifierAlt {
				return it
			}
		}
	}
	t.Fatalf("no menu item with Alt+%s", key)
	return nil
}

// signToSave drives the wizard with the test card to the save step for one new PDF in
// dir.
func signToSave(t *testing.T, u *UI, dir string) *signWizard {
	t.Helper()
	in := filepath.Join(dir, "a.pdf")
	if err := os.WriteFile(in, minimalPDF("a"), 0o644); err != nil {
		t.Fatal(err)
	}
	w := wizardToPIN(t, u, []string{in}, "pades", nil)
	enterPIN(t, u, w, testpki.SignPassword)
	tap(t, u, w.signBtn)
	if w.step != stepSave || w.tmpDir == "" {
		t.Fatalf("not at the save step (%d); screen:\n%s", w.step, screenText(u))
	}
	return w
}

// TestSignedResultIsNotLostSilently: every way out of the save step (キャンセル, Escape,
// Alt+←, ホーム) asks before the signed file is thrown away; keeping it (the button, or
// Escape on the question) stays on the save step with the signed file, and saving still
// works. The details of the saved file return to the result, by 戻る and by Escape.
func TestSignedResultIsNotLostSilently(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	withTestCard(t, u, "valid")
	dir := t.TempDir()
	w := signToSave(t, u, dir)
	ways := []struct {
		name  string
		leave func()
	}{
		{"キャンセル", func() { tap(t, u, w.cancelBtn) }},
		{"Escape", func() { pressKey(u, fyne.KeyEscape) }},
		{"Alt+←", func() { menuItem(t, u, fyne.KeyLeft).Action(); u.WaitIdle() }},
		{"Alt+Home", func() { menuItem(t, u, fyne.KeyHome).Action(); u.WaitIdle() }},
		{"ホーム", func() { tap(t, u, button(t, u, u.t("gui.common.home"))) }},
	}
	for i, way := range ways {
		way.leave()
		mustShow(t, u, u.t("gui.sign.lose_signed_title"))
		if w.step != stepSave || w.ended {
			t.Fatalf("%s: the save step was left before the answer", way.name)
		}
		if _, err := os.Stat(w.tmpDir); err != nil {
			t.Fatalf("%s: the signed file is gone before the answer: %v", way.name, err)
		}
		if i%2 == 0 {
			tap(t, u, button(t, u, u.t("gui.sign.lose_signed_keep")))
		} else {
			pressKey(u, fyne.KeyEscape) // Escape on the question keeps the file
		}
		mustNotShow(t, u, u.t("gui.sign.lose_signed_title"))
		if w.step != stepSave || w.ended || w.tmpDir == "" {
			t.Fatalf("%s: keeping the signed file left the save step (step %d)", way.name, w.step)
		}
		mustShow(t, u, u.t("gui.sign.save"))
	}
	tap(t, u, w.saveBtn)
	if w.step != stepResult {
		t.Fatalf("saving after keeping did not work; screen:\n%s", screenText(u))
	}
	out := filepath.Join(dir, "a-signed.pdf")
	checkSaved(t, out)
	mustShow(t, u, u.t("gui.sign.result_saved", "a-signed.pdf"))

	// The details come back to the result: by their 戻る, and by Escape.
	for _, back := range []func(){
		func() { tap(t, u, button(t, u, u.t("gui.common.back"))) },
		func() { pressKey(u, fyne.KeyEscape) },
	} {
		tap(t, u, button(t, u, u.t("gui.verify.details")))
		mustShow(t, u, u.t("gui.details.title"))
		back()
		if u.cur.isHome {
			t.Fatal("the details went home instead of back to the result")
		}
		mustShow(t, u, u.t("gui.sign.result_saved", "a-signed.pdf"))
		mustShow(t, u, u.t("gui.sign.result_intro"))
	}
}

// TestDiscardSignedResult: answering 破棄する at the save step throws the signed file away
// (the work folder is removed, nothing is written) and goes home; past the password,
// going back asks before the checked password is dropped, and やめる goes back to the
// card step with the card session closed.
func TestDiscardSignedResult(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	withTestCard(t, u, "valid")
	dir := t.TempDir()
	w := signToSave(t, u, dir)
	tmp := w.tmpDir
	pressKey(u, fyne.KeyEscape)
	tap(t, u, button(t, u, u.t("gui.sign.lose_signed_lose")))
	if !w.ended || !u.cur.isHome {
		t.Fatal("破棄する did not end the wizard")
	}
	if _, err := os.Stat(tmp); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the work folder is still there: %v", err)
	}
	if got := listDir(t, dir); len(got) != 1 {
		t.Fatalf("files were written: %v", got)
	}

	in := filepath.Join(dir, "a.pdf")
	w = wizardToPIN(t, u, []string{in}, "pades", nil)
	enterPIN(t, u, w, testpki.SignPassword)
	if w.step != stepDisclose {
		t.Fatalf("not at the disclosure; screen:\n%s", screenText(u))
	}
	pressKey(u, fyne.KeyEscape)
	mustShow(t, u, u.t("gui.sign.lose_password_title"))
	tap(t, u, button(t, u, u.t("gui.sign.lose_password_keep")))
	if w.step != stepDisclose || w.card == nil {
		t.Fatal("keeping the password left the disclosure or closed the card")
	}
	pressKey(u, fyne.KeyEscape)
	tap(t, u, button(t, u, u.t("gui.sign.lose_password_lose")))
	if w.step != stepCard || w.card != nil {
		t.Fatalf("やめる did not go back to the card step with the session closed (step %d)", w.step)
	}
	// Before the password nothing is at stake: Escape goes back one step, no question.
	pressKey(u, fyne.KeyEscape)
	if w.step != stepProfile || u.dialogShown() {
		t.Fatalf("Escape at the card step: step %d, dialog %v", w.step, u.dialogShown())
	}
	u.win.Canvas().Focus(w.visibleChk) // from a check box too (Fyne's ignores Escape)
	pressKey(u, fyne.KeyEscape)
	if w.step != stepFiles {
		t.Fatalf("Escape on the check box: step %d, want the files", w.step)
	}
	pressKey(u, fyne.KeyEscape)
	if !w.ended || !u.cur.isHome {
		t.Fatal("Escape at the first step did not go home")
	}
}

// TestEnterPressesTheMainAction: the whole wizard with Enter alone (and the password
// typed): each step starts on its main action (or its field), and Enter does it; Enter
// in a field and with no control focused is the main action too, while a focused
// button takes Enter itself (キャンセル cancels, it does not sign). The password step's
// button is in the bottom bar and says パスワードを確認, not the name of 検証する.
func TestEnterPressesTheMainAction(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	withTestCard(t, u, "valid")
	dir := t.TempDir()
	in := filepath.Join(dir, "a.pdf")
	os.WriteFile(in, minimalPDF("a"), 0o644)
	w := u.startSignWizard([]string{in})
	for _, want := range []int{stepProfile, stepCard, stepPIN} {
		if u.win.Canvas().Focused() != w.nextBtn {
			t.Fatalf("step %d: the focus is on %q, not 次へ", w.step, focusedText(u))
		}
		if want == stepCard {
			u.win.Canvas().Focus(nil) // no control focused: Enter still goes on
		}
		pressKey(u, fyne.KeyReturn)
		if w.step != want {
			t.Fatalf("Enter went to step %d, want %d; screen:\n%s", w.step, want, screenText(u))
		}
	}
	if !inBottomBar(u, w.pin.submit) {
		t.Fatal("the password step's button is not in the bottom bar")
	}
	if got := w.pin.submit.Text; got != u.t("gui.pin.sign.submit") || got == u.t("gui.home.verify") {
		t.Fatalf("the password step's button says %q", got)
	}
	if got := i18n.New(i18n.English).T("gui.pin.sign.submit"); got != "Check password" {
		t.Fatalf("in English it says %q", got)
	}
	test.Type(u.win.Canvas().Focused(), testpki.SignPassword)
	pressKey(u, fyne.KeyReturn)
	if w.step != stepDisclose {
		t.Fatalf("Enter in the password field did not check it; screen:\n%s", screenText(u))
	}
	// A focused キャンセル takes Enter: it asks, it does not sign.
	u.win.Canvas().Focus(w.cancelBtn)
	pressKey(u, fyne.KeyReturn)
	mustShow(t, u, u.t("gui.sign.lose_password_title"))
	pressKey(u, fyne.KeyReturn) // on the question's focused safe choice: keep
	if w.step != stepDisclose || u.dialogShown() {
		t.Fatalf("Enter on the question's focused 署名を続ける: step %d, dialog %v", w.step, u.dialogShown())
	}
	u.win.Canvas().Focus(w.signBtn)
	pressKey(u, fyne.KeyReturn)
	if w.step != stepSave {
		t.Fatalf("Enter at the disclosure did not sign; screen:\n%s", screenText(u))
	}
	// In a field of the save step, Escape asks (the field passes it on), and Enter
	// saves.
	typeInto(u, w.saveNames[0], "")
	pressKey(u, fyne.KeyEscape)
	mustShow(t, u, u.t("gui.sign.lose_signed_title"))
	pressKey(u, fyne.KeyEscape)
	typeInto(u, w.saveNames[0], "")
	pressKey(u, fyne.KeyReturn)
	if w.step != stepResult {
		t.Fatalf("Enter at the save step did not save; screen:\n%s", screenText(u))
	}
	checkSaved(t, filepath.Join(dir, "a-signed.pdf"))
	pressKey(u, fyne.KeyReturn)
	if !u.cur.isHome {
		t.Fatal("Enter at the result did not go home")
	}
	// The home screen has no main action: Enter presses the focused button.
	pressKey(u, fyne.KeyReturn)
	mustShow(t, u, u.t("gui.sign.files_intro"))
}

// inBottomBar reports whether b is one of the actions of the screen shown.
func inBottomBar(u *UI, b *pushButton) bool {
	for _, a := range u.cur.actions {
		if a == b {
			return true
		}
	}
	return false
}

// TestEscapeClosesDialogs: Escape closes an error dialog, and the last-try
// confirmation as its safe choice (nothing sent, the field emptied) with its button
// focused; then, in the password field, it goes back one step.
func TestEscapeClosesDialogs(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	withTestCard(t, u, "valid")
	u.showError(u.t("gui.sign.failed_title"), errors.New("boom"))
	if !u.dialogShown() {
		t.Fatal("no dialog shown")
	}
	pressKey(u, fyne.KeyEscape)
	if u.dialogShown() || !u.cur.isHome {
		t.Fatal("Escape did not close the error dialog, or left the screen")
	}

	dir := t.TempDir()
	in := filepath.Join(dir, "a.pdf")
	os.WriteFile(in, minimalPDF("a"), 0o644)
	w := wizardToPIN(t, u, []string{in}, "pades", nil)
	for left := 4; left >= 1; left-- {
		enterPIN(t, u, w, "WRONG1234")
	}
	before := u.testCard.card.Stats()
	enterPIN(t, u, w, testpki.SignPassword)
	if w.pin.confirm == nil || u.win.Canvas().Focused() != w.pin.confirmBack {
		t.Fatal("no last-try confirmation with the focus on its safe choice")
	}
	pressKey(u, fyne.KeyEscape)
	if u.dialogShown() || w.step != stepPIN {
		t.Fatalf("Escape did not close the confirmation (step %d)", w.step)
	}
	if got := u.testCard.card.Stats().VerifySign - before.VerifySign; got != 0 {
		t.Fatalf("Escape sent the password (%d VERIFYs)", got)
	}
	if passwordEntries(u)[0].Text != "" {
		t.Fatal("the password is still in the field")
	}
	// With the cursor in the password field, Escape goes back one step (Fyne's entry
	// would swallow it).
	if focusedText(u) != "entry" {
		t.Fatalf("the focus is on %q, not back in the password field", focusedText(u))
	}
	pressKey(u, fyne.KeyEscape)
	if w.step != stepCard || w.card != nil {
		t.Fatalf("Escape in the password field: step %d, want the card step with the session closed", w.step)
	}
}

// TestFocusRing: a focused button, a primary one too, has a ring around it in a colour
// that is not the button's own; it goes when the focus moves on. Every button of the
// wizard's steps is one of the app's (with the ring).
func TestFocusRing(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	withTestCard(t, u, "valid")
	ring := func(b *pushButton) *canvas.Rectangle {
		objs := test.WidgetRenderer(b).Objects()
		r, _ := objs[len(objs)-1].(*canvas.Rectangle)
		return r
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "a.pdf")
	os.WriteFile(in, minimalPDF("a"), 0o644)
	w := wizardToPIN(t, u, []string{in}, "pades", nil)
	enterPIN(t, u, w, testpki.SignPassword)
	b := w.signBtn
	if b.Importance != widget.HighImportance || u.win.Canvas().Focused() != b {
		t.Fatal("the disclosure's primary button does not have the focus")
	}
	r := ring(b)
	if r == nil || !r.Visible() || r.StrokeWidth <= 0 {
		t.Fatalf("no visible ring around the focused primary button: %+v", r)
	}
	primary := u.fa.Settings().Theme().Color(theme.ColorNamePrimary, u.fa.Settings().ThemeVariant())
	if sameColor(r.StrokeColor, primary) || sameColor(r.StrokeColor, color.Transparent) {
		t.Fatalf("the ring is drawn in the button's own colour %v", r.StrokeColor)
	}
	if r.Position().X >= 0 || r.Size().Width <= b.Size().Width {
		t.Fatal("the ring is not around the button")
	}
	u.win.Canvas().Focus(w.cancelBtn)
	if ring(b).Visible() || !ring(w.cancelBtn).Visible() {
		t.Fatal("the ring did not follow the focus")
	}
	pressKey(u, fyne.KeyEscape)
	tap(t, u, button(t, u, u.t("gui.sign.lose_password_lose")))

	// The wizard's steps have no button without the ring.
	for _, o := range objects(u) {
		if fb, ok := o.(*widget.Button); ok && !isAppButton(u, fb) {
			t.Errorf("button %q has no focus ring (not a pushButton)", fb.Text)
		}
	}
}

// isAppButton reports whether b is the Fyne button inside one of the app's buttons.
func isAppButton(u *UI, b *widget.Button) bool {
	for _, o := range objects(u) {
		if pb, ok := o.(*pushButton); ok && &pb.Button == b {
			return true
		}
	}
	return false
}

func sameColor(a, b color.Color) bool {
	r1, g1, b1, a1 := a.RGBA()
	r2, g2, b2, a2 := b.RGBA()
	return r1 == r2 && g1 == g2 && b1 == b2 && a1 == a2
}

// TestTabOrder: Tab goes through the content, then the step buttons, then the top bar.
func TestTabOrder(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	dir := t.TempDir()
	in := filepath.Join(dir, "a.pdf")
	os.WriteFile(in, minimalPDF("a"), 0o644)
	w := u.startSignWizard([]string{in})
	tap(t, u, w.nextBtn)
	if w.step != stepProfile {
		t.Fatalf("not at the profile step; screen:\n%s", screenText(u))
	}
	c := u.win.Canvas()
	c.Focus(nil)
	var order []fyne.Focusable
	for i := 0; i < 30; i++ {
		test.FocusNext(c)
		f := c.Focused()
		if len(order) > 0 && f == order[0] {
			break
		}
		order = append(order, f)
	}
	pos := func(f fyne.Focusable) int {
		for i, o := range order {
			if o == f {
				return i
			}
		}
		t.Fatalf("%v is not reached with Tab", f)
		return -1
	}
	home := button(t, u, u.t("gui.common.home"))
	var homeBtn fyne.Focusable
	for _, o := range objects(u) {
		if pb, ok := o.(*pushButton); ok && &pb.Button == home {
			homeBtn = pb
		}
	}
	if _, ok := order[0].(*pushButton); ok {
		t.Fatalf("Tab starts on a button (%v), not in the content", order[0])
	}
	if !(pos(w.reasonEntry) < pos(w.cancelBtn) && pos(w.cancelBtn) < pos(w.nextBtn) && pos(w.nextBtn) < pos(homeBtn)) {
		t.Fatalf("Tab order: reason %d, キャンセル %d, 次へ %d, ホーム %d; want content, step buttons, top bar",
			pos(w.reasonEntry), pos(w.cancelBtn), pos(w.nextBtn), pos(homeBtn))
	}
}

// TestHomeStatusBlockedCard: a My Number Card whose signature password is blocked is
// not shown with a green tick on the home screen: it says so, in the warning colours;
// also when the password was blocked in the app.
func TestHomeStatusBlockedCard(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	withTestCard(t, u, "blocked")
	u.showHome()
	u.WaitIdle()
	reader := u.t("gui.testcard.reader")
	mustShow(t, u, u.t("gui.status.reader_line", reader, u.t("gui.status.mynumber_sign_blocked")))
	for _, o := range objectsUnder(u.home.cards) {
		switch x := o.(type) {
		case *widget.Icon:
			if x.Resource == theme.ConfirmIcon() {
				t.Error("a blocked card has a tick")
			}
		case *textBlock:
			if x.Importance == widget.SuccessImportance {
				t.Errorf("a blocked card is shown in the success colour: %q", x.Text)
			}
		}
	}
	withTestCard(t, u, "valid")
	u.showHome()
	u.WaitIdle()
	mustShow(t, u, u.t("gui.status.reader_line", reader, u.t("gui.status.mynumber_card")))

	// A password blocked in the app (five wrong tries) shows on the home status too.
	dir := t.TempDir()
	in := filepath.Join(dir, "a.pdf")
	os.WriteFile(in, minimalPDF("a"), 0o644)
	w := wizardToPIN(t, u, []string{in}, "pades", nil)
	for left := 4; left >= 1; left-- {
		enterPIN(t, u, w, "WRONG1234")
	}
	enterPIN(t, u, w, "WRONG1234")
	tap(t, u, w.pin.confirmSend)
	mustShow(t, u, u.t("gui.pin.sign.blocked_now_title"))
	tap(t, u, w.cancelBtn)
	if !u.cur.isHome {
		t.Fatal("キャンセル did not go home")
	}
	mustShow(t, u, u.t("gui.status.reader_line", reader, u.t("gui.status.mynumber_sign_blocked")))
	// Taken out and put back, the card is identified again: still blocked.
	u.testCard.remove()
	waitCards(t, u, func(r Readers) bool { return len(r.Readers) == 1 && !r.Readers[0].Present })
	u.testCard.insert()
	waitCards(t, u, func(r Readers) bool { return len(r.Readers) == 1 && r.Readers[0].Present })
	mustShow(t, u, u.t("gui.status.reader_line", reader, u.t("gui.status.mynumber_sign_blocked")))
}

// TestSaveFailureKeepsTheSignedFile: a signed file that cannot be saved (a name too
// long for the file system) is not thrown away: the save step stays with the reason,
// and saving it under another name works.
func TestSaveFailureKeepsTheSignedFile(t *testing.T) {
	u := newTestUI(t, i18n.English)
	withTestCard(t, u, "valid")
	dir := t.TempDir()
	w := signToSave(t, u, dir)
	w.saveNames[0].SetText(strings.Repeat("a", 300) + ".pdf")
	tap(t, u, w.saveBtn)
	if w.step != stepSave || w.ended {
		t.Fatalf("a failed save left the save step (step %d); screen:\n%s", w.step, screenText(u))
	}
	mustShow(t, u, "Some files could not be saved")
	if _, err := os.Stat(w.outs[0].tmp); err != nil {
		t.Fatalf("the signed file is gone: %v", err)
	}
	if w.atStake() == "" {
		t.Fatal("leaving now would not ask, with the signed file unsaved")
	}
	w.saveNames[0].SetText("b.pdf")
	tap(t, u, w.saveBtn)
	if w.step != stepResult {
		t.Fatalf("saving again did not work; screen:\n%s", screenText(u))
	}
	checkSaved(t, filepath.Join(dir, "b.pdf"))
	mustShow(t, u, u.t("gui.sign.result_saved", "b.pdf"))
}
