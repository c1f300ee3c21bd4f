package trust

import (
	"bufio"
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"hash"
	"io"
	"math/big"
	"strconv"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	_ "crypto/sha256" // hash functions of the accepted signature algorithms
	_ "crypto/sha512"
)

// Limits of the streaming CRL parser. A CRL with millions of entries is fine (entries are
// streamed); a single oversized element is refused.
const (
	maxCRLBytes       = 1 << 34    // 16 GiB: the declared size of the whole CRL
	maxEntryBytes     = 1 << 16    // one revoked-certificate entry
	maxSmallElement   = 1 << 16    // version, algorithm, issuer name, times, signature
	maxCRLExtensions  = 1 << 20    // the crlExtensions block
	maxSerialBytes    = 40         // RFC 5280 allows 20 octets; be lenient, not unbounded
	maxCRLEntries     = 20_000_000 // the index is sorted in memory: about 0.5 GB at this size
	crlReaderBufSize  = 1 << 16
	crlVersion2       = 1
	tagContext0Constr = 0xa0
)

// CRL and CRL entry extensions (RFC 5280 §5.2, §5.3).
var (
	oidCRLAuthorityKeyID = asn1.ObjectIdentifier{2, 5, 29, 35}
	oidCRLNumber         = asn1.ObjectIdentifier{2, 5, 29, 20}
	oidCRLIDP            = asn1.ObjectIdentifier{2, 5, 29, 28}
	oidCRLDeltaIndicator = asn1.ObjectIdentifier{2, 5, 29, 27}
	oidCRLIssuerAltName  = asn1.ObjectIdentifier{2, 5, 29, 18}
	oidCRLFreshest       = asn1.ObjectIdentifier{2, 5, 29, 46}
	oidCRLAIA            = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 1, 1}
	oidEntryReason       = asn1.ObjectIdentifier{2, 5, 29, 21}
	oidEntryInvalidity   = asn1.ObjectIdentifier{2, 5, 29, 24}
	oidEntryHoldInstr    = asn1.ObjectIdentifier{2, 5, 29, 23}
	oidEntryCertIssuer   = asn1.ObjectIdentifier{2, 5, 29, 29}
)

// sigAlg is a CRL signature algorithm this package verifies.
type sigAlg struct {
	oid  asn1.ObjectIdentifier
	hash crypto.Hash
	kind string // "rsa", "rsa-pss", "ecdsa", "ed25519"
}

var sigAlgs = []sigAlg{
	{asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}, crypto.SHA256, "rsa"},
	{asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 12}, crypto.SHA384, "rsa"},
	{asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 13}, crypto.SHA512, "rsa"},
	{asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}, crypto.SHA256, "ecdsa"},
	{asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 3}, crypto.SHA384, "ecdsa"},
	{asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 4}, crypto.SHA512, "ecdsa"},
	{asn1.ObjectIdentifier{1, 3, 101, 112}, 0, "ed25519"},
}

// parsedCRL is what the streaming parser learned about a CRL, besides its entries.
type parsedCRL struct {
	issuer       []byte // DER Name
	thisUpdate   time.Time
	nextUpdate   *time.Time
	number       *big.Int // nil when absent
	authorityKey []byte   // authority key identifier, nil when absent
	scopeNames   [][]byte // issuingDistributionPoint directory names
	scopeURIs    []string // issuingDistributionPoint URIs (an HTTP CRL location)
	onlyUser     bool
	onlyCA       bool
	alg          sigAlg
	tbsDigest    []byte // hash of the TBSCertList (nil for Ed25519, which signs the message)
	tbs          []byte // the TBSCertList itself, kept only for Ed25519 (bounded)
	signature    []byte
	// signatureBadBits: the BIT STRING has unused bits, so no signature can verify.
	signatureBadBits bool
	entries          int64
	maxSerialLen     int
	v1               bool
	idpPresent       bool
	idpOtherNames    bool // the IDP names something other than directory names (e.g. a URI)
}

// crlEntryFunc receives each revoked certificate: the serial's DER INTEGER content (two's
// complement, minimal), the revocation time, and the reason code (-1 when none). The
// serial slice is only valid during the call.
type crlEntryFunc func(serial []byte, revokedAt time.Time, reason int) error

