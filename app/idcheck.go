package app

import (
	"errors"
	"strconv"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mynasign/mynasign/app/flow"
	"github.com/mynasign/mynasign/app/record"
	"github.com/mynasign/mynasign/card"
	"github.com/mynasign/mynasign/trust"
)

// idCheckAgeThresholds are the age mode's thresholds the clerk chooses from.
var idCheckAgeThresholds = []int{18, 20}

// idCheckModes are the modes in the order the screen offers them.
var idCheckModes = []trust.IDCheckMode{trust.IDCheckIdentity, trust.IDCheckAge, trust.IDCheckAddress}

// idCheckScreen is 本人確認: the clerk picks the mode (identity, age with its threshold,
// address with the prefix typed), the holder consents on screen when the four basic
// facts are read, the card's authentication PIN is typed (the PIN rules of signing),
// and a large result is shown, with the record to save. 次の方 closes the card and
// starts again from a new screen: nothing read from the previous card stays in a
// widget.
type idCheckScreen struct {
	u *UI

	modeRad   *widget.RadioGroup
	ageSel    *keySelect
	prefix    *keyEntry
	withBasic *keyCheck
	consent   *keyCheck
	// modeOpts holds the options of the mode chosen (threshold, prefix, basic facts),
	// consentView the consent notice and check when the four facts are read.
	modeOpts    *fyne.Container
	consentView *fyne.Container
	readerSel   *keySelect
	problem     *textBlock
	startBtn    *pushButton

	// body is the step below the choices: the card and its PIN, then the result.
	body    *fyne.Container
	choices fyne.CanvasObject
	bar     *fyne.Container // the step buttons at the bottom

	card *flow.IDCheckCard
	// inUse is held while a check runs on the card: closing it waits for the check.
	inUse   *sync.Mutex
	reader  string
	opts    flow.IDCheckOptions
	pin     *pinPrompt
	rep     *trust.IDCheckReport
	result  *textBlock // the large result, while shown
	saveBtn *pushButton
	nextBtn *pushButton
	unwatch func()
}

func (u *UI) showIDCheck() { u.startIDCheck() }

// startIDCheck shows a new identity check screen at its first step.
func (u *UI) startIDCheck() *idCheckScreen {
	s := &idCheckScreen{u: u, inUse: &sync.Mutex{}}
	u.idCheck = s
	names := make([]string, len(idCheckModes))
	for i, m := range idCheckModes {
		names[i] = u.t("gui.idcheck.mode." + string(m))
	}
	s.modeRad = widget.NewRadioGroup(names, func(string) { s.modeChanged() })
	s.modeRad.Required = true
	ages := make([]string, len(idCheckAgeThresholds))
	for i, a := range idCheckAgeThresholds {
		ages[i] = u.t("gui.idcheck.age_option", a)
	}
	s.ageSel = newSelect(ages, func(string) { s.validate() })
	s.ageSel.SetSelectedIndex(len(ages) - 1) // 20, the default
	s.prefix = newEntry()
	s.prefix.SetPlaceHolder(u.t("gui.idcheck.prefix_placeholder"))
	s.prefix.OnChanged = func(string) { s.validate() }
	s.withBasic = newCheck(u.t("gui.idcheck.with_basic"), func(bool) { s.modeChanged() })
	s.consent = newCheck(u.t("gui.idcheck.consent_check"), func(bool) { s.validate() })
	s.modeOpts = container.NewVBox()
	s.consentView = container.NewVBox()
	s.readerSel = newSelect(nil, func(string) { s.validate() })
	s.problem = wrapLabel("")
	s.problem.Importance = widget.WarningImportance
	s.startBtn = newButton(u.t("gui.idcheck.start"), theme.LoginIcon(), s.prepare)
	s.startBtn.Importance = widget.HighImportance
	s.body = container.NewVBox()
	s.choices = container.NewVBox(
		wrapLabel(u.t("gui.idcheck.intro")),
		box(u.t("gui.idcheck.mode"), s.modeRad),
		s.modeOpts,
		s.consentView,
		widget.NewForm(widget.NewFormItem(u.t("gui.idcheck.reader"), s.readerSel)),
		s.problem)
	s.bar = container.NewHBox(s.startBtn)
	s.modeRad.SetSelected(names[0])
	s.unwatch = u.watch.subscribe(s.cardsChanged)
	s.cardsChanged(u.watch.snapshot())
	u.show(&screen{
		title:   u.t("gui.idcheck.title"),
		body:    container.NewVScroll(container.NewPadded(container.NewVBox(s.choices, s.body))),
		actions: []fyne.CanvasObject{s.bar},
		primary: s.startBtn,
		leave:   s.close,
		focus:   s.startBtn,
	})
	return s
}

