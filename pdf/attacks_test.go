package pdf

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"testing"

	"github.com/mynasign/mynasign/trust"
)

// appendUpdate appends an incremental update (cross-reference table) that defines the
// given objects (bodies in PDF syntax, "stream" data included) to data.
func appendUpdate(t testing.TB, data []byte, objs map[int]string, extraTrailer string) []byte {
	t.Helper()
	f, err := NewFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	last := f.Revisions[f.Last()]
	size, _ := IntOf(last.Trailer.Get("Size"))
	var b bytes.Buffer
	b.Write(data)
	var nums []int
	for n := range objs {
		nums = append(nums, n)
		if int64(n) >= size {
			size = int64(n) + 1
		}
	}
	sort.Ints(nums)
	offs := map[int]int{}
	for _, n := range nums {
		offs[n] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", n, objs[n])
	}
	xref := b.Len()
	b.WriteString("xref\n0 1\n0000000000 65535 f\r\n")
	for _, n := range nums {
		fmt.Fprintf(&b, "%d 1\n%010d 00000 n\r\n", n, offs[n])
	}
	fmt.Fprintf(&b, "trailer\n<</Size %d /Root %s /Prev %d%s>>\nstartxref\n%d\n%%%%EOF\n", size,
		last.Trailer.Get("Root").(Ref), last.XRefOff, extraTrailer, xref)
	return b.Bytes()
}

// serializeObj writes an object of the latest revision back in PDF syntax.
func serializeObj(t testing.TB, data []byte, num int, edit func(d Dict) Dict) string {
	t.Helper()
	f, err := NewFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	o, err := f.Resolve(f.Last(), Ref{Num: num})
	if err != nil {
		t.Fatal(err)
	}
	d, ok := o.(Dict)
	if !ok {
		t.Fatalf("object %d is %T", num, o)
	}
	var b bytes.Buffer
	appendObject(&b, edit(d.Clone()))
	return b.String()
}

func acroFormNum(t testing.TB, data []byte) int {
	t.Helper()
	f, err := NewFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	cat, _, err := f.Catalog(f.Last())
	if err != nil {
		t.Fatal(err)
	}
	r, ok := cat.Get("AcroForm").(Ref)
	if !ok {
		t.Fatal("no indirect AcroForm")
	}
	return r.Num
}

func sigDictNum(t testing.TB, data []byte) int {
	t.Helper()
	f, err := NewFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	fields, err := f.Fields(f.Last())
	if err != nil {
		t.Fatal(err)
	}
	for _, fl := range fields {
		if r, ok := fl.Dict.Get("V").(Ref); ok {
			return r.Num
		}
	}
	t.Fatal("no signature")
	return 0
}

