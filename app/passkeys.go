package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// The app's fields, checks and selects: Fyne's, passing on the keys they do not use to
// the window's key handler (UI.typedKey). While a control has the focus it gets every
// key, and Fyne's ignore Escape (and Enter, but for the entry's OnSubmitted): Escape
// would do nothing while the focus is in a field.

// passKeyOn hands a key that the focused widget o does not use to its window's handler.
func passKeyOn(o fyne.CanvasObject, ev *fyne.KeyEvent) {
	app := fyne.CurrentApp()
	if app == nil {
		return
	}
	if c := app.Driver().CanvasForObject(o); c != nil && c.OnTypedKey() != nil {
		c.OnTypedKey()(ev)
	}
}

// keyEntry is Fyne's entry that passes Escape on to the window.
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

// keyCheck is Fyne's check box that passes its keys on (Space, a typed rune, toggles
// it): Escape goes back, Enter is the screen's main action.
type keyCheck struct {
	widget.Check
}

// newCheck is a keyCheck, as Fyne's widget.NewCheck.
func newCheck(label string, changed func(bool)) *keyCheck {
	c := &keyCheck{}
	c.Text, c.OnChanged = label, changed
	c.ExtendBaseWidget(c)
	return c
}

// TypedKey passes the key on to the window.
func (c *keyCheck) TypedKey(ev *fyne.KeyEvent) { passKeyOn(c, ev) }

// keySelect is Fyne's select that passes Escape and Enter on to the window.
type keySelect struct {
	widget.Select
}

// newSelect is a keySelect, as Fyne's widget.NewSelect.
func newSelect(options []string, changed func(string)) *keySelect {
	s := &keySelect{}
	s.Options, s.OnChanged = options, changed
	s.ExtendBaseWidget(s)
	return s
}

// TypedKey passes Escape and Enter on and leaves every other key to the select.
func (s *keySelect) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyEscape, fyne.KeyReturn, fyne.KeyEnter:
		passKeyOn(s, ev)
	default:
		s.Select.TypedKey(ev)
	}
}
