package app

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mynasign/mynasign/app/flow"
	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/card"
	batchcorpus "github.com/mynasign/mynasign/internal/batchcorpus"
	"github.com/mynasign/mynasign/internal/testpki"
	"github.com/mynasign/mynasign/pdf"
	"github.com/mynasign/mynasign/trust"
)

// TestVerifyListKeepsSortsAndShowsReasons: files verified one after the other stay in the
// list (also after going home and back; a file verified again replaces its row), the
// list sorts by status, every reason is shown whole (its cell is as high as the wrapped
// text, at 100 % and 150 %), hovering shows it in a tooltip, selecting a row shows it in
// the pane with the way to the details, and クリア empties the list after asking.
func TestVerifyListKeepsSortsAndShowsReasons(t *testing.T) {
	dir := t.TempDir()
	corpus, err := batchcorpus.Generate(dir, 7)
	if err != nil {
		t.Fatal(err)
	}
	var valid, tampered string
	for f, e := range corpus.Expect {
		switch e.Category {
		case "pdf-valid":
			valid = f
		case "pdf-tampered":
			tampered = f
		}
	}
	if valid == "" || tampered == "" {
		t.Fatalf("no valid or tampered PDF in the corpus: %v", corpus.Expect)
	}
	for _, scale := range []float32{1, 1.5} {
		u := newTestUI(t, i18n.Japanese)
		u.setTextScale(scale)
		withTestCard(t, u, "valid")
		v := u.startVerify([]string{tampered})
		u.WaitIdle()
		if w := v.screen.body.MinSize().Width; w > 1024-2*theme.Padding() {
			t.Errorf("scale %v: the screen needs %v pixels, more than a 1024 pixel window", scale, w)
		}
		v.start([]string{valid})
		u.WaitIdle()
		if len(v.rows) != 2 {
			t.Fatalf("%d rows after two files, want 2 (the first file stays)", len(v.rows))
		}
		v.start([]string{tampered}) // again: replaces its row, which goes last
		u.WaitIdle()
		if len(v.rows) != 2 {
			t.Fatalf("%d rows after verifying a file again, want 2", len(v.rows))
		}
		u.showHome()
		v = u.startVerify(nil)
		if len(v.rows) != 2 {
			t.Fatalf("%d rows after going home and back, want 2", len(v.rows))
		}
		if st := flow.StatusOf(v.reports[v.rows[0]]); st != flow.DocPassed {
			t.Fatalf("first row in the order verified: %s, want the valid file (the other was verified again)", st)
		}
		v.sortSel.SetSelectedIndex(orderStatus)
		u.WaitIdle()
		bad := v.reports[v.rows[0]]
		if st := flow.StatusOf(bad); st != flow.DocFailed {
			t.Fatalf("first row by status: %s, want the failed file", st)
		}
		reason := u.rowCells(bad)[colReason]
		if reason == "" {
			t.Fatal("no reason for the tampered file")
		}

		// The reason's cell is as high as its wrapped text: nothing is cut.
		v.table.ScrollTo(widget.TableCellID{Row: 0, Col: colReason})
		var cell *verdictCell
		for _, o := range objects(u) {
			if c, ok := o.(*verdictCell); ok && c.tip == reason && c.block.Visible() {
				cell = c
			}
		}
		if cell == nil {
			t.Fatalf("scale %v: no wrapped reason cell with %q", scale, reason)
		}
		if need, got := cell.block.MinSize().Height, cell.Size().Height; got < need {
			t.Errorf("scale %v: the reason cell is %v high, its text needs %v: it is cut", scale, got, need)
		}
		// Scaled with the text, and narrowed with the other columns (reasonFit) where
		// the table is narrower than the columns.
		if want := columnWidths[colReason] * scale * max(v.columnShare, minColumnShare); cell.Size().Width < want-1 {
			t.Errorf("scale %v: the reason column is %v wide, want it scaled to %v", scale, cell.Size().Width, want)
		}

		// The tooltip.
		// The tooltip: shown over the screen (not as a pop-up, which would take the
		// pointer away from the cell), inside the window, and gone when the pointer leaves.
		cell.MouseIn(&desktop.MouseEvent{PointEvent: fyne.PointEvent{AbsolutePosition: fyne.NewPos(900, 700)}})
		if got := v.tips.shown(); got != reason {
			t.Fatalf("the tooltip shows %q, want the reason %q", got, reason)
		}
		if u.win.Canvas().Overlays().Top() != nil {
			t.Error("the tooltip is a pop-up")
		}
		if p, s, win := v.tips.box.Position(), v.tips.box.Size(), v.tips.Size(); p.X < 0 || p.Y < 0 || p.X+s.Width > win.Width+1 || p.Y+s.Height > win.Height+1 {
			t.Errorf("the tooltip at %v, %v leaves the screen's %v", p, s, win)
		}
		cell.MouseOut()
		if v.tips.shown() != "" {
			t.Error("the tooltip stays after the pointer left")
		}

		// The pane.
		mustShow(t, u, u.t("gui.verify.pane_empty"))
		v.table.Select(widget.TableCellID{Row: 0, Col: colReason})
		u.WaitIdle()
		mustNotShow(t, u, u.t("gui.verify.pane_empty"))
		n := 0
		for _, s := range texts(u) {
			if s == reason {
				n++
			}
		}
		if n < 2 {
			t.Errorf("the pane does not show the reason whole (%d texts equal it)", n)
		}
		tap(t, u, button(t, u, u.t("gui.verify.details")))
		mustShow(t, u, u.t("gui.details.title"))
		v.back()

		// Hiding the valid ones leaves the failed file alone in the list.
		test.Tap(v.filter)
		u.WaitIdle()
		if len(v.rows) != 1 || v.reports[v.rows[0]] != bad {
			t.Fatalf("%d rows with the valid ones hidden, want the failed file alone", len(v.rows))
		}
		test.Tap(v.filter)
		u.WaitIdle()
		if len(v.rows) != 2 {
			t.Fatalf("%d rows after showing the valid ones again", len(v.rows))
		}

		// Sorting again keeps the selected file selected, where its row is now.
		v.sortSel.SetSelectedIndex(orderVerified)
		u.WaitIdle()
		if v.selected != bad || v.reports[v.rows[len(v.rows)-1]] != bad {
			t.Fatalf("after sorting back: selected %v, last row %v, want the failed file", v.selected, v.reports[v.rows[len(v.rows)-1]].File)
		}

		// クリア asks, then empties the list.
		tap(t, u, button(t, u, u.t("gui.verify.clear")))
		tap(t, u, button(t, u, u.t("gui.verify.clear_keep")))
		if len(v.rows) != 2 {
			t.Fatalf("the list was cleared though the clerk chose to keep it")
		}
		tap(t, u, button(t, u, u.t("gui.verify.clear")))
		tap(t, u, button(t, u, u.t("gui.verify.clear_do")))
		if len(v.rows) != 0 || len(u.verified) != 0 {
			t.Fatalf("%d rows after クリア", len(v.rows))
		}
		mustShow(t, u, u.t("gui.verify.intro"))
		mustShow(t, u, u.t("gui.verify.pane_empty"))
		if !button(t, u, u.t("gui.verify.save_record")).Disabled() {
			t.Error("保存 is enabled with an empty list")
		}
	}
}

