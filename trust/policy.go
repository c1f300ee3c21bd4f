package trust

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"time"
)

// Options configure a Policy.
type Options struct {
	// TrustStore is StoreProduction (the default when empty: the J-LIS anchors only) or
	// StoreTest (also the project's test CA, with the test PKI's CRLs built in).
	TrustStore string
	// CRLDir is the CRL store directory; empty means DefaultCRLDir(). The directory need not
	// exist: then no imported CRL is available (built-in test CRLs still are).
	CRLDir string
	// AnchorDir is the user trust anchor store (AnchorStore); empty means
	// DefaultAnchorDir(). The directory need not exist: then only the built-in anchors
	// are trusted.
	AnchorDir string
	// At is the validation time; the zero value means the time NewPolicy runs ("now").
	// Validating at a past time needs proof of existence (a timestamp) from the caller's
	// side: formats.md §3.
	At time.Time
	// ImportedCRLsOnly leaves out the test store's built-in CRLs: only the CRLs imported
	// into CRLDir count, as with the production store. It lets the test card show what a
	// counter without CRLs (or with stale ones) sees.
	ImportedCRLsOnly bool
}

// Policy is what both verifiers validate a signer certificate against: the trust anchors,
// the CRLs (the store directory, plus the test store's built-in CRLs) and the validation
// time. It is safe for concurrent use; the store directory is read per check, so CRLs
// imported while a Policy exists are seen by the next check.
type Policy struct {
	store   *TrustStore
	crls    crlSource
	crlDir  string
	at      time.Time
	minRSA  int
	purpose purpose
}

// DefaultCRLDir returns the CRL store directory used when Options.CRLDir is empty:
// <os.UserConfigDir()>/mynasign/crl.
func DefaultCRLDir() (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("locating the CRL store: %w", err)
	}
	return filepath.Join(base, "mynasign", "crl"), nil
}

// NewPolicy loads the trust store and opens the CRL store named by opts.
func NewPolicy(opts Options) (*Policy, error) {
	store, err := LoadTrustStoreFor(opts)
	if err != nil {
		return nil, err
	}
	dir := opts.CRLDir
	if dir == "" {
		if dir, err = DefaultCRLDir(); err != nil {
			return nil, err
		}
	}
	at := opts.At
	if at.IsZero() {
		at = time.Now().Truncate(time.Second)
	}
	src, err := newPolicySource(store, dir, !opts.ImportedCRLsOnly)
	if err != nil {
		return nil, err
	}
	return &Policy{store: store, crls: src, crlDir: dir, at: at.UTC(), minRSA: 2048, purpose: purposeDocumentSigning}, nil
}

// TrustStore returns the name of the trust store in use (StoreProduction or StoreTest),
// for DocumentReport.TrustStore.
func (p *Policy) TrustStore() string { return p.store.Name }

// ValidationTime returns the time certificates are validated at, for
// DocumentReport.ValidationTime.
func (p *Policy) ValidationTime() time.Time { return p.at }

// CRLDir returns the CRL store directory the policy reads.
func (p *Policy) CRLDir() string { return p.crlDir }

// CRLs describes every CRL the policy can use: the store directory's and, for the test
// store, the built-in test CRLs (Builtin set), sorted by kind, generation and scope.
func (p *Policy) CRLs() ([]CRLInfo, error) {
	list, err := OpenStore(p.crlDir).List()
	if err != nil {
		return nil, err
	}
	if ms, ok := p.crls.(multiSource); ok {
		for _, s := range ms {
			if mem, ok := s.(*memorySource); ok {
				for _, sets := range mem.byKey {
					for _, set := range sets {
						list = append(list, *set.info())
					}
				}
			}
		}
	}
	sortCRLs(list)
	return list, nil
}

// Anchors returns the trusted CA certificates, for every purpose: built-in, test and
// user-added (callers must not modify them).
func (p *Policy) Anchors() []*Anchor { return p.store.Anchors }

// CheckSigner validates the certificate that made a signature: a path to a trusted anchor
// (issuers matched by key identifier and proved by signature; others are the
// certificates the signature carried, used only to build the path, never trusted), the
// validity at the validation time, the key usage of a document signer, the critical
// extensions and the revocation status from the CRLs. claimed is the claimed signing time
// (nil when the signature has none); without proof of existence it is only compared, never
// used as the validation time. CheckSigner never returns nil.
func (p *Policy) CheckSigner(signer *x509.Certificate, others []*x509.Certificate, claimed *time.Time) *SignerResult {
	return p.CheckSignerWith(signer, Evidence{Others: others, Claimed: claimed})
}

