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
		var walk func(r Ref, depth int)
		walk = func(r Ref, depth int) {
			if depth > maxTreeDepth || v.treeNodes[r.Num] || v.pageIdx[r.Num] > 0 {
				return
			}
			v.treeNodes[r.Num] = true
			d, ok, _ := f.dictAt(rev, r)
			if !ok {
				return
			}
			kids, _ := f.deref(rev, d.Get("Kids"))
			if kr, ok := d.Get("Kids").(Ref); ok {
				v.treeNodes[kr.Num] = true
			}
			arr, _ := kids.(Array)
			for _, k := range arr {
				if kr, ok := k.(Ref); ok {
					walk(kr, depth+1)
				}
			}
		}
		walk(root, 0)
	}
	v.pageAnnots = make([][]Ref, len(v.pages))
	for i, p := range v.pages {
		d, ok, err := f.dictAt(rev, p)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		av := d.Get("Annots")
		if r, ok := av.(Ref); ok {
			v.annotsArr[r.Num] = i + 1
		}
		arr, err := f.deref(rev, av)
		if err != nil {
			return nil, err
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
	// The AcroForm and its field tree.
	afv := v.cat.Get("AcroForm")
	if r, ok := afv.(Ref); ok {
		v.afRef = r.Num
	}
	af, ok, err := f.dictAt(rev, afv)
	if err != nil {
		return nil, err
	}
	v.af, v.hasAF = af, ok
	if !ok {
		return v, nil
	}
	if r, ok := af.Get("Fields").(Ref); ok {
		v.fieldsRef = r.Num
	}
	fv, err := f.deref(rev, af.Get("Fields"))
	if err != nil {
		return nil, err
	}
	top, _ := fv.(Array)
	count := 0
	var walk func(r Ref, prefix string, ft Name, depth int) error
	walk = func(r Ref, prefix string, ft Name, depth int) error {
		if depth > maxFieldDepth {
			return errors.New("form field tree too deep")
		}
		if v.nodes[r.Num] != nil {
			return nil
		}
		if count++; count > maxFields {
			return errors.New("too many form fields")
		}
		d, ok, err := f.dictAt(rev, r)
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
		v.nodes[r.Num] = n
		kv, err := f.deref(rev, d.Get("Kids"))
		if err != nil {
			return err
		}
		kids, _ := kv.(Array)
		var childFields []Ref
		for _, k := range kids {
			kr, ok := k.(Ref)
			if !ok {
				continue
			}
			n.kids = append(n.kids, kr)
			kd, ok, err := f.dictAt(rev, kr)
			if err != nil {
				return err
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
		if len(childFields) == 0 {
			n.terminal = true
			if len(kids) == 0 {
				n.widgets = []int{r.Num}
			}
			for _, w := range n.widgets {
				v.widgetOf[w] = r.Num
			}
			if n.ft == "Sig" {
				if vr, ok := d.Get("V").(Ref); ok {
					v.sigValue[vr.Num] = n.name
				}
			}
			return nil
		}
		n.widgets = nil
		for _, k := range childFields {
			if err := walk(k, n.name, n.ft, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	for _, o := range top {
		if r, ok := o.(Ref); ok {
			if err := walk(r, "", "", 0); err != nil {
				return nil, err
			}
		}
	}
	return v, nil
}

func sortedNodeNums(m map[int]*fieldNode) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Ints(out)
	return out
}
