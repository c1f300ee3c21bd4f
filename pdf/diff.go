package pdf

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/mynasign/mynasign/trust"
)

// The difference analysis compares each revision with the one before it. Every object
// the revision adds or changes (and that the document can reach) must be explained by a
// rule: a new signature field with its widget and appearance, a signature value put into
// an empty signature field, form filling of an unsigned field, the AcroForm and page
// /Annots entries that list them, a DSS, a document timestamp, the document information
// and metadata. A changed object that existed before must, in addition, have been used
// only in the places the rule explains: an appearance stream that is also drawn
// somewhere else may not be rewritten as "just an appearance". Everything else — page
// content or resources, the page tree, annotations that are not signature widgets, a
// signature dictionary that already held a signature, a new /Root — is not permitted.

type changeLevel int

const (
	levelNone changeLevel = iota
	levelLTA              // DSS, document timestamps, document information, metadata
	levelForm             // signatures and form filling
)

// valueUpdateKeys may change when a field is filled in or an empty signature field is
// signed: the value, the appearance and its state, the widget flags, the default
// appearance and quadding, the field flags and /Type.
var valueUpdateKeys = []Name{"V", "AP", "AS", "F", "DA", "Q", "Ff", "Type"}

func isValueUpdateKey(k Name) bool {
	for _, v := range valueUpdateKeys {
		if v == k {
			return true
		}
	}
	return false
}

type changedObj struct {
	trust.ChangedObject
	permitted bool
	// undecided: not permitted unless something this verifier cannot evaluate (a later
	// signature's algorithm, say) vouches for it; not a proof of a forbidden change.
	undecided bool
}

// revDiff is the judgement of one revision against the previous one.
type revDiff struct {
	rev     int
	level   changeLevel
	objects []changedObj
}

func (d *revDiff) violation(obj, key string, args ...string) {
	d.violationOf(obj, "modified", key, args...)
}

func (d *revDiff) violationOf(obj, change, key string, args ...string) {
	d.objects = append(d.objects, changedObj{ChangedObject: trust.ChangedObject{Revision: d.rev + 1, Object: obj,
		Change: change, Why: trust.Message{Key: key, Args: args}}})
}

// NotPermitted reports whether the revision holds a change that is not permitted.
func (d *revDiff) notPermitted() bool {
	for _, o := range d.objects {
		if !o.permitted {
			return true
		}
	}
	return false
}

// diff returns (and caches) the judgement of revision k (k ≥ 1).
func (a *analysis) diff(k int) *revDiff {
	if d, ok := a.diffs[k]; ok {
		return d
	}
	d := a.computeDiff(k)
	a.diffs[k] = d
	return d
}

// explanation is a rule's approval of one changed object. accept decides, for an object
// that existed before, whether an old referrer p (with the paths it used) is one of the
// places the rule covers; nil approves every old use.
type explanation struct {
	level  changeLevel
	why    trust.Message
	accept func(p int, paths []string) bool
}

type differ struct {
	a              *analysis
	d              *revDiff
	gO, gN         *revGraph
	vO, vN         *docView
	changed, added map[int]bool // changed: existed (reachable) before; added: new
	expl           map[int][]explanation
	reported       map[int]bool
	newSigWidgets  map[int]bool
	outside        map[int]bool // see outsideAreas
	stampOnly      bool         // see onlyTimestamps
}

func (a *analysis) computeDiff(k int) *revDiff {
	d := &revDiff{rev: k}
	gO, gN := a.graph(k-1), a.graph(k)
	for _, g := range []*revGraph{gO, gN} {
		if g.err != nil {
			d.violation("revision "+strconv.Itoa(g.rev+1), MsgChangeUnreadable, g.err.Error())
			return d
		}
	}
	vO, err := a.view(gO)
	if err == nil {
		var vN *docView
		if vN, err = a.view(gN); err == nil {
			x := &differ{a: a, d: d, gO: gO, gN: gN, vO: vO, vN: vN, changed: map[int]bool{}, added: map[int]bool{},
				expl: map[int][]explanation{}, reported: map[int]bool{}, newSigWidgets: map[int]bool{}}
			x.run()
			return d
		}
	}
	d.violation("revision "+strconv.Itoa(k+1), MsgChangeUnreadable, err.Error())
	return d
}

func (x *differ) run() {
	x.trailer()
	x.collect()
	x.unlistedCopies()
	x.stampOnly = x.onlyTimestamps()
	x.catalog()
	x.subtrees()
	x.acroForm()
	x.fields()
	x.overlays()
	x.pages()
	x.judge()
}

func (x *differ) explain(num int, level changeLevel, key string, args []string, accept func(int, []string) bool) {
	if !x.changed[num] && !x.added[num] {
		return
	}
	// Only form filling names something (the field); keep every key's arguments fixed.
	if key == MsgChangeFormFilled {
		if len(args) != 1 {
			args = []string{"?"}
		}
	} else {
		args = nil
	}
	x.expl[num] = append(x.expl[num], explanation{level: level, why: trust.Message{Key: key, Args: args}, accept: accept})
}

func (x *differ) violate(num int, key string, args ...string) {
	x.reported[num] = true
	change := "modified"
	if x.added[num] {
		change = "added"
	}
	x.d.violationOf(x.a.describe(x.gN, num), change, key, args...)
}

