package app

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/sirupsen/logrus"

	"github.com/mynasign/mynasign/app/flow"
	"github.com/mynasign/mynasign/card"
	"github.com/mynasign/mynasign/internal/tempfile"
	"github.com/mynasign/mynasign/pdf"
	"github.com/mynasign/mynasign/trust"
)

// The steps of the signing wizard, in order.
const (
	stepFiles = iota
	stepProfile
	stepCard
	stepPIN
	stepDisclose
	stepSigning
	stepSave
	stepResult
	stepCount
)

// signWizard is 署名する: file(s) → profile and options → card → signature password →
// what the certificate discloses → signing → save → the self-verification result.
//
// Nothing is written where the user can see it before the save step: the signatures are
// made into a private temporary folder (each one self-verified by its profile), and
// only the save step copies them next to the inputs (through a temporary file in the
// target folder, renamed into place) and verifies the saved file again. Cancel, at any
// step, closes the card session and removes the temporary folder; past the password it
// asks first, since the checked password or the signed files not saved would be lost
// (a file that cannot be saved stays for another try).
type signWizard struct {
	u    *UI
	step int

	files   []signInput
	profile flow.SignProfile
	opts    flow.SignOptions

	reader string
	// card is the open card: the flow's signing steps (tries, one VERIFY, certificate,
	// signing) on the session the wizard opened.
	card *flow.SigningCard
	cert *x509.Certificate

	ctx    context.Context
	cancel context.CancelFunc
	tmpDir string
	outs   []signOutput

	unwatch func()
	ended   bool
	// switching is set while the wizard replaces one of its screens by the next.
	switching bool

	// Widgets kept for the steps' logic (and for the tests, which drive them).
	fileList   *fyne.Container
	addFileBtn *pushButton
	addDirBtn  *pushButton
	nextBtn    *pushButton
	cancelBtn  *pushButton
	profileRad *widget.RadioGroup
	level      *levelChoice
	visibleChk *keyCheck
	pageEntry  *keyEntry
	posSelect  *keySelect
	preview    *signPreview
	// placed is the visible signature's box where the user tapped the preview (points
	// as the page is shown: x, y from its lower left, w, h), placedBox that page's box;
	// kept across the steps like the other choices.
	placed      *[4]float64
	placedBox   pdf.PageBox
	reasonEntry *keyEntry
	readerRad   *widget.RadioGroup
	cardInfo    *fyne.Container
	pin         *pinPrompt
	signBtn     *pushButton
	progress    *widget.ProgressBar
	progressMsg *textBlock
	saveDir     *keyEntry
	saveNames   []*keyEntry
	saveBtn     *pushButton
	saveMsg     *textBlock
	resultRows  []*resultRow
	errorView   fyne.CanvasObject
}

// signInput is one file (or e-Gov folder) to sign and the profiles that accept it.
type signInput struct {
	path     string
	kind     string // "pdf", "xml", "egov", or "" when no profile accepts it
	profiles []flow.SignProfile
}

// signOutput is one signed result waiting in the temporary folder, then saved.
type signOutput struct {
	input   string
	tmp     string // the signed file in the temporary folder ("" when signing failed)
	err     error  // why signing failed
	dest    string // where it was saved
	report  *trust.DocumentReport
	saveErr error
	// checkErr is why the saved file could not be verified again (it is saved).
	checkErr error
}

// visiblePositions are the corners offered for a visible signature (of the page as shown:
// the PDF package places the box against the page's own size and rotation).
var visiblePositions = []pdf.Corner{pdf.BottomRight, pdf.BottomLeft, pdf.TopRight, pdf.TopLeft}

// visibleW and visibleH are the size of a visible signature, in points as shown.
const visibleW, visibleH = 200, 60

func (u *UI) showSignWizard() { u.startSignWizard(nil) }

// startSignWizard opens the wizard, optionally with files already chosen (dropped).
func (u *UI) startSignWizard(paths []string) *signWizard {
	w := &signWizard{u: u}
	w.ctx, w.cancel = context.WithCancel(context.Background())
	w.unwatch = u.watch.subscribe(w.cardsChanged)
	w.addFiles(paths)
	w.showFiles()
	return w
}

// stepTitle is the screen title: the wizard's name and the step.
func (w *signWizard) stepTitle() string {
	return w.u.t("gui.sign.title_step", w.step+1, stepCount, w.u.t(fmt.Sprintf("gui.sign.step.%d", w.step)))
}

// show puts a step on screen with the wizard's common buttons: キャンセル, then the
// step's actions. primary is the step's main action (Enter), focus the control focused
// first (nil: キャンセル).
func (w *signWizard) show(body fyne.CanvasObject, focus fyne.Focusable, primary *pushButton, actions ...fyne.CanvasObject) {
	w.cancelBtn = newButton(w.u.t("gui.common.cancel"), theme.CancelIcon(), w.cancelWizard)
	all := append([]fyne.CanvasObject{w.cancelBtn}, actions...)
	if focus == nil {
		focus = w.cancelBtn
	}
	w.switching = true
	defer func() { w.switching = false }()
	w.u.show(&screen{
		title:   w.stepTitle(),
		body:    container.NewVScroll(container.NewPadded(body)),
		actions: all,
		cancel:  w.back,
		home:    w.cancelWizard,
		primary: primary,
		leave:   w.leave,
		drop:    w.dropped,
		focus:   focus,
	})
}

// leave runs when the wizard's screen is replaced by another screen of the wizard or
// by something else (the test card stopped from the banner, say); only the latter ends
// the wizard, as キャンセル would.
func (w *signWizard) leave() {
	if !w.switching {
		w.end()
	}
}

// cancelWizard is キャンセル (and ホーム): stop whatever runs, close the card session,
// remove the temporary folder, go home. Nothing was written where the user can see it.
// When that would throw away work (signed files not saved, a checked password), it
// asks first.
func (w *signWizard) cancelWizard() {
	w.unlessKept(func() {
		w.end()
		w.u.showHome()
	})
}

