package xades

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/mynasign/mynasign/internal/tsp"
	"github.com/mynasign/mynasign/trust"
)

// Limits of one verification. Real documents are far below them; a hostile one can be
// small and still ask for much work (thousands of signatures or references, each over
// the whole document): past these limits the verification stops with a clear reason.
const (
	MaxXMLSize    = 256 << 20 // the largest XML file (or kousei.xml) read for signing or verification
	MaxSignatures = 200       // signatures verified in one document
	MaxReferences = 1000      // references of one signature
)

// Signature formats as reported in trust.SignatureReport.Format.
const (
	FormatXAdESBB = "XAdES-B-B"
	FormatXAdESBT = "XAdES-B-T" // a signature time-stamp that imprints the signature value and verifies
	FormatXMLDSig = "XMLDSig"
	FormatEGov    = "e-Gov"
)

// Verify verifies every ds:Signature of an XML document (XAdES or plain XMLDSig) and
// returns the report. name is what the report calls the file. References are resolved
// only by identifier inside data; a reference to anything else is not followed
// (SIGNED_DATA_NOT_FOUND). The signer certificates are validated with policy; with a nil
// policy only the XML side is checked and no signature can be TOTAL-PASSED.
func Verify(name string, data []byte, policy *trust.Policy) *trust.DocumentReport {
	return verifyDocument(name, data, policy, nil)
}

// verifyDocument is Verify with detached references resolved in files (nil: none).
func verifyDocument(name string, data []byte, policy *trust.Policy, files packageFiles) *trust.DocumentReport {
	rep := newDocReport(name, data, "xml", policy)
	if len(data) > MaxXMLSize {
		return finishDoc(rep, &trust.Message{Key: MsgDocTooLarge, Args: []string{fmt.Sprint(MaxXMLSize >> 20)}})
	}
	doc, err := parseForVerification(data)
	if err != nil {
		key, args := parseErrorMessage(err)
		return finishDoc(rep, &trust.Message{Key: key, Args: args})
	}
	v := newDocVerifier(doc, files, nil)
	v.kobun = kobunBody(doc)
	results, errMsg := v.verifyAll()
	for _, r := range results {
		rep.Signatures = append(rep.Signatures, r.apply(policy))
	}
	return finishDoc(rep, errMsg)
}

func newDocReport(name string, data []byte, kind string, policy *trust.Policy) *trust.DocumentReport {
	sum := sha256.Sum256(data)
	rep := &trust.DocumentReport{File: name, SHA256: hex.EncodeToString(sum[:]), Kind: kind, Signatures: []trust.SignatureReport{}}
	if policy != nil {
		rep.TrustStore = policy.TrustStore()
		rep.ValidationTime = policy.ValidationTime()
	}
	return rep
}

func finishDoc(rep *trust.DocumentReport, errMsg *trust.Message) *trust.DocumentReport {
	rep.Error = errMsg
	trust.Summarize(rep)
	return rep
}

// docVerifier checks the signatures of one parsed document.
type docVerifier struct {
	doc   *document
	files packageFiles // the e-Gov package, nil otherwise
	egov  *kousei      // the e-Gov structure of kousei.xml, nil otherwise
	kobun *node        // the BODY of an e-Gov 公文書 (kobun.go), nil otherwise
	// work bounds the canonicalization of the whole verification; fileDigests keeps
	// each package file's digest per algorithm, so that no file is read twice for one.
	work        *budget
	fileDigests map[string][]byte
	// ids are the report ids of the document's signatures (verifyAll).
	ids map[*node]string
}

func newDocVerifier(doc *document, files packageFiles, k *kousei) *docVerifier {
	return &docVerifier{doc: doc, files: files, egov: k,
		work:        &budget{left: 16*int64(len(doc.src)) + 64<<20},
		fileDigests: map[string][]byte{}}
}

