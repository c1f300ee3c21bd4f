package pdf

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/mynasign/mynasign/trust"
)

// The attacks of this file go after the reader under the difference analysis: ways to
// make a later revision show something else without the analysis seeing a changed
// object (objects redefined through an object stream, dictionaries with a key twice
// that other readers resolve to the last value, a cached parse reused across
// revisions).

// objStmBody writes an object stream (uncompressed) holding the given objects in the
// given order.
func objStmBody(nums []int, bodies map[int]string) string {
	var head, body bytes.Buffer
	for _, n := range nums {
		fmt.Fprintf(&head, "%d %d ", n, body.Len())
		body.WriteString(bodies[n])
		body.WriteString("\n")
	}
	return fmt.Sprintf("<</Type /ObjStm /N %d /First %d /Length %d>>\nstream\n%s%s\nendstream",
		len(nums), head.Len(), head.Len()+body.Len(), head.String(), body.String())
}

// redefineObjStm returns a new version of the object stream that holds object num in
// the latest revision of data: the same objects in the same order, each as it is now,
// except those in override.
func redefineObjStm(t testing.TB, data []byte, num int, override map[int]string) (int, string) {
	t.Helper()
	f, err := NewFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	e, _, ok := f.entry(f.Last(), num)
	if !ok || e.kind != 'c' {
		t.Fatalf("object %d is not in an object stream", num)
	}
	stm := int(e.off)
	se, _, _ := f.entry(f.Last(), stm)
	os, err := f.loadObjStm(f.Last(), stm, se.off, 0)
	if err != nil {
		t.Fatal(err)
	}
	bodies := map[int]string{}
	for _, n := range os.nums {
		if b, ok := override[n]; ok {
			bodies[n] = b
			continue
		}
		o, err := f.Resolve(f.Last(), Ref{Num: n})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		appendObject(&b, o)
		bodies[n] = b.String()
	}
	return stm, objStmBody(os.nums, bodies)
}

// requireRejected checks that the attack did not pass and that the first signature is
// TOTAL-FAILED with a not-permitted change.
func requireRejected(t *testing.T, rep *trust.DocumentReport) {
	t.Helper()
	if rep.Indication == trust.TotalPassed {
		t.Fatalf("attack passed: %+v", rep.Signatures)
	}
	if len(rep.Signatures) == 0 {
		t.Fatalf("no signature reported: %+v", rep)
	}
	s := rep.Signatures[0]
	if s.Indication != trust.TotalFailed || s.SubIndication != trust.FormatFailure ||
		s.ChangesAfterSigning.Level != trust.ChangesNotPermitted {
		t.Fatalf("got %s/%s changes %s (%v); want TOTAL-FAILED/FORMAT_FAILURE with a change not permitted; changes %+v",
			s.Indication, s.SubIndication, s.ChangesAfterSigning.Level, s.Summary, s.ChangesAfterSigning.Objects)
	}
	t.Logf("rejected: %v", s.Summary)
	for _, o := range s.ChangesAfterSigning.Objects {
		t.Logf("  r%d %s %s %v", o.Revision, o.Object, o.Change, o.Why)
	}
}

