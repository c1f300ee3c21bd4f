package xades

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/mynasign/mynasign/trust"
)

// SignOptions say who signs and when.
type SignOptions struct {
	// Signer makes the signature value: the card's crypto.Signer or a software key (RSA
	// or ECDSA). It is called exactly once per signature.
	Signer crypto.Signer
	// Certificate is the signer's certificate; its public key must be Signer's.
	Certificate *x509.Certificate
	// Chain holds further certificates to carry in KeyInfo (the issuing CA). They help a
	// verifier build the path; no verifier may trust them because they are there.
	Chain []*x509.Certificate
	// SigningTime is the claimed signing time; the zero value means now.
	SigningTime time.Time
	// Validation, when set, makes the signature long-term (XAdES B-LT): its certificates
	// and CRLs (trust.Policy.ValidationData, from the local CRL store) go into
	// xades:CertificateValues and xades:RevocationValues/xades:CRLValues.
	Validation *trust.ValidationData
	// SignatureTimestamp, when set, is asked for an RFC 3161 time-stamp token over the
	// canonical form (exclusive C14N) of the ds:SignatureValue once the signer has made
	// it; the token goes into xades:SignatureTimeStamp (XAdES B-T). XAdES only.
	SignatureTimestamp func(data []byte) ([]byte, error)
}

func (o *SignOptions) check() (string, error) {
	if o.Signer == nil || o.Certificate == nil {
		return "", newError(errors.New("no signer or no certificate"), MsgSignKeyMismatch)
	}
	if !samePublicKey(o.Signer.Public(), o.Certificate.PublicKey) {
		return "", newError(errors.New("the certificate is not the signer's"), MsgSignKeyMismatch)
	}
	alg, err := signatureAlgFor(o.Signer.Public())
	if err != nil {
		return "", newError(err, MsgSignKeyType)
	}
	return alg, nil
}

func (o *SignOptions) signingTime() time.Time {
	if o.SigningTime.IsZero() {
		return time.Now().UTC().Truncate(time.Second)
	}
	return o.SigningTime.UTC().Truncate(time.Second)
}

// newID returns an identifier not used in doc (with any of the given suffixes).
func newID(doc *document, prefix string, suffixes ...string) (string, error) {
	for range 16 {
		var b [8]byte
		if _, err := rand.Read(b[:]); err != nil {
			return "", err
		}
		id := prefix + hex.EncodeToString(b[:])
		free := len(doc.ids[id]) == 0
		for _, s := range suffixes {
			free = free && len(doc.ids[id+s]) == 0
		}
		if free {
			return id, nil
		}
	}
	return "", errors.New("no free identifier")
}