// errTruncated marks input that ends before the lengths it announces.
var errTruncated = errors.New("truncated")

// parseError is a refusal with a message key, raised inside the parser.
type parseError struct {
	key  string
	args []string
}

func (e *parseError) Error() string { return e.key + " " + fmt.Sprint(e.args) }

func refuse(key string, args ...string) error { return &parseError{key: key, args: args} }

func malformed(what string) error { return refuse(MsgCRLMalformed, what) }

// derStream reads DER from a stream, counting what it consumes and feeding the bytes of
// the TBSCertList to a hash.
type derStream struct {
	r           *bufio.Reader
	off         int64
	hdr         [10]byte // the last header read
	hdrLen      int
	tbsStart    bool      // inside the TBSCertList: bytes go to tbsHash (or tbsBuf)
	tbsHash     hash.Hash // nil until the algorithm is known, and for Ed25519
	tbsBuf      []byte    // TBS bytes kept while there is no hash
	tbsOverflow bool      // more TBS bytes than maxTBSKept without a hash
}

// maxTBSKept bounds the TBSCertList kept in memory for Ed25519 (which signs the message,
// not a hash of it).
const maxTBSKept = 1 << 18

func (d *derStream) consumed(b []byte) {
	d.off += int64(len(b))
	if !d.tbsStart {
		return
	}
	if d.tbsHash != nil {
		d.tbsHash.Write(b)
		return
	}
	if d.tbsOverflow {
		return
	}
	if len(d.tbsBuf)+len(b) > maxTBSKept {
		d.tbsOverflow, d.tbsBuf = true, nil
		return
	}
	d.tbsBuf = append(d.tbsBuf, b...)
}

// readFull reads exactly len(p) bytes.
func (d *derStream) readFull(p []byte) error {
	if _, err := io.ReadFull(d.r, p); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return errTruncated
		}
		return err
	}
	d.consumed(p)
	return nil
}

// header reads a tag and a definite DER length (the header bytes stay in d.hdr).
func (d *derStream) header() (tag byte, length int64, err error) {
	buf := d.hdr[:]
	if err := d.readFull(buf[:2]); err != nil {
		return 0, 0, err
	}
	tag = buf[0]
	if tag&0x1f == 0x1f {
		return 0, 0, malformed("high tag numbers are not used in CRLs")
	}
	l := buf[1]
	n := 2
	switch {
	case l < 0x80:
		length = int64(l)
	case l == 0x80:
		return 0, 0, malformed("indefinite length (not DER)")
	default:
		k := int(l & 0x7f)
		if k > 8 {
			return 0, 0, malformed("length too long")
		}
		if err := d.readFull(buf[2 : 2+k]); err != nil {
			return 0, 0, err
		}
		n += k
		for _, b := range buf[2 : 2+k] {
			length = length<<8 | int64(b)
		}
		if length < 0 || length > maxCRLBytes {
			return 0, 0, refuse(MsgCRLTooLarge, "declared length "+strconv.FormatInt(length, 10))
		}
		if length < 0x80 || (k > 1 && buf[2] == 0) {
			return 0, 0, malformed("non-minimal length (not DER)")
		}
	}
	d.hdrLen = n
	return tag, length, nil
}

// element reads one whole TLV of at most max content bytes; it returns the full encoding.
func (d *derStream) element(max int64, what string) (tag byte, full []byte, err error) {
	tag, length, err := d.header()
	if err != nil {
		return 0, nil, err
	}
	if length > max {
		return 0, nil, refuse(MsgCRLTooLarge, what)
	}
	full = make([]byte, d.hdrLen+int(length))
	copy(full, d.hdr[:d.hdrLen])
	if err := d.readFull(full[d.hdrLen:]); err != nil {
		return 0, nil, err
	}
	return tag, full, nil
}

// peek returns the next tag without consuming it.
func (d *derStream) peek() (byte, error) {
	b, err := d.r.Peek(1)
	if err != nil {
		if errors.Is(err, io.EOF) {
			return 0, errTruncated
		}
		return 0, err
	}
	return b[0], nil
}

