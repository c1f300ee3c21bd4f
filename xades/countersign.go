package xades

// XAdES counter-signatures (ETSI EN 319 132-1 §5.5.2): a ds:Signature in
// QualifyingProperties/UnsignedProperties/UnsignedSignatureProperties/CounterSignature
// of another signature, with a reference (Type TypeCountersignedSignature) to that
// signature's ds:SignatureValue. It is unsigned content of the signature it
// countersigns, which is judged without it; the counter-signature is reported as a
// signature of its own, naming the one it countersigns.

// TypeCountersignedSignature is the Type of a counter-signature's reference to the
// SignatureValue it countersigns.
const TypeCountersignedSignature = "http://uri.etsi.org/01903#CountersignedSignature"

// enclosingSignature returns the nearest ds:Signature above n, or nil.
func enclosingSignature(n *node) *node {
	for p := n.parent; p != nil; p = p.parent {
		if p.is(NSDSig, "Signature") {
			return p
		}
	}
	return nil
}

// counterSignatureHost returns the signature sig is a XAdES CounterSignature of (sig
// sits in outer/ds:Object/QualifyingProperties/UnsignedProperties/
// UnsignedSignatureProperties/CounterSignature), or nil.
func counterSignatureHost(sig *node) *node {
	path := []string{"CounterSignature", "UnsignedSignatureProperties", "UnsignedProperties", "QualifyingProperties"}
	n := sig.parent
	for _, local := range path {
		if n == nil || n.kind != elementNode || n.local != local || !isXAdESNS(n.uri) {
			return nil
		}
		n = n.parent
	}
	if n == nil || !n.is(NSDSig, "Object") || n.parent == nil || !n.parent.is(NSDSig, "Signature") {
		return nil
	}
	return n.parent
}

// countersignedBy returns the signature whose ds:SignatureValue one of refs resolved
// to (other than sig itself), or nil.
func countersignedBy(sig *node, refs []*reference) *node {
	for _, ref := range refs {
		a := ref.apex
		if a != nil && a.kind == elementNode && a.is(NSDSig, "SignatureValue") && a.parent != nil &&
			a.parent != sig && a.parent.is(NSDSig, "Signature") {
			return a.parent
		}
	}
	return nil
}

// countSignedInfos counts the ds:SignedInfo elements of sig, not looking into the
// signatures nested in it (each is checked on its own).
func countSignedInfos(sig *node) int {
	n := 0
	var walk func(e *node)
	walk = func(e *node) {
		for _, c := range e.children {
			if c.kind != elementNode || c.is(NSDSig, "Signature") {
				continue
			}
			if c.is(NSDSig, "SignedInfo") {
				n++
			}
			walk(c)
		}
	}
	walk(sig)
	return n
}

// counterSignatures counts the XAdES CounterSignature elements of a QualifyingProperties.
func counterSignatures(qp *node) int {
	n := 0
	for _, up := range xadesChild(qp, "UnsignedProperties") {
		for _, usp := range xadesChild(up, "UnsignedSignatureProperties") {
			n += len(xadesChild(usp, "CounterSignature"))
		}
	}
	return n
}
