package pdf

import (
	"bytes"
	"compress/zlib"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"sort"
	"strconv"
)

// increment collects the objects of one incremental update: new objects and new
// versions of existing ones, written after the unchanged original bytes.
type increment struct {
	f    *File
	rev  int // the revision the update is based on (the last one)
	next int
	objs map[int]Object
	gens map[int]int
	// raw holds objects given as finished bytes (the signature dictionary).
	raw map[int][]byte
}

func newIncrement(f *File) (*increment, error) {
	rev := f.Last()
	size, _ := IntOf(f.Revisions[rev].Trailer.Get("Size"))
	next := int(size)
	for r := range f.Revisions {
		for n := range f.Revisions[r].entries {
			if n >= next {
				next = n + 1
			}
		}
	}
	if next < 1 || next > 1<<30 {
		return nil, errors.New("bad /Size in the trailer")
	}
	return &increment{f: f, rev: rev, next: next, objs: map[int]Object{}, gens: map[int]int{}, raw: map[int][]byte{}}, nil
}

// add stores a new object and returns its reference.
func (inc *increment) add(o Object) Ref {
	r := Ref{Num: inc.next}
	inc.next++
	inc.objs[r.Num] = o
	inc.gens[r.Num] = 0
	return r
}

// reserve allocates an object number whose bytes are supplied later with setRaw.
func (inc *increment) reserve() Ref {
	r := Ref{Num: inc.next}
	inc.next++
	inc.gens[r.Num] = 0
	return r
}

// set stores a new version of an existing object.
func (inc *increment) set(r Ref, o Object) {
	inc.objs[r.Num] = o
	inc.gens[r.Num] = r.Gen
}

// get returns the pending version of r, or the file's.
func (inc *increment) get(r Ref) (Object, error) {
	if o, ok := inc.objs[r.Num]; ok && inc.gens[r.Num] == r.Gen {
		return o, nil
	}
	return inc.f.Resolve(inc.rev, r)
}

func (inc *increment) getDict(o Object) (Dict, bool, error) {
	if r, ok := o.(Ref); ok {
		v, err := inc.get(r)
		if err != nil {
			return Dict{}, false, err
		}
		o = v
	}
	d, ok := o.(Dict)
	return d, ok, nil
}

// serialized is the byte image of an increment.
type serialized struct {
	data []byte
	// Offsets within data of the signature dictionary's placeholders.
	byteRangeAt int // the first of the three 10-digit ByteRange numbers
	contentsAt  int // the '<' of /Contents
	contentsEnd int // one past its '>'
}

const byteRangeWidth = 10

