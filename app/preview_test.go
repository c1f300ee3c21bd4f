package app

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/internal/render"
	"github.com/mynasign/mynasign/internal/samplepdf"
	"github.com/mynasign/mynasign/internal/testpki"
	"github.com/mynasign/mynasign/pdf"
	"github.com/mynasign/mynasign/trust"
)

// TestSignPreviewPlacesTheBox: the profile step shows the chosen page and the page
// count; the box is drawn in the chosen corner, a tap on the page puts it there (an
// explicit rectangle in the page's user space), and the choices are kept when the user
// comes back from the next step.
func TestSignPreviewPlacesTheBox(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	if u.pdfium.CacheDir != testRenderCache {
		t.Fatalf("renderer cache %q", u.pdfium.CacheDir)
	}
	withTestCard(t, u, "valid")
	in := filepath.Join(t.TempDir(), "二頁.pdf")
	if err := os.WriteFile(in, samplepdf.Make(samplepdf.Spec{Pages: 2}), 0o644); err != nil {
		t.Fatal(err)
	}
	w := u.startSignWizard([]string{in})
	tap(t, u, w.nextBtn)
	u.WaitIdle()
	noMissingKeys(t, u, "sign preview")
	mustShow(t, u, u.t("gui.preview.page_of", 1, 2))
	w.visibleChk.SetChecked(true)
	// A thumbnail per page; a tap on the second chooses page 2.
	thumbs := w.preview.thumbs.Objects
	if len(thumbs) != 2 {
		t.Fatalf("%d thumbnails for 2 pages", len(thumbs))
	}
	for i, o := range thumbs {
		if o.(*pageView).page == nil {
			t.Errorf("thumbnail %d not rendered", i+1)
		}
	}
	test.Tap(thumbs[1].(*pageView))
	u.WaitIdle()
	if w.pageEntry.Text != "2" {
		t.Fatalf("the second thumbnail chose page %q", w.pageEntry.Text)
	}
	mustShow(t, u, u.t("gui.preview.page_of", 2, 2))
	v := w.preview.view
	if v.page == nil || v.boxAt == nil || !v.box.Visible() {
		t.Fatal("no page or no box drawn")
	}
	if b := *v.boxAt; b[0] < v.page.Width/2 || b[1] > v.page.Height/2 {
		t.Errorf("box %v is not in the bottom right corner of a %.0f×%.0f page", b, v.page.Width, v.page.Height)
	}
	// A drag moves the box with the pointer: here to the lower left quarter.
	pos, s := v.shown(v.Size())
	v.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(pos.X+s.Width/4, pos.Y+s.Height*3/4)}})
	v.DragEnd()
	if b := *v.boxAt; w.posSelect.SelectedIndex() != posChosen || b[0] > v.page.Width/2 || b[1] > v.page.Height/2 {
		t.Errorf("box %v (position %d) did not follow the drag", b, w.posSelect.SelectedIndex())
	}
	// A tap in the upper left quarter of the page as drawn.
	test.TapAt(v, fyne.NewPos(pos.X+s.Width/4, pos.Y+s.Height/4))
	if w.posSelect.SelectedIndex() != posChosen || w.placed == nil {
		t.Fatalf("the tap did not place the box: %d %v", w.posSelect.SelectedIndex(), w.placed)
	}
	if b := *v.boxAt; b[0] > v.page.Width/2 || b[1] < v.page.Height/2 {
		t.Errorf("box %v is not where the page was tapped", b)
	}
	tap(t, u, w.nextBtn)
	if w.step != stepCard {
		t.Fatalf("the placed box was refused; screen:\n%s", screenText(u))
	}
	vis := w.opts.Visible
	if vis == nil || vis.Page != 2 || vis.Corner != "" || vis.Rect.W != visibleW || vis.Rect.X > 595/2 || vis.Rect.Y < 842/2 {
		t.Errorf("visible signature %+v", vis)
	}
	w.back()
	u.WaitIdle()
	if w.pageEntry.Text != "2" || w.posSelect.SelectedIndex() != posChosen || !w.visibleChk.Checked {
		t.Errorf("choices lost going back: page %q, position %d, visible %v", w.pageEntry.Text, w.posSelect.SelectedIndex(), w.visibleChk.Checked)
	}
	// Back to the files with other choices typed, then on again: they are kept too.
	w.posSelect.SetSelectedIndex(3) // top left
	w.reasonEntry.SetText("確認のため")
	tap(t, u, button(t, u, u.t("gui.common.back")))
	if w.step != stepFiles {
		t.Fatalf("step %d after 戻る", w.step)
	}
	tap(t, u, w.nextBtn)
	if w.pageEntry.Text != "2" || w.posSelect.SelectedIndex() != 3 || !w.visibleChk.Checked || w.reasonEntry.Text != "確認のため" {
		t.Errorf("choices lost going back to the files: page %q, position %d, visible %v, reason %q",
			w.pageEntry.Text, w.posSelect.SelectedIndex(), w.visibleChk.Checked, w.reasonEntry.Text)
	}
}

