package trust

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/mynasign/mynasign/assets"
	"github.com/mynasign/mynasign/internal/testpki"
)

// Names of the trust stores (Options.TrustStore, DocumentReport.TrustStore).
const (
	// StoreProduction trusts the J-LIS CA certificates embedded in the app, and nothing else.
	StoreProduction = "production"
	// StoreTest additionally trusts the project's test CA (internal/testpki) and comes with
	// the test PKI's committed CRLs. Every result it produces for a test certificate is
	// marked "test certificate — not a real identity".
	StoreTest = "test"
)

// Anchor is a trusted CA certificate: a J-LIS CA generation, or a test CA.
type Anchor struct {
	Cert *x509.Certificate
	// Kind is what the certificates the CA issues are: KindSignature (JPKI for digital
	// signature) or KindAuthentication (JPKI for user authentication); KindNotJPKI for
	// anchors used only in tests (PKITS).
	Kind CertKind
	// Generation names the CA generation: "2015", "2019", "2023", or "test-2023", "test-2019".
	Generation string
	// Test is true for the project's test CAs.
	Test bool
	// KeyID is the CA's subject key identifier (or, when it has none, the SHA-1 of its
	// public key, RFC 5280 §4.2.1.2 method 1): what certificates and CRLs name it by.
	KeyID []byte
	// KeySHA256 is the SHA-256 of the CA's SubjectPublicKeyInfo: the identity the CRL store
	// files CRLs under.
	KeySHA256 [32]byte
	// Source says where the anchor comes from (an embedded file name).
	Source string
	// Purpose is what the anchor is trusted for: signers of documents (the zero value) or
	// time-stamping authorities.
	Purpose AnchorPurpose
	// User is true for an anchor the user added (the user anchor store); false for the
	// built-in J-LIS anchors and the test CAs.
	User bool
	// Name is the anchor's name: the user-given one for a user anchor, the embedded file
	// name without its extension for a built-in one.
	Name string
}

// AnchorPurpose is what an anchor is trusted for.
type AnchorPurpose int

const (
	// PurposeSigning: the anchor's chains end at certificates that sign documents.
	PurposeSigning AnchorPurpose = iota
	// PurposeTimestamp: the anchor's chains end at time-stamping authorities (RFC 3161).
	PurposeTimestamp
)

// String returns "signing" or "timestamp".
func (p AnchorPurpose) String() string {
	if p == PurposeTimestamp {
		return "timestamp"
	}
	return "signing"
}

// ParsePurpose reads "signing" or "timestamp".
func ParsePurpose(s string) (AnchorPurpose, error) {
	switch s {
	case "signing":
		return PurposeSigning, nil
	case "timestamp":
		return PurposeTimestamp, nil
	}
	return PurposeSigning, fmt.Errorf("purpose %q: must be signing or timestamp", s)
}

