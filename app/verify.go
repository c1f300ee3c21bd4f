package app

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mynasign/mynasign/app/flow"
	"github.com/mynasign/mynasign/app/record"
	"github.com/mynasign/mynasign/trust"
)

// verifyScreen is 検証する: files, folders and zips dropped or chosen, verified in the
// background, one row per document (status, file, signer masked, signing time, reason
// when not TOTAL-PASSED), a details view per document.
type verifyScreen struct {
	u       *UI
	reports []*trust.DocumentReport // in the order of the batch; nil while pending
	rows    []int                   // indexes of the finished reports, in display order
	total   int
	running bool
	cancel  context.CancelFunc

	table    *widget.Table
	progress *widget.ProgressBar
	summary  *textBlock
	addBtn   *pushButton
	dirBtn   *pushButton
	saveBtn  *pushButton
	screen   *screen
	result   *flow.BatchResult
	// details is set while a details view opened from the table is shown: the batch
	// goes on behind it.
	details bool
}

// The columns of the results table.
const (
	colStatus = iota
	colFile
	colSigner
	colTime
	colReason
	colCount
)

func (u *UI) showVerify(paths []string) { u.startVerify(paths) }

func (u *UI) startVerify(paths []string) *verifyScreen {
	v := &verifyScreen{u: u}
	v.progress = widget.NewProgressBar()
	v.progress.Hide()
	v.summary = wrapLabel(u.t("gui.verify.intro"))
	v.addBtn = newButton(u.t("gui.verify.add_files"), theme.FileIcon(), v.chooseFile)
	v.dirBtn = newButton(u.t("gui.verify.add_folder"), theme.FolderIcon(), v.chooseFolder)
	v.saveBtn = newButton(u.t("gui.verify.save_record"), theme.DocumentSaveIcon(), v.saveRecord)
	v.saveBtn.Disable()
	v.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(v.rows), colCount },
		func() fyne.CanvasObject {
			return container.New(iconLabelLayout{}, widget.NewIcon(nil), widget.NewLabel(""))
		},
		v.updateCell)
	v.table.ShowHeaderColumn = false
	v.table.CreateHeader = func() fyne.CanvasObject { return boldLabel("") }
	v.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Row < 0 && id.Col >= 0 {
			o.(*widget.Label).SetText(u.t(fmt.Sprintf("gui.verify.col.%d", id.Col)))
		}
	}
	for c, w := range []float32{160, 240, 170, 200, 460} {
		v.table.SetColumnWidth(c, w)
	}
	v.table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(v.rows) {
			rep := v.reports[v.rows[id.Row]]
			v.table.UnselectAll()
			v.details = true
			u.showReportDetails(rep, v.back)
		}
	}
	top := container.NewVBox(v.summary, container.NewHBox(v.addBtn, v.dirBtn), v.progress)
	v.screen = &screen{
		title:   u.t("gui.verify.title"),
		body:    container.NewBorder(top, nil, nil, nil, v.table),
		actions: []fyne.CanvasObject{v.saveBtn},
		drop:    v.start,
		focus:   v.addBtn,
		leave: func() {
			if !v.details && v.cancel != nil {
				v.cancel() // leaving the screen stops a running batch
			}
		},
	}
	u.show(v.screen)
	if len(paths) > 0 {
		v.start(paths)
	}
	return v
}

// back returns from a details view to the table, as it was.
func (v *verifyScreen) back() {
	v.details = false
	v.u.show(v.screen)
}

