package pdf

import (
	"bytes"
	"compress/zlib"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mynasign/mynasign/internal/testenv"
	"github.com/mynasign/mynasign/trust"
)

// revisionWriter appends incremental updates to a PDF without reading it back each
// time: it keeps the last cross-reference offset and /Size itself, so that building a
// file of thousands of revisions costs time linear in its size.
type revisionWriter struct {
	b    bytes.Buffer
	root Ref
	info Ref
	prev int64
	size int64
	// form is how updates are written: "" a cross-reference table, "stream" a
	// cross-reference stream, "objstm" the objects in an object stream too.
	form string
}

func newRevisionWriter(t testing.TB, data []byte) *revisionWriter {
	t.Helper()
	f, err := NewFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	last := f.Revisions[f.Last()]
	w := &revisionWriter{prev: last.XRefOff}
	w.size, _ = IntOf(last.Trailer.Get("Size"))
	w.root, _ = last.Trailer.Get("Root").(Ref)
	w.info, _ = last.Trailer.Get("Info").(Ref)
	w.b.Write(data)
	return w
}

// update appends one revision that defines the given objects (in increasing number).
func (w *revisionWriter) update(nums []int, bodies []string) {
	if w.form != "" {
		w.streamUpdate(nums, bodies)
		return
	}
	offs := make([]int, len(nums))
	for i, n := range nums {
		offs[i] = w.b.Len()
		fmt.Fprintf(&w.b, "%d 0 obj\n%s\nendobj\n", n, bodies[i])
		if int64(n) >= w.size {
			w.size = int64(n) + 1
		}
	}
	xref := w.b.Len()
	w.b.WriteString("xref\n0 1\n0000000000 65535 f\r\n")
	for i, n := range nums {
		fmt.Fprintf(&w.b, "%d 1\n%010d 00000 n\r\n", n, offs[i])
	}
	info := ""
	if w.info.Num != 0 {
		info = fmt.Sprintf(" /Info %d %d R", w.info.Num, w.info.Gen)
	}
	fmt.Fprintf(&w.b, "trailer\n<</Size %d /Root %d %d R%s /Prev %d>>\nstartxref\n%d\n%%%%EOF\n",
		w.size, w.root.Num, w.root.Gen, info, w.prev, xref)
	w.prev = int64(xref)
}

