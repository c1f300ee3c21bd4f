package pdf

import (
	"bytes"
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mynasign/mynasign/internal/atomicfile"
	"github.com/mynasign/mynasign/internal/cms"
	"github.com/mynasign/mynasign/internal/tempfile"
	"github.com/mynasign/mynasign/trust"
)

// Profile is a PDF signature profile.
type Profile string

// The two profiles (formats.md §1a, §1b).
const (
	// PAdES is PAdES baseline B-B: /SubFilter /ETSI.CAdES.detached, signed attributes
	// content-type, message-digest and signing-certificate-v2, no signing-time.
	PAdES Profile = "pades"
	// Registry is the Legal Affairs Bureau registry (登記・供託オンライン申請) profile:
	// /SubFilter /adbe.pkcs7.detached, /Name = the signer's name, /M, SHA-256.
	Registry Profile = "registry"
)

// SignOptions describe one signature.
type SignOptions struct {
	Profile     Profile
	Signer      crypto.Signer       // the card's signer in practice
	Certificate *x509.Certificate   // the signer's certificate
	Chain       []*x509.Certificate // extra certificates to embed (optional)
	// SignerName is the name for /Name and the visible appearance. When empty it is read
	// from the certificate: the JPKI subjectAltName name, else the subject common name.
	SignerName string
	// Time is the claimed signing time (/M); zero means now.
	Time                          time.Time
	Reason, Location, ContactInfo string
	// Visible makes the signature visible; nil leaves it invisible.
	Visible *Appearance
	// FieldName names the new signature field; empty picks "Signature1", "Signature2", ….
	FieldName string
	// Policy, when set, is used for the self-verification report's certificate checks.
	Policy *trust.Policy
	// Progress, when set, is called as the output is written (bytes done, total).
	Progress func(done, total int64)
	// Validation, when set, makes the signature long-term (PAdES B-LT): its certificates
	// and CRLs (trust.Policy.ValidationData, from the local CRL store) go into a /DSS
	// written in a further incremental update after the signature. Only with PAdES.
	Validation *trust.ValidationData
	// Timestamper, when set, time-stamps the signature value (PAdES B-T: the token goes
	// into the signature-time-stamp unsigned attribute). Only with PAdES.
	Timestamper Timestamper
	// DocumentTimestamper, when set, adds a document time-stamp over the whole signed file
	// (its /DSS included) in a further incremental update (PAdES B-LTA with Validation).
	// Only with PAdES.
	DocumentTimestamper Timestamper
}

// Timestamper obtains RFC 3161 time-stamp tokens (a tsp.Client in practice): over data
// hashed with h, or over a digest the caller computed.
type Timestamper interface {
	Stamp(ctx context.Context, h crypto.Hash, data []byte) ([]byte, error)
	StampDigest(ctx context.Context, h crypto.Hash, digest []byte) ([]byte, error)
}

// SignResult describes a signed file.
type SignResult struct {
	Output string
	Field  string // the new signature field's name
	// Report is the self-verification of the output.
	Report *trust.DocumentReport
}

// placeholderMargin is added to the computed CMS size (bytes) in the /Contents
// placeholder.
const placeholderMargin = 1024

var jst = time.FixedZone("JST", 9*3600)

// PDFDate formats t as a PDF date in Japan time: D:YYYYMMDDHHmmSS+09'00'.
func PDFDate(t time.Time) string {
	return t.In(jst).Format("D:20060102150405") + "+09'00'"
}