// digestMatches computes a reference's digest (over the canonical node-set, or over the
// package file's bytes) and compares it with DigestValue.
func (v *docVerifier) digestMatches(ref *reference, sig *node) (bool, error) {
	if ref.file != "" && len(ref.transforms) == 0 {
		key := ref.digest.name + "\x00" + ref.file
		sum, ok := v.fileDigests[key]
		if !ok {
			h := ref.digest.hash.New()
			if err := hashFile(v.files, ref.file, h); err != nil {
				return false, err
			}
			sum = h.Sum(nil)
			v.fileDigests[key] = sum
		}
		return bytes.Equal(sum, ref.digestValue), nil
	}
	h := ref.digest.hash.New()
	if err := ref.digestData(&budgetWriter{w: h, b: v.work}, sig, v.files); err != nil {
		return false, err
	}
	return bytes.Equal(h.Sum(nil), ref.digestValue), nil
}

// sigResult is the XML side of one signature's validation.
type sigResult struct {
	rep     trust.SignatureReport
	signer  *x509.Certificate
	others  []*x509.Certificate
	claimed *time.Time
	values  validationValues // certificate and revocation values it carries
	tokens  []tsp.Checked    // its signature time-stamps, as tsp.Verify found them
	decided bool             // the XML side set an outcome (the signature cannot pass)
	intact  bool             // every reference digest and the signature value verified
}

// signatureID is what the report calls a signature: its Id, or its place.
func signatureID(sig *node, index int) string {
	if id, _ := sig.attrValue("Id"); id != "" {
		return id
	}
	return fmt.Sprintf("signature-%d", index+1)
}

// signatureElements returns every ds:Signature element in document order.
func signatureElements(doc *document) []*node {
	var out []*node
	walkElements(doc.root, func(n *node) bool {
		if n.is(NSDSig, "Signature") {
			out = append(out, n)
		}
		return true
	})
	return out
}

// verifyAll checks every signature; a document with more than MaxSignatures is not
// verified at all (the message says why).
func (v *docVerifier) verifyAll() ([]*sigResult, *trust.Message) {
	sigs := signatureElements(v.doc)
	if len(sigs) > MaxSignatures {
		return nil, &trust.Message{Key: MsgDocTooManySignatures, Args: []string{fmt.Sprint(len(sigs)), fmt.Sprint(MaxSignatures)}}
	}
	v.ids = map[*node]string{}
	for i, sig := range sigs {
		v.ids[sig] = signatureID(sig, i)
	}
	var out []*sigResult
	for i, sig := range sigs {
		out = append(out, v.check(sig, i))
	}
	return out, nil
}

// apply merges the certificate validation into the report (policy nil: XML side only,
// which never passes by itself).
func (r *sigResult) apply(policy *trust.Policy) trust.SignatureReport {
	rep := r.rep
	if policy == nil {
		if !r.decided {
			// The XML side passed; without a policy nobody vouches for the certificate.
			rep.Indication, rep.SubIndication = trust.Indeterminate, trust.NoCertificateChainFound
			rep.Summary = trust.Message{Key: MsgSigCertNotChecked}
		}
		return rep
	}
	ev := r.evidence()
	ev.ExistedAt, rep.Timestamps = timestampProofs(policy, r.tokens, trust.Evidence{Others: ev.Others, CRLs: ev.CRLs, OCSPs: ev.OCSPs})
	res := policy.CheckSignerWith(r.signer, ev)
	res.ApplyTo(&rep)
	rep.Format = longTermFormat(rep.Format, res)
	return rep
}

func (r *sigResult) set(ind trust.Indication, sub trust.SubIndication, check trust.CheckName, key string, args ...string) *sigResult {
	msg := trust.Message{Key: key, Args: args}
	r.rep.Indication, r.rep.SubIndication, r.rep.Summary = ind, sub, msg
	r.rep.Checks = append(r.rep.Checks, trust.Check{Name: check, Passed: false, Detail: msg})
	r.decided = true
	return r
}

func (r *sigResult) passed(check trust.CheckName, key string, args ...string) {
	r.rep.Checks = append(r.rep.Checks, trust.Check{Name: check, Passed: true, Detail: trust.Message{Key: key, Args: args}})
}

func (r *sigResult) warn(key string, args ...string) {
	r.rep.Warnings = append(r.rep.Warnings, trust.Message{Key: key, Args: args})
}