// parseCRLStream parses a DER CertificateList from br (and reads nothing after it), calling visit for each entry (visit
// may be nil). It checks the structure, the extensions (refusing delta CRLs, indirect
// CRLs, reason-partitioned CRLs and unknown critical extensions) and computes the hash the
// signature covers; the caller verifies the signature with parsed.verify.
func parseCRLStream(br *bufio.Reader, visit crlEntryFunc) (*parsedCRL, error) {
	return parseCRL(br, visit, true)
}

// parseCRL is parseCRLStream; without hashTBS it skips the signature hash (the importer's
// second pass, which compares the whole file's hash with the first pass instead).
func parseCRL(br *bufio.Reader, visit crlEntryFunc, hashTBS bool) (*parsedCRL, error) {
	d := &derStream{r: br}
	p := &parsedCRL{}

	end, tbsEnd, err := d.openCertList()
	if err != nil {
		return nil, err
	}
	if err := p.readVersion(d); err != nil {
		return nil, err
	}
	algDER, err := p.readTBSAlgorithm(d, hashTBS)
	if err != nil {
		return nil, err
	}
	if err := p.readIssuerAndTimes(d, tbsEnd); err != nil {
		return nil, err
	}
	if err := p.readRevoked(d, tbsEnd, visit); err != nil {
		return nil, err
	}
	if err := p.readCRLExtensions(d, tbsEnd); err != nil {
		return nil, err
	}
	if err := p.closeTBS(d, tbsEnd, hashTBS); err != nil {
		return nil, err
	}
	if err := p.readSignature(d, algDER); err != nil {
		return nil, err
	}
	if d.off != end {
		return nil, malformed("CertificateList length")
	}
	return p, nil
}

// openCertList reads the CertificateList and TBSCertList headers, starting the TBS hash
// feed before the latter; it returns the stream offsets at which both end.
func (d *derStream) openCertList() (end, tbsEnd int64, err error) {
	tag, total, err := d.header()
	if err != nil {
		return 0, 0, err
	}
	if tag != 0x30 {
		return 0, 0, refuse(MsgCRLNotCRL)
	}
	end = d.off + total

	// TBSCertList: hashed as it streams by.
	d.tbsStart = true
	tag, tbsLen, err := d.header()
	if err != nil {
		return 0, 0, err
	}
	if tag != 0x30 {
		return 0, 0, refuse(MsgCRLNotCRL)
	}
	tbsEnd = d.off + tbsLen
	if tbsEnd > end {
		return 0, 0, malformed("TBSCertList longer than the CRL")
	}
	return end, tbsEnd, nil
}

// readVersion reads the optional version field, accepting only v2; without it the CRL is
// version 1.
func (p *parsedCRL) readVersion(d *derStream) error {
	next, err := d.peek()
	if err != nil {
		return err
	}
	if next != 0x02 {
		p.v1 = true
		return nil
	}
	_, v, err := d.element(16, "version")
	if err != nil {
		return err
	}
	s := cryptobyte.String(v)
	var ver int64
	if !s.ReadASN1Integer(&ver) || !s.Empty() {
		return malformed("version")
	}
	if ver != crlVersion2 {
		return refuse(MsgCRLVersion, strconv.FormatInt(ver+1, 10))
	}
	return nil
}

// readTBSAlgorithm reads the TBSCertList's signature AlgorithmIdentifier and, now that the
// hash is known, feeds the TBS bytes read so far to it (or stops keeping them when
// hashTBS is false). It returns the identifier's DER, which the outer one must repeat.
func (p *parsedCRL) readTBSAlgorithm(d *derStream, hashTBS bool) ([]byte, error) {
	_, algDER, err := d.element(1024, "algorithm")
	if err != nil {
		return nil, err
	}
	alg, err := parseSigAlg(algDER)
	if err != nil {
		return nil, err
	}
	p.alg = alg
	if !hashTBS {
		d.tbsStart, d.tbsBuf = false, nil
	} else if alg.hash != 0 {
		d.tbsHash = alg.hash.New()
		d.tbsHash.Write(d.tbsBuf)
		d.tbsBuf = nil
	}
	return algDER, nil
}

