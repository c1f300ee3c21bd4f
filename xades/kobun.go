package xades

// e-Gov 公文書 (kōbunsho): an official document a government body sends to a citizen or
// company through e-Gov. It is plain XMLDSig, not XAdES: the document element DOC holds
// FRONT (secrecy and stamp flags, for the viewer), BODY (the document itself, with an
// upper-case ID attribute) and the Signature, whose one Reference points at the BODY
// (#<ID>, enveloped-signature transform, C14N 1.0 with comments). FRONT is outside the
// signature by design, so the coverage of every 公文書 is partial: that is normal and
// said calmly, not raised as an alarm. Attachments referenced by file name are resolved
// next to the document (VerifyFile), like any detached reference.

// FormatEGovKobun is the format of an e-Gov 公文書 signature (SignatureReport.Format).
const FormatEGovKobun = "e-Gov-kobun"

// kobunBody returns the BODY of an e-Gov 公文書: a document element DOC without a
// namespace, with exactly one FRONT and one BODY child, the BODY carrying an ID. It
// returns nil for anything else.
func kobunBody(doc *document) *node {
	root := doc.elem
	if root == nil || root.local != "DOC" || root.uri != "" {
		return nil
	}
	var front, body *node
	for _, el := range root.elements() {
		switch {
		case el.uri != "":
		case el.local == "FRONT":
			if front != nil {
				return nil
			}
			front = el
		case el.local == "BODY":
			if body != nil {
				return nil
			}
			body = el
		}
	}
	if front == nil || body == nil {
		return nil
	}
	if id, ok := body.attrValue("ID"); !ok || id == "" {
		return nil
	}
	return body
}

// signsKobunBody reports whether the signature's references sign the 公文書's BODY and,
// besides it, only attachments: files named by a reference (resolved next to the
// document), never another part of the document.
func (v *docVerifier) signsKobunBody(refs []*reference) bool {
	if v.kobun == nil {
		return false
	}
	body := false
	for _, ref := range refs {
		switch {
		case ref.apex == v.kobun:
			body = true
		case ref.file == "":
			return false
		}
	}
	return body
}

// kobunAttachments counts the attachments a 公文書 signature signs (the references to files).
func kobunAttachments(refs []*reference) int {
	n := 0
	for _, ref := range refs {
		if ref.file != "" {
			n++
		}
	}
	return n
}
