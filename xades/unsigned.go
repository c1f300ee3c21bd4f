package xades

import (
	"strings"
	"unicode/utf8"

	"github.com/mynasign/mynasign/trust"
)

// Unsigned content inside a ds:Signature. A reference to the whole document with the
// enveloped-signature transform leaves the signature out, and KeyInfo, SignatureValue,
// unsigned ds:Objects and XAdES's unsigned properties are covered by nothing: anyone can
// add to them after signing. What an application may read there is unsigned data in the
// document. So everything inside a signature that no reference covers must be exactly
// the XMLDSig/XAdES structure (elements in their expected parents, text only where the
// schema puts a value); anything else — a foreign element, non-blank text between
// elements, the content of XAdES's open containers (UnsignedDataObjectProperty,
// XMLTimeStamp, OtherCertificate, …) — is reported as uncovered content.

// sigContent is the content model of one XMLDSig/XAdES element as far as this check
// needs it: which child elements may appear and whether it holds a text value.
type sigContent struct {
	children []string // names as sigName gives them
	text     bool
}

// Names used in the models: "ds:" for XMLDSig, "ds11:" for XMLDSig 1.1, "xa:" for XAdES
// (1.3.2 and 1.4.1 alike), "ec:" for Exclusive C14N's InclusiveNamespaces, "f2:" for the
// XPath Filter 2.0 transform, "ec4050:" for RFC 4050's ECDSAKeyValue.
var sigContentModels = func() map[string]sigContent {
	leaf := sigContent{text: true}
	empty := sigContent{}
	certRefs := sigContent{children: []string{"xa:CertRefs"}}
	revRefs := sigContent{children: []string{"xa:CRLRefs", "xa:OCSPRefs", "xa:OtherRefs"}}
	timeStamp := sigContent{children: []string{"ds:CanonicalizationMethod", "xa:Include", "xa:ReferenceInfo",
		"xa:EncapsulatedTimeStamp", "xa:XMLTimeStamp"}}
	certValues := sigContent{children: []string{"xa:EncapsulatedX509Certificate", "xa:OtherCertificate"}}
	revValues := sigContent{children: []string{"xa:CRLValues", "xa:OCSPValues", "xa:OtherValues"}}
	digest := sigContent{children: []string{"ds:DigestMethod", "ds:DigestValue"}}
	m := map[string]sigContent{
		// XMLDSig: the value, the key information and what it holds.
		"ds:SignatureValue": leaf,
		"ds:KeyInfo": {children: []string{"ds:KeyName", "ds:KeyValue", "ds:RetrievalMethod", "ds:X509Data",
			"ds:PGPData", "ds:SPKIData", "ds:MgmtData", "ds11:DEREncodedKeyValue", "ds11:KeyInfoReference"}},
		"ds:KeyName":  leaf,
		"ds:MgmtData": leaf,
		"ds:KeyValue": {children: []string{"ds:RSAKeyValue", "ds:DSAKeyValue", "ds11:ECKeyValue", "ec4050:ECDSAKeyValue"}},
		// RFC 4050's EC key value, older than XMLDSig 1.1's.
		"ec4050:ECDSAKeyValue":      {children: []string{"ec4050:DomainParameters", "ec4050:PublicKey"}},
		"ec4050:DomainParameters":   {children: []string{"ec4050:NamedCurve"}},
		"ec4050:NamedCurve":         empty,
		"ec4050:PublicKey":          {children: []string{"ec4050:X", "ec4050:Y"}},
		"ec4050:X":                  empty,
		"ec4050:Y":                  empty,
		"ds:RSAKeyValue":            {children: []string{"ds:Modulus", "ds:Exponent"}},
		"ds:DSAKeyValue":            {children: []string{"ds:P", "ds:Q", "ds:G", "ds:Y", "ds:J", "ds:Seed", "ds:PgenCounter"}},
		"ds11:ECKeyValue":           {children: []string{"ds11:NamedCurve", "ds11:PublicKey"}},
		"ds11:NamedCurve":           empty,
		"ds11:PublicKey":            leaf,
		"ds:RetrievalMethod":        {children: []string{"ds:Transforms"}},
		"ds:Transforms":             {children: []string{"ds:Transform"}},
		"ds:Transform":              {children: []string{"ds:XPath", "ec:InclusiveNamespaces", "f2:XPath"}},
		"ds:XPath":                  leaf,
		"f2:XPath":                  leaf,
		"ec:InclusiveNamespaces":    empty,
		"ds:CanonicalizationMethod": {children: []string{"ec:InclusiveNamespaces"}},
		"ds:X509Data": {children: []string{"ds:X509IssuerSerial", "ds:X509SKI", "ds:X509SubjectName",
			"ds:X509Certificate", "ds:X509CRL", "ds11:X509Digest"}},
		"ds:X509IssuerSerial":     {children: []string{"ds:X509IssuerName", "ds:X509SerialNumber"}},
		"ds:PGPData":              {children: []string{"ds:PGPKeyID", "ds:PGPKeyPacket"}},
		"ds:SPKIData":             {children: []string{"ds:SPKISexp"}},
		"ds11:DEREncodedKeyValue": leaf,
		"ds11:KeyInfoReference":   empty,
		"ds:DigestMethod":         empty,

		// XAdES: the qualifying properties and the unsigned ones.
		"xa:QualifyingProperties":         {children: []string{"xa:UnsignedProperties"}},
		"xa:UnsignedProperties":           {children: []string{"xa:UnsignedSignatureProperties", "xa:UnsignedDataObjectProperties"}},
		"xa:UnsignedDataObjectProperties": {children: []string{"xa:UnsignedDataObjectProperty"}},
		// An UnsignedDataObjectProperty holds whatever an application puts there: its
		// content is unsigned data, so none is expected.
		"xa:UnsignedDataObjectProperty": empty,
		"xa:UnsignedSignatureProperties": {children: []string{"xa:CounterSignature", "xa:SignatureTimeStamp",
			"xa:CompleteCertificateRefs", "xa:CompleteCertificateRefsV2", "xa:CompleteRevocationRefs",
			"xa:AttributeCertificateRefs", "xa:AttributeCertificateRefsV2", "xa:AttributeRevocationRefs",
			"xa:SigAndRefsTimeStamp", "xa:SigAndRefsTimeStampV2", "xa:RefsOnlyTimeStamp", "xa:RefsOnlyTimeStampV2",
			"xa:CertificateValues", "xa:RevocationValues", "xa:AttrAuthoritiesCertValues",
			"xa:AttributeRevocationValues", "xa:ArchiveTimeStamp", "xa:TimeStampValidationData"}},
		"xa:CounterSignature":           {children: []string{"ds:Signature"}},
		"xa:SignatureTimeStamp":         timeStamp,
		"xa:SigAndRefsTimeStamp":        timeStamp,
		"xa:SigAndRefsTimeStampV2":      timeStamp,
		"xa:RefsOnlyTimeStamp":          timeStamp,
		"xa:RefsOnlyTimeStampV2":        timeStamp,
		"xa:ArchiveTimeStamp":           timeStamp,
		"xa:Include":                    empty,
		"xa:ReferenceInfo":              digest,
		"xa:EncapsulatedTimeStamp":      leaf,
		"xa:XMLTimeStamp":               empty, // an XML time-stamp is not read: its content is unsigned data
		"xa:CompleteCertificateRefs":    certRefs,
		"xa:CompleteCertificateRefsV2":  certRefs,
		"xa:AttributeCertificateRefs":   certRefs,
		"xa:AttributeCertificateRefsV2": certRefs,
		"xa:CertRefs":                   {children: []string{"xa:Cert"}},
		"xa:Cert":                       {children: []string{"xa:CertDigest", "xa:IssuerSerial", "xa:IssuerSerialV2"}},
		"xa:CertDigest":                 digest,
		"xa:IssuerSerial":               {children: []string{"ds:X509IssuerName", "ds:X509SerialNumber"}},
		"xa:IssuerSerialV2":             leaf,
		"xa:CompleteRevocationRefs":     revRefs,
		"xa:AttributeRevocationRefs":    revRefs,
		"xa:CRLRefs":                    {children: []string{"xa:CRLRef"}},
		"xa:CRLRef":                     {children: []string{"xa:DigestAlgAndValue", "xa:CRLIdentifier"}},
		"xa:DigestAlgAndValue":          digest,
		"xa:CRLIdentifier":              {children: []string{"xa:Issuer", "xa:IssueTime", "xa:Number"}},
		"xa:OCSPRefs":                   {children: []string{"xa:OCSPRef"}},
		"xa:OCSPRef":                    {children: []string{"xa:OCSPIdentifier", "xa:DigestAlgAndValue"}},
		"xa:OCSPIdentifier":             {children: []string{"xa:ResponderID", "xa:ProducedAt"}},
		"xa:ResponderID":                {children: []string{"xa:ByName", "xa:ByKey"}},
		"xa:OtherRefs":                  empty,
		"xa:CertificateValues":          certValues,
		"xa:AttrAuthoritiesCertValues":  certValues,
		"xa:OtherCertificate":           empty,
		"xa:RevocationValues":           revValues,
		"xa:AttributeRevocationValues":  revValues,
		"xa:CRLValues":                  {children: []string{"xa:EncapsulatedCRLValue"}},
		"xa:OCSPValues":                 {children: []string{"xa:EncapsulatedOCSPValue"}},
		"xa:OtherValues":                empty,
		"xa:TimeStampValidationData":    {children: []string{"xa:CertificateValues", "xa:RevocationValues"}},
	}
	for _, name := range []string{"ds:Modulus", "ds:Exponent", "ds:P", "ds:Q", "ds:G", "ds:Y", "ds:J", "ds:Seed",
		"ds:PgenCounter", "ds:X509IssuerName", "ds:X509SerialNumber", "ds:X509SKI", "ds:X509SubjectName",
		"ds:X509Certificate", "ds:X509CRL", "ds11:X509Digest", "ds:PGPKeyID", "ds:PGPKeyPacket", "ds:SPKISexp",
		"ds:DigestValue", "xa:Issuer", "xa:IssueTime", "xa:Number", "xa:ProducedAt", "xa:ByName", "xa:ByKey",
		"xa:EncapsulatedX509Certificate", "xa:EncapsulatedCRLValue", "xa:EncapsulatedOCSPValue"} {
		m[name] = leaf
	}
	return m
}()

