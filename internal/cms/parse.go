package cms

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// AlgorithmIdentifier is an algorithm OID with its raw parameters (nil when absent).
type AlgorithmIdentifier struct {
	OID    asn1.ObjectIdentifier
	Params []byte // the full DER element of the parameters, nil when absent
}

// Attribute is one CMS attribute with its values as raw DER elements.
type Attribute struct {
	Type   asn1.ObjectIdentifier
	Values [][]byte
}

// SignerInfo is one parsed SignerInfo.
type SignerInfo struct {
	Version int
	// Signer identifier: issuer and serial number, or a subject key identifier.
	IssuerRaw    []byte
	SerialNumber *big.Int
	SubjectKeyID []byte

	DigestAlgorithm AlgorithmIdentifier
	// SignedAttrsDER is the DER of the signed attributes as a SET OF (tag 0x31), the bytes
	// the signature covers; nil when there are no signed attributes.
	SignedAttrsDER     []byte
	SignedAttrs        []Attribute
	SignatureAlgorithm AlgorithmIdentifier
	Signature          []byte
	UnsignedAttrs      []Attribute

	// signedAttrsForms are other encodings of the same signed attributes that the
	// signature is checked over when it does not verify over SignedAttrsDER: the strict
	// DER with the SET OF sorted, and the bytes as written in a BER input.
	signedAttrsForms [][]byte
}

// SignedData is a parsed CMS SignedData.
type SignedData struct {
	Version          int
	DigestAlgorithms []AlgorithmIdentifier
	ContentType      asn1.ObjectIdentifier
	// EContent is the encapsulated content; HasEContent tells an empty one from none.
	EContent     []byte
	HasEContent  bool
	Certificates []*x509.Certificate
	// BadCertificates counts certificate entries that could not be parsed.
	BadCertificates int
	Signers         []SignerInfo
	// BER is set when the input was not DER (indefinite lengths, segmented strings,
	// non-minimal lengths): it was parsed after rewriting it in DER.
	BER bool
}

// ErrFormat marks a structure that is not a well-formed CMS SignedData.
var ErrFormat = errors.New("malformed CMS")

func formatErr(what string) error { return fmt.Errorf("%w: %s", ErrFormat, what) }

// Parse parses a ContentInfo holding a SignedData, in DER or BER (see ber.go). It
// returns the bytes that follow the ContentInfo (PDF /Contents are zero-padded) as rest.
func Parse(data []byte) (sd *SignedData, rest []byte, err error) {
	der, rest, err := toDER(data)
	if err != nil {
		return nil, nil, fmt.Errorf("%w (no ContentInfo)", err)
	}
	if sd, err = parseDER(der); err != nil {
		return nil, nil, err
	}
	sd.BER = len(der) != len(data)-len(rest) || !bytes.Equal(der, data[:len(der)])
	if sd.BER {
		sd.addWrittenSignedAttrs(data[:len(data)-len(rest)])
	}
	for i := range sd.Signers {
		sd.Signers[i].addSortedSignedAttrs()
	}
	return sd, rest, nil
}