// start verifies paths (files, folders, zips) in the background; rows appear as each
// document is done.
func (v *verifyScreen) start(paths []string) {
	if v.running || len(paths) == 0 {
		return
	}
	policy, err := v.u.policy()
	if err != nil {
		v.summary.SetText(v.u.t("gui.verify.no_policy", err.Error()))
		return
	}
	v.running = true
	v.reports, v.rows, v.total, v.result = nil, nil, 0, nil
	v.table.Refresh()
	v.progress.SetValue(0)
	v.progress.Show()
	v.summary.SetText(v.u.t("gui.verify.running"))
	v.addBtn.Disable()
	v.dirBtn.Disable()
	v.saveBtn.Disable()
	ctx, cancel := context.WithCancel(context.Background())
	v.cancel = cancel
	v.screen.cancel = func() {
		cancel()
		v.u.showHome()
	}
	v.u.goWork(func() {
		res, err := flow.VerifyBatch(ctx, paths, flow.BatchOptions{
			Policy: policy,
			Progress: func(p flow.BatchProgress) {
				doUI(func() {
					if len(v.reports) < p.Total {
						grown := make([]*trust.DocumentReport, p.Total)
						copy(grown, v.reports)
						v.reports = grown
					}
					v.total = p.Total
					v.reports[p.Index] = p.Report
					v.rows = append(v.rows, p.Index)
					v.progress.SetValue(float64(p.Done) / float64(max(p.Total, 1)))
					v.table.Refresh()
				})
			},
		})
		doUI(func() {
			v.running = false
			v.screen.cancel = nil
			v.addBtn.Enable()
			v.dirBtn.Enable()
			v.progress.Hide()
			if err != nil {
				if ctx.Err() == nil {
					v.summary.SetText(v.u.t("gui.verify.failed", err.Error()))
				}
				return
			}
			v.result = res
			v.reports = res.Reports
			v.rows = v.rows[:0]
			for i := range res.Reports {
				v.rows = append(v.rows, i)
			}
			v.table.Refresh()
			t := res.Totals
			v.summary.SetText(v.u.tn("gui.verify.totals", t.Files, t.Files, t.Passed, t.Failed, t.Indeterminate, t.Unsigned, t.Errors))
			if len(res.Reports) > 0 {
				v.saveBtn.Enable()
			}
		})
	})
}

// iconLabelLayout places an icon (when visible) and a label after it on one line.
type iconLabelLayout struct{}

func (iconLabelLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	icon, lbl := objs[0], objs[1]
	x := float32(0)
	if icon.Visible() {
		s := icon.MinSize()
		icon.Resize(s)
		icon.Move(fyne.NewPos(theme.Padding(), (size.Height-s.Height)/2))
		x = s.Width + theme.Padding()
	}
	lbl.Move(fyne.NewPos(x, 0))
	lbl.Resize(fyne.NewSize(size.Width-x, size.Height))
}

func (iconLabelLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := objs[1].MinSize()
	if objs[0].Visible() {
		i := objs[0].MinSize()
		s = fyne.NewSize(s.Width+i.Width+theme.Padding(), max(s.Height, i.Height))
	}
	return s
}

// docStatus is the status column: an icon and the translated status.
func (u *UI) docStatus(r *trust.DocumentReport) (fyne.Resource, string, widget.Importance) {
	switch flow.StatusOf(r) {
	case flow.DocPassed:
		return theme.ConfirmIcon(), u.t("gui.status.passed"), widget.SuccessImportance
	case flow.DocFailed:
		return theme.ErrorIcon(), u.t("gui.status.failed"), widget.DangerImportance
	case flow.DocIndeterminate:
		return theme.QuestionIcon(), u.t("gui.status.indeterminate"), widget.WarningImportance
	case flow.DocUnsigned:
		return theme.InfoIcon(), u.t("gui.status.unsigned"), widget.MediumImportance
	}
	return theme.WarningIcon(), u.t("gui.status.error"), widget.DangerImportance
}

func (v *verifyScreen) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	b := o.(*fyne.Container)
	var lbl *widget.Label
	var icon *widget.Icon
	for _, obj := range b.Objects {
		switch x := obj.(type) {
		case *widget.Label:
			lbl = x
		case *widget.Icon:
			icon = x
		}
	}
	if id.Row >= len(v.rows) {
		return
	}
	r := v.reports[v.rows[id.Row]]
	cells := v.u.rowCells(r)
	icon.SetResource(nil)
	icon.Hide()
	lbl.Importance = widget.MediumImportance
	lbl.TextStyle = fyne.TextStyle{}
	if id.Col == colStatus {
		res, _, imp := v.u.docStatus(r)
		icon.SetResource(res)
		icon.Show()
		lbl.Importance = imp
		lbl.TextStyle.Bold = true
	}
	lbl.Truncation = fyne.TextTruncateEllipsis
	lbl.SetText(cells[id.Col])
	b.Refresh() // the icon may have appeared or gone: lay the cell out again
}