// back is one step back (Escape, the menu's 戻る): to the previous step, or home from
// the first one. Past the password the way back loses work, and it asks first: from
// the disclosure it goes back to the card step (the password is asked again), from
// signing and saving it ends the wizard.
func (w *signWizard) back() {
	switch w.step {
	case stepProfile:
		w.keepChoices()
		w.showFiles()
	case stepCard:
		w.showProfile()
	case stepPIN:
		w.showCard()
	case stepDisclose:
		w.unlessKept(w.showCard)
	default:
		w.cancelWizard()
	}
}

// unlessKept runs lose at once when nothing would be lost by it, else after the user
// chose to lose it; choosing to keep it stays on the step as it is.
func (w *signWizard) unlessKept(lose func()) {
	key := w.atStake()
	if key == "" {
		lose()
		return
	}
	u, step := w.u, w.step
	u.askLose(u.t(key+"title"), u.t(key+"text"), u.t(key+"keep"), u.t(key+"lose"), func() {
		if w.ended || w.step != step {
			return // the wizard moved on or ended meanwhile (the card was taken out)
		}
		lose()
	})
}

// atStake is the message key prefix (of _title, _text, _keep, _lose) of what leaving
// the current step would throw away ("" when nothing): signed files not saved yet, or
// the checked password (a real card asks for it again, and each try counts).
func (w *signWizard) atStake() string {
	if w.ended {
		return ""
	}
	switch w.step {
	case stepDisclose, stepSigning:
		return "gui.sign.lose_password_"
	case stepSave:
		for _, o := range w.outs {
			if o.tmp != "" && o.dest == "" {
				return "gui.sign.lose_signed_"
			}
		}
	}
	return ""
}

// end releases everything the wizard holds. It is safe to call more than once.
func (w *signWizard) end() {
	if w.ended {
		return
	}
	w.ended = true
	w.cancel()
	if w.unwatch != nil {
		w.unwatch()
	}
	w.closeCard()
	if w.tmpDir != "" {
		if err := tempfile.Remove(w.tmpDir); err != nil {
			logrus.WithError(err).Warn("removing the signing work folder")
		}
		w.tmpDir = ""
	}
}

// closeCard forgets the verified password on the card (re-select) and closes the
// session.
func (w *signWizard) closeCard() {
	if w.card == nil {
		return
	}
	sc := w.card
	w.card = nil
	_ = sc.Close()
}

func (w *signWizard) dropped(paths []string) {
	if w.step == stepFiles {
		w.addFiles(paths)
		w.refreshFiles()
	}
}

// ---- step 1: files ----

// addFiles adds files (or e-Gov folders), finding the profiles that accept each.
func (w *signWizard) addFiles(paths []string) {
	for _, p := range paths {
		dup := false
		for _, f := range w.files {
			if f.path == p {
				dup = true
			}
		}
		if dup {
			continue
		}
		in := signInput{path: p}
		head, err := flow.ReadHead(p)
		if err == nil {
			for _, prof := range flow.SignProfiles() {
				if prof.Accepts(p, head) {
					in.profiles = append(in.profiles, prof)
					if in.kind == "" {
						in.kind = prof.Kind
					}
				}
			}
		}
		w.files = append(w.files, in)
	}
}

func (w *signWizard) showFiles() {
	w.step = stepFiles
	w.fileList = container.NewVBox()
	w.addFileBtn = newButton(w.u.t("gui.sign.add_file"), theme.FileIcon(), w.chooseFile)
	w.addDirBtn = newButton(w.u.t("gui.sign.add_folder"), theme.FolderIcon(), w.chooseFolder)
	w.nextBtn = newButton(w.u.t("gui.common.next"), theme.NavigateNextIcon(), w.showProfile)
	w.nextBtn.Importance = widget.HighImportance
	w.refreshFiles()
	body := container.NewVBox(
		wrapLabel(w.u.t("gui.sign.files_intro")),
		container.NewHBox(w.addFileBtn, w.addDirBtn),
		w.fileList,
	)
	// The focus starts on 次へ when the files are there already (dropped), for Enter.
	var focus fyne.Focusable = w.addFileBtn
	if !w.nextBtn.Disabled() {
		focus = w.nextBtn
	}
	w.show(body, focus, w.nextBtn, w.nextBtn)
}

// kindName is the translated name of a document kind.
func (u *UI) kindName(kind string) string {
	if kind == "" {
		return u.t("gui.sign.kind_unsupported")
	}
	return u.t("gui.dockind." + kind)
}

func (w *signWizard) refreshFiles() {
	if w.fileList == nil {
		return
	}
	var rows []fyne.CanvasObject
	for i := range w.files {
		f := w.files[i]
		kind := w.u.kindName(f.kind)
		lbl := widget.NewLabel(w.u.t("gui.sign.file_line", filepath.Base(f.path), kind))
		if f.kind == "" {
			lbl.Importance = widget.DangerImportance
		}
		rm := newButton(w.u.t("gui.sign.remove_file"), theme.DeleteIcon(), func() {
			w.files = append(w.files[:i:i], w.files[i+1:]...)
			w.refreshFiles()
		})
		rm.Importance = widget.LowImportance
		rows = append(rows, container.NewBorder(nil, nil, widget.NewIcon(theme.FileIcon()), rm, lbl))
	}
	problem := w.filesProblem()
	if len(w.files) == 0 {
		rows = append(rows, wrapLabel(w.u.t("gui.sign.no_files")))
	} else if problem != "" {
		l := wrapLabel(w.u.t(problem))
		l.Importance = widget.DangerImportance
		rows = append(rows, l)
	}
	w.fileList.Objects = rows
	w.fileList.Refresh()
	w.u.relayout()
	if w.nextBtn != nil {
		if problem == "" && len(w.files) > 0 {
			w.nextBtn.Enable()
		} else {
			w.nextBtn.Disable()
		}
	}
}

