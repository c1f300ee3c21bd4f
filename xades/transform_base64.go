package xades

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
)

// AlgBase64 is XMLDSig's base64 transform (§6.6.2): it decodes the text of its input.
const AlgBase64 = "http://www.w3.org/2000/09/xmldsig#base64"

// errBase64Input: the base64 transform's input is not base64.
var errBase64Input = errors.New("the input of the base64 transform is not base64")

// base64Text is what the base64 transform decodes when its input is a node-set: the
// string-value of the set's text nodes in document order (XMLDSig §6.6.2: the XPath
// expression self::text() applied first), so that the tags of an element holding base64
// text, comments and processing instructions fall away.
func base64Text(start *node, set nodeSet, work *budget) []byte {
	var b strings.Builder
	var walk func(n *node)
	walk = func(n *node) {
		if set.skip(n) {
			return
		}
		switch n.kind {
		case textNode:
			if set.has(n) {
				b.WriteString(n.data)
			}
		case elementNode, documentNode:
			for _, c := range n.children {
				walk(c)
			}
		}
	}
	walk(start)
	if work != nil {
		work.left -= int64(b.Len())
	}
	return []byte(b.String())
}

// decodeBase64Transform decodes the base64 transform's input octets. Like the decoders
// of other XMLDSig implementations (and MIME, RFC 2045, which §6.6.2 points at), it
// ignores white space and line breaks; the final padding may be missing.
func decodeBase64Transform(in []byte) ([]byte, error) {
	clean := make([]byte, 0, len(in))
	for _, c := range in {
		switch c {
		case ' ', '\t', '\n', '\r':
		default:
			clean = append(clean, c)
		}
	}
	enc := base64.StdEncoding
	if len(clean)%4 != 0 && !bytes.ContainsRune(clean, '=') {
		enc = base64.RawStdEncoding
	}
	out := make([]byte, enc.DecodedLen(len(clean)))
	n, err := enc.Decode(out, clean)
	if err != nil {
		return nil, errBase64Input
	}
	return out[:n], nil
}
