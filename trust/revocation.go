package trust

import (
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"time"
)

// CRL reason codes (RFC 5280 §5.3.1) by name, as reported in RevocationInfo.Reason.
var reasonNames = map[int]string{
	0: "unspecified", 1: "keyCompromise", 2: "cACompromise", 3: "affiliationChanged",
	4: "superseded", 5: "cessationOfOperation", 6: "certificateHold", 8: "removeFromCRL",
	9: "privilegeWithdrawn", 10: "aACompromise",
}

// Reason codes with a special meaning for the status.
const (
	reasonNone            = -1 // the entry has no reasonCode extension
	reasonCertificateHold = 6
	reasonRemoveFromCRL   = 8
)

// ReasonName returns the RFC 5280 name of a CRL reason code ("" for none).
func ReasonName(code int) string {
	if code == reasonNone {
		return ""
	}
	if n, ok := reasonNames[code]; ok {
		return n
	}
	return fmt.Sprintf("reason-%d", code)
}

// CRLEntry is one revoked certificate found in a CRL.
type CRLEntry struct {
	RevokedAt time.Time
	Reason    int // RFC 5280 reason code, -1 when the entry has none
}

// crlSet is one stored CRL: its description and a lookup of a serial number.
type crlSet interface {
	info() *CRLInfo
	lookup(serial *big.Int) (CRLEntry, bool, error)
}

// crlSource hands out the CRLs signed with one CA key (the SHA-256 of its
// SubjectPublicKeyInfo). The returned function releases what the sets hold open.
type crlSource interface {
	crlsByIssuerKey(key [32]byte) ([]crlSet, func(), error)
}

// revocationCheck is the outcome of checking one certificate.
type revocationCheck struct {
	info     *RevocationInfo
	finding  *finding // nil when GOOD
	warnings []Message
	// embedded is true when a CRL the signature or document carried covers the
	// certificate and verified against its issuer (whether or not it decided).
	embedded bool
	// afterPOE is true when the certificate was revoked, but only after the proof of
	// existence of the signature: no finding.
	afterPOE bool
}

// revocationQuery is what checkRevocation decides about: cert, whose CRLs are signed by
// one of issuers (the certificate's issuer first, then any other certificate of the
// validated path with the same name: a CA that rolled its key over by a self-issued
// certificate signs its CRLs with its current key) for the partitions dps, at the
// validation time at. position names the certificate in messages ("signer", "CA 1");
// claimed is the claimed signing time and poe the proof of existence of the signature
// (either may be nil).
type revocationQuery struct {
	cert     *x509.Certificate
	issuers  []*x509.Certificate
	dps      [][]byte
	at       time.Time
	claimed  *time.Time
	poe      *time.Time
	position string
}

// usable reports whether a covering CRL that does not list the certificate shows it
// unrevoked where it matters: fresh at the validation time, or, with a proof of
// existence, issued at or after it (ETSI EN 319 102-1 §5.6.2.4: what happened to the
// certificate after the signature existed does not count). A CRL issued after the
// certificate expired no longer has to list it (RFC 5280 §3.3), so with a proof of
// existence it must have been issued before the expiry, also when the validation time
// (--at) is before the expiry.
func (q revocationQuery) usable(in *CRLInfo) bool {
	freshNow := in.NextUpdate != nil && !q.at.After(*in.NextUpdate)
	if q.poe == nil {
		return freshNow
	}
	afterPOE := !in.ThisUpdate.Before(*q.poe)
	listsIt := !in.ThisUpdate.After(q.cert.NotAfter)
	return (freshNow || afterPOE) && listsIt
}

