package app

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mynasign/mynasign/card"
)

// pinPrompt asks for one PIN of the card, following the project's PIN rules:
//   - the tries left are read (spending none) and shown before anything is typed;
//   - the entry is masked, and what is typed is checked locally as it is typed: the
//     problem is named and nothing malformed can be sent;
//   - one VERIFY per explicit action (the button or Enter), never an automatic retry;
//   - with one try left, an extra confirmation that says what blocking means;
//   - a blocked PIN shows where to reset it, and no entry at all;
//   - the entry is emptied as soon as the PIN is taken, the bytes handed to the card
//     package are cleared by it after use, and the PIN is never logged.
type pinPrompt struct {
	u      *UI
	kind   card.PINKind
	reader string // the card's reader (the home status learns of a blocked PIN)
	// verify sends the PIN (one VERIFY); allowLast is set after the last-try
	// confirmation. It runs on a background goroutine and must clear pin.
	verify func(pin []byte, allowLast bool) error
	// done is called on the Fyne thread after a successful VERIFY.
	done func()
	// failed is called on the Fyne thread when the card went away or failed otherwise
	// (not for a wrong PIN, which the prompt handles itself).
	failed func(err error)

	status card.PINStatus
	// alsoLast is another PIN the same digits go to with one try left (the identity
	// check's text PIN): the last-try confirmation is asked for it too, in its words.
	alsoLast card.PINKind

	view    *fyne.Container // the prompt (replaced by the blocked explanation)
	tries   *widget.Label
	warning *fyne.Container // the last-try warning, shown when one try is left
	entry   *keyEntry
	problem *textBlock
	submit  *pushButton
	// submitRow holds submit under the entry, unless the screen put it in its bottom
	// bar (submitInBar).
	submitRow *fyne.Container
	result    *textBlock // the answer to the last VERIFY (wrong PIN, tries left)
	busy      *widget.ProgressBarInfinite

	// confirm is the last-try confirmation while it is shown.
	confirm     *widget.PopUp
	confirmSend *pushButton
	confirmBack *pushButton

	blocked bool
}

// newPINPrompt builds the prompt for a PIN whose status was just read.
func (u *UI) newPINPrompt(reader string, kind card.PINKind, st card.PINStatus, verify func([]byte, bool) error, done func(), failed func(error)) *pinPrompt {
	p := &pinPrompt{u: u, kind: kind, reader: reader, verify: verify, done: done, failed: failed, status: st}
	p.view = container.NewVBox()
	if st.Blocked {
		p.showBlocked(false)
		return p
	}
	p.tries = boldLabel("")
	p.warning = container.NewVBox()
	p.entry = newPasswordEntry()
	p.entry.SetPlaceHolder(u.t(p.keyFor("placeholder")))
	p.problem = wrapLabel("")
	p.result = wrapLabel("")
	p.result.Importance = widget.DangerImportance
	p.result.Hide()
	p.busy = widget.NewProgressBarInfinite()
	p.busy.Stop()
	p.busy.Hide()
	p.submit = newButton(u.t(p.keyFor("submit")), theme.ConfirmIcon(), p.submitTapped)
	p.submit.Importance = widget.HighImportance
	p.entry.OnChanged = func(string) { p.validate() }
	p.entry.OnSubmitted = func(string) { p.submitTapped() }
	rule := wrapLabel(u.t(p.keyFor("rule")))
	p.submitRow = container.NewHBox(layout.NewSpacer(), p.submit)
	p.view.Objects = []fyne.CanvasObject{
		boldLabel(u.t(p.keyFor("name"))),
		p.tries,
		p.warning,
		rule,
		p.entry,
		p.problem,
		p.submitRow,
		p.busy,
		p.result,
	}
	p.showTries()
	p.validate()
	return p
}

// keyFor is the message key of a text that differs between the PINs.
func (p *pinPrompt) keyFor(what string) string { return pinKey(p.kind, what) }

// pinKey is the message key of a text that differs between the PINs.
func pinKey(kind card.PINKind, what string) string {
	switch kind {
	case card.SignPassword:
		return "gui.pin.sign." + what
	case card.AuthPIN:
		return "gui.pin.auth." + what
	}
	return "gui.pin.text." + what
}

// submitInBar takes the submit button out of the prompt, for the screen to put it in
// its bottom bar with its other step buttons (nil when the PIN is blocked).
func (p *pinPrompt) submitInBar() *pushButton {
	if p.blocked {
		return nil
	}
	objs := p.view.Objects[:0]
	for _, o := range p.view.Objects {
		if o != p.submitRow {
			objs = append(objs, o)
		}
	}
	p.view.Objects = objs
	return p.submit
}

// focusable is what a screen focuses first: the entry (nil when blocked).
func (p *pinPrompt) focusable() fyne.Focusable {
	if p.blocked {
		return nil
	}
	return p.entry
}

func (p *pinPrompt) showTries() {
	st := p.status
	p.tries.SetText(p.u.t("gui.pin.tries_left", st.Left, st.Max))
	p.warning.Objects = nil
	if st.Left == 1 {
		p.tries.Importance = widget.DangerImportance
		p.warning.Objects = []fyne.CanvasObject{noticeView(theme.WarningIcon(), colorNameBad,
			p.u.t("gui.pin.last_try_title"), p.u.t(p.keyFor("last_try_text")))}
	} else {
		p.tries.Importance = widget.MediumImportance
	}
	p.tries.Refresh()
	p.warning.Refresh()
	p.u.relayout()
}

