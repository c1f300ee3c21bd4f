package pdf

import "github.com/mynasign/mynasign/trust"

// Overlays through signature fields. A signature's widget draws its appearance over the
// page, above the signed content. A later signature that verifies vouches for what it
// draws; anything else that draws there after signing — a signature value that does not
// verify, a document time-stamp (which names no signer), a field whose value merely
// looks like a signature — is an overlay nobody vouches for, and not a permitted change.
// What such a field adds invisibly (a zero-size rectangle, hidden flags, no appearance)
// stays permitted: it changes nothing a reader sees.

// Annotation flags (ISO 32000-1 §12.5.3) that decide whether a widget is shown.
const (
	annotHidden = 1 << 1 // neither shown nor printed
	annotPrint  = 1 << 2 // printed
	annotNoView = 1 << 5 // not shown on screen (printed when Print is set)
)

// maxAppearanceScan bounds how much of an appearance stream is decoded to tell whether it
// draws anything; a longer one is taken to draw.
const maxAppearanceScan = 1 << 20

// overlays judges the widgets of signature fields (and of fields whose value is a
// signature or time-stamp dictionary) that the revision adds or changes: one that shows
// an appearance must belong to a field this revision signs with a signature that
// verifies and covers the revision.
func (x *differ) overlays() {
	for _, n := range sortedNodeNums(x.vN.nodes) {
		fn := x.vN.nodes[n]
		if !fn.terminal || x.reported[n] || (fn.ft != "Sig" && !x.sigValued(fn)) {
			continue
		}
		if fo := x.vO.nodes[n]; fo != nil && !x.added[n] && fo.ft == "Sig" && fo.dict.Has("V") {
			continue // signed before: any change is judged as an alteration of that signature
		}
		vouched := x.a.verifiedIn(x.gN.rev, fn)
		for _, w := range fn.widgets {
			wd, ok := x.a.value(x.gN, w).(Dict)
			if !ok || x.reported[w] || vouched || !x.touched(w, wd) || !x.shows(wd) {
				continue
			}
			if x.a.undecidedIn(x.gN.rev, fn) {
				// A signature this verifier cannot evaluate may vouch for the drawing:
				// that is no proof of a forgery, and no permitted change either.
				x.reported[w] = true
				x.d.objects = append(x.d.objects, changedObj{undecided: true, ChangedObject: trust.ChangedObject{
					Revision: x.d.rev + 1, Object: x.a.describe(x.gN, w), Change: x.changeOf(w),
					Why: trust.Message{Key: MsgChangeOverlayUnverifiable, Args: []string{fn.name}}}})
				continue
			}
			x.violate(w, MsgChangeOverlay, fn.name)
		}
	}
}

// verifiedIn reports whether revision k signs field fn with a signature (not a document
// time-stamp) that verifies and whose signed bytes end with that revision.
func (a *analysis) verifiedIn(k int, fn *fieldNode) bool {
	if fn.ref.Num == 0 {
		return false
	}
	for _, s := range a.sigs {
		if s.verified && s.rev == k && s.field.Ref.Num == fn.ref.Num {
			return true
		}
	}
	return false
}

// undecidedIn reports whether revision k signs field fn with a signature (not a document
// time-stamp) whose outcome is INDETERMINATE: it could not be evaluated, nor proved bad.
func (a *analysis) undecidedIn(k int, fn *fieldNode) bool {
	if fn.ref.Num == 0 {
		return false
	}
	for _, s := range a.sigs {
		if s.undecided && s.rev == k && s.field.Ref.Num == fn.ref.Num {
			return true
		}
	}
	return false
}

func (x *differ) changeOf(num int) string {
	if x.added[num] {
		return "added"
	}
	return "modified"
}

// sigValued reports whether the field's value is a signature or time-stamp dictionary,
// whatever the field's type.
func (x *differ) sigValued(fn *fieldNode) bool {
	d, ok, err := x.a.f.dictAt(x.gN.rev, fn.dict.Get("V"))
	if err != nil || !ok {
		return false
	}
	return NameOf(d.Get("Type")) == "Sig" || x.isDocTimestamp(fn)
}

// touched reports whether the revision adds or changes widget w or anything its
// appearance, rectangle, flags or appearance characteristics are read through, or puts
// it on another page than before (on one at all, say).
func (x *differ) touched(w int, wd Dict) bool {
	if x.added[w] || x.changed[w] || x.vO.annotPage[w] != x.vN.annotPage[w] {
		return true
	}
	for n := range subtree(x.gN, Array{wd.Get("AP"), wd.Get("Rect"), wd.Get("F"), wd.Get("MK")}) {
		if x.added[n] || x.changed[n] {
			return true
		}
	}
	return false
}

// visible reports whether any widget of the field shows something.
func (x *differ) visible(fn *fieldNode) bool {
	for _, w := range fn.widgets {
		if wd, ok := x.a.value(x.gN, w).(Dict); ok && x.shows(wd) {
			return true
		}
	}
	return false
}

// shows reports whether a widget (as of the new revision) may show something: it is not
// hidden by its flags, its rectangle is not certainly empty, and it has an appearance
// that draws, or appearance characteristics (/MK) from which viewers draw a border or
// background. What cannot be read counts as shown.
func (x *differ) shows(wd Dict) bool {
	f, rev := x.a.f, x.gN.rev
	if fo, err := f.deref(rev, wd.Get("F")); err == nil {
		if flags, ok := IntOf(fo); ok {
			if flags&annotHidden != 0 || (flags&annotNoView != 0 && flags&annotPrint == 0) {
				return false
			}
		}
	}
	if f.rectEmpty(rev, wd.Get("Rect")) {
		return false
	}
	if wd.Has("MK") {
		return true
	}
	if !wd.Has("AP") {
		return false
	}
	ap, ok, err := f.dictAt(rev, wd.Get("AP"))
	if err != nil || !ok {
		return true
	}
	for _, k := range []Name{"N", "R", "D"} {
		if ap.Has(k) && x.draws(ap.Get(k), 0) {
			return true
		}
	}
	return false
}

// draws reports whether an appearance (a stream, or a dictionary of appearance states)
// may draw anything: a stream whose content is not empty, or anything unreadable.
func (x *differ) draws(o Object, depth int) bool {
	v, err := x.a.f.deref(x.gN.rev, o)
	if err != nil {
		return true
	}
	switch s := v.(type) {
	case *Stream:
		data, err := x.a.f.decodeStream(s, maxAppearanceScan)
		if err != nil {
			return true
		}
		for _, c := range data {
			if !isWhite(c) {
				return true
			}
		}
		return false
	case Dict:
		if depth > 0 {
			return true
		}
		for _, e := range s.Entries {
			if x.draws(e.Value, depth+1) {
				return true
			}
		}
		return false
	case Null:
		return false
	}
	return true
}

// rectEmpty reports whether o is certainly an empty rectangle: four finite numbers of a
// sane size (possibly references) that span no area. A missing or malformed rectangle
// (not an array of four numbers, NaN, infinite or absurd values) has an unknown extent —
// readers repair it each their own way — and is not empty.
func (f *File) rectEmpty(rev int, o Object) bool {
	r, ok := f.rectNumbers(rev, o)
	return ok && (r[0] == r[2] || r[1] == r[3])
}