// serialize writes the increment to start at file offset base. sigNum names the raw
// signature dictionary whose placeholders are located.
func (inc *increment) serialize(base int64, sigNum int, leadingNewline bool) (*serialized, error) {
	var b bytes.Buffer
	if leadingNewline {
		b.WriteByte('\n')
	}
	nums := make([]int, 0, len(inc.gens))
	for n := range inc.gens {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	offsets := map[int]int64{}
	out := &serialized{byteRangeAt: -1}
	for _, n := range nums {
		offsets[n] = base + int64(b.Len())
		b.WriteString(strconv.Itoa(n))
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(inc.gens[n]))
		b.WriteString(" obj\n")
		if raw, ok := inc.raw[n]; ok {
			start := b.Len()
			b.Write(raw)
			if n == sigNum {
				br := bytes.Index(raw, []byte("/ByteRange [0 "))
				ct := bytes.Index(raw, []byte("/Contents <"))
				if br < 0 || ct < 0 {
					return nil, errors.New("signature dictionary without placeholders")
				}
				out.byteRangeAt = start + br + len("/ByteRange [0 ")
				out.contentsAt = start + ct + len("/Contents ")
				end := bytes.IndexByte(raw[ct+len("/Contents <"):], '>')
				if end < 0 {
					return nil, errors.New("signature dictionary without placeholders")
				}
				out.contentsEnd = start + ct + len("/Contents <") + end + 1
			}
		} else {
			o, ok := inc.objs[n]
			if !ok {
				return nil, fmt.Errorf("object %d reserved but never written", n)
			}
			appendObject(&b, o)
		}
		b.WriteString("\nendobj\n")
	}
	if sigNum > 0 && out.byteRangeAt < 0 {
		return nil, errors.New("signature dictionary missing from the increment")
	}
	prev := inc.f.Revisions[inc.rev]
	trailer := Dict{}
	size := inc.next
	if s, ok := IntOf(prev.Trailer.Get("Size")); ok && int(s) > size {
		size = int(s)
	}
	trailer.Set("Root", prev.Trailer.Get("Root"))
	if info := prev.Trailer.Get("Info"); info != nil {
		trailer.Set("Info", info)
	}
	trailer.Set("ID", newID(prev.Trailer.Get("ID"), base))
	// Every other document-level key of the previous trailer carries over unchanged.
	for _, e := range prev.Trailer.Entries {
		if !isXRefKey(e.Key) && e.Key != "Root" && e.Key != "Info" && e.Key != "ID" && !trailer.Has(e.Key) {
			trailer.Set(e.Key, e.Value)
		}
	}
	trailer.Set("Prev", Int(prev.XRefOff))
	xrefAt := base + int64(b.Len())
	if prev.IsStream {
		xn := inc.next
		size = max(size, xn+1)
		offsets[xn] = xrefAt
		nums = append(nums, xn)
		maxOff := xrefAt
		w := 1
		for maxOff >= 1<<(8*w) {
			w++
		}
		w = max(w, 4)
		var rows bytes.Buffer
		var index Array
		for i := 0; i < len(nums); {
			j := i
			for j+1 < len(nums) && nums[j+1] == nums[j]+1 {
				j++
			}
			index = append(index, Int(nums[i]), Int(j-i+1))
			for k := i; k <= j; k++ {
				rows.WriteByte(1)
				off := offsets[nums[k]]
				for s := w - 1; s >= 0; s-- {
					rows.WriteByte(byte(off >> (8 * s)))
				}
				g := inc.gens[nums[k]]
				rows.WriteByte(byte(g >> 8))
				rows.WriteByte(byte(g))
			}
			i = j + 1
		}
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		zw.Write(rows.Bytes())
		zw.Close()
		d := Dict{}
		d.Set("Type", Name("XRef"))
		d.Set("Size", Int(size))
		d.Set("W", Array{Int(1), Int(w), Int(2)})
		d.Set("Index", index)
		d.Set("Filter", Name("FlateDecode"))
		for _, e := range trailer.Entries {
			d.Set(e.Key, e.Value)
		}
		b.WriteString(strconv.Itoa(xn))
		b.WriteString(" 0 obj\n")
		appendObject(&b, &Stream{Dict: d, Data: z.Bytes()})
		b.WriteString("\nendobj\n")
	} else {
		b.WriteString("xref\n0 1\n0000000000 65535 f\r\n")
		for i := 0; i < len(nums); {
			j := i
			for j+1 < len(nums) && nums[j+1] == nums[j]+1 {
				j++
			}
			fmt.Fprintf(&b, "%d %d\n", nums[i], j-i+1)
			for k := i; k <= j; k++ {
				fmt.Fprintf(&b, "%010d %05d n\r\n", offsets[nums[k]], inc.gens[nums[k]])
			}
			i = j + 1
		}
		trailer.Set("Size", Int(size))
		// Keep the order readers expect: Size first.
		sized := Dict{}
		sized.Set("Size", Int(size))
		for _, e := range trailer.Entries {
			if e.Key != "Size" {
				sized.Set(e.Key, e.Value)
			}
		}
		b.WriteString("trailer\n")
		appendObject(&b, sized)
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "startxref\n%d\n%%%%EOF\n", xrefAt)
	out.data = b.Bytes()
	return out, nil
}

// newID keeps the first element of the file identifier and makes a new second one.
func newID(old Object, salt int64) Array {
	nonce := make([]byte, 16)
	rand.Read(nonce)
	sum := sha256.Sum256(append(nonce, []byte(strconv.FormatInt(salt, 10))...))
	second := String{Bytes: sum[:16], Hex: true, Pos: -1, End: -1}
	if a, ok := old.(Array); ok && len(a) == 2 {
		if s, ok := a[0].(String); ok {
			first := String{Bytes: s.Bytes, Hex: true, Pos: -1, End: -1}
			return Array{first, second}
		}
	}
	return Array{String{Bytes: append([]byte(nil), sum[16:]...), Hex: true, Pos: -1, End: -1}, second}
}
