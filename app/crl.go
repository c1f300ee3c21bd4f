package app

import (
	"errors"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mynasign/mynasign/app/flow"
	"github.com/mynasign/mynasign/trust"
)

// trustOptions are the trust store, the CRL store and the user's trust anchors the app
// validates with: the production store, or the test store while the test card is in use.
func (u *UI) trustOptions() trust.Options {
	store := trust.StoreProduction
	if u.testCard != nil {
		store = trust.StoreTest
	}
	return trust.Options{TrustStore: store, CRLDir: u.cfg.CRLDir, AnchorDir: u.cfg.AnchorDir}
}

// policy is a fresh validation policy (now, with the CRLs in the store).
func (u *UI) policy() (*trust.Policy, error) {
	return trust.NewPolicy(u.trustOptions())
}

// freshness classifies a CRL at t: fresh (more than a week left), expiring soon, or
// stale (past its nextUpdate).
func crlFreshness(c trust.CRLInfo, t time.Time) (key string, col fyne.ThemeColorName, icon fyne.Resource) {
	switch {
	case !c.FreshAt(t):
		return "gui.crl.stale", colorNameBad, theme.ErrorIcon()
	case c.NextUpdate != nil && c.NextUpdate.Sub(t) < 7*24*time.Hour:
		return "gui.crl.expiring", colorNameWarn, theme.WarningIcon()
	}
	return "gui.crl.fresh", colorNameOK, theme.ConfirmIcon()
}

// refreshCRLStatus redraws the home screen's CRL freshness: how many CRLs are fresh and
// when the first one needs replacing. Reading the store's headers is quick; it runs in
// the background all the same.
func (u *UI) refreshCRLStatus() {
	if u.home == nil || u.home.crl == nil {
		return
	}
	target := u.home.crl
	opts := u.trustOptions()
	u.goWork(func() {
		ov, err := flow.CRLStatus(opts)
		doUI(func() {
			if u.home == nil || u.home.crl != target {
				return
			}
			var objs []fyne.CanvasObject
			switch {
			case err != nil:
				objs = append(objs, statusLine(theme.ErrorIcon(), u.t("gui.crl.store_error", err.Error()), colorNameBad))
			case len(ov.CRLs) == 0:
				objs = append(objs, statusLine(theme.WarningIcon(), u.t("gui.crl.none"), colorNameWarn))
			default:
				if ov.Fresh > 0 {
					objs = append(objs, statusLine(theme.ConfirmIcon(), u.tn("gui.crl.summary_fresh", ov.Fresh, ov.Fresh, u.fmtDate(*ov.NextExpiry)), colorNameOK))
				}
				if ov.Stale > 0 {
					objs = append(objs, statusLine(theme.ErrorIcon(), u.tn("gui.crl.summary_stale", ov.Stale, ov.Stale), colorNameBad))
				}
				if ov.Damaged > 0 {
					objs = append(objs, statusLine(theme.ErrorIcon(), u.tn("gui.crl.summary_damaged", ov.Damaged, ov.Damaged), colorNameBad))
				}
			}
			if opts.TrustStore == trust.StoreTest {
				objs = append(objs, statusLine(theme.InfoIcon(), u.t("gui.crl.test_store"), colorNameTest))
			}
			target.Objects = objs
			target.Refresh()
			u.relayout()
		})
	})
}

// crlScreen is 失効リスト (CRL): the CRLs in the store with their freshness, import by
// dialog or drop, removal of one CRL after a confirmation.
type crlScreen struct {
	u       *UI
	list    *fyne.Container
	message *fyne.Container
	import_ *pushButton
	dirBtn  *pushButton

	// confirm is the removal confirmation while it is shown.
	confirm       *widget.PopUp
	confirmRemove *pushButton
	confirmBack   *pushButton
}

func (u *UI) showCRLs() { u.startCRLs() }

func (u *UI) startCRLs() *crlScreen {
	c := &crlScreen{u: u, list: container.NewVBox(), message: container.NewVBox()}
	c.import_ = newButton(u.t("gui.crl.import"), theme.ContentAddIcon(), c.chooseFiles)
	c.import_.Importance = widget.HighImportance
	c.dirBtn = newButton(u.t("gui.crl.import_folder"), theme.FolderIcon(), c.chooseFolder)
	intro := wrapLabel(u.t("gui.crl.intro"))
	u.show(&screen{
		title: u.t("gui.crl.title"),
		body: container.NewVScroll(container.NewPadded(container.NewVBox(
			intro, container.NewHBox(c.import_, c.dirBtn), c.message, widget.NewSeparator(), c.list))),
		drop:  c.importPaths,
		focus: c.import_,
		leave: c.closeConfirm,
	})
	c.reload()
	return c
}