// mode is the mode chosen.
func (s *idCheckScreen) mode() trust.IDCheckMode {
	for i, m := range idCheckModes {
		if s.modeRad.Selected == s.u.t("gui.idcheck.mode."+string(m)) {
			return idCheckModes[i]
		}
	}
	return trust.IDCheckIdentity
}

// options are the clerk's choices as the flow takes them.
func (s *idCheckScreen) options() flow.IDCheckOptions {
	o := flow.IDCheckOptions{Mode: s.mode(), HolderConsent: s.consent.Checked}
	switch o.Mode {
	case trust.IDCheckAge:
		if i := s.ageSel.SelectedIndex(); i >= 0 {
			o.AgeThreshold = idCheckAgeThresholds[i]
		}
	case trust.IDCheckAddress:
		o.AddressPrefix = s.prefix.Text
	case trust.IDCheckIdentity:
		o.WithBasicInfo = s.withBasic.Checked
	}
	return o
}

// modeChanged shows the options of the mode chosen and, when the four facts are read,
// what is read and the holder's consent (unticked again: consent is for what is shown).
func (s *idCheckScreen) modeChanged() {
	u := s.u
	m := s.mode()
	switch m {
	case trust.IDCheckAge:
		s.modeOpts.Objects = []fyne.CanvasObject{wrapLabel(u.t("gui.idcheck.age_help")),
			widget.NewForm(widget.NewFormItem(u.t("gui.idcheck.age_threshold"), s.ageSel))}
	case trust.IDCheckAddress:
		s.modeOpts.Objects = []fyne.CanvasObject{wrapLabel(u.t("gui.idcheck.address_help")),
			widget.NewForm(widget.NewFormItem(u.t("gui.idcheck.prefix"), s.prefix))}
	default:
		s.modeOpts.Objects = []fyne.CanvasObject{wrapLabel(u.t("gui.idcheck.identity_help")), s.withBasic}
	}
	s.consent.SetChecked(false)
	if s.options().NeedsTextAP() {
		s.consentView.Objects = []fyne.CanvasObject{
			noticeView(theme.InfoIcon(), colorNameWarn, u.t("gui.idcheck.consent_title"), u.t("gui.idcheck.consent."+string(m))),
			s.consent}
	} else {
		s.consentView.Objects = nil
	}
	s.modeOpts.Refresh()
	s.consentView.Refresh()
	s.validate()
	u.relayout()
}

// validate enables the start only for valid choices and a reader with a card, and
// names what is missing.
func (s *idCheckScreen) validate() {
	if s.startBtn == nil {
		return
	}
	why := ""
	o := s.options()
	if _, err := o.Validate(); err != nil {
		switch {
		case errors.Is(err, flow.ErrNoConsent):
			why = "gui.idcheck.need_consent"
		case o.Mode == trust.IDCheckAddress:
			why = "gui.idcheck.need_prefix"
		default:
			why = "gui.idcheck.need_options"
		}
	} else if s.readerSel.Selected == "" {
		why = "gui.idcheck.need_card"
	}
	if why == "" {
		s.problem.SetText("")
		s.problem.Hide()
		s.startBtn.Enable()
		return
	}
	s.problem.SetText(s.u.t(why))
	s.problem.Show()
	s.startBtn.Disable()
}

