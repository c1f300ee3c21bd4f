package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/mynasign/mynasign/internal/samplepdf"
	"github.com/mynasign/mynasign/internal/testpki"
	"github.com/mynasign/mynasign/pdf"
)

// testCache is the compilation cache the tests share between runs (the app's tests
// use it too).
var testCache = filepath.Join(os.TempDir(), "mynasign-test-pdfium-cache")

// renderer is shared by the tests: the runtime starts once.
var renderer = &PDFium{CacheDir: testCache}

func TestMain(m *testing.M) {
	code := m.Run()
	renderer.Close()
	os.Exit(code)
}

func TestRenderPage(t *testing.T) {
	doc := samplepdf.Make(samplepdf.Spec{Pages: 2})
	orig := bytes.Clone(doc)
	pg, err := renderer.Render(context.Background(), doc, 2, image.Pt(300, 300))
	if err != nil {
		t.Fatal(err)
	}
	if pg.Pages != 2 {
		t.Errorf("page count %d, want 2", pg.Pages)
	}
	if s := pg.Image.Bounds().Size(); s.Y != 300 || s.X < 205 || s.X > 215 {
		t.Errorf("A4 fitted into 300×300 is %v", s)
	}
	if pg.Width < 590 || pg.Width > 600 || pg.Height < 837 || pg.Height > 847 {
		t.Errorf("page size %.1f×%.1f pt, want 595×842", pg.Width, pg.Height)
	}
	// "Hello, page 2" at 72,720 pt from the lower left: dark pixels in the top left.
	if dark(pg.Image, image.Rect(0, 0, pg.Image.Bounds().Dx()/2, pg.Image.Bounds().Dy()/4)) == 0 {
		t.Error("no text drawn where the page has its text")
	}
	if dark(pg.Image, image.Rect(0, pg.Image.Bounds().Dy()/2, pg.Image.Bounds().Dx(), pg.Image.Bounds().Dy())) != 0 {
		t.Error("ink on the lower half of a page that has none")
	}
	if !bytes.Equal(doc, orig) {
		t.Error("the document's bytes were changed")
	}
	var pe *PageError
	if _, err := renderer.Render(context.Background(), doc, 3, image.Pt(100, 100)); !errors.As(err, &pe) || pe.Pages != 2 {
		t.Errorf("page 3 of 2: %v", err)
	}
}

