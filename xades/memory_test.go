package xades

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// TestVerifyMemory: the estimate counts start tags, comments and processing
// instructions (not end tags), texts and attributes, the same however the input is split
// into reads.
func TestVerifyMemory(t *testing.T) {
	doc := []byte(`<?xml version="1.0"?>` + "\n" + `<r><!-- c --><a k="v">x</a><b/>` + strings.Repeat("<a>x</a>", 1000) + "</r>\n")
	opens := int64(1 + 1 + 1 + 1 + 1 + 1000) // ?xml, r, comment, a, b, the tiny elements
	texts := int64(1 + 1 + 1000 + 1)         // the line breaks, the x's
	eqs := int64(2)                          // version, k
	want := 2*int64(len(doc)) + (opens+texts+2)*nodeCost + eqs*attrCost + 16<<20
	for name, r := range map[string]io.Reader{
		"whole":    bytes.NewReader(doc),
		"one byte": iotest.OneByteReader(bytes.NewReader(doc)),
		"half":     iotest.HalfReader(bytes.NewReader(doc)),
	} {
		got, err := VerifyMemory(r)
		if err != nil || got != want {
			t.Errorf("%s: %d, %v; want %d", name, got, err, want)
		}
	}
	if _, err := VerifyMemory(iotest.ErrReader(iotest.ErrTimeout)); err == nil {
		t.Error("a read error is not reported")
	}
}

// TestInnerIn: where an element's content ends is found from its end, also with white
// space inside the end tag and for empty-element tags.
func TestInnerIn(t *testing.T) {
	src := "<r><a>x</a  ><p:b xmlns:p=\"urn:p\"></p:b\t><c/><d  /></r >"
	doc, err := parseString(src)
	if err != nil {
		t.Fatal(err)
	}
	walkElements(doc.root, func(n *node) bool {
		at := n.innerIn(src)
		want := strings.LastIndex(src[:n.end], "</")
		if n.selfClosing {
			want = strings.LastIndex(src[:n.end], "/>")
		}
		if at != want {
			t.Errorf("<%s>: %d, want %d", n.qname(), at, want)
		}
		return true
	})
}
