package pdf

import (
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"math"
	"os"
	"slices"
	"sort"
	"strconv"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/mynasign/mynasign/internal/cms"
	"github.com/mynasign/mynasign/internal/tsp"
	"github.com/mynasign/mynasign/trust"
)

// sigKind is how a signature field's value is verified.
type sigKind int

const (
	kindDetached    sigKind = iota // adbe.pkcs7.detached, ETSI.CAdES.detached
	kindSHA1                       // adbe.pkcs7.sha1
	kindTimestamp                  // ETSI.RFC3161 document timestamp
	kindOtherFilter                // another SubFilter: verified if /Contents is a detached CMS
	kindUnsupported                // adbe.x509.rsa_sha1
)

// sigState is the verification state of one signature field.
type sigState struct {
	field     Field
	dict      Dict
	subFilter Name
	kind      sigKind
	rep       trust.SignatureReport

	br   [4]int64
	brOK bool
	sd   *cms.SignedData
	si   *cms.SignerInfo
	cert *x509.Certificate
	tst  *cms.TSTInfo
	// tokens are the signature time-stamps (CAdES unsigned attribute) as tsp.Verify
	// found them.
	tokens  []tsp.Checked
	h       crypto.Hash // hash over the byte ranges
	hasher  hash.Hash
	digest  []byte
	rev     int // the revision the signature covers, -1 when none
	claimed *time.Time
	mdp     int // DocMDP permission when this is a certification signature
	lock    *fieldLock
	signer  int  // which SignerInfo of the CMS this entry reports (0 but for further signers)
	fromDSS bool // the signer certificate was found in the document's /DSS, not in the CMS
	// candidates are the other certificates the signer identifier names (of the CMS,
	// or else of the /DSS): the value tells which one is the signer's.
	candidates []*x509.Certificate
	// unbound is this state before its first SignerInfo was bound (for further signers).
	unbound *sigState
	// verified: the signature's bytes verify and no check of its own proved it bad;
	// undecided: it neither verifies nor was proved bad (both set by settle, before any
	// change analysis, from the signature's own checks only).
	verified, undecided bool

	ind     trust.Indication
	sub     trust.SubIndication
	summary trust.Message
}

// failCheck records a failed check and the outcome it leads to. Every failure of the
// PDF checks goes through here, so that the report's checks always show why.
func (s *sigState) failCheck(name trust.CheckName, ind trust.Indication, sub trust.SubIndication, key string, args ...string) {
	s.check(name, false, key, args...)
	s.outcome(ind, sub, key, args...)
}

// outcome records an outcome of the PDF checks; a TOTAL-FAILED replaces an earlier
// INDETERMINATE, otherwise the first outcome stays.
func (s *sigState) outcome(ind trust.Indication, sub trust.SubIndication, key string, args ...string) {
	if s.ind == "" || (s.ind == trust.Indeterminate && ind == trust.TotalFailed) {
		s.ind, s.sub, s.summary = ind, sub, trust.Message{Key: key, Args: args}
	}
}

func (s *sigState) check(name trust.CheckName, passed bool, key string, args ...string) {
	s.rep.Checks = append(s.rep.Checks, trust.Check{Name: name, Passed: passed, Detail: trust.Message{Key: key, Args: args}})
}

func (s *sigState) warn(key string, args ...string) {
	s.rep.Warnings = append(s.rep.Warnings, trust.Message{Key: key, Args: args})
}

// analysis is the verification of one file.
type analysis struct {
	ctx    context.Context
	f      *File
	size   int64
	policy *trust.Policy
	sigs   []*sigState // document signatures, in revision order
	stamps []*sigState // document timestamps
	diffs  map[int]*revDiff
	graphs map[int]*revGraph
	sha    string

	graphWork int               // objects walked over all revision graphs built (bounded by maxGraphWork)
	listed    int               // changed objects listed in the report (bounded by maxListedChanges)
	parsed    map[int]parsedCMS // /Contents parsed, by the object number of the signature dictionary
	// dssCerts, dssCRLs and dssOCSPs are the /DSS certificates and revocation data of the
	// last revision, read once while the file is open (report runs after analyzeFile
	// closed it).
	dssCerts          []*x509.Certificate
	dssCRLs, dssOCSPs [][]byte
}

// VerifyFile verifies every signature of the PDF at path. With a nil policy only the
// PDF-side checks run (integrity, coverage, changes) and no signature can be
// TOTAL-PASSED. The error is for a file that cannot be opened; a file that is not a
// readable PDF gives a report with Error set.
func VerifyFile(ctx context.Context, path string, policy *trust.Policy) (*trust.DocumentReport, error) {
	a, err := analyzeFile(ctx, path, policy)
	if err != nil {
		return nil, err
	}
	return a.report(path), nil
}

// Verify is VerifyFile on an io.ReaderAt of size bytes; name goes into the report.
func Verify(ctx context.Context, r io.ReaderAt, size int64, name string, policy *trust.Policy) *trust.DocumentReport {
	a := analyze(ctx, r, size, policy)
	return a.report(name)
}

func analyzeFile(ctx context.Context, path string, policy *trust.Policy) (*analysis, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", path)
	}
	a := analyze(ctx, fh, st.Size(), policy)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return a, nil
}