// filesProblem is the message key of what keeps the chosen files from being signed
// together ("" when nothing does).
func (w *signWizard) filesProblem() string {
	if len(w.files) == 0 {
		return "gui.sign.no_files"
	}
	for _, f := range w.files {
		if f.kind == "" {
			return "gui.sign.unsupported_file"
		}
	}
	if len(w.commonProfiles()) == 0 {
		return "gui.sign.mixed_kinds"
	}
	return ""
}

// commonProfiles are the profiles that accept every chosen file, in a stable order.
func (w *signWizard) commonProfiles() []flow.SignProfile {
	if len(w.files) == 0 {
		return nil
	}
	count := map[string]int{}
	byName := map[string]flow.SignProfile{}
	for _, f := range w.files {
		for _, p := range f.profiles {
			count[p.Name]++
			byName[p.Name] = p
		}
	}
	var out []flow.SignProfile
	for n, c := range count {
		if c == len(w.files) {
			out = append(out, byName[n])
		}
	}
	sort.Slice(out, func(i, j int) bool { return profileOrder(out[i].Name) < profileOrder(out[j].Name) })
	return out
}

// profileOrder puts the general profiles first.
func profileOrder(name string) string {
	switch name {
	case "pades":
		return "0"
	case "registry":
		return "1"
	case "xades":
		return "2"
	case "egov":
		return "3"
	}
	return "9" + name
}

func (w *signWizard) chooseFile() {
	w.u.openFileDialog(dirSign, []string{".pdf", ".PDF", ".xml", ".XML", ".zip", ".ZIP"}, func(path string) {
		w.addFiles([]string{path})
		w.refreshFiles()
	})
}

func (w *signWizard) chooseFolder() {
	w.u.openFolderDialog(dirSign, "", func(path string) {
		w.addFiles([]string{path})
		w.refreshFiles()
	})
}

// ---- step 2: profile and options ----

func (w *signWizard) showProfile() {
	if w.filesProblem() != "" {
		return
	}
	w.step = stepProfile
	profs := w.commonProfiles()
	// The options are the profiles' names, and the chosen one's description wraps
	// below them: a radio option does not wrap, and with the descriptions in them the
	// options were wider than a 1024-pixel window at 150 %.
	labels := make([]string, len(profs))
	for i, p := range profs {
		labels[i] = w.u.t("gui.profile." + p.Name)
	}
	help := wrapLabel("")
	w.profileRad = widget.NewRadioGroup(labels, nil)
	w.profileRad.Required = true
	sel := 0
	for i, p := range profs {
		if p.Name == w.profile.Name {
			sel = i
		}
	}
	w.profileRad.SetSelected(labels[sel])
	// 長期保存 (B-LT) and タイムスタンプ (B-T): only for the general profiles (PAdES, XAdES).
	w.level = w.u.newLevelChoice(w.opts)
	levelAllowed := func(label string) {
		ok := false
		help.SetText("")
		for i, l := range labels {
			if l == label {
				ok = profs[i].Name == "pades" || profs[i].Name == "xades"
				help.SetText(w.u.t("gui.profile_help." + profs[i].Name))
			}
		}
		w.level.allow(ok)
	}
	w.profileRad.OnChanged = levelAllowed
	levelAllowed(labels[sel])

	pdfOpts, pageProblem := w.pdfOptions()
	isPDF := w.files[0].kind == "pdf"
	if !isPDF {
		pdfOpts.Hide()
	} else {
		w.preview.refresh()
	}
	var next *pushButton
	next = newButton(w.u.t("gui.common.next"), theme.NavigateNextIcon(), func() {
		idx := -1
		for i, l := range labels {
			if l == w.profileRad.Selected {
				idx = i
			}
		}
		if idx < 0 {
			return
		}
		w.profile = profs[idx]
		w.opts = flow.SignOptions{}
		if !w.level.apply(&w.opts) {
			return // a time-stamp without a usable address: said next to the field
		}
		if !isPDF {
			w.showCard()
			return
		}
		w.opts.Reason = strings.TrimSpace(w.reasonEntry.Text)
		if !w.visibleChk.Checked {
			w.showCard()
			return
		}
		page, err := strconv.Atoi(strings.TrimSpace(w.pageEntry.Text))
		if err != nil || page < 1 {
			pageProblem.SetText(w.u.t("gui.sign.page_invalid"))
			pageProblem.Show()
			return
		}
		if w.posSelect.SelectedIndex() == posChosen && w.placed == nil {
			pageProblem.SetText(w.u.t("gui.sign.tap_to_place"))
			pageProblem.Show()
			return
		}
		w.opts.Visible = w.visibleChoice(page)
		// The page must exist in every file, and the box fit on it: checked against the
		// files before the card is used.
		next.Disable()
		prof, opts, paths := w.profile, w.opts, w.paths()
		w.u.goWork(func() {
			err := flow.CheckOptions(prof, paths, opts)
			doUI(func() {
				if w.ended || w.nextBtn != next {
					return // the screen was left meanwhile
				}
				next.Enable()
				if err != nil {
					pageProblem.SetText(w.u.optionsProblem(err))
					pageProblem.Show()
					return
				}
				w.showCard()
			})
		})
	})
	w.nextBtn = next
	w.nextBtn.Importance = widget.HighImportance
	// Enter in a field is the step's main action, as elsewhere on the screen.
	w.pageEntry.OnSubmitted = func(string) { next.press() }
	w.reasonEntry.OnSubmitted = func(string) { next.press() }
	w.level.tsa.OnSubmitted = func(string) { next.press() }
	back := newButton(w.u.t("gui.common.back"), theme.NavigateBackIcon(), func() {
		w.keepChoices()
		w.showFiles()
	})
	body := container.NewVBox(
		boldLabel(w.u.t("gui.sign.profile")),
		w.profileRad,
		help,
		w.level.view(),
		widget.NewSeparator(),
		pdfOpts)
	w.show(body, w.nextBtn, w.nextBtn, back, w.nextBtn)
}

