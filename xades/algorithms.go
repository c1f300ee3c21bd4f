package xades

import (
	"crypto"
	_ "crypto/sha1" // SHA-1 digests of third-party signatures (reported as weak)
	_ "crypto/sha256"
	_ "crypto/sha512"
)

// Namespaces of XMLDSig and XAdES.
const (
	NSDSig     = "http://www.w3.org/2000/09/xmldsig#"
	NSDSig11   = "http://www.w3.org/2009/xmldsig11#"
	NSXAdES    = "http://uri.etsi.org/01903/v1.3.2#"
	NSXAdES141 = "http://uri.etsi.org/01903/v1.4.1#"
	nsDSig     = NSDSig
)

// Transform and reference-type identifiers.
const (
	AlgEnveloped = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
	AlgXPath     = "http://www.w3.org/TR/1999/REC-xpath-19991116"
	// TypeSignedProperties is the Type of the reference to XAdES SignedProperties.
	TypeSignedProperties = "http://uri.etsi.org/01903#SignedProperties"
)

// Digest algorithm identifiers.
const (
	AlgSHA1   = "http://www.w3.org/2000/09/xmldsig#sha1"
	AlgSHA224 = "http://www.w3.org/2001/04/xmldsig-more#sha224"
	AlgSHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
	AlgSHA384 = "http://www.w3.org/2001/04/xmldsig-more#sha384"
	AlgSHA512 = "http://www.w3.org/2001/04/xmlenc#sha512"
)

// Signature algorithm identifiers.
const (
	AlgRSASHA1     = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
	AlgRSASHA224   = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha224"
	AlgRSASHA256   = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
	AlgRSASHA384   = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384"
	AlgRSASHA512   = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512"
	AlgECDSASHA1   = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1"
	AlgECDSASHA224 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha224"
	AlgECDSASHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
	AlgECDSASHA384 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384"
	AlgECDSASHA512 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512"
)

// digestAlg is an allowed digest algorithm.
type digestAlg struct {
	hash crypto.Hash
	name string // for reports: "SHA-256"
	weak bool   // allowed to verify third-party signatures, reported as too weak
}

var digestAlgs = map[string]digestAlg{
	AlgSHA1:   {crypto.SHA1, "SHA-1", true},
	AlgSHA224: {crypto.SHA224, "SHA-224", false},
	AlgSHA256: {crypto.SHA256, "SHA-256", false},
	AlgSHA384: {crypto.SHA384, "SHA-384", false},
	AlgSHA512: {crypto.SHA512, "SHA-512", false},
}

// keyType is the public key type a signature algorithm needs.
type keyType int

const (
	keyRSA keyType = iota + 1
	keyECDSA
)

// signatureAlg is an allowed signature algorithm.
type signatureAlg struct {
	key  keyType
	hash crypto.Hash
	name string // for reports: "RSA-SHA256"
	weak bool
}

var signatureAlgs = map[string]signatureAlg{
	AlgRSASHA1:     {keyRSA, crypto.SHA1, "RSA-SHA1", true},
	AlgRSASHA224:   {keyRSA, crypto.SHA224, "RSA-SHA224", false},
	AlgRSASHA256:   {keyRSA, crypto.SHA256, "RSA-SHA256", false},
	AlgRSASHA384:   {keyRSA, crypto.SHA384, "RSA-SHA384", false},
	AlgRSASHA512:   {keyRSA, crypto.SHA512, "RSA-SHA512", false},
	AlgECDSASHA1:   {keyECDSA, crypto.SHA1, "ECDSA-SHA1", true},
	AlgECDSASHA224: {keyECDSA, crypto.SHA224, "ECDSA-SHA224", false},
	AlgECDSASHA256: {keyECDSA, crypto.SHA256, "ECDSA-SHA256", false},
	AlgECDSASHA384: {keyECDSA, crypto.SHA384, "ECDSA-SHA384", false},
	AlgECDSASHA512: {keyECDSA, crypto.SHA512, "ECDSA-SHA512", false},
}