func analyze(ctx context.Context, r io.ReaderAt, size int64, policy *trust.Policy) *analysis {
	a := &analysis{ctx: ctx, size: size, policy: policy, diffs: map[int]*revDiff{}, graphs: map[int]*revGraph{}}
	f, err := NewFile(r, size)
	if err != nil {
		a.sha = hashWhole(ctx, r, size)
		return a
	}
	a.f = f
	last := f.Last()
	a.dssCerts = f.dssCertificates(last)
	if policy != nil {
		a.dssCRLs, a.dssOCSPs = f.dssRevocation(last)
	}
	fields, err := f.Fields(last)
	if err != nil {
		a.f = nil
		a.sha = hashWhole(ctx, r, size)
		return a
	}
	for _, fl := range fields {
		if fl.Type != "Sig" {
			continue
		}
		v := fl.Dict.Get("V")
		if v == nil {
			continue
		}
		if _, isNull := v.(Null); isNull {
			continue
		}
		s := a.newSig(fl, v)
		if s == nil {
			continue
		}
		if s.kind == kindTimestamp {
			a.stamps = append(a.stamps, s)
			continue
		}
		a.sigs = append(a.sigs, s)
		a.sigs = append(a.sigs, a.furtherSigners(s)...)
	}
	// A signature dictionary that is the value of two fields would be reported as signed
	// in each: which field it was made for cannot be told.
	byValue := map[int][]*sigState{}
	for _, s := range append(append([]*sigState{}, a.sigs...), a.stamps...) {
		if r, ok := s.field.Dict.Get("V").(Ref); ok && s.signer == 0 {
			byValue[r.Num] = append(byValue[r.Num], s)
		}
	}
	for _, list := range byValue {
		if len(list) < 2 {
			continue
		}
		for _, s := range list {
			for _, o := range list {
				if o != s {
					s.failCheck(trust.CheckSignatureDictionary, trust.TotalFailed, trust.FormatFailure, MsgSigBadDictionary, "the value of field \""+o.field.Name+"\" too")
					break
				}
			}
		}
	}
	a.hashPass(r)
	// Every signature is verified before any change analysis runs: a later signature's
	// appearance is a permitted change only when that signature verifies (overlay.go).
	for _, s := range a.stamps {
		a.settle(s)
	}
	for _, s := range a.sigs {
		a.settle(s)
	}
	for _, s := range a.stamps {
		a.finishTimestamp(s)
	}
	for _, s := range a.sigs {
		a.finishSignature(s)
	}
	// Revision order: by where each signature's signed bytes end.
	sort.SliceStable(a.sigs, func(i, j int) bool { return a.sigs[i].order() < a.sigs[j].order() })
	return a
}

// order sorts signatures in revision order; those without sane byte ranges go last.
func (s *sigState) order() int64 {
	if !s.brOK {
		return math.MaxInt64
	}
	return s.br[2] + s.br[3]
}

// newSig reads a signature field's value and runs the checks that need no hashing.
func (a *analysis) newSig(fl Field, v Object) *sigState {
	last := a.f.Last()
	s := &sigState{field: fl, rev: -1}
	s.rep.ID = fl.Name
	if a.f.Encrypted() {
		// Field names are encrypted strings: show a neutral name instead.
		s.rep.ID = "(encrypted) " + strconv.Itoa(len(a.sigs)+len(a.stamps)+1)
	}
	s.rep.Checks = []trust.Check{}
	s.rep.Coverage = trust.CoveragePartial
	s.rep.ChangesAfterSigning.Level = trust.ChangesNone
	d, ok, err := a.f.dictAt(last, v)
	if err != nil || !ok {
		// A value that is not a dictionary is forbidden; one that cannot be read proves
		// nothing.
		s.rep.Format = "?"
		ind := trust.TotalFailed
		if err != nil {
			ind = trust.Indeterminate
		}
		s.failCheck(trust.CheckSignatureDictionary, ind, trust.FormatFailure, MsgSigBadDictionary, "value")
		return s
	}
	s.dict = d
	s.classifyFilter()
	s.readSigDict(a.f, last)

	// 1. ByteRange sanity.
	contents, _ := d.Get("Contents").(String)
	s.checkByteRange(a.size)
	if s.kind == kindUnsupported {
		return s
	}
	// 2. CMS structure.
	if !a.readSigCMS(s, fl, contents.Bytes) {
		return s
	}
	s.check(trust.CheckCMS, true, MsgCheckCMSOK)
	if len(s.sd.Signers) > 1 {
		s.warn(MsgWarnSeveralSigners, strconv.Itoa(len(s.sd.Signers)))
	}
	unbound := *s
	unbound.rep.Checks = slices.Clone(s.rep.Checks)
	unbound.rep.Warnings = slices.Clone(s.rep.Warnings)
	s.unbound = &unbound
	a.bindSigner(s, 0)
	return s
}

// classifyFilter sets the signature's kind and reported format from its /SubFilter (and
// /Type /DocTimeStamp).
func (s *sigState) classifyFilter() {
	s.subFilter = NameOf(s.dict.Get("SubFilter"))
	typ := NameOf(s.dict.Get("Type"))
	switch {
	case s.subFilter == "ETSI.RFC3161" || typ == "DocTimeStamp":
		s.kind = kindTimestamp
		s.rep.Format = "ETSI.RFC3161"
	case s.subFilter == "adbe.pkcs7.detached":
		s.rep.Format = "adbe.pkcs7.detached"
	case s.subFilter == "ETSI.CAdES.detached":
		s.rep.Format = "PAdES-B-B"
	case s.subFilter == "adbe.pkcs7.sha1":
		s.kind = kindSHA1
		s.rep.Format = "adbe.pkcs7.sha1"
	case s.subFilter == "adbe.x509.rsa_sha1":
		// A bare PKCS#1 signature with the certificates in /Cert (ISO 32000-1
		// §12.8.3.2, gone from PDF 2.0): not supported.
		s.kind = kindUnsupported
		s.rep.Format = string(s.subFilter)
		s.failCheck(trust.CheckSignatureDictionary, trust.Indeterminate, trust.FormatFailure, MsgSigUnsupportedFilter, string(s.subFilter))
	default:
		// Another SubFilter (a national one, say): verified as a detached CMS when its
		// /Contents is one (readSigCMS), with a warning naming it; INDETERMINATE otherwise.
		s.kind = kindOtherFilter
		s.rep.Format = string(s.subFilter)
		if s.rep.Format == "" {
			s.rep.Format = "?"
		}
	}
}

