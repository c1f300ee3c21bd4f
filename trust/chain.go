package trust

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"strconv"
	"time"

	"github.com/mynasign/mynasign/internal/tsp"
)

// Limits of path building, so that a file carrying many certificates cannot make the
// verifier work without end.
const (
	maxPathDepth       = 8  // certificates in a path, anchor included
	maxSignatureChecks = 64 // candidate signatures tried for one signer
	maxPaths           = 4  // complete paths collected before choosing
)

// purpose is what the end-entity certificate is checked for.
type purpose int

const (
	// purposeDocumentSigning: a JPKI signature certificate signing a document
	// (nonRepudiation; authentication certificates refused).
	purposeDocumentSigning purpose = iota
	// purposeAny: only the path itself is validated (the PKITS conformance tests).
	purposeAny
	// purposeTimestamping: an RFC 3161 time-stamping authority (extendedKeyUsage
	// timeStamping only, critical).
	purposeTimestamping
)

// finding is one reason a certificate check did not pass.
type finding struct {
	ind   Indication
	sub   SubIndication
	msg   Message
	check CheckName // the Check it belongs to
}

// rank orders findings: the highest is the one the result reports. TOTAL-FAILED beats
// INDETERMINATE; among INDETERMINATE ones, the more fundamental problem wins.
func (f finding) rank() int {
	if f.ind == TotalFailed {
		return 100
	}
	switch f.sub {
	case NoCertificateChainFound:
		return 90
	case ChainConstraintsFailure:
		return 80
	case CryptoConstraintsFailure:
		return 70
	case CertificateChainGeneralFailure:
		return 65
	case OutOfBoundsNoPOE:
		return 60
	case RevokedCANoPOE:
		return 55
	case RevokedNoPOE:
		return 50
	default: // TRY_LATER and the like
		return 10
	}
}

// candidate is a certificate that may appear in a path: an anchor or one of the
// certificates the signature carried (never trusted by itself).
type candidate struct {
	cert   *x509.Certificate
	anchor *Anchor // non-nil for a trust anchor
	keyID  []byte
}

// chainResult is the outcome of path building.
type chainResult struct {
	// paths are the complete paths found (signer first, anchor last), whose signatures
	// all verify and whose names chain.
	paths   [][]*x509.Certificate
	anchors []*Anchor
	// miss explains why no path was found (the most telling near miss).
	miss Message
}

// buildPaths searches for paths from signer to an anchor, matching each issuer by name and
// key identifier and proving it by the signature.
func buildPaths(signer *x509.Certificate, others []*x509.Certificate, anchors []*Anchor) chainResult {
	var pool []candidate
	for _, a := range anchors {
		pool = append(pool, candidate{cert: a.Cert, anchor: a, keyID: a.KeyID})
	}
	for _, o := range others {
		if o == nil {
			continue
		}
		dup := false
		for _, c := range pool {
			if bytes.Equal(c.cert.Raw, o.Raw) {
				dup = true
				break
			}
		}
		if !dup {
			pool = append(pool, candidate{cert: o, keyID: subjectKeyID(o)})
		}
	}
	b := &pathBuilder{pool: pool}
	b.extend([]*x509.Certificate{signer})
	res := chainResult{paths: b.paths, anchors: b.anchors}
	switch {
	case len(b.paths) > 0:
	case b.badSignature:
		res.miss = Message{Key: MsgChainBadSignature}
	case b.nameMismatch:
		res.miss = Message{Key: MsgChainIssuerName}
	case b.keyMismatch:
		res.miss = Message{Key: MsgChainUnknownKey}
	case b.unsupportedAlg:
		res.miss = Message{Key: MsgChainUnsupportedAlgorithm}
	default:
		res.miss = Message{Key: MsgChainNoIssuer}
	}
	return res
}

// pathBuilder is the state of one depth-first path search.
type pathBuilder struct {
	pool    []candidate
	paths   [][]*x509.Certificate
	anchors []*Anchor
	checks  int
	// near misses, for the explanation when no path is found
	badSignature, nameMismatch, unsupportedAlg, keyMismatch bool
}