// TestStartsOnFirstRender: a renderer costs nothing until it renders; a second one with
// the same cache renders the same page, and a closed one refuses.
func TestStartsOnFirstRender(t *testing.T) {
	r := &PDFium{CacheDir: testCache}
	if r.pool != nil || r.cache != nil {
		t.Fatal("started before the first render")
	}
	doc := samplepdf.Make(samplepdf.Spec{})
	a, err := r.Render(context.Background(), doc, 1, image.Pt(120, 120))
	if err != nil {
		t.Fatal(err)
	}
	if r.pool == nil {
		t.Fatal("not started by a render")
	}
	b, err := renderer.Render(context.Background(), doc, 1, image.Pt(120, 120))
	if err != nil {
		t.Fatal(err)
	}
	if len(Diff(a.Image, b.Image)) != 0 {
		t.Error("two renderers draw the same page differently")
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Render(context.Background(), doc, 1, image.Pt(120, 120)); err == nil {
		t.Error("a closed renderer rendered")
	}
}

func TestRenderRefusesBadInput(t *testing.T) {
	if _, err := renderer.Render(context.Background(), []byte("not a PDF at all"), 1, image.Pt(100, 100)); err == nil {
		t.Error("garbage rendered")
	}
	if _, err := renderer.Render(context.Background(), make([]byte, MaxInput+1), 1, image.Pt(100, 100)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("oversized input: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := renderer.Render(ctx, samplepdf.Make(samplepdf.Spec{}), 1, image.Pt(100, 100)); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled render: %v", err)
	}
	// Sizes past the limit are brought down to it.
	pg, err := renderer.Render(context.Background(), samplepdf.Make(samplepdf.Spec{}), 1, image.Pt(100000, 100000))
	if err != nil {
		t.Fatal(err)
	}
	if s := pg.Image.Bounds().Size(); s.X > MaxPixels || s.Y > MaxPixels {
		t.Errorf("image of %v past MaxPixels", s)
	}
}

func TestDiffRegions(t *testing.T) {
	a := image.NewRGBA(image.Rect(0, 0, 100, 100))
	b := image.NewRGBA(image.Rect(0, 0, 100, 100))
	if got := Diff(a, b); len(got) != 0 {
		t.Errorf("identical images differ at %v", got)
	}
	for y := 10; y < 20; y++ {
		for x := 60; x < 75; x++ {
			b.Pix[b.PixOffset(x, y)] = 0xff
		}
	}
	b.Pix[b.PixOffset(5, 90)+1] = 0xff
	got := Diff(a, b)
	sort.Slice(got, func(i, j int) bool { return got[i].Min.Y < got[j].Min.Y })
	if len(got) != 2 || !image.Rect(60, 10, 75, 20).In(got[0]) || !image.Pt(5, 90).In(got[1]) {
		t.Errorf("regions %v", got)
	}
	if got := Diff(a, image.NewRGBA(image.Rect(0, 0, 50, 100))); len(got) != 1 || got[0] != image.Rect(0, 0, 50, 100) {
		t.Errorf("images of other sizes: %v", got)
	}
}

// TestCompareShowsChangeAfterSigning is the visual test of issue 14 (acceptance 3): a
// signed PDF whose page is changed by a later incremental update shows a highlighted
// region where the change is; the same file unchanged shows none.
func TestCompareShowsChangeAfterSigning(t *testing.T) {
	signed := signSample(t)
	revs, err := pdf.SignedRevisions(bytes.NewReader(signed), int64(len(signed)))
	if err != nil || len(revs) != 1 || revs[0].Length != int64(len(signed)) {
		t.Fatalf("signed revisions %v, %v", revs, err)
	}
	max := image.Pt(595, 842) // one pixel a point
	same, err := Compare(context.Background(), renderer, signed, revs[0].Length, 1, max)
	if err != nil {
		t.Fatal(err)
	}
	if len(same.Regions) != 0 {
		t.Errorf("an unchanged file shows changes at %v", same.Regions)
	}

	// The update draws a filled box at x 300–400, y 200–250 pt (from the lower left).
	changed := appendContent(t, signed, "0 0 1 rg 300 200 100 50 re f")
	revs, err = pdf.SignedRevisions(bytes.NewReader(changed), int64(len(changed)))
	if err != nil || len(revs) != 1 || revs[0].Length != int64(len(signed)) {
		t.Fatalf("signed revisions of the changed file %v, %v", revs, err)
	}
	cmp, err := Compare(context.Background(), renderer, changed, revs[0].Length, 1, max)
	if err != nil {
		t.Fatal(err)
	}
	h := cmp.Now.Image.Bounds().Dy()
	want := image.Rect(300, h-250, 400, h-200) // in pixels from the top left
	if len(cmp.Regions) != 1 {
		t.Fatalf("regions %v, want one around %v", cmp.Regions, want)
	}
	got := cmp.Regions[0]
	if !want.Inset(2).In(got) || !got.In(want.Inset(-cell-2)) {
		t.Errorf("region %v, want about %v", got, want)
	}
	out := Outline(cmp.Now.Image, cmp.Regions)
	if out.RGBAAt(got.Min.X-1, got.Min.Y+5) != Highlight {
		t.Error("the region is not framed")
	}
	if !bytes.Equal(out.Pix[:4*20], cmp.Now.Image.Pix[:4*20]) {
		t.Error("Outline changed pixels away from the regions")
	}
}

// signSample signs a one-page sample PDF with the default test persona's key.
func signSample(t *testing.T) []byte {
	t.Helper()
	p := testpki.Personas()[0]
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.pdf"), filepath.Join(dir, "out.pdf")
	if err := os.WriteFile(in, samplepdf.Make(samplepdf.Spec{}), 0o444); err != nil {
		t.Fatal(err)
	}
	opts := pdf.SignOptions{Profile: pdf.PAdES, Signer: p.SignKey, Certificate: p.SignCert,
		Time: time.Date(2026, 11, 25, 10, 30, 0, 0, time.UTC)}
	if _, err := pdf.SignFile(context.Background(), in, out, opts); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// appendContent appends an incremental update that gives page 1 a further content
// stream drawing ops.
func appendContent(t *testing.T, data []byte, ops string) []byte {
	t.Helper()
	f, err := pdf.NewFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	last := f.Last()
	pages, err := f.Pages(last)
	if err != nil || len(pages) == 0 {
		t.Fatalf("pages: %v %v", pages, err)
	}
	o, err := f.Resolve(last, pages[0])
	if err != nil {
		t.Fatal(err)
	}
	page := o.(pdf.Dict)
	old, ok := page.Get("Contents").(pdf.Ref)
	if !ok {
		t.Fatalf("page 1 /Contents is %T", page.Get("Contents"))
	}
	size, _ := pdf.IntOf(f.Trailer().Get("Size"))
	content := int(size)
	var b bytes.Buffer
	b.Write(data)
	offContent := b.Len()
	fmt.Fprintf(&b, "%d 0 obj\n<</Length %d>>\nstream\n%s\nendstream\nendobj\n", content, len(ops)+1, ops)
	offPage := b.Len()
	annots := ""
	if a, ok := page.Get("Annots").(pdf.Array); ok {
		annots = " /Annots ["
		for _, r := range a {
			annots += refText(r) + " "
		}
		annots += "]"
	}
	fmt.Fprintf(&b, "%d 0 obj\n<</Type /Page /Parent %s /MediaBox [0 0 595 842] /Resources %s /Contents [%d 0 R %d 0 R]%s>>\nendobj\n",
		pages[0].Num, refText(page.Get("Parent")), resourcesText(t, page), old.Num, content, annots)
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 1\n0000000000 65535 f\r\n%d 1\n%010d 00000 n\r\n%d 1\n%010d 00000 n\r\n",
		pages[0].Num, offPage, content, offContent)
	fmt.Fprintf(&b, "trailer\n<</Size %d /Root %s /Prev %d>>\nstartxref\n%d\n%%%%EOF\n",
		content+1, refText(f.Trailer().Get("Root")), f.Revisions[last].XRefOff, xref)
	return b.Bytes()
}

func refText(o pdf.Object) string {
	r := o.(pdf.Ref)
	return fmt.Sprintf("%d %d R", r.Num, r.Gen)
}

// resourcesText writes the sample page's /Resources (a reference, or the font of the
// sample's direct dictionary).
func resourcesText(t *testing.T, page pdf.Dict) string {
	t.Helper()
	switch r := page.Get("Resources").(type) {
	case pdf.Ref:
		return refText(r)
	case pdf.Dict:
		fonts, ok := r.Get("Font").(pdf.Dict)
		if !ok {
			t.Fatalf("sample page resources without /Font: %v", r)
		}
		return "<</Font <</F1 " + refText(fonts.Get("F1")) + ">>>>"
	default:
		t.Fatalf("page /Resources is %T", r)
		return ""
	}
}

// dark counts the pixels of r darker than mid-grey.
func dark(img *image.RGBA, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := img.RGBAAt(x, y)
			if int(c.R)+int(c.G)+int(c.B) < 3*128 {
				n++
			}
		}
	}
	return n
}
