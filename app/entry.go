package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// keyEntry is Fyne's entry that passes Escape on to the window's key handler
// (UI.typedKey): Fyne's entry ignores it, and while a control has the focus it gets
// every key, so Escape would do nothing while the cursor is in a field.
type keyEntry struct {
	widget.Entry
}

// newEntry is a one-line keyEntry, as Fyne's widget.NewEntry.
func newEntry() *keyEntry {
	e := &keyEntry{}
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.ExtendBaseWidget(e)
	return e
}

// newPasswordEntry is a masked keyEntry, as Fyne's widget.NewPasswordEntry (the entry
// adds the button that shows what is typed itself).
func newPasswordEntry() *keyEntry {
	e := &keyEntry{}
	e.Password = true
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey passes Escape on to the window and leaves every other key to the entry.
func (e *keyEntry) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape {
		passKeyOn(e, ev)
		return
	}
	e.Entry.TypedKey(ev)
}