// pdfOptions builds the PDF choices of the profile step: the visible signature (page,
// position, the preview) and the reason, as chosen before. problem is the line that
// says what is wrong with them.
func (w *signWizard) pdfOptions() (view fyne.CanvasObject, problem *textBlock) {
	w.visibleChk = newCheck(w.u.t("gui.sign.visible"), nil)
	w.pageEntry = newEntry()
	w.pageEntry.SetText(strconv.Itoa(1)) // a page number, not text
	posLabels := make([]string, len(visiblePositions), len(visiblePositions)+1)
	for i, p := range visiblePositions {
		posLabels[i] = w.u.t("gui.sign.pos." + string(p))
	}
	posLabels = append(posLabels, w.u.t("gui.sign.pos.chosen"))
	w.posSelect = newSelect(posLabels, nil)
	w.posSelect.SetSelectedIndex(0)
	// The choices made before (back from a later step) are shown again.
	if v := w.opts.Visible; v != nil {
		w.pageEntry.SetText(strconv.Itoa(v.Page))
		for i, c := range visiblePositions {
			if c == v.Corner {
				w.posSelect.SetSelectedIndex(i)
			}
		}
		if v.Corner == "" && w.placed != nil {
			w.posSelect.SetSelectedIndex(posChosen)
		}
	}
	w.reasonEntry = newEntry()
	w.reasonEntry.SetPlaceHolder(w.u.t("gui.sign.reason_placeholder"))
	w.reasonEntry.SetText(w.opts.Reason)
	pageProblem := wrapLabel("")
	pageProblem.Importance = widget.DangerImportance
	pageProblem.Hide()
	w.preview = w.newSignPreview()
	w.pageEntry.OnChanged = func(string) { w.preview.refresh() }
	w.posSelect.OnChanged = func(string) {
		if w.posSelect.SelectedIndex() == posChosen && w.placed == nil {
			pageProblem.SetText(w.u.t("gui.sign.tap_to_place"))
			pageProblem.Show()
		}
		w.preview.drawBox()
	}
	placeForm := widget.NewForm(
		widget.NewFormItem(w.u.t("gui.sign.page"), w.pageEntry),
		widget.NewFormItem(w.u.t("gui.sign.position"), w.posSelect))
	visibleOpts := container.NewVBox(
		placeForm,
		wrapLabel(w.u.t("gui.sign.tap_hint")),
		pageProblem)
	setVisible := func(on bool) {
		if on {
			w.pageEntry.Enable()
			w.posSelect.Enable()
		} else {
			w.pageEntry.Disable()
			w.posSelect.Disable()
		}
		placeForm.Refresh() // its labels follow their fields' state
		w.preview.drawBox()
	}
	w.visibleChk.OnChanged = setVisible
	w.visibleChk.SetChecked(w.opts.Visible != nil)
	setVisible(w.opts.Visible != nil)

	options := container.NewVBox(
		boldLabel(w.u.t("gui.sign.pdf_options")),
		w.visibleChk, visibleOpts,
		widget.NewForm(widget.NewFormItem(w.u.t("gui.sign.reason"), w.reasonEntry)))
	return container.NewBorder(nil, nil, nil, w.preview.content(), options), pageProblem
}

// optionsProblem says why the chosen visible signature does not suit a file: the page
// is not in it, or the box does not fit on that page (or lies outside it).
func (u *UI) optionsProblem(err error) string {
	name := ""
	var oe *flow.OptionsError
	if errors.As(err, &oe) {
		name = filepath.Base(oe.Input)
	}
	var pe *pdf.PageError
	var ple *pdf.PlacementError
	var rce *pdf.RectError
	switch {
	case errors.As(err, &pe):
		return u.t("gui.sign.page_out_of_range", name, pe.Pages, pe.Page)
	case errors.As(err, &ple):
		return u.t("gui.sign.box_too_big", name, ple.Page)
	case errors.As(err, &rce) && rce.Empty:
		return u.t("gui.sign.rect_empty")
	case errors.As(err, &rce):
		return u.t("gui.sign.rect_outside", name, rce.Page)
	}
	return u.t("gui.sign.options_error", name, err.Error())
}

// ---- step 3: reader and card ----

func (w *signWizard) showCard() {
	w.step = stepCard
	w.closeCard()
	w.readerRad = widget.NewRadioGroup(nil, nil)
	w.readerRad.Required = true
	w.cardInfo = container.NewVBox()
	w.nextBtn = newButton(w.u.t("gui.common.next"), theme.NavigateNextIcon(), w.openCard)
	w.nextBtn.Importance = widget.HighImportance
	back := newButton(w.u.t("gui.common.back"), theme.NavigateBackIcon(), w.showProfile)
	w.refreshReaders(w.u.watch.snapshot())
	body := container.NewVBox(
		wrapLabel(w.u.t("gui.sign.card_intro")),
		w.readerRad,
		w.cardInfo)
	w.show(body, w.nextBtn, w.nextBtn, back, w.nextBtn)
}

