package card

import "strings"

// Kind is what Open found in the reader.
type Kind int

// The kinds of card Open tells apart.
const (
	// KindNotJPKI: no JPKI application (some other card).
	KindNotJPKI Kind = iota + 1
	// KindMyNumberCard: a My Number Card (token label JPKIAPICCTOKEN2).
	KindMyNumberCard
	// KindJukiCard: the older Basic Resident Register card (住基カード, label
	// JPKIAPICCTOKEN); its certificates have all expired and it is not supported.
	KindJukiCard
	// KindSmartphoneToken: the JPKI function of a smartphone (JPKIAPGPSETOKEN,
	// JPKIAPIOSTOKEN) seen through a reader; not supported.
	KindSmartphoneToken
	// KindUnknownJPKI: a JPKI application with an unknown token label.
	KindUnknownJPKI
)

// JPKI token labels (the first 32 bytes of EF 0006, space-padded).
const (
	LabelMyNumberCard      = "JPKIAPICCTOKEN2"
	LabelJukiCard          = "JPKIAPICCTOKEN"
	LabelSmartphoneAndroid = "JPKIAPGPSETOKEN"
	LabelSmartphoneIOS     = "JPKIAPIOSTOKEN"
)

// String describes the Kind in English (for logs and errors).
func (k Kind) String() string {
	switch k {
	case KindNotJPKI:
		return "not a JPKI card"
	case KindMyNumberCard:
		return "My Number Card"
	case KindJukiCard:
		return "Basic Resident Register card"
	case KindSmartphoneToken:
		return "smartphone JPKI token"
	case KindUnknownJPKI:
		return "unknown JPKI token"
	}
	return "unidentified"
}

// ID is a stable short name for scripts and JSON: "mynumber", "juki", "smartphone",
// "unknown-jpki", "not-jpki".
func (k Kind) ID() string {
	switch k {
	case KindNotJPKI:
		return "not-jpki"
	case KindMyNumberCard:
		return "mynumber"
	case KindJukiCard:
		return "juki"
	case KindSmartphoneToken:
		return "smartphone"
	case KindUnknownJPKI:
		return "unknown-jpki"
	}
	return "unknown"
}

// MarshalText writes the ID.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.ID()), nil }

// kindFromLabel maps a token label to a kind.
func kindFromLabel(label string) Kind {
	switch label {
	case LabelMyNumberCard:
		return KindMyNumberCard
	case LabelJukiCard:
		return KindJukiCard
	case LabelSmartphoneAndroid, LabelSmartphoneIOS:
		return KindSmartphoneToken
	}
	return KindUnknownJPKI
}

// parseLabel extracts the token label from the start of EF 0006: up to 32 bytes,
// padding (spaces, NULs) trimmed, anything but printable ASCII replaced by '?'.
func parseLabel(b []byte) string {
	if len(b) > 32 {
		b = b[:32]
	}
	s := []byte(strings.TrimRight(string(b), " \x00\xFF"))
	for i, c := range s {
		if c < 0x20 || c > 0x7E {
			s[i] = '?'
		}
	}
	return string(s)
}

// identify selects the JPKI application and reads the token label. The caller holds
// the session lock and a transaction.
func (s *Session) identify() error {
	s.app = appUnknown
	resp, err := s.selectApp(appJPKI, true)
	if err != nil {
		return err
	}
	if resp.SW != SWOK {
		s.kind = KindNotJPKI
		return nil
	}
	data, err := s.readPrefix(appJPKI, efTokenInfo, 32)
	if err != nil {
		var se *StatusError
		if asStatus(err, &se) {
			s.kind = KindUnknownJPKI
			return nil
		}
		return err
	}
	s.label = parseLabel(data)
	s.kind = kindFromLabel(s.label)
	return nil
}
