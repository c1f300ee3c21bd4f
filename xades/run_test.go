package xades

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Runs (run.go) must not change any reading: a document parsed with runs canonicalizes,
// iterates and names its nodes exactly as the same document parsed whole.

var allC14N = []c14nMethod{{}, {comments: true}, {v11: true}, {v11: true, comments: true},
	{exclusive: true}, {exclusive: true, comments: true}, c14nMethod{exclusive: true}.withPrefixList("#default p")}

// dumpTree writes every node reachable through children, in document order.
func dumpTree(b *strings.Builder, n *node, depth int) {
	for _, c := range n.children {
		b.WriteString(strings.Repeat(" ", depth))
		switch c.kind {
		case elementNode:
			b.WriteString("<" + c.qname() + " uri=" + c.uri)
			for _, a := range c.attrs {
				b.WriteString(" " + a.qname() + "=" + a.value)
			}
			b.WriteString(">\n")
			dumpTree(b, c, depth+1)
		case textNode:
			b.WriteString("text " + c.data + "\n")
		case commentNode:
			b.WriteString("comment " + c.data + "\n")
		case piNode:
			b.WriteString("pi " + c.local + " " + c.data + "\n")
		default:
			b.WriteString("UNEXPANDED RUN\n")
		}
	}
}

// checkSameReading compares the document parsed with runs to the document parsed whole.
func checkSameReading(t *testing.T, name, src string) {
	t.Helper()
	full, err := parseFull(src)
	if err != nil {
		if _, err2 := parseString(src); err2 == nil || err2.Error() != err.Error() {
			t.Errorf("%s: parse errors differ: %v / %v", name, err, err2)
		}
		return
	}
	col, err := parseString(src)
	if err != nil {
		t.Fatalf("%s: parses whole but not with runs: %v", name, err)
	}
	var a, b strings.Builder
	dumpTree(&a, full.root, 0)
	dumpTree(&b, col.root, 0)
	if a.String() != b.String() {
		t.Fatalf("%s: the trees differ:\n%s\n---\n%s", name, a.String(), b.String())
	}
	type apex struct{ f, c *node }
	apexes := []apex{{full.root, col.root}}
	for id, els := range full.ids {
		cels := col.ids[id]
		if len(cels) != len(els) {
			t.Fatalf("%s: id %q: %d elements whole, %d with runs", name, id, len(els), len(cels))
		}
		for i := range els {
			apexes = append(apexes, apex{els[i], cels[i]})
			if els[i].path() != cels[i].path() {
				t.Errorf("%s: path of %q: %s whole, %s with runs", name, id, els[i].path(), cels[i].path())
			}
		}
	}
	fs, cs := signatureElements(full), signatureElements(col)
	if len(fs) != len(cs) {
		t.Fatalf("%s: %d signatures whole, %d with runs", name, len(fs), len(cs))
	}
	for _, m := range allC14N {
		for _, ap := range apexes {
			sets := [][2]*subtreeSet{{{comments: true}, {comments: true}}, {{excludeSignatures: true}, {excludeSignatures: true}}}
			for i := range fs {
				sets = append(sets, [2]*subtreeSet{{exclude: fs[i]}, {exclude: cs[i]}})
			}
			for _, s := range sets {
				var x, y bytes.Buffer
				errF := canonicalize(&x, ap.f, s[0], m)
				errC := canonicalize(&y, ap.c, s[1], m)
				if (errF == nil) != (errC == nil) || !bytes.Equal(x.Bytes(), y.Bytes()) {
					t.Fatalf("%s: %+v of %s: canonical forms differ (%v, %v):\n%q\n%q", name, m, ap.f.path(), errF, errC, x.String(), y.String())
				}
			}
		}
	}
}