// streamUpdate appends a revision whose cross-reference section is a stream (with the
// objects, but for streams, in an object stream when w.form is "objstm").
func (w *revisionWriter) streamUpdate(nums []int, bodies []string) {
	type row struct {
		num, typ, f2, f3 int
	}
	var rows []row
	var packed []int
	for i, n := range nums {
		if w.form == "objstm" && !strings.Contains(bodies[i], "stream") {
			packed = append(packed, i)
			continue
		}
		rows = append(rows, row{n, 1, w.b.Len(), 0})
		fmt.Fprintf(&w.b, "%d 0 obj\n%s\nendobj\n", n, bodies[i])
		w.size = max(w.size, int64(n)+1)
	}
	for _, n := range nums {
		w.size = max(w.size, int64(n)+1)
	}
	if len(packed) > 0 {
		stm := int(w.size)
		w.size++
		var head, body bytes.Buffer
		for j, i := range packed {
			fmt.Fprintf(&head, "%d %d ", nums[i], body.Len())
			body.WriteString(bodies[i] + "\n")
			rows = append(rows, row{nums[i], 2, stm, j})
			w.size = max(w.size, int64(nums[i])+1)
		}
		rows = append(rows, row{stm, 1, w.b.Len(), 0})
		fmt.Fprintf(&w.b, "%d 0 obj\n<</Type /ObjStm /N %d /First %d /Length %d>>\nstream\n%s%s\nendstream\nendobj\n",
			stm, len(packed), head.Len(), head.Len()+body.Len(), head.String(), body.String())
	}
	x := int(w.size)
	w.size++
	xref := w.b.Len()
	rows = append(rows, row{x, 1, xref, 0})
	sort.Slice(rows, func(i, j int) bool { return rows[i].num < rows[j].num })
	var index, data bytes.Buffer
	for _, r := range rows {
		fmt.Fprintf(&index, "%d 1 ", r.num)
		data.Write([]byte{byte(r.typ), byte(r.f2 >> 24), byte(r.f2 >> 16), byte(r.f2 >> 8), byte(r.f2), byte(r.f3 >> 8), byte(r.f3)})
	}
	info := ""
	if w.info.Num != 0 {
		info = fmt.Sprintf(" /Info %d %d R", w.info.Num, w.info.Gen)
	}
	fmt.Fprintf(&w.b, "%d 0 obj\n<</Type /XRef /Size %d /Root %d %d R%s /Prev %d /Index [%s] /W [1 4 2] /Length %d>>\nstream\n",
		x, w.size, w.root.Num, w.root.Gen, info, w.prev, strings.TrimSpace(index.String()), data.Len())
	w.b.Write(data.Bytes())
	fmt.Fprintf(&w.b, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", xref)
	w.prev = int64(xref)
}

// bytes returns the file so far (the writer may go on appending afterwards).
func (w *revisionWriter) bytes() []byte { return bytes.Clone(w.b.Bytes()) }

// manyRevisions builds a signed PDF of about 1 MB followed by n incremental updates,
// each touching one object:
//   - "same": the document information dictionary rewritten each time;
//   - "different": a new document information dictionary each time (another object);
//   - "form": the text field's value filled in again each time;
//   - "mixed": the three in turn, with a second signature after the first half;
//   - "forged": "different", with page 1's content rewritten in the middle.
//
// A variant "NAME/stream" or "NAME/objstm" writes the updates with cross-reference
// streams (revisionWriter.form).
func manyRevisions(t testing.TB, variant string, n int) []byte {
	t.Helper()
	form := ""
	if v, f, ok := strings.Cut(variant, "/"); ok {
		variant, form = v, f // "form/stream": the updates written with cross-reference streams
	}
	pad := max(0, 1<<20-n*200)
	base := makePDF(t, docSpec{acroForm: "indirect", textField: true, padding: pad})
	signed, _ := signBytes(t, base, personaOptions(t, "valid", PAdES))
	w := newRevisionWriter(t, signed)
	w.form = form
	f, err := NewFile(bytes.NewReader(signed), int64(len(signed)))
	if err != nil {
		t.Fatal(err)
	}
	var field *Field
	fields, err := f.Fields(f.Last())
	if err != nil {
		t.Fatal(err)
	}
	for i := range fields {
		if fields[i].Type == "Tx" {
			field = &fields[i]
		}
	}
	if field == nil {
		t.Fatal("no text field")
	}
	pages, err := f.Pages(f.Last())
	if err != nil {
		t.Fatal(err)
	}
	page, _, _ := f.dictAt(f.Last(), pages[0])
	content, ok := page.Get("Contents").(Ref)
	if arr, isArr := page.Get("Contents").(Array); isArr && len(arr) > 0 {
		content, ok = arr[0].(Ref)
	}
	if !ok {
		t.Fatal("no page content")
	}
	serialize := func(d Dict) string {
		var b bytes.Buffer
		appendObject(&b, d)
		return b.String()
	}
	for i := 0; i < n; i++ {
		kind := variant
		if variant == "mixed" {
			kind = []string{"same", "form", "different"}[i%3]
			if i == n/2 {
				signed2, _ := signBytes(t, w.bytes(), personaOptions(t, "valid", PAdES))
				w = newRevisionWriter(t, signed2)
				w.form = form
			}
		}
		if variant == "forged" {
			kind = "different"
			if i == n/2 {
				text := "BT /F1 24 Tf 72 720 Td (Forged) Tj ET"
				w.update([]int{content.Num}, []string{fmt.Sprintf("<</Length %d>>\nstream\n%s\nendstream", len(text), text)})
				continue
			}
		}
		switch kind {
		case "same":
			w.update([]int{w.info.Num}, []string{fmt.Sprintf("<</Producer (mynasign test) /Title (Revision %d)>>", i+1)})
		case "different":
			num := int(w.size)
			w.info = Ref{Num: num}
			w.update([]int{num}, []string{fmt.Sprintf("<</Producer (mynasign test) /Title (Revision %d)>>", i+1)})
		case "form":
			d := field.Dict.Clone()
			d.Set("V", String{Bytes: []byte(fmt.Sprintf("Value %d", i+1))})
			w.update([]int{field.Ref.Num}, []string{serialize(d)})
		default:
			t.Fatalf("unknown variant %q", variant)
		}
	}
	return w.bytes()
}

// requireVerdict checks a document's verdict and that of each signature.
func requireVerdict(t *testing.T, rep *trust.DocumentReport, sigs int, want trust.Indication, level trust.ChangeLevel, key string) {
	t.Helper()
	if rep.Indication != want || len(rep.Signatures) != sigs {
		t.Fatalf("document %s/%s with %d signatures, want %s with %d", rep.Indication, rep.SubIndication, len(rep.Signatures), want, sigs)
	}
	for _, s := range rep.Signatures {
		if s.Indication != want || s.ChangesAfterSigning.Level != level || (key != "" && s.Summary.Key != key) || !s.Intact {
			t.Errorf("%s: %s %s %v intact=%v changes %s, want %s, changes %s, %q", s.ID, s.Indication, s.SubIndication,
				s.Summary, s.Intact, s.ChangesAfterSigning.Level, want, level, key)
		}
	}
}

// TestManyRevisions: a signed file of about 1 MB followed by 4,000 updates, each touching
// one object, is judged by comparing every revision (issue 12, item 5): what the updates
// do decides, not their number. (How long it takes and how much memory it needs is
// BenchmarkManyRevisions'.)
func TestManyRevisions(t *testing.T) {
	pol := testPolicy(t)
	for _, c := range []struct {
		variant string
		sigs    int
		want    trust.Indication
		level   trust.ChangeLevel
		key     string
	}{
		{"same", 1, trust.TotalPassed, trust.ChangesPermitted, ""},
		{"different", 1, trust.TotalPassed, trust.ChangesPermitted, ""},
		{"form", 1, trust.TotalPassed, trust.ChangesPermitted, ""},
		{"mixed", 2, trust.TotalPassed, trust.ChangesPermitted, ""},
		{"forged", 1, trust.TotalFailed, trust.ChangesNotPermitted, MsgSigChanged},
		// The same with each update's cross-reference section a stream, and with the
		// objects in an object stream of their own.
		{"form/stream", 1, trust.TotalPassed, trust.ChangesPermitted, ""},
		{"different/objstm", 1, trust.TotalPassed, trust.ChangesPermitted, ""},
		{"mixed/objstm", 2, trust.TotalPassed, trust.ChangesPermitted, ""},
		{"forged/objstm", 1, trust.TotalFailed, trust.ChangesNotPermitted, MsgSigChanged},
	} {
		t.Run(c.variant, func(t *testing.T) {
			data := manyRevisions(t, c.variant, 4000)
			var rep *trust.DocumentReport
			if strings.HasPrefix(c.variant, "forged") {
				rep = verifyBytes(t, data, pol) // with the viewer oracle: an attack file
			} else {
				// Without it: poppler and MuPDF take seconds over thousands of object
				// streams, and the page text is the signed one throughout.
				rep = Verify(context.Background(), bytes.NewReader(data), int64(len(data)), "test.pdf", pol)
			}
			requireVerdict(t, rep, c.sigs, c.want, c.level, c.key)
			if got := rep.Signatures[0].ChangesAfterSigning.Objects; !strings.HasPrefix(c.variant, "mixed") && len(got) != 4000 {
				t.Errorf("%d changed objects reported, want one per revision", len(got))
			}
		})
	}
}

// TestRevisionsPastTheBounds: past maxComparedRevisions revisions after a signature, or
// past maxGraphWork objects walked, the rest are not compared: the signature is
// INDETERMINATE with MsgSigChangesNotAnalysed — never TOTAL-PASSED, and never
// TOTAL-FAILED for that alone; a change found not permitted among the revisions compared
// still fails it.
func TestRevisionsPastTheBounds(t *testing.T) {
	pol := testPolicy(t)
	t.Run("revisions", func(t *testing.T) {
		rep := verifyBytes(t, manyRevisions(t, "same", maxComparedRevisions+1), pol)
		requireVerdict(t, rep, 1, trust.Indeterminate, trust.ChangesPermitted, MsgSigChangesNotAnalysed)
		s := rep.Signatures[0]
		if want := []string{strconv.Itoa(maxComparedRevisions + 1), strconv.Itoa(maxComparedRevisions)}; strings.Join(s.Summary.Args, " ") != strings.Join(want, " ") {
			t.Errorf("summary arguments %v, want %v", s.Summary.Args, want)
		}
		objs := s.ChangesAfterSigning.Objects
		if last := objs[len(objs)-1]; last.Why.Key != MsgChangeNotAnalysed || last.Revision != 2+maxComparedRevisions+1 { // 1: the document, 2: the signature
			t.Errorf("last changed object %+v, want the revisions left uncompared", last)
		}
	})
	t.Run("revisions-forged", func(t *testing.T) {
		// The forged page content is in the middle, among the revisions compared.
		rep := verifyBytes(t, manyRevisions(t, "forged", maxComparedRevisions+1), pol)
		requireVerdict(t, rep, 1, trust.TotalFailed, trust.ChangesNotPermitted, MsgSigChanged)
	})
	t.Run("objects-within", func(t *testing.T) {
		// 200 pages (about 400 objects) and 4,000 updates: within maxGraphWork.
		signed, _ := signBytes(t, makePDF(t, docSpec{pages: 200}), personaOptions(t, "valid", PAdES))
		w := newRevisionWriter(t, signed)
		for i := 0; i < 4000; i++ {
			w.update([]int{w.info.Num}, []string{fmt.Sprintf("<</Title (Revision %d)>>", i+1)})
		}
		start := time.Now()
		rep := Verify(context.Background(), bytes.NewReader(w.b.Bytes()), int64(w.b.Len()), "test.pdf", pol)
		t.Logf("%d bytes verified in %v", w.b.Len(), time.Since(start))
		requireVerdict(t, rep, 1, trust.TotalPassed, trust.ChangesPermitted, "")
	})
	t.Run("objects", func(t *testing.T) {
		// 3,000 pages (about 6,000 objects) and 400 updates: more than maxGraphWork.
		signed, _ := signBytes(t, makePDF(t, docSpec{pages: 3000}), personaOptions(t, "valid", PAdES))
		w := newRevisionWriter(t, signed)
		for i := 0; i < 400; i++ {
			w.update([]int{w.info.Num}, []string{fmt.Sprintf("<</Title (Revision %d)>>", i+1)})
		}
		rep := Verify(context.Background(), bytes.NewReader(w.b.Bytes()), int64(w.b.Len()), "test.pdf", pol)
		requireVerdict(t, rep, 1, trust.Indeterminate, trust.ChangesPermitted, MsgSigChangesNotAnalysed)
	})
}

// childVerifyEnv names the file TestVerifyChild verifies when the test binary runs as
// BenchmarkManyRevisions' child process.
const childVerifyEnv = "MYNASIGN_PDF_VERIFY_CHILD"

// TestVerifyChild verifies one file and prints its verdict and the time it took; it runs
// only as a child process of BenchmarkManyRevisions, which reads the child's peak RSS.
func TestVerifyChild(t *testing.T) {
	path := os.Getenv(childVerifyEnv)
	if path == "" {
		t.Skip("runs as a child process of BenchmarkManyRevisions")
	}
	pol := testPolicy(t)
	start := time.Now()
	rep, err := VerifyFile(context.Background(), path, pol)
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	// VmHWM counts this process's memory since it started; the rusage the parent would
	// read also counts the parent's memory at the fork.
	hwm, _ := testenv.PeakRSS()
	fmt.Printf("verdict %s %d %d %d\n", rep.Indication, len(rep.Signatures), took.Microseconds(), hwm)
}

// BenchmarkManyRevisions verifies the 4,000-revision file of TestManyRevisions ("form":
// a field filled in 4,000 times) in a child process, and reports the child's wall time,
// the verification's own time and the child's peak RSS; qpdf --check and pdfinfo read
// the same file as peers. "bounded" is the file of TestRevisionsPastTheBounds/objects
// (6,000 objects, 400 revisions), whose analysis stops at maxGraphWork: what the bound
// costs.
func BenchmarkManyRevisions(b *testing.B) {
	dir := b.TempDir()
	path := filepath.Join(dir, "revisions.pdf")
	if err := os.WriteFile(path, manyRevisions(b, "form", 4000), 0o644); err != nil {
		b.Fatal(err)
	}
	signed, _ := signBytes(b, makePDF(b, docSpec{pages: 3000}), personaOptions(b, "valid", PAdES))
	w := newRevisionWriter(b, signed)
	for i := 0; i < 400; i++ {
		w.update([]int{w.info.Num}, []string{fmt.Sprintf("<</Title (Revision %d)>>", i+1)})
	}
	bounded := filepath.Join(dir, "bounded.pdf")
	if err := os.WriteFile(bounded, w.bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name, path string
		want       trust.Indication
	}{{"mynasign", path, trust.TotalPassed}, {"mynasign-bounded", bounded, trust.Indeterminate}} {
		b.Run(c.name, func(b *testing.B) {
			var rss, verify float64
			for i := 0; i < b.N; i++ {
				cmd := exec.Command(os.Args[0], "-test.run=^TestVerifyChild$", "-test.count=1")
				cmd.Env = append(os.Environ(), childVerifyEnv+"="+c.path)
				out, err := cmd.Output()
				if err != nil {
					b.Fatalf("%v: %s", err, out)
				}
				var ind string
				var sigs int
				var us, hwm int64
				if _, err := fmt.Sscanf(string(out), "verdict %s %d %d %d", &ind, &sigs, &us, &hwm); err != nil || ind != string(c.want) || sigs != 1 {
					b.Fatalf("child: %s", out)
				}
				verify += float64(us) / 1000
				rss = max(rss, float64(hwm)/(1<<20))
			}
			b.ReportMetric(verify/float64(b.N), "verify-ms")
			b.ReportMetric(rss, "peak-RSS-MiB")
		})
	}
	for _, peer := range [][]string{{"qpdf", "--check"}, {"pdfinfo"}} {
		b.Run(peer[0], func(b *testing.B) {
			if _, err := exec.LookPath(peer[0]); err != nil {
				b.Skip(peer[0] + " is not installed")
			}
			// The peer's peak RSS through GNU time, whose own small process is what the
			// peer's counter starts from (the rusage of a process forked from this one
			// would start from this benchmark's memory).
			gnuTime, _ := exec.LookPath("time")
			var rss float64
			for i := 0; i < b.N; i++ {
				argv := append(append([]string{}, peer...), path)
				if gnuTime != "" {
					argv = append([]string{gnuTime, "-f", "maxrss %M"}, argv...)
				}
				cmd := exec.Command(argv[0], argv[1:]...)
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				if err := cmd.Run(); err != nil {
					b.Fatalf("%s: %v: %s", peer[0], err, stderr.Bytes())
				}
				if i := strings.LastIndex(stderr.String(), "maxrss "); gnuTime != "" && i >= 0 {
					if kb, err := strconv.ParseFloat(strings.TrimSpace(stderr.String()[i+7:]), 64); err == nil {
						rss = max(rss, kb/1024)
					}
				}
			}
			if gnuTime != "" {
				b.ReportMetric(rss, "peak-RSS-MiB")
			}
		})
	}
}

// TestManySignaturesManyRevisions: every signature lists the changes of every later
// revision, so 20 signatures followed by 4,000 updates would list 80,000 changed
// objects; the report lists at most maxListedChanges of them in all and counts the rest
// (MsgChangeNotListed), while each verdict still weighs every change — a forged page in
// the middle still fails every signature, and is named.
func TestManySignaturesManyRevisions(t *testing.T) {
	pol := testPolicy(t)
	const sigs = 20
	data := makePDF(t, docSpec{})
	for i := 0; i < sigs; i++ {
		data, _ = signBytes(t, data, personaOptions(t, "valid", PAdES))
	}
	for _, forged := range []bool{false, true} {
		w := newRevisionWriter(t, data)
		for i := 0; i < 4000; i++ {
			if forged && i == 2000 {
				w.update([]int{2}, []string{"<</Type /Pages /Kids [] /Count 0>>"}) // the page tree emptied
				continue
			}
			w.update([]int{w.info.Num}, []string{fmt.Sprintf("<</Title (Revision %d)>>", i+1)})
		}
		rep := Verify(context.Background(), bytes.NewReader(w.b.Bytes()), int64(w.b.Len()), "test.pdf", pol)
		want, level := trust.TotalPassed, trust.ChangesPermitted
		if forged {
			want, level = trust.TotalFailed, trust.ChangesNotPermitted
		}
		if len(rep.Signatures) != sigs {
			t.Fatalf("%d signatures, want %d", len(rep.Signatures), sigs)
		}
		listed, counted := 0, 0
		for _, s := range rep.Signatures {
			if s.Indication != want || s.ChangesAfterSigning.Level != level {
				t.Errorf("forged=%v %s: %s %v changes %s, want %s, %s", forged, s.ID, s.Indication, s.Summary, s.ChangesAfterSigning.Level, want, level)
			}
			if forged && (s.Summary.Key != MsgSigChanged || len(s.Summary.Args) != 2 || s.Summary.Args[0] != strconv.Itoa(sigs+2+2000)) {
				t.Errorf("%s: %v, want the forged revision named", s.ID, s.Summary)
			}
			for _, o := range s.ChangesAfterSigning.Objects {
				if o.Why.Key == MsgChangeNotListed {
					n, _ := strconv.Atoi(o.Why.Args[0])
					counted += n
					continue
				}
				listed++
			}
		}
		if listed > maxListedChanges+sigs || counted == 0 {
			t.Errorf("forged=%v: %d changed objects listed, %d counted; want at most %d listed", forged, listed, counted, maxListedChanges+sigs)
		}
	}
}

// TestSharedGraphsSeeObjectStreams: revisions that change nothing the reference walk
// meets share the graph of the revision before (sameGraph). A revision that rewrites an
// object stream changes the objects it holds without listing them; one that gives page
// 2 another content that way, after many shared revisions, is still a change of the
// page — and one that rewrites the stream with the same objects is none.
func TestSharedGraphsSeeObjectStreams(t *testing.T) {
	pol := testPolicy(t)
	// Page 2: the signature's widget goes on page 1, which the signer rewrites.
	signed, _ := signBytes(t, makePDF(t, docSpec{xrefStream: true, pages: 2}), personaOptions(t, "valid", PAdES))
	f, err := NewFile(bytes.NewReader(signed), int64(len(signed)))
	if err != nil {
		t.Fatal(err)
	}
	pages, err := f.Pages(f.Last())
	if err != nil {
		t.Fatal(err)
	}
	page := pages[1].Num
	e, _, _ := f.entry(f.Last(), page)
	if e.kind != 'c' {
		t.Fatalf("page 2 is not in an object stream (%c)", e.kind)
	}
	stm := int(e.off)
	os, err := f.loadObjStm(f.Last(), stm, f.history[stm][len(f.history[stm])-1].e.off, 0)
	if err != nil {
		t.Fatal(err)
	}
	// restream writes object stream stm again, each member as it reads in cur, page 2's
	// content replaced by object content when content is not 0.
	restream := func(cur []byte, content int) string {
		f, err := NewFile(bytes.NewReader(cur), int64(len(cur)))
		if err != nil {
			t.Fatal(err)
		}
		var head, body bytes.Buffer
		for _, m := range os.nums {
			o, err := f.Resolve(f.Last(), Ref{Num: m})
			if err != nil {
				t.Fatal(err)
			}
			if d, ok := o.(Dict); ok && m == page && content != 0 {
				d = d.Clone()
				d.Set("Contents", Ref{Num: content})
				o = d
			}
			fmt.Fprintf(&head, "%d %d ", m, body.Len())
			appendObject(&body, o)
			body.WriteString("\n")
		}
		return fmt.Sprintf("<</Type /ObjStm /N %d /First %d /Length %d>>\nstream\n%s%s\nendstream",
			len(os.nums), head.Len(), head.Len()+body.Len(), head.String(), body.String())
	}
	for _, forged := range []bool{false, true} {
		w := newRevisionWriter(t, signed)
		for i := 0; i < 300; i++ {
			w.update([]int{w.info.Num}, []string{fmt.Sprintf("<</Title (Revision %d)>>", i+1)})
		}
		if forged {
			text := "BT /F1 24 Tf 72 720 Td (Forged) Tj ET"
			content := int(w.size)
			w.update([]int{stm, content}, []string{restream(w.bytes(), content), fmt.Sprintf("<</Length %d>>\nstream\n%s\nendstream", len(text), text)})
		} else {
			w.update([]int{stm}, []string{restream(w.bytes(), 0)})
		}
		for i := 0; i < 300; i++ {
			w.update([]int{w.info.Num}, []string{fmt.Sprintf("<</Title (Later %d)>>", i+1)})
		}
		rep := verifyBytes(t, w.bytes(), pol)
		if forged {
			requireVerdict(t, rep, 1, trust.TotalFailed, trust.ChangesNotPermitted, MsgSigChanged)
		} else {
			requireVerdict(t, rep, 1, trust.TotalPassed, trust.ChangesPermitted, "")
		}
	}
}

// TestCrossReferenceEntriesBounded: compressed cross-reference streams can list a great
// many entries in a few bytes each; over all the sections of a file they are bounded by
// its size (maxEntries), and a file past that is refused as unreadable — quickly, not
// after gigabytes.
func TestCrossReferenceEntriesBounded(t *testing.T) {
	const perSection = 20000
	for _, sections := range []int{10, 60} {
		w := newRevisionWriter(t, makePDF(t, docSpec{padding: 2 * perSection}))
		for i := 0; i < sections; i++ {
			// Every object number below perSection listed free, in a few hundred bytes.
			var z bytes.Buffer
			zw := zlib.NewWriter(&z)
			zw.Write(bytes.Repeat([]byte{0, 0}, perSection))
			zw.Close()
			x := w.b.Len()
			fmt.Fprintf(&w.b, "%d 0 obj\n<</Type /XRef /Size %d /Root %d 0 R /Prev %d /Index [0 %d] /W [1 1 0] /Filter /FlateDecode /Length %d>>\nstream\n",
				perSection, perSection+1, w.root.Num, w.prev, perSection, z.Len())
			w.b.Write(z.Bytes())
			fmt.Fprintf(&w.b, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", x)
			w.prev = int64(x)
		}
		data := w.bytes()
		_, err := NewFile(bytes.NewReader(data), int64(len(data)))
		total := sections * perSection
		over := total > maxEntries(int64(len(data)))
		if over != (sections == 60) {
			t.Fatalf("%d entries in %d bytes: the test no longer straddles the bound", total, len(data))
		}
		if over != (err != nil) {
			t.Errorf("%d sections of %d entries in %d bytes: %v", sections, perSection, len(data), err)
		}
		if err != nil {
			rep := Verify(context.Background(), bytes.NewReader(data), int64(len(data)), "test.pdf", nil)
			if rep.Error == nil || rep.Error.Key != MsgUnreadable || rep.Indication == trust.TotalPassed {
				t.Errorf("%s, error %v: want the file refused as unreadable", rep.Indication, rep.Error)
			}
		}
	}
}