// readIssuerAndTimes reads the issuer name, thisUpdate and the optional nextUpdate.
func (p *parsedCRL) readIssuerAndTimes(d *derStream, tbsEnd int64) error {
	tag, issuer, err := d.element(maxSmallElement, "issuer name")
	if err != nil {
		return err
	}
	if tag != 0x30 {
		return malformed("issuer name")
	}
	if _, ok := parseRDNs(issuer); !ok {
		return malformed("issuer name")
	}
	p.issuer = issuer

	if p.thisUpdate, err = d.time("thisUpdate"); err != nil {
		return err
	}
	if d.off >= tbsEnd {
		return nil
	}
	next, err := d.peek()
	if err != nil {
		return err
	}
	if next == 0x17 || next == 0x18 {
		t, err := d.time("nextUpdate")
		if err != nil {
			return err
		}
		p.nextUpdate = &t
	}
	return nil
}

// readRevoked streams the optional revokedCertificates list entry by entry, reusing one
// buffer, and hands each entry to p.entry.
func (p *parsedCRL) readRevoked(d *derStream, tbsEnd int64, visit crlEntryFunc) error {
	if d.off >= tbsEnd {
		return nil
	}
	next, err := d.peek()
	if err != nil {
		return err
	}
	if next != 0x30 {
		return nil
	}
	_, listLen, err := d.header()
	if err != nil {
		return err
	}
	listEnd := d.off + listLen
	if listEnd > tbsEnd {
		return malformed("revoked certificates longer than the TBSCertList")
	}
	buf := make([]byte, 0, 256)
	for d.off < listEnd {
		tag, length, err := d.header()
		if err != nil {
			return err
		}
		if tag != 0x30 {
			return malformed("revoked certificate entry")
		}
		if length > maxEntryBytes || d.off+length > listEnd {
			return malformed("revoked certificate entry length")
		}
		if int64(cap(buf)) < length {
			buf = make([]byte, length)
		}
		buf = buf[:length]
		if err := d.readFull(buf); err != nil {
			return err
		}
		if err := p.entry(buf, visit); err != nil {
			return err
		}
	}
	if d.off != listEnd {
		return malformed("revoked certificates length")
	}
	return nil
}

// readCRLExtensions reads the optional crlExtensions [0] EXPLICIT Extensions, the last
// field of the TBSCertList.
func (p *parsedCRL) readCRLExtensions(d *derStream, tbsEnd int64) error {
	if d.off >= tbsEnd {
		return nil
	}
	tag, ext, err := d.element(maxCRLExtensions, "CRL extensions")
	if err != nil {
		return err
	}
	if tag != tagContext0Constr {
		return malformed("unexpected element after the revoked certificates")
	}
	if p.v1 {
		return malformed("extensions in a version 1 CRL")
	}
	return p.extensions(ext)
}

// closeTBS checks that the TBSCertList ends where it said, stops the hash feed and keeps
// its digest (or, for Ed25519, the TBSCertList itself).
func (p *parsedCRL) closeTBS(d *derStream, tbsEnd int64, hashTBS bool) error {
	if d.off != tbsEnd {
		return malformed("TBSCertList length")
	}
	d.tbsStart = false
	switch {
	case !hashTBS:
	case d.tbsHash != nil:
		p.tbsDigest = d.tbsHash.Sum(nil)
	default:
		if d.tbsOverflow {
			return refuse(MsgCRLTooLarge, "Ed25519 CRL")
		}
		p.tbs = d.tbsBuf
	}
	return nil
}

