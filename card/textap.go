package card

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"fmt"
	"unicode/utf8"
)

// BasicInfo is the 基本4情報 of the text application (EF 0002). It is personal data:
// it formats as "[redacted]" with every fmt verb so that it cannot end up in a log by
// accident; read the fields to show them to their owner.
type BasicInfo struct {
	Name      string // 氏名: surname, U+3000, given name
	Address   string // 住所
	BirthDate string // 生年月日: YYYYMMDD (Gregorian)
	Sex       string // 性別: "1" male, "2" female, "9" not applicable

	// Integrity is the text application's integrity record (EF 0003), whose basic-info
	// hash matched this data.
	Integrity *TextIntegrity
}

// Format prints the value redacted.
func (BasicInfo) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte("[redacted basic info]")) }

// MyNumber is the 個人番号 (12 digits) of the text application (EF 0001). It may be used
// only for the procedures the My Number Act allows: it formats as "[redacted]" with
// every fmt verb; Digits returns the number.
type MyNumber struct {
	digits string
	// Integrity is the integrity record whose My Number hash matched.
	Integrity *TextIntegrity
}

// Digits returns the 12 digits.
func (n MyNumber) Digits() string { return n.digits }

// Format prints the value redacted.
func (MyNumber) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte("[redacted My Number]")) }

// TextIntegrity is the text application's integrity record (EF 0003): the SHA-256 of
// the My Number record (EF 0001's FF10 TLV) and of the basic-info record (EF 0002's
// FF20 TLV), and the issuer's RSASSA-PKCS1-v1_5 SHA-256 signature over those two
// hashes concatenated.
type TextIntegrity struct {
	MyNumberHash  [32]byte
	BasicInfoHash [32]byte
	Signature     []byte
}

// CheckSignature verifies the record's signature with the issuer's public key.
func (r *TextIntegrity) CheckSignature(issuer *rsa.PublicKey) error {
	h := sha256.Sum256(append(append([]byte(nil), r.MyNumberHash[:]...), r.BasicInfoHash[:]...))
	if err := rsa.VerifyPKCS1v15(issuer, crypto.SHA256, h[:], r.Signature); err != nil {
		return fmt.Errorf("%w: the issuer's signature does not verify", ErrIntegrity)
	}
	return nil
}

// ReadBasicInfo reads the four basic facts (name, address, birth date, sex) from the
// text application with its 4-digit PIN. The PIN is handled as by VerifySignPIN:
// validated, one VERIFY at most, never retried, the last try only with AllowLastTry,
// cleared before return. The data is checked against the integrity record.
//
// It selects the text application, which ends a verified signature password; when
// done it selects the JPKI application again, so the text PIN does not stay verified.
func (s *Session) ReadBasicInfo(pin []byte, opts ...VerifyOption) (*BasicInfo, error) {
	var info *BasicInfo
	err := s.readText(pin, opts, "reading the basic information", func(rec []byte, integ *TextIntegrity) error {
		if sha256.Sum256(rec) != integ.BasicInfoHash {
			return fmt.Errorf("%w: basic information", ErrIntegrity)
		}
		var err error
		if info, err = ParseBasicInfo(rec); err != nil {
			return err
		}
		info.Integrity = integ
		return nil
	}, efTextBasic)
	return info, err
}

// ReadMyNumber reads the My Number from the text application, with the same PIN
// handling as ReadBasicInfo. Only call it when the user asked for exactly that.
func (s *Session) ReadMyNumber(pin []byte, opts ...VerifyOption) (MyNumber, error) {
	var n MyNumber
	err := s.readText(pin, opts, "reading the My Number", func(rec []byte, integ *TextIntegrity) error {
		if sha256.Sum256(rec) != integ.MyNumberHash {
			return fmt.Errorf("%w: My Number", ErrIntegrity)
		}
		var err error
		if n, err = ParseMyNumber(rec); err != nil {
			return err
		}
		n.Integrity = integ
		return nil
	}, efTextMyNumber)
	return n, err
}

func (s *Session) readText(pin []byte, opts []VerifyOption, op string, use func(rec []byte, integ *TextIntegrity) error, fid uint16) error {
	defer clear(pin)
	norm, err := NormalizePIN(TextPIN, pin)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	defer clear(norm)
	return s.do(op, func(s *Session) error {
		if err := s.verifyLocked(TextPIN, norm, opts); err != nil {
			return err
		}
		rec, err := s.readTLVFile(appText, fid)
		if err == nil {
			var raw []byte
			if raw, err = s.readTLVFile(appText, efTextIntegrity); err == nil {
				var integ *TextIntegrity
				if integ, err = ParseTextIntegrity(raw); err == nil {
					err = use(rec, integ)
				}
			}
			clear(rec)
		}
		// Leave the text application so that its PIN does not stay verified.
		if _, selErr := s.selectApp(appJPKI, true); err == nil && selErr != nil {
			err = selErr
		}
		return err
	})
}