// TestMessageDatesInOneStyle: a time a library puts in a message (RFC 3339, UTC) reads
// as every date of the app does, in Japan time, a birth date too; a distinguished name
// reads as its name; other arguments stay as they are.
func TestMessageDatesInOneStyle(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	got := u.msg(trust.Message{Key: trust.MsgCertExpiredNoPOE, Args: []string{"2025-03-31T15:30:00Z"}})
	if !strings.Contains(got, "2025年4月1日 00:30") || strings.Contains(got, "2025-03-31") {
		t.Errorf("ja: %q", got)
	}
	if got := u.msgArg("2025-04-01"); got != "2025年4月1日" {
		t.Errorf("a date: %q", got)
	}
	if got := u.birthDate(&trust.PersonalData{BirthDate: "1990-01-15", BirthEra: "heisei", BirthEraYear: 2}); got != "1990年1月15日（平成2年）" {
		t.Errorf("a birth date: %q", got)
	}
	if got := u.msgArg(`CN=Test Signing CA\, G2,OU=JPKI,O=JPKI,C=JP`); got != "Test Signing CA, G2" {
		t.Errorf("a distinguished name: %q", got)
	}
	if got := u.msgArg("Chiyoda-ku 2025"); got != "Chiyoda-ku 2025" {
		t.Errorf("not a time: %q", got)
	}
	en := newTestUI(t, i18n.English)
	if got := en.msg(trust.Message{Key: trust.MsgRevRevokedLater, Args: []string{"2025-03-31T15:30:00Z"}}); !strings.Contains(got, en.fmtTime(time.Date(2025, 4, 1, 0, 30, 0, 0, jst))) || strings.Contains(got, "T15:30") {
		t.Errorf("en: %q", got)
	}
}