// readerChoices are the readers offered: those holding a My Number Card.
func (w *signWizard) refreshReaders(r Readers) {
	if w.readerRad == nil {
		return
	}
	var names []string
	for _, rd := range r.usable() {
		names = append(names, w.u.readerName(rd))
	}
	prev := w.readerRad.Selected
	w.readerRad.Options = names
	w.readerRad.Selected = ""
	for _, n := range names {
		if n == prev {
			w.readerRad.Selected = n
		}
	}
	if w.readerRad.Selected == "" && len(names) == 1 {
		w.readerRad.Selected = names[0]
	}
	w.readerRad.Refresh()
	// Say why there is nothing to choose, or what the other cards are.
	var info []fyne.CanvasObject
	switch {
	case !r.Known:
		info = append(info, wrapLabel(w.u.t("gui.status.looking")))
	case r.Err != nil:
		info = append(info, noticeView(theme.ErrorIcon(), colorNameBad, w.u.t("gui.status.no_service"), w.u.serviceHelp()))
	case len(r.Readers) == 0:
		info = append(info, noticeView(theme.WarningIcon(), colorNameWarn, w.u.t("gui.status.no_reader"), w.u.t("gui.sign.no_reader_help")))
	default:
		for _, rd := range r.Readers {
			if rd.Present && rd.Kind == card.KindMyNumberCard {
				continue
			}
			text, icon, col := w.u.cardState(rd)
			info = append(info, statusLine(icon, w.u.t("gui.status.reader_line", w.u.readerName(rd), text), col))
		}
		if len(names) == 0 {
			info = append(info, wrapLabel(w.u.t("gui.sign.insert_card")))
		}
	}
	w.cardInfo.Objects = info
	w.cardInfo.Refresh()
	w.u.relayout()
	if w.nextBtn != nil && w.step == stepCard {
		if w.readerRad.Selected != "" {
			w.nextBtn.Enable()
		} else {
			w.nextBtn.Disable()
		}
	}
}

// selectedReader maps the chosen (displayed) name back to the reader.
func (w *signWizard) selectedReader() string {
	for _, rd := range w.u.watch.snapshot().usable() {
		if w.u.readerName(rd) == w.readerRad.Selected {
			return rd.Name
		}
	}
	return ""
}

// cardsChanged follows the card watch: the reader list on the card step, and a card
// taken out while the wizard needs it (card, password, disclosure and signing steps).
func (w *signWizard) cardsChanged(r Readers) {
	if w.ended {
		return
	}
	switch w.step {
	case stepCard:
		w.refreshReaders(r)
	case stepPIN, stepDisclose, stepSigning:
		if w.reader == "" {
			return
		}
		for _, rd := range r.Readers {
			if rd.Name == w.reader && rd.Present {
				return
			}
		}
		w.cancel() // a running signature stops at once
		w.fail(card.ErrCardRemoved)
	}
}

// openCard opens the chosen card and reads the password's tries left (spending none).
func (w *signWizard) openCard() {
	reader := w.selectedReader()
	if reader == "" {
		return
	}
	w.reader = reader
	w.nextBtn.Disable()
	busy := widget.NewProgressBarInfinite()
	w.cardInfo.Objects = []fyne.CanvasObject{wrapLabel(w.u.t("gui.sign.reading_card")), busy}
	w.cardInfo.Refresh()
	w.u.relayout()
	src := w.u.cards
	w.u.goWork(func() {
		var sc *flow.SigningCard
		var st card.PINStatus
		sess, err := src.Open(reader)
		if err == nil {
			sc, err = flow.NewSigningCard(sess, src.Test()) // closes a card it refuses
		}
		if err == nil {
			if st, err = sc.PINStatus(); err != nil {
				sc.Close()
				sc = nil
			}
		}
		doUI(func() {
			busy.Stop()
			if w.ended {
				if sc != nil {
					sc.Close()
				}
				return
			}
			if err != nil {
				w.fail(err)
				return
			}
			w.card = sc
			w.showPIN(st)
		})
	})
}

// ---- step 4: signature password ----

func (w *signWizard) showPIN(st card.PINStatus) {
	w.step = stepPIN
	w.pin = w.u.newPINPrompt(w.reader, card.SignPassword, st, w.card.Verify, w.readCertificate, w.fail)
	body := container.NewVBox(w.pin.view)
	if !w.pin.blocked {
		body = container.NewVBox(wrapLabel(w.u.t("gui.sign.pin_intro")), w.pin.view)
	}
	var actions []fyne.CanvasObject
	back := newButton(w.u.t("gui.common.back"), theme.NavigateBackIcon(), w.showCard)
	actions = append(actions, back)
	submit := w.pin.submitInBar()
	if submit != nil {
		actions = append(actions, submit)
	}
	w.show(body, w.pin.focusable(), submit, actions...)
}

// readCertificate reads the signature certificate (readable once the password is
// verified) and the CA certificate to embed.
func (w *signWizard) readCertificate() {
	sc := w.card
	w.u.goWork(func() {
		cert, _, err := sc.Certificate()
		doUI(func() {
			if w.ended {
				return
			}
			if err != nil {
				w.fail(err)
				return
			}
			w.cert = cert
			w.showDisclose()
		})
	})
}

// ---- step 5: what the certificate discloses ----

func (w *signWizard) showDisclose() {
	w.step = stepDisclose
	view := w.u.disclosureView(w.cert, w.u.testCard != nil)
	w.signBtn = newButton(w.u.t("gui.sign.confirm_sign", len(w.files)), theme.DocumentCreateIcon(), w.startSigning)
	w.signBtn.Importance = widget.HighImportance
	body := container.NewVBox(wrapLabel(w.u.t("gui.sign.disclose_intro")), view)
	w.show(body, w.signBtn, w.signBtn, w.signBtn)
}

