package card

import "errors"

// errTLV is a malformed BER-TLV header.
var errTLV = errors.New("malformed TLV")

// tlvHeader parses a BER-TLV tag and definite length at the start of b. It returns the
// tag (up to three bytes, big-endian), the value length and the header length. It works
// on a prefix: the value itself need not be in b yet.
func tlvHeader(b []byte) (tag uint32, length, header int, err error) {
	if len(b) < 2 {
		return 0, 0, 0, errTLV
	}
	i := 0
	tag = uint32(b[0])
	i++
	if b[0]&0x1F == 0x1F { // multi-byte tag
		for {
			if i >= len(b) || i > 3 {
				return 0, 0, 0, errTLV
			}
			tag = tag<<8 | uint32(b[i])
			i++
			if b[i-1]&0x80 == 0 {
				break
			}
		}
	}
	if i >= len(b) {
		return 0, 0, 0, errTLV
	}
	l := b[i]
	i++
	switch {
	case l < 0x80:
		return tag, int(l), i, nil
	case l == 0x81:
		if i+1 > len(b) {
			return 0, 0, 0, errTLV
		}
		return tag, int(b[i]), i + 1, nil
	case l == 0x82:
		if i+2 > len(b) {
			return 0, 0, 0, errTLV
		}
		return tag, int(b[i])<<8 | int(b[i+1]), i + 2, nil
	case l == 0x83:
		if i+3 > len(b) {
			return 0, 0, 0, errTLV
		}
		return tag, int(b[i])<<16 | int(b[i+1])<<8 | int(b[i+2]), i + 3, nil
	}
	return 0, 0, 0, errTLV // indefinite or over-long length
}

// tlvItem is one TLV of a sequence.
type tlvItem struct {
	tag   uint32
	value []byte
	raw   []byte // header and value
}

// tlvSplit splits b into consecutive TLVs; it fails on anything left over that is not a
// whole TLV.
func tlvSplit(b []byte) ([]tlvItem, error) {
	var items []tlvItem
	for len(b) > 0 {
		tag, l, h, err := tlvHeader(b)
		if err != nil {
			return nil, err
		}
		if h+l > len(b) {
			return nil, errTLV
		}
		items = append(items, tlvItem{tag: tag, value: b[h : h+l], raw: b[:h+l]})
		b = b[h+l:]
	}
	return items, nil
}
