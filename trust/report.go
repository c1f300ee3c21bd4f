package trust

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Indication is the main status of a validation, in the vocabulary of ETSI EN 319 102-1.
type Indication string

// The three indications of ETSI EN 319 102-1.
const (
	TotalPassed   Indication = "TOTAL-PASSED"
	TotalFailed   Indication = "TOTAL-FAILED"
	Indeterminate Indication = "INDETERMINATE"
)

// SubIndication refines TOTAL-FAILED and INDETERMINATE (ETSI EN 319 102-1 §5.1.3).
type SubIndication string

// Sub-indications used by mynasign. The empty value goes with TOTAL-PASSED.
const (
	// TOTAL-FAILED
	HashFailure      SubIndication = "HASH_FAILURE"       // the signed content changed
	SigCryptoFailure SubIndication = "SIG_CRYPTO_FAILURE" // the signature value does not verify
	Revoked          SubIndication = "REVOKED"            // the signer certificate was revoked before the validation time
	FormatFailure    SubIndication = "FORMAT_FAILURE"     // malformed structure, bad ByteRange, non-permitted change after signing
	NotYetValid      SubIndication = "NOT_YET_VALID"      // signed before the certificate's validity began

	// INDETERMINATE. FORMAT_FAILURE also goes with INDETERMINATE for a signature format
	// that is recognized but not supported (an unknown PDF SubFilter, for example).
	NoCertificateChainFound        SubIndication = "NO_CERTIFICATE_CHAIN_FOUND"        // no path to a trusted anchor: identity unknown
	TryLater                       SubIndication = "TRY_LATER"                         // no fresh revocation data (CRL missing or stale)
	RevocationOutOfBounds          SubIndication = "REVOCATION_OUT_OF_BOUNDS"          // the revocation data does not cover the needed time
	OutOfBoundsNoPOE               SubIndication = "OUT_OF_BOUNDS_NO_POE"              // certificate expired, no proof of existence
	SignedDataNotFound             SubIndication = "SIGNED_DATA_NOT_FOUND"             // what the signature refers to cannot be found
	ChainConstraintsFailure        SubIndication = "CHAIN_CONSTRAINTS_FAILURE"         // the chain or the certificate breaks a constraint (e.g. an authentication certificate used to sign a document)
	CryptoConstraintsFailure       SubIndication = "CRYPTO_CONSTRAINTS_FAILURE"        // an algorithm or key size that is not accepted
	NoSigningCertificateFound      SubIndication = "NO_SIGNING_CERTIFICATE_FOUND"      // the signer certificate is not in the signature
	SigConstraintsFailure          SubIndication = "SIG_CONSTRAINTS_FAILURE"           // the signature breaks a constraint of the profile
	CertificateChainGeneralFailure SubIndication = "CERTIFICATE_CHAIN_GENERAL_FAILURE" // the chain could not be processed
	RevokedNoPOE                   SubIndication = "REVOKED_NO_POE"                    // revoked, and the signature cannot be proved to predate the revocation
	RevokedCANoPOE                 SubIndication = "REVOKED_CA_NO_POE"                 // a CA certificate of the path was revoked, and the signature cannot be proved to predate it
)

// Coverage says how much of a document a signature covers.
type Coverage string

// Coverage values (the JSON encoding).
const (
	CoverageWhole    Coverage = "whole"    // the whole document as it is now
	CoverageRevision Coverage = "revision" // exactly the revision it was made in; later revisions follow
	CoveragePartial  Coverage = "partial"  // anything else: part of a revision, an unclear byte range, some XML only
)

// ChangeLevel classifies what happened to a document after a signature was made.
type ChangeLevel string

// ChangeLevel values (the JSON encoding).
const (
	ChangesNone         ChangeLevel = "none"
	ChangesPermitted    ChangeLevel = "permitted"     // later signatures, DSS, document timestamps, form filling
	ChangesNotPermitted ChangeLevel = "not-permitted" // anything that can change what the signer saw
)

// CertKind is what a certificate is, for a JPKI verifier.
type CertKind string

