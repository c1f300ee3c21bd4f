package xades

import (
	"crypto"
	"fmt"
	"strconv"
	"strings"
)

// RSASSA-PSS with explicit parameters (RFC 6931 §2.3.10): SignatureMethod
// Algorithm="…#rsa-pss" carries a pss:RSAPSSParams child
//
//	<pss:RSAPSSParams xmlns:pss="http://www.w3.org/2007/05/xmldsig-more#">
//	  <ds:DigestMethod Algorithm="…sha256"/>                      default SHA-256
//	  <pss:MaskGenerationFunction Algorithm="…#MGF1">             default MGF1
//	    <ds:DigestMethod Algorithm="…sha256"/>                    default: the digest above
//	  </pss:MaskGenerationFunction>
//	  <pss:SaltLength>32</pss:SaltLength>                         default: the digest's length
//	  <pss:TrailerField>1</pss:TrailerField>                      default 1 (0xBC)
//	</pss:RSAPSSParams>
//
// The fixed identifiers (…#sha256-rsa-MGF1 and the like) need no parameters; when a
// signer writes RSAPSSParams next to one anyway, they must say the same thing.

// Identifiers of RSAPSSParams.
const (
	NSPSS   = "http://www.w3.org/2007/05/xmldsig-more#"
	AlgMGF1 = "http://www.w3.org/2007/05/xmldsig-more#MGF1"
)

// methodError says why a SignatureMethod cannot be used: forbidden (the element is
// certainly malformed or contradicts itself: TOTAL-FAILED) or not supported
// (INDETERMINATE).
type methodError struct {
	forbidden bool
	detail    string
}

func unsupportedMethod(format string, a ...any) *methodError {
	return &methodError{detail: fmt.Sprintf(format, a...)}
}

func forbiddenMethod(format string, a ...any) *methodError {
	return &methodError{forbidden: true, detail: fmt.Sprintf(format, a...)}
}

// readSignatureMethod returns the algorithm of a ds:SignatureMethod whose URI is in
// signatureAlgs, with its parameters read and checked.
func readSignatureMethod(sm *node, alg signatureAlg) (signatureAlg, *methodError) {
	kids := sm.elements()
	if !alg.pss {
		if len(kids) > 0 {
			return alg, forbiddenMethod("parameters in SignatureMethod")
		}
		return alg, nil
	}
	var params *node
	for _, k := range kids {
		if !k.is(NSPSS, "RSAPSSParams") {
			// XMLDSig allows elements of other namespaces here; one we do not know may
			// change the algorithm.
			return alg, unsupportedMethod("SignatureMethod parameter %s", k.qname())
		}
		if params != nil {
			return alg, forbiddenMethod("more than one RSAPSSParams")
		}
		params = k
	}
	if params == nil {
		if alg.params {
			// RFC 6931 gives every parameter a default: SHA-256 throughout, salt 32.
			alg.hash, alg.saltLen, alg.name = crypto.SHA256, crypto.SHA256.Size(), "RSA-PSS-SHA256"
		}
		return alg, nil
	}
	p, merr := readPSSParams(params)
	if merr != nil {
		return alg, merr
	}
	if !alg.params {
		// A fixed identifier: the parameters may only repeat what it says.
		if (p.hash != 0 && p.hash != alg.hash) || (p.mgfHash != 0 && p.mgfHash != alg.hash) ||
			(p.saltLen >= 0 && p.saltLen != alg.saltLen) {
			return alg, forbiddenMethod("RSAPSSParams contradict the signature algorithm")
		}
		return alg, nil
	}
	alg.hash = crypto.SHA256
	if p.hash != 0 {
		alg.hash = p.hash
	}
	if p.mgfHash != 0 && p.mgfHash != alg.hash {
		return alg, unsupportedMethod("RSA-PSS with MGF1 over another digest than the message's")
	}
	alg.saltLen = alg.hash.Size()
	if p.saltLen >= 0 {
		alg.saltLen = p.saltLen
	}
	alg.name = "RSA-PSS-" + strings.ReplaceAll(digestName(alg.hash), "SHA-", "SHA")
	alg.weak = alg.hash == crypto.SHA1
	return alg, nil
}

// pssParams are the values RSAPSSParams states (0 or -1: not stated).
type pssParams struct {
	hash, mgfHash crypto.Hash
	saltLen       int
}

func readPSSParams(params *node) (*pssParams, *methodError) {
	p := &pssParams{saltLen: -1}
	// The schema's order: DigestMethod?, MaskGenerationFunction?, SaltLength?, TrailerField?
	step := 0
	for _, e := range params.elements() {
		var at int
		switch {
		case e.is(NSDSig, "DigestMethod"):
			at = 1
		case e.is(NSPSS, "MaskGenerationFunction"):
			at = 2
		case e.is(NSPSS, "SaltLength"):
			at = 3
		case e.is(NSPSS, "TrailerField"):
			at = 4
		default:
			return nil, forbiddenMethod("unexpected %s in RSAPSSParams", e.qname())
		}
		if at <= step {
			return nil, forbiddenMethod("RSAPSSParams out of order at %s", e.qname())
		}
		step = at
		switch at {
		case 1:
			h, merr := pssDigest(e)
			if merr != nil {
				return nil, merr
			}
			p.hash = h
		case 2:
			if a, ok := e.attrValue("Algorithm"); ok && a != AlgMGF1 {
				return nil, unsupportedMethod("mask generation function %s", a)
			}
			for i, d := range e.elements() {
				if i > 0 || !d.is(NSDSig, "DigestMethod") {
					return nil, forbiddenMethod("unexpected %s in MaskGenerationFunction", d.qname())
				}
				h, merr := pssDigest(d)
				if merr != nil {
					return nil, merr
				}
				p.mgfHash = h
			}
		case 3:
			n, err := strconv.Atoi(strings.TrimSpace(e.text()))
			if err != nil || n < 0 {
				return nil, forbiddenMethod("SaltLength %q is not a length", strings.TrimSpace(e.text()))
			}
			p.saltLen = n
		case 4:
			n, err := strconv.Atoi(strings.TrimSpace(e.text()))
			if err != nil {
				return nil, forbiddenMethod("TrailerField %q is not a number", strings.TrimSpace(e.text()))
			}
			if n != 1 {
				// Only 1 (0xBC) is PKCS #1; IEEE 1363 knows others, Go does not.
				return nil, unsupportedMethod("RSA-PSS trailer field %d", n)
			}
		}
	}
	return p, nil
}

func pssDigest(dm *node) (crypto.Hash, *methodError) {
	a, _ := dm.attrValue("Algorithm")
	d, ok := digestAlgs[a]
	if !ok {
		return 0, unsupportedMethod("RSA-PSS digest %s", a)
	}
	return d.hash, nil
}

// digestName is the report name of a digest algorithm ("SHA-256").
func digestName(h crypto.Hash) string {
	for _, d := range digestAlgs {
		if d.hash == h {
			return d.name
		}
	}
	return h.String()
}