// rowCells are the texts of a document's row: status, file, signer (masked), signing
// time, and the reason when it did not pass. Personal data is masked here; the details
// view shows it.
func (u *UI) rowCells(r *trust.DocumentReport) [colCount]string {
	var c [colCount]string
	_, c[colStatus], _ = u.docStatus(r)
	c[colFile] = displayFile(r.File)
	var signers, times []string
	for _, s := range r.Signatures {
		name := ""
		if s.Signer != nil {
			name = maskName(s.Signer.Name)
			if name == "" {
				name = u.t("gui.verify.signer_unknown")
			}
			if s.Signer.Test {
				name += " " + u.t("gui.test.short")
			}
		}
		signers = append(signers, name)
		if s.ClaimedSigningTime != nil {
			times = append(times, u.fmtTime(*s.ClaimedSigningTime))
		}
	}
	c[colSigner] = strings.Join(signers, ", ")
	c[colTime] = strings.Join(times, ", ")
	if flow.StatusOf(r) != flow.DocPassed {
		c[colReason] = u.reason(r)
	}
	return c
}

// reason is the plain-language reason a document did not pass: the first signature
// that did not, else the document's own message.
func (u *UI) reason(r *trust.DocumentReport) string {
	if r.Error != nil {
		return u.msg(*r.Error)
	}
	for _, s := range r.Signatures {
		if s.Indication != trust.TotalPassed {
			return u.msg(trust.MaskPersonalData(&trust.DocumentReport{Signatures: []trust.SignatureReport{s}}).Signatures[0].Summary)
		}
	}
	return u.msg(trust.MaskPersonalData(r).Summary)
}

// maskName keeps the first character of a name and hides the rest.
func maskName(name string) string {
	if name == "" {
		return ""
	}
	r, _ := utf8.DecodeRuneInString(name)
	return string(r) + "＊＊＊"
}

// displayFile shortens a report's file name for the table (the folder is in details).
func displayFile(f string) string {
	if i := strings.Index(f, "!"); i >= 0 { // "archive.zip!inner/file.pdf"
		return filepath.Base(f[:i]) + "!" + f[i+1:]
	}
	return filepath.Base(f)
}

func (v *verifyScreen) chooseFile() {
	dialog.ShowFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		p := r.URI().Path()
		r.Close()
		v.start([]string{p})
	}, v.u.win)
}

func (v *verifyScreen) chooseFolder() {
	dialog.ShowFolderOpen(func(l fyne.ListableURI, err error) {
		if err != nil || l == nil {
			return
		}
		v.start([]string{l.Path()})
	}, v.u.win)
}

// saveRecord writes the printable verification records (PDF and HTML) into a folder the
// user picks; personal data is left out of them.
func (v *verifyScreen) saveRecord() {
	if v.result == nil {
		return
	}
	reports := v.result.Reports
	dialog.ShowFolderOpen(func(l fyne.ListableURI, err error) {
		if err != nil || l == nil {
			return
		}
		dir := l.Path()
		v.u.goWork(func() {
			files, err := record.Write(reports, record.Options{Lang: v.u.l.Lang()}, dir)
			doUI(func() {
				if err != nil {
					v.summary.SetText(v.u.t("gui.verify.record_failed", err.Error()))
					return
				}
				v.summary.SetText(v.u.tn("gui.verify.record_saved", len(files), len(files), dir))
			})
		})
	}, v.u.win)
}

// showReportDetails shows one document's report in full, in plain words, with the ETSI
// indications and the personal data (which the table masks).
func (u *UI) showReportDetails(r *trust.DocumentReport, back func()) {
	icon, status, imp := u.docStatus(r)
	content := container.NewVBox()
	head := boldLabel(status + " — " + displayFile(r.File))
	head.Importance = imp
	objs := []fyne.CanvasObject{
		container.NewBorder(nil, nil, widget.NewIcon(icon), nil, head),
		wrapLabel(u.msg(r.Summary)),
		widget.NewForm(
			widget.NewFormItem(u.t("gui.details.file"), wrapLabel(r.File)),
			widget.NewFormItem(u.t("gui.details.sha256"), codeText(r.SHA256)),
			widget.NewFormItem(u.t("gui.details.validation_time"), widget.NewLabel(u.fmtTime(r.ValidationTime))),
			widget.NewFormItem(u.t("gui.details.trust_store"), wrapLabel(u.t("gui.details.store."+storeKey(r.TrustStore))))),
	}
	if r.TrustStore == trust.StoreTest {
		objs = append(objs, testMark(u))
	}
	if r.Error != nil {
		objs = append(objs, noticeView(theme.ErrorIcon(), colorNameBad, u.t("gui.details.error"), u.msg(*r.Error)))
	}
	for i := range r.Signatures {
		objs = append(objs, widget.NewSeparator(), u.signatureDetails(i+1, &r.Signatures[i]))
		if r.Kind == "pdf" && r.Error == nil && !strings.Contains(r.File, "!") {
			objs = append(objs, u.compareSection(r.File, r.Signatures[i].ID, func() { content.Refresh() }))
		}
	}
	if r.Kind == "pdf" && len(r.Signatures) > 0 && !strings.Contains(r.File, "!") {
		objs = append(objs, widget.NewSeparator(), u.conformanceView(r.File))
	}
	content.Objects = objs
	backBtn := newButton(u.t("gui.common.back"), theme.NavigateBackIcon(), back)
	backBtn.Importance = widget.HighImportance
	u.show(&screen{
		title:   u.t("gui.details.title"),
		body:    container.NewVScroll(container.NewPadded(content)),
		actions: []fyne.CanvasObject{backBtn},
		cancel:  back,
		focus:   backBtn,
	})
}

