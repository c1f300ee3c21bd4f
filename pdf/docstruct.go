package pdf

import (
	"errors"
	"fmt"
)

// Bounds for walking a document's trees.
const (
	maxPages      = 1 << 20
	maxTreeDepth  = 64
	maxFields     = 100000
	maxFieldDepth = 32
)

// deref follows references from o as of revision rev.
func (f *File) deref(rev int, o Object) (Object, error) {
	for i := 0; i < 8; i++ {
		r, ok := o.(Ref)
		if !ok {
			return o, nil
		}
		var err error
		if o, err = f.Resolve(rev, r); err != nil {
			return nil, err
		}
	}
	return nil, errors.New("reference chain too long")
}

// dictAt returns o (followed) as a dictionary (a stream's dictionary counts), or false.
func (f *File) dictAt(rev int, o Object) (Dict, bool, error) {
	v, err := f.deref(rev, o)
	if err != nil {
		return Dict{}, false, err
	}
	switch x := v.(type) {
	case Dict:
		return x, true, nil
	case *Stream:
		return x.Dict, true, nil
	}
	return Dict{}, false, nil
}

// Catalog returns the document catalog and its reference as of revision rev.
func (f *File) Catalog(rev int) (Dict, Ref, error) {
	t := f.Revisions[rev].Trailer
	r, ok := t.Get("Root").(Ref)
	if !ok {
		return Dict{}, Ref{}, errors.New("the trailer has no /Root reference")
	}
	d, ok, err := f.dictAt(rev, r)
	if err != nil {
		return Dict{}, r, fmt.Errorf("document catalog: %w", err)
	}
	if !ok {
		return Dict{}, r, errors.New("the document catalog is not a dictionary")
	}
	return d, r, nil
}

// Pages returns the page objects in order as of revision rev.
func (f *File) Pages(rev int) ([]Ref, error) {
	nodes, err := f.pageNodes(rev)
	if err != nil {
		return nil, err
	}
	out := make([]Ref, len(nodes))
	for i, n := range nodes {
		out[i] = n.ref
	}
	return out, nil
}

// pageNode is one page of the page tree with the attributes it inherits (or has):
// /MediaBox, /CropBox and /Rotate, as found (possibly references).
type pageNode struct {
	ref                       Ref
	mediaBox, cropBox, rotate Object
}

// inheritedAttrs are the page attributes a page tree node passes on to its kids.
var inheritedAttrs = []Name{"MediaBox", "CropBox", "Rotate"}

// pageNodes walks the page tree as of revision rev: the pages in order, each with its
// inheritable attributes resolved from its ancestors.
func (f *File) pageNodes(rev int) ([]pageNode, error) {
	cat, _, err := f.Catalog(rev)
	if err != nil {
		return nil, err
	}
	root, ok := cat.Get("Pages").(Ref)
	if !ok {
		return nil, errors.New("the catalog has no /Pages reference")
	}
	var out []pageNode
	seen := map[Ref]bool{}
	var walk func(r Ref, depth int, inh pageNode) error
	walk = func(r Ref, depth int, inh pageNode) error {
		if depth > maxTreeDepth {
			return errors.New("page tree too deep")
		}
		if seen[r] {
			return errors.New("page tree has a loop")
		}
		seen[r] = true
		d, ok, err := f.dictAt(rev, r)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("page tree node %s is not a dictionary", r)
		}
		for _, k := range inheritedAttrs {
			if v := d.Get(k); v != nil {
				if _, isNull := v.(Null); isNull {
					continue
				}
				switch k {
				case "MediaBox":
					inh.mediaBox = v
				case "CropBox":
					inh.cropBox = v
				case "Rotate":
					inh.rotate = v
				}
			}
		}
		kids, isNode := d.Get("Kids").(Array)
		if NameOf(d.Get("Type")) == "Page" || (!isNode && NameOf(d.Get("Type")) != "Pages") {
			if len(out) >= maxPages {
				return errors.New("too many pages")
			}
			inh.ref = r
			out = append(out, inh)
			return nil
		}
		if !isNode {
			k, err := f.deref(rev, d.Get("Kids"))
			if err != nil {
				return err
			}
			if kids, ok = k.(Array); !ok {
				return fmt.Errorf("page tree node %s has no /Kids", r)
			}
		}
		for _, k := range kids {
			kr, ok := k.(Ref)
			if !ok {
				return fmt.Errorf("page tree node %s has a direct kid", r)
			}
			if err := walk(kr, depth+1, inh); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(root, 0, pageNode{}); err != nil {
		return nil, err
	}
	return out, nil
}

// Field is one terminal form field.
type Field struct {
	Ref    Ref // the field dictionary (Num 0 when it was a direct object)
	Name   string
	Type   Name // /FT, inherited
	Dict   Dict
	Widget []Ref // widget annotations: the field itself when merged, else its /Kids
}

// Fields returns the terminal form fields of the AcroForm as of revision rev, in
// document order.
func (f *File) Fields(rev int) ([]Field, error) {
	cat, _, err := f.Catalog(rev)
	if err != nil {
		return nil, err
	}
	af, ok, err := f.dictAt(rev, cat.Get("AcroForm"))
	if err != nil || !ok {
		return nil, err
	}
	fv, err := f.deref(rev, af.Get("Fields"))
	if err != nil {
		return nil, err
	}
	top, _ := fv.(Array)
	var out []Field
	seen := map[Ref]bool{}
	var walk func(o Object, prefix string, ft Name, depth int) error
	walk = func(o Object, prefix string, ft Name, depth int) error {
		if depth > maxFieldDepth {
			return errors.New("form field tree too deep")
		}
		r, isRef := o.(Ref)
		if isRef {
			if seen[r] {
				return nil
			}
			seen[r] = true
		}
		d, ok, err := f.dictAt(rev, o)
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		name := prefix
		if t, ok := d.Get("T").(String); ok {
			if name != "" {
				name += "."
			}
			name += t.Text()
		}
		if n := NameOf(d.Get("FT")); n != "" {
			ft = n
		}
		kv, err := f.deref(rev, d.Get("Kids"))
		if err != nil {
			return err
		}
		kids, _ := kv.(Array)
		// A field whose kids are all widgets (no /T) is terminal.
		var childFields []Object
		var widgets []Ref
		for _, k := range kids {
			kd, ok, err := f.dictAt(rev, k)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			if kd.Has("T") || (!kd.Has("Subtype") && kd.Has("Kids")) {
				childFields = append(childFields, k)
			} else if kr, ok := k.(Ref); ok {
				widgets = append(widgets, kr)
			}
		}
		if len(childFields) == 0 {
			if len(out) >= maxFields {
				return errors.New("too many form fields")
			}
			fl := Field{Name: name, Type: ft, Dict: d, Widget: widgets}
			if isRef {
				fl.Ref = r
				if len(kids) == 0 {
					fl.Widget = []Ref{r}
				}
			}
			out = append(out, fl)
			return nil
		}
		for _, k := range childFields {
			if err := walk(k, name, ft, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	for _, o := range top {
		if err := walk(o, "", "", 0); err != nil {
			return nil, err
		}
	}
	return out, nil
}