// refFailure maps a reference problem to an outcome.
func (r *sigResult) refFailure(e *refError) *sigResult {
	switch e.key {
	case MsgRefNotFound, MsgRefNoURI, MsgRefExternal, MsgRefFileMissing:
		return r.set(trust.Indeterminate, trust.SignedDataNotFound, trust.CheckReferences, e.key, e.args...)
	case MsgSigAlgorithm:
		sub := trust.FormatFailure
		if len(e.args) > 0 && e.args[0] == "digest" {
			sub = trust.CryptoConstraintsFailure
		}
		return r.set(trust.Indeterminate, sub, trust.CheckAlgorithms, e.key, e.args...)
	case MsgSigTransforms, MsgSigXPathUnsupported, MsgSigTransformFailed:
		return r.set(trust.Indeterminate, trust.FormatFailure, trust.CheckAlgorithms, e.key, e.args...)
	}
	return r.set(trust.TotalFailed, trust.FormatFailure, trust.CheckReferences, e.key, e.args...)
}

// sigCheck is the state of one signature's validation, filled in step by step.
type sigCheck struct {
	v     *docVerifier
	sig   *node
	r     *sigResult
	index int

	// parseStructure
	host     *node // the signature this one is a XAdES CounterSignature of
	si, sv   *node // SignedInfo, SignatureValue
	keyInfo  *node
	objects  []*node
	siMethod c14nMethod
	sigAlg   signatureAlg
	refs     []*reference
	target   *node // the signature whose value one of refs signs
	sp       *node // the signed SignedProperties (nil: plain XMLDSig)

	// references
	bad, weak []string // descriptions of the references whose digest does not match; weak algorithms

	// signer
	km         *keyMaterial
	props      *signedProps
	identified bool // the signing certificate reference named a certificate of KeyInfo
	// sigOK: the selected key verifies the value; certMismatch: it is not the one the
	// signing certificate reference names; asn1Value, otherForm: it verified only in a
	// tolerated non-standard form.
	sigOK, certMismatch, asn1Value, otherForm bool
}

// check validates one signature in named steps, each of which either passes (nil) or
// decides the outcome:
//
//  1. parseStructure: Signature, SignedInfo and its algorithms, the references resolved,
//     where the signed properties are (and, for e-Gov, the profile);
//  2. references: every digest, over exactly what each reference resolved to;
//  3. signer: the key material of KeyInfo, the signed properties, and the key that
//     verifies the signature value (the one the signing certificate reference names);
//  4. value: the signature value and the digests together (intact or not);
//  5. signingCertificate: the signing certificate reference, weak algorithms, coverage.
//
// The signing certificate is judged after the value so that a value that does not
// verify, or a changed document, is reported as such rather than as a certificate
// problem. Digests and the signature value are always both computed once the structure
// is sound.
func (v *docVerifier) check(sig *node, index int) *sigResult {
	c := &sigCheck{v: v, sig: sig, index: index, r: &sigResult{}}
	for _, step := range []func() *sigResult{
		c.parseStructure,
		c.references,
		c.signer,
		c.value,
		c.signingCertificate,
	} {
		if done := step(); done != nil {
			return done
		}
	}
	return c.r
}