// readSigDict checks the signature dictionary's /Type and keys and reads what it claims:
// the signing time, the signer claims, the MDP permission and the field lock (as of
// revision last).
func (s *sigState) readSigDict(f *File, last int) {
	d := s.dict
	typ := NameOf(d.Get("Type"))
	if typ != "" && typ != "Sig" && typ != "DocTimeStamp" {
		s.failCheck(trust.CheckSignatureDictionary, trust.TotalFailed, trust.FormatFailure, MsgSigBadDictionary, "/Type /"+string(typ))
	}
	if d.Dup {
		s.failCheck(trust.CheckSignatureDictionary, trust.TotalFailed, trust.FormatFailure, MsgSigBadDictionary, "duplicate keys")
	}
	if m, ok := d.Get("M").(String); ok {
		if t, ok := ParsePDFDate(m.Text()); ok {
			s.claimed = &t
		}
	}
	s.rep.SignerClaims = signerClaims(d)
	s.mdp = f.mdpPermission(last, d)
	s.lock = f.fieldLockOf(last, d)
}

// checkByteRange checks the /ByteRange against /Contents and the file size, keeping it
// in s.br when it is sane.
func (s *sigState) checkByteRange(size int64) {
	d := s.dict
	problem := byteRangeProblem(d.Get("ByteRange"), d.Get("Contents"), size)
	if problem != "" {
		s.failCheck(trust.CheckByteRange, trust.TotalFailed, trust.FormatFailure, MsgSigByteRange, problem)
		return
	}
	arr := d.Get("ByteRange").(Array)
	for i := range s.br {
		s.br[i], _ = IntOf(arr[i])
	}
	s.brOK = true
	s.check(trust.CheckByteRange, true, MsgCheckByteRangeOK)
}

// readSigCMS parses the CMS in /Contents into s.sd and checks it fits the signature's
// kind; it reports whether the CMS check passed (a failure is recorded in s). What cannot
// be read is not a proof of anything: INDETERMINATE.
func (a *analysis) readSigCMS(s *sigState, fl Field, contents []byte) bool {
	if len(contents) == 0 {
		s.failCheck(trust.CheckCMS, trust.Indeterminate, trust.FormatFailure, MsgSigNoContents)
		return false
	}
	sd, rest, err := a.parseCMS(fl, contents)
	if err == nil {
		for _, c := range rest {
			if c != 0 {
				err = errors.New("data after the CMS in /Contents")
				break
			}
		}
	}
	if err == nil && len(sd.Signers) == 0 {
		err = errors.New("no signer")
	}
	if err != nil {
		if s.kind == kindOtherFilter {
			s.failCheck(trust.CheckCMS, trust.Indeterminate, trust.FormatFailure, MsgSigUnsupportedFilter, string(s.subFilter))
			return false
		}
		s.failCheck(trust.CheckCMS, trust.Indeterminate, trust.FormatFailure, MsgSigCMSMalformed, err.Error())
		return false
	}
	s.sd = sd
	if s.kind == kindOtherFilter {
		if sd.HasEContent || !sd.ContentType.Equal(cms.OIDData) {
			s.failCheck(trust.CheckCMS, trust.Indeterminate, trust.FormatFailure, MsgSigUnsupportedFilter, string(s.subFilter))
			return false
		}
		s.kind = kindDetached
		s.warn(MsgWarnOtherFilter, string(s.subFilter))
	}
	return s.checkCMSContent()
}

// checkCMSContent checks s.sd's encapsulated content against the signature's kind
// (detached, SHA-1 digest or time-stamp token, whose TSTInfo it parses into s.tst); it
// reports whether it fits.
func (s *sigState) checkCMSContent() bool {
	sd := s.sd
	var err error
	switch s.kind {
	case kindDetached:
		if sd.HasEContent {
			s.failCheck(trust.CheckCMS, trust.TotalFailed, trust.FormatFailure, MsgSigEContent)
			return false
		}
		if !sd.ContentType.Equal(cms.OIDData) {
			s.failCheck(trust.CheckCMS, trust.TotalFailed, trust.FormatFailure, MsgSigCMSMalformed, "eContentType "+sd.ContentType.String())
			return false
		}
	case kindSHA1:
		if !sd.HasEContent || len(sd.EContent) != 20 {
			s.failCheck(trust.CheckCMS, trust.TotalFailed, trust.FormatFailure, MsgSigCMSMalformed, "adbe.pkcs7.sha1 needs the SHA-1 digest as content")
			return false
		}
	case kindTimestamp:
		if !sd.ContentType.Equal(cms.OIDTSTInfo) || !sd.HasEContent {
			s.failCheck(trust.CheckCMS, trust.TotalFailed, trust.FormatFailure, MsgSigCMSMalformed, "not a time-stamp token")
			return false
		}
		if s.tst, err = cms.ParseTSTInfo(sd.EContent); err != nil {
			s.failCheck(trust.CheckCMS, trust.Indeterminate, trust.FormatFailure, MsgSigCMSMalformed, err.Error())
			return false
		}
	}
	return true
}

// parsedCMS is the outcome of parsing one signature dictionary's /Contents.
type parsedCMS struct {
	sd   *cms.SignedData
	rest []byte
	err  error
}

// parseCMS parses a field's /Contents once per signature dictionary: a dictionary that
// is the value of many fields (refused, but only once each field is read) is parsed once,
// not once per field.
func (a *analysis) parseCMS(fl Field, contents []byte) (*cms.SignedData, []byte, error) {
	r, ok := fl.Dict.Get("V").(Ref)
	if !ok {
		return cms.Parse(contents)
	}
	if p, ok := a.parsed[r.Num]; ok {
		return p.sd, p.rest, p.err
	}
	sd, rest, err := cms.Parse(contents)
	if a.parsed == nil {
		a.parsed = map[int]parsedCMS{}
	}
	a.parsed[r.Num] = parsedCMS{sd, rest, err}
	return sd, rest, err
}

