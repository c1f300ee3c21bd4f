package app

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mynasign/mynasign/app/flow"
	"github.com/mynasign/mynasign/app/record"
	"github.com/mynasign/mynasign/trust"
)

// verifyScreen is 検証する: files, folders and zips dropped or chosen, verified in the
// background, one row per document (status, file, signer masked, signing time, reason
// when not TOTAL-PASSED, wrapped), a pane with the selected row's verdict in full and a
// details view per document. The list keeps every file verified since the clerk last
// pressed クリア (also across leaving the screen); each batch adds to it.
type verifyScreen struct {
	u *UI
	// reports are the documents verified so far: those of earlier batches, then those of
	// the running batch as each is done.
	reports []*trust.DocumentReport
	rows    []int // indexes of reports, in display order
	order   int   // orderVerified or orderStatus
	// problemsOnly hides the rows of valid documents.
	problemsOnly bool
	// selected is the report shown in the pane (nil: none).
	selected *trust.DocumentReport
	// heights caches each report's row height (its reason wrapped in the column).
	heights map[*trust.DocumentReport]float32
	// scale is the text size's factor: the columns widen with 文字の大きさ.
	scale float32
	// reasonWidth is the width of the reason column: what the other columns leave of
	// the table, at least its width in columnWidths.
	reasonWidth float32
	// columnShare is the share of their widths in columnWidths the other columns have
	// (reasonFit narrows them when the table is narrow).
	columnShare float32
	running     bool
	cancel      context.CancelFunc

	table    *widget.Table
	progress *widget.ProgressBar
	summary  *textBlock
	pane     *fyne.Container
	tips     *tipLayer
	addBtn   *pushButton
	dirBtn   *pushButton
	saveBtn  *pushButton
	clearBtn *pushButton
	sortSel  *keySelect
	filter   *keyCheck
	screen   *screen
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

// columnWidths are the widths of the table's columns (the reason wraps in its own).
var columnWidths = [colCount]float32{160, 240, 170, 200, 460}

func (u *UI) showVerify(paths []string) { u.startVerify(paths) }

func (u *UI) startVerify(paths []string) *verifyScreen {
	v := &verifyScreen{u: u, reports: u.verified, heights: map[*trust.DocumentReport]float32{},
		scale: theme.TextSize() / theme.DefaultTheme().Size(theme.SizeNameText)}
	v.tips = newTipLayer()
	v.progress = widget.NewProgressBar()
	v.progress.Hide()
	v.summary = wrapLabel(u.t("gui.verify.intro"))
	v.addBtn = newButton(u.t("gui.verify.add_files"), theme.FileIcon(), v.chooseFile)
	v.dirBtn = newButton(u.t("gui.verify.add_folder"), theme.FolderIcon(), v.chooseFolder)
	v.saveBtn = newButton(u.t("gui.verify.save_record"), theme.DocumentSaveIcon(), v.saveRecord)
	v.clearBtn = newButton(u.t("gui.verify.clear"), theme.ContentClearIcon(), v.askClear)
	v.sortSel = newSelect([]string{u.t("gui.verify.order.verified"), u.t("gui.verify.order.status")}, nil)
	v.sortSel.SetSelectedIndex(orderVerified)
	v.sortSel.OnChanged = func(string) { v.setOrder(v.sortSel.SelectedIndex()) }
	v.filter = newCheck(u.t("gui.verify.problems_only"), func(on bool) {
		v.problemsOnly = on
		v.listChanged()
	})
	v.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(v.rows), colCount },
		func() fyne.CanvasObject { return newVerdictCell(v.tips) },
		v.updateCell)
	v.table.ShowHeaderColumn = false
	v.table.CreateHeader = func() fyne.CanvasObject { return boldLabel("") }
	v.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Row < 0 && id.Col >= 0 {
			o.(*widget.Label).SetText(u.t(fmt.Sprintf("gui.verify.col.%d", id.Col)))
		}
	}
	for c, w := range columnWidths {
		v.table.SetColumnWidth(c, w*v.scale)
	}
	v.reasonWidth = columnWidths[colReason] * v.scale
	v.columnShare = 1
	v.table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(v.rows) {
			v.selectReport(v.reports[v.rows[id.Row]])
		}
	}
	v.pane = container.NewVBox()
	v.selectReport(nil)
	split := container.NewVSplit(container.New(reasonFit{v}, v.table), container.NewVScroll(container.NewPadded(v.pane)))
	split.Offset = 0.7
	// Two rows, so that the screen fits 1024 pixels at 150 %.
	listTools := container.NewHBox(widget.NewLabel(u.t("gui.verify.order")), v.sortSel, v.filter, layout.NewSpacer(), v.clearBtn)
	top := container.NewVBox(v.summary, container.NewHBox(v.addBtn, v.dirBtn), listTools, v.progress)
	v.screen = &screen{
		title:   u.t("gui.verify.title"),
		body:    container.NewStack(container.NewBorder(top, nil, nil, nil, split), v.tips),
		actions: []fyne.CanvasObject{v.saveBtn},
		drop:    v.start,
		focus:   v.addBtn,
		leave: func() {
			if !v.details && v.cancel != nil {
				v.cancel() // leaving the screen stops a running batch
			}
		},
	}
	v.listChanged()
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