// CertKind values (the JSON encoding).
const (
	KindSignature      CertKind = "signature"      // a JPKI signature certificate (署名用電子証明書)
	KindAuthentication CertKind = "authentication" // a JPKI user-authentication certificate: not a document signer
	KindNotJPKI        CertKind = "not-jpki"       // anything else
)

// Message is a plain-language sentence for the user, as a translation key plus its
// arguments; the app resolves it in Japanese or English (app/i18n).
type Message struct {
	Key  string   `json:"key"`
	Args []string `json:"args,omitempty"`
}

// Check is one verification step that was carried out, with its outcome.
type Check struct {
	Name   CheckName `json:"name"` // a stable identifier: the Check… constants
	Passed bool      `json:"passed"`
	Detail Message   `json:"detail,omitempty"`
}

// Signer is the identity in a JPKI signature certificate's subjectAltName. It is personal
// data: the app masks it in lists and never logs it.
type Signer struct {
	Name               string `json:"name,omitempty"`
	NameSubstituted    bool   `json:"nameSubstituted,omitempty"` // some characters were replaced by substitutes
	Address            string `json:"address,omitempty"`
	AddressSubstituted bool   `json:"addressSubstituted,omitempty"`
	BirthDate          string `json:"birthDate,omitempty"` // YYYY-MM-DD
	BirthEra           string `json:"birthEra,omitempty"`  // meiji, taisho, showa, heisei, reiwa, unknown
	Sex                string `json:"sex,omitempty"`       // male, female, unknown
	// Subject is the certificate subject (for non-JPKI certificates the only identity).
	Subject string `json:"subject"`
	// Test is true when the certificate comes from the test PKI: "test certificate — not a real identity".
	Test bool `json:"test"`
}

// CertificateInfo describes the signer certificate.
type CertificateInfo struct {
	Kind       CertKind  `json:"kind"`
	Generation string    `json:"generation,omitempty"` // issuing CA generation: "2015", "2019", "2023", "test-2023", …
	Serial     string    `json:"serial"`               // hex
	Issuer     string    `json:"issuer"`
	NotBefore  time.Time `json:"notBefore"`
	NotAfter   time.Time `json:"notAfter"`
	SHA256     string    `json:"sha256"` // hex fingerprint
	Policies   []string  `json:"policies,omitempty"`
	Test       bool      `json:"test"`
	// Chain lists the path found, signer first, anchor last (subjects); empty when none.
	Chain []string `json:"chain,omitempty"`
	// Anchor is the trust anchor the path ended at; nil when no path was found.
	Anchor *AnchorInfo `json:"anchor,omitempty"`
	// KeyUsage lists the keyUsage bits by their RFC 5280 names ("digitalSignature",
	// "nonRepudiation", …); empty when the certificate has no keyUsage extension.
	KeyUsage []string `json:"keyUsage,omitempty"`
	// IssuerKeyID is the authority key identifier (hex) the certificate names, or, when it
	// names none, the subject key identifier of the anchor it chained to.
	IssuerKeyID string `json:"issuerKeyId,omitempty"`
	// CRLDistributionPoints lists the directory names (RFC 4514 strings) of the
	// certificate's cRLDistributionPoints: a JPKI signature certificate's CRL partition.
	CRLDistributionPoints []string `json:"crlDistributionPoints,omitempty"`
}

// AnchorSource says where a trust anchor comes from.
type AnchorSource string

// AnchorSource values (the JSON encoding).
const (
	AnchorBuiltin AnchorSource = "builtin" // embedded in the app: the J-LIS CAs (and the test CAs of the test store)
	AnchorUser    AnchorSource = "user"    // added by the user (mynasign trust add, 信頼する認証局)
)

// AnchorInfo names the trust anchor a certificate's path ended at.
type AnchorInfo struct {
	Source AnchorSource `json:"source"`
	Name   string       `json:"name"`
	SHA256 string       `json:"sha256"` // hex fingerprint of the anchor certificate
}

// RevocationStatus is the outcome of the revocation check.
type RevocationStatus string

// RevocationStatus values (the JSON encoding).
const (
	RevocationGood    RevocationStatus = "good"
	RevocationRevoked RevocationStatus = "revoked"
	RevocationUnknown RevocationStatus = "unknown" // no covering CRL, or only a stale one
)