// trailer: the /Root must stay, /Encrypt must not change, no other document-level key
// may appear or change.
func (x *differ) trailer() {
	tO := x.a.f.Revisions[x.gO.rev].Trailer
	tN := x.a.f.Revisions[x.gN.rev].Trailer
	// Readers that take the last copy of a repeated key read another document when the
	// new trailer gives a structure key (/Prev, /XRefStm, ...) twice, or when its later
	// copies of document keys (/Root, /Info, ...) are not the signed trailer's.
	ambiguous := !Equal(docShadowed(tO), docShadowed(tN))
	for _, e := range tN.Shadowed {
		ambiguous = ambiguous || isXRefKey(e.Key)
	}
	if ambiguous {
		x.d.violation("trailer", MsgChangeAmbiguous)
	}
	keys := map[Name]bool{}
	for _, e := range tO.Entries {
		keys[e.Key] = true
	}
	for _, e := range tN.Entries {
		keys[e.Key] = true
	}
	for k := range keys {
		if isXRefKey(k) || k == "ID" || k == "Info" {
			continue
		}
		if !Equal(tO.Get(k), tN.Get(k)) {
			x.d.violation("trailer", MsgChangeTrailer, "/"+string(k))
		}
	}
}

// docShadowed lists the later copies of repeated document keys of a trailer (keys and
// values in turn).
func docShadowed(d Dict) Array {
	var out Array
	for _, e := range d.Shadowed {
		if !isXRefKey(e.Key) {
			out = append(out, e.Key, e.Value)
		}
	}
	return out
}

// collect finds the objects the revision adds or changes, and objects it frees. An
// object can change without being listed in the revision's cross-reference section:
// when the revision redefines the object stream that holds it, or the object that gives
// its /Length; those are compared too.
func (x *differ) collect() {
	f := x.a.f
	entries := f.Revisions[x.gN.rev].entries
	cands := map[int]bool{}
	for _, n := range sortedNums(entries) {
		if e := entries[n]; e.kind == 'f' {
			if n != 0 && x.gO.reach[n] {
				x.d.violation(strconv.Itoa(n)+" 0 R ("+x.a.pathOf(x.gO, n)+")", MsgChangeFreed)
			}
			continue
		}
		cands[n] = true
	}
	for n := range x.gN.reach {
		if !cands[n] && f.readsThrough(x.gN.rev, n) {
			cands[n] = true
		}
	}
	for _, n := range sortedKeys(cands) {
		if !x.gN.reach[n] {
			continue // not part of the document (object streams, the xref stream, orphans)
		}
		if hasDupKeys(x.a.value(x.gN, n), 0) {
			// Readers disagree on which value of a repeated key counts (PDFium, pdf.js and
			// poppler take the last, this reader the first): nothing about such an object
			// can be judged.
			if x.gO.reach[n] {
				x.changed[n] = true
			} else {
				x.added[n] = true
			}
			x.violate(n, MsgChangeAmbiguous)
			continue
		}
		if !x.gO.reach[n] {
			x.added[n] = true
			continue
		}
		if x.same(n) {
			continue
		}
		x.changed[n] = true
		if hasDupKeys(x.a.value(x.gO, n), 0) {
			// The signed object had a key twice: whichever value a reader took, the
			// rewrite may change what it shows in a way the other reading hides.
			x.violate(n, MsgChangeAmbiguous)
		}
	}
}

// unlistedCopies compares the reading of a repairing reader with the cross-reference
// one: an object whose last definition in the revision's bytes is not the one the
// revision's cross-reference section gives (an unlisted body, a renumbered subsection, a
// header that is not the entry's object) and reads differently is not permitted.
func (x *differ) unlistedCopies() {
	f := x.a.f
	k := x.gN.rev
	rv := f.Revisions[k]
	from := f.Revisions[k-1].End
	structural := map[int64]bool{}
	for _, s := range rv.sections {
		if s.stream {
			structural[s.offset] = true
		}
		if s.xrefStm >= 0 {
			structural[s.xrefStm] = true
		}
	}
	last := map[int]bodyCopy{}
	var order []int
	reported := map[int64]bool{}
	headers := f.objectHeaders(from, rv.End)
	// Repairing readers take a trailer they find in the bytes (which one depends on the
	// reader): each must name what the revision's trailer names.
	for _, t := range f.looseTrailers(from, rv.End, headers) {
		same := Equal(docShadowed(t), docShadowed(rv.Trailer))
		for _, key := range []Name{"Root", "Info", "Encrypt"} {
			same = same && Equal(t.Get(key), rv.Trailer.Get(key))
		}
		if !same {
			x.d.violationOf(fmt.Sprintf("trailer (revision %d)", k+1), "added", MsgChangeUnlisted)
			break
		}
	}
	for _, h := range headers {
		if _, ok := last[h.ref.Num]; !ok {
			order = append(order, h.ref.Num)
		}
		last[h.ref.Num] = h
	}
	for _, n := range order {
		h := last[n]
		if structural[h.off] {
			continue
		}
		if e, ok := rv.entries[n]; ok && e.kind == 'n' && e.off == h.off && e.gen == h.ref.Gen {
			x.unlistedMembers(n, h.off)
			continue
		}
		_, body, _, err := f.parseIndirectAt(h.off, func(r Ref) (Object, error) { return f.Resolve(k, r) }, 0)
		ours, err2 := f.Resolve(k, h.ref)
		if err == nil && err2 == nil && x.sameValue(ours, body) {
			continue
		}
		x.d.violationOf(fmt.Sprintf("%d %d obj (byte %d)", h.ref.Num, h.ref.Gen, h.off), "added", MsgChangeUnlisted)
		reported[h.off] = true
	}
	if f.wouldRepair(k) {
		x.repairedReading(reported)
	}
}