// parseDER parses a DER ContentInfo holding a SignedData, all of der.
func parseDER(der []byte) (sd *SignedData, err error) {
	in := cryptobyte.String(der)
	var ci cryptobyte.String
	if !in.ReadASN1(&ci, cbasn1.SEQUENCE) || !in.Empty() {
		return nil, formatErr("no ContentInfo")
	}
	var ct asn1.ObjectIdentifier
	if !ci.ReadASN1ObjectIdentifier(&ct) {
		return nil, formatErr("bad content type")
	}
	if !ct.Equal(OIDSignedData) {
		return nil, formatErr("content type is not signed-data")
	}
	var explicit, sdSeq cryptobyte.String
	if !ci.ReadASN1(&explicit, cbasn1.Tag(0).ContextSpecific().Constructed()) || !ci.Empty() {
		return nil, formatErr("bad ContentInfo content")
	}
	if !explicit.ReadASN1(&sdSeq, cbasn1.SEQUENCE) || !explicit.Empty() {
		return nil, formatErr("bad SignedData")
	}
	sd = &SignedData{}
	if !readSmallInt(&sdSeq, &sd.Version) {
		return nil, formatErr("bad SignedData version")
	}
	var algs cryptobyte.String
	if !sdSeq.ReadASN1(&algs, cbasn1.SET) {
		return nil, formatErr("bad digestAlgorithms")
	}
	for !algs.Empty() {
		a, err := readAlgorithm(&algs)
		if err != nil {
			return nil, err
		}
		sd.DigestAlgorithms = append(sd.DigestAlgorithms, a)
	}
	var eci cryptobyte.String
	if !sdSeq.ReadASN1(&eci, cbasn1.SEQUENCE) {
		return nil, formatErr("bad encapContentInfo")
	}
	if !eci.ReadASN1ObjectIdentifier(&sd.ContentType) {
		return nil, formatErr("bad eContentType")
	}
	if !eci.Empty() {
		var ex cryptobyte.String
		if !eci.ReadASN1(&ex, cbasn1.Tag(0).ContextSpecific().Constructed()) || !eci.Empty() {
			return nil, formatErr("bad eContent")
		}
		content, err := readOctets(&ex)
		if err != nil || !ex.Empty() {
			return nil, formatErr("bad eContent")
		}
		sd.EContent, sd.HasEContent = content, true
	}
	if sdSeq.PeekASN1Tag(cbasn1.Tag(0).ContextSpecific().Constructed()) {
		var certs cryptobyte.String
		if !sdSeq.ReadASN1(&certs, cbasn1.Tag(0).ContextSpecific().Constructed()) {
			return nil, formatErr("bad certificates")
		}
		for !certs.Empty() {
			var el cryptobyte.String
			var tag cbasn1.Tag
			if !certs.ReadAnyASN1Element(&el, &tag) {
				return nil, formatErr("bad certificates")
			}
			if tag != cbasn1.SEQUENCE {
				continue // attribute certificates and other formats are not used here
			}
			c, err := x509.ParseCertificate(el)
			if err != nil {
				sd.BadCertificates++
				continue
			}
			sd.Certificates = append(sd.Certificates, c)
		}
	}
	if sdSeq.PeekASN1Tag(cbasn1.Tag(1).ContextSpecific().Constructed()) {
		var crls cryptobyte.String
		if !sdSeq.ReadASN1(&crls, cbasn1.Tag(1).ContextSpecific().Constructed()) {
			return nil, formatErr("bad crls")
		}
	}
	var sis cryptobyte.String
	if !sdSeq.ReadASN1(&sis, cbasn1.SET) || !sdSeq.Empty() {
		return nil, formatErr("bad signerInfos")
	}
	for !sis.Empty() {
		si, err := readSignerInfo(&sis)
		if err != nil {
			return nil, err
		}
		sd.Signers = append(sd.Signers, si)
	}
	return sd, nil
}

func readSmallInt(s *cryptobyte.String, out *int) bool {
	var v int64
	if !s.ReadASN1Int64WithTag(&v, cbasn1.INTEGER) || v < 0 || v > 1000 {
		return false
	}
	*out = int(v)
	return true
}

func readAlgorithm(s *cryptobyte.String) (AlgorithmIdentifier, error) {
	var seq cryptobyte.String
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) {
		return AlgorithmIdentifier{}, formatErr("bad AlgorithmIdentifier")
	}
	var a AlgorithmIdentifier
	if !seq.ReadASN1ObjectIdentifier(&a.OID) {
		return AlgorithmIdentifier{}, formatErr("bad algorithm OID")
	}
	if !seq.Empty() {
		var el cryptobyte.String
		var tag cbasn1.Tag
		if !seq.ReadAnyASN1Element(&el, &tag) || !seq.Empty() {
			return AlgorithmIdentifier{}, formatErr("bad algorithm parameters")
		}
		if tag != cbasn1.NULL {
			a.Params = append([]byte(nil), el...)
		}
	}
	return a, nil
}

// readOctets reads an OCTET STRING, primitive or (BER) constructed.
func readOctets(s *cryptobyte.String) ([]byte, error) {
	var el cryptobyte.String
	var tag cbasn1.Tag
	if !s.ReadAnyASN1(&el, &tag) {
		return nil, formatErr("bad OCTET STRING")
	}
	switch tag {
	case cbasn1.OCTET_STRING:
		return append([]byte{}, el...), nil
	case cbasn1.OCTET_STRING.Constructed():
		var out []byte
		for !el.Empty() {
			part, err := readOctets(&el)
			if err != nil {
				return nil, err
			}
			out = append(out, part...)
		}
		return out, nil
	}
	return nil, formatErr("expected an OCTET STRING")
}

func readAttributes(s cryptobyte.String) ([]Attribute, error) {
	var out []Attribute
	for !s.Empty() {
		var a cryptobyte.String
		if !s.ReadASN1(&a, cbasn1.SEQUENCE) {
			return nil, formatErr("bad attribute")
		}
		var at Attribute
		var vals cryptobyte.String
		if !a.ReadASN1ObjectIdentifier(&at.Type) || !a.ReadASN1(&vals, cbasn1.SET) || !a.Empty() {
			return nil, formatErr("bad attribute")
		}
		for !vals.Empty() {
			var el cryptobyte.String
			var tag cbasn1.Tag
			if !vals.ReadAnyASN1Element(&el, &tag) {
				return nil, formatErr("bad attribute value")
			}
			at.Values = append(at.Values, append([]byte(nil), el...))
		}
		out = append(out, at)
	}
	return out, nil
}

