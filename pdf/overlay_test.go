package pdf

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/mynasign/mynasign/trust"
)

// Overlays drawn through the widgets of signature and time-stamp fields after signing
// (issue 12, item 3; overlay.go). The viewer oracle exempts revisions that add a
// signature, so every case asserts the verdict itself.

// overlayAP is a form XObject that paints the page white and writes forged text on it.
func overlayAP() string {
	draw := "q 1 1 1 rg 0 0 595 842 re f 0 g BT /F1 24 Tf 72 720 Td (Pay 1,000,000 yen) Tj ET Q"
	return fmt.Sprintf("<</Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources <</Font <</F1 3 0 R>>>> /Length %d>>\nstream\n%s\nendstream", len(draw), draw)
}

// bogusSigValue is a signature dictionary whose value proves nothing.
const bogusSigValue = "<</Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [0 100 200 300] /Contents <3080060a2a864886f70d010702a0803080>>>"

// firstPage returns the object number of page 1 of the newest revision.
func firstPage(t testing.TB, data []byte) int {
	t.Helper()
	f, err := NewFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	pages, err := f.Pages(f.Last())
	if err != nil || len(pages) == 0 {
		t.Fatalf("pages: %v", err)
	}
	return pages[0].Num
}

// withField appends an update that adds field 40 (its body given, a merged widget on
// page 1) to the form and to page 1's /Annots, with the other objects objs.
func withField(t testing.TB, data []byte, field string, objs map[int]string) []byte {
	t.Helper()
	af, page := acroFormNum(t, data), firstPage(t, data)
	all := map[int]string{40: field}
	all[af] = serializeObj(t, data, af, func(d Dict) Dict {
		f, _ := d.Get("Fields").(Array)
		d.Set("Fields", append(append(Array{}, f...), Ref{Num: 40}))
		d.Set("SigFlags", Int(3))
		return d
	})
	all[page] = serializeObj(t, data, page, func(d Dict) Dict {
		a, _ := d.Get("Annots").(Array)
		d.Set("Annots", append(append(Array{}, a...), Ref{Num: 40}))
		return d
	})
	for n, b := range objs {
		all[n] = b
	}
	return appendUpdate(t, data, all, "")
}

// sigWidget is a merged signature field and widget on page (the /Rect, /F and value
// entries written as given).
func sigWidget(name string, page int, entries string) string {
	return fmt.Sprintf("<</Type /Annot /Subtype /Widget /FT /Sig /T (%s) /P %d 0 R%s>>", name, page, entries)
}

// requireOverlay checks that the first signature is refused for an overlay.
func requireOverlay(t *testing.T, rep *trust.DocumentReport) {
	t.Helper()
	requireRejected(t, rep)
	requireReason(t, rep, MsgChangeOverlay)
}

// requireFirstKept checks that the first signature passes with permitted changes only.
func requireFirstKept(t *testing.T, rep *trust.DocumentReport) {
	t.Helper()
	s := rep.Signatures[0]
	if s.Indication != trust.TotalPassed || s.ChangesAfterSigning.Level != trust.ChangesPermitted {
		t.Fatalf("first signature %s/%s %v changes %s %+v; want TOTAL-PASSED with permitted changes", s.Indication,
			s.SubIndication, s.Summary, s.ChangesAfterSigning.Level, s.ChangesAfterSigning.Objects)
	}
}