// repairedReading compares, for a revision whose cross-reference section some readers
// rebuild, what they then read of each object the document uses — the last body of its
// number in the file up to the revision's end — with the section's reading. Bodies left
// in the signed revisions count too: a later update with a broken table can bring out an
// unlisted body that nobody was shown when signing.
func (x *differ) repairedReading(reported map[int64]bool) {
	f := x.a.f
	k := x.gN.rev
	last := map[int]bodyCopy{}
	for _, h := range f.headersBefore(f.Revisions[k].End) {
		last[h.ref.Num] = h
	}
	for _, n := range sortedKeys(x.gN.reach) {
		h, ok := last[n]
		if !ok || reported[h.off] {
			continue
		}
		e, _, ok := f.entry(k, n)
		if !ok || e.kind != 'n' || e.off == h.off {
			continue // compressed objects: readers that rebuild read their object streams
		}
		_, body, _, err := f.parseIndirectAt(h.off, func(r Ref) (Object, error) { return f.Resolve(k, r) }, 0)
		if err == nil && x.sameValue(x.a.value(x.gN, n), body) {
			continue
		}
		x.d.violationOf(fmt.Sprintf("%d %d obj (byte %d)", h.ref.Num, h.ref.Gen, h.off), "added", MsgChangeUnlisted)
	}
}

// unlistedMembers checks an object stream the revision lists: readers that rebuild the
// file read the objects it holds too, so a member the cross-reference section does not
// place in it must read as the section's object does.
func (x *differ) unlistedMembers(num int, off int64) {
	f := x.a.f
	k := x.gN.rev
	o, err := f.Resolve(k, Ref{Num: num})
	if st, ok := o.(*Stream); err != nil || !ok || NameOf(st.Dict.Get("Type")) != "ObjStm" {
		return
	}
	os, err := f.loadObjStm(k, num, off, 0)
	if err != nil {
		return
	}
	for i, m := range os.nums {
		if e, ok := f.Revisions[k].entries[m]; ok && e.kind == 'c' && int(e.off) == num {
			continue
		}
		p := newParser(memWindow(os.data), os.first+os.offs[i])
		body, err := p.object(0)
		ours, err2 := f.Resolve(k, Ref{Num: m})
		if err == nil && err2 == nil && x.sameValue(ours, body) {
			continue
		}
		x.d.violationOf(fmt.Sprintf("%d 0 obj (object stream %d)", m, num), "added", MsgChangeUnlisted)
	}
}

// hasDupKeys reports whether o holds a dictionary in which a key occurs twice.
func hasDupKeys(o Object, depth int) bool {
	if depth > maxDepth+2 {
		return false
	}
	switch x := o.(type) {
	case Dict:
		if x.Dup {
			return true
		}
		for _, e := range x.Entries {
			if hasDupKeys(e.Value, depth+1) {
				return true
			}
		}
	case Array:
		for _, v := range x {
			if hasDupKeys(v, depth+1) {
				return true
			}
		}
	case *Stream:
		return hasDupKeys(x.Dict, depth+1)
	}
	return false
}

// same reports whether object n is identical in both revisions.
func (x *differ) same(n int) bool {
	if x.gO.gens[n] != x.gN.gens[n] {
		return false
	}
	return x.sameValue(x.a.value(x.gO, n), x.a.value(x.gN, n)) &&
		x.sameValue(x.a.anyGen(x.gO, n), x.a.anyGen(x.gN, n))
}

// sameValue reports whether o and nw, two readings of one object, are identical.
func (x *differ) sameValue(o, nw Object) bool {
	so, ok1 := o.(*Stream)
	sn, ok2 := nw.(*Stream)
	if ok1 != ok2 {
		return false
	}
	if !ok1 {
		return o != nil && Equal(o, nw)
	}
	if !equalDicts(without(so.Dict, "Length"), without(sn.Dict, "Length")) || so.Length != sn.Length {
		return false
	}
	bo, err1 := x.a.f.RawStreamData(so)
	bn, err2 := x.a.f.RawStreamData(sn)
	return err1 == nil && err2 == nil && string(bo) == string(bn)
}

func without(d Dict, k Name) Dict {
	c := d.Clone()
	c.Delete(k)
	return c
}

// pathsOK builds an accept function: the old referrer must be p and every path must
// satisfy ok.
func acceptFrom(p int, ok func(string) bool) func(int, []string) bool {
	return func(q int, paths []string) bool {
		if q != p {
			return false
		}
		for _, s := range paths {
			if !ok(s) {
				return false
			}
		}
		return true
	}
}

func is(path string) func(string) bool { return func(s string) bool { return s == path } }

func prefix(p string) func(string) bool {
	return func(s string) bool { return s == p || strings.HasPrefix(s, p+"/") || strings.HasPrefix(s, p+"[") }
}

// catalog: only /AcroForm, /DSS, /Extensions, /Metadata, /MarkInfo and /Version may
// change; the others must be identical.
func (x *differ) catalog() {
	cO, cN := x.vO.cat, x.vN.cat
	if x.vO.catRef != x.vN.catRef {
		return // reported by the trailer check
	}
	exempt := map[Name]bool{"AcroForm": true, "DSS": true, "Extensions": true, "Metadata": true, "MarkInfo": true, "Version": true}
	keys := map[Name]bool{}
	for _, e := range cO.Entries {
		keys[e.Key] = true
	}
	for _, e := range cN.Entries {
		keys[e.Key] = true
	}
	for _, k := range sortedNames(keys) {
		if exempt[k] {
			continue
		}
		if !Equal(cO.Get(k), cN.Get(k)) {
			x.violate(x.vN.catRef.Num, MsgChangeCatalog, "/"+string(k))
		}
	}
	why := MsgChangeMetadata
	if !Equal(cO.Get("AcroForm"), cN.Get("AcroForm")) {
		_, why = x.sigLevel()
	} else if !Equal(cO.Get("DSS"), cN.Get("DSS")) {
		why = MsgChangeDSS
	}
	x.explain(x.vN.catRef.Num, levelLTA, why, nil, nil)
}