func (b *pathBuilder) extend(path []*x509.Certificate) {
	if len(b.paths) >= maxPaths || len(path) >= maxPathDepth {
		return
	}
	child := path[len(path)-1]
	for _, c := range b.pool {
		if inPath(path, c.cert) && c.anchor == nil {
			continue
		}
		if c.anchor != nil && inPath(path[:len(path)-1], c.cert) {
			continue
		}
		keyMatch := len(child.AuthorityKeyId) == 0 || len(c.keyID) == 0 || bytes.Equal(child.AuthorityKeyId, c.keyID)
		if !keyMatch {
			if namesEqual(child.RawIssuer, c.cert.RawSubject) {
				b.keyMismatch = true // a CA of that name exists, but with another key
			}
			continue
		}
		if !namesEqual(child.RawIssuer, c.cert.RawSubject) {
			if len(child.AuthorityKeyId) > 0 && len(c.keyID) > 0 {
				b.nameMismatch = true // same key identifier, another name
			}
			continue
		}
		if bytes.Equal(child.Raw, c.cert.Raw) && c.anchor != nil {
			continue // the signer is itself an anchor: an anchor does not sign documents
		}
		if b.checks >= maxSignatureChecks {
			return
		}
		b.checks++
		if err := c.cert.CheckSignature(child.SignatureAlgorithm, child.RawTBSCertificate, child.Signature); err != nil {
			var insecure x509.InsecureAlgorithmError
			if errors.Is(err, x509.ErrUnsupportedAlgorithm) || errors.As(err, &insecure) {
				b.unsupportedAlg = true
			} else {
				b.badSignature = true
			}
			continue
		}
		next := append(append([]*x509.Certificate(nil), path...), c.cert)
		if c.anchor != nil {
			b.paths = append(b.paths, next)
			b.anchors = append(b.anchors, c.anchor)
			if len(b.paths) >= maxPaths {
				return
			}
			continue
		}
		b.extend(next)
	}
}

func inPath(path []*x509.Certificate, c *x509.Certificate) bool {
	for _, p := range path {
		if bytes.Equal(p.Raw, c.Raw) {
			return true
		}
	}
	return false
}

// pathCheck validates one path at time t. claimed is the claimed signing time (may be nil);
// poe is the time the signature is proven to have existed at (a trusted time-stamp over
// it; nil when there is none), which lets a certificate expired at t be judged at poe
// (past signature validation, ETSI EN 319 102-1 §5.6.2.4).
type pathCheck struct {
	path     []*x509.Certificate // signer first, anchor last
	anchor   *Anchor
	at       time.Time
	claimed  *time.Time
	poe      *time.Time
	purpose  purpose
	minRSA   int
	findings []finding
	checks   []Check
	// notes are what the user should know about checks that passed thanks to poe.
	notes []Message
	// expiredAtPOE is set when the signer certificate has expired by t but was valid at
	// poe.
	expiredAtPOE bool
}

func (pc *pathCheck) fail(check CheckName, ind Indication, sub SubIndication, key string, args ...string) {
	pc.findings = append(pc.findings, finding{ind: ind, sub: sub, msg: Message{Key: key, Args: args}, check: check})
}

// run applies the path validation rules: algorithms, validity, CA constraints, critical
// extensions and the signer's key usage. Revocation is checked separately.
func (pc *pathCheck) run() {
	pc.checkCrypto()
	pc.checkValidity()
	pc.checkCAs()
	pc.checkCritical()
	pc.checkSignerUsage()
	pc.checkTimestampingUsage()
}

// position names a certificate of the path for messages: "signer", "CA 1" (the issuer of
// the signer), …, "anchor".
func (pc *pathCheck) position(i int) string {
	switch {
	case i == 0:
		return "signer"
	case i == len(pc.path)-1:
		return "anchor"
	default:
		return "CA " + itoa(i)
	}
}

func (pc *pathCheck) record(name CheckName, before int, passKey string) {
	c := Check{Name: name, Passed: len(pc.findings) == before, Detail: Message{Key: passKey}}
	if !c.Passed {
		c.Detail = pc.findings[before].msg
	}
	pc.checks = append(pc.checks, c)
}

func (pc *pathCheck) checkCrypto() {
	before := len(pc.findings)
	for i := 0; i < len(pc.path)-1; i++ {
		c := pc.path[i]
		if !acceptedSignatureAlgorithm(c.SignatureAlgorithm) {
			pc.fail(CheckCrypto, Indeterminate, CryptoConstraintsFailure, MsgCertWeakAlgorithm, pc.position(i), c.SignatureAlgorithm.String())
		}
		if ok, desc := acceptedPublicKey(c.PublicKey, pc.minRSA); !ok {
			pc.fail(CheckCrypto, Indeterminate, CryptoConstraintsFailure, MsgCertWeakKey, pc.position(i), desc)
		}
	}
	pc.record(CheckCrypto, before, MsgCheckCryptoOK)
}