// SignFile signs the PDF at in and writes the result to out (which must differ from
// in). The output is the input's exact bytes followed by one incremental update. It is
// written to a temporary file in out's folder, verified by this package's verifier, and
// only then renamed to out; on any error no output file is left behind and the input is
// never modified.
func SignFile(ctx context.Context, in, out string, opts SignOptions) (*SignResult, error) {
	if err := sameFile(in, out); err != nil {
		return nil, err
	}
	fh, f, err := openInput(in)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	prep, err := prepare(f, opts)
	if err != nil {
		return nil, err
	}
	tmp, err := atomicfile.CreateTemp(out)
	if err != nil {
		return nil, err
	}
	tmpName := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			tempfile.Remove(tmpName)
		}
	}()
	contents, total, err := prep.write(ctx, fh, f.size, tmp, prep.signWith(ctx, opts), opts.Progress)
	if err != nil {
		return nil, err
	}
	after := 0 // revisions after the signature's
	if opts.Validation != nil {
		vd := withTimestampData(opts.Validation, contents, opts.Policy)
		if err := appendDSS(tmp, total, contents, vd); err != nil {
			return nil, err
		}
		after++
	}
	if err := tmp.Sync(); err != nil {
		return nil, err
	}
	if err := tmp.Close(); err != nil {
		return nil, err
	}
	if opts.DocumentTimestamper != nil {
		// B-LTA: a document time-stamp over everything, the /DSS included.
		stamped, err := stampInto(ctx, tmpName, out, opts.DocumentTimestamper)
		tempfile.Remove(tmpName)
		if err != nil {
			return nil, err
		}
		tmpName = stamped
		after++
	}
	rep, err := selfVerify(ctx, tmpName, out, prep.field, opts.Policy, after)
	if err != nil {
		return nil, err
	}
	// A termination signal removes the temporary file and refuses the rename after it.
	if err := atomicfile.Move(tmpName, out, atomicfile.Options{}); err != nil {
		return nil, err
	}
	ok = true
	return &SignResult{Output: out, Field: prep.field, Report: rep}, nil
}

// openInput opens the PDF to sign or time-stamp (a regular file) and reads its structure;
// the caller closes the file.
func openInput(in string) (*os.File, *File, error) {
	fh, err := os.Open(in)
	if err != nil {
		return nil, nil, err
	}
	st, err := fh.Stat()
	if err == nil && !st.Mode().IsRegular() {
		err = &ReadError{Err: errors.New("not a regular file")}
	}
	var f *File
	if err == nil {
		f, err = NewFile(fh, st.Size())
	}
	if err != nil {
		fh.Close()
		return nil, nil, err
	}
	return fh, f, nil
}

func sameFile(in, out string) error {
	a, err := filepath.Abs(in)
	if err != nil {
		return err
	}
	b, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	if a == b {
		return ErrSameFile
	}
	if si, err := os.Stat(in); err == nil {
		if so, err := os.Stat(out); err == nil && os.SameFile(si, so) {
			return ErrSameFile
		}
	}
	return nil
}

// signWith returns the producer of the CMS for a signature over a digest of the byte
// ranges: the signer signs, and the signature value is time-stamped when asked.
func (p *prepared) signWith(ctx context.Context, opts SignOptions) func(digest []byte) ([]byte, error) {
	return func(digest []byte) ([]byte, error) {
		params := p.params
		params.ContentDigest = digest
		if opts.Timestamper != nil {
			params.SignatureTimestamp = func(sig []byte) ([]byte, error) { return opts.Timestamper.Stamp(ctx, crypto.SHA256, sig) }
		}
		der, err := params.Sign(opts.Signer)
		if err != nil {
			return nil, fmt.Errorf("signing: %w", err)
		}
		return der, nil
	}
}

// prepared is a planned signature: the increment with its placeholders.
type prepared struct {
	f      *File
	inc    *increment
	sigRef Ref
	field  string
	params cms.SignParams
	hexLen int // hex digits in the placeholder
	// newline: the input does not end with an end-of-line, so the update starts with one.
	newline bool
}

