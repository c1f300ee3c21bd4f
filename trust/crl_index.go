package trust

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"os"
	"sort"
	"time"
)

// The on-disk index of one CRL: a fixed header, the CRL's description (JSON), then the
// revoked serial numbers as fixed-size records sorted by key, so that a lookup is a binary
// search that reads about log2(n) records (through mmap where available, else ReadAt)
// and never the whole file.
//
//	offset  size  field
//	0       8     magic "MYNACRL1"
//	8       2     format version (1), big-endian
//	10      2     key width W: 1 length byte + the longest serial's DER content
//	12      2     record size R = W + 9
//	14      2     reserved (0)
//	16      8     record count N
//	24      4     length M of the JSON description
//	28      4     reserved (0)
//	32      M     JSON description (CRLInfo)
//	…             zero padding to a multiple of 8
//	        N*R   records: key (length byte, serial bytes, zero padding), revocation time
//	              (int64 Unix seconds, big-endian), reason code (uint8, 0xff = none)
const (
	indexMagic      = "MYNACRL1"
	indexVersion    = 1
	indexHeaderSize = 32
	indexExt        = ".crlidx"
	reasonByteNone  = 0xff
	maxIndexMeta    = 1 << 20
)

// serialKey encodes a serial number as its DER INTEGER content (two's complement,
// minimal): the form the CRL carries, so that keys compare byte for byte.
func serialKey(n *big.Int) []byte {
	if n.Sign() >= 0 {
		b := n.Bytes()
		if len(b) == 0 || b[0]&0x80 != 0 {
			b = append([]byte{0}, b...)
		}
		return b
	}
	m := new(big.Int).Neg(n)
	m.Sub(m, big.NewInt(1))
	b := m.Bytes()
	for i := range b {
		b[i] = ^b[i]
	}
	if len(b) == 0 || b[0]&0x80 == 0 {
		b = append([]byte{0xff}, b...)
	}
	return b
}

// recordBuilder collects the records of one CRL in one allocation.
type recordBuilder struct {
	keyWidth int
	recSize  int
	recs     []byte
}

func newRecordBuilder(entries int64, maxSerialLen int) (*recordBuilder, error) {
	w := 1 + max(maxSerialLen, 1)
	rs := w + 9
	if entries < 0 || entries > math.MaxInt/int64(rs) {
		return nil, refuse(MsgCRLTooLarge, fmt.Sprintf("%d entries", entries))
	}
	return &recordBuilder{keyWidth: w, recSize: rs, recs: make([]byte, 0, int(entries)*rs)}, nil
}

// add appends one record; serial is the DER content of the serial number.
func (b *recordBuilder) add(serial []byte, at time.Time, reason int) error {
	if len(serial) > b.keyWidth-1 {
		return refuse(MsgCRLChanged) // longer than in the first pass
	}
	if len(b.recs)+b.recSize > cap(b.recs) {
		return refuse(MsgCRLChanged) // more entries than in the first pass
	}
	off := len(b.recs)
	b.recs = b.recs[:off+b.recSize]
	rec := b.recs[off : off+b.recSize]
	clear(rec)
	rec[0] = byte(len(serial))
	copy(rec[1:], serial)
	binary.BigEndian.PutUint64(rec[b.keyWidth:], uint64(at.Unix()))
	rec[b.keyWidth+8] = reasonByteNone
	if reason >= 0 {
		rec[b.keyWidth+8] = byte(reason)
	}
	return nil
}

// sortRecords sorts the records by key and returns them. If two records have the same
// key (a CRL that lists one serial number twice) it returns that serial's DER content
// instead: see buildCRL.
func (b *recordBuilder) sortRecords() (recs, duplicate []byte) {
	s := &recordSorter{recs: b.recs, size: b.recSize, key: b.keyWidth, tmp: make([]byte, b.recSize)}
	if !sort.IsSorted(s) {
		sort.Sort(s)
	}
	for off := b.recSize; off < len(b.recs); off += b.recSize {
		prev, rec := b.recs[off-b.recSize:off], b.recs[off:off+b.recSize]
		if bytes.Equal(prev[:b.keyWidth], rec[:b.keyWidth]) {
			return nil, rec[1 : 1+int(rec[0])]
		}
	}
	return b.recs, nil
}