// furtherSigners returns an entry for each SignerInfo after the first of s's CMS: ISO
// 32000 wants one, but a CMS with several is reported signer by signer, not refused.
func (a *analysis) furtherSigners(s *sigState) []*sigState {
	if s.sd == nil || s.si == nil || s.unbound == nil || len(s.sd.Signers) < 2 {
		return nil
	}
	var out []*sigState
	for i := 1; i < len(s.sd.Signers); i++ {
		// From the state before the first signer was bound: nothing of that signer's
		// (format level, claimed time, certificate, outcome) carries over.
		c := *s.unbound
		c.rep.Checks = slices.Clone(s.unbound.rep.Checks)
		c.rep.Warnings = slices.Clone(s.unbound.rep.Warnings)
		c.rep.ID = fmt.Sprintf("%s (%d)", s.rep.ID, i+1)
		c.unbound = nil
		a.bindSigner(&c, i)
		out = append(out, &c)
	}
	return out
}

// bindSigner makes s the entry of the i-th SignerInfo of its CMS: the signer
// certificate (from the CMS, else from the document's /DSS), the algorithms, the
// claimed time and the hash over the byte ranges.
func (a *analysis) bindSigner(s *sigState, i int) {
	sd := s.sd
	s.signer, s.si = i, &sd.Signers[i]
	// The signer identifier may name several certificates (the CMS certificate set is
	// not signed, so anyone may add a look-alike): each is tried in verifyCrypto, and the
	// one the value verifies with is the signer's. Not in the CMS: the document's /DSS,
	// to which anyone may add certificates later.
	cands := s.si.FindCertificates(sd.Certificates)
	if len(cands) == 0 {
		cands = s.si.FindCertificates(a.dssCerts)
		s.fromDSS = len(cands) > 0
	}
	if len(cands) > 0 {
		s.cert, s.candidates = cands[0], cands[1:]
	}
	if h, err := s.si.SignerHash(); err == nil {
		s.rep.DigestAlgorithm = cms.HashName(h)
	} else {
		s.rep.DigestAlgorithm = s.si.DigestAlgorithm.OID.String()
	}
	s.rep.SignatureAlgorithm = s.si.DescribeAlgorithm()
	if st, n := s.si.Attr(cms.OIDAttrSigningTime); n == 1 && len(st) == 1 {
		if t, ok := parseASN1Time(st[0]); ok && s.subFilter != "ETSI.CAdES.detached" {
			s.claimed = &t
		}
		if s.subFilter == "ETSI.CAdES.detached" {
			s.warn(MsgWarnSigningTime)
		}
	}
	if vals := s.si.UnsignedAttr(cms.OIDAttrTimeStampToken); vals != nil {
		// A level is reported only for what verified: B-T needs a token that imprints
		// this signature and verifies.
		s.tokens = signatureTimestamps(vals, s.si.Signature, a.dssCerts)
		switch {
		case !tsp.AnyVerified(s.tokens):
			s.warn(MsgWarnTimestampBad)
		case s.subFilter == "ETSI.CAdES.detached":
			s.rep.Format = "PAdES-B-T"
		}
	}
	// The hash over the byte ranges.
	switch s.kind {
	case kindSHA1:
		s.h = crypto.SHA1
	case kindTimestamp:
		h, ok := cms.HashByOID(s.tst.HashAlgorithm.OID)
		if !ok {
			s.failCheck(trust.CheckMessageDigest, trust.Indeterminate, trust.CryptoConstraintsFailure, MsgSigUnsupportedAlg, s.tst.HashAlgorithm.OID.String())
			return
		}
		s.h = h
	default:
		h, err := s.si.SignerHash()
		if err != nil {
			s.failCheck(trust.CheckMessageDigest, trust.Indeterminate, trust.CryptoConstraintsFailure, MsgSigUnsupportedAlg, err.Error())
			return
		}
		s.h = h
	}
	if s.brOK {
		s.hasher = s.h.New()
	}
}

// byteRangeProblem checks /ByteRange against the /Contents string: exactly four
// non-negative integers, starting at 0, the gap exactly the /Contents hex string with its
// delimiters, inside the file. It returns "" when the ranges are sane.
func byteRangeProblem(brv, cv Object, size int64) string {
	arr, ok := brv.(Array)
	if !ok {
		return "missing or not an array"
	}
	if len(arr) != 4 {
		return fmt.Sprintf("%d numbers instead of 4", len(arr))
	}
	var br [4]int64
	for i, v := range arr {
		n, ok := v.(Int)
		if !ok {
			return "not all integers"
		}
		if n < 0 {
			return "negative number"
		}
		br[i] = int64(n)
	}
	if br[0] != 0 {
		return "does not start at 0"
	}
	c, ok := cv.(String)
	if !ok || !c.Hex {
		return "/Contents is not a hex string"
	}
	if c.Pos < 0 {
		return "the signature dictionary is in a compressed object stream"
	}
	if br[1] != c.Pos || br[2] != c.End {
		return "the gap is not exactly the /Contents string"
	}
	if br[2] > size || br[3] > size-br[2] {
		return "the ranges extend beyond the file"
	}
	if br[1] > br[2] {
		return "the ranges overlap"
	}
	return ""
}

