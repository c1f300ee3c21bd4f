package app

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mynasign/mynasign/trust"
)

// anchorScreen is 信頼する認証局 (trusted CAs): the J-LIS CAs built in, the CAs the user
// added (LGPKI, GPKI, 商業登記, …) with their fingerprints, adding a certificate file
// after its fingerprint has been shown for comparison, and removing one after a
// confirmation.
type anchorScreen struct {
	u       *UI
	list    *fyne.Container
	message *fyne.Container
	add     *pushButton

	// confirm is the addition or removal confirmation while it is shown, with its
	// buttons (the safe one has the focus).
	confirm   *widget.PopUp
	confirmOK *pushButton
	confirmNo *pushButton
	purpose   *widget.RadioGroup
}

func (u *UI) showAnchors() { u.startAnchors() }

func (u *UI) startAnchors() *anchorScreen {
	a := &anchorScreen{u: u, list: container.NewVBox(), message: container.NewVBox()}
	a.add = newButton(u.t("gui.anchor.add"), theme.ContentAddIcon(), a.chooseFile)
	a.add.Importance = widget.HighImportance
	u.show(&screen{
		title: u.t("gui.anchor.title"),
		body: container.NewVScroll(container.NewPadded(container.NewVBox(
			wrapLabel(u.t("gui.anchor.intro")), container.NewHBox(a.add), a.message, widget.NewSeparator(), a.list))),
		drop:  a.checkPaths,
		focus: a.add,
		leave: a.closeConfirm,
	})
	a.reload()
	return a
}

// anchorStore is the user trust anchor store the app validates with.
func (u *UI) anchorStore() (*trust.AnchorStore, error) {
	return trust.OpenAnchorStoreFor(trust.Options{AnchorDir: u.cfg.AnchorDir})
}

// anchorList is what the screen lists: the built-in anchors of the trust store in use
// and the user's.
type anchorList struct {
	dir     string
	builtin []*trust.Anchor
	user    []trust.UserAnchor
}

// reload lists the anchors again.
func (a *anchorScreen) reload() {
	u := a.u
	storeName := u.trustOptions().TrustStore
	u.goWork(func() {
		var l anchorList
		ts, err := trust.LoadTrustStore(storeName)
		if err == nil {
			l.builtin = ts.Anchors
			var s *trust.AnchorStore
			if s, err = u.anchorStore(); err == nil {
				l.dir = s.Dir()
				l.user, err = s.List()
			}
		}
		doUI(func() { a.render(l, err) })
	})
}

func (a *anchorScreen) render(l anchorList, err error) {
	u := a.u
	var objs []fyne.CanvasObject
	if err != nil {
		objs = append(objs, noticeView(theme.ErrorIcon(), colorNameBad, u.t("gui.anchor.store_error"), err.Error()))
	} else {
		objs = append(objs, boldLabel(u.t("gui.anchor.user_heading")))
		if len(l.user) == 0 {
			objs = append(objs, wrapLabel(u.t("gui.anchor.none")))
		}
		for _, ua := range l.user {
			objs = append(objs, a.userView(ua), widget.NewSeparator())
		}
		objs = append(objs, wrapLabel(u.t("gui.anchor.dir", l.dir)), widget.NewSeparator(), boldLabel(u.t("gui.anchor.builtin_heading")))
		for _, b := range l.builtin {
			objs = append(objs, a.certView(b.Name, b.Purpose, b.Cert.Subject.String(), trust.Fingerprint(b.Cert),
				u.fmtDate(b.Cert.NotBefore)+" – "+u.fmtDate(b.Cert.NotAfter), u.t("gui.anchor.source_builtin")), widget.NewSeparator())
		}
	}
	a.list.Objects = objs
	a.list.Refresh()
	u.relayout()
}

// userView is one anchor the user added, with its remove button.
func (a *anchorScreen) userView(ua trust.UserAnchor) fyne.CanvasObject {
	u := a.u
	remove := newButton(u.t("gui.anchor.remove"), theme.DeleteIcon(), func() { a.askRemove(ua) })
	remove.Importance = widget.LowImportance
	if ua.Problem != nil {
		state := boldLabel(u.t("gui.anchor.damaged"))
		state.Importance = importanceFor(colorNameBad)
		return container.NewVBox(state, wrapLabel(u.msg(*ua.Problem)), container.NewHBox(remove))
	}
	view := a.certView(ua.Name, ua.Purpose, ua.Subject, ua.SHA256,
		u.fmtDate(ua.NotBefore)+" – "+u.fmtDate(ua.NotAfter), u.t("gui.anchor.source_user", u.fmtDate(ua.Added)))
	return container.NewVBox(view, container.NewHBox(remove))
}