// reload lists the store again.
func (c *crlScreen) reload() {
	u := c.u
	opts := u.trustOptions()
	u.goWork(func() {
		ov, err := flow.CRLStatus(opts)
		doUI(func() { c.render(ov, err) })
	})
}

func (c *crlScreen) render(ov *flow.CRLOverview, err error) {
	u := c.u
	var objs []fyne.CanvasObject
	switch {
	case err != nil:
		objs = append(objs, noticeView(theme.ErrorIcon(), colorNameBad, u.t("gui.crl.store_error", ""), err.Error()))
	case len(ov.CRLs) == 0:
		objs = append(objs, wrapLabel(u.t("gui.crl.none")))
	default:
		objs = append(objs, wrapLabel(u.t("gui.crl.dir", ov.Dir)))
		for _, st := range ov.CRLs {
			objs = append(objs, c.crlView(st.CRLInfo, ov.At), widget.NewSeparator())
		}
	}
	c.list.Objects = objs
	c.list.Refresh()
	c.u.relayout()
}

// crlView is one CRL: issuer, scope, thisUpdate / nextUpdate, freshness with a colour
// (and an icon and a word: the colour is never the only sign).
func (c *crlScreen) crlView(in trust.CRLInfo, at time.Time) fyne.CanvasObject {
	u := c.u
	if in.Problem != nil {
		return c.damagedView(in)
	}
	key, col, icon := crlFreshness(in, at)
	next := "—"
	if in.NextUpdate != nil {
		next = u.fmtTime(*in.NextUpdate)
	}
	scope := in.Scope
	if scope == "whole" {
		scope = u.t("gui.crl.scope_whole")
	}
	state := boldLabel(u.t(key))
	state.Importance = importanceFor(col)
	kind := u.t("gui.certkind." + string(in.Kind))
	if in.Test {
		kind += " " + u.t("gui.test.short")
	}
	source := in.File
	if in.Builtin {
		source = u.t("gui.crl.builtin")
	}
	var actions []fyne.CanvasObject
	if in.ID != "" { // a stored CRL (the built-in test CRLs cannot be removed)
		remove := newButton(u.t("gui.crl.remove"), theme.DeleteIcon(), func() { c.askRemove(in) })
		remove.Importance = widget.LowImportance
		actions = append(actions, container.NewHBox(remove))
	}
	form := widget.NewForm(
		widget.NewFormItem(u.t("gui.crl.issuer"), wrapLabel(in.Issuer)),
		widget.NewFormItem(u.t("gui.crl.kind"), wrapLabel(fmt.Sprintf("%s %s", kind, in.Generation))),
		widget.NewFormItem(u.t("gui.crl.scope"), wrapLabel(scope)),
		widget.NewFormItem(u.t("gui.crl.this_update"), widget.NewLabel(u.fmtTime(in.ThisUpdate))),
		widget.NewFormItem(u.t("gui.crl.next_update"), widget.NewLabel(next)),
		widget.NewFormItem(u.t("gui.crl.number_entries"), widget.NewLabel(u.t("gui.crl.number_entries_value", in.Number, in.Entries))),
		widget.NewFormItem(u.t("gui.crl.source"), wrapLabel(source)),
	)
	body := container.NewVBox(append([]fyne.CanvasObject{state, form}, actions...)...)
	return container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(icon)), nil, body)
}

// damagedView is a stored CRL whose index cannot be read: its ID, what is wrong (remove
// it and import it again) and the remove button.
func (c *crlScreen) damagedView(in trust.CRLInfo) fyne.CanvasObject {
	u := c.u
	state := boldLabel(u.t("gui.crl.damaged"))
	state.Importance = importanceFor(colorNameBad)
	remove := newButton(u.t("gui.crl.remove"), theme.DeleteIcon(), func() { c.askRemove(in) })
	remove.Importance = widget.LowImportance
	form := widget.NewForm(widget.NewFormItem(u.t("gui.crl.id"), wrapLabel(in.ID)))
	body := container.NewVBox(state, wrapLabel(u.msg(*in.Problem)), form, container.NewHBox(remove))
	return container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(theme.ErrorIcon())), nil, body)
}