// parseStructure checks the structure of the signature and its SignedInfo, reads the
// algorithms, resolves the references and locates the signed properties.
func (c *sigCheck) parseStructure() *sigResult {
	v, sig, r := c.v, c.sig, c.r
	rep := &r.rep
	rep.ID = signatureID(sig, c.index)
	rep.Format = FormatXMLDSig
	if v.egov != nil {
		rep.Format = FormatEGov
	}
	rep.Coverage = trust.CoveragePartial
	rep.ChangesAfterSigning = trust.Changes{Level: trust.ChangesNone}
	rep.Checks = []trust.Check{}

	c.host = counterSignatureHost(sig)
	if outer := enclosingSignature(sig); outer != nil && outer != c.host {
		return r.set(trust.TotalFailed, trust.FormatFailure, trust.CheckStructure, MsgSigNested)
	}
	if c.host != nil {
		rep.Countersigns = v.ids[c.host]
	}
	if len(v.doc.dups) > 0 {
		return r.set(trust.TotalFailed, trust.FormatFailure, trust.CheckIDsUnique, MsgSigDuplicateID, v.doc.dups[0])
	}
	if fr := c.signatureChildren(); fr != nil {
		return fr
	}

	// SignedInfo = CanonicalizationMethod, SignatureMethod, Reference+
	sik := c.si.elements()
	if len(sik) < 3 || !sik[0].is(NSDSig, "CanonicalizationMethod") || !sik[1].is(NSDSig, "SignatureMethod") {
		return r.set(trust.TotalFailed, trust.FormatFailure, trust.CheckStructure, MsgSigStructure, "malformed SignedInfo")
	}
	if fr := c.signedInfoAlgorithms(sik[0], sik[1]); fr != nil {
		return fr
	}
	if fr := c.readReferences(sik[2:]); fr != nil {
		return fr
	}
	r.passed(trust.CheckStructure, MsgCheckStructureOK)
	// A counter-signature signs the SignatureValue of the signature it countersigns.
	c.target = countersignedBy(sig, c.refs)
	if c.host == nil && c.target != nil {
		rep.Countersigns = v.ids[c.target]
	}
	if rep.Countersigns != "" {
		r.warn(MsgSigCountersignature, rep.Countersigns)
	}

	if v.signsKobunBody(c.refs) {
		rep.Format = FormatEGovKobun
	}

	// Where the signed properties are: inside this very signature, and signed.
	sp, format, fr := v.locateSignedProperties(sig, c.objects, c.refs, r)
	if fr != nil {
		return fr
	}
	c.sp = sp
	if format != "" {
		rep.Format = format
	}

	// e-Gov: the signed 構成情報 must be the one the application reads.
	if v.egov != nil {
		if fr := v.checkEGovProfile(sig, c.refs, r); fr != nil {
			return fr
		}
	}
	return nil
}

// signatureChildren checks ds:Signature = SignedInfo, SignatureValue, KeyInfo?, Object*
// and keeps each part in c.
func (c *sigCheck) signatureChildren() *sigResult {
	sig, r := c.sig, c.r
	kids := sig.elements()
	signedInfos := countSignedInfos(sig) // a nested signature is reported on its own
	if signedInfos != 1 || len(kids) < 2 || !kids[0].is(NSDSig, "SignedInfo") {
		return r.set(trust.TotalFailed, trust.FormatFailure, trust.CheckStructure, MsgSigSignedInfo, fmt.Sprint(signedInfos))
	}
	c.si, c.sv = kids[0], kids[1]
	if !c.sv.is(NSDSig, "SignatureValue") {
		return r.set(trust.TotalFailed, trust.FormatFailure, trust.CheckStructure, MsgSigStructure, "SignatureValue must follow SignedInfo")
	}
	for i, k := range kids[2:] {
		switch {
		case k.is(NSDSig, "KeyInfo") && i == 0:
			c.keyInfo = k
		case k.is(NSDSig, "Object"):
			c.objects = append(c.objects, k)
		default:
			return r.set(trust.TotalFailed, trust.FormatFailure, trust.CheckStructure, MsgSigStructure, "unexpected "+k.qname()+" in Signature")
		}
	}
	return nil
}

// signedInfoAlgorithms reads SignedInfo's CanonicalizationMethod (with an exclusive
// canonicalization's InclusiveNamespaces) and SignatureMethod into c, refusing the
// algorithms and parameters this package does not verify.
func (c *sigCheck) signedInfoAlgorithms(c14nMethod, sigMethod *node) *sigResult {
	r := c.r
	c14nURI, _ := c14nMethod.attrValue("Algorithm")
	siMethod, ok := c14nByURI(c14nURI)
	if !ok {
		return r.set(trust.Indeterminate, trust.FormatFailure, trust.CheckAlgorithms, MsgSigAlgorithm, "c14n", c14nURI)
	}
	if siMethod.exclusive {
		for _, e := range c14nMethod.elements() {
			if e.is(AlgExcC14N, "InclusiveNamespaces") {
				pl, _ := e.attrValue("PrefixList")
				siMethod = siMethod.withPrefixList(pl)
			}
		}
	}
	c.siMethod = siMethod
	sigURI, _ := sigMethod.attrValue("Algorithm")
	sigAlg, ok := signatureAlgs[sigURI]
	if !ok {
		return r.set(trust.Indeterminate, trust.CryptoConstraintsFailure, trust.CheckAlgorithms, MsgSigAlgorithm, "signature", sigURI)
	}
	sigAlg, merr := readSignatureMethod(sigMethod, sigAlg)
	if merr != nil {
		if merr.forbidden {
			return r.set(trust.TotalFailed, trust.FormatFailure, trust.CheckStructure, MsgSigStructure, merr.detail)
		}
		return r.set(trust.Indeterminate, trust.CryptoConstraintsFailure, trust.CheckAlgorithms, MsgSigAlgorithmParams, sigURI)
	}
	c.sigAlg = sigAlg
	r.rep.SignatureAlgorithm = sigAlg.name
	return nil
}