// readSignature reads the outer signatureAlgorithm, which must equal algDER, and the
// signature BIT STRING.
func (p *parsedCRL) readSignature(d *derStream, algDER []byte) error {
	_, outerAlg, err := d.element(1024, "algorithm")
	if err != nil {
		return err
	}
	if !bytes.Equal(outerAlg, algDER) {
		return malformed("signatureAlgorithm differs from the TBSCertList's signature field")
	}
	tag, sig, err := d.element(maxSmallElement, "signature")
	if err != nil {
		return err
	}
	s := cryptobyte.String(sig)
	var bits cryptobyte.String
	if tag != 0x03 || !s.ReadASN1(&bits, cbasn1.BIT_STRING) || len(bits) == 0 || bits[0] > 7 {
		return malformed("signature value")
	}
	// A signature is a whole number of bytes; anything else cannot verify (and is
	// reported as a bad signature, not as a malformed CRL).
	p.signature = bits[1:]
	p.signatureBadBits = bits[0] != 0
	return nil
}

// time reads a UTCTime or GeneralizedTime element.
func (d *derStream) time(what string) (time.Time, error) {
	tag, full, err := d.element(64, what)
	if err != nil {
		return time.Time{}, err
	}
	t, ok := parseDERTime(tag, full)
	if !ok {
		return time.Time{}, malformed(what)
	}
	return t, nil
}

// parseDERTime decodes a whole UTCTime (YYMMDDHHMMSSZ) or GeneralizedTime
// (YYYYMMDDHHMMSSZ) element, as DER requires them, without allocating.
func parseDERTime(tag byte, full []byte) (time.Time, bool) {
	if len(full) < 2 || int(full[1]) != len(full)-2 {
		return time.Time{}, false
	}
	v := full[2:]
	var year int
	switch {
	case tag == 0x17 && len(v) == 13:
		y, ok := digits(v[0:2])
		if !ok {
			return time.Time{}, false
		}
		year = 1900 + y
		if y < 50 {
			year = 2000 + y
		}
		v = v[2:]
	case tag == 0x18 && len(v) == 15:
		y, ok := digits(v[0:4])
		if !ok {
			return time.Time{}, false
		}
		year = y
		v = v[4:]
	default:
		return time.Time{}, false
	}
	if v[10] != 'Z' {
		return time.Time{}, false
	}
	mo, ok1 := digits(v[0:2])
	dd, ok2 := digits(v[2:4])
	hh, ok3 := digits(v[4:6])
	mi, ok4 := digits(v[6:8])
	ss, ok5 := digits(v[8:10])
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || mo < 1 || mo > 12 || dd < 1 || dd > 31 || hh > 23 || mi > 59 || ss > 59 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(mo), dd, hh, mi, ss, 0, time.UTC)
	if t.Day() != dd {
		return time.Time{}, false // 31 February and the like
	}
	return t, true
}

func digits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// parseSigAlg identifies a signature AlgorithmIdentifier.
func parseSigAlg(der []byte) (sigAlg, error) {
	s := cryptobyte.String(der)
	var seq cryptobyte.String
	var oid asn1.ObjectIdentifier
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) || !s.Empty() || !seq.ReadASN1ObjectIdentifier(&oid) {
		return sigAlg{}, malformed("algorithm identifier")
	}
	for _, a := range sigAlgs {
		if a.oid.Equal(oid) {
			// RSA algorithms carry NULL parameters (or none); ECDSA and Ed25519 none.
			if !seq.Empty() {
				var null cryptobyte.String
				if a.kind != "rsa" || !seq.ReadASN1(&null, cbasn1.NULL) || !null.Empty() || !seq.Empty() {
					return sigAlg{}, malformed("algorithm parameters")
				}
			}
			return a, nil
		}
	}
	return sigAlg{}, refuse(MsgCRLUnsupportedAlgorithm, oid.String())
}