// validate checks what is typed and names the problem; the button is enabled only for
// a well-formed PIN. The normalized copy is cleared at once.
func (p *pinPrompt) validate() {
	in := []byte(p.entry.Text)
	norm, err := card.NormalizePIN(p.kind, in)
	clear(in)
	clear(norm)
	if err == nil {
		p.problem.SetText(p.u.t("gui.pin.ok"))
		p.problem.Importance = widget.SuccessImportance
		p.problem.Refresh()
		p.submit.Enable()
		return
	}
	key := "gui.pin.problem.other"
	var inv *card.InvalidPIN
	if errors.As(err, &inv) {
		switch inv.Problem {
		case card.PINEmpty:
			key = "gui.pin.problem.empty"
		case card.PINLength:
			key = p.keyFor("problem_length")
		case card.PINCharacters:
			key = p.keyFor("problem_chars")
		case card.PINLetterAndDigit:
			key = "gui.pin.problem.letter_digit"
		}
	}
	p.problem.SetText(p.u.t(key))
	if inv != nil && inv.Problem == card.PINEmpty {
		p.problem.Importance = widget.MediumImportance
	} else {
		p.problem.Importance = widget.WarningImportance
	}
	p.problem.Refresh()
	p.submit.Disable()
}

// submitTapped is the explicit action that sends the PIN once. With one try left it
// asks for the confirmation first.
func (p *pinPrompt) submitTapped() {
	if p.blocked || p.submit.Disabled() {
		return
	}
	if p.status.Left == 1 || p.alsoLast != 0 {
		p.askLastTry()
		return
	}
	p.send(false)
}

// askLastTry shows the last-try confirmation: what blocking means, and two buttons.
func (p *pinPrompt) askLastTry() {
	u := p.u
	kind := p.kind
	if p.status.Left != 1 {
		kind = p.alsoLast
	}
	back := func() {
		u.hideModal(p.confirm)
		p.confirm = nil
		p.entry.SetText("") // "type it again": nothing of the doubtful input stays
		u.win.Canvas().Focus(p.entry)
	}
	p.confirmBack = newButton(u.t("gui.pin.last_try_back"), nil, back)
	p.confirmSend = newButton(u.t("gui.pin.last_try_send"), theme.WarningIcon(), func() {
		u.hideModal(p.confirm)
		p.confirm = nil
		p.send(true)
	})
	p.confirmSend.Importance = widget.DangerImportance
	content := container.NewVBox(
		noticeView(theme.WarningIcon(), colorNameBad, u.t("gui.pin.last_try_title"), u.t(pinKey(kind, "last_try_text"))),
		wrapLabel(u.t(pinKey(kind, "blocked_where"))),
		container.NewHBox(layout.NewSpacer(), p.confirmBack, p.confirmSend))
	p.confirm = u.showModal(content, 560, back, p.confirmBack) // the safe choice has the focus
}

// send takes the PIN out of the entry (emptying it) and sends it once.
func (p *pinPrompt) send(allowLast bool) {
	pin := []byte(p.entry.Text)
	p.entry.SetText("")
	p.entry.Disable()
	p.submit.Disable()
	p.result.Hide()
	p.busy.Show()
	p.busy.Start()
	p.u.relayout() // a part shown again is laid out where it belongs
	p.u.goWork(func() {
		err := p.verify(pin, allowLast) // clears pin
		clear(pin)
		doUI(func() { p.answer(err) })
	})
}

// answer handles the card's answer to the VERIFY.
func (p *pinPrompt) answer(err error) {
	p.busy.Stop()
	p.busy.Hide()
	p.entry.Enable()
	var wrong *card.WrongPIN
	var blocked *card.Blocked
	var last *card.LastTry
	switch {
	case err == nil:
		p.done()
		return
	case errors.As(err, &wrong):
		p.status.Left = wrong.Left
		p.showTries()
		p.result.SetText(p.u.tn(p.keyFor("wrong"), wrong.Left, wrong.Left))
		p.result.Show()
		p.u.relayout()
		p.u.win.Canvas().Focus(p.entry)
	case errors.As(err, &blocked):
		p.status.Left, p.status.Blocked = 0, true
		p.showBlocked(blocked.Now)
		return
	case errors.As(err, &last):
		// The card's count went down to one in the meantime (another program): the
		// confirmation is needed first. Nothing was sent.
		p.status.Left = 1
		p.showTries()
		p.u.win.Canvas().Focus(p.entry)
	default:
		p.failed(err)
		return
	}
	p.validate()
}

// showBlocked replaces the prompt by the explanation of a blocked PIN: no entry.
func (p *pinPrompt) showBlocked(now bool) {
	p.blocked = true
	p.u.watch.noteBlocked(p.reader, p.kind)
	title := p.u.t(p.keyFor("blocked_title"))
	if now {
		title = p.u.t(p.keyFor("blocked_now_title"))
	}
	p.entry = nil
	if p.submit != nil {
		p.submit.Hide() // also where the screen put it
	}
	p.submit = nil
	p.view.Objects = []fyne.CanvasObject{
		noticeView(theme.ErrorIcon(), colorNameBad, title, p.u.t(p.keyFor("blocked_text"))),
		box(p.u.t("gui.pin.blocked_where_title"), wrapLabel(p.u.t(p.keyFor("blocked_where")))),
	}
	p.view.Refresh()
	p.u.relayout()
}
