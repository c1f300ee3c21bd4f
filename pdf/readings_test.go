package pdf

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/mynasign/mynasign/trust"
)

// The attacks of this file go after the places where PDF readers disagree on what a
// file holds (docs/reading-model.md): a key given twice, a reference whose generation is
// not the object's, object bodies the cross-reference section does not list, and
// cross-reference sections that some readers repair.

// appendCustom appends an incremental update with a cross-reference table: the listed
// objects (in number order), then the raw unlisted text, then the table, which xref may
// rewrite (nil: as written) before the trailer.
func appendCustom(t testing.TB, data []byte, listed map[int]string, unlisted string, xref func(table string, offs map[int]int) string, extraTrailer string) []byte {
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
	for n := range listed {
		nums = append(nums, n)
		if int64(n) >= size {
			size = int64(n) + 1
		}
	}
	sort.Ints(nums)
	offs := map[int]int{}
	for _, n := range nums {
		offs[n] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", n, listed[n])
	}
	offs[-1] = b.Len() // where the unlisted text starts
	b.WriteString(unlisted)
	var tb strings.Builder
	tb.WriteString("xref\n0 1\n0000000000 65535 f\r\n")
	for _, n := range nums {
		fmt.Fprintf(&tb, "%d 1\n%010d 00000 n\r\n", n, offs[n])
	}
	table := tb.String()
	if xref != nil {
		table = xref(table, offs)
	}
	at := b.Len()
	b.WriteString(table)
	if size < 60 {
		size = 60
	}
	fmt.Fprintf(&b, "trailer\n<</Size %d /Root %s /Prev %d%s>>\nstartxref\n%d\n%%%%EOF\n", size,
		last.Trailer.Get("Root").(Ref), last.XRefOff, extraTrailer, at)
	return b.Bytes()
}

// contentStream is a content stream that shows text on a page.
func contentStream(text string) string {
	body := "BT /F1 24 Tf 72 720 Td (" + text + ") Tj ET"
	return fmt.Sprintf("<</Length %d>>\nstream\n%s\nendstream", len(body), body)
}

// signedWith signs in after an update that defines objs, and checks that it verifies.
func signedWith(t *testing.T, spec docSpec, objs map[int]string, extraTrailer string) []byte {
	t.Helper()
	in := makePDF(t, spec)
	if objs != nil {
		in = appendUpdate(t, in, objs, extraTrailer)
	}
	signed, _ := signBytes(t, in, personaOptions(t, "valid", PAdES))
	requirePassed(t, verifyBytes(t, signed, testPolicy(t)), 1)
	return signed
}

// rawPage writes page 2 of makePDF (object 8) with extra entries written as is.
func rawPage(extra string) string {
	return "<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources <</Font <</F1 3 0 R>>>> /Contents 9 0 R" + extra + ">>"
}

func TestRepeatedKeysInTheSignedRevision(t *testing.T) {
	pol := testPolicy(t)
	same := "Hello, page 2"
	t.Run("second /Contents rewritten after signing", func(t *testing.T) {
		// Page 2 names its content twice; both show the same text when signing. Readers
		// that take the last /Contents show 40, which a later update rewrites.
		signed := signedWith(t, docSpec{pages: 2}, map[int]string{8: rawPage(" /Contents 40 0 R"), 40: contentStream(same)}, "")
		requireRejected(t, verifyBytes(t, appendUpdate(t, signed, map[int]string{40: contentStream("Pay 1,000,000 yen")}, ""), pol))
	})
	t.Run("second /Resources rewritten after signing", func(t *testing.T) {
		signed := signedWith(t, docSpec{pages: 2}, map[int]string{8: rawPage(" /Resources 41 0 R"), 41: "<</Font <</F1 3 0 R>>>>"}, "")
		attacked := appendUpdate(t, signed, map[int]string{41: "<</Font <</F1 42 0 R>>>>", 42: "<</Type /Font /Subtype /Type1 /BaseFont /Symbol>>"}, "")
		requireRejected(t, verifyBytes(t, attacked, pol))
	})
	t.Run("repeated key dropped after signing", func(t *testing.T) {
		// The page is rewritten with its first /Contents only: this reader sees no
		// change, readers that took the last one now show another content.
		signed := signedWith(t, docSpec{pages: 2}, map[int]string{8: rawPage(" /Contents 40 0 R"), 40: contentStream("Void")}, "")
		rep := verifyBytes(t, appendUpdate(t, signed, map[int]string{8: rawPage("")}, ""), pol)
		requireRejected(t, rep)
		requireReason(t, rep, MsgChangeAmbiguous)
	})
}