// subtrees: the DSS, /Extensions, /Metadata and the document information dictionary may
// be added or replaced, as long as what they replace was used by nothing else.
func (x *differ) subtrees() {
	cat := x.vO.catRef.Num
	type area struct {
		vO, vN Object
		holder int
		key    string
		level  changeLevel
		why    string
	}
	areas := []area{
		{x.vO.cat.Get("DSS"), x.vN.cat.Get("DSS"), cat, "/DSS", levelLTA, MsgChangeDSS},
		{x.vO.cat.Get("Extensions"), x.vN.cat.Get("Extensions"), cat, "/Extensions", levelLTA, MsgChangeMetadata},
		{x.vO.cat.Get("Metadata"), x.vN.cat.Get("Metadata"), cat, "/Metadata", levelLTA, MsgChangeMetadata},
		{x.a.f.Revisions[x.gO.rev].Trailer.Get("Info"), x.a.f.Revisions[x.gN.rev].Trailer.Get("Info"), -1, "/Info", levelLTA, MsgChangeMetadata},
	}
	for _, ar := range areas {
		if ar.vN == nil {
			continue
		}
		holder, key := ar.holder, ar.key
		accept := func(p int, paths []string) bool {
			return x.areaOnly(p) || acceptFrom(holder, prefix(key))(p, paths)
		}
		for n := range subtree(x.gN, ar.vN) {
			x.explain(n, ar.level, ar.why, nil, accept)
		}
	}
}

// areaOnly reports whether the signed revision used object p only inside the areas that
// may be rewritten (the document information, /DSS, /Extensions, /Metadata and the
// form's /DR): no path from the trailer to p avoids them. Being inside an area is not
// enough: an area may also name a page, whose content is then below it too.
func (x *differ) areaOnly(p int) bool {
	if p < 0 || !x.gO.reach[p] {
		return false
	}
	if x.outside == nil {
		x.outside = x.outsideAreas()
	}
	return !x.outside[p]
}

// outsideAreas returns the objects the signed revision reaches from the trailer without
// entering an area.
func (x *differ) outsideAreas() map[int]bool {
	g, cat, af := x.gO, x.vO.catRef.Num, x.vO.afRef
	inArea := func(holder int, path string) bool {
		switch holder {
		case -1:
			return prefix("/Info")(path)
		case cat:
			return prefix("/DSS")(path) || prefix("/Extensions")(path) || prefix("/Metadata")(path) ||
				prefix("/AcroForm/DR")(path)
		case af:
			return prefix("/DR")(path)
		}
		return false
	}
	seen := map[int]bool{}
	var queue []int
	push := func(n int) {
		if !seen[n] {
			seen[n] = true
			queue = append(queue, n)
		}
	}
	// The holders of areas are walked by path; every other object by its references.
	byPath := func(holder int, o Object) {
		for _, c := range g.children[holder] {
			for _, path := range refPaths(o, c) {
				if !inArea(holder, path) {
					push(c)
					break
				}
			}
		}
	}
	trailer := Dict{}
	for _, e := range x.a.f.Revisions[g.rev].Trailer.Entries {
		if !isXRefKey(e.Key) {
			trailer.Entries = append(trailer.Entries, e)
		}
	}
	byPath(-1, trailer)
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if n == cat || (af != 0 && n == af) {
			byPath(n, x.a.value(g, n))
			continue
		}
		for _, c := range g.children[n] {
			push(c)
		}
	}
	return seen
}

// acroForm: only /Fields, /SigFlags, /DR and /DA may change.
func (x *differ) acroForm() {
	if !x.vN.hasAF {
		if x.vO.hasAF {
			x.violate(x.vN.catRef.Num, MsgChangeAcroForm, "/AcroForm")
		}
		return
	}
	exempt := map[Name]bool{"Fields": true, "SigFlags": true, "DR": true, "DA": true, "Q": true, "NeedAppearances": true}
	if x.vO.hasAF {
		keys := map[Name]bool{}
		for _, e := range x.vO.af.Entries {
			keys[e.Key] = true
		}
		for _, e := range x.vN.af.Entries {
			keys[e.Key] = true
		}
		for _, k := range sortedNames(keys) {
			if !exempt[k] && !Equal(x.vO.af.Get(k), x.vN.af.Get(k)) {
				num := x.vN.afRef
				if num == 0 {
					num = x.vN.catRef.Num
				}
				x.violate(num, MsgChangeAcroForm, "/"+string(k))
			}
		}
	}
	// With /NeedAppearances on, viewers draw every field from its value with the form's
	// /DA, /Q and /DR, not with the appearance that was signed. Turning it on, or changing
	// what it draws with while it is on, may change each field's look, as filling it in
	// would.
	regen := x.flag(x.gN.rev, x.vN.af, "NeedAppearances")
	wasRegen := x.vO.hasAF && x.flag(x.gO.rev, x.vO.af, "NeedAppearances")
	drawnWith := !Equal(x.vO.af.Get("DA"), x.vN.af.Get("DA")) || !Equal(x.vO.af.Get("Q"), x.vN.af.Get("Q")) ||
		!Equal(x.vO.af.Get("DR"), x.vN.af.Get("DR"))
	for n := range subtree(x.gN, x.vN.af.Get("DR")) {
		drawnWith = drawnWith || x.changed[n] || x.added[n]
	}
	if regen && (!wasRegen || drawnWith) {
		for _, n := range sortedNodeNums(x.vO.nodes) {
			fo := x.vO.nodes[n]
			if !fo.terminal || fo.ft == "Sig" {
				continue
			}
			x.d.objects = append(x.d.objects, changedObj{permitted: true, ChangedObject: trust.ChangedObject{
				Revision: x.d.rev + 1, Object: x.a.describe(x.gN, n), Change: "modified",
				Why: trust.Message{Key: MsgChangeRedrawn, Args: []string{fo.name}}}})
			x.d.level = max(x.d.level, levelForm)
		}
	}
	sl, sw := x.sigLevel()
	if x.vN.afRef != 0 {
		x.explain(x.vN.afRef, sl, sw, nil, nil)
	}
	if x.vN.fieldsRef != 0 {
		x.explain(x.vN.fieldsRef, sl, sw, nil, nil)
	}
	if dr := x.vN.af.Get("DR"); dr != nil {
		holder := x.vO.afRef
		key := "/DR"
		if holder == 0 {
			holder, key = x.vO.catRef.Num, "/AcroForm/DR"
		}
		accept := func(p int, paths []string) bool {
			return x.areaOnly(p) || acceptFrom(holder, prefix(key))(p, paths)
		}
		for n := range subtree(x.gN, dr) {
			x.explain(n, levelForm, MsgChangeFormFilled, []string{"/DR"}, accept)
		}
	}
}

