package xades

import (
	"io"
	"unsafe"
)

// Memory: a parsed document costs its input (held twice while it is verified: the
// caller's bytes and the parser's string) and its tree, whose size depends on how many
// nodes the document has rather than on its size in bytes — a document of tiny elements
// (<a>x</a>) has a node for every four bytes. Plain content is kept as runs (run.go), so
// most documents cost about twice their size; but a document whose signatures use XPath
// transforms, an enveloping signature whose Object holds the data, or one with an
// identifier on every element is still parsed into a node per tag. VerifyMemory
// estimates the cost of that worst case from the markup (an upper bound, which costs a
// batch some parallelism and never memory), for callers that bound how many documents
// are verified at once.

// nodeCost is what one tree node costs: the node itself and the collector's headroom;
// attrCost is what one attribute costs at most: its attr and an elemFields of its own.
const (
	nodeCost = int64(unsafe.Sizeof(node{})) + 32
	attrCost = int64(unsafe.Sizeof(attr{})+unsafe.Sizeof(elemFields{})) + 32
)

// VerifyMemory returns an upper estimate of the memory, in bytes, that verifying (or
// signing) the XML document read from r takes: twice its size, a tree node per start
// tag, comment or processing instruction ('<' not followed by '/') and per text ('>' not
// followed by '<'), an attribute per '=', plus a constant for the rest. It reads r to the
// end.
func VerifyMemory(r io.Reader) (int64, error) {
	buf := make([]byte, 64<<10)
	var size, nodes, eqs int64
	var prev byte
	for {
		n, err := r.Read(buf)
		size += int64(n)
		for _, c := range buf[:n] {
			switch {
			case prev == '<' && c != '/', prev == '>' && c != '<':
				nodes++
			}
			if c == '=' {
				eqs++
			}
			prev = c
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, err
		}
	}
	return 2*size + (nodes+2)*nodeCost + eqs*attrCost + 16<<20, nil
}