// readReferences parses SignedInfo's references (refs, at most MaxReferences), resolves
// each and checks its transforms, keeping them in c.refs.
func (c *sigCheck) readReferences(refs []*node) *sigResult {
	v, r := c.v, c.r
	if len(refs) > MaxReferences {
		return r.set(trust.TotalFailed, trust.FormatFailure, trust.CheckStructure, MsgSigStructure,
			fmt.Sprintf("more than %d references", MaxReferences))
	}
	for _, e := range refs {
		if !e.is(NSDSig, "Reference") {
			return r.set(trust.TotalFailed, trust.FormatFailure, trust.CheckStructure, MsgSigStructure, "unexpected "+e.qname()+" in SignedInfo")
		}
		ref, perr := parseReference(e)
		if perr != nil {
			return r.refFailure(perr)
		}
		if rerr := ref.resolve(v.doc, v.files); rerr != nil {
			return r.refFailure(rerr)
		}
		if terr := ref.checkTransforms(); terr != nil {
			return r.refFailure(terr)
		}
		c.refs = append(c.refs, ref)
	}
	return nil
}

// references computes every digest over exactly what its reference resolved to. A
// digest that does not match is recorded (c.bad) and judged with the signature value.
func (c *sigCheck) references() *sigResult {
	v, sig, r := c.v, c.sig, c.r
	rep := &r.rep
	var descs []string
	for _, ref := range c.refs {
		desc := ref.describe(sig)
		descs = append(descs, desc)
		ok, err := v.digestMatches(ref, sig)
		if err != nil {
			var pe *packageError
			var re *refError
			switch {
			case errors.As(err, &re):
				return r.refFailure(re)
			case errors.Is(err, errBudget):
				return r.set(trust.Indeterminate, trust.FormatFailure, trust.CheckReferences, MsgDocTooComplex)
			case errors.As(err, &pe):
				return r.set(pe.ind, pe.sub, trust.CheckReferences, pe.key, pe.name)
			case errors.Is(err, fs.ErrNotExist):
				return r.set(trust.Indeterminate, trust.SignedDataNotFound, trust.CheckReferences, MsgRefFileMissing, ref.file)
			case errors.Is(err, errC14N11Base):
				return r.set(trust.Indeterminate, trust.FormatFailure, trust.CheckAlgorithms, MsgSigTransforms, ref.uri, err.Error())
			}
			return r.set(trust.Indeterminate, trust.SignedDataNotFound, trust.CheckReferences, MsgRefNotFound, ref.uri)
		}
		if ok {
			r.passed(trust.CheckReference, MsgCheckReferenceOK, desc)
		} else {
			what := ref.what(sig)
			c.bad = append(c.bad, what)
			r.rep.Checks = append(r.rep.Checks, trust.Check{Name: trust.CheckReference, Passed: false,
				Detail: trust.Message{Key: MsgRefDigestMismatch, Args: []string{what}}})
		}
		if ref.digest.weak {
			c.weak = append(c.weak, ref.digest.name)
		}
		if rep.DigestAlgorithm == "" {
			rep.DigestAlgorithm = ref.digest.name
		} else if !strings.Contains(rep.DigestAlgorithm, ref.digest.name) {
			rep.DigestAlgorithm += ", " + ref.digest.name
		}
		if v.egov == nil && ref.coversWholeDocument() {
			rep.Coverage = trust.CoverageWhole
		}
	}
	rep.SignedContent = strings.Join(descs, "; ")
	if found := unsignedContent(sig, c.refs); len(found) > 0 {
		rep.Warnings = append(rep.Warnings, found...)
		rep.Coverage = trust.CoveragePartial
	}
	return nil
}

// hashFailure is the outcome when a digest does not match: proof, whoever signed.
func (c *sigCheck) hashFailure() *sigResult {
	return c.r.set(trust.TotalFailed, trust.HashFailure, trust.CheckReferences, MsgRefDigestMismatch, c.bad[0])
}