// certView describes one CA certificate: name, purpose, subject, validity, where it
// comes from and its SHA-256 fingerprint in groups that can be read aloud.
func (a *anchorScreen) certView(name string, purpose trust.AnchorPurpose, subject, fingerprint, validity, source string) fyne.CanvasObject {
	u := a.u
	return container.NewVBox(boldLabel(name), widget.NewForm(
		widget.NewFormItem(u.t("gui.anchor.purpose"), wrapLabel(u.t("gui.anchor.purpose."+purpose.String()))),
		widget.NewFormItem(u.t("gui.anchor.subject"), wrapLabel(subject)),
		widget.NewFormItem(u.t("gui.anchor.validity"), wrapLabel(validity)),
		widget.NewFormItem(u.t("gui.anchor.source"), wrapLabel(source)),
		widget.NewFormItem(u.t("gui.anchor.fingerprint"), codeText(groupFingerprint(fingerprint))),
	))
}

// groupFingerprint writes a colon-separated SHA-256 fingerprint as four lines of eight
// bytes, the way it is compared with a printed one.
func groupFingerprint(fp string) string {
	parts := strings.Split(fp, ":")
	var lines []string
	for len(parts) > 8 {
		lines = append(lines, strings.Join(parts[:8], " "))
		parts = parts[8:]
	}
	lines = append(lines, strings.Join(parts, " "))
	return strings.Join(lines, "\n")
}

func (a *anchorScreen) chooseFile() {
	a.u.openFileDialog(dirAnchors, nil, func(p string) { a.checkPaths([]string{p}) })
}

// checkPaths reads certificate files and, when every certificate could be an anchor,
// shows them for confirmation; nothing is stored before the user confirms.
func (a *anchorScreen) checkPaths(paths []string) {
	u := a.u
	a.closeConfirm()
	u.goWork(func() {
		var found []trust.AddedAnchor
		in, err := trust.ReadAnchorFiles(paths...)
		var s *trust.AnchorStore
		if err == nil {
			s, err = u.anchorStore()
		}
		if err == nil {
			found, err = s.Check(trust.AddOptions{}, in...)
		}
		doUI(func() {
			if err != nil {
				a.showMessage(a.failure("gui.anchor.add_failed", err))
				return
			}
			a.askAdd(s, in, found)
		})
	})
}

// askAdd shows the certificates about to be trusted with their fingerprints, asks what
// they are trusted for, and adds them only on 信頼して追加.
func (a *anchorScreen) askAdd(s *trust.AnchorStore, in []trust.AnchorInput, found []trust.AddedAnchor) {
	u := a.u
	labels := []string{u.t("gui.anchor.purpose.signing"), u.t("gui.anchor.purpose.timestamp")}
	a.purpose = widget.NewRadioGroup(labels, nil)
	a.purpose.SetSelected(labels[0])
	a.purpose.Required = true
	objs := []fyne.CanvasObject{
		noticeView(theme.WarningIcon(), colorNameWarn, u.t("gui.anchor.add_title"), u.t("gui.anchor.add_text")),
	}
	for _, f := range found {
		ua := f.Anchor
		objs = append(objs, boldLabel(ua.Name), widget.NewForm(
			widget.NewFormItem(u.t("gui.anchor.subject"), wrapLabel(ua.Subject)),
			widget.NewFormItem(u.t("gui.anchor.validity"), wrapLabel(u.fmtDate(ua.NotBefore)+" – "+u.fmtDate(ua.NotAfter))),
			widget.NewFormItem(u.t("gui.anchor.fingerprint"), codeText(groupFingerprint(ua.SHA256))),
		))
	}
	objs = append(objs, widget.NewForm(widget.NewFormItem(u.t("gui.anchor.purpose"), a.purpose)))
	a.confirmNo = newButton(u.t("gui.common.cancel"), nil, a.closeConfirm)
	a.confirmOK = newButton(u.t("gui.anchor.add_confirm"), theme.ConfirmIcon(), func() {
		purpose := trust.PurposeSigning
		if a.purpose.Selected == labels[1] {
			purpose = trust.PurposeTimestamp
		}
		a.closeConfirm()
		a.addAnchors(s, in, purpose)
	})
	a.confirmOK.Importance = widget.HighImportance
	objs = append(objs, container.NewHBox(layout.NewSpacer(), a.confirmNo, a.confirmOK))
	a.popUp(container.NewVBox(objs...))
}