// downService is a card source whose service cannot be reached (pcscd not running).
type downService struct{ noCards }

func (downService) Watch(ctx context.Context, report func(Readers)) {
	report(Readers{Known: true, Err: card.ErrNoService})
	<-ctx.Done()
}

// TestNoServiceSaysHowToStartIt: without the smart-card service, the home screen and the
// diagnostics say how to start it on this system (the sign wizard's reader step shows
// the same text).
func TestNoServiceSaysHowToStartIt(t *testing.T) {
	u := newTestUIWith(t, i18n.Japanese, downService{})
	help := u.serviceHelp()
	if runtime.GOOS == "linux" && !strings.Contains(help, "sudo systemctl start pcscd") {
		t.Errorf("the help on Linux: %q", help)
	}
	u.showHome()
	u.WaitIdle()
	mustShow(t, u, u.t("gui.status.no_service"))
	mustShow(t, u, help)
	d := &diagScreen{u: u}
	if r := d.format(false, card.ErrNoService, nil); !strings.Contains(r, help) {
		t.Errorf("the diagnostics give no next step:\n%s", r)
	}
}

// TestDetailsFoldTechnicalText: 検証の詳細 names the checks in words and the issuer by
// its name; the distinguished name, the signature's name in the file and the signed
// content as the verifier describes it are under 詳細, closed until opened.
func TestDetailsFoldTechnicalText(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	const issuer = `CN=テスト署名用CA\, 第2世代,O=JPKI,C=JP`
	const content = "document /申請書[1] without ds:Signature[1]"
	r := &trust.DocumentReport{File: "申請書.xml", Kind: "xml", Indication: trust.TotalFailed,
		Signatures: []trust.SignatureReport{{ID: "Signature-1", Format: "XAdES-B-B", Indication: trust.TotalFailed,
			Coverage: trust.CoverageWhole, SignedContent: content,
			Certificate: &trust.CertificateInfo{Kind: trust.KindNotJPKI, Issuer: issuer},
			Checks:      []trust.Check{{Name: trust.CheckByteRange, Passed: true}, {Name: trust.CheckCMS, Passed: false}}}}}
	u.showReportDetails(r, u.showHome)
	noMissingKeys(t, u, "details")
	mustShow(t, u, "テスト署名用CA, 第2世代")
	mustNotShow(t, u, "CN=")
	mustNotShow(t, u, content)
	for _, o := range objects(u) {
		if a, ok := o.(*widget.Accordion); ok {
			a.OpenAll()
		}
	}
	mustShow(t, u, u.t("record.check.byterange"))
	mustShow(t, u, u.t("record.check.cms"))
	mustShow(t, u, content)
	mustShow(t, u, issuer)
	for _, s := range texts(u) {
		if s == string(trust.CheckByteRange) || strings.HasPrefix(s, string(trust.CheckCMS)+":") {
			t.Errorf("a check is named by its identifier: %q", s)
		}
	}
	if got := dnName("OU=JPKI for digital signature,O=JPKI,C=JP"); got != "JPKI for digital signature" {
		t.Errorf("dnName without a CN: %q", got)
	}
}