// signer reads the key material and the signed properties and selects the key: from the
// signing certificate reference when there is one, else whichever certificate (or bare
// key) of KeyInfo verifies the signature value.
func (c *sigCheck) signer() *sigResult {
	r := c.r
	km, err := readKeyInfo(c.keyInfo)
	if err != nil {
		return r.set(trust.TotalFailed, trust.FormatFailure, trust.CheckKeyInfo, MsgSigKeyInfo, err.Error())
	}
	c.km = km
	var canonical bytes.Buffer
	if err := canonicalize(&budgetWriter{w: &canonical, b: c.v.work}, c.si, &subtreeSet{comments: c.siMethod.comments}, c.siMethod); err != nil {
		if errors.Is(err, errBudget) {
			return r.set(trust.Indeterminate, trust.FormatFailure, trust.CheckSignatureValue, MsgDocTooComplex)
		}
		return r.set(trust.Indeterminate, trust.FormatFailure, trust.CheckAlgorithms, MsgSigTransforms, "SignedInfo", err.Error())
	}
	sigValue, err := decodeBase64(c.sv.text())
	if err != nil || len(sigValue) == 0 {
		return r.set(trust.TotalFailed, trust.FormatFailure, trust.CheckStructure, MsgSigStructure, "malformed SignatureValue")
	}
	var hoisted []byte // computed only when a value does not verify
	hoistedDone := false
	verifies := func(k crypto.PublicKey) bool {
		if k == nil {
			return false
		}
		a, err := verifySignatureValue(k, c.sigAlg, canonical.Bytes(), sigValue)
		if err == nil && a {
			c.asn1Value = true
		}
		if err != nil && !hoistedDone {
			hoisted, hoistedDone = hoistedNamespacesForm(canonical.Bytes(), c.siMethod), true
		}
		if err != nil && hoisted != nil {
			if _, herr := verifySignatureValue(k, c.sigAlg, hoisted, sigValue); herr == nil {
				c.otherForm = true
				return true
			}
		}
		return err == nil
	}

	if fr := c.readProps(); fr != nil {
		return fr
	}
	return c.selectKey(verifies)
}

// readProps reads the signed properties (when the signature has them) into c.props and
// checks that each DataObjectFormat describes one of this signature's references.
func (c *sigCheck) readProps() *sigResult {
	r := c.r
	if c.sp == nil {
		return nil
	}
	props, err := readSignedProps(c.sp)
	if err != nil {
		return r.set(trust.TotalFailed, trust.FormatFailure, trust.CheckSignedProperties, MsgPropsMalformed, err.Error())
	}
	c.props = props
	r.rep.ClaimedSigningTime = props.signingTime
	r.claimed = props.signingTime
	// A DataObjectFormat describes one of this signature's references.
	refIDs := map[string]bool{}
	for _, ref := range c.refs {
		if id, ok := ref.el.attrValue("Id"); ok {
			refIDs["#"+id] = true
		}
	}
	for _, or := range props.objectRefs {
		if !refIDs[or] {
			return r.set(trust.TotalFailed, trust.FormatFailure, trust.CheckSignedProperties, MsgPropsMalformed,
				"DataObjectFormat "+or+" names no reference of this signature")
		}
	}
	return nil
}