// disclosureView lists what a signature certificate tells whoever receives a signed
// document: name, address, birth date, sex, and the certificate's validity.
func (u *UI) disclosureView(cert *x509.Certificate, test bool) fyne.CanvasObject {
	prof := trust.ParseJPKIProfile(cert)
	items := []*widget.FormItem{}
	add := func(key, value string) {
		if value == "" {
			value = u.t("gui.disclose.absent")
		}
		l := wrapLabel(value)
		items = append(items, widget.NewFormItem(u.t(key), l))
	}
	pd := prof.Personal
	if pd == nil {
		pd = &trust.PersonalData{}
	}
	add("gui.disclose.name", pd.Name)
	add("gui.disclose.address", pd.Address)
	add("gui.disclose.birth", u.birthDate(pd))
	add("gui.disclose.sex", u.sexName(pd.Sex))
	add("gui.disclose.valid", u.t("gui.disclose.valid_range", u.fmtDate(cert.NotBefore), u.fmtDate(cert.NotAfter)))
	objs := []fyne.CanvasObject{widget.NewForm(items...)}
	if len(pd.NameSubstituted) > 0 || len(pd.AddressSubstituted) > 0 {
		objs = append(objs, wrapLabel(u.t("gui.disclose.substituted")))
	}
	if test || prof.Test {
		objs = append(objs, noticeView(theme.WarningIcon(), colorNameTest, u.t("gui.test.mark"), u.t("gui.test.cert_note")))
	}
	return container.NewVBox(objs...)
}

// birthDate formats a birth date from the certificate: the Gregorian date and the era.
func (u *UI) birthDate(pd *trust.PersonalData) string {
	if pd.BirthDate == "" {
		return ""
	}
	s := u.msgArg(pd.BirthDate) // 1990年1月15日, as every date of the app
	if pd.BirthEra != "" && pd.BirthEra != "unknown" && pd.BirthEraYear > 0 {
		s = u.t("gui.disclose.birth_era", s, u.t("gui.era."+pd.BirthEra), pd.BirthEraYear)
	}
	return s
}

// sexName translates "male", "female", "unknown".
func (u *UI) sexName(s string) string {
	if s == "" {
		return ""
	}
	return u.t("gui.sex." + s)
}

// ---- step 6: signing ----

func (w *signWizard) startSigning() {
	w.step = stepSigning
	w.progress = widget.NewProgressBar()
	w.progressMsg = wrapLabel(w.u.t("gui.sign.signing_wait"))
	busy := widget.NewProgressBarInfinite()
	body := container.NewVBox(w.progressMsg, busy, w.progress)
	w.show(body, nil, nil)

	// Registered with package tempfile: a termination signal removes it too.
	dir, err := tempfile.MkdirSystemTemp("mynasign-sign")
	if err != nil {
		w.fail(err)
		return
	}
	w.tmpDir = dir
	policy, perr := w.u.policy()
	if perr != nil {
		logrus.WithError(perr).Warn("no policy for the self-verification's certificate checks")
	}
	// Each output gets a folder of its own, so that equal names of inputs from
	// different folders do not collide.
	jobs := make([]flow.SignJob, len(w.files))
	for i, f := range w.files {
		// The profile's default name: <name>-signed.pdf (.xml, .zip), <folder>-signed.
		out := filepath.Join(dir, strconv.Itoa(i), filepath.Base(w.profile.DefaultOutput(f.path)))
		if err := os.MkdirAll(filepath.Dir(out), 0o700); err != nil {
			w.fail(err)
			return
		}
		jobs[i] = flow.SignJob{Input: f.path, Output: out}
	}
	ctx, sc := w.ctx, w.card
	prof, opts := w.profile, w.opts
	w.u.goWork(func() {
		results := sc.SignAll(ctx, prof, jobs, opts, policy, func(p flow.FileProgress) {
			doUI(func() {
				if p.Total == 0 {
					w.progressMsg.SetText(w.u.t("gui.sign.signing_file", p.Index+1, p.Count, filepath.Base(p.Input)))
					w.progress.SetValue(float64(p.Index) / float64(p.Count))
					return
				}
				w.progress.SetValue((float64(p.Index) + float64(p.Done)/float64(p.Total)) / float64(p.Count))
			})
		})
		outs := make([]signOutput, len(results))
		for i, r := range results {
			outs[i].input = r.Job.Input
			if r.Err != nil {
				outs[i].err = r.Err
				if card.IsGone(r.Err) || ctx.Err() != nil {
					// The card left (or キャンセル): nothing is saved.
					doUI(func() { w.fail(r.Err) })
					return
				}
				continue
			}
			outs[i].tmp = r.Result.Output
			outs[i].report = r.Result.Report
		}
		doUI(func() {
			if w.ended {
				return
			}
			w.progress.SetValue(1)
			busy.Stop()
			w.outs = outs
			// The card is not needed any more: forget the password on it now.
			w.closeCard()
			w.showSave()
		})
	})
}

// fail ends the wizard with an explanation: nothing was written, the card session is
// closed, the temporary folder removed.
func (w *signWizard) fail(err error) {
	if w.ended {
		return
	}
	logrus.WithError(err).Info("signing stopped")
	w.end()
	title := w.u.t("gui.sign.failed_title")
	text := w.u.cardErrorText(err)
	if errors.Is(err, context.Canceled) {
		title, text = w.u.t("gui.sign.cancelled_title"), w.u.t("gui.sign.cancelled_text")
	}
	detail := wrapLabel(err.Error())
	again := newButton(w.u.t("gui.sign.again"), theme.ViewRefreshIcon(), func() {
		w.u.startSignWizard(w.paths())
	})
	again.Importance = widget.HighImportance
	home := newButton(w.u.t("gui.common.home"), theme.HomeIcon(), w.u.showHome)
	w.errorView = container.NewVBox(
		noticeView(theme.ErrorIcon(), colorNameBad, title, text),
		wrapLabel(w.u.t("gui.sign.nothing_written")),
		widget.NewAccordion(widget.NewAccordionItem(w.u.t("gui.common.technical"), detail)))
	w.u.show(&screen{
		title:   w.u.t("gui.sign.title"),
		body:    container.NewVScroll(container.NewPadded(w.errorView)),
		actions: []fyne.CanvasObject{home, again},
		primary: again,
		focus:   again,
	})
}