// cardsChanged offers the readers holding a My Number Card; a card taken out during the
// check ends it, and what was read from it goes.
func (s *idCheckScreen) cardsChanged(r Readers) {
	var names []string
	for _, rd := range r.usable() {
		names = append(names, s.u.readerName(rd))
	}
	s.readerSel.Options = names
	if len(names) == 0 {
		s.readerSel.ClearSelected()
	} else if s.readerSel.SelectedIndex() < 0 {
		s.readerSel.SetSelectedIndex(0)
	}
	s.readerSel.Refresh()
	s.validate()
	if s.card == nil || s.rep != nil {
		return
	}
	for _, rd := range r.Readers {
		if rd.Name == s.reader && rd.Present {
			return
		}
	}
	s.closeCard()
	s.showChoices(noticeView(theme.WarningIcon(), colorNameWarn, s.u.t("gui.carderr.removed"), s.u.t("gui.idcheck.removed")))
}

// close is the screen's leave: the card closed, nothing of it kept.
func (s *idCheckScreen) close() {
	if s.unwatch != nil {
		s.unwatch()
		s.unwatch = nil
	}
	s.closeCard()
}

// closeCard ends the check of the card (flow's Close forgets what was read) and drops
// the report and the widgets that showed it.
func (s *idCheckScreen) closeCard() {
	if c, inUse := s.card, s.inUse; c != nil {
		s.card = nil
		s.u.goWork(func() {
			inUse.Lock() // a check still running ends first
			defer inUse.Unlock()
			_ = c.Close()
		})
	}
	s.rep, s.pin, s.result = nil, nil, nil
	s.body.Objects = nil
	s.body.Refresh()
}

// showChoices goes back to the first step, with an optional notice below the choices.
func (s *idCheckScreen) showChoices(notice fyne.CanvasObject) {
	s.choices.Show()
	s.body.Objects = nil
	if notice != nil {
		s.body.Objects = []fyne.CanvasObject{notice}
	}
	s.body.Refresh()
	s.setBar(s.startBtn)
	s.u.cur.primary = s.startBtn
	s.validate()
	s.u.relayout()
	s.u.win.Canvas().Focus(s.startBtn)
}

// setBar puts the step buttons in the bottom bar.
func (s *idCheckScreen) setBar(btns ...fyne.CanvasObject) {
	s.bar.Objects = btns
	s.bar.Refresh()
}

// readerFor is the reader whose shown name is name.
func (s *idCheckScreen) readerFor(name string) string {
	for _, rd := range s.u.watch.snapshot().usable() {
		if s.u.readerName(rd) == name {
			return rd.Name
		}
	}
	return ""
}

// prepare opens the card and reads what needs no PIN: the certificate's card ID and
// the tries left (spending none).
func (s *idCheckScreen) prepare() {
	u := s.u
	opts, err := s.options().Validate()
	reader := s.readerFor(s.readerSel.Selected)
	if err != nil || reader == "" {
		return
	}
	s.closeCard()
	s.opts, s.reader = opts, reader
	s.startBtn.Disable()
	s.body.Objects = []fyne.CanvasObject{widget.NewProgressBarInfinite()}
	s.body.Refresh()
	u.relayout()
	src := u.cards
	u.goWork(func() {
		var c *flow.IDCheckCard
		var st flow.IDCheckState
		sess, err := src.Open(reader)
		if err == nil {
			c, err = flow.NewIDCheckCard(sess, src.Test())
		}
		if err == nil {
			if st, err = c.Prepare(opts.NeedsTextAP()); err != nil {
				_ = c.Close()
			}
		}
		doUI(func() {
			if err != nil {
				s.showChoices(noticeView(theme.ErrorIcon(), colorNameBad, u.t("gui.mycard.open_failed"), u.cardErrorText(err)))
				return
			}
			if s.unwatch == nil {
				_ = c.Close() // the screen was left in the meantime
				return
			}
			c.Now = u.now
			s.card = c
			s.showPIN(st)
		})
	})
}

