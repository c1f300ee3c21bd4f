package trust

import "time"

// IDCheckMode is what the clerk checks with the card (本人確認 at a counter).
type IDCheckMode string

// The modes of an identity check.
const (
	// IDCheckIdentity (本人確認): this card, held by its owner, is here; optionally with
	// the four basic facts.
	IDCheckIdentity IDCheckMode = "identity"
	// IDCheckAge (年齢確認): only whether the holder is at least a threshold age.
	IDCheckAge IDCheckMode = "age"
	// IDCheckAddress (住所確認): only whether the address starts with the clerk's prefix.
	IDCheckAddress IDCheckMode = "address"
)

// IDCheckOutcome is the bottom line of an identity check.
type IDCheckOutcome string

// The outcomes: confirmed only when every step passed.
const (
	IDConfirmed    IDCheckOutcome = "confirmed"     // 確認できました
	IDNotConfirmed IDCheckOutcome = "not-confirmed" // 確認できません
)

// IDCheckReport is the result of one identity check: what was checked, when, against
// which CRL, and the outcome. It holds personal data only in BasicInfo, which is filled
// only in identity mode when the clerk chose to read the four facts; the birth date is
// never in it in age mode, the address never in address mode. It never holds a PIN or the
// My Number.
type IDCheckReport struct {
	Mode    IDCheckMode    `json:"mode"`
	Outcome IDCheckOutcome `json:"outcome"`
	// Summary is the plain-language result; Reasons say why it is not confirmed.
	Summary Message   `json:"summary"`
	Reasons []Message `json:"reasons,omitempty"`
	// CheckedAt is when the check ran; TrustStore names the trust store.
	CheckedAt  time.Time `json:"checkedAt"`
	TrustStore string    `json:"trustStore"`
	// Test is true for the software test card (not a real person).
	Test bool `json:"test,omitempty"`
	// Certificate is the authentication certificate as checked (no personal data in it).
	Certificate *AuthCertificateInfo `json:"certificate,omitempty"`
	// Revocation is its revocation status and the CRL it comes from.
	Revocation *RevocationInfo `json:"revocation,omitempty"`
	// ChallengeResponse is true when the card signed this check's fresh challenge with the
	// key of that certificate.
	ChallengeResponse bool `json:"challengeResponse"`
	// Checks lists the steps carried out, in order; Warnings what the clerk should know.
	Checks   []Check   `json:"checks"`
	Warnings []Message `json:"warnings,omitempty"`

	Age       *AgeResult       `json:"age,omitempty"`
	Address   *AddressResult   `json:"address,omitempty"`
	BasicInfo *BasicFacts      `json:"basicInfo,omitempty"`
	TextAP    *TextAPIntegrity `json:"textAP,omitempty"`
}

// AuthCertificateInfo names the authentication certificate in a report.
type AuthCertificateInfo struct {
	// SerialSHA256 is the SHA-256 of the serial number (SerialSHA256), the card's
	// identifier in records; CardID its first 8 hex digits.
	SerialSHA256 string    `json:"serialSha256"`
	CardID       string    `json:"cardId"`
	Issuer       string    `json:"issuer"`
	Generation   string    `json:"generation,omitempty"`
	NotBefore    time.Time `json:"notBefore"`
	NotAfter     time.Time `json:"notAfter"`
	SHA256       string    `json:"sha256"`
}

// AgeResult is the answer of age mode: at least Threshold years old, or not confirmed
// (too young, or no usable birth date: the two are not told apart).
type AgeResult struct {
	Threshold int  `json:"threshold"`
	Over      bool `json:"over"`
}

// AddressResult is the answer of address mode: whether the address starts with Prefix
// (compared after Unicode NFKC normalization and with spaces removed).
type AddressResult struct {
	Prefix string `json:"prefix"`
	Match  bool   `json:"match"`
}

// BasicFacts are the four basic facts (基本4情報) read from the card's text
// application, in an identity check whose clerk chose to show them. Personal data.
type BasicFacts struct {
	Name      string `json:"name"`
	Address   string `json:"address"`
	BirthDate string `json:"birthDate"` // YYYY-MM-DD
	Sex       string `json:"sex"`       // "1" male, "2" female, "9" not applicable
}

// TextAPIntegrity is what the check says about the text application's integrity record
// (EF 0003).
type TextAPIntegrity struct {
	// Consistent: the SHA-256 in the record matches the data read.
	Consistent bool `json:"consistent"`
	// IssuerSignature: "verified", "failed", or "not-verified" (no issuer key configured:
	// the issuer's signature cannot be verified offline).
	IssuerSignature string `json:"issuerSignature"`
}

// The steps of an identity check beyond the certificate checks.
const (
	// CheckChallengeResponse: the card signed this check's fresh challenge with the key of
	// its authentication certificate.
	CheckChallengeResponse CheckName = "challenge-response"
	// CheckTextIntegrity: the four facts match the text application's integrity record.
	CheckTextIntegrity CheckName = "text-ap-integrity"
)