// entry parses one revokedCertificates entry (its content, without the SEQUENCE header).
func (p *parsedCRL) entry(content []byte, visit crlEntryFunc) error {
	s := cryptobyte.String(content)
	var serial cryptobyte.String
	if !s.ReadASN1(&serial, cbasn1.INTEGER) || len(serial) == 0 {
		return malformed("serial number of an entry")
	}
	if len(serial) > 1 && ((serial[0] == 0 && serial[1]&0x80 == 0) || (serial[0] == 0xff && serial[1]&0x80 != 0)) {
		return malformed("non-minimal serial number of an entry")
	}
	if len(serial) > maxSerialBytes {
		return malformed("serial number longer than " + strconv.Itoa(maxSerialBytes) + " bytes")
	}
	var timeTag cbasn1.Tag
	var timeVal cryptobyte.String
	if !s.ReadAnyASN1Element(&timeVal, &timeTag) {
		return malformed("revocation date of an entry")
	}
	at, ok := parseDERTime(byte(timeTag), timeVal)
	if !ok {
		return malformed("revocation date of an entry")
	}
	reason := reasonNone
	if !s.Empty() {
		var exts cryptobyte.String
		if !s.ReadASN1(&exts, cbasn1.SEQUENCE) || !s.Empty() {
			return malformed("entry extensions")
		}
		for !exts.Empty() {
			oidDER, critical, value, err := readExtensionRaw(&exts)
			if err != nil {
				return err
			}
			switch {
			case bytes.Equal(oidDER, derEntryReason):
				v := cryptobyte.String(value)
				var enum cryptobyte.String
				if !v.ReadASN1(&enum, cbasn1.ENUM) || !v.Empty() || len(enum) != 1 || enum[0] > 10 || enum[0] == 7 {
					return malformed("reason code of an entry")
				}
				reason = int(enum[0])
			case bytes.Equal(oidDER, derEntryCertIssuer):
				return refuse(MsgCRLIndirect)
			case bytes.Equal(oidDER, derEntryInvalidity), bytes.Equal(oidDER, derEntryHoldInstr):
				// informational
			default:
				if critical {
					return refuse(MsgCRLEntryCriticalExtension, oidText(oidDER))
				}
			}
		}
	}
	p.entries++
	if p.entries > maxCRLEntries {
		return refuse(MsgCRLTooLarge, "more than "+strconv.Itoa(maxCRLEntries)+" entries")
	}
	if len(serial) > p.maxSerialLen {
		p.maxSerialLen = len(serial)
	}
	if visit != nil {
		return visit(serial, at, reason)
	}
	return nil
}

// DER contents of the entry extension OIDs, compared without allocating.
var (
	derEntryReason     = oidContent(oidEntryReason)
	derEntryInvalidity = oidContent(oidEntryInvalidity)
	derEntryHoldInstr  = oidContent(oidEntryHoldInstr)
	derEntryCertIssuer = oidContent(oidEntryCertIssuer)
)

func oidContent(oid asn1.ObjectIdentifier) []byte {
	der, err := asn1.Marshal(oid)
	if err != nil || len(der) < 2 {
		panic("trust: bad built-in OID") // constant input: cannot happen
	}
	return der[2:]
}

// oidText renders an OID's DER content for a message.
func oidText(content []byte) string {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.OBJECT_IDENTIFIER, func(b *cryptobyte.Builder) { b.AddBytes(content) })
	der, err := b.Bytes()
	if err != nil {
		return "?"
	}
	var oid asn1.ObjectIdentifier
	if _, err := asn1.Unmarshal(der, &oid); err != nil {
		return "?"
	}
	return oid.String()
}

// readExtensionRaw reads one Extension, returning the OID's DER content.
func readExtensionRaw(exts *cryptobyte.String) ([]byte, bool, []byte, error) {
	var ext, oid, value cryptobyte.String
	var critical bool
	if !exts.ReadASN1(&ext, cbasn1.SEQUENCE) || !ext.ReadASN1(&oid, cbasn1.OBJECT_IDENTIFIER) || len(oid) == 0 ||
		!readCritical(&ext, &critical) ||
		!ext.ReadASN1(&value, cbasn1.OCTET_STRING) || !ext.Empty() {
		return nil, false, nil, malformed("extension")
	}
	return oid, critical, value, nil
}

// readCritical reads the optional "critical BOOLEAN DEFAULT FALSE" of an Extension.
func readCritical(ext *cryptobyte.String, critical *bool) bool {
	*critical = false
	if !ext.PeekASN1Tag(cbasn1.BOOLEAN) {
		return true
	}
	var v cryptobyte.String
	if !ext.ReadASN1(&v, cbasn1.BOOLEAN) || len(v) != 1 || (v[0] != 0 && v[0] != 0xff) {
		return false
	}
	*critical = v[0] == 0xff
	return true
}

