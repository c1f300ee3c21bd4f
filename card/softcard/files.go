package softcard

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"fmt"
)

// Application identifiers (docs/jpki-card.md §1).
var (
	AIDJPKI   = []byte{0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01}
	AIDText   = []byte{0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08}
	AIDVisual = []byte{0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x02}
	AIDJuki   = []byte{0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x01}
)

// ATR is the answer to reset of the My Number Card (T=1, no historical bytes).
var ATR = []byte{0x3B, 0xE0, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x45, 0x14}

// Labels of EF 0006.
const (
	LabelMyNumberCard = "JPKIAPICCTOKEN2"
	LabelJukiCard     = "JPKIAPICCTOKEN"
)

type efKind int

const (
	efData efKind = iota
	efKey
	efPIN
)

// ef is one elementary file. Every FID of both applications is below 0x1F, so the FID
// doubles as the short file identifier.
type ef struct {
	fid  uint16
	kind efKind
	data []byte
	// readPIN must be verified to read a data EF, or to use a key EF.
	readPIN *pinState
	key     *rsa.PrivateKey
	pin     *pinState
}

type application struct {
	name string
	aid  []byte
	efs  map[uint16]*ef
}

func (a *application) add(e *ef) { a.efs[e.fid] = e }

// pinState is a secret with its try counter. The counter survives resets, as on a real
// card.
type pinState struct {
	name      string
	value     []byte
	max, left int
	digits4   bool // 4 digits (else the 6–16 letters-and-digits signature password)
}

// validFormat reports whether v is a well-formed value for this secret (used by CHANGE
// REFERENCE DATA).
func (p *pinState) validFormat(v []byte) bool {
	if p.digits4 {
		if len(v) != 4 {
			return false
		}
		for _, c := range v {
			if c < '0' || c > '9' {
				return false
			}
		}
		return true
	}
	if len(v) < 6 || len(v) > 16 {
		return false
	}
	letter, digit := false, false
	for _, c := range v {
		switch {
		case c >= '0' && c <= '9':
			digit = true
		case c >= 'A' && c <= 'Z':
			letter = true
		default:
			return false
		}
	}
	return letter && digit
}

// tokenInfo builds EF 0006: 160 bytes, the label space-padded to 32, then zeros.
func tokenInfo(label string) []byte {
	b := make([]byte, 160)
	copy(b, bytes.Repeat([]byte{' '}, 32))
	copy(b, label)
	return b
}

// tlv encodes one BER-TLV with a tag of one or two bytes and a definite length.
func tlv(tag uint16, value []byte) []byte {
	var out []byte
	if tag > 0xFF {
		out = append(out, byte(tag>>8))
	}
	out = append(out, byte(tag))
	switch l := len(value); {
	case l < 0x80:
		out = append(out, byte(l))
	case l <= 0xFF:
		out = append(out, 0x81, byte(l))
	default:
		out = append(out, 0x82, byte(l>>8), byte(l))
	}
	return append(out, value...)
}

// MyNumberFile builds text-AP EF 0001: FF 10 0C, the 12 digits, FF FF (17 bytes).
func MyNumberFile(myNumber string) ([]byte, error) {
	if len(myNumber) != 12 {
		return nil, fmt.Errorf("softcard: My Number must have 12 digits")
	}
	for i := 0; i < len(myNumber); i++ {
		if myNumber[i] < '0' || myNumber[i] > '9' {
			return nil, fmt.Errorf("softcard: My Number must have 12 digits")
		}
	}
	return append(tlv(0xFF10, []byte(myNumber)), 0xFF, 0xFF), nil
}

// BasicInfoFile builds text-AP EF 0002: FF 20 <len> { DF21 08 <four 16-bit offsets of
// the DF22..DF25 tags from the start of the file>, DF22 name, DF23 address, DF24 birth
// date, DF25 sex }.
func BasicInfoFile(b BasicInfo) ([]byte, error) {
	if len(b.BirthDate) != 8 || len(b.Sex) != 1 {
		return nil, fmt.Errorf("softcard: birth date must be YYYYMMDD and sex one character")
	}
	fields := [][]byte{
		tlv(0xDF22, []byte(b.Name)),
		tlv(0xDF23, []byte(b.Address)),
		tlv(0xDF24, []byte(b.BirthDate)),
		tlv(0xDF25, []byte(b.Sex)),
	}
	bodyLen := 3 + 8 // the DF21 TLV
	for _, f := range fields {
		bodyLen += len(f)
	}
	header := len(tlv(0xFF20, make([]byte, bodyLen))) - bodyLen
	offsets := make([]byte, 0, 8)
	pos := header + 3 + 8
	for _, f := range fields {
		offsets = append(offsets, byte(pos>>8), byte(pos))
		pos += len(f)
	}
	body := tlv(0xDF21, offsets)
	for _, f := range fields {
		body = append(body, f...)
	}
	return tlv(0xFF20, body), nil
}

// IntegrityFile builds text-AP EF 0003 (336 bytes): FF 30 82 01 4B { DF31 20
// SHA-256(EF 0001's FF10 TLV), DF32 20 SHA-256(EF 0002's FF20 TLV), DF33 82 01 00
// <RSASSA-PKCS1-v1_5 SHA-256 signature by the issuer over the two hashes, concatenated>}.
func IntegrityFile(myNumberFile, basicFile []byte, issuer *rsa.PrivateKey) ([]byte, error) {
	if issuer == nil || issuer.Size() != 256 {
		return nil, fmt.Errorf("softcard: the text-AP issuer key must be RSA-2048")
	}
	mn := sha256.Sum256(trimTLV(myNumberFile))
	basic := sha256.Sum256(trimTLV(basicFile))
	signed := sha256.Sum256(append(mn[:], basic[:]...))
	sig, err := rsa.SignPKCS1v15(rand.Reader, issuer, crypto.SHA256, signed[:])
	if err != nil {
		return nil, fmt.Errorf("softcard: signing the integrity record: %w", err)
	}
	body := append(tlv(0xDF31, mn[:]), tlv(0xDF32, basic[:])...)
	body = append(body, tlv(0xDF33, sig)...)
	return tlv(0xFF30, body), nil
}

// trimTLV returns the two-byte-tag TLV at the start of b without what follows it.
func trimTLV(b []byte) []byte {
	if len(b) < 3 {
		return b
	}
	l, h := int(b[2]), 3
	switch {
	case b[2] == 0x81 && len(b) >= 4:
		l, h = int(b[3]), 4
	case b[2] == 0x82 && len(b) >= 5:
		l, h = int(b[3])<<8|int(b[4]), 5
	}
	if h+l > len(b) {
		return b
	}
	return b[:h+l]
}
