package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/pdfcpu/pdfcpu/pkg/filter"
)

// decodeStream returns the decoded data of s, refusing to produce more than limit
// bytes. Only the general-purpose filters are supported (image codecs are not needed
// to read a document's structure).
func (f *File) decodeStream(s *Stream, limit int64) ([]byte, error) {
	raw, err := f.RawStreamData(s)
	if err != nil {
		return nil, err
	}
	var filters []Name
	var parms []Object
	switch v := s.Dict.Get("Filter").(type) {
	case nil, Null:
	case Name:
		filters = []Name{v}
		parms = []Object{s.Dict.Get("DecodeParms")}
	case Array:
		if len(v) > 8 {
			return nil, errors.New("too many filters")
		}
		pa, _ := s.Dict.Get("DecodeParms").(Array)
		for i, x := range v {
			n, ok := x.(Name)
			if !ok {
				return nil, errors.New("bad /Filter")
			}
			filters = append(filters, n)
			if i < len(pa) {
				parms = append(parms, pa[i])
			} else {
				parms = append(parms, nil)
			}
		}
	default:
		return nil, errors.New("bad /Filter")
	}
	data := raw
	for i, name := range filters {
		switch name {
		case "FlateDecode", "Fl":
			name = filter.Flate
		case "LZWDecode", "LZW":
			name = filter.LZW
		case "ASCII85Decode", "A85":
			name = filter.ASCII85
		case "ASCIIHexDecode", "AHx":
			name = filter.ASCIIHex
		case "RunLengthDecode", "RL":
			name = filter.RunLength
		default:
			return nil, fmt.Errorf("unsupported filter /%s", name)
		}
		pm := map[string]int{}
		if d, ok := parms[i].(Dict); ok {
			for _, e := range d.Entries {
				if n, ok := IntOf(e.Value); ok && n >= -1<<20 && n <= 1<<20 {
					pm[string(e.Key)] = int(n)
				}
			}
		}
		fl, err := filter.NewFilter(string(name), pm, limit)
		if err != nil {
			return nil, err
		}
		out, err := decodeSafely(fl, data)
		if err != nil {
			return nil, fmt.Errorf("/%s: %w", name, err)
		}
		if int64(len(out)) > limit {
			return nil, errors.New("decoded stream too large")
		}
		data = out
	}
	return data, nil
}

// decodeSafely runs a pdfcpu filter over data.
func decodeSafely(fl filter.Filter, data []byte) ([]byte, error) {
	r, err := fl.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

// StreamData returns the decoded data of a stream (at most 256 MiB).
func (f *File) StreamData(s *Stream) ([]byte, error) { return f.decodeStream(s, 256<<20) }