// hashPass reads the file once: the whole-file SHA-256 and every signature's digest
// over its byte ranges. A SHA-256 signature shares the whole-file hash up to the start
// of its /Contents (the state is cloned there), so a file costs about one hash pass
// however many signatures it has.
func (a *analysis) hashPass(r io.ReaderAt) {
	whole := sha256.New()
	_, canClone := whole.(hash.Cloner)
	var all []*sigState
	split := map[int64][]*sigState{} // clone points: the start of each shared signature's gap
	for _, s := range append(append([]*sigState{}, a.sigs...), a.stamps...) {
		if s.hasher == nil {
			continue
		}
		all = append(all, s)
		if canClone && s.h == crypto.SHA256 {
			s.hasher = nil
			split[s.br[1]] = append(split[s.br[1]], s)
		}
	}
	buf := make([]byte, min(a.size, 1<<20))
	for pos := int64(0); pos < a.size; {
		if a.ctx.Err() != nil {
			return
		}
		n := int64(len(buf))
		if pos+n > a.size {
			n = a.size - pos
		}
		if m, _ := r.ReadAt(buf[:n], pos); int64(m) < n {
			return
		}
		chunk := buf[:n]
		// The whole-file hash, cloned at the clone points inside this chunk.
		done := pos
		for _, p := range sortedPoints(split, pos, pos+n) {
			whole.Write(chunk[done-pos : p-pos])
			done = p
			for _, s := range split[p] {
				c, err := whole.(hash.Cloner).Clone()
				if err != nil {
					return
				}
				s.hasher = c.(hash.Hash)
			}
		}
		whole.Write(chunk[done-pos:])
		for _, s := range all {
			if s.hasher == nil {
				continue // still sharing the whole-file hash
			}
			if _, shared := split[s.br[1]]; !shared || !containsSig(split[s.br[1]], s) {
				feed(s.hasher, chunk, pos, 0, s.br[1])
			}
			feed(s.hasher, chunk, pos, s.br[2], s.br[2]+s.br[3])
		}
		pos += n
	}
	a.sha = hex.EncodeToString(whole.Sum(nil))
	for _, s := range all {
		if s.hasher != nil {
			s.digest = s.hasher.Sum(nil)
		}
	}
}