// Evidence is what a signature brings, beyond its signer certificate, for validating that
// certificate.
type Evidence struct {
	// Others are the certificates the signature carried (used only to build the path).
	Others []*x509.Certificate
	// Claimed is the claimed signing time (nil when the signature has none).
	Claimed *time.Time
	// ExistedAt is the earliest time the signature is proven to have existed (a verified
	// time-stamp over it); nil when there is no such proof.
	ExistedAt *time.Time
	// CRLs and OCSPs are DER CRLs and OCSP responses embedded in the signature or the
	// document; they count only where they verify against their issuer.
	CRLs, OCSPs [][]byte
}

// CheckSignerWith is CheckSigner with everything the signature brings in ev. With
// ev.ExistedAt (a trusted time-stamp over the signature, no later than the validation
// time) a certificate that has expired, or was revoked, after that time is judged at it:
// past signature validation (ETSI EN 319 102-1 §5.6.2.4).
func (p *Policy) CheckSignerWith(signer *x509.Certificate, ev Evidence) *SignerResult {
	claimed := ev.Claimed
	r := &SignerResult{ValidationTime: p.at, Checks: []Check{}}
	if signer == nil {
		r.Indication, r.SubIndication = Indeterminate, NoSigningCertificateFound
		r.Summary = Message{Key: MsgCertNoSigner}
		return r
	}
	poe := ev.proofOfExistence(p.at)
	if poe != nil {
		bst := *poe
		r.BestSignatureTime = &bst
	}
	prof := ParseJPKIProfile(signer)
	r.Certificate = certificateInfo(signer, prof)
	r.Signer = &Signer{Subject: nameString(signer.RawSubject), Test: prof.Test}

	var findings []finding
	chain := buildPaths(signer, ev.Others, p.store.anchorsFor(PurposeSigning))
	if len(chain.paths) == 0 {
		r.Checks = append(r.Checks, Check{Name: CheckChain, Passed: false, Detail: chain.miss})
		findings = append(findings, finding{ind: Indeterminate, sub: NoCertificateChainFound, msg: chain.miss, check: "chain"})
		if prof.Test && p.store.Name != StoreTest {
			r.Warnings = append(r.Warnings, Message{Key: MsgCertTestNeedsTestStore})
		}
		r.decide(findings)
		return r
	}

	pc := p.bestPath(chain, p.purpose, claimed, poe)
	anchor := pc.anchor
	chainOK := Message{Key: MsgCheckChainOK, Args: []string{anchor.Generation}}
	if anchor.User {
		chainOK = Message{Key: MsgCheckChainUserOK, Args: []string{anchor.Name}}
	}
	r.Checks = append(r.Checks, Check{Name: CheckChain, Passed: true, Detail: chainOK})
	r.Checks = append(r.Checks, pc.checks...)
	findings = append(findings, pc.findings...)

	ci := r.Certificate
	ci.Anchor = anchorInfo(anchor)
	switch {
	case anchor.User:
		// A CA the user added is not J-LIS: whatever JPKI policy its certificates carry,
		// they are not JPKI certificates and hold no JPKI personal data.
		ci.Kind = KindNotJPKI
		prof.Personal, prof.Problems = nil, nil
	case anchor.Kind != KindNotJPKI:
		ci.Kind = anchor.Kind
	}
	ci.Generation = anchor.Generation
	ci.Test = prof.Test || anchor.Test
	if ci.IssuerKeyID == "" {
		ci.IssuerKeyID = hex.EncodeToString(pc.path[1].SubjectKeyId)
	}
	for _, c := range pc.path {
		ci.Chain = append(ci.Chain, nameString(c.RawSubject))
	}
	r.Signer.Test = ci.Test
	if ci.Kind == KindSignature && prof.Personal != nil {
		pd := prof.Personal
		r.Signer.Name = pd.Name
		r.Signer.NameSubstituted = pd.NameFlagsValid && len(pd.NameSubstituted) > 0
		r.Signer.Address = pd.Address
		r.Signer.AddressSubstituted = pd.AddressFlagsValid && len(pd.AddressSubstituted) > 0
		r.Signer.BirthDate = pd.BirthDate
		r.Signer.BirthEra = pd.BirthEra
		r.Signer.Sex = pd.Sex
	}
	if ci.Kind == KindSignature {
		pdCheck := Check{Name: CheckPersonalData, Passed: len(prof.Problems) == 0, Detail: Message{Key: MsgCheckPersonalDataOK}}
		if !pdCheck.Passed {
			pdCheck.Detail = prof.Problems[0]
		}
		r.Checks = append(r.Checks, pdCheck)
		r.Warnings = append(r.Warnings, prof.Problems...)
	}
	if ci.Test {
		r.Warnings = append(r.Warnings, Message{Key: MsgCertTestCertificate})
	}
	r.Warnings = append(r.Warnings, pc.notes...)
	findings = append(findings, p.checkPathRevocation(r, pc, ev)...)
	if pc.expiredAtPOE && r.past == pastNone {
		r.past, r.pastAt = pastExpired, pc.path[0].NotAfter
	}
	r.decide(findings)
	return r
}