// askRemove asks before a CRL is removed: which one, and what it means (signatures it
// covers cannot be checked for revocation until a CRL of that scope is imported again).
// The safe choice has the focus.
func (c *crlScreen) askRemove(in trust.CRLInfo) {
	u := c.u
	c.closeConfirm()
	c.confirmBack = newButton(u.t("gui.common.cancel"), nil, c.closeConfirm)
	c.confirmRemove = newButton(u.t("gui.crl.remove_confirm"), theme.DeleteIcon(), func() {
		c.closeConfirm()
		c.remove(in)
	})
	c.confirmRemove.Importance = widget.DangerImportance
	scope := in.Scope
	if scope == "whole" {
		scope = u.t("gui.crl.scope_whole")
	}
	which := widget.NewForm(
		widget.NewFormItem(u.t("gui.crl.issuer"), wrapLabel(in.Issuer)),
		widget.NewFormItem(u.t("gui.crl.scope"), wrapLabel(scope)),
		widget.NewFormItem(u.t("gui.crl.source"), wrapLabel(in.File)))
	if in.Problem != nil { // unreadable: only its ID is known
		which = widget.NewForm(widget.NewFormItem(u.t("gui.crl.id"), wrapLabel(in.ID)))
	}
	content := container.NewVBox(
		noticeView(theme.WarningIcon(), colorNameWarn, u.t("gui.crl.remove_title"), u.t("gui.crl.remove_text")),
		which,
		container.NewHBox(layout.NewSpacer(), c.confirmBack, c.confirmRemove))
	c.confirm = u.showModal(content, 560, c.closeConfirm, c.confirmBack)
}

// closeConfirm hides the removal confirmation (also when the screen is left).
func (c *crlScreen) closeConfirm() {
	if c.confirm != nil {
		c.u.hideModal(c.confirm)
		c.confirm = nil
	}
}

// remove takes one CRL out of the store, says so, and lists the store again.
func (c *crlScreen) remove(in trust.CRLInfo) {
	u := c.u
	opts := u.trustOptions()
	u.goWork(func() {
		res, err := flow.RemoveCRL(opts, in.ID)
		doUI(func() {
			switch {
			case errors.Is(err, trust.ErrUnknownCRL):
				c.message.Objects = []fyne.CanvasObject{noticeView(theme.ErrorIcon(), colorNameBad, u.t("gui.crl.remove_failed"), u.t("gui.crl.remove_unknown"))}
			case err != nil:
				c.message.Objects = []fyne.CanvasObject{noticeView(theme.ErrorIcon(), colorNameBad, u.t("gui.crl.remove_failed"), err.Error())}
			case res.Removed.Problem != nil:
				c.message.Objects = []fyne.CanvasObject{noticeView(theme.ConfirmIcon(), colorNameOK, u.t("gui.crl.removed_damaged", res.Removed.ID), "")}
			default:
				c.message.Objects = []fyne.CanvasObject{noticeView(theme.ConfirmIcon(), colorNameOK, u.t("gui.crl.removed", res.Removed.File), "")}
			}
			c.message.Refresh()
			c.u.relayout()
			c.reload()
		})
	})
}

func (c *crlScreen) chooseFiles() {
	c.u.openFileDialog(dirCRLs, nil, func(p string) { c.importPaths([]string{p}) })
}

func (c *crlScreen) chooseFolder() {
	c.u.openFolderDialog(dirCRLs, "", func(p string) { c.importPaths([]string{p}) })
}

// importPaths imports CRL files, folders or zips (all or nothing) and says what happened.
func (c *crlScreen) importPaths(paths []string) {
	u := c.u
	opts := u.trustOptions()
	c.import_.Disable()
	c.dirBtn.Disable()
	c.message.Objects = []fyne.CanvasObject{wrapLabel(u.t("gui.crl.importing")), widget.NewProgressBarInfinite()}
	c.message.Refresh()
	c.u.relayout()
	u.goWork(func() {
		res, err := flow.ImportCRLs(opts, paths...)
		doUI(func() {
			c.import_.Enable()
			c.dirBtn.Enable()
			c.message.Objects = c.importMessage(res, err)
			c.message.Refresh()
			c.u.relayout()
			c.reload()
		})
	})
}

func (c *crlScreen) importMessage(res *flow.CRLImport, err error) []fyne.CanvasObject {
	u := c.u
	var ie *trust.ImportError
	if errors.As(err, &ie) {
		objs := []fyne.CanvasObject{noticeView(theme.ErrorIcon(), colorNameBad, u.t("gui.crl.import_failed"), u.t("gui.crl.import_nothing_changed"))}
		for _, ce := range ie.Errors {
			objs = append(objs, wrapLabel(u.t("gui.crl.refused_line", ce.File, u.msg(ce.Reason))))
		}
		return objs
	}
	if err != nil {
		return []fyne.CanvasObject{noticeView(theme.ErrorIcon(), colorNameBad, u.t("gui.crl.import_failed"), err.Error())}
	}
	var objs []fyne.CanvasObject
	added := 0
	for _, x := range res.CRLs {
		if x.Status == trust.ImportAdded {
			added++
		}
		objs = append(objs, wrapLabel(u.t("gui.crl.import_line", x.File, u.t("gui.crl.import_status."+string(x.Status)))))
	}
	head := noticeView(theme.ConfirmIcon(), colorNameOK, u.tn("gui.crl.imported", len(res.CRLs), added, len(res.CRLs)), "")
	return append([]fyne.CanvasObject{head}, objs...)
}
