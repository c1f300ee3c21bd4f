package xades

import (
	"crypto"
	_ "crypto/sha1" // SHA-1 digests of third-party signatures (reported as weak)
	_ "crypto/sha256"
	_ "crypto/sha3" // SHA-3 digests and signatures (RFC 6931, RFC 9231)
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
	// SHA-3 (RFC 6931 §2.1.5).
	AlgSHA3_224 = "http://www.w3.org/2007/05/xmldsig-more#sha3-224"
	AlgSHA3_256 = "http://www.w3.org/2007/05/xmldsig-more#sha3-256"
	AlgSHA3_384 = "http://www.w3.org/2007/05/xmldsig-more#sha3-384"
	AlgSHA3_512 = "http://www.w3.org/2007/05/xmldsig-more#sha3-512"
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

	// ECDSA with SHA-3 (RFC 9231 §2.3.6).
	AlgECDSASHA3_224 = "http://www.w3.org/2021/04/xmldsig-more#ecdsa-sha3-224"
	AlgECDSASHA3_256 = "http://www.w3.org/2021/04/xmldsig-more#ecdsa-sha3-256"
	AlgECDSASHA3_384 = "http://www.w3.org/2021/04/xmldsig-more#ecdsa-sha3-384"
	AlgECDSASHA3_512 = "http://www.w3.org/2021/04/xmldsig-more#ecdsa-sha3-512"

	// RSASSA-PSS with MGF1 over the same hash, a salt as long as the hash and the
	// trailer 0xBC (RFC 6931 §2.3.10).
	AlgRSAPSSSHA1     = "http://www.w3.org/2007/05/xmldsig-more#sha1-rsa-MGF1"
	AlgRSAPSSSHA224   = "http://www.w3.org/2007/05/xmldsig-more#sha224-rsa-MGF1"
	AlgRSAPSSSHA256   = "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1"
	AlgRSAPSSSHA384   = "http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1"
	AlgRSAPSSSHA512   = "http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1"
	AlgRSAPSSSHA3_224 = "http://www.w3.org/2007/05/xmldsig-more#sha3-224-rsa-MGF1"
	AlgRSAPSSSHA3_256 = "http://www.w3.org/2007/05/xmldsig-more#sha3-256-rsa-MGF1"
	AlgRSAPSSSHA3_384 = "http://www.w3.org/2007/05/xmldsig-more#sha3-384-rsa-MGF1"
	AlgRSAPSSSHA3_512 = "http://www.w3.org/2007/05/xmldsig-more#sha3-512-rsa-MGF1"
	// AlgEd25519 is PureEdDSA over Ed25519 (RFC 9231 §2.3.7): the canonical SignedInfo
	// itself is signed, no digest first.
	AlgEd25519 = "http://www.w3.org/2021/04/xmldsig-more#eddsa-ed25519"
	// AlgRSAPSS is RSASSA-PSS with its parameters in a pss:RSAPSSParams child of
	// SignatureMethod (RFC 6931 §2.3.10, RFC 9231 §2.3.10); see rsapss.go.
	AlgRSAPSS = "http://www.w3.org/2007/05/xmldsig-more#rsa-pss"
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

	AlgSHA3_224: {crypto.SHA3_224, "SHA3-224", false},
	AlgSHA3_256: {crypto.SHA3_256, "SHA3-256", false},
	AlgSHA3_384: {crypto.SHA3_384, "SHA3-384", false},
	AlgSHA3_512: {crypto.SHA3_512, "SHA3-512", false},
}

// keyType is the public key type a signature algorithm needs.
type keyType int

const (
	keyRSA keyType = iota + 1
	keyECDSA
	keyEd25519
)

// signatureAlg is an allowed signature algorithm.
type signatureAlg struct {
	key  keyType
	hash crypto.Hash
	name string // for reports: "RSA-SHA256"
	weak bool
	// pss selects RSASSA-PSS (key is keyRSA) with MGF1 over hash and a salt of
	// saltLen bytes (0: any length, which Go detects).
	pss     bool
	saltLen int
	// params: the parameters are in SignatureMethod (AlgRSAPSS); readSignatureMethod
	// fills in hash, saltLen and name.
	params bool
}

// pssAlg is RSASSA-PSS with MGF1 over h and a salt as long as h.
func pssAlg(h crypto.Hash, name string, weak bool) signatureAlg {
	return signatureAlg{key: keyRSA, hash: h, name: name, weak: weak, pss: true, saltLen: h.Size()}
}

var signatureAlgs = map[string]signatureAlg{
	AlgRSASHA1:     {key: keyRSA, hash: crypto.SHA1, name: "RSA-SHA1", weak: true},
	AlgRSASHA224:   {key: keyRSA, hash: crypto.SHA224, name: "RSA-SHA224"},
	AlgRSASHA256:   {key: keyRSA, hash: crypto.SHA256, name: "RSA-SHA256"},
	AlgRSASHA384:   {key: keyRSA, hash: crypto.SHA384, name: "RSA-SHA384"},
	AlgRSASHA512:   {key: keyRSA, hash: crypto.SHA512, name: "RSA-SHA512"},
	AlgECDSASHA1:   {key: keyECDSA, hash: crypto.SHA1, name: "ECDSA-SHA1", weak: true},
	AlgECDSASHA224: {key: keyECDSA, hash: crypto.SHA224, name: "ECDSA-SHA224"},
	AlgECDSASHA256: {key: keyECDSA, hash: crypto.SHA256, name: "ECDSA-SHA256"},
	AlgECDSASHA384: {key: keyECDSA, hash: crypto.SHA384, name: "ECDSA-SHA384"},
	AlgECDSASHA512: {key: keyECDSA, hash: crypto.SHA512, name: "ECDSA-SHA512"},

	AlgECDSASHA3_224: {key: keyECDSA, hash: crypto.SHA3_224, name: "ECDSA-SHA3-224"},
	AlgECDSASHA3_256: {key: keyECDSA, hash: crypto.SHA3_256, name: "ECDSA-SHA3-256"},
	AlgECDSASHA3_384: {key: keyECDSA, hash: crypto.SHA3_384, name: "ECDSA-SHA3-384"},
	AlgECDSASHA3_512: {key: keyECDSA, hash: crypto.SHA3_512, name: "ECDSA-SHA3-512"},

	AlgRSAPSSSHA1:     pssAlg(crypto.SHA1, "RSA-PSS-SHA1", true),
	AlgRSAPSSSHA224:   pssAlg(crypto.SHA224, "RSA-PSS-SHA224", false),
	AlgRSAPSSSHA256:   pssAlg(crypto.SHA256, "RSA-PSS-SHA256", false),
	AlgRSAPSSSHA384:   pssAlg(crypto.SHA384, "RSA-PSS-SHA384", false),
	AlgRSAPSSSHA512:   pssAlg(crypto.SHA512, "RSA-PSS-SHA512", false),
	AlgRSAPSSSHA3_224: pssAlg(crypto.SHA3_224, "RSA-PSS-SHA3-224", false),
	AlgRSAPSSSHA3_256: pssAlg(crypto.SHA3_256, "RSA-PSS-SHA3-256", false),
	AlgRSAPSSSHA3_384: pssAlg(crypto.SHA3_384, "RSA-PSS-SHA3-384", false),
	AlgRSAPSSSHA3_512: pssAlg(crypto.SHA3_512, "RSA-PSS-SHA3-512", false),
	AlgRSAPSS:         {key: keyRSA, pss: true, params: true, name: "RSA-PSS"},
	AlgEd25519:        {key: keyEd25519, name: "Ed25519"},
}
