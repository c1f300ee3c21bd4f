package xades

// refSet is the node-set a same-document reference's transforms leave of what its URI
// selected: the subtree (subtreeSet, with the enveloped signature or every signature
// removed), intersected with the node-sets of its XPath Filter 2.0 transforms (marks,
// subtree-closed, so the set stays "full") and with the nodes for which its XPath
// transforms' expressions are true (exprs; then attribute and namespace nodes are
// decided one by one). Every node-set transform of XMLDSig is an intersection with its
// input, so their order does not matter.
type refSet struct {
	subtreeSet
	marks []nodeMarks
	exprs []xpExpr
	ev    *xpEval
}

// nodeSet returns the set for the canonicalizer: the subtree set itself when no XPath
// transform filters it (the common case, which then costs nothing more).
func (s *refSet) nodeSet() nodeSet {
	if len(s.marks) == 0 && len(s.exprs) == 0 {
		return &s.subtreeSet
	}
	return s
}

func (s *refSet) has(n *node) bool {
	if !s.subtreeSet.has(n) {
		return false
	}
	for _, m := range s.marks {
		if !m.has(n) {
			return false
		}
	}
	return s.keep(treeNode(n))
}

func (s *refSet) hasAttr(el *node, i int) bool {
	for _, m := range s.marks {
		if !m.has(el) {
			return false
		}
	}
	return s.keep(xpNode{n: el, attr: i})
}

func (s *refSet) hasNS(el *node, prefix string) bool {
	for _, m := range s.marks {
		if !m.has(el) {
			return false
		}
	}
	return s.keep(xpNode{n: el, attr: -1, isNS: true, prefix: prefix})
}

func (s *refSet) full() bool { return len(s.exprs) == 0 }

func (s *refSet) keep(x xpNode) bool {
	for _, e := range s.exprs {
		if !s.ev.boolean(e, x) {
			return false
		}
	}
	return true
}

// inSet reports whether a tree node is in the set, the exclusions of subtreeSet
// included (which the canonicalizer applies by skipping).
func (s *refSet) inSet(n *node) bool {
	for p := n; p != nil; p = p.parent {
		if s.skip(p) {
			return false
		}
	}
	return s.has(n)
}

// nodeMarks is a set of tree nodes by document order (node.order); an attribute or
// namespace node belongs to it with its element.
type nodeMarks []uint64

func newNodeMarks(count int) nodeMarks { return make(nodeMarks, (count+63)/64) }

func (m nodeMarks) has(n *node) bool {
	i := int(n.order)
	return i/64 < len(m) && m[i/64]&(1<<(i%64)) != 0
}

func (m nodeMarks) set(i int) { m[i/64] |= 1 << (i % 64) }

// markSubtrees marks every node of the subtrees of roots (document-ordered).
func (m nodeMarks) markSubtrees(roots []*node) {
	end := -1
	for _, r := range roots {
		if int(r.order) <= end {
			continue // inside the previous root's subtree
		}
		end = int(lastDescendant(r).order)
		for i := int(r.order); i <= end; i++ {
			m.set(i)
		}
	}
}