// checkRevocation decides the status of q.cert from the CRLs of src.
func checkRevocation(src crlSource, q revocationQuery) revocationCheck {
	cert, position, t := q.cert, q.position, q.at
	rc := revocationCheck{info: &RevocationInfo{Status: RevocationUnknown}}
	unknown := func(key string, args ...string) revocationCheck {
		rc.finding = &finding{ind: Indeterminate, sub: TryLater, msg: Message{Key: key, Args: args}, check: "revocation"}
		return rc
	}
	dps := q.dps
	scopeDesc := describeScope(cert, dps)
	if src == nil {
		return unknown(MsgRevNoCRL, position, scopeDesc)
	}
	var sets []crlSet
	for _, issuer := range q.issuers {
		s, release, err := src.crlsByIssuerKey(sha256.Sum256(issuer.RawSubjectPublicKeyInfo))
		var ie *IndexError
		if errors.As(err, &ie) {
			return unknown(MsgRevCRLDamaged, position, ie.ID)
		}
		if err != nil {
			return unknown(MsgRevStoreError, position, err.Error())
		}
		defer release()
		sets = append(sets, s...)
	}

	var covering []crlSet
	for _, s := range sets {
		if covers(s.info(), cert, dps) {
			covering = append(covering, s)
		}
	}
	for _, s := range covering {
		rc.embedded = rc.embedded || s.info().Embedded
	}
	covering = preferStore(covering)
	if len(covering) == 0 {
		return unknown(MsgRevNoCRL, position, scopeDesc)
	}

	// Listed in any covering CRL: revoked (a revocation is final; a hold is not).
	var hit *CRLEntry
	var hitSet crlSet
	for _, s := range covering {
		e, ok, err := s.lookup(cert.SerialNumber)
		if err != nil {
			return unknown(MsgRevStoreError, position, err.Error())
		}
		if !ok || e.Reason == reasonRemoveFromCRL {
			continue
		}
		if hit == nil || e.RevokedAt.Before(hit.RevokedAt) {
			e := e
			hit, hitSet = &e, s
		}
	}
	if hit != nil && !hit.RevokedAt.After(t) {
		fillFromCRL(rc.info, hitSet.info(), t)
		return rc.revoked(hit.RevokedAt, hit.Reason, q)
	}
	if hit != nil {
		// Revoked only after the validation time: good at that time, but say so.
		rc.warnings = append(rc.warnings, Message{Key: MsgRevRevokedLater, Args: []string{isoTime(hit.RevokedAt)}})
	}

	// Not listed: GOOD if a covering CRL is usable (fresh at t, or issued after the
	// proof of existence); the newest usable one is reported.
	var best, newest *CRLInfo
	for _, s := range covering {
		in := s.info()
		if newest == nil || in.ThisUpdate.After(newest.ThisUpdate) {
			newest = in
		}
		if q.usable(in) && (best == nil || in.ThisUpdate.After(best.ThisUpdate)) {
			best = in
		}
	}
	if best != nil {
		fillFromCRL(rc.info, best, t)
		rc.info.Status = RevocationGood
		return rc
	}
	fillFromCRL(rc.info, newest, t)
	if q.poe != nil && t.After(cert.NotAfter) {
		// Expired: only a CRL issued between the proof of existence and the expiry tells.
		return unknown(MsgRevNoCRLBeforeExpiry, position, scopeDesc, isoTime(*q.poe), isoTime(cert.NotAfter))
	}
	if q.poe != nil && newest.ThisUpdate.After(cert.NotAfter) {
		// Only CRLs from after the expiry (and the validation time), which need not list it.
		return unknown(MsgRevOnlyCRLAfterExpiry, position, scopeDesc, isoTime(cert.NotAfter))
	}
	if newest.NextUpdate == nil {
		return unknown(MsgRevNoNextUpdate, position, scopeDesc)
	}
	stale := *newest.NextUpdate
	rc.info.StaleSince = &stale
	return unknown(MsgRevStale, position, scopeDesc, isoTime(stale))
}

// revoked sets the outcome for a certificate revoked at (no later than the validation
// time) for reason. Revoked after the proof of existence of the signature: no finding, a
// plain note (the JPKI moved-house case). Otherwise TOTAL-FAILED/REVOKED for the signer,
// unless, without a proof of existence, the claimed signing time is before the
// revocation (unproven: REVOKED_NO_POE); REVOKED_CA_NO_POE for a CA; a certificate hold
// is not final (TRY_LATER).
func (rc revocationCheck) revoked(at time.Time, reason int, q revocationQuery) revocationCheck {
	position, claimed := q.position, q.claimed
	rc.info.RevokedAt = &at
	rc.info.Reason = ReasonName(reason)
	if q.poe != nil && q.poe.Before(at) && reason != reasonCertificateHold {
		rc.info.Status = RevocationRevoked
		rc.afterPOE = true
		m := Message{Key: MsgRevRevokedAfterPOE, Args: []string{isoTime(at), isoTime(*q.poe)}}
		if position != "signer" {
			m = Message{Key: MsgRevCARevokedAfterPOE, Args: []string{isoTime(at), isoTime(*q.poe), position}}
		}
		rc.warnings = append(rc.warnings, m, reasonMessage(reason))
		return rc
	}
	if claimed != nil {
		before := at.Before(*claimed)
		rc.info.RevokedBeforeSigning = &before
	}
	if reason == reasonCertificateHold {
		rc.info.Status = RevocationUnknown
		rc.finding = &finding{ind: Indeterminate, sub: TryLater, msg: Message{Key: MsgRevOnHold, Args: []string{position, isoTime(at)}}, check: "revocation"}
		return rc
	}
	rc.info.Status = RevocationRevoked
	key, sub, ind := revokedMessage(reason), Revoked, TotalFailed
	switch {
	case position != "signer":
		key, sub, ind = MsgRevCARevoked, RevokedCANoPOE, Indeterminate
	case q.poe == nil && claimed != nil && claimed.Before(at):
		// Signed (as claimed) before the revocation, but nothing proves the claim. (With
		// a proof of existence from after the revocation, the claim is outweighed.)
		key, sub, ind = MsgRevRevokedNoPOE, RevokedNoPOE, Indeterminate
	}
	args := []string{isoTime(at)}
	if key == MsgRevCARevoked {
		args = append(args, position)
	}
	rc.finding = &finding{ind: ind, sub: sub, msg: Message{Key: key, Args: args}, check: "revocation"}
	rc.warnings = append(rc.warnings, reasonMessage(reason))
	return rc
}

