package pdf

import (
	"errors"
	"fmt"
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
	// (each revision counts the objects it reaches): about 4 s of analysis.
	maxGraphWork = 1 << 20
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
	g := buildGraph(a.f, rev, hint)
	a.graphs[rev] = g
	a.graphWork += len(g.reach)
	return g
}

func buildGraph(f *File, rev, hint int) *revGraph {
	g := &revGraph{rev: rev, reach: make(map[int]bool, hint), gens: make(map[int]int, hint), parents: make(map[int][]int, hint),
		children: make(map[int][]int, hint), first: make(map[int]int, hint)}
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