func TestGenerationMismatch(t *testing.T) {
	pol := testPolicy(t)
	overlay := "q 1 1 1 rg 0 0 595 842 re f 0 g BT /F1 24 Tf 72 720 Td (Pay 1,000,000 yen) Tj ET Q"
	apStream := fmt.Sprintf("<</Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources <</Font <</F1 3 0 R>>>> /Length %d>>\nstream\n%s\nendstream", len(overlay), overlay)
	t.Run("annotation defined later under another generation", func(t *testing.T) {
		// Page 2 lists annotation 40 1 R, which does not exist when signing (null). A
		// later update defines 40 0 obj: readers that ignore generations draw it.
		signed := signedWith(t, docSpec{pages: 2}, map[int]string{8: rawPage(" /Annots [40 1 R]")}, "")
		attacked := appendUpdate(t, signed, map[int]string{
			40: "<</Type /Annot /Subtype /Square /Rect [0 0 595 842] /F 4 /AP <</N 41 0 R>>>>",
			41: apStream,
		}, "")
		requireRejected(t, verifyBytes(t, attacked, pol))
	})
	t.Run("content stream defined later under another generation", func(t *testing.T) {
		signed := signedWith(t, docSpec{pages: 2}, map[int]string{8: strings.Replace(rawPage(""), "/Contents 9 0 R", "/Contents [9 0 R 42 1 R]", 1)}, "")
		requireRejected(t, verifyBytes(t, appendUpdate(t, signed, map[int]string{42: contentStream("Pay 1,000,000 yen")}, ""), pol))
	})
	t.Run("object stream member referred to with generation 1", func(t *testing.T) {
		// In a file with object streams, the catalog's /OpenAction names 43 1 R; a later
		// update defines 43 0 obj as a JavaScript action.
		in := makePDF(t, docSpec{pages: 2, xrefStream: true})
		cat := serializeObj(t, in, 1, func(d Dict) Dict {
			d.Set("OpenAction", Ref{Num: 43, Gen: 1})
			return d
		})
		in = appendUpdate(t, in, map[int]string{1: cat}, "")
		signed, _ := signBytes(t, in, personaOptions(t, "valid", PAdES))
		requirePassed(t, verifyBytes(t, signed, pol), 1)
		attacked := appendUpdate(t, signed, map[int]string{43: "<</S /JavaScript /JS (app.alert('changed'))>>"}, "")
		requireRejected(t, verifyBytes(t, attacked, pol))
	})
}

func TestBodiesTheCrossReferenceDoesNotList(t *testing.T) {
	pol := testPolicy(t)
	signed := signedWith(t, docSpec{pages: 2}, nil, "")
	info := serializeObj(t, signed, 4, func(d Dict) Dict {
		d.Set("Title", TextString("updated"))
		return d
	})
	evil := "7 0 obj\n" + contentStream("Pay 1,000,000 yen") + "\nendobj\n"
	// Baseline: the same update without the unlisted body is a permitted metadata change.
	ok := appendCustom(t, signed, map[int]string{4: info}, "", nil, " /Info 4 0 R")
	if s := verifyBytes(t, ok, pol).Signatures[0]; s.Indication != trust.TotalPassed || s.ChangesAfterSigning.Level != trust.ChangesPermitted {
		t.Fatalf("baseline: %s %s %+v", s.Indication, s.ChangesAfterSigning.Level, s.ChangesAfterSigning.Objects)
	}
	cases := map[string][]byte{
		// Page 1's content redefined in the update's body, not in its table.
		"unlisted body": appendCustom(t, signed, map[int]string{4: info}, evil, nil, " /Info 4 0 R"),
		// The table lists the harmless copy of 7; a second copy follows it.
		"second copy after the listed one": appendCustom(t, signed, map[int]string{4: info, 7: contentStream("Hello, page 1")}, evil, nil, " /Info 4 0 R"),
		// A third copy of 7 after a listed, unchanged one and an unlisted harmless one.
		"last of three copies": appendCustom(t, signed, map[int]string{4: info, 7: contentStream("Hello, page 1")},
			"7 0 obj\n"+contentStream("Hello, page 1")+"\nendobj\n"+evil, nil, " /Info 4 0 R"),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			rep := verifyBytes(t, data, pol)
			requireRejected(t, rep)
		})
	}
}