// sortedPoints returns the clone points p with from < p <= to, ascending.
func sortedPoints(split map[int64][]*sigState, from, to int64) []int64 {
	var out []int64
	for p := range split {
		if p > from && p <= to {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func containsSig(list []*sigState, s *sigState) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// feed writes the part of chunk (at file offset pos) that lies in [from, to).
func feed(h hash.Hash, chunk []byte, pos, from, to int64) {
	lo, hi := max(from, pos), min(to, pos+int64(len(chunk)))
	if lo < hi {
		h.Write(chunk[lo-pos : hi-pos])
	}
}

func hashWhole(ctx context.Context, r io.ReaderAt, size int64) string {
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(r, 0, size)); err != nil || ctx.Err() != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
}

// coverage finds the revision a signature ends at.
func (a *analysis) coverage(s *sigState) {
	end := s.br[2] + s.br[3]
	for i, rv := range a.f.Revisions {
		lo := rv.EOF
		if lo < 0 {
			lo = rv.End
		}
		if end >= lo && end <= rv.End {
			s.rev = i
		}
	}
	n := len(a.f.Revisions)
	s.rep.SignedContent = fmt.Sprintf("bytes 0–%d and %d–%d of %d", s.br[1], s.br[2], end, a.size)
	switch {
	case s.rev < 0:
		s.rep.Coverage = trust.CoveragePartial
		s.failCheck(trust.CheckCoverage, trust.TotalFailed, trust.FormatFailure, MsgSigCoverage, strconv.FormatInt(end, 10), strconv.FormatInt(a.size, 10))
	case s.rev == n-1:
		s.rep.Coverage = trust.CoverageWhole
		s.rep.SignedContent += fmt.Sprintf(" (revision %d of %d)", s.rev+1, n)
		s.check(trust.CheckCoverage, true, MsgCheckCoverageWhole)
	default:
		s.rep.Coverage = trust.CoverageRevision
		s.rep.SignedContent += fmt.Sprintf(" (revision %d of %d)", s.rev+1, n)
		s.check(trust.CheckCoverage, true, MsgCheckCoverageRev, strconv.Itoa(s.rev+1), strconv.Itoa(n))
	}
}

// verifyCrypto checks the digest and the signature value of a signature whose ranges
// were hashed. It returns whether the signed bytes verify.
func (a *analysis) verifyCrypto(s *sigState) bool {
	if s.digest == nil || s.si == nil {
		return false
	}
	if s.cert == nil {
		s.failCheck(trust.CheckSigningCertificate, trust.Indeterminate, trust.NoSigningCertificateFound, MsgSigNoCertificate)
		return false
	}
	content := s.digest
	switch s.kind {
	case kindSHA1:
		if string(s.sd.EContent) != string(s.digest) {
			s.failCheck(trust.CheckMessageDigest, trust.TotalFailed, trust.HashFailure, MsgSigDigestMismatch)
			return false
		}
		fallthrough
	case kindTimestamp:
		if s.kind == kindTimestamp && string(s.tst.HashedMessage) != string(s.digest) {
			s.failCheck(trust.CheckMessageDigest, trust.TotalFailed, trust.HashFailure, MsgSigDigestMismatch)
			return false
		}
		h, err := s.si.SignerHash()
		if err != nil {
			s.failCheck(trust.CheckMessageDigest, trust.Indeterminate, trust.CryptoConstraintsFailure, MsgSigUnsupportedAlg, err.Error())
			return false
		}
		w := h.New()
		w.Write(s.sd.EContent)
		content = w.Sum(nil)
	}
	err := s.sd.VerifySigner(s.si, s.cert, content)
	for len(s.candidates) > 0 && errors.Is(err, cms.ErrBadSignature) {
		s.cert, s.candidates = s.candidates[0], s.candidates[1:]
		err = s.sd.VerifySigner(s.si, s.cert, content)
	}
	if s.fromDSS && errors.Is(err, cms.ErrBadSignature) {
		// No /DSS certificate verifies the value: which certificate the signer used is
		// unknown, which proves nothing about the document.
		s.cert = nil
		s.failCheck(trust.CheckSigningCertificate, trust.Indeterminate, trust.NoSigningCertificateFound, MsgSigNoCertificate)
		return false
	}
	switch {
	case err == nil:
		s.check(trust.CheckMessageDigest, true, MsgCheckDigestOK, s.rep.DigestAlgorithm)
		s.check(trust.CheckSignatureValue, true, MsgCheckSignatureOK, s.rep.SignatureAlgorithm)
	case errors.Is(err, cms.ErrDigestMismatch):
		s.failCheck(trust.CheckMessageDigest, trust.TotalFailed, trust.HashFailure, MsgSigDigestMismatch)
		return false
	case errors.Is(err, cms.ErrBadSignature):
		if s.si.SignedAttrs != nil {
			// The message-digest attribute matched; without signed attributes the digest
			// is signed directly and nothing tells a changed content from a bad value.
			s.check(trust.CheckMessageDigest, true, MsgCheckDigestOK, s.rep.DigestAlgorithm)
		}
		s.failCheck(trust.CheckSignatureValue, trust.TotalFailed, trust.SigCryptoFailure, MsgSigBadSignature)
		return false
	case errors.Is(err, cms.ErrAlgorithmMismatch):
		s.failCheck(trust.CheckSignatureValue, trust.Indeterminate, trust.FormatFailure, MsgSigAlgMismatch)
		return false
	case errors.Is(err, cms.ErrUnsupported):
		s.failCheck(trust.CheckSignatureValue, trust.Indeterminate, trust.CryptoConstraintsFailure, MsgSigUnsupportedAlg, err.Error())
		return false
	default:
		s.failCheck(trust.CheckSignatureValue, trust.Indeterminate, trust.FormatFailure, MsgSigCMSMalformed, err.Error())
		return false
	}
	if s.fromDSS {
		s.warn(MsgWarnCertFromDSS)
	}
	if s.h == crypto.SHA1 || s.rep.DigestAlgorithm == "SHA-1" {
		// Intact, but SHA-1 is broken for signatures (chosen-prefix collisions): what
		// was signed cannot be told from a document with the same digest. As in XML,
		// such a signature is never TOTAL-PASSED (ETSI TS 119 312).
		s.failCheck(trust.CheckAlgorithms, trust.Indeterminate, trust.CryptoConstraintsFailure, MsgSigWeakAlgorithm, "SHA-1")
	}
	sc := s.si.CheckSigningCertificate(s.cert)
	switch {
	case !sc.Present:
		if s.subFilter == "ETSI.CAdES.detached" {
			s.warn(MsgWarnNoSigningCert)
		}
	case sc.Err != nil || !sc.Match:
		s.failCheck(trust.CheckSigningCertificate, trust.Indeterminate, trust.NoSigningCertificateFound, MsgSigSigningCertBad)
		return true
	default:
		s.check(trust.CheckSigningCertificate, true, MsgCheckSigningCertOK)
	}
	return true
}

// settle finds the revision a signature covers and verifies its bytes.
func (a *analysis) settle(s *sigState) {
	if s.brOK {
		a.coverage(s)
		s.rep.Intact = a.verifyCrypto(s)
	}
	s.verified = s.rep.Intact && s.ind != trust.TotalFailed
	s.undecided = !s.verified && s.ind == trust.Indeterminate
}

func (a *analysis) finishTimestamp(s *sigState) {
	if s.brOK && s.rev >= 0 {
		a.applyChanges(s)
	}
	if s.tst != nil {
		if t, ok := s.tst.Time(); ok {
			s.claimed = &t
			s.rep.ClaimedSigningTime = &t
		}
	}
}

// stampReport is the report entry of a document time-stamp whose imprint and token
// signature were verified (or that failed: s.ind): its authority validated as res says
// (nil without a policy).
func (a *analysis) stampReport(s *sigState, res *trust.SignerResult, now time.Time) trust.SignatureReport {
	rep := s.rep
	rep.ValidationTime = now
	if a.policy != nil {
		rep.ValidationTime = a.policy.ValidationTime()
	}
	if s.ind != "" {
		rep.Indication, rep.SubIndication, rep.Summary = s.ind, s.sub, s.summary
		return rep
	}
	when := ""
	if s.claimed != nil {
		when = s.claimed.Format(time.RFC3339)
	}
	if res == nil {
		rep.Indication, rep.SubIndication = trust.Indeterminate, trust.NoCertificateChainFound
		rep.Summary = trust.Message{Key: MsgStampTSANotChecked, Args: []string{when}}
		return rep
	}
	rep.Indication, rep.SubIndication, rep.Summary = res.Indication, res.SubIndication, res.Summary
	rep.Checks = append(rep.Checks, res.Checks...)
	rep.Warnings = append(rep.Warnings, res.Warnings...)
	rep.Certificate = res.Certificate
	rep.Revocation = res.Revocation
	rep.Signer = res.Signer
	return rep
}

// stampProof validates the authority of each document time-stamp that verified, and
// returns the results (by stamp) and the proof of existence each gives (nil when none).
func (a *analysis) stampProofs() (map[*sigState]*trust.SignerResult, map[*sigState]*time.Time) {
	results, proofs := map[*sigState]*trust.SignerResult{}, map[*sigState]*time.Time{}
	if a.policy == nil {
		return results, proofs
	}
	for _, st := range a.stamps {
		if st.ind != "" || !st.rep.Intact || st.claimed == nil || st.sd == nil {
			continue
		}
		res := a.policy.CheckTimestamper(st.cert, trust.Evidence{Others: append(append([]*x509.Certificate(nil), st.sd.Certificates...), a.dssCerts...), CRLs: a.dssCRLs, OCSPs: a.dssOCSPs}, *st.claimed)
		results[st] = res
		if res.Passed() {
			proofs[st] = st.claimed
		}
	}
	return results, proofs
}

func (a *analysis) finishSignature(s *sigState) {
	if s.brOK && s.rev >= 0 {
		a.applyChanges(s)
	}
	s.rep.ClaimedSigningTime = s.claimed
}

// applyChanges runs the difference analysis of every revision after the signed one.
func (a *analysis) applyChanges(s *sigState) {
	last := a.f.Last()
	ch := &s.rep.ChangesAfterSigning
	ch.Level = trust.ChangesNone
	bad := false
	var undecided []trust.ChangedObject // not permitted, but not proved forbidden either
	unanalysed := -1                    // the first revision left uncompared
	// The changed objects are listed within maxListedChanges over the whole report; past
	// it only the first change that is not permitted still is (the verdict names it), and
	// the rest are counted.
	listedBad, unlisted, firstUnlisted := false, 0, 0
	list := func(co trust.ChangedObject, permitted bool) {
		if a.listed < maxListedChanges || (!permitted && !listedBad) {
			ch.Objects = append(ch.Objects, co)
			a.listed++
			listedBad = listedBad || !permitted
			return
		}
		if unlisted == 0 {
			firstUnlisted = co.Revision
		}
		unlisted++
	}
	stampsAt := map[int][]*sigState{}
	for _, st := range a.stamps {
		stampsAt[st.rev] = append(stampsAt[st.rev], st)
	}
	for k := s.rev + 1; k <= last; k++ {
		if !a.canCompare(s.rev, k) {
			unanalysed = k
			break
		}
		d := a.diff(k)
		for _, o := range d.objects {
			co := o.ChangedObject
			if o.permitted && (co.Why.Key == MsgChangeFormFilled || co.Why.Key == MsgChangeRedrawn) &&
				len(co.Why.Args) == 1 && s.lock.locks(co.Why.Args[0]) {
				// The signature locked this field (FieldMDP).
				co.Why = trust.Message{Key: MsgChangeFieldLocked, Args: co.Why.Args}
				o.permitted = false
			}
			list(co, o.permitted || o.undecided)
			switch {
			case o.undecided:
				undecided = append(undecided, co)
			case !o.permitted:
				bad = true
			}
		}
		if d.level > levelNone && ch.Level == trust.ChangesNone {
			ch.Level = trust.ChangesPermitted
		}
		if s.mdp == 1 && d.level >= levelForm {
			list(trust.ChangedObject{Revision: k + 1, Object: "revision " + strconv.Itoa(k+1),
				Change: "modified", Why: trust.Message{Key: MsgChangeCertified, Args: []string{"1"}}}, false)
			bad = true
		}
		for _, st := range stampsAt[k] {
			if st.ind != "" {
				s.warn(MsgWarnDocTimestampBad, strconv.Itoa(k+1))
			} else {
				s.warn(MsgWarnDocTimestampSeen, strconv.Itoa(k+1))
			}
		}
	}
	if a.f.TrailingData >= 0 {
		ch.Objects = append(ch.Objects, trust.ChangedObject{Revision: last + 2, Object: "end of file",
			Change: "added", Why: trust.Message{Key: MsgChangeTrailingData, Args: []string{strconv.FormatInt(a.f.TrailingData, 10)}}})
		bad = true
	}
	if unlisted > 0 {
		ch.Objects = append(ch.Objects, trust.ChangedObject{Revision: firstUnlisted, Object: fmt.Sprintf("revisions %d–%d", firstUnlisted, last+1),
			Change: "modified", Why: trust.Message{Key: MsgChangeNotListed, Args: []string{strconv.Itoa(unlisted)}}})
	}
	if unanalysed >= 0 {
		// Too many revisions to compare (graph.go's bounds): what the rest change is not
		// known. A change found not permitted among those compared is still proof.
		ch.Objects = append(ch.Objects, trust.ChangedObject{Revision: unanalysed + 1,
			Object: fmt.Sprintf("revisions %d–%d", unanalysed+1, last+1), Change: "modified",
			Why: trust.Message{Key: MsgChangeNotAnalysed}})
	}
	if bad {
		ch.Level = trust.ChangesNotPermitted
		what := ""
		for _, o := range ch.Objects {
			if o.Why.Key != MsgChangeSignatureAdded && o.Why.Key != MsgChangeFormFilled && o.Why.Key != MsgChangeRedrawn && o.Why.Key != MsgChangeDSS &&
				o.Why.Key != MsgChangeDocTimestamp && o.Why.Key != MsgChangeMetadata && o.Why.Key != MsgChangeOverlayUnverifiable {
				what = o.Object
				s.check(trust.CheckChanges, false, o.Why.Key, o.Why.Args...)
				s.outcome(trust.TotalFailed, trust.FormatFailure, MsgSigChanged, strconv.Itoa(o.Revision), what)
				break
			}
		}
		return
	}
	if len(undecided) > 0 {
		// What the page shows changed, and whether a signature vouches for it cannot be
		// told: INDETERMINATE, not TOTAL-FAILED.
		ch.Level = trust.ChangesNotPermitted
		o := undecided[0]
		s.check(trust.CheckChanges, false, o.Why.Key, o.Why.Args...)
		s.outcome(trust.Indeterminate, trust.SigConstraintsFailure, MsgSigChanged, strconv.Itoa(o.Revision), o.Object)
		return
	}
	if unanalysed >= 0 {
		n, done := strconv.Itoa(last-s.rev), strconv.Itoa(unanalysed-s.rev-1)
		s.failCheck(trust.CheckChanges, trust.Indeterminate, trust.FormatFailure, MsgSigChangesNotAnalysed, n, done)
		return
	}
	if ch.Level == trust.ChangesNone {
		s.check(trust.CheckChanges, true, MsgCheckNoChanges)
	} else {
		s.check(trust.CheckChanges, true, MsgCheckPermitted, strconv.Itoa(last-s.rev))
	}
}

// report assembles the document report, applying the trust policy.
func (a *analysis) report(name string) *trust.DocumentReport {
	d := &trust.DocumentReport{File: name, SHA256: a.sha, Kind: "pdf", Signatures: []trust.SignatureReport{}}
	now := time.Now().UTC()
	if a.policy != nil {
		d.TrustStore = a.policy.TrustStore()
		d.ValidationTime = a.policy.ValidationTime()
	} else {
		d.ValidationTime = now
	}
	if a.f == nil {
		msg := trust.Message{Key: MsgUnreadable}
		d.Error = &msg
		trust.Summarize(d)
		return d
	}
	stampResults, stampProofs := a.stampProofs()
	for _, s := range a.sigs {
		rep := s.rep
		rep.Indication, rep.SubIndication, rep.Summary = trust.TotalPassed, "", trust.Message{}
		if s.ind != "" {
			rep.Indication, rep.SubIndication, rep.Summary = s.ind, s.sub, s.summary
		}
		if a.f.Encrypted() {
			rep.Warnings = append(rep.Warnings, trust.Message{Key: MsgWarnEncrypted})
		}
		if a.policy != nil {
			var others []*x509.Certificate
			if s.sd != nil {
				for _, c := range s.sd.Certificates {
					if s.cert == nil || !c.Equal(s.cert) {
						others = append(others, c)
					}
				}
			}
			ev := trust.Evidence{Others: others, Claimed: s.claimed}
			ev.ExistedAt, rep.Timestamps = a.proofOfExistence(s, stampProofs)
			crls, ocsps := archivedRevocation(s.si)
			ev.CRLs = append(append([][]byte(nil), a.dssCRLs...), crls...)
			ev.OCSPs = append(append([][]byte(nil), a.dssOCSPs...), ocsps...)
			res := a.policy.CheckSignerWith(s.cert, ev)
			res.ApplyTo(&rep)
			rep.Format = longTermFormat(rep.Format, res)
			if rep.Format == "PAdES-B-LT" && a.archived(s) {
				rep.Format = "PAdES-B-LTA"
			}
		} else {
			rep.ValidationTime = now
			if rep.Indication == trust.TotalPassed {
				rep.Indication, rep.SubIndication = trust.Indeterminate, trust.NoCertificateChainFound
				rep.Summary = trust.Message{Key: MsgWarnNoPolicy}
			}
		}
		d.Signatures = append(d.Signatures, rep)
	}
	for _, s := range a.stamps {
		d.Signatures = append(d.Signatures, a.stampReport(s, stampResults[s], now))
	}
	trust.Summarize(d)
	return d
}

// archived reports whether a document time-stamp of a later revision, whose imprint and
// token signature verified, covers s (PAdES B-LTA: the /DSS before it is preserved too).
func (a *analysis) archived(s *sigState) bool {
	for _, st := range a.stamps {
		if st.rev > s.rev && st.ind == "" && st.rep.Intact {
			return true
		}
	}
	return false
}

// proofOfExistence validates the signature time-stamps of s (their entries for the
// report) and returns the earliest time a trusted one, or a trusted document time-stamp
// of a later revision (which covers the signature's bytes), proves the signature existed.
func (a *analysis) proofOfExistence(s *sigState, stampProofs map[*sigState]*time.Time) (*time.Time, []trust.TimestampReport) {
	var poe *time.Time
	var entries []trust.TimestampReport
	for _, vt := range s.tokens {
		e, p := a.policy.CheckTimestampToken(vt.Token, vt.Err, trust.Evidence{Others: a.dssCerts, CRLs: a.dssCRLs, OCSPs: a.dssOCSPs})
		entries = append(entries, e)
		poe = trust.EarliestProof(poe, p)
	}
	if s.verified && s.rev >= 0 {
		for _, st := range a.stamps {
			if st.rev > s.rev {
				poe = trust.EarliestProof(poe, stampProofs[st])
			}
		}
	}
	return poe, entries
}

// ParsePDFDate parses a PDF date string (D:YYYYMMDDHHmmSSOHH'mm', with the usual
// omissions allowed).
func ParsePDFDate(s string) (time.Time, bool) {
	if len(s) >= 2 && s[:2] == "D:" {
		s = s[2:]
	}
	num := func(i, n int, def int) (int, bool) {
		if len(s) < i+n {
			return def, len(s) <= i
		}
		v, err := strconv.Atoi(s[i : i+n])
		return v, err == nil
	}
	y, ok := num(0, 4, 0)
	if !ok || len(s) < 4 {
		return time.Time{}, false
	}
	mo, ok1 := num(4, 2, 1)
	d, ok2 := num(6, 2, 1)
	h, ok3 := num(8, 2, 0)
	mi, ok4 := num(10, 2, 0)
	se, ok5 := num(12, 2, 0)
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59 {
		return time.Time{}, false
	}
	loc := time.UTC
	if len(s) > 14 {
		switch s[14] {
		case 'Z':
		case '+', '-':
			oh, _ := num(15, 2, 0)
			om := 0
			if len(s) >= 20 && s[17] == '\'' {
				om, _ = strconv.Atoi(s[18:20])
			}
			off := (oh*60 + om) * 60
			if s[14] == '-' {
				off = -off
			}
			loc = time.FixedZone("", off)
		default:
			return time.Time{}, false
		}
	}
	return time.Date(y, time.Month(mo), d, h, mi, se, 0, loc), true
}

// parseASN1Time reads a UTCTime or GeneralizedTime attribute value.
func parseASN1Time(der []byte) (time.Time, bool) {
	s := cryptobyte.String(der)
	var t time.Time
	switch {
	case s.PeekASN1Tag(cbasn1.UTCTime):
		if !s.ReadASN1UTCTime(&t) {
			return t, false
		}
	case s.PeekASN1Tag(cbasn1.GeneralizedTime):
		if !s.ReadASN1GeneralizedTime(&t) {
			return t, false
		}
	default:
		return t, false
	}
	return t, true
}

// signerClaims reads /Reason, /Location and /ContactInfo of a signature dictionary (nil
// when it has none of them): what the signer wrote, for the report to show as such.
func signerClaims(d Dict) *trust.SignerClaims {
	text := func(k Name) string {
		if v, ok := d.Get(k).(String); ok {
			return trust.CleanClaim(v.Text())
		}
		return ""
	}
	c := trust.SignerClaims{Reason: text("Reason"), Location: text("Location"), ContactInfo: text("ContactInfo")}
	if c == (trust.SignerClaims{}) {
		return nil
	}
	return &c
}