// reasonMessage is the warning that explains a revocation reason.
func reasonMessage(code int) Message {
	if _, ok := reasonNames[code]; ok {
		return Message{Key: MsgRevReasonPrefix + reasonNames[code]}
	}
	if code == reasonNone {
		return Message{Key: MsgRevReasonPrefix + "none"}
	}
	return Message{Key: MsgRevReasonPrefix + "other", Args: []string{strconv.Itoa(code)}}
}

// revokedMessage picks the summary for a revoked signer certificate by its reason: a
// JPKI signature certificate is revoked automatically when the holder moves or changes
// name, which is not fraud.
func revokedMessage(reason int) string {
	switch reason {
	case 1, 2, 10: // keyCompromise, cACompromise, aACompromise
		return MsgRevRevokedCompromise
	default:
		return MsgRevRevoked
	}
}

func fillFromCRL(ri *RevocationInfo, in *CRLInfo, t time.Time) {
	ri.CRLIssuer = in.Issuer
	ri.CRLScope = in.Scope
	ri.CRLNumber = in.Number
	ri.CRLSHA256 = in.SHA256
	tu := in.ThisUpdate
	ri.ThisUpdate = &tu
	if in.NextUpdate != nil {
		nu := *in.NextUpdate
		ri.NextUpdate = &nu
		ri.Fresh = !t.After(nu)
	}
	ri.CRLFile = in.File
	ri.Builtin = in.Builtin
	ri.Source = RevocationSourceStore
	if in.Embedded {
		ri.Source = RevocationSourceEmbedded
	}
}

// covers reports whether a CRL is authoritative for cert: the same issuer (key and name),
// and either the issuer's whole scope or the partition named in the certificate's
// cRLDistributionPoints; onlyContainsUserCerts / onlyContainsCACerts respected.
func covers(in *CRLInfo, cert *x509.Certificate, dps [][]byte) bool {
	if !namesEqual(in.IssuerDER, cert.RawIssuer) {
		return false
	}
	isCA := cert.BasicConstraintsValid && cert.IsCA
	if (in.OnlyUserCerts && isCA) || (in.OnlyCACerts && !isCA) {
		return false
	}
	if len(in.ScopeURIs) > 0 {
		// A CRL published at a URL covers the certificates that name that URL.
		for _, want := range in.ScopeURIs {
			for _, have := range cert.CRLDistributionPoints {
				if want == have {
					return true
				}
			}
		}
		return false
	}
	if len(in.ScopeNames) == 0 {
		return true // no distribution point in the IDP: the issuer's whole scope
	}
	for _, want := range in.ScopeNames {
		for _, have := range dps {
			if namesEqual(want, have) {
				return true
			}
		}
	}
	return false
}

// describeScope names what CRL a certificate needs, for messages: its distribution
// point (a JPKI municipality partition, or the URL a non-JPKI CA publishes its CRL at)
// or its issuer.
func describeScope(cert *x509.Certificate, dps [][]byte) string {
	if len(dps) > 0 {
		return nameString(dps[0])
	}
	if len(cert.CRLDistributionPoints) > 0 {
		return cert.CRLDistributionPoints[0]
	}
	return nameString(cert.RawIssuer)
}
