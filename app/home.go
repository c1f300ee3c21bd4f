package app

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mynasign/mynasign/app/i18n"
)

// homeScreen is the start page: 署名する / 検証する, the other tools, the live reader and
// card status and the CRL freshness.
type homeScreen struct {
	*screen
	signBtn, verifyBtn *pushButton
	langSel            *widget.Select
	cards              *fyne.Container // the reader/card lines, rebuilt on every event
	crl                *fyne.Container // the CRL freshness lines
}

// textScales are the choices of the text size selector (multiplied with the system scale).
var textScales = []float32{1, 1.25, 1.5, 2}

func (u *UI) showHome() {
	h := &homeScreen{}
	u.home = h
	h.signBtn = newButton(u.t("gui.home.sign"), theme.DocumentCreateIcon(), u.showSignWizard)
	h.signBtn.Importance = widget.HighImportance
	h.verifyBtn = newButton(u.t("gui.home.verify"), theme.ConfirmIcon(), func() { u.showVerify(nil) })
	h.verifyBtn.Importance = widget.HighImportance
	big := func(b *pushButton, help string) fyne.CanvasObject {
		return container.NewVBox(container.New(&minHeight{h: 64}, b), wrapLabel(help))
	}
	mains := container.NewGridWithColumns(2,
		big(h.signBtn, u.t("gui.home.sign_help")),
		big(h.verifyBtn, u.t("gui.home.verify_help")))

	tools := container.NewGridWithColumns(3,
		newButton(u.t("gui.home.idcheck"), theme.VisibilityIcon(), u.showIDCheck),
		newButton(u.t("gui.home.mycard"), theme.AccountIcon(), u.showMyCard),
		newButton(u.t("gui.home.crl"), theme.ListIcon(), u.showCRLs),
		newButton(u.t("gui.home.anchors"), theme.ConfirmIcon(), u.showAnchors),
		newButton(u.t("gui.home.diagnostics"), theme.InfoIcon(), u.showDiagnostics),
		newButton(u.t("gui.home.testcard"), theme.ComputerIcon(), u.showTestCard),
	)

	h.cards = container.NewVBox()
	h.crl = container.NewVBox()
	status := container.NewGridWithColumns(2,
		box(u.t("gui.home.status_cards"), h.cards),
		box(u.t("gui.home.status_crl"), h.crl))

	langSel := widget.NewSelect([]string{u.t("gui.lang.ja"), u.t("gui.lang.en")}, nil)
	h.langSel = langSel
	if u.l.Lang() == i18n.English {
		langSel.SetSelectedIndex(1)
	} else {
		langSel.SetSelectedIndex(0)
	}
	langSel.OnChanged = func(string) {
		l := i18n.Japanese
		if langSel.SelectedIndex() == 1 {
			l = i18n.English
		}
		u.setLanguage(l)
	}
	sizeNames := make([]string, len(textScales))
	cur := float32(u.fa.Preferences().FloatWithFallback(prefTextScale, 1))
	sizeSel := widget.NewSelect(nil, nil)
	for i, f := range textScales {
		sizeNames[i] = u.t("gui.home.textsize_option", fmt.Sprintf("%d", int(f*100+0.5)))
	}
	sizeSel.Options = sizeNames
	for i, f := range textScales {
		if f == cur {
			sizeSel.SetSelectedIndex(i)
		}
	}
	sizeSel.OnChanged = func(string) { u.setTextScale(textScales[sizeSel.SelectedIndex()]) }
	settings := container.NewHBox(layout.NewSpacer(),
		widget.NewLabel(u.t("gui.home.language")), langSel,
		widget.NewLabel(u.t("gui.home.textsize")), sizeSel)

	dropHint := wrapLabel(u.t("gui.home.drop_hint"))
	dropHint.Alignment = fyne.TextAlignCenter
	body := container.NewVBox(mains, widget.NewSeparator(), tools, status, dropHint)
	h.screen = &screen{
		title:  u.t("gui.app.title"),
		isHome: true,
		body:   container.NewBorder(nil, settings, nil, nil, container.NewVScroll(body)),
		focus:  h.signBtn,
		drop:   func(paths []string) { u.showVerify(paths) },
	}
	u.show(h.screen)
	u.refreshCardStatus()
	u.refreshCRLStatus()
}

// minHeight lays its objects out stacked, at least h tall.
type minHeight struct{ h float32 }

func (m *minHeight) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
}

func (m *minHeight) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := fyne.NewSize(0, m.h)
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}
