package app

import (
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/internal/testpki"
)

// focusedText names the focused widget by its text.
func focusedText(u *UI) string {
	switch f := u.win.Canvas().Focused().(type) {
	case *pushButton:
		return f.Text
	case *widget.Button:
		return f.Text
	case *widget.Select:
		return "select:" + f.Selected
	case *widget.Entry, *keyEntry:
		return "entry"
	case nil:
		return ""
	default:
		return "other"
	}
}

// TestKeyboardOnly: every tool of the home screen is reached with Tab, a button is
// pressed with Space, the password step starts in the password field and Enter sends it.
func TestKeyboardOnly(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	withTestCard(t, u, "valid")
	u.showHome()
	c := u.win.Canvas()
	if got := focusedText(u); got != u.t("gui.home.sign") {
		t.Fatalf("home starts with focus on %q, want the sign button", got)
	}
	reached := map[string]bool{}
	for i := 0; i < 40; i++ {
		reached[focusedText(u)] = true
		test.FocusNext(c)
	}
	for _, k := range []string{"gui.home.sign", "gui.home.verify", "gui.home.idcheck", "gui.home.mycard", "gui.home.crl", "gui.home.anchors",
		"gui.home.diagnostics", "gui.home.testcard", "gui.testcard.remove", "gui.testcard.stop"} {
		if !reached[u.t(k)] {
			t.Errorf("%q is not reachable with Tab (reached %v)", u.t(k), reached)
		}
	}
	if !reached["select:"+u.t("gui.lang.ja")] {
		t.Errorf("the language choice is not reachable with Tab (reached %v)", reached)
	}

	// Space on the focused sign button opens the wizard.
	c.Focus(u.home.signBtn)
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	u.WaitIdle()
	mustShow(t, u, u.t("gui.sign.files_intro"))

	dir := t.TempDir()
	in := filepath.Join(dir, "a.pdf")
	os.WriteFile(in, minimalPDF("a"), 0o644)
	u.showHome()
	w := wizardToPIN(t, u, []string{in}, "pades", nil)
	if focusedText(u) != "entry" {
		t.Fatalf("the password step starts with focus on %q, want the password field", focusedText(u))
	}
	test.Type(c.Focused(), testpki.SignPassword)
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	u.WaitIdle()
	if w.step != stepDisclose {
		t.Fatalf("Enter did not send the password; screen:\n%s", screenText(u))
	}
	if focusedText(u) != w.signBtn.Text {
		t.Fatalf("the disclosure starts with focus on %q, want the sign button", focusedText(u))
	}
	// The menu's 戻る (Alt+←) works wherever the focus is: past the password it asks
	// first (the password would be asked again), and going back is the card step.
	var back *fyne.MenuItem
	for _, m := range u.win.MainMenu().Items {
		for _, it := range m.Items {
			if sc, ok := it.Shortcut.(*desktop.CustomShortcut); ok && sc.KeyName == fyne.KeyLeft && sc.Modifier == fyne.KeyModifierAlt {
				back = it
			}
		}
	}
	if back == nil || back.Label != u.t("gui.menu.back") {
		t.Fatal("no 戻る item with Alt+← in the main menu")
	}
	back.Action()
	u.WaitIdle()
	mustShow(t, u, u.t("gui.sign.lose_password_title"))
	tap(t, u, button(t, u, u.t("gui.sign.lose_password_lose")))
	if w.step != stepCard || w.card != nil {
		t.Fatalf("Alt+← and やめる did not go back to the card step (step %d)", w.step)
	}
	tap(t, u, button(t, u, u.t("gui.common.home")))
	if !w.ended || !u.cur.isHome {
		t.Fatal("ホーム did not end the wizard")
	}
}