// freeFieldName returns name when no field has it (and it has no period), or, when name
// is empty, the first of prefix1, prefix2, … that no field has.
func freeFieldName(fields []Field, name, prefix string) (string, error) {
	taken := map[string]bool{}
	for _, fl := range fields {
		taken[fl.Name] = true
	}
	if name == "" {
		for i := 1; ; i++ {
			if name = fmt.Sprintf("%s%d", prefix, i); !taken[name] {
				return name, nil
			}
		}
	}
	if taken[name] || strings.Contains(name, ".") {
		return "", fmt.Errorf("a field named %q already exists or the name contains a period", name)
	}
	return name, nil
}

// signerName returns the name the certificate gives the signer.
func signerName(cert *x509.Certificate) string {
	if prof := trust.ParseJPKIProfile(cert); prof.Personal != nil && prof.Personal.Name != "" {
		return prof.Personal.Name
	}
	return cert.Subject.CommonName
}

func prepare(f *File, opts SignOptions) (*prepared, error) {
	if opts.Signer == nil || opts.Certificate == nil {
		return nil, errors.New("no signer or no certificate")
	}
	if opts.Profile != PAdES && opts.Profile != Registry {
		return nil, fmt.Errorf("unknown PDF profile %q", opts.Profile)
	}
	if opts.Profile == Registry && (opts.Validation != nil || opts.Timestamper != nil || opts.DocumentTimestamper != nil) {
		return nil, ErrRegistryLevel
	}
	last := f.Last()
	pages, fields, err := f.signable()
	if err != nil {
		return nil, err
	}
	when := opts.Time
	if when.IsZero() {
		when = time.Now()
	}
	when = when.Truncate(time.Second)
	name := opts.SignerName
	if name == "" {
		name = signerName(opts.Certificate)
	}
	if opts.Profile == Registry && strings.TrimSpace(name) == "" {
		return nil, ErrNoSignerName
	}
	fieldName, err := freeFieldName(fields, opts.FieldName, "Signature")
	if err != nil {
		return nil, err
	}

	inc, err := newIncrement(f)
	if err != nil {
		return nil, &ReadError{Err: err}
	}
	pageIdx := 0
	rect := Array{Int(0), Int(0), Int(0), Int(0)}
	var apRef Ref
	if v := opts.Visible; v != nil {
		if v.Page < 1 || v.Page > len(pages) {
			return nil, &PageError{Page: v.Page, Pages: len(pages)}
		}
		pageIdx = v.Page - 1
		pl, err := v.place(f.pageBox(last, pages[pageIdx]))
		if err != nil {
			return nil, err
		}
		rect = Array{Real(pl.rect[0]), Real(pl.rect[1]), Real(pl.rect[2]), Real(pl.rect[3])}
		lines := appearanceLines(name, when, trust.ParseJPKIProfile(opts.Certificate).Test)
		if apRef, err = appearanceStreams(inc, v, pl.w, pl.h, pl.rotate, lines); err != nil {
			return nil, err
		}
	} else {
		apRef = emptyAppearance(inc)
	}
	pageRef := pages[pageIdx].ref

	// The signature dictionary is written as raw bytes with its placeholders.
	sigRef := inc.reserve()
	if err := inc.addSignatureField(fieldName, sigRef, rect, pageRef, apRef); err != nil {
		return nil, err
	}

	h := crypto.SHA256
	params := cms.SignParams{Certificate: opts.Certificate, Chain: opts.Chain, Hash: h,
		ContentDigest: make([]byte, h.Size()), SigningCertificateV2: true}
	subFilter := "ETSI.CAdES.detached"
	if opts.Profile == Registry {
		subFilter = "adbe.pkcs7.detached"
		params.SigningTime = &when
	}
	est, err := params.EstimateSize()
	if err != nil {
		return nil, err
	}
	if opts.Timestamper != nil {
		est += cms.MaxTimestampSize // the token is asked for once the card has signed
	}
	hexLen := 2 * (est + placeholderMargin)

	var sd bytes.Buffer
	sd.WriteString("<</Type /Sig /Filter /Adobe.PPKLite /SubFilter /" + subFilter)
	if opts.Profile == Registry {
		sd.WriteString(" /Name ")
		appendString(&sd, TextString(name))
	}
	sd.WriteString(" /M ")
	appendString(&sd, String{Bytes: []byte(PDFDate(when))})
	for _, kv := range []struct {
		k Name
		v string
	}{{"Reason", opts.Reason}, {"Location", opts.Location}, {"ContactInfo", opts.ContactInfo}} {
		if kv.v != "" {
			sd.WriteString(" ")
			appendName(&sd, kv.k)
			sd.WriteString(" ")
			appendString(&sd, TextString(kv.v))
		}
	}
	zeros := strings.Repeat("0", byteRangeWidth)
	sd.WriteString("\n/ByteRange [0 " + zeros + " " + zeros + " " + zeros + "]")
	sd.WriteString("\n/Contents <" + strings.Repeat("0", hexLen) + ">>>")
	inc.raw[sigRef.Num] = sd.Bytes()

	newline := false
	if c, ok := f.w.at(f.size - 1); !ok || (c != '\n' && c != '\r') {
		newline = true
	}
	return &prepared{f: f, inc: inc, sigRef: sigRef, field: fieldName, params: params, hexLen: hexLen, newline: newline}, nil
}