// showPIN is the second step: the card, the tries left, the PIN prompt (no entry when a
// PIN is blocked).
func (s *idCheckScreen) showPIN(st flow.IDCheckState) {
	u := s.u
	s.choices.Hide()
	back := newButton(u.t("gui.common.back"), theme.NavigateBackIcon(), func() {
		s.closeCard()
		s.showChoices(nil)
	})
	objs := []fyne.CanvasObject{
		boldText(u.t("gui.idcheck.checking", u.t("gui.idcheck.mode."+string(s.opts.Mode)))),
		widget.NewForm(widget.NewFormItem(u.t("gui.idcheck.card_id"), codeText(st.CardID))),
	}
	if st.Text != nil && st.Text.Blocked {
		// The four facts cannot be read: no PIN is asked for at all.
		blocked := u.newPINPrompt(s.reader, card.TextPIN, *st.Text, nil, nil, nil)
		s.body.Objects = append(objs, blocked.view)
		s.body.Refresh()
		s.setBar(back)
		u.cur.primary = nil
		u.relayout()
		return
	}
	policyOpts := u.trustOptions()
	c, opts, inUse := s.card, s.opts, s.inUse
	textLast := st.Text != nil && st.Text.Left == 1
	var rep *trust.IDCheckReport
	// textPIN is the text application's PIN when the holder chose other digits for it:
	// taken out of its entry with the action that sends the PINs (nil: the same digits).
	var textPIN []byte
	verify := func(pin []byte, allowLast bool) error {
		defer clear(pin)
		inUse.Lock()
		defer inUse.Unlock()
		policy, err := trust.NewPolicy(policyOpts)
		if err != nil {
			return err
		}
		text := textPIN
		textPIN = nil
		r, err := c.Check(policy, opts, flow.IDCheckPINs{Auth: pin, AuthLastTry: allowLast, Text: text, TextLastTry: allowLast && textLast})
		if err != nil {
			return asTextPINError(err)
		}
		rep = r
		return nil
	}
	// The answer comes back on Fyne's thread; a screen left in the meantime shows nothing.
	done := func() {
		if s.unwatch != nil {
			s.showResult(rep)
		}
	}
	failed := func(err error) {
		if s.unwatch != nil {
			s.checkFailed(err)
		}
	}
	s.pin = u.newPINPrompt(s.reader, card.AuthPIN, st.Auth, verify, done, failed)
	if textLast && !st.Auth.Blocked {
		s.pin.alsoLast = card.TextPIN
		objs = append(objs, noticeView(theme.WarningIcon(), colorNameBad, u.t("gui.pin.last_try_title"), u.t(pinKey(card.TextPIN, "last_try_text"))))
	}
	if st.Text != nil {
		objs = append(objs, wrapLabel(u.t("gui.idcheck.text_same_pin", st.Text.Left, st.Text.Max)))
	}
	objs = append(objs, s.pin.view)
	if st.Text != nil && s.pin.entry != nil {
		objs = append(objs, s.separateTextPIN(func(pin []byte) { clear(textPIN); textPIN = pin }))
	}
	s.body.Objects = objs
	s.body.Refresh()
	bar := []fyne.CanvasObject{back}
	if submit := s.pin.submitInBar(); submit != nil {
		submit.SetText(u.t("gui.idcheck.check"))
		bar = append(bar, submit)
		u.cur.primary = submit
	} else {
		u.cur.primary = nil
	}
	s.setBar(bar...)
	u.relayout()
	if f := s.pin.focusable(); f != nil {
		u.win.Canvas().Focus(f)
	} else {
		u.win.Canvas().Focus(back)
	}
}

// separateTextPIN is the choice of a text PIN other than the authentication PIN's
// digits: a second masked entry, checked as it is typed. Its digits are handed to take
// by the action that sends the PINs (and the entry emptied); a malformed one stops it.
func (s *idCheckScreen) separateTextPIN(take func([]byte)) fyne.CanvasObject {
	u := s.u
	entry := newPasswordEntry()
	entry.SetPlaceHolder(u.t(pinKey(card.TextPIN, "placeholder")))
	problem := wrapLabel("")
	problem.Importance = widget.WarningImportance
	fields := container.NewVBox(entry, problem)
	fields.Hide()
	valid := func() bool {
		in := []byte(entry.Text)
		norm, err := card.NormalizePIN(card.TextPIN, in)
		clear(in)
		clear(norm)
		if err != nil {
			problem.SetText(u.t(pinKey(card.TextPIN, "problem_length")))
		} else {
			problem.SetText("")
		}
		return err == nil
	}
	entry.OnChanged = func(string) { valid() }
	check := newCheck(u.t("gui.idcheck.text_pin_other"), func(on bool) {
		entry.SetText("")
		problem.SetText("")
		if on {
			fields.Show()
		} else {
			fields.Hide()
		}
		u.relayout()
	})
	// The prompt's own action (its button, Enter in its entry) takes the second PIN first.
	p := s.pin
	submit := p.submitTapped
	send := func() {
		if check.Checked {
			if !valid() {
				u.win.Canvas().Focus(entry)
				return
			}
			take([]byte(entry.Text))
			entry.SetText("")
		} else {
			take(nil)
		}
		submit()
	}
	p.submit.OnTapped = send
	p.entry.OnSubmitted = func(string) { send() }
	entry.OnSubmitted = func(string) { send() }
	return container.NewVBox(check, fields)
}