func (pc *pathCheck) checkValidity() {
	before := len(pc.findings)
	t := pc.at
	signer := pc.path[0]
	if pc.claimed != nil && pc.claimed.Before(signer.NotBefore) {
		pc.fail(CheckValidity, TotalFailed, NotYetValid, MsgCertClaimedBeforeValidity, isoTime(*pc.claimed), isoTime(signer.NotBefore))
	}
	if pc.poe != nil && pc.poe.Before(signer.NotBefore) {
		// The signature existed before its certificate was valid: proof, whatever the
		// claimed time says.
		pc.fail(CheckValidity, TotalFailed, NotYetValid, MsgCertPOEBeforeValidity, isoTime(*pc.poe), isoTime(signer.NotBefore))
	}
	for i, c := range pc.path {
		if t.After(c.NotAfter) && pc.validAtPOE(c) {
			// Expired now, valid when the signature is proven to have existed.
			pc.notes = append(pc.notes, Message{Key: MsgCertExpiredValidAtPOE, Args: []string{pc.position(i), isoTime(c.NotAfter), isoTime(*pc.poe)}})
			pc.expiredAtPOE = pc.expiredAtPOE || i == 0
			continue
		}
		switch {
		case t.Before(c.NotBefore) && i == 0:
			pc.fail(CheckValidity, TotalFailed, NotYetValid, MsgCertNotYetValid, isoTime(c.NotBefore))
		case t.Before(c.NotBefore):
			pc.fail(CheckValidity, Indeterminate, ChainConstraintsFailure, MsgCertCANotYetValid, pc.position(i), isoTime(c.NotBefore))
		case t.After(c.NotAfter) && i == 0:
			pc.fail(CheckValidity, Indeterminate, OutOfBoundsNoPOE, MsgCertExpiredNoPOE, isoTime(c.NotAfter))
		case t.After(c.NotAfter):
			gen := ""
			if i == len(pc.path)-1 && pc.anchor != nil {
				gen = pc.anchor.Generation
			}
			pc.fail(CheckValidity, Indeterminate, OutOfBoundsNoPOE, MsgCertCAExpiredNoPOE, pc.position(i), isoTime(c.NotAfter), gen)
		}
	}
	pc.record(CheckValidity, before, MsgCheckValidityOK)
}

// validAtPOE reports whether c was within its validity period at the proof of existence.
func (pc *pathCheck) validAtPOE(c *x509.Certificate) bool {
	return pc.poe != nil && !pc.poe.Before(c.NotBefore) && !pc.poe.After(c.NotAfter)
}

// checkCAs applies the basic constraints, the CA key usage and the path length limits to
// the intermediate certificates (RFC 5280 §6.1.4 (k), (l), (m), (n)).
func (pc *pathCheck) checkCAs() {
	before := len(pc.findings)
	n := len(pc.path) - 1 // index of the anchor
	maxLen := -1          // unlimited
	if a := pc.path[n]; a.BasicConstraintsValid && (a.MaxPathLen > 0 || a.MaxPathLenZero) {
		maxLen = a.MaxPathLen
	}
	for i := n - 1; i >= 1; i-- {
		c := pc.path[i]
		if !c.BasicConstraintsValid || !c.IsCA {
			pc.fail(CheckCAConstraints, Indeterminate, ChainConstraintsFailure, MsgCertNotCA, pc.position(i))
			continue
		}
		if c.KeyUsage != 0 && c.KeyUsage&x509.KeyUsageCertSign == 0 {
			pc.fail(CheckCAConstraints, Indeterminate, ChainConstraintsFailure, MsgCertCANoCertSign, pc.position(i))
		}
		if !selfIssued(c) {
			if maxLen == 0 {
				pc.fail(CheckCAConstraints, Indeterminate, ChainConstraintsFailure, MsgCertPathTooLong, pc.position(i))
			} else if maxLen > 0 {
				maxLen--
			}
		}
		if c.MaxPathLen > 0 || c.MaxPathLenZero {
			if maxLen < 0 || c.MaxPathLen < maxLen {
				maxLen = c.MaxPathLen
			}
		}
	}
	pc.record(CheckCAConstraints, before, MsgCheckCAOK)
}

func selfIssued(c *x509.Certificate) bool { return namesEqual(c.RawIssuer, c.RawSubject) }

// understoodCritical lists the extensions this package processes when they are critical.
// Anything else marked critical (name constraints, policy constraints and mappings,
// inhibitAnyPolicy, private extensions) makes the certificate unacceptable.
var understoodCritical = []asn1.ObjectIdentifier{
	{2, 5, 29, 15}, // keyUsage
	{2, 5, 29, 19}, // basicConstraints
	{2, 5, 29, 32}, // certificatePolicies (recorded; the JPKI policy is one OID per CA)
	{2, 5, 29, 17}, // subjectAltName (JPKI personal data)
	{2, 5, 29, 18}, // issuerAltName (informational)
	{2, 5, 29, 14}, // subjectKeyIdentifier
	{2, 5, 29, 35}, // authorityKeyIdentifier
	{2, 5, 29, 31}, // cRLDistributionPoints (the CRL partition)
}

