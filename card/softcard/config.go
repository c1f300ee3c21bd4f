package softcard

import (
	"crypto/rsa"
	"crypto/x509"
)

// Config is what is on a software card. SignCert, SignKey and SignPassword together
// make the signature certificate, key and password; leave SignCert nil for a card
// without them (a child's card: the three EFs are then absent).
type Config struct {
	SignCert   *x509.Certificate
	SignKey    *rsa.PrivateKey
	SignCACert *x509.Certificate
	AuthCert   *x509.Certificate
	AuthKey    *rsa.PrivateKey
	AuthCACert *x509.Certificate

	// The secrets, as the card compares them (uppercase ASCII, digits).
	SignPassword, AuthPIN, TextPIN string
	// Failed tries already counted against each secret (0: all tries left; the
	// counters are 5, 3 and 3, so SignFailures 5 makes a blocked signature password).
	SignFailures, AuthFailures, TextFailures int

	// MyNumber (12 ASCII digits) and Basic fill the text application; TextIssuerKey
	// signs its integrity record (EF 0003).
	MyNumber      string
	Basic         BasicInfo
	TextIssuerKey *rsa.PrivateKey

	// TokenLabel is written at the start of EF 0006 (default "JPKIAPICCTOKEN2", the My
	// Number Card). "JPKIAPICCTOKEN" makes an old Basic Resident Register card,
	// "JPKIAPGPSETOKEN" / "JPKIAPIOSTOKEN" a smartphone token.
	TokenLabel string
	// NoJPKI makes a card without the JPKI application (SELECT of its AID fails).
	NoJPKI bool

	Quirks Quirks
	// LogSize is how many APDU log entries are kept (the newest); default 4096.
	LogSize int
}

// BasicInfo is the 基本4情報 of the text application's EF 0002.
type BasicInfo struct {
	Name      string // UTF-8, surname U+3000 given name
	Address   string // UTF-8
	BirthDate string // YYYYMMDD
	Sex       string // "1" male, "2" female, "9" not applicable
}

// Quirks switch on behaviours that real cards or readers may show and that clients must
// tolerate. The zero value is the reference behaviour of docs/jpki-card.md.
type Quirks struct {
	// GetResponse answers 61xx instead of data and hands the data out through GET
	// RESPONSE, as T=0 cards do.
	GetResponse bool
	// WrongLe answers 6Cxx (xx = bytes left) to a READ BINARY that asks for more than
	// is left, instead of a short read.
	WrongLe bool
	// BlockedAs6983 reports a blocked PIN with 6983 instead of 6984.
	BlockedAs6983 bool
	// EmptyVerifyAfterSuccess63Cx makes the empty VERIFY of a verified PIN answer 63Cx
	// (x = the full counter) instead of 9000.
	EmptyVerifyAfterSuccess63Cx bool
	// CertPadding appends that many 0xFF bytes after each certificate in its EF, as on
	// cards whose certificate files have a fixed size.
	CertPadding int
}