// selectReport shows r in the pane below the table: its status, file, the whole
// reason, and the way to the details view.
func (v *verifyScreen) selectReport(r *trust.DocumentReport) {
	u := v.u
	v.selected = r
	if r == nil {
		v.pane.Objects = []fyne.CanvasObject{wrapLabel(u.t("gui.verify.pane_empty"))}
		v.pane.Refresh()
		return
	}
	icon, status, imp := u.docStatus(r)
	head := boldText(status + " — " + displayFile(r.File))
	head.Importance = imp
	objs := []fyne.CanvasObject{container.NewBorder(nil, nil, widget.NewIcon(icon), nil, head)}
	if reason := u.rowCells(r)[colReason]; reason != "" {
		objs = append(objs, wrapLabel(reason))
	}
	open := newButton(u.t("gui.verify.details"), theme.InfoIcon(), func() {
		v.details = true
		u.showReportDetails(r, v.back)
	})
	objs = append(objs, container.NewHBox(open))
	v.pane.Objects = objs
	v.pane.Refresh()
	u.relayout()
}

// setOrder changes the order of the list.
func (v *verifyScreen) setOrder(order int) {
	if order < 0 || order == v.order {
		return
	}
	v.order = order
	v.listChanged()
}

// listChanged puts the rows in order (without the valid documents when only problems
// are shown), fits each row's height to its reason, and says how many files of each
// status the list holds.
func (v *verifyScreen) listChanged() {
	v.u.verified = v.reports
	v.rows = v.rows[:0]
	for i, r := range v.reports {
		if !v.problemsOnly || flow.StatusOf(r) != flow.DocPassed {
			v.rows = append(v.rows, i)
		}
	}
	sortRows(v.rows, v.reports, v.order)
	v.fitRows(0)
	v.table.Refresh()
	v.reselect()
	v.clearBtn.Disable()
	v.saveBtn.Disable()
	if len(v.reports) > 0 && !v.running {
		v.clearBtn.Enable()
		v.saveBtn.Enable()
	}
	if v.running {
		return
	}
	if len(v.reports) == 0 {
		v.summary.SetText(v.u.t("gui.verify.intro"))
		return
	}
	var t flow.BatchTotals
	for _, r := range v.reports {
		t.Add(flow.StatusOf(r))
	}
	v.summary.SetText(v.u.tn("gui.verify.totals", t.Files, t.Files, t.Passed, t.Failed, t.Indeterminate, t.Unsigned, t.Errors))
}

// reselect highlights the selected report's row where it is now, or clears the pane
// when the report left the list (cleared, or its file verified again).
func (v *verifyScreen) reselect() {
	if v.selected == nil {
		return
	}
	for row, i := range v.rows {
		if v.reports[i] == v.selected {
			v.table.Select(widget.TableCellID{Row: row, Col: colStatus})
			return
		}
	}
	v.table.UnselectAll()
	v.selectReport(nil)
}