// objectContent is what an unsigned ds:Object may hold: XAdES's qualifying properties,
// or key material that a RetrievalMethod or KeyInfoReference points at.
var objectContent = sigContent{children: []string{"xa:QualifyingProperties", "ds:KeyInfo", "ds:KeyValue",
	"ds:X509Data", "ds:RSAKeyValue", "ds:DSAKeyValue", "ds:PGPData", "ds:SPKIData", "ds11:ECKeyValue",
	"ds11:DEREncodedKeyValue"}}

// signatureContent is the model of ds:Signature itself (its element children were
// checked by the verifier already; SignedInfo is what the signature value signs).
var signatureContent = sigContent{children: []string{"ds:SignedInfo", "ds:SignatureValue", "ds:KeyInfo", "ds:Object"}}

// nsXPathFilter2 is the namespace of XPath Filter 2.0's XPath element.
const nsXPathFilter2 = "http://www.w3.org/2002/06/xmldsig-filter2"

// nsRFC4050 is the namespace of RFC 4050's ECDSAKeyValue.
const nsRFC4050 = "http://www.w3.org/2001/04/xmldsig-more#"

// sigName is an element's name as the content models spell it ("" for a foreign one).
func sigName(n *node) string {
	switch {
	case n.uri == NSDSig:
		return "ds:" + n.local
	case n.uri == NSDSig11:
		return "ds11:" + n.local
	case isXAdESNS(n.uri):
		return "xa:" + n.local
	case n.uri == AlgExcC14N:
		return "ec:" + n.local
	case n.uri == nsXPathFilter2:
		return "f2:" + n.local
	case n.uri == nsRFC4050:
		return "ec4050:" + n.local
	}
	return ""
}