// textPINError is a problem of the text application's PIN during the check. It does not
// unwrap: the prompt (for the authentication PIN) must not take it for its own.
type textPINError struct{ err error }

func (e *textPINError) Error() string { return e.err.Error() }

// asTextPINError marks the text PIN's wrong-PIN, blocked and last-try errors.
func asTextPINError(err error) error {
	var wrong *card.WrongPIN
	var blocked *card.Blocked
	var last *card.LastTry
	if (errors.As(err, &wrong) && wrong.Kind == card.TextPIN) || (errors.As(err, &blocked) && blocked.Kind == card.TextPIN) ||
		(errors.As(err, &last) && last.Kind == card.TextPIN) {
		return &textPINError{err}
	}
	return err
}

// checkFailed ends a check that gave no result: the card went away, or the text
// application's PIN was refused. The card is closed; the clerk starts again.
func (s *idCheckScreen) checkFailed(err error) {
	u := s.u
	title, text := u.t("gui.idcheck.failed"), u.cardErrorText(err)
	var wrong *card.WrongPIN
	var blocked *card.Blocked
	var tpe *textPINError
	if errors.As(err, &tpe) {
		err = tpe.err
		switch {
		case errors.As(err, &wrong):
			title, text = u.tn(pinKey(card.TextPIN, "wrong"), wrong.Left, wrong.Left), u.t("gui.idcheck.text_pin_differs")
		case errors.As(err, &blocked):
			title, text = u.t(pinKey(card.TextPIN, "blocked_title")), u.t(pinKey(card.TextPIN, "blocked_where"))
		default:
			title, text = u.t("gui.pin.last_try_title"), u.t(pinKey(card.TextPIN, "last_try_text"))
		}
	}
	s.closeCard()
	s.showChoices(noticeView(theme.ErrorIcon(), colorNameBad, title, text))
}

// showResult is the last step: the outcome in large words, why not, what it was checked
// against, the record to save, and 次の方.
func (s *idCheckScreen) showResult(rep *trust.IDCheckReport) {
	u := s.u
	s.rep, s.pin = rep, nil
	ok := rep.Outcome == trust.IDConfirmed
	s.result = newTextBlock(u.msg(rep.Summary))
	s.result.TextStyle.Bold = true
	s.result.SizeName = theme.SizeNameHeadingText
	s.result.Alignment = fyne.TextAlignCenter
	var icon fyne.Resource = theme.NewSuccessThemedResource(theme.ConfirmIcon())
	s.result.Importance = widget.SuccessImportance
	if !ok {
		icon = theme.NewErrorThemedResource(theme.ErrorIcon())
		s.result.Importance = widget.DangerImportance
	}
	objs := []fyne.CanvasObject{
		container.NewCenter(container.NewGridWrap(fyne.NewSize(64, 64), widget.NewIcon(icon))),
		s.result,
		container.NewCenter(widget.NewLabel(u.t("gui.idcheck.mode." + string(rep.Mode)))),
	}
	for _, r := range rep.Reasons {
		if u.msg(r) == s.result.Text {
			continue // the age mode's reason is its result
		}
		t := wrapLabel(u.msg(r))
		t.Importance = widget.DangerImportance
		objs = append(objs, t)
	}
	objs = append(objs, widget.NewSeparator(), s.details(rep))
	if f := rep.BasicInfo; f != nil {
		objs = append(objs, box(u.t("gui.mycard.basic"), widget.NewForm(
			widget.NewFormItem(u.t("gui.disclose.name"), wrapLabel(f.Name)),
			widget.NewFormItem(u.t("gui.disclose.address"), wrapLabel(f.Address)),
			widget.NewFormItem(u.t("gui.disclose.birth"), widget.NewLabel(f.BirthDate)),
			widget.NewFormItem(u.t("gui.disclose.sex"), widget.NewLabel(u.t("gui.sexcode."+f.Sex))))))
	}
	for _, w := range rep.Warnings {
		objs = append(objs, wrapLabel(u.msg(w)))
	}
	var personal *keyCheck
	if rep.BasicInfo != nil {
		personal = newCheck(u.t("gui.idcheck.record_personal"), nil)
		objs = append(objs, personal)
	}
	s.body.Objects = objs
	s.body.Refresh()
	s.saveBtn = newButton(u.t("gui.idcheck.save"), theme.DocumentSaveIcon(), func() { s.save(personal != nil && personal.Checked) })
	s.nextBtn = newButton(u.t("gui.idcheck.next"), theme.AccountIcon(), s.next)
	s.nextBtn.Importance = widget.HighImportance
	s.setBar(s.saveBtn, s.nextBtn)
	u.cur.primary = s.nextBtn
	u.relayout()
	u.win.Canvas().Focus(s.nextBtn)
}