func TestCrossReferenceTablesReadersRepair(t *testing.T) {
	pol := testPolicy(t)
	signed := signedWith(t, docSpec{pages: 2}, nil, "")
	info := serializeObj(t, signed, 4, func(d Dict) Dict {
		d.Set("Title", TextString("updated"))
		return d
	})
	evil := "7 0 obj\n" + contentStream("Pay 1,000,000 yen") + "\nendobj\n"
	comment := func(table string, _ map[int]string) string {
		return strings.Replace(table, "0 1\n", "0 1 % the free list\n", 1)
	}
	short := func(table string) string { return strings.ReplaceAll(table, " n\r\n", " n\n") }
	t.Run("comment, readings agree", func(t *testing.T) {
		// Readers that reject the comment rebuild the table from the bodies: the same
		// objects. The update is a permitted metadata change for every reading.
		data := appendCustom(t, signed, map[int]string{4: info}, "", func(tb string, _ map[int]int) string { return comment(tb, nil) }, " /Info 4 0 R")
		s := verifyBytes(t, data, pol).Signatures[0]
		if s.Indication != trust.TotalPassed || s.ChangesAfterSigning.Level != trust.ChangesPermitted {
			t.Fatalf("%s %s %+v", s.Indication, s.ChangesAfterSigning.Level, s.ChangesAfterSigning.Objects)
		}
	})
	t.Run("comment, repaired reading differs", func(t *testing.T) {
		data := appendCustom(t, signed, map[int]string{4: info}, evil, func(tb string, _ map[int]int) string { return comment(tb, nil) }, " /Info 4 0 R")
		rep := verifyBytes(t, data, pol)
		requireRejected(t, rep)
		requireReason(t, rep, MsgChangeUnlisted)
	})
	t.Run("short entries, repaired reading differs", func(t *testing.T) {
		data := appendCustom(t, signed, map[int]string{4: info, 7: contentStream("Hello, page 1")}, evil,
			func(tb string, _ map[int]int) string { return short(tb) }, " /Info 4 0 R")
		rep := verifyBytes(t, data, pol)
		requireRejected(t, rep)
		requireReason(t, rep, MsgChangeUnlisted)
	})
}

// requireReason checks that the first signature's changes name reason.
func requireReason(t *testing.T, rep *trust.DocumentReport, reason string) {
	t.Helper()
	for _, o := range rep.Signatures[0].ChangesAfterSigning.Objects {
		if o.Why.Key == reason {
			return
		}
	}
	t.Fatalf("no change for %s: %+v", reason, rep.Signatures[0].ChangesAfterSigning.Objects)
}

func TestAnnotationOrderAfterSigning(t *testing.T) {
	pol := testPolicy(t)
	// Page 2 carries a white box (40) and, drawn over it, a text stamp (41). Which one
	// is on top is the order of /Annots.
	box := "q 1 1 1 rg 0 0 300 60 re f Q"
	stamp := "BT /F1 24 Tf 10 20 Td (Paid) Tj ET"
	annots := map[int]string{
		40: "<</Type /Annot /Subtype /Square /Rect [60 700 360 760] /F 4 /AP <</N 43 0 R>>>>",
		41: "<</Type /Annot /Subtype /Stamp /Rect [60 700 360 760] /F 4 /AP <</N 44 0 R>>>>",
		43: fmt.Sprintf("<</Type /XObject /Subtype /Form /BBox [0 0 300 60] /Length %d>>\nstream\n%s\nendstream", len(box), box),
		44: fmt.Sprintf("<</Type /XObject /Subtype /Form /BBox [0 0 300 60] /Resources <</Font <</F1 3 0 R>>>> /Length %d>>\nstream\n%s\nendstream", len(stamp), stamp),
	}
	with := func(extra map[int]string) map[int]string {
		m := map[int]string{}
		for k, v := range annots {
			m[k] = v
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	direct := signedWith(t, docSpec{pages: 2}, with(map[int]string{8: rawPage(" /Annots [40 0 R 41 0 R]")}), "")
	indirect := signedWith(t, docSpec{pages: 2}, with(map[int]string{8: rawPage(" /Annots 42 0 R"), 42: "[40 0 R 41 0 R]"}), "")
	cases := map[string][]byte{
		"reordered":          appendUpdate(t, direct, map[int]string{8: rawPage(" /Annots [41 0 R 40 0 R]")}, ""),
		"repeated":           appendUpdate(t, direct, map[int]string{8: rawPage(" /Annots [40 0 R 41 0 R 40 0 R]")}, ""),
		"indirect reordered": appendUpdate(t, indirect, map[int]string{42: "[41 0 R 40 0 R]"}, ""),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			rep := verifyBytes(t, data, pol)
			requireRejected(t, rep)
			requireReason(t, rep, MsgChangeAnnotsOrder)
		})
	}
	// Rewriting the page with its /Annots as it was is no change of what it shows.
	same := appendUpdate(t, direct, map[int]string{8: rawPage(" /Annots [40 0 R 41 0 R]")}, "")
	if s := verifyBytes(t, same, pol).Signatures[0]; s.Indication != trust.TotalPassed {
		t.Fatalf("page rewritten unchanged: %s %+v", s.Indication, s.ChangesAfterSigning.Objects)
	}
}