func TestOverlayThroughSignatureFields(t *testing.T) {
	pol := testPolicy(t)
	spec := docSpec{acroForm: "indirect"}
	signed, _ := signBytes(t, makePDF(t, spec), personaOptions(t, "valid", PAdES))
	requirePassed(t, verifyBytes(t, signed, pol), 1)
	page := firstPage(t, signed)
	visible := " /Rect [0 0 595 842] /F 4 /AP <</N 41 0 R>> /V 42 0 R"
	t.Run("signature value that does not verify", func(t *testing.T) {
		attacked := withField(t, signed, sigWidget("Approver", page, visible), map[int]string{41: overlayAP(), 42: bogusSigValue})
		requireOverlay(t, verifyBytes(t, attacked, pol))
	})
	t.Run("value typed /DocTimeStamp with another SubFilter", func(t *testing.T) {
		value := "<</Type /DocTimeStamp /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 100 200 300] /Contents <00>>>"
		attacked := withField(t, signed, sigWidget("Stamp", page, visible), map[int]string{41: overlayAP(), 42: value})
		requireOverlay(t, verifyBytes(t, attacked, pol))
	})
	t.Run("value typed /DocTimeStamp without a SubFilter", func(t *testing.T) {
		value := "<</Type /DocTimeStamp /ByteRange [0 100 200 300] /Contents <00>>>"
		attacked := withField(t, signed, sigWidget("Stamp", page, visible), map[int]string{41: overlayAP(), 42: value})
		requireOverlay(t, verifyBytes(t, attacked, pol))
	})
	vis := personaOptions(t, "valid", PAdES)
	vis.Visible = &Appearance{Page: 1, Corner: BottomRight, W: 200, H: 60}
	t.Run("document time-stamp drawn visibly", func(t *testing.T) {
		// The token verifies: a document time-stamp all the same names nobody who vouches
		// for what its widget draws.
		stamped := signAssembledWith(t, signed, vis, asDocTimeStamp, "\n", timeStampToken(t))
		rep := verifyBytes(t, stamped, pol)
		requireOverlay(t, rep)
		if len(rep.Signatures) != 2 || !rep.Signatures[1].Intact {
			t.Fatalf("the time-stamp itself should verify: %+v", rep.Signatures)
		}
	})
	t.Run("document time-stamp, invisible", func(t *testing.T) {
		stamped := signAssembled(t, signed, asDocTimeStamp, "\n", timeStampToken(t))
		requireFirstKept(t, verifyBytes(t, stamped, pol))
	})
	t.Run("a later signature that verifies, drawn visibly", func(t *testing.T) {
		again, _ := signBytes(t, signed, vis)
		requirePassed(t, verifyBytes(t, again, pol), 2)
	})
	t.Run("a later signature that does not verify, drawn visibly", func(t *testing.T) {
		// Made as a genuine signature, then its CMS is spoiled: intact no more.
		again := signAssembledWith(t, signed, vis, nil, "\n", func(b []byte) []byte {
			der := detachedCMS(t)(b)
			der[len(der)-1] ^= 0xff
			return der
		})
		rep := verifyBytes(t, again, pol)
		requireOverlay(t, rep)
	})
	t.Run("a later signature that cannot be evaluated, drawn visibly", func(t *testing.T) {
		// A SubFilter this verifier does not know, whose /Contents is no CMS: the later
		// signature is INDETERMINATE, and so is the one whose page it draws over — no
		// proof of a forgery, no permitted change.
		unknown := func(raw []byte) []byte {
			return bytes.Replace(raw, []byte("/SubFilter /ETSI.CAdES.detached"), []byte("/SubFilter /x.unknown"), 1)
		}
		again := signAssembledWith(t, signed, vis, unknown, "\n", func([]byte) []byte { return []byte{0x04, 0x01, 0x00} })
		rep := verifyBytes(t, again, pol)
		if rep.Indication == trust.TotalPassed {
			t.Fatalf("attack passed: %+v", rep.Signatures)
		}
		s := rep.Signatures[0]
		if s.Indication != trust.Indeterminate || s.ChangesAfterSigning.Level != trust.ChangesNotPermitted {
			t.Fatalf("first signature %s/%s %v changes %s %+v; want INDETERMINATE with a change not permitted",
				s.Indication, s.SubIndication, s.Summary, s.ChangesAfterSigning.Level, s.ChangesAfterSigning.Objects)
		}
		requireReason(t, rep, MsgChangeOverlayUnverifiable)
		// The same signature, invisible, is a signature added.
		again = signAssembled(t, signed, unknown, "\n", func([]byte) []byte { return []byte{0x04, 0x01, 0x00} })
		requireFirstKept(t, verifyBytes(t, again, pol))
	})
	t.Run("signature value that does not verify, invisible", func(t *testing.T) {
		attacked := withField(t, signed, sigWidget("Approver", page, " /Rect [0 0 0 0] /F 4 /AP <</N 41 0 R>> /V 42 0 R"),
			map[int]string{41: overlayAP(), 42: bogusSigValue})
		rep := verifyBytes(t, attacked, pol)
		requireFirstKept(t, rep)
		if rep.Indication == trust.TotalPassed {
			t.Fatal("a document with a signature that does not verify passes")
		}
	})
}