// RevocationInfo describes the revocation check and the CRL it used.
type RevocationInfo struct {
	Status     RevocationStatus `json:"status"`
	CRLIssuer  string           `json:"crlIssuer,omitempty"`
	CRLScope   string           `json:"crlScope,omitempty"` // "whole" or the partition's distribution point name
	CRLNumber  string           `json:"crlNumber,omitempty"`
	CRLSHA256  string           `json:"crlSha256,omitempty"`
	ThisUpdate *time.Time       `json:"thisUpdate,omitempty"`
	NextUpdate *time.Time       `json:"nextUpdate,omitempty"`
	Fresh      bool             `json:"fresh"`
	// RevokedAt and Reason are set when Status is revoked. RevokedBeforeSigning compares
	// the revocation date with the claimed signing time (nil when there is none).
	RevokedAt            *time.Time `json:"revokedAt,omitempty"`
	Reason               string     `json:"reason,omitempty"` // RFC 5280 reason name, e.g. "affiliationChanged"
	RevokedBeforeSigning *bool      `json:"revokedBeforeSigning,omitempty"`
	// StaleSince is the nextUpdate of the newest covering CRL when it is past.
	StaleSince *time.Time `json:"staleSince,omitempty"`
	// CRLFile is the base name of the file the CRL was imported from ("(built-in test
	// CRL) …" for the test trust store's own CRLs).
	CRLFile string `json:"crlFile,omitempty"`
	// Builtin is true when the CRL is one of the test trust store's built-in CRLs.
	Builtin bool `json:"builtin,omitempty"`
	// Source is where the status came from: "store" (the local CRL store, or a built-in
	// test CRL), "embedded" (a CRL the signature or document carried, verified against
	// its issuer) or "ocsp" (an OCSP response it carried, verified likewise); empty when
	// no CRL or response covered the certificate.
	Source string `json:"source,omitempty"`
	// OCSPResponder names the OCSP responder certificate's subject when Source is "ocsp"
	// (the CA itself when the CA signed the response).
	OCSPResponder string `json:"ocspResponder,omitempty"`
}

// ChangedObject is one object changed in a later revision of a document.
type ChangedObject struct {
	Revision int     `json:"revision"` // 1-based revision number where the change appears
	Object   string  `json:"object"`   // e.g. "12 0 R (Page 1)", "/Root", "trailer"
	Change   string  `json:"change"`   // e.g. "modified", "added", "removed"
	Why      Message `json:"why"`      // why it is (not) permitted
}

// Changes summarizes what happened after a signature was made.
type Changes struct {
	Level   ChangeLevel     `json:"level"`
	Objects []ChangedObject `json:"objects,omitempty"`
}

// SignatureReport is the validation result of one signature.
type SignatureReport struct {
	ID     string `json:"id"`     // PDF field name or XML Signature Id
	Format string `json:"format"` // e.g. "PAdES-B-B", "adbe.pkcs7.detached", "XAdES-B-B", "XMLDSig", "e-Gov"
	// Countersigns is the id of the signature this one countersigns (an XAdES
	// counter-signature signs that signature's value, not the document); empty otherwise.
	Countersigns string `json:"countersigns,omitempty"`

	Indication    Indication    `json:"indication"`
	SubIndication SubIndication `json:"subIndication,omitempty"`
	Summary       Message       `json:"summary"` // the plain-language sentence

	// Intact: the signed bytes verify against the signature value. False means only
	// "not established"; Integrity tells a proven failure from one not evaluated, and
	// the JSON writes "intact" as true, false (proven) or not at all.
	Intact              bool       `json:"intact"`
	Coverage            Coverage   `json:"coverage"`
	SignedContent       string     `json:"signedContent,omitempty"` // what was signed (byte ranges, revision; or the XML element / files)
	ChangesAfterSigning Changes    `json:"changesAfterSigning"`
	ClaimedSigningTime  *time.Time `json:"claimedSigningTime,omitempty"`
	// SignerClaims are what the signer wrote into a PDF signature (/Reason, /Location,
	// /ContactInfo): their own words, which nobody has verified.
	SignerClaims       *SignerClaims `json:"signerClaims,omitempty"`
	DigestAlgorithm    string        `json:"digestAlgorithm,omitempty"`
	SignatureAlgorithm string        `json:"signatureAlgorithm,omitempty"`

	Signer      *Signer          `json:"signer,omitempty"`
	Certificate *CertificateInfo `json:"certificate,omitempty"`
	Revocation  *RevocationInfo  `json:"revocation,omitempty"`

	ValidationTime time.Time `json:"validationTime"`
	// BestSignatureTime is the earliest time the signature is proven to have existed (a
	// trusted time-stamp over it); nil when there is none. A certificate revoked or
	// expired since is judged at this time (past signature validation).
	BestSignatureTime *time.Time `json:"bestSignatureTime,omitempty"`
	// Timestamps are the RFC 3161 time-stamps over this signature.
	Timestamps []TimestampReport `json:"timestamps,omitempty"`
	Checks     []Check           `json:"checks"`
	Warnings   []Message         `json:"warnings,omitempty"`
}