// conformanceView offers the registry (登記・供託オンライン申請) conformance check of a
// PDF: each prescribed value, what the file has, and which row fails (the registry
// itself gives no reason when it rejects a file).
func (u *UI) conformanceView(path string) fyne.CanvasObject {
	out := container.NewVBox()
	var btn *pushButton
	btn = newButton(u.t("gui.conf.check"), theme.SearchIcon(), func() {
		btn.Disable()
		u.goWork(func() {
			res, err := flow.CheckConformance(context.Background(), "registry", path)
			doUI(func() {
				out.Objects = u.conformanceRows(res, err)
				out.Refresh()
				u.relayout()
			})
		})
	})
	return container.NewVBox(boldLabel(u.t("gui.conf.title")), wrapLabel(u.t("gui.conf.intro")),
		container.NewHBox(btn), out)
}

func (u *UI) conformanceRows(c *flow.Conformance, err error) []fyne.CanvasObject {
	if err != nil {
		return []fyne.CanvasObject{wrapLabel(u.t("gui.conf.error", err.Error()))}
	}
	if c.Problem != nil {
		return []fyne.CanvasObject{wrapLabel(u.msg(*c.Problem))}
	}
	var objs []fyne.CanvasObject
	for _, s := range c.Signatures {
		head := boldLabel(u.t("gui.conf.passed", s.Signature))
		head.Importance = widget.SuccessImportance
		if !s.Passed {
			head = boldLabel(u.t("gui.conf.failed", s.Signature))
			head.Importance = widget.DangerImportance
		}
		objs = append(objs, head)
		for _, row := range s.Rows {
			ic := theme.ConfirmIcon()
			if !row.Passed {
				ic = theme.CancelIcon()
			}
			text := u.t("gui.conf.row", row.Key, row.Want, row.Got)
			if d := u.msg(row.Detail); d != "" {
				text += " — " + d
			}
			l := wrapLabel(text)
			if !row.Passed {
				l.Importance = widget.DangerImportance
			}
			objs = append(objs, container.NewBorder(nil, nil, widget.NewIcon(ic), nil, l))
		}
	}
	return objs
}

func storeKey(s string) string {
	if s == trust.StoreTest {
		return "test"
	}
	return "production"
}