// signable checks that an update with a new signature field can be added to the last
// revision of f (not encrypted, not certified against changes, with pages) and returns
// its pages and fields.
func (f *File) signable() ([]pageNode, []Field, error) {
	if f.Encrypted() {
		return nil, nil, ErrEncrypted
	}
	last := f.Last()
	if p, err := f.docMDP(last); err != nil {
		return nil, nil, &ReadError{Err: err}
	} else if p == 1 {
		return nil, nil, &CertifiedError{P: p}
	}
	pages, err := f.pageNodes(last)
	if err != nil {
		return nil, nil, &ReadError{Err: err}
	}
	if len(pages) == 0 {
		return nil, nil, &ReadError{Err: errors.New("the document has no pages")}
	}
	fields, err := f.Fields(last)
	if err != nil {
		return nil, nil, &ReadError{Err: err}
	}
	return pages, fields, nil
}

// addSignatureField adds a signature field (merged with its widget, on page pageRef at
// rect, with appearance apRef) whose value is sigRef, to the AcroForm and the page.
func (inc *increment) addSignatureField(fieldName string, sigRef Ref, rect Array, pageRef, apRef Ref) error {
	widget := Dict{}
	widget.Set("Type", Name("Annot"))
	widget.Set("Subtype", Name("Widget"))
	widget.Set("FT", Name("Sig"))
	widget.Set("T", TextString(fieldName))
	widget.Set("V", sigRef)
	widget.Set("F", Int(132)) // Print | Locked
	widget.Set("Rect", rect)
	widget.Set("P", pageRef)
	ap := Dict{}
	ap.Set("N", apRef)
	widget.Set("AP", ap)
	fieldRef := inc.add(widget)
	if err := inc.addToAcroForm(fieldRef); err != nil {
		return err
	}
	return inc.addToPage(pageRef, fieldRef)
}

