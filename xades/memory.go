package xades

import (
	"bytes"
	"io"
	"unsafe"
)

// Memory: a parsed document costs its input (held twice while it is verified: the
// caller's bytes and the parser's string) and its tree, whose size depends on how many
// nodes the document has rather than on its size in bytes — a document of tiny elements
// (<a>x</a>) has a node for every four bytes. VerifyMemory estimates that cost from
// the markup, for callers that bound how many documents are verified at once.

// nodeCost is what one tree node costs: the node itself, its place in its parent's
// children and their growth, and the collector's headroom.
const nodeCost = int64(unsafe.Sizeof(node{})) + 32

// VerifyMemory returns an upper estimate of the memory, in bytes, that verifying (or
// signing) the XML document read from r takes: twice its size plus two tree nodes per
// start tag, comment or processing instruction (the node and at most one text node
// after it), plus a constant for the rest. It reads r to the end.
func VerifyMemory(r io.Reader) (int64, error) {
	buf := make([]byte, 64<<10)
	var size, opens int64
	prevLT := false // the previous chunk ended with '<'
	for {
		n, err := r.Read(buf)
		chunk := buf[:n]
		size += int64(n)
		if n > 0 && prevLT && chunk[0] != '/' {
			opens++
		}
		for i := bytes.IndexByte(chunk, '<'); i >= 0; {
			if i+1 < len(chunk) && chunk[i+1] != '/' {
				opens++
			}
			j := bytes.IndexByte(chunk[i+1:], '<')
			if j < 0 {
				break
			}
			i += 1 + j
		}
		if n > 0 {
			prevLT = chunk[n-1] == '<'
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, err
		}
	}
	return 2*size + (2*opens+2)*nodeCost + 16<<20, nil
}