func (m sigContent) allows(name string) bool {
	for _, c := range m.children {
		if c == name {
			return true
		}
	}
	return false
}

// maxUnsignedFindings bounds the warnings one signature gets for uncovered content.
const maxUnsignedFindings = 5

// unsignedContent returns a warning for each piece of content inside sig that none of
// its references covers and that is not the XMLDSig/XAdES structure (at most
// maxUnsignedFindings, in document order): MsgSigUnsignedContent naming a foreign or
// misplaced element, MsgSigUnsignedText naming the element that holds stray text.
func unsignedContent(sig *node, refs []*reference) []trust.Message {
	// The work stays linear in the signature's size: a reference can cover a node only
	// at or below the node it resolved to, so each node is checked against the
	// references resolved to it or to one of its ancestors (active), not against all.
	byApex := map[*node][]*reference{}
	var active []*reference
	below := map[*node]bool{} // elements above a covered node inside sig
	for _, r := range refs {
		switch {
		case r.file != "" || r.apex == nil:
		case r.apex == sig || r.apex.isAncestorOf(sig):
			active = append(active, r)
		case sig.isAncestorOf(r.apex):
			byApex[r.apex] = append(byApex[r.apex], r)
			if r.covers(r.apex, sig) {
				for p := r.apex.parent; p != nil && p != sig && !below[p]; p = p.parent {
					below[p] = true
				}
			}
		}
	}
	covered := func(n *node, active []*reference) bool {
		for _, r := range active {
			if r.covers(n, sig) {
				return true
			}
		}
		for _, r := range byApex[n] {
			if r.covers(n, sig) {
				return true
			}
		}
		return false
	}
	var found []trust.Message
	add := func(m trust.Message) {
		if len(found) < maxUnsignedFindings {
			found = append(found, m)
		}
	}
	var walk func(n *node, model sigContent, active []*reference)
	walk = func(n *node, model sigContent, active []*reference) {
		if rs := byApex[n]; len(rs) > 0 {
			active = append(active[:len(active):len(active)], rs...)
		}
		for i := range n.attrs {
			if a := &n.attrs[i]; !knownSigAttr(a) {
				add(trust.Message{Key: MsgSigUnsignedContent, Args: []string{"<" + n.qname() + " " + a.qname() + "=\"" + textSnippet(a.value) + "\">"}})
			}
		}
		for _, c := range n.children {
			if len(found) >= maxUnsignedFindings {
				return
			}
			if covered(c, active) {
				continue
			}
			switch c.kind {
			case runNode:
				// Content that could not be read again (children): not signed, as far as
				// anyone can tell.
				add(trust.Message{Key: MsgSigUnsignedContent, Args: []string{"<" + n.qname() + ">"}})
			case textNode:
				if !model.text && strings.TrimSpace(c.data) != "" {
					add(trust.Message{Key: MsgSigUnsignedText, Args: []string{"<" + n.qname() + ">", textSnippet(c.data)}})
				}
			case elementNode:
				name := sigName(c)
				switch {
				case name == "ds:SignedInfo" && n == sig:
					// Signed by the signature value itself.
				case name == "ds:Signature" && model.allows(name):
					// A counter-signature: reported on its own.
				case name == "ds:Object" && n == sig:
					walk(c, objectContent, active)
				case name != "" && model.allows(name):
					walk(c, sigContentModels[name], active)
				case below[c]:
					// A wrapper of signed content: its own text and other children count.
					walk(c, sigContent{}, active)
				default:
					add(trust.Message{Key: MsgSigUnsignedContent, Args: []string{"<" + c.qname() + ">"}})
				}
			}
		}
	}
	if covered(sig, active) {
		return nil
	}
	walk(sig, signatureContent, active)
	return found
}

// sigAttrNames are the attributes XMLDSig and XAdES define on the elements of their
// structure (none is in a namespace); xml:* attributes are allowed everywhere.
var sigAttrNames = map[string]bool{"Id": true, "URI": true, "Type": true, "Algorithm": true, "MimeType": true,
	"Encoding": true, "Target": true, "ObjectReference": true, "PrefixList": true, "URN": true, "Value": true,
	"Filter": true, "referencedData": true, "Qualifier": true}

// knownSigAttr reports whether a is an attribute of the XMLDSig/XAdES structure.
func knownSigAttr(a *attr) bool {
	if a.prefix != "" {
		return a.prefix == "xml"
	}
	return sigAttrNames[a.local]
}

// textSnippet shortens stray text for a message: its first 40 characters, trimmed.
func textSnippet(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	r := []rune(s)
	return string(r[:40]) + "…"
}
