package pdf

import (
	"fmt"
	"io"
)

// SignedRevision is the part of a file one signature covers: the file's first Length
// bytes, up to the end of the signature's /ByteRange, which is the end of the revision
// the signature was made in.
type SignedRevision struct {
	Field  string // the signature field's name, as in trust.SignatureReport.ID
	Length int64
}

// SignedRevisions lists, in document order, the signatures (and document time-stamps)
// of the file whose /ByteRange is sane and ends where one of its revisions ends (as the
// verifier's coverage check finds it). Others, and the fields of an encrypted file, are
// left out: what they signed cannot be shown.
func SignedRevisions(r io.ReaderAt, size int64) ([]SignedRevision, error) {
	f, err := NewFile(r, size)
	if err != nil {
		return nil, err
	}
	if f.Encrypted() {
		return nil, nil
	}
	last := f.Last()
	fields, err := f.Fields(last)
	if err != nil {
		return nil, fmt.Errorf("reading the form fields: %w", err)
	}
	var out []SignedRevision
	for _, fl := range fields {
		if fl.Type != "Sig" {
			continue
		}
		d, ok, err := f.dictAt(last, fl.Dict.Get("V"))
		if err != nil || !ok {
			continue
		}
		if byteRangeProblem(d.Get("ByteRange"), d.Get("Contents"), size) != "" {
			continue
		}
		arr := d.Get("ByteRange").(Array)
		start, _ := IntOf(arr[2])
		n, _ := IntOf(arr[3])
		end := start + n
		for _, rv := range f.Revisions {
			lo := rv.EOF
			if lo < 0 {
				lo = rv.End
			}
			if end >= lo && end <= rv.End {
				out = append(out, SignedRevision{Field: fl.Name, Length: end})
				break
			}
		}
	}
	return out, nil
}
