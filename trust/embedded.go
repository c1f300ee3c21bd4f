package trust

import (
	"crypto/x509"
	"errors"
	"strconv"
	"time"
)

// maxEmbeddedCRLs bounds how many embedded CRLs one check reads.
const maxEmbeddedCRLs = 64

// Revocation sources (RevocationInfo.Source).
const (
	// RevocationSourceStore: a CRL of the local CRL store (or a built-in test CRL).
	RevocationSourceStore = "store"
	// RevocationSourceEmbedded: a CRL the signature or document carried.
	RevocationSourceEmbedded = "embedded"
	// RevocationSourceOCSP: an OCSP response the signature or document carried.
	RevocationSourceOCSP = "ocsp"
)

// embeddedCRLSource verifies the CRLs a signature or document carried against the CA
// certificates of the validated path and serves those that verify and are dated no later
// than the validation time at (with the import clock skew). A CRL is used only for a
// certificate whose issuer signed it: checkRevocation asks a source by issuer key, and a
// CRL is filed under the key that verified it. A CRL from a CA outside the path (a
// time-stamping authority's, say) is left out silently; one that names a CA of the path
// but does not verify, or is malformed or misdated, is left out with a warning.
func embeddedCRLSource(ders [][]byte, path []*x509.Certificate, anchor *Anchor, at time.Time) (crlSource, []Message) {
	if len(ders) == 0 || len(path) < 2 {
		return nil, nil
	}
	signers := make([]crlSigner, 0, len(path)-1)
	for _, c := range path[1:] {
		s := crlSigner{cert: c, keyID: subjectKeyID(c)}
		if anchor != nil && c.Equal(anchor.Cert) {
			s.anchor = anchor
		}
		signers = append(signers, s)
	}
	mem := &memorySource{byKey: map[string][]crlSet{}}
	var warnings []Message
	for i, der := range ders {
		if i == maxEmbeddedCRLs {
			break
		}
		x, err := buildMemoryIndex("embedded CRL "+strconv.Itoa(i+1), der, signers, at, true)
		if err != nil {
			if w, ok := embeddedCRLWarning(err); ok {
				warnings = append(warnings, w)
			}
			continue
		}
		mem.byKey[x.in.IssuerKeySHA256] = append(mem.byKey[x.in.IssuerKeySHA256], x)
	}
	return mem, warnings
}

// embeddedCRLWarning says why an embedded CRL was left out; false for a CRL of a CA
// outside the validated path, which is no concern of this certificate.
func embeddedCRLWarning(err error) (Message, bool) {
	var ce *CRLError
	if !errors.As(err, &ce) {
		return Message{Key: MsgRevEmbeddedCRLUnusable}, true
	}
	switch ce.Reason.Key {
	case MsgCRLUnknownIssuer:
		return Message{}, false
	case MsgCRLBadSignature, MsgCRLNotCRLSigner:
		return Message{Key: MsgRevEmbeddedCRLBadSignature, Args: ce.Reason.Args}, true
	}
	return Message{Key: MsgRevEmbeddedCRLUnusable}, true
}

// preferStore drops an embedded CRL wherever the store holds a CRL of the same issuer and
// scope that is at least as new: embedded validation data never overrides a newer CRL
// from the local store.
func preferStore(covering []crlSet) []crlSet {
	out := covering[:0:0]
	for _, s := range covering {
		in := s.info()
		if in.Embedded && newerInStore(covering, in) {
			continue
		}
		out = append(out, s)
	}
	return out
}

// newerInStore reports whether sets hold a stored CRL of in's issuer and scope issued no
// earlier than in.
func newerInStore(sets []crlSet, in *CRLInfo) bool {
	for _, s := range sets {
		o := s.info()
		if !o.Embedded && o.IssuerKeySHA256 == in.IssuerKeySHA256 && o.Scope == in.Scope && !o.ThisUpdate.Before(in.ThisUpdate) {
			return true
		}
	}
	return false
}

// withEmbedded adds an embedded source to the policy's.
func withEmbedded(src, embedded crlSource) crlSource {
	switch {
	case embedded == nil:
		return src
	case src == nil:
		return embedded
	}
	return multiSource{src, embedded}
}