// recordSorter sorts fixed-size records in place.
type recordSorter struct {
	recs      []byte
	size, key int
	tmp       []byte
}

func (s *recordSorter) Len() int { return len(s.recs) / s.size }
func (s *recordSorter) Less(i, j int) bool {
	return bytes.Compare(s.recs[i*s.size:i*s.size+s.key], s.recs[j*s.size:j*s.size+s.key]) < 0
}
func (s *recordSorter) Swap(i, j int) {
	a := s.recs[i*s.size : (i+1)*s.size]
	b := s.recs[j*s.size : (j+1)*s.size]
	copy(s.tmp, a)
	copy(a, b)
	copy(b, s.tmp)
}

// writeIndex writes a complete index.
func writeIndex(w io.Writer, info *CRLInfo, keyWidth int, recs []byte) error {
	meta, err := json.Marshal(info)
	if err != nil {
		return err
	}
	recSize := keyWidth + 9
	hdr := make([]byte, indexHeaderSize)
	copy(hdr, indexMagic)
	binary.BigEndian.PutUint16(hdr[8:], indexVersion)
	binary.BigEndian.PutUint16(hdr[10:], uint16(keyWidth))
	binary.BigEndian.PutUint16(hdr[12:], uint16(recSize))
	binary.BigEndian.PutUint64(hdr[16:], uint64(len(recs)/recSize))
	binary.BigEndian.PutUint32(hdr[24:], uint32(len(meta)))
	pad := make([]byte, (8-(indexHeaderSize+len(meta))%8)%8)
	for _, part := range [][]byte{hdr, meta, pad, recs} {
		if _, err := w.Write(part); err != nil {
			return err
		}
	}
	return nil
}

// crlIndex is an open index: its description and access to its records.
type crlIndex struct {
	in       CRLInfo
	keyWidth int
	recSize  int
	count    int64
	recOff   int64
	mem      []byte      // the whole index when mapped or held in memory
	ra       io.ReaderAt // otherwise
	close    func() error
	// path is the index file (empty for an index held in memory); der is the CRL itself
	// for one held in memory.
	path string
	der  []byte
}

func (x *crlIndex) info() *CRLInfo { return &x.in }

// errIndexCorrupt marks an index file that is not what this package writes.
var errIndexCorrupt = errors.New("CRL index is corrupt")

// readIndexHeader reads the header and description from ra (size bytes long).
func readIndexHeader(ra io.ReaderAt, size int64) (*crlIndex, error) {
	hdr := make([]byte, indexHeaderSize)
	if _, err := ra.ReadAt(hdr, 0); err != nil {
		return nil, fmt.Errorf("%w: %v", errIndexCorrupt, err)
	}
	if string(hdr[:8]) != indexMagic || binary.BigEndian.Uint16(hdr[8:]) != indexVersion {
		return nil, fmt.Errorf("%w: unknown format", errIndexCorrupt)
	}
	x := &crlIndex{
		keyWidth: int(binary.BigEndian.Uint16(hdr[10:])),
		recSize:  int(binary.BigEndian.Uint16(hdr[12:])),
	}
	count := binary.BigEndian.Uint64(hdr[16:])
	metaLen := int64(binary.BigEndian.Uint32(hdr[24:]))
	if x.keyWidth < 2 || x.keyWidth > 1+maxSerialBytes || x.recSize != x.keyWidth+9 || metaLen > maxIndexMeta || count > uint64(size) {
		return nil, fmt.Errorf("%w: bad header", errIndexCorrupt)
	}
	x.count = int64(count)
	x.recOff = indexHeaderSize + metaLen + (8-(indexHeaderSize+metaLen)%8)%8
	if x.recOff+x.count*int64(x.recSize) != size {
		return nil, fmt.Errorf("%w: size does not match the record count", errIndexCorrupt)
	}
	meta := make([]byte, metaLen)
	if _, err := ra.ReadAt(meta, indexHeaderSize); err != nil {
		return nil, fmt.Errorf("%w: %v", errIndexCorrupt, err)
	}
	if err := json.Unmarshal(meta, &x.in); err != nil {
		return nil, fmt.Errorf("%w: %v", errIndexCorrupt, err)
	}
	return x, nil
}