// details lists what the card was checked against: card ID, serial hash, validity,
// revocation and the CRL's time, when.
func (s *idCheckScreen) details(rep *trust.IDCheckReport) fyne.CanvasObject {
	u := s.u
	form := widget.NewForm(widget.NewFormItem(u.t("gui.idcheck.checked_at"), widget.NewLabel(u.fmtTime(rep.CheckedAt))))
	if c := rep.Certificate; c != nil {
		form.Append(u.t("gui.idcheck.card_id"), codeText(c.CardID))
		form.Append(u.t("gui.idcheck.serial"), codeText(c.SerialSHA256))
		form.Append(u.t("gui.details.cert_valid"), wrapLabel(u.t("gui.disclose.valid_range", u.fmtDate(c.NotBefore), u.fmtDate(c.NotAfter))))
	}
	if rv := rep.Revocation; rv != nil {
		when := "—"
		if rv.ThisUpdate != nil {
			when = u.fmtTime(*rv.ThisUpdate)
		}
		form.Append(u.t("gui.idcheck.revocation"), wrapLabel(u.t("gui.idcheck.revocation_state", u.t("gui.idcheck.revocation."+string(rv.Status)), when)))
	}
	challenge := "gui.idcheck.challenge.failed"
	if rep.ChallengeResponse {
		challenge = "gui.idcheck.challenge.ok"
	}
	form.Append(u.t("gui.idcheck.challenge"), wrapLabel(u.t(challenge)))
	return form
}

// save asks for a folder and writes the record (PDF and HTML) into it; the four facts
// are in it only when the clerk ticked it.
func (s *idCheckScreen) save(personal bool) {
	dialog.ShowFolderOpen(func(l fyne.ListableURI, err error) {
		if err == nil && l != nil {
			s.writeRecord(l.Path(), personal)
		}
	}, s.u.win)
}

// writeRecord writes the record of the check shown into dir, and says where.
func (s *idCheckScreen) writeRecord(dir string, personal bool) {
	u := s.u
	rep := s.rep
	if rep == nil {
		return
	}
	lang := u.l.Lang()
	u.goWork(func() {
		paths, err := record.WriteIDCheck(rep, record.Options{Lang: lang, ShowPersonalData: personal}, dir)
		doUI(func() {
			if err != nil {
				u.showError(u.t("gui.idcheck.save_failed"), err)
				return
			}
			dialog.ShowInformation(u.t("gui.idcheck.saved_title"), u.t("gui.idcheck.saved", strconv.Itoa(len(paths)), dir), u.win)
		})
	})
}

// next is 次の方: the card closed (flow's Close), and a new screen at the first step,
// with the same mode and options chosen but nothing of the previous card.
func (s *idCheckScreen) next() {
	mode, age, prefix := s.modeRad.Selected, s.ageSel.SelectedIndex(), s.prefix.Text
	s.close()
	n := s.u.startIDCheck()
	n.modeRad.SetSelected(mode)
	n.ageSel.SetSelectedIndex(age)
	n.prefix.SetText(prefix)
}