// TestConformanceRowsInWords: the registry check of a PAdES file (which fails it) says
// each row in words in Japanese, with no English fragment of the registry's table
// (values the clerk compares are quoted as they are); the values as the table writes
// them are under 詳細.
func TestConformanceRowsInWords(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	p, err := testpki.PersonaByID("valid")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.pdf"), filepath.Join(dir, "out.pdf")
	os.WriteFile(in, minimalPDF("conf"), 0o644)
	if _, err := pdf.SignFile(context.Background(), in, out, pdf.SignOptions{Profile: pdf.PAdES, Signer: p.SignKey, Certificate: p.SignCert}); err != nil {
		t.Fatal(err)
	}
	res, err := flow.CheckConformance(context.Background(), "registry", out)
	if err != nil {
		t.Fatal(err)
	}
	u.show(&screen{title: u.t("gui.conf.title"), body: container.NewVBox(u.conformanceRows(res, nil)...)})
	noMissingKeys(t, u, "conformance")
	mustShow(t, u, u.t("gui.conf.failed", res.Signatures[0].Signature))
	for _, row := range res.Signatures[0].Rows {
		mustShow(t, u, u.confItem(row.Key)+": ")
		if u.confItem(row.Key) == row.Key {
			t.Errorf("row %q has no name in words", row.Key)
		}
	}
	latin := regexp.MustCompile(`[A-Za-z]{3,}`)
	quoted := regexp.MustCompile("「[^」]*」|`[^`]*`") // the values, as the file and the table have them
	for _, s := range texts(u) {
		s = quoted.ReplaceAllString(s, "")
		if s == res.Signatures[0].Signature || strings.HasPrefix(s, res.Signatures[0].Signature+":") {
			continue
		}
		for _, w := range latin.FindAllString(s, -1) {
			if w != "PDF" && w != "SHA" && w != "RSA" && w != "PKCS" {
				t.Errorf("English in a Japanese row: %q in %q", w, s)
			}
		}
	}
}

// TestReasonsInPlainJapanese verifies the batch corpus (tampered, corrupt, foreign
// certificates, …) and reads every row's reason: a tampered XML names the form that was
// changed in words, and no reason holds an element path or a time in RFC 3339.
func TestReasonsInPlainJapanese(t *testing.T) {
	dir := t.TempDir()
	corpus, err := batchcorpus.Generate(dir, 20)
	if err != nil {
		t.Fatal(err)
	}
	u := newTestUI(t, i18n.Japanese)
	withTestCard(t, u, "valid")
	v := u.startVerify([]string{dir})
	u.WaitIdle()
	technical := regexp.MustCompile(`\[1\]|ds:Signature|without|\d{4}-\d\d-\d\dT\d\d:`)
	tampered := 0
	for _, r := range v.reports {
		reason := u.rowCells(r)[colReason]
		if technical.MatchString(reason) {
			t.Errorf("%s: a technical reason: %q", filepath.Base(r.File), reason)
		}
		if corpus.Expect[r.File].Category == "xml-tampered" {
			tampered++
			if want := "「申請書」の内容が署名の後で変更されています。"; reason != want {
				t.Errorf("%s: reason %q, want %q", filepath.Base(r.File), reason, want)
			}
		}
	}
	if tampered == 0 {
		t.Fatal("no tampered XML in the corpus")
	}
}