func TestTrailerInTheUpdateBody(t *testing.T) {
	pol := testPolicy(t)
	signed := signedWith(t, docSpec{pages: 2}, nil, "")
	info := serializeObj(t, signed, 4, func(d Dict) Dict {
		d.Set("Title", TextString("updated"))
		return d
	})
	cat := serializeObj(t, signed, 1, func(d Dict) Dict {
		d.Set("OpenAction", Ref{Num: 41})
		return d
	})
	// A second catalog, listed but named by no trailer this reader uses, and a trailer
	// naming it in the body: readers that rebuild the file take the last trailer they
	// find.
	objs := map[int]string{4: info, 40: cat, 41: "<</S /JavaScript /JS (app.alert('changed'))>>"}
	for name, tail := range map[string]string{
		"after the objects":       "trailer\n<</Size 60 /Root 40 0 R>>\n",
		"with a comment before":   "% repaired\ntrailer <</Root 40 0 R /Size 60>>\n",
		"naming the same catalog": "trailer\n<</Size 60 /Root 1 0 R /Info 40 0 R>>\n",
	} {
		t.Run(name, func(t *testing.T) {
			data := appendCustom(t, signed, objs, tail, nil, " /Info 4 0 R")
			rep := verifyBytes(t, data, pol)
			requireRejected(t, rep)
			requireReason(t, rep, MsgChangeUnlisted)
		})
	}
}

func TestSubsectionNumberingReadersRepair(t *testing.T) {
	pol := testPolicy(t)
	signed := signedWith(t, docSpec{pages: 2}, nil, "")
	info := serializeObj(t, signed, 4, func(d Dict) Dict {
		d.Set("Title", TextString("updated"))
		return d
	})
	evil := "7 0 obj\n" + contentStream("Pay 1,000,000 yen") + "\nendobj\n"
	cat := serializeObj(t, signed, 1, func(d Dict) Dict {
		d.Set("OpenAction", Ref{Num: 41})
		return d
	})
	cases := map[string][]byte{
		// "7 2" with a free first entry: this reader takes 8 at the body, readers that
		// shift the subsection take 7.
		"first entry free": appendCustom(t, signed, map[int]string{4: info}, evil, func(table string, offs map[int]int) string {
			return table + fmt.Sprintf("7 2\n0000000000 65535 f\r\n%010d 00000 n\r\n", offs[-1])
		}, " /Info 4 0 R"),
		// "1 2" with a free first entry (pdf.js reads it as starting at 0): object 1 is
		// freed for this reader, a new catalog for pdf.js.
		"starting at 1": appendCustom(t, signed, map[int]string{4: info, 41: "<</S /JavaScript /JS (app.alert('changed'))>>"},
			"1 0 obj\n"+cat+"\nendobj\n", func(table string, offs map[int]int) string {
				return table + fmt.Sprintf("1 2\n0000000000 65535 f\r\n%010d 00000 n\r\n", offs[-1])
			}, " /Info 4 0 R"),
		// The entry for 9 (page 2's content) names a body whose header says 7.
		"header of another object": appendCustom(t, signed, map[int]string{4: info}, evil, func(table string, offs map[int]int) string {
			return table + fmt.Sprintf("9 1\n%010d 00000 n\r\n", offs[-1])
		}, " /Info 4 0 R"),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			rep := verifyBytes(t, data, pol)
			if len(rep.Signatures) == 0 {
				// The catalog is gone for this reader: the document is refused whole.
				if rep.Indication != trust.Indeterminate || rep.SubIndication != trust.FormatFailure {
					t.Fatalf("%s/%s without signatures", rep.Indication, rep.SubIndication)
				}
				return
			}
			requireRejected(t, rep)
		})
	}
}

