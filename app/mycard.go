package app

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mynasign/mynasign/card"
)

// myCardScreen is マイカード: the user's own certificates (the authentication
// certificate without a password, the signature certificate after the signature
// password), their validity and generation, export to a file; and the four basic facts
// of the text application after its 4-digit PIN, only when asked. Nothing of it is
// logged or kept after the screen is left.
type myCardScreen struct {
	u      *UI
	reader string
	sess   *card.Session

	body      *fyne.Container
	readerSel *widget.Select
	openBtn   *pushButton
	authView  *fyne.Container
	signView  *fyne.Container
	basicView *fyne.Container
	signBtn   *pushButton
	basicBtn  *pushButton
	pin       *pinPrompt
	unwatch   func()
}

func (u *UI) showMyCard() { u.startMyCard() }

func (u *UI) startMyCard() *myCardScreen {
	m := &myCardScreen{u: u}
	m.body = container.NewVBox()
	m.readerSel = widget.NewSelect(nil, nil)
	m.openBtn = newButton(u.t("gui.mycard.open"), theme.LoginIcon(), m.open)
	m.openBtn.Importance = widget.HighImportance
	m.authView = container.NewVBox()
	m.signView = container.NewVBox()
	m.basicView = container.NewVBox()
	m.unwatch = u.watch.subscribe(m.cardsChanged)
	m.cardsChanged(u.watch.snapshot())
	u.show(&screen{
		title: u.t("gui.mycard.title"),
		body: container.NewVScroll(container.NewPadded(container.NewVBox(
			wrapLabel(u.t("gui.mycard.intro")),
			widget.NewForm(widget.NewFormItem(u.t("gui.mycard.reader"), m.readerSel)),
			m.openBtn,
			m.body))),
		leave: m.close,
		focus: m.openBtn,
	})
	return m
}

// close forgets everything read from the card and closes the session.
func (m *myCardScreen) close() {
	if m.unwatch != nil {
		m.unwatch()
		m.unwatch = nil
	}
	m.body.Objects = nil
	if m.sess != nil {
		_ = m.sess.Logout()
		_ = m.sess.Close()
		m.sess = nil
	}
}

func (m *myCardScreen) cardsChanged(r Readers) {
	var names []string
	for _, rd := range r.usable() {
		names = append(names, m.u.readerName(rd))
	}
	m.readerSel.Options = names
	if m.readerSel.Selected == "" && len(names) > 0 {
		m.readerSel.Selected = names[0]
	}
	m.readerSel.Refresh()
	if len(names) == 0 {
		m.openBtn.Disable()
	} else {
		m.openBtn.Enable()
	}
	// The card left: what was shown from it goes away with it.
	if m.sess != nil {
		present := false
		for _, rd := range r.Readers {
			if rd.Name == m.reader && rd.Present {
				present = true
			}
		}
		if !present {
			m.close()
			m.unwatch = m.u.watch.subscribe(m.cardsChanged)
			m.body.Objects = []fyne.CanvasObject{noticeView(theme.WarningIcon(), colorNameWarn, m.u.t("gui.carderr.removed"), m.u.t("gui.mycard.removed"))}
			m.body.Refresh()
			m.u.relayout()
		}
	}
}