// TimestampReport is one RFC 3161 time-stamp over a signature (a CAdES or XAdES
// signature time-stamp): its time, its authority and its own indication. A time-stamp
// whose indication is TOTAL-PASSED is a proof of existence of the signature at Time.
type TimestampReport struct {
	Time          *time.Time    `json:"time,omitempty"`
	TSA           string        `json:"tsa,omitempty"` // the authority's certificate subject
	Indication    Indication    `json:"indication"`
	SubIndication SubIndication `json:"subIndication,omitempty"`
	Summary       Message       `json:"summary"`
	// Anchor is the trust anchor the authority's path ended at; nil when none.
	Anchor *AnchorInfo `json:"anchor,omitempty"`
}

// DocumentReport is the validation result of one file (a PDF, an XML file or an e-Gov
// folder/zip).
type DocumentReport struct {
	File   string `json:"file"`
	SHA256 string `json:"sha256"` // of the file as read (for a folder: of kousei.xml)
	Kind   string `json:"kind"`   // "pdf", "xml", "egov"

	// Indication is the document's bottom line: TOTAL-PASSED only when there is at least
	// one signature and every signature is TOTAL-PASSED.
	Indication    Indication    `json:"indication"`
	SubIndication SubIndication `json:"subIndication,omitempty"`
	Summary       Message       `json:"summary"`

	Signatures []SignatureReport `json:"signatures"`
	// Error is set when the file could not be read or parsed at all.
	Error *Message `json:"error,omitempty"`

	ValidationTime time.Time `json:"validationTime"`
	// TrustStore is "production" (the J-LIS anchors) or "test".
	TrustStore string `json:"trustStore"`
}

// SignerClaims are the signer's own words in a PDF signature dictionary, cleaned for
// display (control and formatting characters, which could reorder what a reader sees,
// are dropped; each is at most MaxClaimRunes long). Not verified.
type SignerClaims struct {
	Reason      string `json:"reason,omitempty"`
	Location    string `json:"location,omitempty"`
	ContactInfo string `json:"contactInfo,omitempty"`
}

// ReasonText, LocationText and ContactText return the claims' texts, "" for a nil c.
func (c *SignerClaims) ReasonText() string {
	if c == nil {
		return ""
	}
	return c.Reason
}

// LocationText: see ReasonText.
func (c *SignerClaims) LocationText() string {
	if c == nil {
		return ""
	}
	return c.Location
}

// ContactText: see ReasonText.
func (c *SignerClaims) ContactText() string {
	if c == nil {
		return ""
	}
	return c.ContactInfo
}

// MaxClaimRunes bounds each of SignerClaims' texts.
const MaxClaimRunes = 200

// CleanClaim prepares a signer's text for display: Unicode control (Cc) and format (Cf)
// characters — bidirectional overrides among them — become nothing, runs of white space
// one space, and the text is cut at MaxClaimRunes (with "…").
func CleanClaim(s string) string {
	var b strings.Builder
	n, space := 0, false
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r' || unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError:
			continue
		}
		if space {
			b.WriteByte(' ')
			n++
			space = false
		}
		if n >= MaxClaimRunes {
			b.WriteString("…")
			break
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}