// openIndexBytes opens an index held in memory.
func openIndexBytes(b []byte) (*crlIndex, error) {
	x, err := readIndexHeader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, err
	}
	x.mem, x.close = b, func() error { return nil }
	return x, nil
}

// openIndexFile opens an index file, mapping it into memory where the system allows.
// An error is an *IndexError.
func openIndexFile(path string) (*crlIndex, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, indexError(path, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, indexError(path, err)
	}
	x, err := readIndexHeader(f, st.Size())
	if err != nil {
		f.Close()
		return nil, indexError(path, err)
	}
	x.path = path
	if mem, unmap, err := mapFile(f, st.Size()); err == nil {
		f.Close()
		x.mem, x.close = mem, unmap
		return x, nil
	}
	x.ra, x.close = f, f.Close
	return x, nil
}

// readHeaderFile reads only an index file's description. An error is an *IndexError.
func readHeaderFile(path string) (*CRLInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, indexError(path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, indexError(path, err)
	}
	x, err := readIndexHeader(f, st.Size())
	if err != nil {
		return nil, indexError(path, err)
	}
	return &x.in, nil
}

// lookup finds serial by binary search over the records.
func (x *crlIndex) lookup(serial *big.Int) (CRLEntry, bool, error) {
	var want [1 + maxSerialBytes]byte
	key := serial.Bytes()
	if serial.Sign() < 0 || len(key) == 0 || key[0]&0x80 != 0 {
		key = serialKey(serial)
	}
	if len(key) > x.keyWidth-1 {
		return CRLEntry{}, false, nil
	}
	want[0] = byte(len(key))
	copy(want[1:], key)
	target := want[:x.keyWidth]
	if x.mem == nil {
		return x.lookupReadAt(target)
	}
	recs := x.mem[x.recOff : x.recOff+x.count*int64(x.recSize)]
	return x.searchMem(recs, target)
}

// lookupReadAt searches with ReadAt: the last levels read their whole range at once (at
// most rangeRead records), which saves most of the small reads.
func (x *crlIndex) lookupReadAt(target []byte) (CRLEntry, bool, error) {
	const rangeRead = 128
	rec := make([]byte, x.recSize)
	lo, hi := int64(0), x.count
	for lo < hi {
		if hi-lo <= rangeRead {
			chunk := make([]byte, (hi-lo)*int64(x.recSize))
			if _, err := x.ra.ReadAt(chunk, x.recOff+lo*int64(x.recSize)); err != nil {
				return CRLEntry{}, false, err
			}
			return x.searchMem(chunk, target)
		}
		mid := int64(uint64(lo+hi) >> 1)
		if _, err := x.ra.ReadAt(rec, x.recOff+mid*int64(x.recSize)); err != nil {
			return CRLEntry{}, false, err
		}
		switch c := bytes.Compare(rec[:x.keyWidth], target); {
		case c == 0:
			return x.entry(rec), true, nil
		case c < 0:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return CRLEntry{}, false, nil
}

// searchMem binary-searches records held in memory.
func (x *crlIndex) searchMem(recs []byte, target []byte) (CRLEntry, bool, error) {
	size, kw := x.recSize, x.keyWidth
	lo, hi := 0, len(recs)/size
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		switch c := bytes.Compare(recs[mid*size:mid*size+kw], target); {
		case c == 0:
			return x.entry(recs[mid*size : (mid+1)*size]), true, nil
		case c < 0:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return CRLEntry{}, false, nil
}

// entry decodes the time and reason of a record.
func (x *crlIndex) entry(rec []byte) CRLEntry {
	e := CRLEntry{
		RevokedAt: time.Unix(int64(binary.BigEndian.Uint64(rec[x.keyWidth:])), 0).UTC(),
		Reason:    int(rec[x.keyWidth+8]),
	}
	if rec[x.keyWidth+8] == reasonByteNone {
		e.Reason = reasonNone
	}
	return e
}