// ParseMyNumber parses EF 0001 of the text application: FF 10 0C and 12 ASCII digits
// (padding after the TLV is ignored).
func ParseMyNumber(b []byte) (MyNumber, error) {
	tag, l, h, err := tlvHeader(b)
	if err != nil || tag != 0xFF10 || h+l > len(b) {
		return MyNumber{}, &ProtocolError{Op: "My Number record", Detail: "not an FF10 TLV"}
	}
	v := b[h : h+l]
	if len(v) != 12 {
		return MyNumber{}, &ProtocolError{Op: "My Number record", Detail: fmt.Sprintf("%d digits instead of 12", len(v))}
	}
	for _, c := range v {
		if c < '0' || c > '9' {
			return MyNumber{}, &ProtocolError{Op: "My Number record", Detail: "not all digits"}
		}
	}
	return MyNumber{digits: string(v)}, nil
}

// ParseBasicInfo parses EF 0002 of the text application: FF 20 { DF21 offsets, DF22
// name, DF23 address, DF24 birth date, DF25 sex } (padding after it is ignored). The
// fields are found by tag; the offsets in DF21 must, when present, point at them.
func ParseBasicInfo(b []byte) (*BasicInfo, error) {
	bad := func(detail string) (*BasicInfo, error) {
		return nil, &ProtocolError{Op: "basic information record", Detail: detail}
	}
	tag, l, h, err := tlvHeader(b)
	if err != nil || tag != 0xFF20 || h+l > len(b) {
		return bad("not an FF20 TLV")
	}
	items, err := tlvSplit(b[h : h+l])
	if err != nil {
		return bad("malformed TLV inside")
	}
	var info BasicInfo
	var offsets []byte
	seen := map[uint32]int{}
	pos := h
	for _, it := range items {
		seen[it.tag] = pos
		pos += len(it.raw)
		switch it.tag {
		case 0xDF21:
			offsets = it.value
		case 0xDF22:
			info.Name = string(it.value)
		case 0xDF23:
			info.Address = string(it.value)
		case 0xDF24:
			info.BirthDate = string(it.value)
		case 0xDF25:
			info.Sex = string(it.value)
		}
	}
	for _, t := range []uint32{0xDF22, 0xDF23, 0xDF24, 0xDF25} {
		if _, ok := seen[t]; !ok {
			return bad(fmt.Sprintf("tag %X missing", t))
		}
	}
	if offsets != nil {
		if len(offsets) != 8 {
			return bad("DF21 is not four 16-bit offsets")
		}
		for i, t := range []uint32{0xDF22, 0xDF23, 0xDF24, 0xDF25} {
			if int(offsets[2*i])<<8|int(offsets[2*i+1]) != seen[t] {
				return bad("DF21 offsets do not match the fields")
			}
		}
	}
	if !utf8.ValidString(info.Name) || !utf8.ValidString(info.Address) {
		return bad("name or address is not UTF-8")
	}
	if len(info.BirthDate) != 8 || !allDigits(info.BirthDate) {
		return bad("birth date is not YYYYMMDD")
	}
	if len(info.Sex) != 1 {
		return bad("sex is not one character")
	}
	return &info, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ParseTextIntegrity parses EF 0003 of the text application: FF 30 { DF31 32-byte
// hash, DF32 32-byte hash, DF33 signature }.
func ParseTextIntegrity(b []byte) (*TextIntegrity, error) {
	bad := func(detail string) (*TextIntegrity, error) {
		return nil, &ProtocolError{Op: "integrity record", Detail: detail}
	}
	tag, l, h, err := tlvHeader(b)
	if err != nil || tag != 0xFF30 || h+l > len(b) {
		return bad("not an FF30 TLV")
	}
	items, err := tlvSplit(b[h : h+l])
	if err != nil {
		return bad("malformed TLV inside")
	}
	var r TextIntegrity
	var got int
	for _, it := range items {
		switch it.tag {
		case 0xDF31, 0xDF32:
			if len(it.value) != 32 {
				return bad("hash is not 32 bytes")
			}
			if it.tag == 0xDF31 {
				copy(r.MyNumberHash[:], it.value)
			} else {
				copy(r.BasicInfoHash[:], it.value)
			}
			got |= 1 << (it.tag - 0xDF31)
		case 0xDF33:
			if len(it.value) == 0 {
				return bad("empty signature")
			}
			r.Signature = bytes.Clone(it.value)
			got |= 4
		}
	}
	if got != 7 {
		return bad("a hash or the signature is missing")
	}
	return &r, nil
}
