package pdf

import (
	"errors"
	"sort"
)

// fieldNode is one node of the form field tree (terminal or not).
type fieldNode struct {
	ref      Ref
	dict     Dict
	name     string
	ft       Name
	terminal bool
	kids     []Ref // all /Kids (fields and widgets)
	widgets  []int // widget annotations of a terminal field (itself when merged)
}

// docView is the structure of one revision that the difference analysis needs.
type docView struct {
	rev        int
	cat        Dict
	catRef     Ref
	af         Dict
	hasAF      bool
	afRef      int // 0 when the AcroForm is direct or absent
	fieldsRef  int // 0 when /Fields is direct
	nodes      map[int]*fieldNode
	widgetOf   map[int]int // widget → terminal field
	sigValue   map[int]string
	pages      []Ref
	pageIdx    map[int]int // page object → 1-based index
	treeNodes  map[int]bool
	pageAnnots [][]Ref
	annotPage  map[int]int // annotation → 1-based page index
	annotsArr  map[int]int // indirect /Annots array → 1-based page index
}

// view returns the structure of g's revision, read once per graph: the comparison of
// revision k reads it as the new side, that of k+1 as the old one.
func (a *analysis) view(g *revGraph) (*docView, error) {
	if !g.viewRead {
		g.view, g.viewErr = a.readView(g)
		g.viewRead = true
	}
	return g.view, g.viewErr
}

// readView reads the structure of g's revision: catalog, page tree, annotations and form
// field tree.
func (a *analysis) readView(g *revGraph) (*docView, error) {
	f := a.f
	rev := g.rev
	v := &docView{rev: rev, nodes: map[int]*fieldNode{}, widgetOf: map[int]int{}, sigValue: map[int]string{},
		pageIdx: map[int]int{}, treeNodes: map[int]bool{}, annotPage: map[int]int{}, annotsArr: map[int]int{}}
	var err error
	if v.cat, v.catRef, err = f.Catalog(rev); err != nil {
		return nil, err
	}
	// Pages and the page tree nodes.
	if v.pages, err = f.Pages(rev); err != nil {
		return nil, err
	}
	for i, p := range v.pages {
		v.pageIdx[p.Num] = i + 1
	}
	if root, ok := v.cat.Get("Pages").(Ref); ok {
		v.markTreeNodes(f, root, 0)
	}
	if err := v.readPageAnnots(f); err != nil {
		return nil, err
	}
	if err := v.readFields(f); err != nil {
		return nil, err
	}
	return v, nil
}

// markTreeNodes records r and the intermediate page tree nodes below it (and their
// indirect /Kids arrays) in v.treeNodes, stopping at pages, loops and maxTreeDepth.
func (v *docView) markTreeNodes(f *File, r Ref, depth int) {
	if depth > maxTreeDepth || v.treeNodes[r.Num] || v.pageIdx[r.Num] > 0 {
		return
	}
	v.treeNodes[r.Num] = true
	d, ok, _ := f.dictAt(v.rev, r)
	if !ok {
		return
	}
	kids, _ := f.deref(v.rev, d.Get("Kids"))
	if kr, ok := d.Get("Kids").(Ref); ok {
		v.treeNodes[kr.Num] = true
	}
	arr, _ := kids.(Array)
	for _, k := range arr {
		if kr, ok := k.(Ref); ok {
			v.markTreeNodes(f, kr, depth+1)
		}
	}
}

// readPageAnnots reads each page's /Annots: the annotations per page, the first page of
// each annotation and the page of each indirect /Annots array.
func (v *docView) readPageAnnots(f *File) error {
	v.pageAnnots = make([][]Ref, len(v.pages))
	for i, p := range v.pages {
		d, ok, err := f.dictAt(v.rev, p)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		av := d.Get("Annots")
		if r, ok := av.(Ref); ok {
			v.annotsArr[r.Num] = i + 1
		}
		arr, err := f.deref(v.rev, av)
		if err != nil {
			return err
		}
		list, _ := arr.(Array)
		for _, o := range list {
			if r, ok := o.(Ref); ok {
				v.pageAnnots[i] = append(v.pageAnnots[i], r)
				if v.annotPage[r.Num] == 0 {
					v.annotPage[r.Num] = i + 1
				}
			}
		}
	}
	return nil
}