func (w *signWizard) paths() []string {
	var out []string
	for _, f := range w.files {
		out = append(out, f.path)
	}
	return out
}

// ---- step 7: save ----

func (w *signWizard) showSave() {
	w.step = stepSave
	signed := 0
	for _, o := range w.outs {
		if o.tmp != "" {
			signed++
		}
	}
	w.saveMsg = wrapLabel("")
	w.saveMsg.Importance = widget.DangerImportance
	w.saveMsg.Hide()
	var rows []fyne.CanvasObject
	w.saveNames = make([]*keyEntry, len(w.outs))
	for i, o := range w.outs {
		if o.tmp == "" {
			l := wrapLabel(w.u.t("gui.sign.file_failed", filepath.Base(o.input), w.u.signErrorText(o.err)))
			l.Importance = widget.DangerImportance
			rows = append(rows, l)
			continue
		}
		e := newEntry()
		e.SetText(filepath.Base(o.tmp))
		e.OnSubmitted = func(string) { w.saveBtn.press() } // Enter saves
		w.saveNames[i] = e
		rows = append(rows, widget.NewForm(widget.NewFormItem(filepath.Base(o.input), e)))
	}
	w.saveDir = newEntry()
	w.saveDir.SetText(filepath.Dir(w.outs[0].input))
	w.saveDir.OnSubmitted = func(string) { w.saveBtn.press() }
	browse := newButton(w.u.t("gui.sign.browse"), theme.FolderOpenIcon(), w.browseSave)
	w.saveBtn = newButton(w.u.t("gui.sign.save"), theme.DocumentSaveIcon(), w.save)
	w.saveBtn.Importance = widget.HighImportance
	if signed == 0 {
		w.saveBtn.Disable()
	}
	body := container.NewVBox(
		wrapLabel(w.u.tn("gui.sign.save_intro", len(w.outs), signed, len(w.outs))),
		widget.NewForm(widget.NewFormItem(w.u.t("gui.sign.save_dir"), container.NewBorder(nil, nil, nil, browse, w.saveDir))),
		container.NewVBox(rows...),
		w.saveMsg)
	w.show(body, w.saveBtn, w.saveBtn, w.saveBtn)
}

// browseSave opens the save dialog: for one file a file name (default
// <name>-signed.pdf and the like), for several a folder.
func (w *signWizard) browseSave() {
	first := -1
	count := 0
	for i, o := range w.outs {
		if o.tmp != "" {
			count++
			if first < 0 {
				first = i
			}
		}
	}
	if first < 0 {
		return
	}
	start, _ := storage.ListerForURI(storage.NewFileURI(w.saveDir.Text))
	if count == 1 {
		d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
			if err != nil || wc == nil {
				return
			}
			path := wc.URI().Path()
			// The dialog created an empty file: the save below replaces it atomically.
			wc.Close()
			os.Remove(path)
			w.saveDir.SetText(filepath.Dir(path))
			w.saveNames[first].SetText(filepath.Base(path))
			w.save()
		}, w.u.win)
		d.SetFileName(w.saveNames[first].Text)
		if start != nil {
			d.SetLocation(start)
		}
		d.SetView(dialog.ListView)
		d.Show()
		return
	}
	d := dialog.NewFolderOpen(func(l fyne.ListableURI, err error) {
		if err != nil || l == nil {
			return
		}
		w.saveDir.SetText(l.Path())
	}, w.u.win)
	if start != nil {
		d.SetLocation(start)
	}
	d.SetConfirmText(w.u.t("gui.common.save_here"))
	d.SetView(dialog.ListView)
	d.Show()
}