// addToAcroForm lists the field in the AcroForm (creating it when absent) and sets
// /SigFlags 3 (signatures exist, append only).
func (inc *increment) addToAcroForm(field Ref) error {
	cat, catRef, err := inc.f.Catalog(inc.rev)
	if err != nil {
		return &ReadError{Err: err}
	}
	if o, ok := inc.objs[catRef.Num]; ok {
		cat, _ = o.(Dict)
	}
	afv := cat.Get("AcroForm")
	update := func(af Dict) (Dict, error) {
		af = af.Clone()
		flags, _ := IntOf(af.Get("SigFlags"))
		if r, ok := af.Get("SigFlags").(Ref); ok {
			v, _ := inc.get(r)
			flags, _ = IntOf(v)
		}
		af.Set("SigFlags", Int(flags|3))
		switch fv := af.Get("Fields").(type) {
		case Ref:
			v, err := inc.get(fv)
			if err != nil {
				return af, &ReadError{Err: err}
			}
			arr, _ := v.(Array)
			inc.set(fv, append(append(Array{}, arr...), field))
		case Array:
			af.Set("Fields", append(append(Array{}, fv...), field))
		default:
			af.Set("Fields", Array{field})
		}
		return af, nil
	}
	switch v := afv.(type) {
	case Ref:
		d, ok, err := inc.getDict(v)
		if err != nil {
			return &ReadError{Err: err}
		}
		if !ok {
			d = Dict{}
		}
		nd, err := update(d)
		if err != nil {
			return err
		}
		inc.set(v, nd)
		return nil
	case Dict:
		nd, err := update(v)
		if err != nil {
			return err
		}
		cat = cat.Clone()
		cat.Set("AcroForm", nd)
		inc.set(catRef, cat)
		return nil
	default:
		nd, err := update(Dict{})
		if err != nil {
			return err
		}
		afRef := inc.add(nd)
		cat = cat.Clone()
		cat.Set("AcroForm", afRef)
		inc.set(catRef, cat)
		return nil
	}
}

// addToPage appends the widget to the page's /Annots (direct or indirect).
func (inc *increment) addToPage(page, widget Ref) error {
	pv, err := inc.get(page)
	if err != nil {
		return &ReadError{Err: err}
	}
	pd, ok := pv.(Dict)
	if !ok {
		return &ReadError{Err: fmt.Errorf("page %s is not a dictionary", page)}
	}
	switch a := pd.Get("Annots").(type) {
	case Ref:
		v, err := inc.get(a)
		if err != nil {
			return &ReadError{Err: err}
		}
		arr, _ := v.(Array)
		inc.set(a, append(append(Array{}, arr...), widget))
	case Array:
		pd = pd.Clone()
		pd.Set("Annots", append(append(Array{}, a...), widget))
		inc.set(page, pd)
	default:
		pd = pd.Clone()
		pd.Set("Annots", Array{widget})
		inc.set(page, pd)
	}
	return nil
}

// docMDP returns the DocMDP permission of a certification signature (1, 2 or 3), or 0
// when the document is not certified.
func (f *File) docMDP(rev int) (int, error) {
	cat, _, err := f.Catalog(rev)
	if err != nil {
		return 0, err
	}
	perms, ok, err := f.dictAt(rev, cat.Get("Perms"))
	if err != nil || !ok {
		return 0, err
	}
	sig, ok, err := f.dictAt(rev, perms.Get("DocMDP"))
	if err != nil || !ok {
		return 0, err
	}
	return f.mdpPermission(rev, sig), nil
}

// mdpPermission reads the DocMDP transform parameters of a signature dictionary (2 when
// the signature has a DocMDP reference without /P, 0 when it has none).
func (f *File) mdpPermission(rev int, sig Dict) int {
	refs, err := f.deref(rev, sig.Get("Reference"))
	if err != nil {
		return 0
	}
	arr, _ := refs.(Array)
	for _, r := range arr {
		d, ok, err := f.dictAt(rev, r)
		if err != nil || !ok || NameOf(d.Get("TransformMethod")) != "DocMDP" {
			continue
		}
		tp, ok, err := f.dictAt(rev, d.Get("TransformParams"))
		if err != nil || !ok {
			return 2
		}
		pv, err := f.deref(rev, tp.Get("P"))
		if err != nil {
			return 2
		}
		if p, ok := IntOf(pv); ok && p >= 1 && p <= 3 {
			return int(p)
		}
		return 2
	}
	return 0
}

// fieldLock is a FieldMDP transform of a signature: the form fields it locks.
type fieldLock struct {
	action Name // All, Include or Exclude
	fields map[string]bool
}