func TestSigningKeepsRepeatedKeys(t *testing.T) {
	// Page 1 (6) names its content twice and its annotations twice. Signing visibly
	// rewrites the page: the second /Contents stays, so that readers that take it show
	// what they showed before; /Annots, which the signature sets, is left once.
	page := "<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources <</Font <</F1 3 0 R>>>> /Contents 7 0 R /Annots [] /Contents 40 0 R /Annots []>>"
	in := appendUpdate(t, makePDF(t, docSpec{pages: 2}), map[int]string{6: page, 40: contentStream("Hello, page 1")}, "")
	opts := personaOptions(t, "valid", PAdES)
	opts.Visible = &Appearance{Page: 1, X: 320, Y: 40, W: 230, H: 70}
	signed, _ := signBytes(t, in, opts)
	requirePassed(t, verifyBytes(t, signed, testPolicy(t)), 1)
	f, err := NewFile(bytes.NewReader(signed), int64(len(signed)))
	if err != nil {
		t.Fatal(err)
	}
	o, err := f.Resolve(f.Last(), Ref{Num: 6})
	if err != nil {
		t.Fatal(err)
	}
	d := o.(Dict)
	if len(d.Shadowed) != 1 || d.Shadowed[0].Key != "Contents" || !Equal(d.Shadowed[0].Value, Ref{Num: 40}) {
		t.Fatalf("the second /Contents is not kept: %+v", d.Shadowed)
	}
	if a, _ := d.Get("Annots").(Array); len(a) != 1 {
		t.Fatalf("/Annots %v, want the signature's widget", d.Get("Annots"))
	}
}

func TestObjectStreamMembersTheCrossReferenceDoesNotPlace(t *testing.T) {
	pol := testPolicy(t)
	in := makePDF(t, docSpec{pages: 2, xrefStream: true})
	signed, _ := signBytes(t, in, personaOptions(t, "valid", PAdES))
	requirePassed(t, verifyBytes(t, signed, pol), 1)
	evilPage := "<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources <</Font <</F1 3 0 R>>>> /Contents 42 0 R>>"
	evil := contentStream("Pay 1,000,000 yen")
	// An update lists a new object stream (40) and nothing it holds: readers that
	// rebuild the file read its members as the newest objects.
	cases := map[string]map[int]string{
		"page 2":            {40: objStmBody([]int{8}, map[int]string{8: evilPage}), 42: evil},
		"page 2 and page 1": {40: objStmBody([]int{6, 8}, map[int]string{6: strings.Replace(evilPage, "42 0 R", "7 0 R", 1), 8: evilPage}), 42: evil},
		"catalog":           {40: objStmBody([]int{1}, map[int]string{1: "<</Type /Catalog /Pages 2 0 R /OpenAction 43 0 R>>"}), 43: "<</S /JavaScript /JS (app.alert('changed'))>>"},
	}
	for name, objs := range cases {
		t.Run(name, func(t *testing.T) {
			rep := verifyBytes(t, appendCustom(t, signed, objs, "", nil, ""), pol)
			requireRejected(t, rep)
			requireReason(t, rep, MsgChangeUnlisted)
		})
	}
}