// signatureDetails is one signature: indication and sentence, signer, certificate,
// revocation (and the date of the CRL it is "as of"), coverage, changes, time-stamps,
// checks.
func (u *UI) signatureDetails(n int, s *trust.SignatureReport) fyne.CanvasObject {
	ind := string(s.Indication)
	if s.SubIndication != "" {
		ind += " / " + string(s.SubIndication)
	}
	title := boldLabel(u.t("gui.details.signature_n", n, s.ID))
	sentence := wrapLabel(u.msg(s.Summary))
	switch s.Indication {
	case trust.TotalPassed:
		sentence.Importance = widget.SuccessImportance
	case trust.TotalFailed:
		sentence.Importance = widget.DangerImportance
	default:
		sentence.Importance = widget.WarningImportance
	}
	items := []*widget.FormItem{
		widget.NewFormItem(u.t("gui.details.indication"), wrapLabel(ind+" — "+u.t("gui.ind."+string(s.Indication)))),
		widget.NewFormItem(u.t("gui.details.format"), widget.NewLabel(s.Format)),
	}
	add := func(key, val string) {
		if val != "" {
			items = append(items, widget.NewFormItem(u.t(key), wrapLabel(val)))
		}
	}
	if s.Signer != nil {
		sg := s.Signer
		add("gui.disclose.name", sg.Name)
		add("gui.disclose.address", sg.Address)
		if sg.BirthDate != "" {
			add("gui.disclose.birth", sg.BirthDate)
		}
		add("gui.disclose.sex", u.sexName(sg.Sex))
		if sg.Name == "" {
			add("gui.details.subject", sg.Subject)
		}
		if sg.Test {
			add("gui.details.test", u.t("gui.test.cert_note"))
		}
	}
	if s.ClaimedSigningTime != nil {
		add("gui.details.claimed_time", u.fmtTime(*s.ClaimedSigningTime))
	}
	if c := s.SignerClaims; c != nil {
		add("gui.details.claim_reason", c.Reason)
		add("gui.details.claim_location", c.Location)
		add("gui.details.claim_contact", c.ContactInfo)
	}
	if c := s.Certificate; c != nil {
		add("gui.details.cert_kind", u.t("gui.certkind."+string(c.Kind)))
		add("gui.details.generation", c.Generation)
		add("gui.details.cert_valid", u.t("gui.disclose.valid_range", u.fmtDate(c.NotBefore), u.fmtDate(c.NotAfter)))
		add("gui.details.issuer", c.Issuer)
		if an := c.Anchor; an != nil {
			add("gui.details.anchor", u.t("gui.details.anchor_"+string(an.Source), an.Name))
		}
	}
	if rv := s.Revocation; rv != nil {
		add("gui.details.revocation", u.revocationText(rv))
	}
	add("gui.details.coverage", u.t("gui.coverage."+string(s.Coverage)))
	add("gui.details.signed_content", s.SignedContent)
	if s.ChangesAfterSigning.Level != "" {
		add("gui.details.changes", u.t("gui.changes."+string(s.ChangesAfterSigning.Level)))
		for _, ch := range s.ChangesAfterSigning.Objects {
			add("gui.details.changed_object", u.t("gui.details.changed_line", ch.Revision, ch.Object, ch.Change, u.msg(ch.Why)))
		}
	}
	objs := []fyne.CanvasObject{title, sentence, widget.NewForm(items...)}
	if ts := u.timestampsView(s); ts != nil {
		objs = append(objs, ts)
	}
	for _, wmsg := range s.Warnings {
		l := wrapLabel(u.msg(wmsg))
		l.Importance = widget.WarningImportance
		objs = append(objs, container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()), nil, l))
	}
	var checks []fyne.CanvasObject
	for _, c := range s.Checks {
		ic := theme.ConfirmIcon()
		if !c.Passed {
			ic = theme.CancelIcon()
		}
		text := string(c.Name)
		if c.Detail.Key != "" {
			text += ": " + u.msg(c.Detail)
		}
		checks = append(checks, container.NewBorder(nil, nil, widget.NewIcon(ic), nil, wrapLabel(text)))
	}
	if len(checks) > 0 {
		objs = append(objs, widget.NewAccordion(widget.NewAccordionItem(u.t("gui.details.checks"), container.NewVBox(checks...))))
	}
	return container.NewVBox(objs...)
}

// revocationText says what the revocation check found and as of when.
func (u *UI) revocationText(rv *trust.RevocationInfo) string {
	asOf := ""
	if rv.ThisUpdate != nil {
		asOf = u.fmtTime(*rv.ThisUpdate)
	}
	switch rv.Status {
	case trust.RevocationGood:
		return u.t("gui.rev.good", asOf)
	case trust.RevocationRevoked:
		at := ""
		if rv.RevokedAt != nil {
			at = u.fmtTime(*rv.RevokedAt)
		}
		s := u.t("gui.rev.revoked", at, asOf)
		if rv.Reason != "" {
			s += " " + u.msg(trust.Message{Key: trust.MsgRevReasonPrefix + rv.Reason})
		}
		return s
	}
	if rv.StaleSince != nil {
		return u.t("gui.rev.stale", u.fmtTime(*rv.StaleSince))
	}
	return u.t("gui.rev.unknown")
}