func TestOverlayThroughAnEmptySignatureField(t *testing.T) {
	pol := testPolicy(t)
	in := makePDF(t, docSpec{acroForm: "indirect"})
	af, page := acroFormNum(t, in), firstPage(t, in)
	// The signed revision holds an empty signature field "Approval" with a place on the
	// page and nothing drawn in it.
	field := sigWidget("Approval", page, " /Rect [300 300 500 400] /F 4")
	prep := map[int]string{
		40: field,
		af: serializeObj(t, in, af, func(d Dict) Dict { d.Set("Fields", Array{Ref{Num: 40}}); return d }),
		page: serializeObj(t, in, page, func(d Dict) Dict {
			d.Set("Annots", Array{Ref{Num: 40}})
			return d
		}),
	}
	signed, _ := signBytes(t, appendUpdate(t, in, prep, ""), personaOptions(t, "valid", PAdES))
	requirePassed(t, verifyBytes(t, signed, pol), 1)
	// The signer numbers its objects after the update's: the attack's are well above.
	cases := map[string]map[int]string{
		"signed with a value that does not verify": {
			40: sigWidget("Approval", page, " /Rect [300 300 500 400] /F 4 /AP <</N 81 0 R>> /V 82 0 R"),
			81: overlayAP(), 82: bogusSigValue},
		"given an appearance without a value": {
			40: sigWidget("Approval", page, " /Rect [300 300 500 400] /F 4 /AP <</N 81 0 R>>"),
			81: overlayAP()},
		"signed with a document time-stamp value that does not verify": {
			40: sigWidget("Approval", page, " /Rect [300 300 500 400] /F 4 /AP <</N 81 0 R>> /V 82 0 R"),
			81: overlayAP(), 82: "<</Type /DocTimeStamp /SubFilter /ETSI.RFC3161 /ByteRange [0 100 200 300] /Contents <00>>>"},
	}
	for name, objs := range cases {
		t.Run(name, func(t *testing.T) {
			requireOverlay(t, verifyBytes(t, appendUpdate(t, signed, objs, ""), pol))
		})
	}
	// A field whose widget has its appearance already but is on no page when signing:
	// nothing shows it until a later revision lists it in the page's /Annots.
	t.Run("put on the page with a value that does not verify", func(t *testing.T) {
		prep := map[int]string{
			40: "<</FT /Sig /T (Approval) /Kids [43 0 R]>>",
			43: fmt.Sprintf("<</Type /Annot /Subtype /Widget /Parent 40 0 R /P %d 0 R /Rect [0 0 595 842] /F 4 /AP <</N 41 0 R>>>>", page),
			41: overlayAP(),
			af: serializeObj(t, in, af, func(d Dict) Dict { d.Set("Fields", Array{Ref{Num: 40}}); return d }),
		}
		signed, _ := signBytes(t, appendUpdate(t, in, prep, ""), personaOptions(t, "valid", PAdES))
		requirePassed(t, verifyBytes(t, signed, pol), 1)
		pg := serializeObj(t, signed, page, func(d Dict) Dict {
			a, _ := d.Get("Annots").(Array)
			d.Set("Annots", append(append(Array{}, a...), Ref{Num: 43}))
			return d
		})
		// The widget itself is left as it was signed.
		attacked := appendUpdate(t, signed, map[int]string{
			40:   "<</FT /Sig /T (Approval) /Kids [43 0 R] /V 82 0 R>>",
			82:   bogusSigValue,
			page: pg,
		}, "")
		requireOverlay(t, verifyBytes(t, attacked, pol))
	})
}