func TestObjectStreamRedefinedAfterSigning(t *testing.T) {
	pol := testPolicy(t)
	// Catalog 1, pages 2, font 3, info 4, font descriptor 5, page 1 = 6 (content 7),
	// page 2 = 8 (content 9); the dictionaries sit in an object stream.
	in := makePDF(t, docSpec{pages: 2, xrefStream: true})
	signed, _ := signBytes(t, in, personaOptions(t, "valid", PAdES))
	requirePassed(t, verifyBytes(t, signed, pol), 1)

	cases := map[string]map[int]string{
		// Page 2 shows page 1's text: only the object stream is listed in the update.
		"page content swapped": {8: "<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources <</Font <</F1 3 0 R>>>> /Contents 7 0 R>>"},
		// The font every page uses is replaced.
		"font replaced": {3: "<</Type /Font /Subtype /Type1 /BaseFont /Courier>>"},
	}
	for name, override := range cases {
		t.Run(name, func(t *testing.T) {
			var some int
			for n := range override {
				some = n
			}
			stm, body := redefineObjStm(t, signed, some, override)
			attacked := appendUpdate(t, signed, map[int]string{stm: body}, "")
			// The attack works on a reader: the object now resolves to the new version.
			f, err := NewFile(bytes.NewReader(attacked), int64(len(attacked)))
			if err != nil {
				t.Fatal(err)
			}
			o, err := f.Resolve(f.Last(), Ref{Num: some})
			if err != nil {
				t.Fatal(err)
			}
			old, _ := f.Resolve(f.Last()-1, Ref{Num: some})
			if Equal(o, old) {
				t.Fatal("the object stream did not redefine the object")
			}
			requireRejected(t, verifyBytes(t, attacked, pol))
		})
	}
}

func TestIndirectLengthRedefinedAfterSigning(t *testing.T) {
	pol := testPolicy(t)
	// Page 1's content (7) takes its /Length from object 30, which the document
	// information dictionary (4) names too, so that 30 looks like metadata. Its data holds
	// a second line after an "endstream" token: a shorter /Length drops that line.
	in := makePDF(t, docSpec{pages: 2})
	first := "BT /F1 24 Tf 72 720 Td (Hello, page 1) Tj ET"
	data := first + "\nendstream\nBT /F1 24 Tf 72 680 Td (Void after 2026-12-31) Tj ET"
	info := serializeObj(t, in, 4, func(d Dict) Dict {
		d.Set("Pages", Ref{Num: 30})
		d.Set("First", Ref{Num: 7})
		return d
	})
	in = appendUpdate(t, in, map[int]string{
		4:  info,
		7:  "<</Length 30 0 R>>\nstream\n" + data + "\nendstream",
		30: fmt.Sprint(len(data)),
	}, " /Info 4 0 R")
	signed, _ := signBytes(t, in, personaOptions(t, "valid", PAdES))
	requirePassed(t, verifyBytes(t, signed, pol), 1)

	attacked := appendUpdate(t, signed, map[int]string{30: fmt.Sprint(len(first))}, " /Info 4 0 R")
	f, err := NewFile(bytes.NewReader(attacked), int64(len(attacked)))
	if err != nil {
		t.Fatal(err)
	}
	o, _ := f.Resolve(f.Last(), Ref{Num: 7})
	if st, ok := o.(*Stream); !ok || st.Length != int64(len(first)) {
		t.Fatalf("the content stream does not read shorter: %#v", o)
	}
	requireRejected(t, verifyBytes(t, attacked, pol))
}

func TestDuplicateKeysInLaterRevision(t *testing.T) {
	pol := testPolicy(t)
	in := makePDF(t, docSpec{pages: 2})
	signed, _ := signBytes(t, in, personaOptions(t, "valid", PAdES))
	requirePassed(t, verifyBytes(t, signed, pol), 1)
	evil := "BT /F1 24 Tf 72 720 Td (Pay 1,000,000 yen) Tj ET"
	stream := fmt.Sprintf("<</Length %d>>\nstream\n%s\nendstream", len(evil), evil)

	t.Run("page dictionary with /Contents twice", func(t *testing.T) {
		// Page 2 (object 8) again, with a second /Contents: readers that take the last
		// occurrence (pdf.js, PDFium) draw the new stream.
		page := serializeObj(t, signed, 8, func(d Dict) Dict { return d })
		page = page[:len(page)-2] + " /Contents 40 0 R>>"
		attacked := appendUpdate(t, signed, map[int]string{8: page, 40: stream}, "")
		requireRejected(t, verifyBytes(t, attacked, pol))
	})
	t.Run("trailer with /Root twice", func(t *testing.T) {
		// A new catalog with an /OpenAction, named by a second /Root in the trailer.
		cat := serializeObj(t, signed, 1, func(d Dict) Dict {
			d.Set("OpenAction", Array{Ref{Num: 8}, Name("Fit")})
			return d
		})
		attacked := appendUpdate(t, signed, map[int]string{40: cat}, " /Root 40 0 R")
		requireRejected(t, verifyBytes(t, attacked, pol))
	})
}

