package trust

import (
	"bufio"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/binary"
	"io"
	"math/big"
	"testing"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/mynasign/mynasign/internal/testpki"
)

// syntheticCRL describes a large CRL written by writeSyntheticCRL: entry i revokes
// serial(i) at time(i) with reason(i). Entries come in random serial order, as a CA that
// lists revocations by date would write them.
type syntheticCRL struct {
	seed    uint64
	entries int
	base    time.Time
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// serial returns entry i's serial: 16 bytes, positive, first byte non-zero (so its DER
// content is exactly 16 bytes).
func (s syntheticCRL) serial(i int) []byte {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], splitmix(s.seed^uint64(i)*2))
	binary.BigEndian.PutUint64(b[8:], splitmix(s.seed^(uint64(i)*2+1)))
	b[0] = b[0]&0x7f | 0x01
	return b[:]
}

func (s syntheticCRL) serialInt(i int) *big.Int { return new(big.Int).SetBytes(s.serial(i)) }

func (s syntheticCRL) time(i int) time.Time { return s.base.Add(time.Duration(i) * time.Second) }

func (s syntheticCRL) reason(i int) int { return []int{1, 3, 4, 5, -1}[i%5] }

// derLen encodes a DER length.
func derLen(n int) []byte {
	if n < 0x80 {
		return []byte{byte(n)}
	}
	var b []byte
	for v := n; v > 0; v >>= 8 {
		b = append([]byte{byte(v)}, b...)
	}
	return append([]byte{0x80 | byte(len(b))}, b...)
}

func tlvHeader(tag byte, n int) []byte { return append([]byte{tag}, derLen(n)...) }

func utcTime(t time.Time) []byte {
	return append([]byte{0x17, 13}, []byte(t.UTC().Format("060102150405Z"))...)
}

// writeSyntheticCRL streams a signed CRL with s.entries entries to w, in constant memory:
// the lengths are computed first, the TBSCertList is hashed as it is written, and the
// signature (by the test CA ca) is appended at the end.
func writeSyntheticCRL(tb testing.TB, w io.Writer, ca string, s syntheticCRL, number int64, this, next time.Time) {
	tb.Helper()
	caCert, err := testpki.CACert(ca)
	if err != nil {
		tb.Fatal(err)
	}
	caKey, err := testpki.CAKey(ca)
	if err != nil {
		tb.Fatal(err)
	}
	algID := []byte{0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00}
	var head cryptobyte.Builder
	head.AddASN1Int64(1)
	head.AddBytes(algID)
	head.AddBytes(caCert.RawSubject)
	head.AddBytes(utcTime(this))
	head.AddBytes(utcTime(next))
	prefix := head.BytesOrPanic()

	entry := func(i int) []byte {
		var b cryptobyte.Builder
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.INTEGER, func(b *cryptobyte.Builder) { b.AddBytes(s.serial(i)) })
			b.AddBytes(utcTime(s.time(i)))
			if r := s.reason(i); r >= 0 {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
						b.AddASN1ObjectIdentifier(oidEntryReason)
						b.AddASN1(cbasn1.OCTET_STRING, func(b *cryptobyte.Builder) {
							b.AddASN1(cbasn1.ENUM, func(b *cryptobyte.Builder) { b.AddUint8(uint8(r)) })
						})
					})
				})
			}
		})
		return b.BytesOrPanic()
	}
	listLen := 0
	for i := 0; i < s.entries; i++ {
		listLen += len(entry(i))
	}
	var ext cryptobyte.Builder
	ext.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1ObjectIdentifier(oidCRLAuthorityKeyID)
				b.AddASN1(cbasn1.OCTET_STRING, func(b *cryptobyte.Builder) {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
						b.AddASN1(cbasn1.Tag(0).ContextSpecific(), func(b *cryptobyte.Builder) { b.AddBytes(caCert.SubjectKeyId) })
					})
				})
			})
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1ObjectIdentifier(oidCRLNumber)
				b.AddASN1(cbasn1.OCTET_STRING, func(b *cryptobyte.Builder) { b.AddASN1Int64(number) })
			})
		})
	})
	exts := ext.BytesOrPanic()

	listHdr := tlvHeader(0x30, listLen)
	if s.entries == 0 {
		listHdr = nil
	}
	tbsContent := len(prefix) + len(listHdr) + listLen + len(exts)
	tbsHdr := tlvHeader(0x30, tbsContent)
	sigLen := caKey.Size()
	sigTLV := 2 + len(derLen(sigLen+1)) - 1 + 1 + sigLen // tag, length, unused-bits byte, signature
	outerContent := len(tbsHdr) + tbsContent + len(algID) + sigTLV

	bw := bufio.NewWriterSize(w, 1<<20)
	h := sha256.New()
	tbs := io.MultiWriter(bw, h)
	bw.Write(tlvHeader(0x30, outerContent))
	tbs.Write(tbsHdr)
	tbs.Write(prefix)
	tbs.Write(listHdr)
	for i := 0; i < s.entries; i++ {
		tbs.Write(entry(i))
	}
	tbs.Write(exts)
	sig, err := rsa.SignPKCS1v15(rand.Reader, caKey, crypto.SHA256, h.Sum(nil))
	if err != nil {
		tb.Fatal(err)
	}
	bw.Write(algID)
	bw.Write(tlvHeader(0x03, len(sig)+1))
	bw.Write([]byte{0})
	bw.Write(sig)
	if err := bw.Flush(); err != nil {
		tb.Fatal(err)
	}
}
