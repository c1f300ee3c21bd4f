package cms

import "bytes"

// The bytes a signature over signed attributes covers. RFC 5652 §5.4: the DER encoding
// of the SignedAttributes as a SET OF (tag 0x31). Signers differ in what they hash when
// their attributes are not already written that way, and so do the verifiers they were
// tested against:
//
//   - the attributes in the order written, in DER (what OpenSSL checks: it keeps the
//     order of a SET OF when it re-encodes it): SignerInfo.SignedAttrsDER, tried first;
//   - the strict DER, the SET OF sorted (X.690 §11.6; what BouncyCastle's DERSet writes);
//   - for a BER input, the bytes as written, retagged 0x31 (signers that hash their own
//     BER output).
//
// All three are encodings of the same attribute values, the ones the verifier reads:
// trying each can never make a signature cover something other than what is checked.

// addSortedSignedAttrs adds the strict DER form of si's signed attributes when it
// differs from SignedAttrsDER.
func (si *SignerInfo) addSortedSignedAttrs() {
	if si.SignedAttrsDER == nil {
		return
	}
	if sorted, err := sortedSETOFDER(si.SignedAttrsDER); err == nil {
		si.addSignedAttrsForm(sorted)
	}
}

func (si *SignerInfo) addSignedAttrsForm(b []byte) {
	if bytes.Equal(b, si.SignedAttrsDER) {
		return
	}
	for _, f := range si.signedAttrsForms {
		if bytes.Equal(f, b) {
			return
		}
	}
	si.signedAttrsForms = append(si.signedAttrsForms, b)
}

// addWrittenSignedAttrs finds, in the BER input ber that sd was parsed from, the signed
// attributes of each signer as written, and adds them as a form to check.
func (sd *SignedData) addWrittenSignedAttrs(ber []byte) {
	// ContentInfo ::= SEQUENCE { contentType, [0] EXPLICIT SignedData }
	ci, _, err := readBER(ber, 0)
	if err != nil {
		return
	}
	kids := berChildren(ci, 1, 2)
	if len(kids) != 2 {
		return
	}
	sdSeq := berChildren(kids[1].el, 2, 1)
	if len(sdSeq) != 1 {
		return
	}
	fields := berChildren(sdSeq[0].el, 3, 6)
	if len(fields) == 0 {
		return
	}
	sis := fields[len(fields)-1] // signerInfos is the last field
	for i, si := range berChildren(sis.el, 4, len(sd.Signers)) {
		// SignerInfo ::= SEQUENCE { version, sid, digestAlgorithm, [0] signedAttrs, … }
		parts := berChildren(si.el, 5, 4)
		if i >= len(sd.Signers) || len(parts) < 4 {
			return
		}
		sa := parts[3]
		if sa.el.class != 0x80 || !sa.el.constructed || sa.el.number != 0 {
			continue
		}
		written := append([]byte(nil), sa.raw...)
		written[0] = 0x31
		sd.Signers[i].addSignedAttrsForm(written)
	}
}

// berChild is an element with the bytes it was written as.
type berChild struct {
	el  berElement
	raw []byte
}

// berChildren reads at most max elements of a constructed element's content.
func berChildren(el berElement, depth, max int) []berChild {
	var out []berChild
	for rest := el.content; len(rest) > 0 && len(out) < max; {
		kid, next, err := readBER(rest, depth)
		if err != nil {
			return nil
		}
		out = append(out, berChild{el: kid, raw: rest[:len(rest)-len(next)]})
		rest = next
	}
	return out
}