// open opens the chosen card and shows the authentication certificate (free to read).
func (m *myCardScreen) open() {
	u := m.u
	reader := ""
	for _, rd := range u.watch.snapshot().usable() {
		if u.readerName(rd) == m.readerSel.Selected {
			reader = rd.Name
		}
	}
	if reader == "" {
		return
	}
	if m.sess != nil {
		_ = m.sess.Close()
		m.sess = nil
	}
	m.reader = reader
	src := u.cards
	m.body.Objects = []fyne.CanvasObject{widget.NewProgressBarInfinite()}
	m.body.Refresh()
	m.u.relayout()
	u.goWork(func() {
		sess, err := src.Open(reader)
		var auth, authCA *x509.Certificate
		if err == nil {
			auth, err = sess.AuthCertificate()
			if err == nil {
				authCA, _ = sess.AuthCACertificate()
			} else {
				sess.Close()
				sess = nil
			}
		}
		doUI(func() {
			if err != nil {
				m.body.Objects = []fyne.CanvasObject{noticeView(theme.ErrorIcon(), colorNameBad, u.t("gui.mycard.open_failed"), u.cardErrorText(err))}
				m.body.Refresh()
				m.u.relayout()
				return
			}
			m.sess = sess
			m.authView.Objects = []fyne.CanvasObject{m.certView("gui.mycard.auth_cert", auth, authCA)}
			m.signView.Objects = nil
			m.signBtn = newButton(u.t("gui.mycard.show_sign"), theme.VisibilityIcon(), m.askSignPIN)
			m.basicBtn = newButton(u.t("gui.mycard.show_basic"), theme.VisibilityIcon(), m.askTextPIN)
			m.basicView.Objects = nil
			m.body.Objects = []fyne.CanvasObject{
				widget.NewSeparator(), m.authView,
				widget.NewSeparator(), boldLabel(u.t("gui.mycard.sign_cert")), wrapLabel(u.t("gui.mycard.sign_needs_pin")), m.signBtn, m.signView,
				widget.NewSeparator(), boldLabel(u.t("gui.mycard.basic")), wrapLabel(u.t("gui.mycard.basic_needs_pin")), m.basicBtn, m.basicView,
			}
			m.body.Refresh()
			m.u.relayout()
		})
	})
}

// certView shows a certificate of the card: kind, validity, issuing generation (as the
// trust store knows it), serial, and an export button.
func (m *myCardScreen) certView(titleKey string, cert, ca *x509.Certificate) fyne.CanvasObject {
	u := m.u
	gen := "—"
	var others []*x509.Certificate
	if ca != nil {
		others = append(others, ca)
	}
	if p, err := u.policy(); err == nil {
		res := p.CheckSigner(cert, others, nil)
		if res.Certificate != nil && res.Certificate.Generation != "" {
			gen = res.Certificate.Generation
		}
	}
	valid := u.t("gui.disclose.valid_range", u.fmtDate(cert.NotBefore), u.fmtDate(cert.NotAfter))
	state := u.t("gui.mycard.valid_now")
	imp := widget.SuccessImportance
	now := u.now()
	switch {
	case now.After(cert.NotAfter):
		state, imp = u.t("gui.mycard.expired"), widget.DangerImportance
	case now.Before(cert.NotBefore):
		state, imp = u.t("gui.mycard.not_yet_valid"), widget.WarningImportance
	}
	st := boldLabel(state)
	st.Importance = imp
	export := newButton(u.t("gui.mycard.export"), theme.DocumentSaveIcon(), func() { m.export(cert) })
	return container.NewVBox(
		boldLabel(u.t(titleKey)),
		widget.NewForm(
			widget.NewFormItem(u.t("gui.details.cert_valid"), wrapLabel(valid)),
			widget.NewFormItem(u.t("gui.mycard.state"), st),
			widget.NewFormItem(u.t("gui.details.generation"), widget.NewLabel(gen)),
			widget.NewFormItem(u.t("gui.mycard.serial"), codeText(fmt.Sprintf("%X", cert.SerialNumber))),
			widget.NewFormItem(u.t("gui.details.issuer"), wrapLabel(cert.Issuer.String()))),
		container.NewHBox(export))
}

// export writes a certificate to a file the user chooses (PEM text).
func (m *myCardScreen) export(cert *x509.Certificate) {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		m.u.rememberDir(dirExport, filepath.Dir(wc.URI().Path()))
		_, werr := wc.Write(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}))
		if cerr := wc.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			m.u.showError(m.u.t("gui.mycard.export_failed"), werr)
		}
	}, m.u.win)
	d.SetFileName("certificate.pem")
	m.u.prepareDialog(d, dirExport)
}