// fitRows sets the height of the rows from the first: as high as their reason wrapped
// in its column.
func (v *verifyScreen) fitRows(first int) {
	for row := first; row < len(v.rows); row++ {
		r := v.reports[v.rows[row]]
		h, ok := v.heights[r]
		if !ok {
			h = widget.NewLabel("").MinSize().Height
			if reason := v.u.rowCells(r)[colReason]; reason != "" {
				b := wrapLabel(reason)
				b.Resize(fyne.NewSize(v.reasonWidth, 1))
				h = max(h, b.MinSize().Height)
			}
			v.heights[r] = h
		}
		v.table.SetRowHeight(row, h)
	}
}

// askClear empties the list, after asking.
func (v *verifyScreen) askClear() {
	if v.running || len(v.reports) == 0 {
		return
	}
	u := v.u
	u.askLose(u.t("gui.verify.clear_title"), u.tn("gui.verify.clear_text", len(v.reports), len(v.reports)),
		u.t("gui.verify.clear_keep"), u.t("gui.verify.clear_do"), v.clear)
}

// clear empties the list.
func (v *verifyScreen) clear() {
	v.reports = nil
	clear(v.heights)
	v.listChanged()
}

// start verifies paths (files, folders, zips) in the background; rows appear as each
// document is done, after the files verified before. A file verified again replaces
// its earlier row when the batch ends.
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
	kept := len(v.reports)
	v.progress.SetValue(0)
	v.progress.Show()
	v.summary.SetText(v.u.t("gui.verify.running"))
	v.addBtn.Disable()
	v.dirBtn.Disable()
	v.saveBtn.Disable()
	v.clearBtn.Disable()
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
					v.reports = append(v.reports, p.Report)
					if !v.problemsOnly || flow.StatusOf(p.Report) != flow.DocPassed {
						v.rows = append(v.rows, len(v.reports)-1)
						v.fitRows(len(v.rows) - 1)
					}
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
				v.reports = v.reports[:kept]
				v.listChanged()
				if ctx.Err() == nil {
					v.summary.SetText(v.u.t("gui.verify.failed", err.Error()))
				}
				return
			}
			v.reports = replaceVerified(v.reports[:kept], res.Reports)
			v.listChanged()
		})
	})
}

// replaceVerified is the list of earlier reports without the files verified again,
// then the new reports.
func replaceVerified(earlier, batch []*trust.DocumentReport) []*trust.DocumentReport {
	again := map[string]bool{}
	for _, r := range batch {
		again[r.File] = true
	}
	out := make([]*trust.DocumentReport, 0, len(earlier)+len(batch))
	for _, r := range earlier {
		if !again[r.File] {
			out = append(out, r)
		}
	}
	return append(out, batch...)
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
	if id.Row >= len(v.rows) {
		return
	}
	c := o.(*verdictCell)
	r := v.reports[v.rows[id.Row]]
	text := v.u.rowCells(r)[id.Col]
	switch id.Col {
	case colStatus:
		res, _, imp := v.u.docStatus(r)
		c.set(res, text, false, imp, true)
	case colReason:
		c.set(nil, text, true, widget.MediumImportance, false)
	default:
		c.set(nil, text, false, widget.MediumImportance, false)
	}
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
	v.u.openFileDialog(dirVerify, nil, func(p string) { v.start([]string{p}) })
}

func (v *verifyScreen) chooseFolder() {
	v.u.openFolderDialog(dirVerify, "", func(p string) { v.start([]string{p}) })
}

// saveRecord writes the printable verification records (PDF and HTML) of the files in
// the list into a folder the user picks; personal data is left out of them.
func (v *verifyScreen) saveRecord() {
	if v.running || len(v.reports) == 0 {
		return
	}
	reports := v.reports
	v.u.openFolderDialog(dirRecords, v.u.t("gui.common.save_here"), func(dir string) {
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
	})
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
		// Each row in words; the values as the registry's table and the file write
		// them are under 詳細.
		var tech []fyne.CanvasObject
		for _, row := range s.Rows {
			ic := theme.ConfirmIcon()
			if !row.Passed {
				ic = theme.CancelIcon()
			}
			text := u.confItem(row.Key)
			if d := u.msg(row.Detail); d != "" {
				text = u.t("gui.conf.item_line", text, d)
			}
			l := wrapLabel(text)
			if !row.Passed {
				l.Importance = widget.DangerImportance
			}
			objs = append(objs, container.NewBorder(nil, nil, widget.NewIcon(ic), nil, l))
			tech = append(tech, wrapLabel(u.t("gui.conf.row", row.Key, row.Want, row.Got)))
		}
		if len(tech) > 0 {
			objs = append(objs, widget.NewAccordion(widget.NewAccordionItem(u.t("gui.details.technical"), container.NewVBox(tech...))))
		}
	}
	return objs
}

