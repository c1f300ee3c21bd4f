package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// showModal shows content in a modal pop-up over the window, width wide, with the
// keyboard focus on focus (the safe choice). escape is that safe choice: Escape runs it
// (closeDialog), and it must hide the pop-up.
func (u *UI) showModal(content fyne.CanvasObject, width float32, escape func(), focus fyne.Focusable) *widget.PopUp {
	pop := widget.NewModalPopUp(container.NewPadded(content), u.win.Canvas())
	pop.Resize(fyne.NewSize(width, content.MinSize().Height+theme.Padding()*4))
	if u.modals == nil {
		u.modals = map[fyne.CanvasObject]func(){}
	}
	u.modals[pop] = escape
	pop.Show()
	if focus != nil {
		u.win.Canvas().Focus(focus)
	}
	return pop
}

// hideModal hides a pop-up shown by showModal.
func (u *UI) hideModal(pop *widget.PopUp) {
	if pop == nil {
		return
	}
	delete(u.modals, pop)
	pop.Hide()
}

// dialogShown reports whether a dialog or a pop-up covers the screen.
func (u *UI) dialogShown() bool { return u.win.Canvas().Overlays().Top() != nil }

// closeDialog is Escape over a dialog: a pop-up of the app takes its safe way out, any
// other dialog (Fyne's file dialogs, an error) is closed as its dismiss button would.
// It reports whether there was a dialog to close.
func (u *UI) closeDialog() bool {
	top := u.win.Canvas().Overlays().Top()
	if top == nil {
		return false
	}
	if escape, ok := u.modals[top]; ok {
		escape()
		delete(u.modals, top)
		if u.win.Canvas().Overlays().Top() == top {
			top.Hide() // the safe way out left it up: it goes anyway
		}
		return true
	}
	top.Hide()
	return true
}

// askLose asks before work is thrown away: what would be lost (title, text), the safe
// choice keep (focused; Escape chooses it too) and the choice lose, which runs onLose.
func (u *UI) askLose(title, text, keep, lose string, onLose func()) {
	var pop *widget.PopUp
	keepBtn := newButton(keep, theme.NavigateBackIcon(), func() { u.hideModal(pop) })
	keepBtn.Importance = widget.HighImportance
	loseBtn := newButton(lose, theme.DeleteIcon(), func() {
		u.hideModal(pop)
		onLose()
	})
	loseBtn.Importance = widget.DangerImportance
	content := container.NewVBox(
		noticeView(theme.WarningIcon(), colorNameWarn, title, text),
		container.NewHBox(layout.NewSpacer(), loseBtn, keepBtn))
	pop = u.showModal(content, 560, func() { u.hideModal(pop) }, keepBtn)
}