// selectKey selects the key that verifies the signature value (verifies): from the
// signing certificate reference when there is one, else whichever certificate (or bare
// key) of KeyInfo verifies; it keeps the signer and the other certificates in c.r.
func (c *sigCheck) selectKey(verifies func(crypto.PublicKey) bool) *sigResult {
	r, km := c.r, c.km
	props := c.props
	switch {
	case props != nil && len(props.certRefs) > 0:
		signer, ok, mismatch, issuerDiffers := props.findSigner(km.certs, verifies)
		if signer == nil || mismatch {
			if u := km.unparsedSigner(&props.certRefs[0]); u != nil {
				// The signing certificate is in KeyInfo, but crypto/x509 cannot read it.
				return r.set(trust.Indeterminate, trust.NoSigningCertificateFound, trust.CheckKeyInfo, MsgSigCertUnparseable, u.err.Error())
			}
		}
		r.signer, c.sigOK, c.certMismatch = signer, ok, mismatch
		c.identified = signer != nil && !mismatch
		if issuerDiffers {
			r.warn(MsgPropsIssuerSerial)
		}
	case len(km.certs) > 0:
		for _, cert := range km.certs {
			if verifies(cert.PublicKey) {
				r.signer, c.sigOK = cert, true
				break
			}
		}
	case km.bareKey != nil:
		c.sigOK = verifies(km.bareKey)
	case km.cannotUse() != "":
		if len(c.bad) > 0 {
			return c.hashFailure()
		}
		return r.set(trust.Indeterminate, trust.NoSigningCertificateFound, trust.CheckKeyInfo, MsgSigCertUnparseable, km.cannotUse())
	default:
		return r.set(trust.Indeterminate, trust.NoSigningCertificateFound, trust.CheckKeyInfo, MsgSigNoKey)
	}
	if r.signer == nil && len(km.certs) > 0 {
		r.signer = km.certs[0] // for the report; the signature value did not verify with it
	}
	for _, cert := range km.certs {
		if r.signer == nil || !bytes.Equal(cert.Raw, r.signer.Raw) {
			r.others = append(r.others, cert)
		}
	}
	return nil
}

// value judges the signature value and the digests together: intact, or what proves
// it is not, or why it cannot be told.
func (c *sigCheck) value() *sigResult {
	r := c.r
	unreadable := c.km.cannotUse() != "" && !c.identified
	if !c.sigOK {
		switch {
		case unreadable && len(c.bad) > 0:
			// Whoever signed, no genuine signature has a digest that does not match.
			return c.hashFailure()
		case unreadable:
			// None of the keys we could read verifies, but the signer's may be one we
			// could not read: that proves nothing.
			return r.set(trust.Indeterminate, trust.NoSigningCertificateFound, trust.CheckKeyInfo, MsgSigCertUnparseable, c.km.cannotUse())
		}
		return r.set(trust.TotalFailed, trust.SigCryptoFailure, trust.CheckSignatureValue, MsgSigValueInvalid)
	}
	if !c.otherForm {
		r.passed(trust.CheckSignatureValue, MsgCheckValueOK, c.sigAlg.name)
	}
	if c.asn1Value {
		r.warn(MsgSigECDSAASN1)
	}
	if len(c.bad) > 0 {
		for _, b := range c.bad[1:] {
			r.warn(MsgRefDigestMismatch, b)
		}
		return c.hashFailure()
	}
	if c.otherForm {
		// Signed over a non-canonical SignedInfo (a known xmldsigjs defect): not intact,
		// not broken either.
		return r.set(trust.Indeterminate, trust.FormatFailure, trust.CheckSignatureValue, MsgSigValueHoistedNS)
	}
	r.rep.Intact = true
	r.intact = true
	if c.host != nil && c.target != c.host {
		// In a CounterSignature, but it does not sign its host's signature value.
		return r.set(trust.Indeterminate, trust.SigConstraintsFailure, trust.CheckCountersignature, MsgSigCounterTarget, c.v.ids[c.host])
	}
	return nil
}

// signingCertificate judges the signing certificate reference against the key that
// verified, then the algorithms' strength and the coverage.
func (c *sigCheck) signingCertificate() *sigResult {
	r := c.r
	weak := c.weak
	if c.sigAlg.weak {
		weak = append(weak, c.sigAlg.name)
	}
	switch {
	case c.certMismatch:
		return r.set(trust.Indeterminate, trust.NoSigningCertificateFound, trust.CheckSigningCertificate, MsgPropsCertMismatch)
	case c.props != nil && c.props.unsupportedDigest != "":
		return r.set(trust.Indeterminate, trust.CryptoConstraintsFailure, trust.CheckSigningCertificate, MsgSigAlgorithm, "digest", c.props.unsupportedDigest)
	case c.sp != nil && c.props != nil && len(c.props.certRefs) == 0:
		return r.set(trust.Indeterminate, trust.NoSigningCertificateFound, trust.CheckSigningCertificate, MsgPropsNoSigningCert)
	case c.sp != nil:
		r.passed(trust.CheckSigningCertificate, MsgCheckSigningCertOK)
	case len(c.km.certs) == 0:
		return r.set(trust.Indeterminate, trust.NoSigningCertificateFound, trust.CheckKeyInfo, MsgSigNoCertificate)
	}
	if len(weak) > 0 {
		return r.set(trust.Indeterminate, trust.CryptoConstraintsFailure, trust.CheckAlgorithms, MsgSigWeakAlgorithm, weak[0])
	}
	switch {
	case r.rep.Coverage == trust.CoveragePartial && r.rep.Format == FormatEGovKobun:
		// By design: said calmly.
		if n := kobunAttachments(c.refs); n > 0 {
			r.warn(MsgKobunFrontUnsignedFiles, fmt.Sprint(n))
		} else {
			r.warn(MsgKobunFrontUnsigned)
		}
	case r.rep.Coverage == trust.CoveragePartial:
		r.warn(MsgCoveragePartial)
	}
	return nil
}