// flag reads a boolean entry of d (direct or indirect) as of revision rev.
func (x *differ) flag(rev int, d Dict, key Name) bool {
	v, err := x.a.f.deref(rev, d.Get(key))
	b, ok := v.(Bool)
	return err == nil && ok && bool(b)
}

// fieldish accepts the places a form field or widget is normally referenced from.
func (x *differ) fieldish(p int, paths []string) bool {
	v := x.vO
	if p == -1 {
		return false
	}
	okPlace := v.nodes[p] != nil || p == v.afRef || p == v.fieldsRef || v.widgetOf[p] != 0 || v.annotsArr[p] > 0 ||
		v.pageIdx[p] > 0 || p == v.catRef.Num
	if !okPlace {
		return false
	}
	for _, s := range paths {
		switch {
		case strings.HasPrefix(s, "/Fields["), strings.HasPrefix(s, "/AcroForm/Fields["), strings.HasPrefix(s, "/Kids["),
			s == "/Parent", strings.HasPrefix(s, "/Annots["), strings.HasPrefix(s, "["):
		default:
			return false
		}
	}
	return true
}

// newDeps explains the new objects reachable from o through new objects only.
func (x *differ) newDeps(o Object, level changeLevel, key string, args []string) {
	seen := map[int]bool{}
	var queue []int
	collectRefs(o, 0, func(r Ref) {
		if x.added[r.Num] && !seen[r.Num] {
			seen[r.Num] = true
			queue = append(queue, r.Num)
		}
	})
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		x.explain(n, level, key, args, nil)
		for _, c := range x.gN.children[n] {
			if x.added[c] && !seen[c] {
				seen[c] = true
				queue = append(queue, c)
			}
		}
	}
}

// newDepsBelow explains the new objects reachable from object num (itself excluded)
// through new objects only.
func (x *differ) newDepsBelow(num int, level changeLevel, key string, args []string) {
	var kids Array
	for _, c := range x.gN.children[num] {
		kids = append(kids, Ref{Num: c})
	}
	x.newDeps(kids, level, key, args)
}

// fields judges the form: new signature fields, signatures put into empty signature
// fields, and form filling of unsigned fields.
func (x *differ) fields() {
	vO, vN := x.vO, x.vN
	// Fields must not disappear.
	for n, fo := range vO.nodes {
		if vN.nodes[n] == nil {
			x.d.violation(strconv.Itoa(n)+" 0 R", MsgChangeFieldRemoved, fo.name)
		}
	}
	for _, n := range sortedNodeNums(vN.nodes) {
		fn := vN.nodes[n]
		fo := vO.nodes[n]
		if fo == nil || x.added[n] {
			x.newField(fn)
			continue
		}
		if !x.changed[n] {
			// Unchanged field dictionary; its appearance streams may still have been
			// rewritten in place.
			if fn.terminal {
				x.appearance(fn, fo, false)
			}
			continue
		}
		x.changedField(fn, fo)
	}
	// Widget kids of terminal fields.
	for w, fnum := range vN.widgetOf {
		if vN.nodes[w] != nil {
			continue // merged field and widget: handled above
		}
		if x.added[w] {
			continue // explained with its new field
		}
		if !x.changed[w] {
			continue
		}
		fn, fo := vN.nodes[fnum], vO.nodes[fnum]
		if fn == nil || fo == nil {
			continue
		}
		x.changedWidget(w, fn, fo)
	}
}

func (x *differ) newField(fn *fieldNode) {
	if !fn.terminal {
		sl, sw := x.sigLevel()
		x.explain(fn.ref.Num, sl, sw, nil, x.fieldish)
		return
	}
	if fn.ft != "Sig" {
		x.violate(fn.ref.Num, MsgChangeFieldAdded, fn.name)
		return
	}
	level, why := levelForm, MsgChangeSignatureAdded
	if x.isDocTimestamp(fn) {
		level, why = levelLTA, MsgChangeDocTimestamp
	}
	if r, ok := fn.dict.Get("V").(Ref); ok && !x.added[r.Num] {
		// The value of a new signature field must be a new signature: one made earlier,
		// for another field, would be reported as signed in this one.
		x.violate(fn.ref.Num, MsgChangeSigReused, fn.name)
		return
	}
	if !fn.dict.Has("V") && x.visible(fn) {
		// An empty signature field that shows something: nobody vouches for what it
		// draws over the page.
		x.violate(fn.ref.Num, MsgChangeFieldAdded, fn.name)
		return
	}
	x.explain(fn.ref.Num, level, why, nil, x.fieldish)
	for _, w := range fn.widgets {
		x.explain(w, level, why, nil, x.fieldish)
		x.newSigWidgets[w] = true
	}
	x.newDeps(fn.dict, level, why, nil)
	for _, w := range fn.widgets {
		if wd, ok := x.a.value(x.gN, w).(Dict); ok {
			x.newDeps(wd, level, why, nil)
		}
	}
}

