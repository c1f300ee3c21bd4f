package trust

import (
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"math/big"
	"time"
)

// memorySet is a small CRL held in memory (the test store's built-in CRLs).
type memorySet struct {
	in      *CRLInfo
	entries map[string]CRLEntry
}

func (m *memorySet) info() *CRLInfo { return m.in }

func (m *memorySet) lookup(serial *big.Int) (CRLEntry, bool, error) {
	e, ok := m.entries[serial.String()]
	return e, ok, nil
}

// memorySource serves built-in CRLs.
type memorySource struct {
	byKey map[[32]byte][]crlSet
}

func (s *memorySource) crlsByIssuerKey(key [32]byte) ([]crlSet, func(), error) {
	return s.byKey[key], func() {}, nil
}

// newBuiltinSource verifies and loads a trust store's built-in CRLs.
func newBuiltinSource(store *TrustStore) (*memorySource, error) {
	src := &memorySource{byKey: map[[32]byte][]crlSet{}}
	for _, name := range store.sortedBuiltinCRLs() {
		rl, err := x509.ParseRevocationList(store.builtinCRLs[name])
		if err != nil {
			return nil, fmt.Errorf("built-in CRL %s: %w", name, err)
		}
		var signer *Anchor
		for _, a := range store.Anchors {
			if rl.CheckSignatureFrom(a.Cert) == nil {
				signer = a
				break
			}
		}
		if signer == nil {
			return nil, fmt.Errorf("built-in CRL %s: not signed by a trusted CA", name)
		}
		in := &CRLInfo{
			Issuer: rl.Issuer.String(), IssuerDER: rl.RawIssuer, IssuerKeyID: hex.EncodeToString(rl.AuthorityKeyId),
			IssuerKeySHA256: hex.EncodeToString(signer.KeySHA256[:]), Generation: signer.Generation,
			Kind: signer.Kind, Test: signer.Test, Scope: "whole", ThisUpdate: rl.ThisUpdate,
			Entries: int64(len(rl.RevokedCertificateEntries)), File: name, Builtin: true,
		}
		if rl.Number != nil {
			in.Number = rl.Number.String()
		}
		if !rl.NextUpdate.IsZero() {
			nu := rl.NextUpdate
			in.NextUpdate = &nu
		}
		set := &memorySet{in: in, entries: map[string]CRLEntry{}}
		for _, e := range rl.RevokedCertificateEntries {
			reason := e.ReasonCode
			if reason == 0 {
				reason = reasonNone
			}
			set.entries[e.SerialNumber.String()] = CRLEntry{RevokedAt: e.RevocationTime.UTC().Truncate(time.Second), Reason: reason}
		}
		src.byKey[signer.KeySHA256] = append(src.byKey[signer.KeySHA256], set)
	}
	return src, nil
}

// newPolicySource combines the CRL store directory with the trust store's built-in CRLs.
func newPolicySource(store *TrustStore, dir string) (crlSource, error) {
	_ = dir // the directory store comes next
	return newBuiltinSource(store)
}