func TestAttacksOnOurSignatures(t *testing.T) {
	pol := testPolicy(t)
	// A two-page document (catalog 1, pages 2, page 1 = 6 with content 7, page 2 = 8
	// with content 9), signed visibly.
	in := makePDF(t, docSpec{pages: 2})
	opts := personaOptions(t, "valid", PAdES)
	opts.Visible = &Appearance{Page: 1, X: 320, Y: 40, W: 230, H: 70}
	signed, _ := signBytes(t, in, opts)
	requirePassed(t, verifyBytes(t, signed, pol), 1)
	other, _ := signBytes(t, makePDF(t, docSpec{pages: 2, padding: 10}), opts)
	sigNum := sigDictNum(t, signed)
	contentsRe := regexp.MustCompile(`/Contents <[0-9a-fA-F]+>`)
	brRe := regexp.MustCompile(`/ByteRange \[0 (\d+) (\d+) (\d+)\]`)

	type attack struct {
		name   string
		build  func() []byte
		sub    trust.SubIndication
		reason string // a check name or a change reason key
	}
	attacks := []attack{
		{"page content changed in a later increment", func() []byte {
			body := "BT /F1 24 Tf 72 720 Td (Pay 1,000,000 yen) Tj ET"
			return appendUpdate(t, signed, map[int]string{7: fmt.Sprintf("<</Length %d>>\nstream\n%s\nendstream", len(body), body)}, "")
		}, trust.FormatFailure, MsgChangePageContent},
		{"page added", func() []byte {
			body := "BT /F1 24 Tf 72 720 Td (Extra terms) Tj ET"
			return appendUpdate(t, signed, map[int]string{
				2:  "<</Type /Pages /Kids [6 0 R 8 0 R 40 0 R] /Count 3>>",
				40: "<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources <</Font <</F1 3 0 R>>>> /Contents 41 0 R>>",
				41: fmt.Sprintf("<</Length %d>>\nstream\n%s\nendstream", len(body), body),
			}, "")
		}, trust.FormatFailure, MsgChangePageTree},
		{"annotation overlaying the page", func() []byte {
			page := serializeObj(t, signed, 6, func(d Dict) Dict {
				a, _ := d.Get("Annots").(Array)
				d.Set("Annots", append(append(Array{}, a...), Ref{Num: 40}))
				return d
			})
			ap := "q 1 1 1 rg 0 0 595 842 re f 0 g BT /F1 24 Tf 72 720 Td (Something else) Tj ET Q"
			return appendUpdate(t, signed, map[int]string{
				6:  page,
				40: "<</Type /Annot /Subtype /Square /Rect [0 0 595 842] /F 4 /AP <</N 41 0 R>>>>",
				41: fmt.Sprintf("<</Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources <</Font <</F1 3 0 R>>>> /Length %d>>\nstream\n%s\nendstream", len(ap), ap),
			}, "")
		}, trust.FormatFailure, MsgChangeAnnotation},
		{"empty signature field drawn over the page", func() []byte {
			page := serializeObj(t, signed, 6, func(d Dict) Dict {
				a, _ := d.Get("Annots").(Array)
				d.Set("Annots", append(append(Array{}, a...), Ref{Num: 40}))
				return d
			})
			af := serializeObj(t, signed, acroFormNum(t, signed), func(d Dict) Dict {
				f, _ := d.Get("Fields").(Array)
				d.Set("Fields", append(append(Array{}, f...), Ref{Num: 40}))
				return d
			})
			ap := "q 1 1 1 rg 0 0 595 842 re f Q"
			return appendUpdate(t, signed, map[int]string{
				6:                      page,
				acroFormNum(t, signed): af,
				40:                     "<</Type /Annot /Subtype /Widget /FT /Sig /T (Cover) /Rect [0 0 595 842] /F 4 /P 6 0 R /AP <</N 41 0 R>>>>",
				41:                     fmt.Sprintf("<</Type /XObject /Subtype /Form /BBox [0 0 595 842] /Length %d>>\nstream\n%s\nendstream", len(ap), ap),
			}, "")
		}, trust.FormatFailure, MsgChangeFieldAdded},
		{"JavaScript run on opening", func() []byte {
			cat := serializeObj(t, signed, 1, func(d Dict) Dict {
				js := Dict{}
				js.Set("S", Name("JavaScript"))
				js.Set("JS", String{Bytes: []byte("app.alert('changed')")})
				d.Set("OpenAction", js)
				return d
			})
			return appendUpdate(t, signed, map[int]string{1: cat}, "")
		}, trust.FormatFailure, MsgChangeCatalog},
		{"signature dictionary replaced with /Contents copied", func() []byte {
			sd := serializeObj(t, signed, sigNum, func(d Dict) Dict {
				d.Set("Reason", TextString("I did not agree to this"))
				d.Set("M", String{Bytes: []byte("D:20200101000000+09'00'")})
				return d
			})
			return appendUpdate(t, signed, map[int]string{sigNum: sd}, "")
		}, trust.FormatFailure, "byterange"},
		{"signature dictionary replaced, byte range re-aimed", func() []byte {
			sd := serializeObj(t, signed, sigNum, func(d Dict) Dict {
				d.Set("Reason", TextString("I did not agree to this"))
				return d
			})
			out := appendUpdate(t, signed, map[int]string{sigNum: sd}, "")
			// Point the new dictionary's /ByteRange at its own /Contents and the new end.
			f, err := NewFile(bytes.NewReader(out), int64(len(out)))
			if err != nil {
				t.Fatal(err)
			}
			o, _ := f.Resolve(f.Last(), Ref{Num: sigNum})
			c := o.(Dict).Get("Contents").(String)
			old := brRe.FindAllIndex(out, -1)
			loc := old[len(old)-1]
			br := fmt.Sprintf("/ByteRange [0 %d %d %d]", c.Pos, c.End, int64(len(out))-c.End)
			if len(br) > loc[1]-loc[0] {
				t.Fatalf("the re-aimed /ByteRange %q does not fit in the original one", br)
			}
			br += string(bytes.Repeat([]byte(" "), loc[1]-loc[0]-len(br)))
			copy(out[loc[0]:], br)
			return out
		}, trust.HashFailure, "message-digest"},
		{"byte range shifted", func() []byte {
			out := append([]byte{}, signed...)
			m := brRe.FindSubmatchIndex(out)
			a, _ := strconv.Atoi(string(out[m[2]:m[3]]))
			b, _ := strconv.Atoi(string(out[m[4]:m[5]]))
			copy(out[m[2]:m[3]], fmt.Sprintf("%0*d", m[3]-m[2], a+2))
			copy(out[m[4]:m[5]], fmt.Sprintf("%0*d", m[5]-m[4], b+2))
			return out
		}, trust.FormatFailure, "byterange"},
		{"byte range shortened", func() []byte {
			out := append([]byte{}, signed...)
			m := brRe.FindSubmatchIndex(out)
			c, _ := strconv.Atoi(string(out[m[6]:m[7]]))
			copy(out[m[6]:m[7]], fmt.Sprintf("%0*d", m[7]-m[6], c-200))
			return out
		}, trust.FormatFailure, "coverage"},
		{"bytes appended after %%EOF without an xref", func() []byte {
			return append(append([]byte{}, signed...), []byte("5 0 obj\n<</Evil true>>\nendobj\n")...)
		}, trust.FormatFailure, MsgChangeTrailingData},
		{"CMS swapped for one from another file", func() []byte {
			out := append([]byte{}, signed...)
			mine := contentsRe.FindIndex(out)
			theirs := contentsRe.Find(other)
			if len(theirs) != mine[1]-mine[0] {
				t.Fatalf("placeholders differ: %d vs %d", len(theirs), mine[1]-mine[0])
			}
			copy(out[mine[0]:], theirs)
			return out
		}, trust.HashFailure, "message-digest"},
	}
	for _, at := range attacks {
		t.Run(at.name, func(t *testing.T) {
			data := at.build()
			rep := verifyBytes(t, data, pol)
			if len(rep.Signatures) != 1 {
				t.Fatalf("%d signatures", len(rep.Signatures))
			}
			s := rep.Signatures[0]
			if s.Indication == trust.TotalPassed || rep.Indication == trust.TotalPassed {
				t.Fatalf("attack passed: %+v", s)
			}
			if s.Indication != trust.TotalFailed || s.SubIndication != at.sub {
				t.Fatalf("got %s/%s (%v), want TOTAL-FAILED/%s", s.Indication, s.SubIndication, s.Summary, at.sub)
			}
			found := false
			for _, c := range s.Checks {
				if !c.Passed && (string(c.Name) == at.reason || c.Detail.Key == at.reason) {
					found = true
				}
			}
			for _, o := range s.ChangesAfterSigning.Objects {
				if o.Why.Key == at.reason {
					found = true
				}
			}
			if !found {
				t.Fatalf("reason %s not reported; checks %+v changes %+v", at.reason, s.Checks, s.ChangesAfterSigning)
			}
		})
	}
}
