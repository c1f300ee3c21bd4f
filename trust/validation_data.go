package trust

import (
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"time"
)

// ValidationData is what a long-term (B-LT) signature embeds so that it can be validated
// without the signer's CRL store: the certificate path up to the trust anchor and, for
// every certificate below the anchor, the CRL of the local store that covers it.
type ValidationData struct {
	Certs []*x509.Certificate
	CRLs  [][]byte
}

// MissingCRLError says that the local store has no CRL fit to embed for a certificate of
// the path: none covers it (Stale false), or the newest one is out of date at the time of
// signing. Scope names the CRL to import (the JPKI partition or the issuer).
type MissingCRLError struct {
	Scope string
	Stale bool
	// NextUpdate is the stale CRL's nextUpdate.
	NextUpdate *time.Time
	Err        error // an underlying error (e.g. ErrNoRawCRL), when there is one
}

// Error is the English form.
func (e *MissingCRLError) Error() string {
	switch {
	case e.Err != nil:
		return fmt.Sprintf("no CRL to embed for %s: %v; import the CRL again (mynasign crl import)", e.Scope, e.Err)
	case e.Stale:
		return fmt.Sprintf("the CRL for %s is out of date (next update %s); import a newer CRL (mynasign crl import)", e.Scope, isoTime(*e.NextUpdate))
	}
	return fmt.Sprintf("no CRL for %s in the CRL store; import it first (mynasign crl import)", e.Scope)
}

// Unwrap returns the underlying error.
func (e *MissingCRLError) Unwrap() error { return e.Err }

// ValidationData collects, for a long-term signature by cert, the path to a trust anchor
// (others may supply intermediate certificates) and the newest CRL of the store covering
// each certificate below the anchor, which must be fresh at the policy's validation time.
// It fails with a *MissingCRLError naming the CRL to import when there is none (never a
// silent B-B), or when no path to an anchor exists.
func (p *Policy) ValidationData(cert *x509.Certificate, others []*x509.Certificate) (*ValidationData, error) {
	chain := buildPaths(cert, others, p.store.Anchors)
	if len(chain.paths) == 0 {
		return nil, errors.New("the certificate does not chain to a trusted CA: no long-term signature can be made")
	}
	path := chain.paths[0]
	vd := &ValidationData{Certs: append([]*x509.Certificate(nil), path...)}
	for i := 0; i < len(path)-1; i++ {
		der, err := p.embeddableCRL(path[i], path[i+1])
		if err != nil {
			return nil, err
		}
		vd.CRLs = append(vd.CRLs, der)
	}
	return vd, nil
}

// embeddableCRL returns the newest store CRL by issuer covering c, checked against its
// index: the bytes must verify against the issuer and be the CRL the index describes.
func (p *Policy) embeddableCRL(c, issuer *x509.Certificate) ([]byte, error) {
	dps := ParseJPKIProfile(c).CRLDistributionPoints
	scope := describeScope(c, dps)
	sets, release, err := p.crls.crlsByIssuerKey(sha256.Sum256(issuer.RawSubjectPublicKeyInfo))
	if err != nil {
		return nil, &MissingCRLError{Scope: scope, Err: err}
	}
	defer release()
	var best crlSet
	for _, s := range sets {
		if covers(s.info(), c, dps) && (best == nil || s.info().ThisUpdate.After(best.info().ThisUpdate)) {
			best = s
		}
	}
	if best == nil {
		return nil, &MissingCRLError{Scope: scope}
	}
	in := best.info()
	if !in.FreshAt(p.at) {
		return nil, &MissingCRLError{Scope: scope, Stale: true, NextUpdate: in.NextUpdate}
	}
	x, ok := best.(*crlIndex)
	if !ok {
		return nil, &MissingCRLError{Scope: scope, Err: ErrNoRawCRL}
	}
	der, err := x.rawCRL()
	if err != nil {
		return nil, &MissingCRLError{Scope: scope, Err: err}
	}
	check, err := buildMemoryIndex("stored CRL", der, []crlSigner{{cert: issuer, keyID: subjectKeyID(issuer)}}, p.at, true)
	if err != nil || check.in.Number != in.Number || !check.in.ThisUpdate.Equal(in.ThisUpdate) || check.in.Scope != in.Scope {
		return nil, &MissingCRLError{Scope: scope, Err: errors.New("the stored CRL does not match its index")}
	}
	return der, nil
}