// addAnchors stores the confirmed certificates and says what happened.
func (a *anchorScreen) addAnchors(s *trust.AnchorStore, in []trust.AnchorInput, purpose trust.AnchorPurpose) {
	u := a.u
	u.goWork(func() {
		added, err := s.Add(trust.AddOptions{Purpose: purpose}, in...)
		doUI(func() {
			if err != nil {
				a.showMessage(a.failure("gui.anchor.add_failed", err))
				return
			}
			var objs []fyne.CanvasObject
			for _, x := range added {
				key := "gui.anchor.added"
				if x.Status == trust.AnchorAlready {
					key = "gui.anchor.already"
				}
				objs = append(objs, noticeView(theme.ConfirmIcon(), colorNameOK, u.t(key, x.Anchor.Name), ""))
			}
			a.showMessage(objs)
			a.reload()
		})
	})
}

// askRemove asks before an anchor the user added is removed: signatures that chain to it
// can no longer be validated.
func (a *anchorScreen) askRemove(ua trust.UserAnchor) {
	u := a.u
	a.closeConfirm()
	a.confirmNo = newButton(u.t("gui.common.cancel"), nil, a.closeConfirm)
	a.confirmOK = newButton(u.t("gui.anchor.remove_confirm"), theme.DeleteIcon(), func() {
		a.closeConfirm()
		a.remove(ua)
	})
	a.confirmOK.Importance = widget.DangerImportance
	name := ua.Name
	if ua.Problem != nil {
		name = ua.ID
	}
	a.popUp(container.NewVBox(
		noticeView(theme.WarningIcon(), colorNameWarn, u.t("gui.anchor.remove_title"), u.t("gui.anchor.remove_text")),
		boldLabel(name),
		container.NewHBox(layout.NewSpacer(), a.confirmNo, a.confirmOK)))
}

func (a *anchorScreen) remove(ua trust.UserAnchor) {
	u := a.u
	u.goWork(func() {
		s, err := u.anchorStore()
		if err == nil {
			_, err = s.Remove(ua.ID)
		}
		doUI(func() {
			if err != nil {
				a.showMessage(a.failure("gui.anchor.remove_failed", err))
			} else {
				name := ua.Name
				if ua.Problem != nil {
					name = ua.ID
				}
				a.showMessage([]fyne.CanvasObject{noticeView(theme.ConfirmIcon(), colorNameOK, u.t("gui.anchor.removed", name), "")})
			}
			a.reload()
		})
	})
}

// failure explains a refused addition or removal: the file and the reason for a refused
// certificate, the store's error otherwise; nothing was changed either way.
func (a *anchorScreen) failure(titleKey string, err error) []fyne.CanvasObject {
	u := a.u
	var ae *trust.AnchorError
	switch {
	case errors.As(err, &ae):
		return []fyne.CanvasObject{noticeView(theme.ErrorIcon(), colorNameBad, u.t(titleKey),
			u.t("gui.anchor.refused_line", ae.File, u.msg(ae.Reason))+"\n"+u.t("gui.anchor.nothing_changed"))}
	case errors.Is(err, trust.ErrUnknownAnchor):
		return []fyne.CanvasObject{noticeView(theme.ErrorIcon(), colorNameBad, u.t(titleKey), u.t("gui.anchor.remove_unknown"))}
	}
	return []fyne.CanvasObject{noticeView(theme.ErrorIcon(), colorNameBad, u.t(titleKey), err.Error())}
}

func (a *anchorScreen) showMessage(objs []fyne.CanvasObject) {
	a.message.Objects = objs
	a.message.Refresh()
	a.u.relayout()
}

// popUp shows a confirmation with the focus on its safe button.
func (a *anchorScreen) popUp(content fyne.CanvasObject) {
	a.confirm = a.u.showModal(content, 600, a.closeConfirm, a.confirmNo)
}

// closeConfirm hides the confirmation (also when the screen is left).
func (a *anchorScreen) closeConfirm() {
	if a.confirm != nil {
		a.u.hideModal(a.confirm)
		a.confirm = nil
	}
}