func escapeAttr(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", `"`, "&quot;").Replace(s)
}

// signatureParts are the variable parts of a signature being built.
type signatureParts struct {
	digests  []string // base64, one per reference, in order
	sigValue string   // base64
	// timestamp is the signature time-stamp token (base64), when one was asked for.
	timestamp string
}

// placeholderDigests returns well-formed zero digests for a first rendering.
func placeholderDigests(n int) []string {
	out := make([]string, n)
	zero := base64.StdEncoding.EncodeToString(make([]byte, 32))
	for i := range out {
		out[i] = zero
	}
	return out
}

// spliceSite is where a signature goes into a document: the input and the container
// element's end. It keeps only what splicing needs, so that the parsed tree it came from
// can be freed while the signature is being made (a big document's tree costs many times
// its size).
type spliceSite struct {
	src         string
	inner, end  int
	selfClosing bool
	qname       string
}

func spliceSiteOf(doc *document, container *node) spliceSite {
	return spliceSite{src: doc.src, inner: container.innerIn(doc.src), end: int(container.end),
		selfClosing: container.selfClosing, qname: container.qname()}
}

// join returns the input with fragment inserted as the last child of the container.
func (s spliceSite) join(fragment string) string {
	var b strings.Builder
	b.Grow(len(s.src) + len(fragment) + len(s.qname) + 3)
	if s.selfClosing {
		b.WriteString(s.src[:s.inner])
		b.WriteString(">")
		b.WriteString(fragment)
		b.WriteString("</" + s.qname + ">")
		b.WriteString(s.src[s.end:])
	} else {
		b.WriteString(s.src[:s.inner])
		b.WriteString(fragment)
		b.WriteString(s.src[s.inner:])
	}
	return b.String()
}

// releaseTree collects the garbage before a big document is parsed again: the tree
// that was just dropped would otherwise still count toward the collector's goal, so the
// new one could grow beside it and double the peak memory of signing.
func releaseTree(size int) {
	if size >= 8<<20 {
		runtime.GC()
	}
}

// signInTree completes a signature that was spliced into a document with placeholder
// values: it computes every reference digest on the parsed tree (with the verifier's own
// resolution and canonicalization), puts the digests in place, canonicalizes SignedInfo
// and has it signed. render must produce the signature XML for given parts.
func signInTree(orig *document, container *node, nrefs int, render func(signatureParts) (string, error),
	id string, files packageFiles, opts *SignOptions, algURI string) ([]byte, error) {
	out, err := signSpliced(spliceSiteOf(orig, container), nrefs, render, id, files, opts, algURI)
	if err != nil {
		return nil, err
	}
	return []byte(out), nil
}

// signSpliced is signInTree at a splice site; it returns the signed document.
func signSpliced(site spliceSite, nrefs int, render func(signatureParts) (string, error),
	id string, files packageFiles, opts *SignOptions, algURI string) (string, error) {

	parts := signatureParts{digests: placeholderDigests(nrefs)}
	frag, err := render(parts)
	if err != nil {
		return "", err
	}
	releaseTree(len(site.src))
	doc, err := parseString(site.join(frag))
	if err != nil {
		return "", fmt.Errorf("the signature template does not parse: %w", err)
	}
	sig, ok := doc.byID(id)
	if !ok || !sig.is(NSDSig, "Signature") {
		return "", errors.New("the signature template lost its Id")
	}
	si := sig.elements()[0]
	refEls := si.elements()[2:]
	if len(refEls) != nrefs {
		return "", errors.New("the signature template has the wrong references")
	}
	for i, re := range refEls {
		ref, perr := parseReference(re)
		if perr != nil {
			return "", perr
		}
		if rerr := ref.resolve(doc, files); rerr != nil {
			return "", rerr
		}
		h := ref.digest.hash.New()
		if ref.file != "" {
			if err := hashFile(files, ref.file, h); err != nil {
				return "", err
			}
		} else if err := ref.digestNodes(h, sig); err != nil {
			return "", err
		}
		parts.digests[i] = base64.StdEncoding.EncodeToString(h.Sum(nil))
		dv := re.elements()[len(re.elements())-1]
		dv.first = &node{kind: textNode, parent: dv, data: parts.digests[i]}
	}

	c14nURI, _ := si.elements()[0].attrValue("Algorithm")
	m, _ := c14nByURI(c14nURI)
	var canonical bytes.Buffer
	if err := canonicalize(&canonical, si, &subtreeSet{}, m); err != nil {
		return "", err
	}
	value, err := signDigest(opts.Signer, signatureAlgs[algURI], canonical.Bytes())
	if err != nil {
		return "", newError(err, MsgSignCard, err.Error())
	}
	if _, err := verifySignatureValue(opts.Certificate.PublicKey, signatureAlgs[algURI], canonical.Bytes(), value); err != nil {
		return "", newError(err, MsgSignCard, "the signature value does not verify with the certificate")
	}
	parts.sigValue = base64.StdEncoding.EncodeToString(value)
	if opts.SignatureTimestamp != nil {
		if parts.timestamp, err = stampSignatureValue(sig, parts.sigValue, opts.SignatureTimestamp); err != nil {
			return "", err
		}
	}
	frag, err = render(parts)
	if err != nil {
		return "", err
	}
	// The template (a second copy of the input) is no longer used: collect it before the
	// output, a third copy, is made.
	releaseTree(len(site.src))
	return site.join(frag), nil
}

// keyInfoXML renders the certificates of a KeyInfo (prefix "ds:" or "").
func keyInfoXML(p string, opts *SignOptions) string {
	var b strings.Builder
	b.WriteString("<" + p + "KeyInfo><" + p + "X509Data>")
	for _, c := range append([]*x509.Certificate{opts.Certificate}, opts.Chain...) {
		b.WriteString("<" + p + "X509Certificate>" + base64.StdEncoding.EncodeToString(c.Raw) + "</" + p + "X509Certificate>")
	}
	b.WriteString("</" + p + "X509Data></" + p + "KeyInfo>")
	return b.String()
}

// SignXAdES adds an enveloped XAdES baseline B-B signature to an XML document and
// returns the signed document: the input bytes with the ds:Signature inserted as the last
// child of the document element, nothing else changed (encoding declaration, white
// space, comments and character references stay as they were). Reference 1 is URI=""
// with the enveloped-signature transform and exclusive C14N, Reference 2 the
// SignedProperties (SigningTime, SigningCertificateV2); SignedInfo uses exclusive C14N,
// RSA-SHA256 (ECDSA for EC keys) and SHA-256. A document that already holds a signature
// is refused (a second enveloped signature would break the first). The result is
// verified before it is returned.
func SignXAdES(data []byte, opts SignOptions) ([]byte, error) {
	if len(data) > MaxXMLSize {
		return nil, newError(nil, MsgDocTooLarge, fmt.Sprint(MaxXMLSize>>20))
	}
	out, err := signXAdES(string(data), opts)
	if err != nil {
		return nil, err
	}
	return []byte(out), nil
}

// signXAdES is SignXAdES of a document held as a string; it returns the signed document.
// A big document is held about twice at most (the input beside the template, then the
// input beside the output), never more.
func signXAdES(src string, opts SignOptions) (string, error) {
	algURI, err := opts.check()
	if err != nil {
		return "", err
	}
	doc, err := parseString(src)
	if err != nil {
		key, args := parseErrorMessage(err)
		return "", newError(err, key, args...)
	}
	if len(signatureElements(doc)) > 0 {
		return "", newError(nil, MsgSignAlreadySigned)
	}
	id, err := newID(doc, "xades-", "-signedprops", "-ref0", "-sigts")
	if err != nil {
		return "", err
	}
	spID := id + "-signedprops"
	sp, err := signedPropertiesXML(spID, opts.signingTime(), opts.Certificate, id+"-ref0")
	if err != nil {
		return "", err
	}
	render := func(parts signatureParts) (string, error) {
		var b strings.Builder
		b.WriteString(`<ds:Signature xmlns:ds="` + NSDSig + `" Id="` + escapeAttr(id) + `">`)
		b.WriteString(`<ds:SignedInfo>`)
		b.WriteString(`<ds:CanonicalizationMethod Algorithm="` + AlgExcC14N + `"/>`)
		b.WriteString(`<ds:SignatureMethod Algorithm="` + algURI + `"/>`)
		b.WriteString(`<ds:Reference Id="` + escapeAttr(id) + `-ref0" URI="">`)
		b.WriteString(`<ds:Transforms><ds:Transform Algorithm="` + AlgEnveloped + `"/><ds:Transform Algorithm="` + AlgExcC14N + `"/></ds:Transforms>`)
		b.WriteString(`<ds:DigestMethod Algorithm="` + AlgSHA256 + `"/><ds:DigestValue>` + parts.digests[0] + `</ds:DigestValue>`)
		b.WriteString(`</ds:Reference>`)
		b.WriteString(`<ds:Reference Type="` + TypeSignedProperties + `" URI="#` + escapeAttr(spID) + `">`)
		b.WriteString(`<ds:Transforms><ds:Transform Algorithm="` + AlgExcC14N + `"/></ds:Transforms>`)
		b.WriteString(`<ds:DigestMethod Algorithm="` + AlgSHA256 + `"/><ds:DigestValue>` + parts.digests[1] + `</ds:DigestValue>`)
		b.WriteString(`</ds:Reference>`)
		b.WriteString(`</ds:SignedInfo>`)
		b.WriteString(`<ds:SignatureValue>` + parts.sigValue + `</ds:SignatureValue>`)
		b.WriteString(keyInfoXML("ds:", &opts))
		b.WriteString(`<ds:Object><xades:QualifyingProperties xmlns:xades="` + NSXAdES + `" Target="#` + escapeAttr(id) + `">`)
		b.WriteString(sp)
		b.WriteString(unsignedPropertiesXML(id, parts.timestamp, opts.Validation))
		b.WriteString(`</xades:QualifyingProperties></ds:Object>`)
		b.WriteString(`</ds:Signature>`)
		return b.String(), nil
	}
	// Only the splice site is used from here on, so the input's tree can be freed while
	// the template is parsed and digested, and the template's before the self-check.
	out, err := signSpliced(spliceSiteOf(doc, doc.elem), 2, render, id, nil, &opts, algURI)
	if err != nil {
		return "", signError(err)
	}
	releaseTree(len(out))
	if err := selfCheckString(out, nil, id); err != nil {
		return "", err
	}
	return out, nil
}

func signError(err error) error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return newError(err, MsgSignSelfCheck, err.Error())
}

// selfCheck verifies the XML side of the signature with Id id in a freshly signed
// document (the certificate is validated later, by the caller's policy).
func selfCheck(out []byte, files packageFiles, id string) error {
	return selfCheckString(string(out), files, id)
}

// selfCheckString is selfCheck of a document held as a string.
func selfCheckString(out string, files packageFiles, id string) error {
	doc, err := parseMode(out, files == nil)
	if err != nil {
		return newError(err, MsgSignSelfCheck, err.Error())
	}
	var k *kousei
	if files != nil {
		if k, err = parseKousei(doc); err != nil {
			return newError(err, MsgSignSelfCheck, err.Error())
		}
	}
	v := newDocVerifier(doc, files, k)
	for i, sig := range signatureElements(doc) {
		if sid, _ := sig.attrValue("Id"); sid != id {
			continue
		}
		r := v.check(sig, i)
		if !r.intact || r.decided {
			return newError(errors.New("self-verification failed"), MsgSignSelfCheck, r.rep.Summary.Key)
		}
		return nil
	}
	return newError(errors.New("the new signature is missing"), MsgSignSelfCheck, "missing")
}

// SignXAdESFile signs the XML file in and writes the signed document to out, atomically
// (a temporary file in out's folder, renamed into place once the signature is complete
// and verified). in is never modified; out must not exist.
func SignXAdESFile(in, out string, opts SignOptions) error {
	if err := checkDistinct(in, out); err != nil {
		return err
	}
	fi, err := os.Stat(in)
	if err != nil {
		return newError(err, MsgDocUnreadable, err.Error())
	}
	if fi.Size() > MaxXMLSize {
		return newError(nil, MsgDocTooLarge, fmt.Sprint(MaxXMLSize>>20))
	}
	src, err := readFileString(in, fi.Size())
	if err != nil {
		return newError(err, MsgDocUnreadable, err.Error())
	}
	if len(src) > MaxXMLSize {
		return newError(nil, MsgDocTooLarge, fmt.Sprint(MaxXMLSize>>20))
	}
	signed, err := signXAdES(src, opts)
	if err != nil {
		return err
	}
	return writeStringAtomic(out, signed)
}