// readExtension reads one Extension from a SEQUENCE OF Extension.
func readExtension(exts *cryptobyte.String) (asn1.ObjectIdentifier, bool, []byte, error) {
	var ext cryptobyte.String
	var oid asn1.ObjectIdentifier
	var critical bool
	var value cryptobyte.String
	if !exts.ReadASN1(&ext, cbasn1.SEQUENCE) || !ext.ReadASN1ObjectIdentifier(&oid) ||
		!readCritical(&ext, &critical) ||
		!ext.ReadASN1(&value, cbasn1.OCTET_STRING) || !ext.Empty() {
		return nil, false, nil, malformed("extension")
	}
	return oid, critical, value, nil
}

// extensions interprets the crlExtensions ([0] EXPLICIT Extensions, whole element).
func (p *parsedCRL) extensions(full []byte) error {
	s := cryptobyte.String(full)
	var explicit, exts cryptobyte.String
	if !s.ReadASN1(&explicit, cbasn1.Tag(0).Constructed().ContextSpecific()) || !s.Empty() ||
		!explicit.ReadASN1(&exts, cbasn1.SEQUENCE) || !explicit.Empty() {
		return malformed("CRL extensions")
	}
	seen := map[string]bool{}
	for !exts.Empty() {
		oid, critical, value, err := readExtension(&exts)
		if err != nil {
			return err
		}
		if seen[oid.String()] {
			return malformed("duplicate extension " + oid.String())
		}
		seen[oid.String()] = true
		v := cryptobyte.String(value)
		switch {
		case oid.Equal(oidCRLDeltaIndicator):
			return refuse(MsgCRLDelta)
		case oid.Equal(oidCRLNumber):
			n := new(big.Int)
			if !v.ReadASN1Integer(n) || !v.Empty() || n.Sign() < 0 {
				return malformed("CRL number")
			}
			p.number = n
		case oid.Equal(oidCRLAuthorityKeyID):
			var aki, keyID cryptobyte.String
			if !v.ReadASN1(&aki, cbasn1.SEQUENCE) || !v.Empty() {
				return malformed("authority key identifier")
			}
			var has bool
			if !aki.ReadOptionalASN1(&keyID, &has, cbasn1.Tag(0).ContextSpecific()) {
				return malformed("authority key identifier")
			}
			if has {
				p.authorityKey = append([]byte(nil), keyID...)
			}
		case oid.Equal(oidCRLIDP):
			if err := p.issuingDistributionPoint(value); err != nil {
				return err
			}
		case oid.Equal(oidCRLIssuerAltName), oid.Equal(oidCRLFreshest), oid.Equal(oidCRLAIA):
			// informational
		default:
			if critical {
				return refuse(MsgCRLCriticalExtension, oid.String())
			}
		}
	}
	return nil
}

// issuingDistributionPoint reads the IDP (RFC 5280 §5.2.5): the partition names and the
// restrictions. Reason partitions and indirect CRLs are refused.
func (p *parsedCRL) issuingDistributionPoint(der []byte) error {
	p.idpPresent = true
	s := cryptobyte.String(der)
	var idp cryptobyte.String
	if !s.ReadASN1(&idp, cbasn1.SEQUENCE) || !s.Empty() {
		return malformed("issuing distribution point")
	}
	var dpName cryptobyte.String
	var has bool
	if !idp.ReadOptionalASN1(&dpName, &has, cbasn1.Tag(0).Constructed().ContextSpecific()) {
		return malformed("issuing distribution point")
	}
	if has {
		names, ok := distributionPointNames(dpName, p.issuer)
		if !ok {
			return malformed("issuing distribution point name")
		}
		if len(names) == 0 {
			p.idpOtherNames = true // e.g. only a URI: matches no JPKI certificate
			p.scopeURIs = distributionPointURIs(dpName)
		}
		p.scopeNames = names
	}
	readBool := func(tag int) (bool, error) {
		var v bool
		var present bool
		var raw cryptobyte.String
		if !idp.ReadOptionalASN1(&raw, &present, cbasn1.Tag(tag).ContextSpecific()) {
			return false, malformed("issuing distribution point")
		}
		if present {
			if len(raw) != 1 || (raw[0] != 0xff && raw[0] != 0) {
				return false, malformed("issuing distribution point flag")
			}
			v = raw[0] == 0xff
		}
		return v, nil
	}
	var err error
	if p.onlyUser, err = readBool(1); err != nil {
		return err
	}
	if p.onlyCA, err = readBool(2); err != nil {
		return err
	}
	var reasons cryptobyte.String
	var hasReasons bool
	if !idp.ReadOptionalASN1(&reasons, &hasReasons, cbasn1.Tag(3).ContextSpecific()) {
		return malformed("issuing distribution point")
	}
	if hasReasons {
		return refuse(MsgCRLOnlySomeReasons)
	}
	indirect, err := readBool(4)
	if err != nil {
		return err
	}
	if indirect {
		return refuse(MsgCRLIndirect)
	}
	attr, err := readBool(5)
	if err != nil {
		return err
	}
	if attr {
		return refuse(MsgCRLAttributeCerts)
	}
	if !idp.Empty() {
		return malformed("issuing distribution point")
	}
	if p.onlyUser && p.onlyCA {
		return malformed("issuing distribution point: both onlyContainsUserCerts and onlyContainsCACerts")
	}
	return nil
}