// onlyTimestamps reports whether the signatures the revision adds are all invisible
// document time-stamps (and there is at least one): the form and page entries that list
// them are then the time-stamp's, a change of the document-security kind (levelLTA) that
// ISO 32000-2 §12.8.2.2 and ETSI EN 319 142-1 permit even under DocMDP P=1.
func (x *differ) onlyTimestamps() bool {
	some := false
	for n, fn := range x.vN.nodes {
		fo := x.vO.nodes[n]
		if !fn.terminal {
			continue
		}
		isNew := fo == nil || x.added[n]
		if fn.ft != "Sig" {
			if isNew {
				return false
			}
			continue
		}
		signedNow := fn.dict.Has("V") && (isNew || !fo.dict.Has("V"))
		if isNew && !fn.dict.Has("V") {
			return false // a new empty signature field is a form change
		}
		if !signedNow {
			continue
		}
		if !x.isDocTimestamp(fn) || x.visible(fn) {
			return false
		}
		some = true
	}
	return some
}

// sigLevel is the level and reason of the form and page entries that list the
// signatures the revision adds.
func (x *differ) sigLevel() (changeLevel, string) {
	if x.stampOnly {
		return levelLTA, MsgChangeDocTimestamp
	}
	return levelForm, MsgChangeSignatureAdded
}

func (x *differ) isDocTimestamp(fn *fieldNode) bool {
	d, ok, err := x.a.f.dictAt(x.gN.rev, fn.dict.Get("V"))
	if err != nil || !ok {
		return false
	}
	return NameOf(d.Get("Type")) == "DocTimeStamp" || NameOf(d.Get("SubFilter")) == "ETSI.RFC3161"
}

// changedField judges a field whose dictionary changed.
func (x *differ) changedField(fn, fo *fieldNode) {
	allowed := map[Name]bool{}
	signedBefore := fo.dict.Has("V")
	filling := false
	switch {
	case !fo.terminal || !fn.terminal:
		allowed["Kids"] = true
	case fo.ft == "Sig" && signedBefore:
		if !Equal(fo.dict.Get("V"), fn.dict.Get("V")) {
			x.violate(fn.ref.Num, MsgChangeSigAltered, fn.name)
			return
		}
		allowed["Ff"], allowed["Type"] = true, true
	default:
		// Filling in a field, or signing an empty signature field.
		for _, k := range valueUpdateKeys {
			allowed[k] = true
		}
		filling = true
	}
	keys := map[Name]bool{}
	for _, e := range fo.dict.Entries {
		keys[e.Key] = true
	}
	for _, e := range fn.dict.Entries {
		keys[e.Key] = true
	}
	for _, k := range sortedNames(keys) {
		if Equal(fo.dict.Get(k), fn.dict.Get(k)) {
			continue
		}
		if !allowed[k] {
			if fo.ft == "Sig" && signedBefore {
				x.violate(fn.ref.Num, MsgChangeSigAltered, fn.name)
			} else {
				x.violate(fn.ref.Num, MsgChangeFieldAltered, fn.name, "/"+string(k))
			}
			return
		}
	}
	if allowed["Kids"] {
		// Old kids stay; new kids must be new fields (judged on their own).
		oldKids := map[int]bool{}
		for _, k := range fo.kids {
			oldKids[k.Num] = true
		}
		for _, k := range fn.kids {
			delete(oldKids, k.Num)
		}
		if len(oldKids) > 0 {
			x.violate(fn.ref.Num, MsgChangeFieldRemoved, fn.name)
			return
		}
		x.explain(fn.ref.Num, levelForm, MsgChangeSignatureAdded, nil, nil)
		return
	}
	key, level := MsgChangeFormFilled, levelForm
	var args []string
	if fo.ft == "Sig" {
		key = MsgChangeSignatureAdded
		if !signedBefore && fn.dict.Has("V") && x.isDocTimestamp(fn) {
			key, level = MsgChangeDocTimestamp, levelLTA
		}
		if !signedBefore && fn.dict.Has("V") {
			for _, w := range fn.widgets {
				x.newSigWidgets[w] = true
			}
			if r, ok := fn.dict.Get("V").(Ref); ok && !x.added[r.Num] {
				// The value must be a new signature dictionary.
				if x.changed[r.Num] || x.gO.reach[r.Num] {
					x.violate(fn.ref.Num, MsgChangeSigReused, fn.name)
					return
				}
			}
		}
	} else {
		args = []string{fn.name}
	}
	x.explain(fn.ref.Num, level, key, args, nil)
	x.newDeps(fn.dict.Get("V"), level, key, args)
	if filling {
		x.appearance(fn, fo, true)
	}
}