func (pc *pathCheck) checkCritical() {
	before := len(pc.findings)
	for i := 0; i < len(pc.path)-1; i++ {
		for _, ext := range pc.path[i].Extensions {
			if !ext.Critical {
				continue
			}
			// A time-stamping authority's extendedKeyUsage is critical by rule, and
			// checkTimestampingUsage processes it.
			known := i == 0 && pc.purpose == purposeTimestamping && ext.Id.Equal(oidExtKeyUsage)
			for _, oid := range understoodCritical {
				if ext.Id.Equal(oid) {
					known = true
				}
			}
			if !known {
				pc.fail(CheckCriticalExtensions, Indeterminate, ChainConstraintsFailure, MsgCertCriticalExtension, pc.position(i), ext.Id.String())
			}
		}
	}
	pc.record(CheckCriticalExtensions, before, MsgCheckCriticalOK)
}

// checkSignerUsage: a document signature needs a JPKI signature certificate with
// nonRepudiation; a JPKI authentication certificate is never a document signer.
func (pc *pathCheck) checkSignerUsage() {
	if pc.purpose != purposeDocumentSigning {
		return
	}
	before := len(pc.findings)
	signer := pc.path[0]
	switch pc.anchor.Kind {
	case KindAuthentication:
		pc.fail(CheckKeyUsage, Indeterminate, ChainConstraintsFailure, MsgCertAuthNotSigner)
	case KindSignature:
		if signer.KeyUsage&x509.KeyUsageContentCommitment == 0 {
			pc.fail(CheckKeyUsage, Indeterminate, ChainConstraintsFailure, MsgCertNoNonRepudiation)
		}
	default:
		if signer.KeyUsage != 0 && signer.KeyUsage&(x509.KeyUsageContentCommitment|x509.KeyUsageDigitalSignature) == 0 {
			pc.fail(CheckKeyUsage, Indeterminate, ChainConstraintsFailure, MsgCertNoNonRepudiation)
		}
	}
	if signer.BasicConstraintsValid && signer.IsCA {
		pc.fail(CheckKeyUsage, Indeterminate, ChainConstraintsFailure, MsgCertSignerIsCA)
	}
	pc.record(CheckKeyUsage, before, MsgCheckKeyUsageOK)
}

// oidExtKeyUsage is the extendedKeyUsage extension.
var oidExtKeyUsage = asn1.ObjectIdentifier{2, 5, 29, 37}

// checkTimestampingUsage: a time-stamping authority's certificate has extendedKeyUsage
// timeStamping only, marked critical (RFC 3161 §2.3), and is no CA.
func (pc *pathCheck) checkTimestampingUsage() {
	if pc.purpose != purposeTimestamping {
		return
	}
	before := len(pc.findings)
	tsa := pc.path[0]
	if !tsp.TimeStampingOnly(tsa) || (tsa.BasicConstraintsValid && tsa.IsCA) {
		pc.fail(CheckKeyUsage, Indeterminate, ChainConstraintsFailure, MsgTSANotTimestamping)
	}
	pc.record(CheckKeyUsage, before, MsgCheckKeyUsageOK)
}

// acceptedSignatureAlgorithm refuses MD2, MD5, SHA-1 and DSA.
func acceptedSignatureAlgorithm(a x509.SignatureAlgorithm) bool {
	switch a {
	case x509.SHA256WithRSA, x509.SHA384WithRSA, x509.SHA512WithRSA,
		x509.SHA256WithRSAPSS, x509.SHA384WithRSAPSS, x509.SHA512WithRSAPSS,
		x509.ECDSAWithSHA256, x509.ECDSAWithSHA384, x509.ECDSAWithSHA512, x509.PureEd25519:
		return true
	}
	return false
}

// acceptedPublicKey accepts RSA keys of at least minRSA bits, ECDSA on P-256, P-384 and
// P-521, and Ed25519.
func acceptedPublicKey(pub any, minRSA int) (bool, string) {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return k.N.BitLen() >= minRSA, "RSA-" + itoa(k.N.BitLen())
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P256(), elliptic.P384(), elliptic.P521():
			return true, k.Curve.Params().Name
		}
		return false, "ECDSA"
	case ed25519.PublicKey:
		return true, "Ed25519"
	}
	return false, "unsupported key type"
}

func isoTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func itoa(i int) string { return strconv.Itoa(i) }
