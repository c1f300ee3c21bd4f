package pdf

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// maxGraphObjects bounds the objects walked in one revision.
const maxGraphObjects = 1 << 20

// revGraph is the reference graph of one revision: what is reachable from the trailer,
// and who refers to whom. The trailer is node -1.
type revGraph struct {
	rev      int
	reach    map[int]bool
	gens     map[int]int
	parents  map[int][]int // distinct referrers of each object
	children map[int][]int
	first    map[int]int // the referrer through which the walk first reached an object
	err      error

	// through lists, for an object m, the reached objects whose reading goes through m
	// (the object stream that holds them, the object that gives their /Length): a
	// revision that redefines m may change them without listing them. Shared, like the
	// maps above, by the revisions whose graph is the same (sameGraph).
	through map[int][]int

	view     *docView // the revision's structure, once read (view.go)
	viewErr  error
	viewRead bool
}

// Bounds of the change analysis (see the package documentation). Comparing a revision
// with the one before it costs about the number of objects the two reach, so a file of
// many revisions over a large document costs revisions × objects. Past either bound the
// revisions left are not compared, and a signature whose later revisions are not all
// compared is INDETERMINATE (MsgSigChangesNotAnalysed) unless a compared revision
// already holds a change that is not permitted.
const (
	// maxComparedRevisions is the most revisions after a signature that are compared.
	// On the 2-core reference machine a 1 MB file with 10,000 one-object updates verifies
	// in about a second (BENCHMARKS.md).
	maxComparedRevisions = 10000
	// maxGraphWork bounds the objects walked over all the revision graphs of one file
	// (each revision counts the objects it reaches): about 3 s of analysis on the 2-core
	// reference machine (BENCHMARKS.md), and room for 4,000 revisions of a document of
	// 400 objects.
	maxGraphWork = 1 << 21
	// maxListedChanges bounds the changed objects listed over all the signatures of one
	// report: each signature lists the changes of every later revision, so a file of
	// many signatures would list signatures × revisions of them. Past it a signature's
	// list names the first change that is not permitted and counts the rest
	// (MsgChangeNotListed); the verdicts still weigh every change.
	maxListedChanges = 1 << 16
)

// graphWindow is how many revision graphs the analysis keeps at once. The comparison of
// revision k needs the graphs of k-1 and k, the next one those of k and k+1: keeping
// every revision's graph would cost the document's whole graph once per revision, which
// a small file of thousands of updates turns into gigabytes.
const graphWindow = 3

// canCompare reports whether revision k can still be compared with the one before it
// for a signature made in revision signed: its comparison is already done, or both
// bounds leave room for it.
func (a *analysis) canCompare(signed, k int) bool {
	if _, done := a.diffs[k]; done {
		return true
	}
	return k-signed <= maxComparedRevisions && a.graphWork <= maxGraphWork
}

// graph returns the reference graph of revision rev, kept while nearby revisions are
// compared.
func (a *analysis) graph(rev int) *revGraph {
	if g, ok := a.graphs[rev]; ok {
		return g
	}
	for len(a.graphs) >= graphWindow {
		far, dist := -1, -1
		for r := range a.graphs {
			if d := max(r-rev, rev-r); d > dist {
				far, dist = r, d
			}
		}
		delete(a.graphs, far)
	}
	hint := 0 // a neighbour's size: the maps then rarely grow while the walk fills them
	for _, o := range a.graphs {
		hint = max(hint, len(o.reach))
	}
	var g *revGraph
	if prev, ok := a.graphs[rev-1]; ok {
		g = sameGraph(a.f, prev, rev)
	}
	if g == nil {
		g = buildGraph(a.f, rev, hint)
	}
	a.graphs[rev] = g
	// A shared graph costs little, but comparing the revision still reads what it
	// reaches: the bound counts that.
	a.graphWork += len(g.reach)
	return g
}

// sameGraph returns the graph of revision rev as that of the revision before it, prev,
// when a walk from rev's trailer would meet exactly the references prev's walk met, in
// the same order: the trailers refer to the same objects, and every object prev reaches
// whose reading rev may change (the objects rev lists, and those whose reading goes
// through them) refers to the same objects as before. The walk — and so every map of
// the graph, the first referrers included — is then the same. It returns nil when that
// cannot be told cheaply: the graph is then built (buildGraph).
func sameGraph(f *File, prev *revGraph, rev int) *revGraph {
	if prev.err != nil || prev.through == nil || prev.rev != rev-1 {
		return nil
	}
	if !slices.Equal(trailerRefs(f.Revisions[rev-1].Trailer), trailerRefs(f.Revisions[rev].Trailer)) {
		return nil
	}
	listed := f.Revisions[rev].entries
	affected := map[int]bool{}
	for m := range listed {
		if prev.reach[m] {
			affected[m] = true
		}
		for _, n := range prev.through[m] {
			affected[n] = true
		}
	}
	for n := range affected {
		if !slices.Equal(readsVia(f, rev-1, n), readsVia(f, rev, n)) {
			// The object now reads through other objects (a new object stream, another
			// /Length): the index of what reads through what would change.
			return nil
		}
		r := Ref{Num: n, Gen: prev.gens[n]}
		before, ok1 := objectRefs(f, rev-1, r)
		after, ok2 := objectRefs(f, rev, r)
		if !ok1 || !ok2 || !slices.Equal(before, after) {
			return nil
		}
	}
	return &revGraph{rev: rev, reach: prev.reach, gens: prev.gens, parents: prev.parents, children: prev.children,
		first: prev.first, through: prev.through}
}