func TestOverlayRectanglesAndFlags(t *testing.T) {
	pol := testPolicy(t)
	signed, _ := signBytes(t, makePDF(t, docSpec{acroForm: "indirect"}), personaOptions(t, "valid", PAdES))
	page := firstPage(t, signed)
	cases := []struct {
		name    string
		entries string
		extra   map[int]string
		shown   bool
	}{
		{"rectangle through a reference", " /Rect 43 0 R /F 4", map[int]string{43: "[0 0 595 842]"}, true},
		{"corners through references", " /Rect [0 0 43 0 R 44 0 R] /F 4", map[int]string{43: "595", 44: "842"}, true},
		{"three numbers", " /Rect [0 0 595] /F 4", nil, true},
		{"five numbers", " /Rect [0 0 0 0 595] /F 4", nil, true},
		{"a string for a corner", " /Rect [0 0 595 (842)] /F 4", nil, true},
		{"absurd values", " /Rect [0 0 100000000000 100000000000] /F 4", nil, true},
		{"not an array", " /Rect 0 /F 4", nil, true},
		{"no rectangle", " /F 4", nil, true},
		{"reference to nothing", " /Rect 43 0 R /F 4", nil, true},
		{"not shown on screen but printed", " /Rect [0 0 595 842] /F 36", nil, true},
		{"flags that are not a number", " /Rect [0 0 595 842] /F (2)", nil, true},
		{"zero-size rectangle", " /Rect [0 0 0 0] /F 4", nil, false},
		{"zero width through a reference", " /Rect 43 0 R /F 4", map[int]string{43: "[10 10 10 500]"}, false},
		{"hidden", " /Rect [0 0 595 842] /F 6", nil, false},
		{"hidden through a reference", " /Rect [0 0 595 842] /F 43 0 R", map[int]string{43: "2"}, false},
		{"neither shown nor printed", " /Rect [0 0 595 842] /F 32", nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			objs := map[int]string{41: overlayAP(), 42: bogusSigValue}
			for n, b := range c.extra {
				objs[n] = b
			}
			attacked := withField(t, signed, sigWidget("Approver", page, c.entries+" /AP <</N 41 0 R>> /V 42 0 R"), objs)
			rep := verifyBytes(t, attacked, pol)
			if c.shown {
				requireOverlay(t, rep)
			} else {
				requireFirstKept(t, rep)
			}
		})
	}
	// What draws nothing is no overlay, whatever its rectangle.
	empty := "<</Type /XObject /Subtype /Form /BBox [0 0 595 842] /Length 2>>\nstream\n \n\nendstream"
	for name, ap := range map[string]string{
		"empty appearance stream": " /AP <</N 41 0 R>>",
		"no appearance":           "",
		"empty appearance states": " /AP <</N <</Off 41 0 R>>>>",
	} {
		t.Run(name, func(t *testing.T) {
			attacked := withField(t, signed, sigWidget("Approver", page, " /Rect [0 0 595 842] /F 4"+ap+" /V 42 0 R"),
				map[int]string{41: empty, 42: bogusSigValue})
			requireFirstKept(t, verifyBytes(t, attacked, pol))
		})
	}
	// An empty signature field added after signing may not show anything either; its
	// rectangle is read the same way.
	for name, rect := range map[string]string{"through a reference": " /Rect 43 0 R", "malformed": " /Rect [0 0 595]"} {
		t.Run("empty signature field, rectangle "+name, func(t *testing.T) {
			attacked := withField(t, signed, sigWidget("Approver", page, rect+" /F 4 /AP <</N 41 0 R>>"),
				map[int]string{41: overlayAP(), 43: "[0 0 595 842]"})
			requireRejected(t, verifyBytes(t, attacked, pol))
		})
	}
	// Appearance characteristics make viewers draw a border or background.
	t.Run("no appearance but a background colour", func(t *testing.T) {
		attacked := withField(t, signed, sigWidget("Approver", page, " /Rect [0 0 595 842] /F 4 /MK <</BG [1 1 1]>> /V 42 0 R"),
			map[int]string{42: bogusSigValue})
		requireOverlay(t, verifyBytes(t, attacked, pol))
	})
}

func TestOverlayThroughAFieldValuedAsATimeStamp(t *testing.T) {
	pol := testPolicy(t)
	signed, _ := signBytes(t, makePDF(t, docSpec{acroForm: "indirect", textField: true}), personaOptions(t, "valid", PAdES))
	requirePassed(t, verifyBytes(t, signed, pol), 1)
	f, err := NewFile(bytes.NewReader(signed), int64(len(signed)))
	if err != nil {
		t.Fatal(err)
	}
	fields, err := f.Fields(f.Last())
	if err != nil {
		t.Fatal(err)
	}
	num := 0
	for _, fl := range fields {
		if fl.Name == "Name" {
			num = fl.Ref.Num
		}
	}
	if num == 0 {
		t.Fatal("no text field")
	}
	fill := func(value string) []byte {
		body := serializeObj(t, signed, num, func(d Dict) Dict {
			d.Set("V", Ref{Num: 42})
			d.Set("AP", Dict{Entries: []DictEntry{{Key: "N", Value: Ref{Num: 41}}}})
			return d
		})
		return appendUpdate(t, signed, map[int]string{num: body, 41: overlayAP(), 42: value}, "")
	}
	// A text field "filled" with a time-stamp or signature dictionary: some readers take
	// the field for a signature, and nobody vouches for what it draws.
	for name, value := range map[string]string{
		"/DocTimeStamp with another SubFilter": "<</Type /DocTimeStamp /SubFilter /adbe.pkcs7.detached /ByteRange [0 100 200 300] /Contents <00>>>",
		"/DocTimeStamp without a SubFilter":    "<</Type /DocTimeStamp /Contents <00>>>",
		"/Sig":                                 bogusSigValue,
	} {
		t.Run(name, func(t *testing.T) { requireOverlay(t, verifyBytes(t, fill(value), pol)) })
	}
	// Filled with text, it is form filling.
	t.Run("text", func(t *testing.T) { requireFirstKept(t, verifyBytes(t, fill("(Hanako)"), pol)) })
}