func TestRepeatedKeysInTheSignedTrailer(t *testing.T) {
	pol := testPolicy(t)
	// The signed revision's trailer names the catalog twice: 1 (this reader) and 90, a
	// copy of it (readers that take the last). Both show the same when signing.
	in := makePDF(t, docSpec{pages: 2})
	cat := serializeObj(t, in, 1, func(d Dict) Dict { return d })
	in = appendUpdate(t, in, map[int]string{90: cat}, "")
	secondRoot := func(tail []byte) []byte {
		return bytes.Replace(tail, []byte(">>\nstartxref"), []byte(" /Root 90 0 R>>\nstartxref"), 1)
	}
	signed := signAssembled(t, in, asDetached, "\n", detachedCMS(t), secondRoot)
	f, err := NewFile(bytes.NewReader(signed), int64(len(signed)))
	if err != nil || !f.Trailer().Dup {
		t.Fatalf("the signed trailer does not name /Root twice (%v)", err)
	}
	requirePassed(t, verifyBytes(t, signed, pol), 1)
	action := "<</S /JavaScript /JS (app.alert('changed'))>>"
	evilCat := strings.Replace(cat, ">>", " /OpenAction 201 0 R>>", 1)
	info := serializeObj(t, signed, 4, func(d Dict) Dict {
		d.Set("Title", TextString("updated"))
		return d
	})
	cases := map[string][]byte{
		// The second copy's catalog gets an /OpenAction; the new trailer keeps both.
		"catalog of the second /Root rewritten": appendUpdate(t, signed, map[int]string{90: evilCat, 201: action}, " /Root 90 0 R"),
		// The new trailer names another catalog second.
		"another second /Root": appendUpdate(t, signed, map[int]string{202: evilCat, 201: action}, " /Root 202 0 R"),
		// The new trailer drops the second /Root: readers that took it now read 1.
		"second /Root dropped": appendUpdate(t, signed, map[int]string{4: info}, " /Info 4 0 R"),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			requireRejected(t, verifyBytes(t, data, pol))
		})
	}
	// A new trailer with /Prev twice: readers that take the last follow another chain.
	plain := signedWith(t, docSpec{pages: 2}, nil, "")
	requireRejected(t, verifyBytes(t, appendUpdate(t, plain, map[int]string{4: info}, " /Info 4 0 R /Prev 0"), pol))
}

func TestBodiesLeftInTheSignedRevision(t *testing.T) {
	pol := testPolicy(t)
	// Before signing, an update leaves an unlisted body of page 1's content (7): every
	// reader shows the listed one while the table is sound, and the signature covers it.
	in := makePDF(t, docSpec{pages: 2})
	title := func(data []byte, s string) string {
		return serializeObj(t, data, 4, func(d Dict) Dict {
			d.Set("Title", TextString(s))
			return d
		})
	}
	evil := "7 0 obj\n" + contentStream("Pay 1,000,000 yen") + "\nendobj\n"
	in = appendCustom(t, in, map[int]string{4: title(in, "draft")}, evil, nil, " /Info 4 0 R")
	signed, _ := signBytes(t, in, personaOptions(t, "valid", PAdES))
	requirePassed(t, verifyBytes(t, signed, pol), 1)
	info := title(signed, "final")
	// A sound update after signing brings nothing out.
	sound := appendCustom(t, signed, map[int]string{4: info}, "", nil, " /Info 4 0 R")
	if s := verifyBytes(t, sound, pol).Signatures[0]; s.Indication != trust.TotalPassed {
		t.Fatalf("sound update: %s %+v", s.Indication, s.ChangesAfterSigning.Objects)
	}
	// An update whose table readers rebuild: they then show the hidden body.
	cases := map[string]func(table string, offs map[int]int) string{
		"comment in the table": func(tb string, _ map[int]int) string { return strings.Replace(tb, "0 1\n", "0 1 % free list\n", 1) },
		"short entries":        func(tb string, _ map[int]int) string { return strings.ReplaceAll(tb, " n\r\n", " n\n") },
		// An entry for an object nothing uses, at the offset of another object's body.
		"entry at another object's body": func(tb string, offs map[int]int) string {
			return tb + fmt.Sprintf("50 1\n%010d 00000 n\r\n", offs[4])
		},
	}
	for name, edit := range cases {
		t.Run(name, func(t *testing.T) {
			data := appendCustom(t, signed, map[int]string{4: info}, "", edit, " /Info 4 0 R")
			f, err := NewFile(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				t.Fatal(err)
			}
			if !f.wouldRepair(f.Last()) {
				t.Fatal("the table is not seen as one readers rebuild")
			}
			rep := verifyBytes(t, data, pol)
			requireRejected(t, rep)
			requireReason(t, rep, MsgChangeUnlisted)
		})
	}
}