// locateSignedProperties finds the XAdES SignedProperties of sig through its signed
// reference and checks that it is inside sig (ds:Object/QualifyingProperties with
// Target pointing at sig). It returns the SignedProperties element (nil for plain
// XMLDSig) and the format, or a failed result.
func (v *docVerifier) locateSignedProperties(sig *node, objects []*node, refs []*reference, r *sigResult) (*node, string, *sigResult) {
	var qps []*node
	for _, o := range objects {
		qps = append(qps, xadesChild(o, "QualifyingProperties")...)
	}
	var spRefs []*reference
	for _, ref := range refs {
		if ref.typ == TypeSignedProperties || (ref.apex != nil && ref.apex.kind == elementNode &&
			ref.apex.local == "SignedProperties" && isXAdESNS(ref.apex.uri)) {
			spRefs = append(spRefs, ref)
		}
	}
	if len(qps) == 0 && len(spRefs) == 0 {
		if v.egov == nil && !v.signsKobunBody(refs) {
			r.warn(MsgSigPlainXMLDSig)
		}
		return nil, "", nil
	}
	if len(spRefs) == 0 {
		return nil, "", r.set(trust.TotalFailed, trust.FormatFailure, trust.CheckSignedProperties, MsgPropsNotSigned)
	}
	if len(spRefs) > 1 || len(qps) > 1 {
		return nil, "", r.set(trust.TotalFailed, trust.FormatFailure, trust.CheckSignedProperties, MsgPropsMalformed, "more than one SignedProperties")
	}
	sp := spRefs[0].apex
	if sp == nil || sp.kind != elementNode || sp.local != "SignedProperties" || !isXAdESNS(sp.uri) {
		return nil, "", r.set(trust.TotalFailed, trust.FormatFailure, trust.CheckSignedProperties, MsgPropsMalformed, "the SignedProperties reference does not point at SignedProperties")
	}
	qp := sp.parent
	sigID, _ := sig.attrValue("Id")
	target, _ := qp.attrValue("Target")
	if len(qps) != 1 || qp != qps[0] || qp.parent == nil || qp.parent.parent != sig || sigID == "" || target != "#"+sigID {
		return nil, "", r.set(trust.TotalFailed, trust.FormatFailure, trust.CheckSignedProperties, MsgPropsOutside, sp.path())
	}
	if len(xadesChild(qp, "SignedProperties")) != 1 {
		return nil, "", r.set(trust.TotalFailed, trust.FormatFailure, trust.CheckSignedProperties, MsgPropsNotSigned)
	}
	format := FormatXAdESBB
	for _, up := range xadesChild(qp, "UnsignedProperties") {
		for _, usp := range xadesChild(up, "UnsignedSignatureProperties") {
			if n := len(xadesChild(usp, "CounterSignature")); n > 0 {
				r.warn(MsgSigCountersigned, fmt.Sprint(n))
			}
			r.values.read(usp)
			if len(xadesChild(usp, "SignatureTimeStamp")) > 0 {
				// A level is reported only for what verified: B-T needs a token that
				// imprints this signature value and verifies.
				r.tokens = append(r.tokens, readSignatureTimestamps(sig, usp, r.values.certs, maxSignatureTimestamps-len(r.tokens))...)
				if tsp.AnyVerified(r.tokens) {
					format = FormatXAdESBT
				} else {
					r.warn(MsgWarnTimestampBad)
				}
			}
		}
	}
	r.passed(trust.CheckSignedProperties, MsgCheckPropsOK)
	return sp, format, nil
}