func TestMetadataAreaReachesThePage(t *testing.T) {
	pol := testPolicy(t)
	// The document information dictionary (4) also names page 1 (6): the signer cannot
	// see that. After signing, page 1's content stream (7), used by page 1 alone, is
	// rewritten: it lies below /Info, but the page shows it.
	in := makePDF(t, docSpec{pages: 2})
	info := serializeObj(t, in, 4, func(d Dict) Dict {
		d.Set("Cover", Ref{Num: 6})
		return d
	})
	in = appendUpdate(t, in, map[int]string{4: info}, " /Info 4 0 R")
	signed, _ := signBytes(t, in, personaOptions(t, "valid", PAdES))
	requirePassed(t, verifyBytes(t, signed, pol), 1)
	evil := "BT /F1 24 Tf 72 720 Td (Pay 1,000,000 yen) Tj ET"
	attacked := appendUpdate(t, signed, map[int]string{7: fmt.Sprintf("<</Length %d>>\nstream\n%s\nendstream", len(evil), evil)}, " /Info 4 0 R")
	requireRejected(t, verifyBytes(t, attacked, pol))
}

func TestManyReferencesHideAnotherUse(t *testing.T) {
	pol := testPolicy(t)
	// The catalog names object 30 twenty times inside /DSS before it names it as its
	// /Names: the other use must still be seen when 30 is rewritten later.
	in := makePDF(t, docSpec{pages: 1})
	cat := serializeObj(t, in, 1, func(d Dict) Dict {
		var certs Array
		for i := 0; i < 20; i++ {
			certs = append(certs, Ref{Num: 30})
		}
		dss := Dict{}
		dss.Set("Certs", certs)
		d.Set("DSS", dss)
		d.Set("Names", Ref{Num: 30})
		return d
	})
	in = appendUpdate(t, in, map[int]string{1: cat, 30: "<<>>"}, "")
	signed, _ := signBytes(t, in, personaOptions(t, "valid", PAdES))
	requirePassed(t, verifyBytes(t, signed, pol), 1)
	attacked := appendUpdate(t, signed, map[int]string{
		30: "<</JavaScript <</Names [(a) 60 0 R]>>>>",
		60: "<</S /JavaScript /JS (app.alert('The amount is 1,000,000 yen'))>>",
	}, "")
	requireRejected(t, verifyBytes(t, attacked, pol))
}