// confItem is the name of a row of the registry's table in words (its key where there
// is none).
func (u *UI) confItem(key string) string {
	if k := "gui.conf.item." + key; u.l.Has(k) {
		return u.t(k)
	}
	return key
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
			add("gui.disclose.birth", u.msgArg(sg.BirthDate))
		}
		add("gui.disclose.sex", u.sexName(sg.Sex))
		if sg.Name == "" {
			add("gui.details.subject", dnName(sg.Subject))
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
		add("gui.details.issuer", dnName(c.Issuer))
		if an := c.Anchor; an != nil {
			add("gui.details.anchor", u.t("gui.details.anchor_"+string(an.Source), an.Name))
		}
	}
	if rv := s.Revocation; rv != nil {
		add("gui.details.revocation", u.revocationText(rv))
	}
	add("gui.details.coverage", u.t("gui.coverage."+string(s.Coverage)))
	// The technical detail (names as the file has them, object numbers, certificate
	// names) is folded under 詳細; the form says it in words.
	var tech []*widget.FormItem
	addTech := func(key, val string) {
		if val != "" {
			tech = append(tech, widget.NewFormItem(u.t(key), wrapLabel(val)))
		}
	}
	addTech("gui.details.signature_id", s.ID)
	if s.Signer != nil {
		addTech("gui.details.subject", s.Signer.Subject)
	}
	if c := s.Certificate; c != nil {
		addTech("gui.details.issuer", c.Issuer)
	}
	addTech("gui.details.signed_content", s.SignedContent)
	if s.ChangesAfterSigning.Level != "" {
		add("gui.details.changes", u.t("gui.changes."+string(s.ChangesAfterSigning.Level)))
		for _, ch := range s.ChangesAfterSigning.Objects {
			add("gui.details.changed_object", u.msg(ch.Why))
			addTech("gui.details.changed_object", u.t("gui.details.changed_line", ch.Revision, ch.Object, ch.Change, u.msg(ch.Why)))
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
		text := u.checkName(c.Name)
		if c.Detail.Key != "" {
			text += ": " + u.msg(c.Detail)
		}
		checks = append(checks, container.NewBorder(nil, nil, widget.NewIcon(ic), nil, wrapLabel(text)))
	}
	acc := widget.NewAccordion()
	if len(checks) > 0 {
		acc.Append(widget.NewAccordionItem(u.t("gui.details.checks"), container.NewVBox(checks...)))
	}
	if len(tech) > 0 {
		acc.Append(widget.NewAccordionItem(u.t("gui.details.technical"), widget.NewForm(tech...)))
	}
	if len(acc.Items) > 0 {
		acc.MultiOpen = true
		objs = append(objs, acc)
	}
	return container.NewVBox(objs...)
}

// checkName is the name of a check in words (the vocabulary of the records), or its
// identifier where there is none.
func (u *UI) checkName(n trust.CheckName) string {
	if k := "record.check." + string(n); u.l.Has(k) {
		return u.t(k)
	}
	return string(n)
}

// dnName is the name a person reads in a distinguished name: its common name, else its
// first (most specific) value; the whole name when it has no parts.
func dnName(dn string) string {
	var parts []string
	start, esc := 0, false
	for i, r := range dn {
		switch {
		case esc:
			esc = false
		case r == '\\':
			esc = true
		case r == ',' || r == '+':
			parts = append(parts, dn[start:i])
			start = i + 1
		}
	}
	parts = append(parts, dn[start:])
	unescape := func(v string) string {
		return strings.NewReplacer(`\,`, ",", `\+`, "+", `\"`, `"`, `\\`, `\`, `\;`, ";", `\<`, "<", `\>`, ">", `\=`, "=").Replace(v)
	}
	first := ""
	for _, p := range parts {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok {
			return dn
		}
		if strings.EqualFold(k, "CN") {
			return unescape(v)
		}
		if first == "" {
			first = unescape(v)
		}
	}
	if first == "" {
		return dn
	}
	return first
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