// save copies every signed file to the chosen folder (temporary file there, then
// rename), refusing to replace an input or an existing file, and verifies each saved
// file again.
func (w *signWizard) save() {
	dir := strings.TrimSpace(w.saveDir.Text)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		w.saveMsg.SetText(w.u.t("gui.sign.save_dir_missing"))
		w.saveMsg.Show()
		return
	}
	type job struct {
		i         int
		src, dest string
	}
	var jobs []job
	seen := map[string]bool{}
	for i, o := range w.outs {
		if o.tmp == "" || o.dest != "" {
			continue // not signed, or saved by an earlier try
		}
		name := strings.TrimSpace(w.saveNames[i].Text)
		if name == "" || strings.ContainsAny(name, `/\`) {
			w.saveMsg.SetText(w.u.t("gui.sign.save_name_invalid", filepath.Base(o.input)))
			w.saveMsg.Show()
			return
		}
		dest := filepath.Join(dir, name)
		if _, err := os.Lstat(dest); err == nil || seen[dest] {
			w.saveMsg.SetText(w.u.t("gui.sign.save_exists", name))
			w.saveMsg.Show()
			return
		}
		seen[dest] = true
		jobs = append(jobs, job{i, o.tmp, dest})
	}
	w.saveBtn.Disable()
	w.saveMsg.Hide()
	policy, _ := w.u.policy()
	w.u.goWork(func() {
		for _, j := range jobs {
			err := copyIntoPlace(j.src, j.dest)
			var rep *trust.DocumentReport
			var checkErr error
			if err == nil && policy != nil {
				rep, checkErr = flow.VerifyFile(context.Background(), j.dest, policy)
			}
			i := j.i
			doUI(func() {
				w.outs[i].saveErr = err
				w.outs[i].checkErr = checkErr
				if err == nil {
					w.outs[i].dest = j.dest
					if rep != nil || checkErr != nil {
						// The saved file's report; when it could not be made, the
						// signing's own (of the work copy) says nothing of that file.
						w.outs[i].report = rep
					}
				}
			})
		}
		doUI(func() {
			if w.ended {
				return // discarded meanwhile
			}
			if w.saveFailed() {
				return
			}
			w.end()
			w.showResult()
		})
	})
}

// saveFailed keeps the save step when a signed file could not be saved: the signed
// files stay in the work folder, the ones saved are marked done, and the message names
// what failed, for the user to choose another folder or name.
func (w *signWizard) saveFailed() bool {
	var failed []string
	for i, o := range w.outs {
		if o.saveErr != nil {
			failed = append(failed, w.u.t("gui.sign.save_failed_line", filepath.Base(o.input), o.saveErr.Error()))
		}
		if o.dest != "" && w.saveNames[i] != nil {
			w.saveNames[i].Disable()
		}
	}
	if len(failed) == 0 {
		return false
	}
	w.saveMsg.SetText(w.u.t("gui.sign.save_failed", strings.Join(failed, "\n")))
	w.saveMsg.Show()
	w.saveBtn.Enable()
	w.u.relayout()
	return true
}

// ---- step 8: result ----

func (w *signWizard) showResult() {
	w.step = stepResult
	w.resultRows = nil
	var rows []fyne.CanvasObject
	for _, o := range w.outs {
		r := w.u.newResultRow(o, w.showResult)
		w.resultRows = append(w.resultRows, r)
		rows = append(rows, r.view, widget.NewSeparator())
	}
	home := newButton(w.u.t("gui.common.home"), theme.HomeIcon(), w.u.showHome)
	home.Importance = widget.HighImportance
	body := container.NewVBox(append([]fyne.CanvasObject{wrapLabel(w.u.t("gui.sign.result_intro"))}, rows...)...)
	w.u.show(&screen{
		title:   w.stepTitle(),
		body:    container.NewVScroll(container.NewPadded(body)),
		actions: []fyne.CanvasObject{home},
		primary: home,
		focus:   home,
	})
}

// resultRow is one signed file in the result: saved where, and what the verification of
// the saved file says.
type resultRow struct {
	out     signOutput
	status  *textBlock
	summary *textBlock
	view    fyne.CanvasObject
}

// newResultRow builds the row of o; its details come back to the result with back.
func (u *UI) newResultRow(o signOutput, back func()) *resultRow {
	r := &resultRow{out: o}
	var icon fyne.Resource
	switch {
	case o.err != nil:
		icon = theme.ErrorIcon()
		r.status = boldText(u.t("gui.sign.result_failed", filepath.Base(o.input)))
		r.status.Importance = widget.DangerImportance
		r.summary = wrapLabel(u.signErrorText(o.err))
	case o.saveErr != nil:
		icon = theme.ErrorIcon()
		r.status = boldText(u.t("gui.sign.result_not_saved", filepath.Base(o.input)))
		r.status.Importance = widget.DangerImportance
		r.summary = wrapLabel(o.saveErr.Error())
	default:
		ok := o.report != nil && flow.StatusOf(o.report) == flow.DocPassed
		icon = theme.ConfirmIcon()
		r.status = boldText(u.t("gui.sign.result_saved", filepath.Base(o.dest)))
		r.status.Importance = widget.SuccessImportance
		txt := u.t("gui.sign.result_where", o.dest)
		if o.checkErr != nil {
			icon = theme.WarningIcon()
			txt += "\n" + u.t("gui.sign.result_check_failed", o.checkErr.Error())
		}
		if o.report != nil {
			txt += "\n" + u.t("gui.sign.result_check", u.msg(o.report.Summary))
			if !ok {
				icon = theme.WarningIcon()
			}
		}
		r.summary = wrapLabel(txt)
	}
	parts := []fyne.CanvasObject{r.status, r.summary}
	if o.report != nil && o.report.TrustStore == trust.StoreTest {
		parts = append(parts, testMark(u))
	}
	if o.report != nil && o.dest != "" {
		rep := o.report
		parts = append(parts, container.NewHBox(newButton(u.t("gui.verify.details"), theme.InfoIcon(), func() {
			u.showReportDetails(rep, back)
		})))
	}
	r.view = container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(icon)), nil, container.NewVBox(parts...))
	return r
}

// testMark is the "test signature" marker next to anything made with the test card.
func testMark(u *UI) fyne.CanvasObject {
	l := boldText(u.t("gui.test.mark") + " — " + u.t("gui.test.signature_note"))
	l.Importance = widget.WarningImportance
	return container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()), nil, l)
}

// signErrorText explains why a file could not be signed.
func (u *UI) signErrorText(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := flow.Explain(err); ok {
		return e.Text(u.l)
	}
	return u.t("gui.sign.file_error", err.Error())
}

// copyIntoPlace copies src (a file or an e-Gov folder) to dest through a temporary
// name in dest's folder, renamed into place when complete; dest must not exist.
func copyIntoPlace(src, dest string) error {
	st, err := os.Stat(src)
	if err != nil {
		return err
	}
	// A fresh temporary folder next to dest, registered with package tempfile (removed
	// on a termination signal); the copy is made inside it and renamed out of it.
	work, err := tempfile.MkdirTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".mynasign-tmp-")
	if err != nil {
		return err
	}
	defer tempfile.Remove(work)
	tmp := filepath.Join(work, "copy")
	if st.IsDir() {
		err = copyDir(src, tmp)
	} else {
		err = copyFile(src, tmp)
	}
	if err == nil {
		err = tempfile.Commit(work, func() error {
			if _, serr := os.Lstat(dest); serr == nil {
				return fmt.Errorf("%s: %w", dest, os.ErrExist)
			}
			return os.Rename(tmp, dest)
		})
	}
	return err
}

func copyFile(src, dest string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(dest, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func copyDir(src, dest string) error {
	if err := os.Mkdir(dest, 0o755); err != nil {
		return err
	}
	ents, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, e := range ents {
		s, d := filepath.Join(src, e.Name()), filepath.Join(dest, e.Name())
		if e.IsDir() {
			err = copyDir(s, d)
		} else if e.Type().IsRegular() {
			err = copyFile(s, d)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