// changedWidget judges a widget (a kid of a terminal field) whose dictionary changed.
func (x *differ) changedWidget(w int, fn, fo *fieldNode) {
	dO, _ := x.a.value(x.gO, w).(Dict)
	dN, _ := x.a.value(x.gN, w).(Dict)
	if fo.ft == "Sig" && fo.dict.Has("V") {
		x.violate(w, MsgChangeSigAltered, fn.name)
		return
	}
	keys := map[Name]bool{}
	for _, e := range dO.Entries {
		keys[e.Key] = true
	}
	for _, e := range dN.Entries {
		keys[e.Key] = true
	}
	for _, k := range sortedNames(keys) {
		if !isValueUpdateKey(k) && !Equal(dO.Get(k), dN.Get(k)) {
			x.violate(w, MsgChangeFieldAltered, fn.name, "/"+string(k))
			return
		}
	}
	key := MsgChangeFormFilled
	if fo.ft == "Sig" {
		key = MsgChangeSignatureAdded
	}
	x.explain(w, levelForm, key, []string{fn.name}, nil)
}

// appearance judges changes to the appearances of a field's widgets: new appearance
// streams are fine; rewriting an existing appearance dictionary or stream in place, or
// replacing an appearance dictionary, is fine only when nothing else used it.
func (x *differ) appearance(fn, fo *fieldNode, fieldChanged bool) {
	signedBefore := fo.ft == "Sig" && fo.dict.Has("V")
	key := MsgChangeFormFilled
	if fo.ft == "Sig" {
		key = MsgChangeSignatureAdded
	}
	for _, w := range fn.widgets {
		wN, _ := x.a.value(x.gN, w).(Dict)
		wO, _ := x.a.value(x.gO, w).(Dict)
		apO, apN := wO.Get("AP"), wN.Get("AP")
		touched := !Equal(apO, apN)
		var streams []int
		apDictO := 0
		if r, ok := apO.(Ref); ok {
			apDictO = r.Num
			if x.changed[r.Num] {
				touched = true
			}
		}
		apDictN, _, _ := x.a.f.dictAt(x.gN.rev, apN)
		for _, k := range []Name{"N", "R", "D"} {
			collectRefs(apDictN.Get(k), 0, func(r Ref) { streams = append(streams, r.Num) })
		}
		for _, s := range streams {
			if x.changed[s] {
				touched = true
			}
		}
		if !touched {
			continue
		}
		// Allowed for a field being filled in, and for an empty signature field that is
		// being signed in this revision.
		allowed := !signedBefore && (fo.ft != "Sig" || (fieldChanged && fn.dict.Has("V")))
		if !allowed {
			// An appearance of a signed field, or one rewritten without its field being
			// filled in this revision.
			for _, s := range append(streams, apDictO) {
				if x.changed[s] {
					x.violate(s, MsgChangeSigAltered, fn.name)
				}
			}
			if signedBefore && !Equal(apO, apN) {
				x.violate(w, MsgChangeSigAltered, fn.name)
			}
			continue
		}
		// The old appearance dictionary, when indirect, must have been this widget's alone.
		if apDictO != 0 {
			for _, p := range x.gO.parents[apDictO] {
				if p != w || !allPaths(refPaths(x.a.value(x.gO, p), apDictO), is("/AP")) {
					x.reported[w] = true
					x.d.violation(x.a.describe(x.gN, w), MsgChangeShared, x.usage(p, apDictO, nil))
					return
				}
			}
			x.explain(apDictO, levelForm, key, []string{fn.name}, acceptFrom(w, is("/AP")))
		}
		ww, ad := w, apDictO
		accept := func(p int, paths []string) bool {
			if p == ww {
				return allPaths(paths, prefix("/AP"))
			}
			if ad != 0 && p == ad {
				return allPaths(paths, func(s string) bool {
					return prefix("/N")(s) || prefix("/R")(s) || prefix("/D")(s)
				})
			}
			return false
		}
		for _, s := range streams {
			x.explain(s, levelForm, key, []string{fn.name}, accept)
			if x.added[s] || x.changed[s] {
				x.newDepsBelow(s, levelForm, key, []string{fn.name})
			}
		}
		x.newDeps(apN, levelForm, key, []string{fn.name})
	}
}

func allPaths(paths []string, ok func(string) bool) bool {
	for _, s := range paths {
		if !ok(s) {
			return false
		}
	}
	return true
}

// usage names where object num was used by p in the signed revision: the first path
// that fine does not accept (nil: the first path).
func (x *differ) usage(p, num int, fine func(string) bool) string {
	var holder Object
	s := "trailer"
	if p == -1 {
		holder = x.a.f.Revisions[x.gO.rev].Trailer
	} else {
		holder = x.a.value(x.gO, p)
		s = x.a.pathOf(x.gO, p)
	}
	ps := refPaths(holder, num)
	for _, path := range ps {
		if fine == nil || !fine(path) {
			return s + path
		}
	}
	if len(ps) > 0 {
		s += ps[0]
	}
	return s
}