// runDocs are documents built to exercise runs: mixed content, every node kind, entity
// and character references, CDATA, line ends, prefixes first used inside plain content
// (exclusive canonicalization renders them there), xml:* attributes, identifiers and
// declarations deep inside plain content, signatures between runs.
var runDocs = map[string]string{
	"tiny":      "<r>" + strings.Repeat("<a>x</a>", 50) + "</r>",
	"mixed":     "<?pi before?><!--c0--><r xmlns:p=\"urn:p\" xmlns=\"urn:d\">text &amp; &#x3042;<a b=\"1\" p:c=\"2\">x<![CDATA[<y>]]>z<!--c1--><?t data?></a>\r\n tail<p:e xml:lang=\"ja\"><f/></p:e>\r<g>&lt;&gt;&quot;&apos;</g></r><!--after-->",
	"ids-deep":  "<r><a><b><c>1</c><d Id=\"x\"><e>2</e><e>3</e></d><c>4</c></b></a><a/><d>5</d><d Id=\"y\"/></r>",
	"decl":      "<r><a><b xmlns:q=\"urn:q\"><q:c q:d=\"1\">t</q:c></b><c>u</c></a><x xmlns=\"\"><y/></x></r>",
	"signature": "<r xmlns:ds=\"" + NSDSig + "\"><pre>" + strings.Repeat("<i>1</i>", 5) + "</pre><ds:Signature Id=\"s\"><ds:SignedInfo>x</ds:SignedInfo><ds:Object><w><k>v</k>stray<z Id=\"o\">w</z>more</w></ds:Object></ds:Signature><post a=\"b\">p<q>r</q></post></r>",
	"samename":  "<r><x/><x>1</x><y/><x Id=\"third\"/><s:x xmlns:s=\"urn:s\"/><x Id=\"fourth\">2</x></r>",
	"ws":        "<r>\n  <a>\n    <b>t</b>\n  </a>\n  <c Id=\"c\">\n    <d> </d>\n  </c>\n</r>\n",
	"deep":      "<r>" + strings.Repeat("<a>", MaxDepth-1) + "x" + strings.Repeat("</a>", MaxDepth-1) + "</r>",
	"xpath-ns":  "<r xmlns:ec=\"" + AlgExcC14N + "\"><ec:InclusiveNamespaces PrefixList=\"a\"><i>n</i></ec:InclusiveNamespaces><o>p</o></r>",
}

// TestRunsReadTheSame compares the two parses on the built documents and on every XML
// file of the test data and the corpus.
func TestRunsReadTheSame(t *testing.T) {
	for name, src := range runDocs {
		checkSameReading(t, name, src)
	}
	n := 0
	for _, dir := range []string{"../testdata", corpusDir(t)} {
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".xml") {
				return nil
			}
			data, err := os.ReadFile(p)
			if err == nil && len(data) < 4<<20 {
				checkSameReading(t, p, string(data))
				n++
			}
			return nil
		})
	}
	if n < 50 {
		t.Fatalf("only %d XML files compared", n)
	}
}

// countNodes counts the real nodes of a tree (runs count as one).
func countNodes(n *node) int {
	c := 1
	for m := n.first; m != nil; m = m.next {
		c += countNodes(m)
	}
	return c
}

// TestRunsCollapse checks that plain content does become runs, and that what must stay
// real does.
func TestRunsCollapse(t *testing.T) {
	doc, err := parseString("<r>" + strings.Repeat("<a b=\"c\">x<!--y--></a>text", 1000) + "</r>")
	if err != nil {
		t.Fatal(err)
	}
	if n := countNodes(doc.root); n != 3 {
		t.Errorf("%d nodes for plain content under the document element, want 3 (document, element, run)", n)
	}
	doc, err = parseString(runDocs["signature"])
	if err != nil {
		t.Fatal(err)
	}
	sig, _ := doc.byID("s")
	var kinds []string
	for c := sig.first; c != nil; c = c.next {
		kinds = append(kinds, c.qname())
	}
	if strings.Join(kinds, ",") != "ds:SignedInfo,ds:Object" {
		t.Errorf("signature children %v", kinds)
	}
	si := sig.first
	if si.first == nil || si.first.kind != textNode || si.first.data != "x" {
		t.Error("text inside a signature element is not a text node")
	}
	z, _ := doc.byID("o")
	if z.parent.local != "w" || z.parent.parent.local != "Object" {
		t.Error("the ancestors of an identified element are not real")
	}
	if z.parent.first.kind != runNode || z.next.kind != runNode {
		t.Error("plain content around an identified element is not a run")
	}
}

// TestRunsUnsignedContent checks that uncovered content inside a run is still found: a
// wrapper of signed content inside ds:Object holds stray text and a foreign element.
func TestRunsUnsignedContent(t *testing.T) {
	doc, err := parseString(runDocs["signature"])
	if err != nil {
		t.Fatal(err)
	}
	sig, _ := doc.byID("s")
	z, _ := doc.byID("o")
	ref := &reference{doc: doc, apex: z, uri: "#o"}
	found := unsignedContent(sig, []*reference{ref})
	var keys []string
	for _, m := range found {
		keys = append(keys, m.Key+" "+strings.Join(m.Args, " "))
	}
	got := strings.Join(keys, "\n")
	for _, want := range []string{"<k>", "stray", "more"} {
		if !strings.Contains(got, want) {
			t.Errorf("uncovered %q not reported in:\n%s", want, got)
		}
	}
}

// FuzzRuns compares the two parses on arbitrary input.
func FuzzRuns(f *testing.F) {
	for _, s := range runDocs {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 1<<16 {
			return
		}
		checkSameReading(t, "fuzz", src)
	})
}