// trailerRefs lists the references of a trailer's document keys, in the order the walk
// meets them.
func trailerRefs(tr Dict) []Ref {
	var out []Ref
	for _, e := range append(append([]DictEntry(nil), tr.Entries...), tr.Shadowed...) {
		if !isXRefKey(e.Key) {
			collectRefs(e.Value, 0, func(r Ref) { out = append(out, r) })
		}
	}
	return out
}

// objectRefs lists the references the walk meets in object r as of revision rev (those
// of the object readers that ignore generations read, when this reader reads null).
func objectRefs(f *File, rev int, r Ref) ([]Ref, bool) {
	o, err := f.Resolve(rev, r)
	if err != nil {
		return nil, false
	}
	var out []Ref
	collectRefs(o, 0, func(c Ref) { out = append(out, c) })
	if _, null := o.(Null); null {
		if alt, ok := f.genIgnored(rev, r); ok {
			collectRefs(alt, 0, func(c Ref) { out = append(out, c) })
		}
	}
	return out, true
}

// readsVia lists the objects that reading object num as of revision rev goes through,
// num excluded: the object stream that holds it and the objects that give a stream's
// (or its object stream's) /Length, as File.readsThrough follows them.
func readsVia(f *File, rev, num int) []int {
	var out []int
	for hop := 0; hop < 8; hop++ {
		e, _, ok := f.entry(rev, num)
		if !ok {
			return out
		}
		switch e.kind {
		case 'c':
			num = int(e.off)
		case 'n':
			o, err := f.Resolve(rev, Ref{Num: num, Gen: e.gen})
			st, isStream := o.(*Stream)
			if err != nil || !isStream {
				return out
			}
			r, ok := st.Dict.Get("Length").(Ref)
			if !ok {
				return out
			}
			num = r.Num
		default:
			return out
		}
		out = append(out, num)
	}
	return out
}

func buildGraph(f *File, rev, hint int) *revGraph {
	g := &revGraph{rev: rev, reach: make(map[int]bool, hint), gens: make(map[int]int, hint), parents: make(map[int][]int, hint),
		children: make(map[int][]int, hint), first: make(map[int]int, hint), through: map[int][]int{}}
	queue := []Ref{}
	add := func(from int, r Ref) {
		// Each object's references are collected in one go (the trailer's first), so a
		// repeated edge is one whose referrer is the last one recorded: checking that
		// keeps a node with thousands of referrers (a page tree's root) linear.
		if ps := g.parents[r.Num]; len(ps) > 0 && ps[len(ps)-1] == from {
			return
		}
		g.parents[r.Num] = append(g.parents[r.Num], from)
		g.children[from] = append(g.children[from], r.Num)
		if !g.reach[r.Num] {
			g.reach[r.Num] = true
			g.gens[r.Num] = r.Gen
			g.first[r.Num] = from
			queue = append(queue, r)
		}
	}
	tr := f.Revisions[rev].Trailer
	for _, e := range append(append([]DictEntry(nil), tr.Entries...), tr.Shadowed...) {
		if isXRefKey(e.Key) {
			continue
		}
		collectRefs(e.Value, 0, func(r Ref) { add(-1, r) })
	}
	for len(queue) > 0 {
		if len(g.reach) > maxGraphObjects {
			g.err = errors.New("too many objects")
			return g
		}
		r := queue[0]
		queue = queue[1:]
		o, err := f.Resolve(rev, r)
		if err != nil {
			g.err = err
			return g
		}
		for _, m := range readsVia(f, rev, r.Num) {
			g.through[m] = append(g.through[m], r.Num)
		}
		collectRefs(o, 0, func(c Ref) { add(r.Num, c) })
		// Readers that ignore generation numbers read the object anyway: what it refers
		// to is part of the document too.
		if _, null := o.(Null); null {
			if alt, ok := f.genIgnored(rev, r); ok {
				collectRefs(alt, 0, func(c Ref) { add(r.Num, c) })
			}
		}
	}
	return g
}