func TestNeedAppearancesTurnedOnAfterSigning(t *testing.T) {
	pol := testPolicy(t)
	// A text field "Name" whose value is not what its appearance shows; the signature
	// locks the field (FieldMDP). Turning on /NeedAppearances later makes viewers draw the
	// value instead: the locked field shows something else.
	in := makePDF(t, docSpec{acroForm: "indirect", textField: true})
	f, err := NewFile(bytes.NewReader(in), int64(len(in)))
	if err != nil {
		t.Fatal(err)
	}
	fields, _ := f.Fields(0)
	fieldNum := fields[0].Ref.Num
	ap := "/Tx BMC BT /Helv 12 Tf 2 10 Td (Taro) Tj ET EMC"
	field := serializeObj(t, in, fieldNum, func(d Dict) Dict {
		d.Set("V", String{Bytes: []byte("1,000,000")})
		ap := Dict{}
		ap.Set("N", Ref{Num: 40})
		d.Set("AP", ap)
		return d
	})
	in = appendUpdate(t, in, map[int]string{fieldNum: field,
		40: fmt.Sprintf("<</Type /XObject /Subtype /Form /BBox [0 0 228 30] /Length %d>>\nstream\n%s\nendstream", len(ap), ap)}, "")
	af := acroFormNum(t, in)
	signed := signLocked(t, in, "Include", "(Name)")
	requirePassed(t, verifyBytes(t, signed, pol), 1)

	body := serializeObj(t, signed, af, func(d Dict) Dict {
		d.Set("NeedAppearances", Bool(true))
		return d
	})
	attacked := appendUpdate(t, signed, map[int]string{af: body}, "")
	rep := verifyBytes(t, attacked, pol)
	requireRejected(t, rep)
	found := false
	for _, o := range rep.Signatures[0].ChangesAfterSigning.Objects {
		found = found || (o.Why.Key == MsgChangeFieldLocked && len(o.Why.Args) == 1 && o.Why.Args[0] == "Name")
	}
	if !found {
		t.Fatalf("the locked field is not named: %+v", rep.Signatures[0].ChangesAfterSigning.Objects)
	}

	// With /NeedAppearances already on when signing, a new default appearance (white
	// text) redraws the locked field just the same.
	on := serializeObj(t, in, af, func(d Dict) Dict {
		d.Set("NeedAppearances", Bool(true))
		return d
	})
	signedOn := signLocked(t, appendUpdate(t, in, map[int]string{af: on}, ""), "Include", "(Name)")
	requirePassed(t, verifyBytes(t, signedOn, pol), 1)
	white := serializeObj(t, signedOn, af, func(d Dict) Dict {
		d.Set("DA", String{Bytes: []byte("/Helv 0 Tf 1 1 1 rg")})
		return d
	})
	requireRejected(t, verifyBytes(t, appendUpdate(t, signedOn, map[int]string{af: white}, ""), pol))

	// Without a lock the same change is permitted, as form filling is, and named.
	signed, _ = signBytes(t, in, personaOptions(t, "valid", PAdES))
	attacked = appendUpdate(t, signed, map[int]string{af: body}, "")
	rep = verifyBytes(t, attacked, pol)
	s := rep.Signatures[0]
	found = false
	for _, o := range s.ChangesAfterSigning.Objects {
		found = found || (o.Why.Key == MsgChangeRedrawn && len(o.Why.Args) == 1 && o.Why.Args[0] == "Name")
	}
	if s.ChangesAfterSigning.Level != trust.ChangesPermitted || !found {
		t.Fatalf("unlocked: %s %+v", s.ChangesAfterSigning.Level, s.ChangesAfterSigning.Objects)
	}
}

func TestSignatureValueReusedByAnotherField(t *testing.T) {
	pol := testPolicy(t)
	in := makePDF(t, docSpec{acroForm: "indirect"})
	signed, _ := signBytes(t, in, personaOptions(t, "valid", PAdES))
	requirePassed(t, verifyBytes(t, signed, pol), 1)
	sig := sigDictNum(t, signed)
	af := acroFormNum(t, signed)
	// A new field "Approver" whose value is the existing signature dictionary: the report
	// would show the signer as having signed as the approver too.
	body := serializeObj(t, signed, af, func(d Dict) Dict {
		f, _ := d.Get("Fields").(Array)
		d.Set("Fields", append(append(Array{}, f...), Ref{Num: 40}))
		return d
	})
	attacked := appendUpdate(t, signed, map[int]string{
		af: body,
		40: fmt.Sprintf("<</Type /Annot /Subtype /Widget /FT /Sig /T (Approver) /V %d 0 R /Rect [0 0 0 0] /F 2>>", sig),
	}, "")
	rep := verifyBytes(t, attacked, pol)
	if rep.Indication == trust.TotalPassed {
		t.Fatalf("attack passed: %+v", rep.Signatures)
	}
	for _, s := range rep.Signatures {
		if s.ID == "Approver" && s.Indication == trust.TotalPassed {
			t.Fatalf("the reused signature passes as the approver's: %+v", s)
		}
	}
	requireRejected(t, rep)
}
