package card

import "unicode/utf8"

// PINKind names one of the card's secrets.
type PINKind int

// The secrets of the My Number Card.
const (
	// SignPassword is the 署名用パスワード: 6–16 of A–Z and 0–9, with at least one
	// letter and one digit; 5 tries. It unlocks the signature key and certificate.
	SignPassword PINKind = iota + 1
	// AuthPIN is the 利用者証明用パスワード: 4 digits, 3 tries.
	AuthPIN
	// TextPIN is the 券面事項入力補助用暗証番号 of the text application: 4 digits,
	// 3 tries. It unlocks the My Number and the four basic facts.
	TextPIN
)

// String describes the PINKind in English (for logs and errors).
func (k PINKind) String() string {
	switch k {
	case SignPassword:
		return "signature password"
	case AuthPIN:
		return "authentication PIN"
	case TextPIN:
		return "text application PIN"
	}
	return "unknown PIN"
}

// Rule describes the format of the PIN (English; the app shows translated text).
func (k PINKind) Rule() string {
	if k == SignPassword {
		return "6 to 16 letters A-Z and digits 0-9, at least one of each"
	}
	return "4 digits"
}

// MaxTries is the try counter of the PIN when it is not blocked: 5 for the signature
// password, 3 for the others.
func (k PINKind) MaxTries() int {
	if k == SignPassword {
		return 5
	}
	return 3
}

// NormalizePIN turns what the user typed into what the card expects and checks its
// format: full-width letters and digits become half-width, lowercase becomes
// uppercase. It returns a new slice (clear it after use) and leaves input untouched;
// a malformed PIN gives *InvalidPIN and no slice. Error texts never contain the PIN.
func NormalizePIN(kind PINKind, input []byte) ([]byte, error) {
	if kind != SignPassword && kind != AuthPIN && kind != TextPIN {
		return nil, &InvalidPIN{Kind: kind, Problem: PINCharacters}
	}
	out := make([]byte, 0, 16)
	fail := func(p PINProblem) ([]byte, error) {
		clear(out[:cap(out)])
		return nil, &InvalidPIN{Kind: kind, Problem: p}
	}
	maxLen := 4
	if kind == SignPassword {
		maxLen = 16
	}
	letter, digit := false, false
	for i := 0; i < len(input); {
		r, size := utf8.DecodeRune(input[i:])
		i += size
		if r >= 0xFF01 && r <= 0xFF5E { // full-width ASCII block
			r -= 0xFEE0
		}
		if r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		switch {
		case r >= '0' && r <= '9':
			digit = true
		case r >= 'A' && r <= 'Z' && kind == SignPassword:
			letter = true
		default:
			return fail(PINCharacters)
		}
		if len(out) == maxLen {
			return fail(PINLength)
		}
		out = append(out, byte(r))
	}
	switch {
	case len(out) == 0:
		return fail(PINEmpty)
	case kind == SignPassword && len(out) < 6, kind != SignPassword && len(out) != 4:
		return fail(PINLength)
	case kind == SignPassword && !(letter && digit):
		return fail(PINLetterAndDigit)
	}
	return out, nil
}

// VerifyOption changes how a Verify call treats the PIN.
type VerifyOption int

const (
	// AllowLastTry lets a Verify call send the PIN when only one try is left. Without
	// it the call returns *LastTry and sends nothing: the app must first tell the user
	// what blocking means and get an explicit confirmation.
	AllowLastTry VerifyOption = iota + 1
)

func hasOption(opts []VerifyOption, o VerifyOption) bool {
	for _, x := range opts {
		if x == o {
			return true
		}
	}
	return false
}

// PINStatus is what the card says about a PIN without spending a try.
type PINStatus struct {
	Kind PINKind
	// Left is the number of tries left (0 when blocked).
	Left int
	// Max is the counter's value after a success (5 or 3).
	Max int
	// Blocked is true when no try is left.
	Blocked bool
	// Verified is true when the card answered that the PIN is currently verified (some
	// cards answer 9000 to the empty VERIFY then); Left is then Max.
	Verified bool
}