// MarshalText encodes the purpose as its name.
func (p AnchorPurpose) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText decodes a purpose name.
func (p *AnchorPurpose) UnmarshalText(b []byte) error {
	v, err := ParsePurpose(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// TrustStore is a named set of anchors, plus built-in CRLs (only the test store has them).
type TrustStore struct {
	Name    string
	Anchors []*Anchor
	// builtinCRLs are DER CRLs that come with the store, by name.
	builtinCRLs map[string][]byte
}

// embeddedFile is the shape of an embedded anchor file name: jpki-<sign|auth>-ca-<gen>.pem.
var embeddedFile = regexp.MustCompile(`^jpki-(sign|auth)-ca-(\d{4})\.pem$`)

// LoadTrustStore returns the production store ("" or StoreProduction) or the test store
// (StoreTest). The test store trusts the J-LIS anchors and the test CAs.
func LoadTrustStore(name string) (*TrustStore, error) {
	switch name {
	case "", StoreProduction:
		anchors, err := productionAnchors()
		if err != nil {
			return nil, err
		}
		return &TrustStore{Name: StoreProduction, Anchors: anchors}, nil
	case StoreTest:
		anchors, err := productionAnchors()
		if err != nil {
			return nil, err
		}
		test, err := testAnchors()
		if err != nil {
			return nil, err
		}
		return &TrustStore{Name: StoreTest, Anchors: append(anchors, test...), builtinCRLs: testpki.FreshCRLs()}, nil
	default:
		return nil, fmt.Errorf("trust store %q: must be %q or %q", name, StoreProduction, StoreTest)
	}
}

// LoadTrustStoreFor returns the trust store opts name (see LoadTrustStore) with the
// user's anchors added (opts.AnchorDir, or DefaultAnchorDir()). A damaged anchor file is
// left out, not fatal (AnchorStore.List shows it); an unreadable store directory is an
// error.
func LoadTrustStoreFor(opts Options) (*TrustStore, error) {
	store, err := LoadTrustStore(opts.TrustStore)
	if err != nil {
		return nil, err
	}
	dir, err := anchorDir(opts)
	if err != nil {
		return nil, err
	}
	user, err := loadUserAnchors(dir)
	if err != nil {
		return nil, err
	}
	store.Anchors = append(store.Anchors, user...)
	return store, nil
}

// anchorDir is opts.AnchorDir or the default.
func anchorDir(opts Options) (string, error) {
	if opts.AnchorDir != "" {
		return opts.AnchorDir, nil
	}
	return DefaultAnchorDir()
}

// anchorsFor returns the anchors trusted for purpose.
func (s *TrustStore) anchorsFor(purpose AnchorPurpose) []*Anchor {
	var out []*Anchor
	for _, a := range s.Anchors {
		if a.Purpose == purpose {
			out = append(out, a)
		}
	}
	return out
}

// productionAnchors parses the embedded J-LIS CA certificates.
func productionAnchors() ([]*Anchor, error) {
	var out []*Anchor
	for _, f := range assets.JPKIAnchors() {
		m := embeddedFile.FindStringSubmatch(f.File)
		if m == nil {
			return nil, fmt.Errorf("embedded anchor %s: unexpected file name", f.File)
		}
		block, rest := pem.Decode(f.PEM)
		if block == nil || block.Type != "CERTIFICATE" || len(pemTrim(rest)) != 0 {
			return nil, fmt.Errorf("embedded anchor %s: not one PEM certificate", f.File)
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("embedded anchor %s: %w", f.File, err)
		}
		kind := KindSignature
		if m[1] == "auth" {
			kind = KindAuthentication
		}
		out = append(out, NewAnchor(cert, kind, m[2], false, f.File))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no embedded J-LIS anchors")
	}
	return out, nil
}

// testAnchors returns the test PKI's CAs (never the impostor).
func testAnchors() ([]*Anchor, error) {
	var out []*Anchor
	for _, a := range []struct {
		name, gen string
		kind      CertKind
	}{
		{"sign-ca-2023", "test-2023", KindSignature},
		{"sign-ca-2019", "test-2019", KindSignature},
		{"auth-ca-2023", "test-2023", KindAuthentication},
	} {
		c, err := testpki.CACert(a.name)
		if err != nil {
			return nil, fmt.Errorf("test trust store: %w", err)
		}
		out = append(out, NewAnchor(c, a.kind, a.gen, true, "testpki/"+a.name+".pem"))
	}
	return out, nil
}

// NewAnchor describes cert as an anchor. Only the trust stores of this package and tests
// make anchors: nothing a signed file or a card carries is ever made one.
func NewAnchor(cert *x509.Certificate, kind CertKind, generation string, test bool, source string) *Anchor {
	return &Anchor{
		Cert: cert, Kind: kind, Generation: generation, Test: test, Source: source,
		Name:  strings.TrimSuffix(source, ".pem"),
		KeyID: subjectKeyID(cert), KeySHA256: sha256.Sum256(cert.RawSubjectPublicKeyInfo),
	}
}

// subjectKeyID returns the certificate's subject key identifier, or the SHA-1 of its
// subjectPublicKey when it has none.
func subjectKeyID(c *x509.Certificate) []byte {
	if len(c.SubjectKeyId) > 0 {
		return c.SubjectKeyId
	}
	var spki struct {
		Algorithm asn1.RawValue
		PublicKey asn1.BitString
	}
	if _, err := asn1.Unmarshal(c.RawSubjectPublicKeyInfo, &spki); err != nil {
		return nil
	}
	h := sha1.Sum(spki.PublicKey.Bytes)
	return h[:]
}

// Fingerprint returns the SHA-256 fingerprint of a certificate as upper-case hex pairs
// separated by colons (the form of trust-anchors/README.md).
func Fingerprint(c *x509.Certificate) string {
	h := sha256.Sum256(c.Raw)
	const digits = "0123456789ABCDEF"
	out := make([]byte, 0, 95)
	for i, b := range h {
		if i > 0 {
			out = append(out, ':')
		}
		out = append(out, digits[b>>4], digits[b&15])
	}
	return string(out)
}

// IssuerOf returns the anchor that issued cert directly, matched by key identifier and
// name and proved by the signature, or nil. It tells a certificate's CA generation without
// a full validation (the signing wizard shows it before signing); CheckSigner is what
// validates.
func (s *TrustStore) IssuerOf(cert *x509.Certificate) *Anchor {
	for _, a := range s.Anchors {
		if len(cert.AuthorityKeyId) > 0 && len(a.KeyID) > 0 && !bytes.Equal(cert.AuthorityKeyId, a.KeyID) {
			continue
		}
		if !namesEqual(cert.RawIssuer, a.Cert.RawSubject) {
			continue
		}
		if a.Cert.CheckSignature(cert.SignatureAlgorithm, cert.RawTBSCertificate, cert.Signature) == nil {
			return a
		}
	}
	return nil
}

// sortedBuiltinCRLs returns the built-in CRL names in a stable order.
func (s *TrustStore) sortedBuiltinCRLs() []string {
	names := make([]string, 0, len(s.builtinCRLs))
	for n := range s.builtinCRLs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func pemTrim(b []byte) []byte {
	for len(b) > 0 && (b[0] == '\n' || b[0] == '\r' || b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	return b
}