// readFields reads the AcroForm and walks its field tree from /Fields.
func (v *docView) readFields(f *File) error {
	afv := v.cat.Get("AcroForm")
	if r, ok := afv.(Ref); ok {
		v.afRef = r.Num
	}
	af, ok, err := f.dictAt(v.rev, afv)
	if err != nil {
		return err
	}
	v.af, v.hasAF = af, ok
	if !ok {
		return nil
	}
	if r, ok := af.Get("Fields").(Ref); ok {
		v.fieldsRef = r.Num
	}
	fv, err := f.deref(v.rev, af.Get("Fields"))
	if err != nil {
		return err
	}
	top, _ := fv.(Array)
	w := fieldWalker{f: f, v: v}
	for _, o := range top {
		if r, ok := o.(Ref); ok {
			if err := w.walk(r, "", "", 0); err != nil {
				return err
			}
		}
	}
	return nil
}

// fieldWalker walks one revision's form field tree into v.nodes, counting the fields
// against maxFields.
type fieldWalker struct {
	f     *File
	v     *docView
	count int
}

// walk reads the field r (its full name below prefix, its inherited type ft) and,
// for a non-terminal field, its child fields.
func (w *fieldWalker) walk(r Ref, prefix string, ft Name, depth int) error {
	if depth > maxFieldDepth {
		return errors.New("form field tree too deep")
	}
	if w.v.nodes[r.Num] != nil {
		return nil
	}
	if w.count++; w.count > maxFields {
		return errors.New("too many form fields")
	}
	d, ok, err := w.f.dictAt(w.v.rev, r)
	if err != nil {
		return err
	}
	if !ok {
		return nil
	}
	n := &fieldNode{ref: r, dict: d, name: prefix}
	if t, ok := d.Get("T").(String); ok {
		if n.name != "" {
			n.name += "."
		}
		n.name += t.Text()
	}
	n.ft = ft
	if x := NameOf(d.Get("FT")); x != "" {
		n.ft = x
	}
	w.v.nodes[r.Num] = n
	childFields, nKids, err := w.readKids(n)
	if err != nil {
		return err
	}
	if len(childFields) == 0 {
		w.v.terminal(n, nKids)
		return nil
	}
	n.widgets = nil
	for _, k := range childFields {
		if err := w.walk(k, n.name, n.ft, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// readKids sorts n's /Kids into child fields (returned) and widgets (n.widgets); it
// also returns the length of the /Kids array.
func (w *fieldWalker) readKids(n *fieldNode) (childFields []Ref, nKids int, err error) {
	kv, err := w.f.deref(w.v.rev, n.dict.Get("Kids"))
	if err != nil {
		return nil, 0, err
	}
	kids, _ := kv.(Array)
	for _, k := range kids {
		kr, ok := k.(Ref)
		if !ok {
			continue
		}
		n.kids = append(n.kids, kr)
		kd, ok, err := w.f.dictAt(w.v.rev, kr)
		if err != nil {
			return nil, 0, err
		}
		if !ok {
			continue
		}
		if kd.Has("T") || (!kd.Has("Subtype") && kd.Has("Kids")) {
			childFields = append(childFields, kr)
		} else {
			n.widgets = append(n.widgets, kr.Num)
		}
	}
	return childFields, len(kids), nil
}

// terminal records n as a terminal field: its widgets (itself when it has no /Kids) and,
// for a signature field, the signature value it names.
func (v *docView) terminal(n *fieldNode, nKids int) {
	n.terminal = true
	if nKids == 0 {
		n.widgets = []int{n.ref.Num}
	}
	for _, w := range n.widgets {
		v.widgetOf[w] = n.ref.Num
	}
	if n.ft == "Sig" {
		if vr, ok := n.dict.Get("V").(Ref); ok {
			v.sigValue[vr.Num] = n.name
		}
	}
}

func sortedNodeNums(m map[int]*fieldNode) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Ints(out)
	return out
}