func readSignerInfo(s *cryptobyte.String) (SignerInfo, error) {
	var seq cryptobyte.String
	var si SignerInfo
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) {
		return si, formatErr("bad SignerInfo")
	}
	if !readSmallInt(&seq, &si.Version) {
		return si, formatErr("bad SignerInfo version")
	}
	switch {
	case seq.PeekASN1Tag(cbasn1.SEQUENCE):
		var ias, issuer cryptobyte.String
		if !seq.ReadASN1(&ias, cbasn1.SEQUENCE) {
			return si, formatErr("bad signer identifier")
		}
		var tag cbasn1.Tag
		if !ias.ReadAnyASN1Element(&issuer, &tag) || tag != cbasn1.SEQUENCE {
			return si, formatErr("bad issuer")
		}
		si.IssuerRaw = append([]byte(nil), issuer...)
		si.SerialNumber = new(big.Int)
		if !ias.ReadASN1Integer(si.SerialNumber) || !ias.Empty() {
			return si, formatErr("bad serial number")
		}
	case seq.PeekASN1Tag(cbasn1.Tag(0).ContextSpecific()):
		var ski cryptobyte.String
		if !seq.ReadASN1(&ski, cbasn1.Tag(0).ContextSpecific()) {
			return si, formatErr("bad signer identifier")
		}
		si.SubjectKeyID = append([]byte{}, ski...)
	case seq.PeekASN1Tag(cbasn1.Tag(0).ContextSpecific().Constructed()):
		// [0] IMPLICIT SubjectKeyIdentifier in BER, as a segmented OCTET STRING.
		var segs cryptobyte.String
		if !seq.ReadASN1(&segs, cbasn1.Tag(0).ContextSpecific().Constructed()) {
			return si, formatErr("bad signer identifier")
		}
		for !segs.Empty() {
			part, err := readOctets(&segs)
			if err != nil {
				return si, formatErr("bad signer identifier")
			}
			si.SubjectKeyID = append(si.SubjectKeyID, part...)
		}
		if len(si.SubjectKeyID) == 0 {
			return si, formatErr("bad signer identifier")
		}
	default:
		return si, formatErr("bad signer identifier")
	}
	var err error
	if si.DigestAlgorithm, err = readAlgorithm(&seq); err != nil {
		return si, err
	}
	if seq.PeekASN1Tag(cbasn1.Tag(0).ContextSpecific().Constructed()) {
		var el cryptobyte.String
		var tag cbasn1.Tag
		if !seq.ReadAnyASN1Element(&el, &tag) || len(el) == 0 {
			return si, formatErr("bad signed attributes")
		}
		der := append([]byte(nil), el...)
		der[0] = 0x31 // signed over as a SET OF (RFC 5652 §5.4)
		si.SignedAttrsDER = der
		var body cryptobyte.String
		in := cryptobyte.String(der)
		if !in.ReadASN1(&body, cbasn1.SET) {
			return si, formatErr("bad signed attributes")
		}
		if si.SignedAttrs, err = readAttributes(body); err != nil {
			return si, err
		}
		if si.SignedAttrs == nil {
			si.SignedAttrs = []Attribute{}
		}
	}
	if si.SignatureAlgorithm, err = readAlgorithm(&seq); err != nil {
		return si, err
	}
	var sig cryptobyte.String
	if !seq.ReadASN1(&sig, cbasn1.OCTET_STRING) {
		return si, formatErr("bad signature value")
	}
	si.Signature = append([]byte{}, sig...)
	if seq.PeekASN1Tag(cbasn1.Tag(1).ContextSpecific().Constructed()) {
		var ua cryptobyte.String
		if !seq.ReadASN1(&ua, cbasn1.Tag(1).ContextSpecific().Constructed()) {
			return si, formatErr("bad unsigned attributes")
		}
		if si.UnsignedAttrs, err = readAttributes(ua); err != nil {
			return si, err
		}
	}
	if !seq.Empty() {
		return si, formatErr("trailing data in SignerInfo")
	}
	return si, nil
}

// Attr returns the values of the signed attribute typ, and whether it occurs (an
// attribute that occurs more than once is reported through count).
func (si *SignerInfo) Attr(typ asn1.ObjectIdentifier) (values [][]byte, count int) {
	for _, a := range si.SignedAttrs {
		if a.Type.Equal(typ) {
			if count == 0 {
				values = a.Values
			}
			count++
		}
	}
	return values, count
}