// askSignPIN asks for the signature password, then shows the signature certificate.
func (m *myCardScreen) askSignPIN() {
	m.askPIN(card.SignPassword, m.signView, m.signBtn, func() {
		sess := m.sess
		m.u.goWork(func() {
			cert, err := sess.SignCertificate()
			var ca *x509.Certificate
			if err == nil {
				ca, _ = sess.SignCACertificate()
			}
			doUI(func() {
				if err != nil {
					m.signView.Objects = []fyne.CanvasObject{noticeView(theme.ErrorIcon(), colorNameBad, m.u.t("gui.mycard.read_failed"), m.u.cardErrorText(err))}
				} else {
					m.signView.Objects = []fyne.CanvasObject{
						m.u.disclosureView(cert, m.u.testCard != nil),
						m.certView("gui.mycard.sign_cert", cert, ca)}
				}
				m.signView.Refresh()
				m.u.relayout()
			})
		})
	})
}

// askTextPIN asks for the text application's 4-digit PIN, then shows the four facts.
func (m *myCardScreen) askTextPIN() {
	var info *card.BasicInfo
	m.askPINWith(card.TextPIN, m.basicView, m.basicBtn,
		func(pin []byte, allowLast bool) error {
			var opts []card.VerifyOption
			if allowLast {
				opts = append(opts, card.AllowLastTry)
			}
			var err error
			info, err = m.sess.ReadBasicInfo(pin, opts...)
			return err
		},
		func() {
			hide := newButton(m.u.t("gui.mycard.hide"), theme.VisibilityOffIcon(), func() {
				m.basicView.Objects = nil
				m.basicView.Refresh()
				m.u.relayout()
				m.basicBtn.Enable()
			})
			m.basicView.Objects = []fyne.CanvasObject{
				widget.NewForm(
					widget.NewFormItem(m.u.t("gui.disclose.name"), wrapLabel(info.Name)),
					widget.NewFormItem(m.u.t("gui.disclose.address"), wrapLabel(info.Address)),
					widget.NewFormItem(m.u.t("gui.disclose.birth"), widget.NewLabel(m.u.msgArg(basicBirth(info.BirthDate)))),
					widget.NewFormItem(m.u.t("gui.disclose.sex"), widget.NewLabel(m.u.t("gui.sexcode."+info.Sex)))),
				hide}
			info = nil
			m.basicView.Refresh()
			m.u.relayout()
		})
}

// basicBirth writes the text application's YYYYMMDD as YYYY-MM-DD (msgArg then writes
// it as every date of the app).
func basicBirth(s string) string {
	if len(s) != 8 {
		return s
	}
	return s[:4] + "-" + s[4:6] + "-" + s[6:]
}

// askPIN asks for the signature password with a VERIFY of the JPKI application.
func (m *myCardScreen) askPIN(kind card.PINKind, view *fyne.Container, btn *pushButton, done func()) {
	m.askPINWith(kind, view, btn, func(pin []byte, allowLast bool) error {
		var opts []card.VerifyOption
		if allowLast {
			opts = append(opts, card.AllowLastTry)
		}
		return m.sess.VerifySignPIN(pin, opts...)
	}, done)
}

// askPINWith reads the PIN's status (spending no try) and shows a PIN prompt in view.
func (m *myCardScreen) askPINWith(kind card.PINKind, view *fyne.Container, btn *pushButton, verify func([]byte, bool) error, done func()) {
	u := m.u
	sess := m.sess
	if sess == nil {
		return
	}
	btn.Disable()
	u.goWork(func() {
		st, err := sess.PINStatus(kind)
		doUI(func() {
			if err != nil {
				view.Objects = []fyne.CanvasObject{noticeView(theme.ErrorIcon(), colorNameBad, u.t("gui.mycard.read_failed"), u.cardErrorText(err))}
				view.Refresh()
				u.relayout()
				btn.Enable()
				return
			}
			m.pin = u.newPINPrompt(m.reader, kind, st, verify, done, func(err error) {
				view.Objects = []fyne.CanvasObject{noticeView(theme.ErrorIcon(), colorNameBad, u.t("gui.mycard.read_failed"), u.cardErrorText(err))}
				view.Refresh()
				u.relayout()
				btn.Enable()
			})
			view.Objects = []fyne.CanvasObject{m.pin.view}
			view.Refresh()
			u.relayout()
			if f := m.pin.focusable(); f != nil {
				u.win.Canvas().Focus(f)
			}
		})
	})
}