// TestDetailsShowWhatWasSigned: 検証の詳細 of a PDF changed after signing frames one
// changed area; of the same PDF unchanged, none.
func TestDetailsShowWhatWasSigned(t *testing.T) {
	u := newTestUI(t, i18n.Japanese)
	p := testpki.Personas()[0]
	dir := t.TempDir()
	in, signed := filepath.Join(dir, "in.pdf"), filepath.Join(dir, "signed.pdf")
	os.WriteFile(in, samplepdf.Make(samplepdf.Spec{}), 0o644)
	if _, err := pdf.SignFile(context.Background(), in, signed, pdf.SignOptions{Profile: pdf.PAdES, Signer: p.SignKey, Certificate: p.SignCert}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(signed)
	if err != nil {
		t.Fatal(err)
	}
	changed := filepath.Join(dir, "changed.pdf")
	if err := os.WriteFile(changed, replaceContent(t, data, "BT /F1 24 Tf 72 720 Td (Hello, page 1) Tj ET 0 0 1 rg 300 200 100 50 re f"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path    string
		regions int
		text    string
	}{{signed, 0, u.t("gui.compare.none")}, {changed, 1, u.tn("gui.compare.changed", 1, 1)}} {
		r := &trust.DocumentReport{File: c.path, Kind: "pdf", Indication: trust.Indeterminate,
			Signatures: []trust.SignatureReport{{ID: "Signature1", Format: "PAdES-B-B", Indication: trust.Indeterminate, Coverage: trust.CoverageWhole}}}
		u.showReportDetails(r, u.showHome)
		tap(t, u, button(t, u, u.t("gui.compare.show")))
		noMissingKeys(t, u, "compare")
		// The framed areas are drawn in the highlight colour on the page as it is now.
		framed := 0
		for _, o := range objects(u) {
			if pv, ok := o.(*pageView); ok && pv.page != nil {
				framed += highlighted(pv.page.Image)
			}
		}
		if (framed > 0) != (c.regions > 0) {
			t.Errorf("%s: %d highlighted pixels, want regions %d; screen:\n%s", filepath.Base(c.path), framed, c.regions, screenText(u))
		}
		mustShow(t, u, c.text+" "+u.t("gui.preview.page_of", 1, 1))
	}
	if got, _ := os.ReadFile(signed); !bytes.Equal(got, data) {
		t.Error("the signed file was changed by showing it")
	}
}

// highlighted counts the pixels of img in the highlight colour.
func highlighted(img *image.RGBA) int {
	n := 0
	for y := img.Rect.Min.Y; y < img.Rect.Max.Y; y++ {
		for x := img.Rect.Min.X; x < img.Rect.Max.X; x++ {
			if img.RGBAAt(x, y) == render.Highlight {
				n++
			}
		}
	}
	return n
}

// replaceContent appends an incremental update that gives page 1's content stream new
// operators.
func replaceContent(t *testing.T, data []byte, ops string) []byte {
	t.Helper()
	f, err := pdf.NewFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	last := f.Last()
	pages, err := f.Pages(last)
	if err != nil {
		t.Fatal(err)
	}
	o, err := f.Resolve(last, pages[0])
	if err != nil {
		t.Fatal(err)
	}
	c := o.(pdf.Dict).Get("Contents").(pdf.Ref)
	root := f.Trailer().Get("Root").(pdf.Ref)
	size, _ := pdf.IntOf(f.Trailer().Get("Size"))
	var b bytes.Buffer
	b.Write(data)
	off := b.Len()
	fmt.Fprintf(&b, "%d %d obj\n<</Length %d>>\nstream\n%s\nendstream\nendobj\n", c.Num, c.Gen, len(ops)+1, ops)
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 1\n0000000000 65535 f\r\n%d 1\n%010d %05d n\r\n", c.Num, off, c.Gen)
	fmt.Fprintf(&b, "trailer\n<</Size %d /Root %d %d R /Prev %d>>\nstartxref\n%d\n%%%%EOF\n", size, root.Num, root.Gen, f.Revisions[last].XRefOff, xref)
	return b.Bytes()
}