// verify checks the CRL's signature with pub.
func (p *parsedCRL) verify(pub crypto.PublicKey) error {
	if p.signatureBadBits {
		return errors.New("the signature BIT STRING has unused bits")
	}
	switch p.alg.kind {
	case "rsa":
		k, ok := pub.(*rsa.PublicKey)
		if !ok {
			return errors.New("key type does not match the algorithm")
		}
		return rsa.VerifyPKCS1v15(k, p.alg.hash, p.tbsDigest, p.signature)
	case "ecdsa":
		k, ok := pub.(*ecdsa.PublicKey)
		if !ok {
			return errors.New("key type does not match the algorithm")
		}
		if !ecdsa.VerifyASN1(k, p.tbsDigest, p.signature) {
			return errors.New("ECDSA verification failure")
		}
		return nil
	case "ed25519":
		k, ok := pub.(ed25519.PublicKey)
		if !ok {
			return errors.New("key type does not match the algorithm")
		}
		if !ed25519.Verify(k, p.tbs, p.signature) {
			return errors.New("Ed25519 verification failure")
		}
		return nil
	}
	return errors.New("unsupported algorithm")
}

// crlSigner is a CA whose CRLs can be imported: an anchor (or, in tests, a CA certificate).
type crlSigner struct {
	cert   *x509.Certificate
	anchor *Anchor // nil for a non-anchor CA (tests only)
	keyID  []byte
}

// findSigner picks the CA that signed the CRL: the issuer name must match, the authority
// key identifier (when present) must be the CA's, and the signature must verify. The
// CA's key usage, when present, must allow CRL signing.
func (p *parsedCRL) findSigner(signers []crlSigner) (*crlSigner, error) {
	nameMatched, sigFailed := false, false
	var notSigner *crlSigner
	for i := range signers {
		s := &signers[i]
		if len(p.authorityKey) > 0 && len(s.keyID) > 0 && !bytes.Equal(p.authorityKey, s.keyID) {
			continue
		}
		if !namesEqual(p.issuer, s.cert.RawSubject) {
			continue
		}
		nameMatched = true
		if err := p.verify(s.cert.PublicKey); err != nil {
			sigFailed = true
			continue
		}
		if s.cert.KeyUsage != 0 && s.cert.KeyUsage&x509.KeyUsageCRLSign == 0 {
			notSigner = s
			continue
		}
		return s, nil
	}
	issuer := nameString(p.issuer)
	switch {
	case notSigner != nil:
		return nil, refuse(MsgCRLNotCRLSigner, issuer)
	case sigFailed:
		return nil, refuse(MsgCRLBadSignature, issuer)
	case nameMatched:
		return nil, refuse(MsgCRLUnknownIssuer, issuer)
	default:
		return nil, refuse(MsgCRLUnknownIssuer, issuer)
	}
}