// locks reports whether the lock covers the field of that fully qualified name (a lock
// on a parent field covers its descendants).
func (l *fieldLock) locks(name string) bool {
	if l == nil {
		return false
	}
	listed := false
	for f := range l.fields {
		if name == f || strings.HasPrefix(name, f+".") {
			listed = true
		}
	}
	switch l.action {
	case "All":
		return true
	case "Include":
		return listed
	case "Exclude":
		return !listed
	}
	return false
}

// fieldLockOf reads the FieldMDP transform of a signature dictionary, or nil.
func (f *File) fieldLockOf(rev int, sig Dict) *fieldLock {
	refs, err := f.deref(rev, sig.Get("Reference"))
	if err != nil {
		return nil
	}
	arr, _ := refs.(Array)
	for _, r := range arr {
		d, ok, err := f.dictAt(rev, r)
		if err != nil || !ok || NameOf(d.Get("TransformMethod")) != "FieldMDP" {
			continue
		}
		tp, ok, err := f.dictAt(rev, d.Get("TransformParams"))
		if err != nil || !ok {
			continue
		}
		l := &fieldLock{action: NameOf(tp.Get("Action")), fields: map[string]bool{}}
		if fv, err := f.deref(rev, tp.Get("Fields")); err == nil {
			list, _ := fv.(Array)
			for _, x := range list {
				if str, ok := x.(String); ok {
					l.fields[str.Text()] = true
				}
			}
		}
		return l
	}
	return nil
}

// progressWriter counts bytes written and reports them.
type progressWriter struct {
	w     io.Writer
	h     hash.Hash
	done  int64
	total int64
	fn    func(done, total int64)
	ctx   context.Context
}

func (p *progressWriter) Write(b []byte) (int, error) {
	if err := p.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := p.w.Write(b)
	p.h.Write(b[:n])
	p.done += int64(n)
	if p.fn != nil {
		p.fn(p.done, p.total)
	}
	return n, err
}

// write produces the signed file in out: the input's bytes, then the update with the
// signature patched in. It returns the /Contents value (the CMS, zero-padded) and the
// size of what it wrote.
func (p *prepared) write(ctx context.Context, in io.ReaderAt, size int64, out *os.File, produce func(digest []byte) ([]byte, error), progress func(done, total int64)) ([]byte, int64, error) {
	ser, err := p.inc.serialize(size, p.sigRef.Num, p.newline)
	if err != nil {
		return nil, 0, err
	}
	total := size + int64(len(ser.data))
	h := sha256.New()
	pw := &progressWriter{w: out, h: h, total: total, fn: progress, ctx: ctx}
	buf := make([]byte, 1<<20)
	if _, err := io.CopyBuffer(pw, io.NewSectionReader(in, 0, size), buf); err != nil {
		return nil, 0, fmt.Errorf("copying the input: %w", err)
	}
	a := size + int64(ser.contentsAt)
	b := size + int64(ser.contentsEnd)
	br := fmt.Sprintf("%0*d %0*d %0*d", byteRangeWidth, a, byteRangeWidth, b, byteRangeWidth, total-b)
	if len(br) != 3*byteRangeWidth+2 {
		return nil, 0, errors.New("the file is too large for the byte range placeholder")
	}
	copy(ser.data[ser.byteRangeAt:], br)
	h.Write(ser.data[:ser.contentsAt])
	h.Write(ser.data[ser.contentsEnd:])
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	der, err := produce(h.Sum(nil))
	if err != nil {
		return nil, 0, err
	}
	enc := hex.EncodeToString(der)
	if len(enc) > p.hexLen {
		return nil, 0, ErrSignatureTooLarge
	}
	copy(ser.data[ser.contentsAt+1:], enc)
	n, err := out.Write(ser.data)
	if err != nil {
		return nil, 0, err
	}
	if progress != nil {
		progress(size+int64(n), total)
	}
	contents := make([]byte, p.hexLen/2)
	copy(contents, der)
	return contents, total, nil
}
