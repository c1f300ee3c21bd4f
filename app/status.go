package app

import (
	"runtime"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mynasign/mynasign/card"
)

// readerName is how a reader is named on screen: its own name, or the test card's.
func (u *UI) readerName(r ReaderInfo) string {
	if r.Name == testReaderName {
		return u.t("gui.testcard.reader")
	}
	return r.Name
}

// cardState describes what a reader holds, with an icon and a status colour.
func (u *UI) cardState(r ReaderInfo) (text string, icon fyne.Resource, col fyne.ThemeColorName) {
	switch {
	case !r.Present:
		return u.t("gui.status.no_card"), theme.RadioButtonIcon(), theme.ColorNameForeground
	case r.Kind == card.KindMyNumberCard && r.SignBlocked && r.AuthBlocked:
		return u.t("gui.status.mynumber_both_blocked"), theme.ErrorIcon(), colorNameBad
	case r.Kind == card.KindMyNumberCard && r.SignBlocked:
		return u.t("gui.status.mynumber_sign_blocked"), theme.ErrorIcon(), colorNameBad
	case r.Kind == card.KindMyNumberCard && r.AuthBlocked:
		return u.t("gui.status.mynumber_auth_blocked"), theme.WarningIcon(), colorNameWarn
	case r.Kind == card.KindMyNumberCard:
		return u.t("gui.status.mynumber_card"), theme.ConfirmIcon(), colorNameOK
	case r.Kind == 0 && r.IDErr != nil:
		return u.t("gui.status.card_unreadable", u.cardErrorText(r.IDErr)), theme.WarningIcon(), colorNameWarn
	case r.Kind == 0:
		return u.t("gui.status.card_identifying"), theme.SearchIcon(), theme.ColorNameForeground
	}
	return u.t(kindKey(r.Kind)), theme.ErrorIcon(), colorNameBad
}

// statusLine is an icon and a coloured text.
func statusLine(icon fyne.Resource, text string, col fyne.ThemeColorName) fyne.CanvasObject {
	lbl := wrapLabel(text)
	lbl.Importance = importanceFor(col)
	return container.NewBorder(nil, nil, widget.NewIcon(icon), nil, lbl)
}

// importanceFor maps a status colour to the label importance that draws in a similar
// colour (the theme's success, warning and error colours).
func importanceFor(col fyne.ThemeColorName) widget.Importance {
	switch col {
	case colorNameOK:
		return widget.SuccessImportance
	case colorNameWarn:
		return widget.WarningImportance
	case colorNameBad:
		return widget.DangerImportance
	}
	return widget.MediumImportance
}

// refreshCardStatus redraws the home screen's reader and card lines from the last
// snapshot of the card watch.
func (u *UI) refreshCardStatus() {
	if u.home == nil || u.home.cards == nil || u.cur != u.home.screen {
		return
	}
	r := u.watch.snapshot()
	var objs []fyne.CanvasObject
	switch {
	case !r.Known:
		objs = append(objs, statusLine(theme.SearchIcon(), u.t("gui.status.looking"), theme.ColorNameForeground))
	case r.Err != nil:
		objs = append(objs, statusLine(theme.ErrorIcon(), u.t("gui.status.no_service"), colorNameBad),
			statusLine(theme.InfoIcon(), u.serviceHelp(), theme.ColorNameForeground))
	case len(r.Readers) == 0:
		objs = append(objs, statusLine(theme.WarningIcon(), u.t("gui.status.no_reader"), colorNameWarn))
	default:
		for _, rd := range r.Readers {
			text, icon, col := u.cardState(rd)
			objs = append(objs, statusLine(icon, u.t("gui.status.reader_line", u.readerName(rd), text), col))
		}
	}
	u.home.cards.Objects = objs
	u.home.cards.Refresh()
	u.relayout()
}

// serviceHelp says how to start the smart-card service on this operating system (the
// next step when it cannot be reached).
func (u *UI) serviceHelp() string {
	switch runtime.GOOS {
	case "windows", "darwin":
		return u.t("gui.service_help." + runtime.GOOS)
	}
	return u.t("gui.service_help.linux")
}
