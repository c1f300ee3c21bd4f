package app

import (
	"regexp"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mynasign/mynasign/trust"
)

// msg resolves a report message (a key and its arguments) in the UI language. Times
// and dates among the arguments (the libraries give them as RFC 3339, in UTC) are
// written as every other date of the app is: Japan time, 2025年4月1日 09:30.
func (u *UI) msg(m trust.Message) string {
	if m.Key == "" {
		return ""
	}
	args := make([]any, len(m.Args))
	for i, a := range m.Args {
		args[i] = u.msgArg(a)
	}
	return u.t(m.Key, args...)
}

// msgArg is a message argument as the user reads it: a time or a date in the app's
// style, a certificate's distinguished name by its name (dnName), anything else as it
// is.
func (u *UI) msgArg(a string) string {
	if t, err := time.Parse(time.RFC3339, a); err == nil {
		return u.fmtTime(t)
	}
	if t, err := time.ParseInLocation(time.DateOnly, a, jst); err == nil {
		return u.fmtDate(t)
	}
	if dnStart.MatchString(a) {
		return dnName(a)
	}
	return a
}

// dnStart is how a distinguished name as trust writes it (RFC 2253) begins.
var dnStart = regexp.MustCompile(`^(CN|OU|O|C|L|ST|SERIALNUMBER|2\.5\.4\.[0-9]+)=[^,]`)

// fmtTime formats a time for the user (Japan time; the layout is a translation).
func (u *UI) fmtTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(jst).Format(u.t("gui.fmt.datetime"))
}

// fmtDate formats a date for the user.
func (u *UI) fmtDate(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(jst).Format(u.t("gui.fmt.date"))
}

var jst = time.FixedZone("JST", 9*3600)

// wrapLabel is text that wraps, by the rules of Japanese and English (textBlock).
func wrapLabel(text string) *textBlock { return newTextBlock(text) }

// boldLabel is a bold label.
func boldLabel(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// boldText is bold text that wraps.
func boldText(text string) *textBlock {
	t := newTextBlock(text)
	t.TextStyle.Bold = true
	return t
}

// codeText is text that wraps, in the fixed-width face: hashes, fingerprints, serials,
// whose characters should line up for comparing.
func codeText(text string) *textBlock {
	t := newTextBlock(text)
	t.TextStyle.Monospace = true
	return t
}

// box is a titled group with a bold heading.
func box(title string, content ...fyne.CanvasObject) fyne.CanvasObject {
	return container.NewVBox(append([]fyne.CanvasObject{boldLabel(title)}, content...)...)
}

// noticeView is an explanation with an icon, used for errors and warnings inside a
// screen (not in a dialog, so that it stays readable and reachable by keyboard).
func noticeView(icon fyne.Resource, col fyne.ThemeColorName, title, text string) fyne.CanvasObject {
	t := wrapLabel(title)
	t.TextStyle.Bold = true
	t.Importance = importanceFor(col)
	return container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(icon)), nil,
		container.NewVBox(t, wrapLabel(text)))
}

// showError shows a dialog with a title, the explanation of err, and the technical
// detail for support (error texts never carry a PIN or personal data).
func (u *UI) showError(title string, err error) {
	detail := wrapLabel(err.Error())
	content := container.NewVBox(
		noticeView(theme.ErrorIcon(), colorNameBad, title, u.cardErrorText(err)),
		widget.NewAccordion(widget.NewAccordionItem(u.t("gui.common.technical"), detail)))
	d := dialog.NewCustom(title, u.t("gui.common.close"), content, u.win)
	d.Resize(fyne.NewSize(560, 0))
	d.Show()
}