// pages: the page tree must be the same; a page may change only its /Annots, and only
// by adding the widgets of signature fields signed in this revision.
func (x *differ) pages() {
	vO, vN := x.vO, x.vN
	same := len(vO.pages) == len(vN.pages)
	for i := 0; same && i < len(vO.pages); i++ {
		same = vO.pages[i] == vN.pages[i]
	}
	if !same {
		x.d.violation("page tree", MsgChangePageTree)
	}
	for n := range vN.treeNodes {
		if x.changed[n] || x.added[n] {
			x.violate(n, MsgChangePageTree)
		}
	}
	sl, sw := x.sigLevel()
	for i, p := range vN.pages {
		if i >= len(vO.pages) || vO.pages[i] != p {
			continue
		}
		pd := strconv.Itoa(i + 1)
		dO, _ := x.a.value(x.gO, p.Num).(Dict)
		dN, _ := x.a.value(x.gN, p.Num).(Dict)
		annotsChanged := false
		if x.changed[p.Num] {
			keys := map[Name]bool{}
			for _, e := range dO.Entries {
				keys[e.Key] = true
			}
			for _, e := range dN.Entries {
				keys[e.Key] = true
			}
			bad := false
			for _, k := range sortedNames(keys) {
				if k == "Annots" || Equal(dO.Get(k), dN.Get(k)) {
					continue
				}
				x.violate(p.Num, MsgChangePageContent, pd, "/"+string(k))
				bad = true
				break
			}
			if !bad {
				annotsChanged = true
				x.explain(p.Num, sl, sw, nil, nil)
			}
		}
		if r, ok := dN.Get("Annots").(Ref); ok && (x.changed[r.Num] || x.added[r.Num]) {
			annotsChanged = true
			x.explain(r.Num, sl, sw, nil, nil)
		}
		if !annotsChanged {
			continue
		}
		oldA, newA := vO.pageAnnots[i], vN.pageAnnots[i]
		present := map[int]bool{}
		for _, r := range newA {
			present[r.Num] = true
		}
		for _, r := range oldA {
			if !present[r.Num] {
				x.violate(p.Num, MsgChangeAnnotation, pd, "removed")
				break
			}
		}
		was := map[int]bool{}
		for _, r := range oldA {
			was[r.Num] = true
		}
		if !x.annotsOrderKept(oldA, newA, was) {
			x.violate(p.Num, MsgChangeAnnotsOrder, pd)
		}
		for _, r := range newA {
			if was[r.Num] {
				continue
			}
			if !x.newSigWidgets[r.Num] {
				ad, _ := x.a.value(x.gN, r.Num).(Dict)
				sub := string(NameOf(ad.Get("Subtype")))
				if sub == "" {
					sub = "?"
				}
				x.violate(r.Num, MsgChangeAnnotation, pd, sub)
			}
		}
	}
}

// annotsOrderKept reports whether a page's new /Annots keeps the signed entries in
// their order and number (annotations are drawn in that order, the last on top) and
// lists each added one once.
func (x *differ) annotsOrderKept(oldA, newA []Ref, was map[int]bool) bool {
	var kept []Ref
	added := map[int]bool{}
	for _, r := range newA {
		if was[r.Num] {
			kept = append(kept, r)
			continue
		}
		if added[r.Num] {
			return false
		}
		added[r.Num] = true
	}
	if len(kept) != len(oldA) {
		return false
	}
	for i := range kept {
		if kept[i].Num != oldA[i].Num {
			return false
		}
	}
	return true
}

// judge turns the explanations into the revision's verdict.
func (x *differ) judge() {
	nums := map[int]bool{}
	for n := range x.changed {
		nums[n] = true
	}
	for n := range x.added {
		nums[n] = true
	}
	unexplained := map[int]bool{}
	for _, n := range sortedKeys(nums) {
		if len(x.expl[n]) == 0 {
			unexplained[n] = true
		}
	}
	for _, n := range sortedKeys(nums) {
		if x.reported[n] {
			continue
		}
		es := x.expl[n]
		if len(es) == 0 {
			// A new object below another unexplained one is covered by that report.
			if x.added[n] && unexplained[x.gN.first[n]] {
				continue
			}
			x.unexplained(n)
			continue
		}
		if x.changed[n] {
			bad := -2
			for _, p := range x.gO.parents[n] {
				var holder Object
				if p == -1 {
					holder = x.a.f.Revisions[x.gO.rev].Trailer
				} else {
					holder = x.a.value(x.gO, p)
				}
				paths := refPaths(holder, n)
				ok := false
				for _, e := range es {
					if e.accept == nil || e.accept(p, paths) {
						ok = true
						break
					}
				}
				if !ok {
					bad = p
					break
				}
			}
			if bad != -2 {
				fine := func(path string) bool {
					for _, e := range es {
						if e.accept == nil || e.accept(bad, []string{path}) {
							return true
						}
					}
					return false
				}
				x.violate(n, MsgChangeShared, x.usage(bad, n, fine))
				continue
			}
		}
		best := es[0]
		for _, e := range es[1:] {
			if e.level > best.level {
				best = e
			}
		}
		change := "modified"
		if x.added[n] {
			change = "added"
		}
		x.d.objects = append(x.d.objects, changedObj{permitted: true, ChangedObject: trust.ChangedObject{
			Revision: x.d.rev + 1, Object: x.a.describe(x.gN, n), Change: change, Why: best.why}})
		if best.level > x.d.level {
			x.d.level = best.level
		}
	}
	if x.d.level == levelNone && len(x.d.objects) == 0 {
		return
	}
	if x.d.level == levelNone {
		x.d.level = levelLTA
	}
}

// unexplained reports a change no rule covers, naming it by what it is.
func (x *differ) unexplained(n int) {
	if name, ok := x.vO.sigValue[n]; ok {
		x.violate(n, MsgChangeSigAltered, name)
		return
	}
	if i, ok := x.vN.annotPage[n]; ok {
		ad, _ := x.a.value(x.gN, n).(Dict)
		sub := string(NameOf(ad.Get("Subtype")))
		x.violate(n, MsgChangeAnnotation, strconv.Itoa(i), sub)
		return
	}
	// Below a page? Name the page and the path inside it.
	cur := n
	for hop := 0; hop < 32; hop++ {
		if i := x.vN.pageIdx[cur]; i > 0 && cur != n {
			path := x.a.pathOf(x.gN, n)
			pp := x.a.pathOf(x.gN, cur)
			x.violate(n, MsgChangePageContent, strconv.Itoa(i), strings.TrimPrefix(path, pp))
			return
		}
		p, ok := x.gN.first[cur]
		if !ok || p == -1 {
			break
		}
		cur = p
	}
	x.violate(n, MsgChangeUnexplained)
}

func sortedNames(m map[Name]bool) []Name {
	out := make([]Name, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