// UnsignedAttr returns the values of the first unsigned attribute typ.
func (si *SignerInfo) UnsignedAttr(typ asn1.ObjectIdentifier) [][]byte {
	for _, a := range si.UnsignedAttrs {
		if a.Type.Equal(typ) {
			return a.Values
		}
	}
	return nil
}

// FindCertificates returns every certificate in certs that the signer identifier names
// (several when certificates share an issuer and serial number or a key identifier;
// only the signature value tells which one is the signer's).
func (si *SignerInfo) FindCertificates(certs []*x509.Certificate) []*x509.Certificate {
	var out []*x509.Certificate
	for len(certs) > 0 {
		c := si.FindCertificate(certs)
		if c == nil {
			break
		}
		out = append(out, c)
		for i := range certs {
			if certs[i] == c {
				certs = certs[i+1:]
				break
			}
		}
	}
	return out
}

// FindCertificate returns the certificate in certs that the signer identifier names.
func (si *SignerInfo) FindCertificate(certs []*x509.Certificate) *x509.Certificate {
	for _, c := range certs {
		if si.SerialNumber != nil {
			if c.SerialNumber.Cmp(si.SerialNumber) == 0 && string(c.RawIssuer) == string(si.IssuerRaw) {
				return c
			}
			continue
		}
		if len(si.SubjectKeyID) > 0 && string(c.SubjectKeyId) == string(si.SubjectKeyID) {
			return c
		}
	}
	return nil
}

// TSTInfo is the part of an RFC 3161 TSTInfo a PDF verifier needs.
type TSTInfo struct {
	HashAlgorithm AlgorithmIdentifier
	HashedMessage []byte
	GenTime       []byte // the raw GeneralizedTime
	Nonce         []byte // the nonce INTEGER's content octets; nil when there is none
}

// ParseTSTInfo parses the eContent of a time-stamp token.
func ParseTSTInfo(der []byte) (*TSTInfo, error) {
	s := cryptobyte.String(der)
	var seq, mi cryptobyte.String
	var version int
	var policy asn1.ObjectIdentifier
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) || !readSmallInt(&seq, &version) || !seq.ReadASN1ObjectIdentifier(&policy) ||
		!seq.ReadASN1(&mi, cbasn1.SEQUENCE) {
		return nil, formatErr("bad TSTInfo")
	}
	t := &TSTInfo{}
	var err error
	if t.HashAlgorithm, err = readAlgorithm(&mi); err != nil {
		return nil, err
	}
	var hm cryptobyte.String
	if !mi.ReadASN1(&hm, cbasn1.OCTET_STRING) || !mi.Empty() {
		return nil, formatErr("bad TSTInfo message imprint")
	}
	t.HashedMessage = append([]byte(nil), hm...)
	var serial cryptobyte.String
	var gt cryptobyte.String
	if !seq.ReadASN1(&serial, cbasn1.INTEGER) || !seq.ReadASN1(&gt, cbasn1.GeneralizedTime) {
		return nil, formatErr("bad TSTInfo serial number or time")
	}
	t.GenTime = append([]byte(nil), gt...)
	// accuracy and ordering are optional; then the nonce the requester chose.
	seq.SkipOptionalASN1(cbasn1.SEQUENCE)
	seq.SkipOptionalASN1(cbasn1.BOOLEAN)
	var nonce cryptobyte.String
	var hasNonce bool
	if !seq.ReadOptionalASN1(&nonce, &hasNonce, cbasn1.INTEGER) {
		return nil, formatErr("bad TSTInfo nonce")
	}
	if hasNonce {
		t.Nonce = append([]byte(nil), nonce...)
	}
	return t, nil
}

// Time returns the time of the token (genTime, RFC 3161 §2.4.2: UTC, with optional
// fractions of a second).
func (t *TSTInfo) Time() (time.Time, bool) {
	s := string(t.GenTime)
	if len(s) < 15 || s[len(s)-1] != 'Z' {
		return time.Time{}, false
	}
	base, frac := s[:14], s[14:len(s)-1]
	tm, err := time.Parse("20060102150405", base)
	if err != nil {
		return time.Time{}, false
	}
	if frac != "" {
		if frac[0] != '.' || len(frac) < 2 || len(frac) > 10 {
			return time.Time{}, false
		}
		ns := 0
		for i, c := range frac[1:] {
			if c < '0' || c > '9' {
				return time.Time{}, false
			}
			if i < 9 {
				ns = ns*10 + int(c-'0')
			}
		}
		for i := len(frac) - 1; i < 9; i++ {
			ns *= 10
		}
		tm = tm.Add(time.Duration(ns))
	}
	return tm.UTC(), true
}
