package xades

// XPath Filter 2.0 (W3C REC 2002-11-08, RFC 3653): a sequence of XPath elements, each
// with a Filter of intersect, subtract or union. Each expression is evaluated once from
// the document node (the subset is described in transform_xpath.go); the node-set it
// selects is expanded to the subtrees of its nodes. The filter node-set starts as every
// node of the document and is intersected with, reduced by or joined with each expanded
// set in turn; the transform's output is its input intersected with the result.

// AlgXPathFilter2 is the XPath Filter 2.0 transform (and the namespace of its elements).
const AlgXPathFilter2 = "http://www.w3.org/2002/06/xmldsig-filter2"

// filter2Op is one XPath element of the transform.
type filter2Op struct {
	op   string // intersect, subtract or union
	expr xpUnion
}

// parseFilter2 reads the XPath elements of a Filter 2.0 transform.
func parseFilter2(t *node) ([]filter2Op, error) {
	var ops []filter2Op
	for _, c := range t.elements() {
		if !c.is(AlgXPathFilter2, "XPath") {
			return nil, errXPathUnsupported
		}
		f, _ := c.attrValue("Filter")
		switch f {
		case "intersect", "subtract", "union":
		default:
			return nil, errXPathUnsupported
		}
		u, err := parseXPathNodeSet(c.text(), c)
		if err != nil {
			return nil, err
		}
		ops = append(ops, filter2Op{op: f, expr: u})
	}
	if len(ops) == 0 {
		return nil, errXPathUnsupported
	}
	return ops, nil
}

// filter2Marks computes the filter node-set over doc.
func filter2Marks(ops []filter2Op, doc *document, ev *xpEval) nodeMarks {
	count := doc.count
	z := newNodeMarks(count)
	for i := range z {
		z[i] = ^uint64(0)
	}
	s := newNodeMarks(count)
	for _, op := range ops {
		if ev.exceeded() {
			break // the digest fails with errBudget
		}
		for i := range s {
			s[i] = 0
		}
		s.markSubtrees(ev.selectNodes(op.expr, doc))
		ev.charge(len(z))
		for i := range z {
			switch op.op {
			case "intersect":
				z[i] &= s[i]
			case "subtract":
				z[i] &^= s[i]
			case "union":
				z[i] |= s[i]
			}
		}
	}
	return z
}