// proofOfExistence is ev.ExistedAt when it is no later than the validation time at (a
// proof from after the validation time proves nothing about it).
func (ev Evidence) proofOfExistence(at time.Time) *time.Time {
	if ev.ExistedAt == nil || ev.ExistedAt.After(at) {
		return nil
	}
	t := ev.ExistedAt.UTC()
	return &t
}

// bestPath validates every path found and returns the first that passes, or else the
// first.
func (p *Policy) bestPath(chain chainResult, purp purpose, claimed, poe *time.Time) *pathCheck {
	var pc *pathCheck
	for i, path := range chain.paths {
		c := &pathCheck{path: path, anchor: chain.anchors[i], at: p.at, claimed: claimed, poe: poe, purpose: purp, minRSA: p.minRSA}
		c.run()
		if pc == nil || (len(pc.findings) > 0 && len(c.findings) == 0) {
			pc = c
		}
	}
	return pc
}

// checkPathRevocation checks the revocation of every certificate of the path below the
// anchor, from the CRL store and what the signature or document carried (ev), and
// records the outcome in r: the revocation check, the signer certificate's status, the
// warnings, and whether a revocation after the proof of existence was forgiven. It
// returns the findings.
func (p *Policy) checkPathRevocation(r *SignerResult, pc *pathCheck, ev Evidence) []finding {
	var findings []finding
	embedded, crlWarnings := embeddedCRLSource(ev.CRLs, pc.path, pc.anchor, p.at)
	r.Warnings = append(r.Warnings, crlWarnings...)
	crls := withEmbedded(p.crls, embedded)
	embeddedAll := true
	revCheck := Check{Name: CheckRevocation, Passed: true, Detail: Message{Key: MsgCheckRevocationOK}}
	for i := 0; i < len(pc.path)-1; i++ {
		dps := ParseJPKIProfile(pc.path[i]).CRLDistributionPoints
		issuers := []*x509.Certificate{pc.path[i+1]}
		for _, c := range pc.path[i+2:] {
			if namesEqual(c.RawSubject, pc.path[i].RawIssuer) {
				issuers = append(issuers, c)
			}
		}
		q := revocationQuery{cert: pc.path[i], issuers: issuers, dps: dps, at: p.at, claimed: pc.claimed, poe: pc.poe, position: pc.position(i)}
		rc := checkRevocation(crls, q)
		answer, ocspWarnings := findOCSP(ev.OCSPs, pc.path[i], issuers, p.at)
		r.Warnings = append(r.Warnings, ocspWarnings...)
		rc = applyOCSP(rc, answer, q)
		if i == 0 {
			r.Revocation = rc.info
			if rc.afterPOE {
				r.past, r.pastAt = pastRevoked, *rc.info.RevokedAt
			}
		}
		embeddedAll = embeddedAll && rc.embedded
		r.Warnings = append(r.Warnings, rc.warnings...)
		if rc.finding != nil {
			findings = append(findings, *rc.finding)
			if revCheck.Passed {
				revCheck.Passed, revCheck.Detail = false, rc.finding.msg
			}
		}
	}
	r.Checks = append(r.Checks, revCheck)
	r.EmbeddedValidationData = embeddedAll
	return findings
}

// anchorInfo describes the anchor a path ended at, for the report.
func anchorInfo(a *Anchor) *AnchorInfo {
	fp := sha256.Sum256(a.Cert.Raw)
	src := AnchorBuiltin
	if a.User {
		src = AnchorUser
	}
	return &AnchorInfo{Source: src, Name: a.Name, SHA256: hex.EncodeToString(fp[:])}
}

// certificateInfo fills what can be said about a certificate before any chain is built.
func certificateInfo(c *x509.Certificate, prof *JPKIProfile) *CertificateInfo {
	fp := sha256.Sum256(c.Raw)
	return &CertificateInfo{
		Kind:                  prof.Kind,
		Serial:                serialHex(c),
		Issuer:                nameString(c.RawIssuer),
		NotBefore:             c.NotBefore.UTC(),
		NotAfter:              c.NotAfter.UTC(),
		SHA256:                hex.EncodeToString(fp[:]),
		Policies:              prof.Policies,
		Test:                  prof.Test,
		KeyUsage:              keyUsageNames(c.KeyUsage),
		IssuerKeyID:           hex.EncodeToString(c.AuthorityKeyId),
		CRLDistributionPoints: prof.CRLDPNames,
	}
}

// serialHex renders a serial number as upper-case hex (a leading "-" when negative).
func serialHex(c *x509.Certificate) string {
	if c.SerialNumber == nil {
		return ""
	}
	if c.SerialNumber.Sign() < 0 {
		return "-" + fmt.Sprintf("%X", new(big.Int).Neg(c.SerialNumber))
	}
	return fmt.Sprintf("%X", c.SerialNumber)
}
