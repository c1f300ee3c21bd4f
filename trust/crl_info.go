package trust

import (
	"time"
)

// CRLInfo describes one CRL held by the store: who issued it, what it covers, how new it is
// and where it came from. It is what `mynasign crl list` shows.
type CRLInfo struct {
	// ID identifies the CRL's scope in the store directory (what Store.Remove takes). It
	// is set by Store.List (and Policy.CRLs) and empty for the test store's built-in
	// CRLs, which are not in the store.
	ID string `json:"id,omitempty"`
	// Issuer is the CRL issuer's name (RFC 4514).
	Issuer string `json:"issuer"`
	// IssuerDER is the issuer name as encoded in the CRL.
	IssuerDER []byte `json:"issuerDer"`
	// IssuerKeyID is the authority key identifier (hex) of the CA that signed the CRL.
	IssuerKeyID string `json:"issuerKeyId"`
	// IssuerKeySHA256 is the SHA-256 (hex) of the signing CA's SubjectPublicKeyInfo.
	IssuerKeySHA256 string `json:"issuerKeySha256"`
	// Generation of the signing CA ("2019", "2023", "test-2023", …).
	Generation string `json:"generation,omitempty"`
	// Kind of the certificates the CA issues (signature or authentication).
	Kind CertKind `json:"kind,omitempty"`
	// Test is true for a CRL of the test PKI.
	Test bool `json:"test"`
	// Scope is "whole" (no issuing distribution point: the issuer's whole scope) or the
	// partition's distribution point name(s) (RFC 4514, joined by " | ").
	Scope string `json:"scope"`
	// ScopeNames are the issuing distribution point's directory names (DER).
	ScopeNames [][]byte `json:"scopeNames,omitempty"`
	// ScopeURIs are the issuing distribution point's URIs (an HTTP CRL location), when it
	// names no directory name.
	ScopeURIs []string `json:"scopeUris,omitempty"`
	// OnlyUserCerts and OnlyCACerts restrict the scope (issuingDistributionPoint).
	OnlyUserCerts bool `json:"onlyUserCerts,omitempty"`
	OnlyCACerts   bool `json:"onlyCACerts,omitempty"`
	// Number is the CRL number (decimal); empty when the CRL has none.
	Number     string     `json:"number,omitempty"`
	ThisUpdate time.Time  `json:"thisUpdate"`
	NextUpdate *time.Time `json:"nextUpdate,omitempty"`
	// Entries is the number of revoked certificates listed.
	Entries int64 `json:"entries"`
	// SHA256 is the hash (hex) of the source file as read (PEM text for a PEM file).
	SHA256 string `json:"sha256"`
	// File is the source's base name ("archive.zip!name.crl" for a zip entry).
	File string `json:"file"`
	// ImportedAt is when the CRL was imported.
	ImportedAt time.Time `json:"importedAt"`
	// Builtin is true for the test trust store's own CRLs (not in the store directory).
	Builtin bool `json:"builtin,omitempty"`
	// Embedded is true for a CRL a signature or document carried (PDF /DSS, CMS
	// revocation values, XAdES RevocationValues), verified against the issuer of the
	// certificate it was used for; never in the store.
	Embedded bool `json:"embedded,omitempty"`
	// Problem is set for a stored CRL whose index file cannot be read (damaged, truncated,
	// written by another version): why (MsgCRLIndexDamaged). Such a CRL has nothing but ID
	// and Problem, covers nothing, and should be removed (Store.Remove) and imported again.
	Problem *Message `json:"problem,omitempty"`
}

// FreshAt reports whether the CRL may be relied on at t (t is not after nextUpdate).
func (c *CRLInfo) FreshAt(t time.Time) bool {
	return c.NextUpdate != nil && !t.After(*c.NextUpdate)
}