// isXRefKey reports keys of a trailer or cross-reference stream dictionary that describe
// the file structure rather than the document.
func isXRefKey(k Name) bool {
	switch k {
	case "Size", "Prev", "XRefStm", "Type", "W", "Index", "Length", "Filter", "DecodeParms", "DocChecksum":
		return true
	}
	return false
}

// collectRefs calls fn for every reference inside o (a stream's dictionary included).
func collectRefs(o Object, depth int, fn func(Ref)) {
	if depth > maxDepth+2 {
		return
	}
	switch x := o.(type) {
	case Ref:
		fn(x)
	case Array:
		for _, v := range x {
			collectRefs(v, depth+1, fn)
		}
	case Dict:
		for _, e := range x.Entries {
			collectRefs(e.Value, depth+1, fn)
		}
		for _, e := range x.Shadowed {
			collectRefs(e.Value, depth+1, fn)
		}
	case *Stream:
		collectRefs(x.Dict, depth+1, fn)
	}
}

// maxRefPaths bounds the paths refPaths lists.
const maxRefPaths = 16

// morePaths stands for the paths past maxRefPaths: no rule accepts it.
const morePaths = "(more)"

// refPaths lists the paths inside o at which object num is referenced ("/AP/N",
// "/Kids[2]"). Past maxRefPaths it ends the list with morePaths, so that a use hidden
// behind many harmless ones is never taken for one of them.
func refPaths(o Object, num int) []string {
	var out []string
	var walk func(o Object, path string, depth int)
	walk = func(o Object, path string, depth int) {
		if depth > maxDepth+2 || len(out) > maxRefPaths {
			return
		}
		switch x := o.(type) {
		case Ref:
			if x.Num == num {
				if len(out) == maxRefPaths {
					out = append(out, morePaths)
					return
				}
				out = append(out, path)
			}
		case Array:
			for i, v := range x {
				walk(v, path+"["+strconv.Itoa(i)+"]", depth+1)
			}
		case Dict:
			for _, e := range x.Entries {
				walk(e.Value, path+"/"+string(e.Key), depth+1)
			}
			// A repeated key's other values: a path no rule accepts.
			for _, e := range x.Shadowed {
				walk(e.Value, path+"/"+string(e.Key)+"(repeated)", depth+1)
			}
		case *Stream:
			walk(x.Dict, path, depth+1)
		}
	}
	walk(o, "", 0)
	return out
}

// subtree returns the objects reachable from the references in o, in graph g.
func subtree(g *revGraph, o Object) map[int]bool {
	out := map[int]bool{}
	var queue []int
	collectRefs(o, 0, func(r Ref) {
		if !out[r.Num] {
			out[r.Num] = true
			queue = append(queue, r.Num)
		}
	})
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for _, c := range g.children[n] {
			if !out[c] {
				out[c] = true
				queue = append(queue, c)
			}
		}
	}
	return out
}

// anyGen returns object num as of revision rev read as readers that ignore generation
// numbers read it: the object its cross-reference entry names, whatever the generation
// the document refers to it with.
func (a *analysis) anyGen(g *revGraph, num int) Object {
	o := a.value(g, num)
	if _, null := o.(Null); null {
		if alt, ok := a.f.genIgnored(g.rev, Ref{Num: num, Gen: g.gens[num]}); ok {
			return alt
		}
	}
	return o
}

// value returns object num as of revision rev (its generation from the graph).
func (a *analysis) value(g *revGraph, num int) Object {
	gen := g.gens[num]
	o, err := a.f.Resolve(g.rev, Ref{Num: num, Gen: gen})
	if err != nil {
		return nil
	}
	return o
}

// pathOf names how object num is reached from the trailer in g: "/Root/Pages/Kids[0]".
func (a *analysis) pathOf(g *revGraph, num int) string {
	var parts []string
	cur := num
	for hop := 0; hop < 32; hop++ {
		p, ok := g.first[cur]
		if !ok {
			break
		}
		var holder Object
		if p == -1 {
			holder = a.f.Revisions[g.rev].Trailer
		} else {
			holder = a.value(g, p)
		}
		ps := refPaths(holder, cur)
		step := "?"
		if len(ps) > 0 {
			step = ps[0]
		}
		parts = append(parts, step)
		if p == -1 {
			break
		}
		cur = p
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, "")
}

// describe names object num for a report: "12 0 R (/Root/Pages/Kids[0]/Contents)".
func (a *analysis) describe(g *revGraph, num int) string {
	return fmt.Sprintf("%d %d R (%s)", num, g.gens[num], a.pathOf(g, num))
}

func sortedKeys(m map[int]bool) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Ints(out)
	return out
}
