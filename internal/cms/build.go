package cms

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"sort"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// SignParams describes a detached SignedData to build.
type SignParams struct {
	Certificate *x509.Certificate   // the signer certificate (identified by issuer and serial)
	Chain       []*x509.Certificate // further certificates to include (never trust anchors for a verifier)
	Hash        crypto.Hash         // the digest algorithm; SHA-256 when zero
	// ContentDigest is the digest of the signed content (the PDF byte ranges).
	ContentDigest []byte
	// SigningTime adds a signing-time attribute when not nil (not for PAdES B-B).
	SigningTime *time.Time
	// SigningCertificateV2 adds the ESS signing-certificate-v2 attribute (RFC 5035).
	SigningCertificateV2 bool
	// SignatureTimestamp, when set, is asked for an RFC 3161 time-stamp token over the
	// signature value once the signer has made it; the token goes into the
	// signature-time-stamp unsigned attribute (CAdES B-T).
	SignatureTimestamp func(signature []byte) ([]byte, error)
}

// MaxTimestampSize is the largest signature time-stamp token Sign accepts, and the room a
// caller keeps for one beyond EstimateSize (a token with its authority's certificate
// chain is a few kilobytes).
const MaxTimestampSize = 12 * 1024

func (p *SignParams) hash() crypto.Hash {
	if p.Hash == 0 {
		return crypto.SHA256
	}
	return p.Hash
}

// SignedAttributes returns the DER of the signed attributes as a SET OF (the bytes the
// signer signs), in DER order.
func (p *SignParams) SignedAttributes() ([]byte, error) {
	h := p.hash()
	if len(p.ContentDigest) != h.Size() {
		return nil, fmt.Errorf("content digest has %d bytes, want %d", len(p.ContentDigest), h.Size())
	}
	var attrs [][]byte
	attr := func(oid asn1.ObjectIdentifier, value func(b *cryptobyte.Builder)) error {
		b := cryptobyte.NewBuilder(nil)
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier(oid)
			b.AddASN1(cbasn1.SET, value)
		})
		der, err := b.Bytes()
		if err != nil {
			return err
		}
		attrs = append(attrs, der)
		return nil
	}
	if err := attr(OIDAttrContentType, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(OIDData) }); err != nil {
		return nil, err
	}
	if err := attr(OIDAttrMessageDigest, func(b *cryptobyte.Builder) { b.AddASN1OctetString(p.ContentDigest) }); err != nil {
		return nil, err
	}
	if p.SigningTime != nil {
		t := p.SigningTime.UTC()
		if err := attr(OIDAttrSigningTime, func(b *cryptobyte.Builder) {
			if t.Year() >= 1950 && t.Year() < 2050 {
				b.AddASN1UTCTime(t)
			} else {
				b.AddASN1GeneralizedTime(t)
			}
		}); err != nil {
			return nil, err
		}
	}
	if p.SigningCertificateV2 {
		sum := sha256.Sum256(p.Certificate.Raw)
		if err := attr(OIDAttrSigningCertV2, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // SigningCertificateV2
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // certs
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // ESSCertIDv2
						// hashAlgorithm DEFAULT sha256: omitted (DER).
						b.AddASN1OctetString(sum[:])
						b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // IssuerSerial
							b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // GeneralNames
								b.AddASN1(cbasn1.Tag(4).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) {
									b.AddBytes(p.Certificate.RawIssuer)
								})
							})
							b.AddASN1BigInt(p.Certificate.SerialNumber)
						})
					})
				})
			})
		}); err != nil {
			return nil, err
		}
	}
	b := cryptobyte.NewBuilder(nil)
	b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
		for _, a := range sortDER(attrs) {
			b.AddBytes(a)
		}
	})
	return b.Bytes()
}

// sortDER orders the encodings of a SET OF as DER requires (X.690 11.6: ascending,
// comparing as octet strings with the shorter padded with trailing zeros).
func sortDER(els [][]byte) [][]byte {
	out := append([][]byte(nil), els...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		n := max(len(a), len(b))
		for k := 0; k < n; k++ {
			var x, y byte
			if k < len(a) {
				x = a[k]
			}
			if k < len(b) {
				y = b[k]
			}
			if x != y {
				return x < y
			}
		}
		return false
	})
	return out
}

// signatureAlgorithm returns the SignerInfo signatureAlgorithm for a public key.
func signatureAlgorithm(pub crypto.PublicKey, h crypto.Hash) (asn1.ObjectIdentifier, bool, error) {
	switch pub.(type) {
	case *rsa.PublicKey:
		return OIDRSAEncryption, true, nil
	case *ecdsa.PublicKey:
		switch h {
		case crypto.SHA256:
			return OIDECDSAWithSHA256, false, nil
		case crypto.SHA384:
			return OIDECDSAWithSHA384, false, nil
		case crypto.SHA512:
			return OIDECDSAWithSHA512, false, nil
		}
	}
	return nil, false, fmt.Errorf("%w: signer key type %T with %v", ErrUnsupported, pub, h)
}

// Assemble builds the DER ContentInfo from the signed attributes, the signature value and
// the unsigned attributes (none, or a signature time-stamp).
func (p *SignParams) Assemble(signedAttrs, signature []byte, unsigned ...Attribute) ([]byte, error) {
	h := p.hash()
	digOID, ok := OIDByHash(h)
	if !ok {
		return nil, unsupported("hash %v", h)
	}
	sigOID, sigNull, err := signatureAlgorithm(p.Certificate.PublicKey, h)
	if err != nil {
		return nil, err
	}
	if len(signedAttrs) == 0 || signedAttrs[0] != 0x31 {
		return nil, errors.New("signed attributes must be a DER SET OF")
	}
	var certs [][]byte
	seen := map[string]bool{}
	for _, c := range append([]*x509.Certificate{p.Certificate}, p.Chain...) {
		if c == nil || seen[string(c.Raw)] {
			continue
		}
		seen[string(c.Raw)] = true
		certs = append(certs, c.Raw)
	}
	attrsImplicit := append([]byte(nil), signedAttrs...)
	attrsImplicit[0] = 0xA0 // [0] IMPLICIT SET OF Attribute

	b := cryptobyte.NewBuilder(nil)
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // ContentInfo
		b.AddASN1ObjectIdentifier(OIDSignedData)
		b.AddASN1(cbasn1.Tag(0).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // SignedData
				b.AddASN1Int64(1)
				b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(digOID) })
				})
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // encapContentInfo, detached
					b.AddASN1ObjectIdentifier(OIDData)
				})
				b.AddASN1(cbasn1.Tag(0).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) {
					for _, c := range sortDER(certs) {
						b.AddBytes(c)
					}
				})
				b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // SignerInfo
						b.AddASN1Int64(1)
						b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // IssuerAndSerialNumber
							b.AddBytes(p.Certificate.RawIssuer)
							b.AddASN1BigInt(p.Certificate.SerialNumber)
						})
						b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(digOID) })
						b.AddBytes(attrsImplicit)
						b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
							b.AddASN1ObjectIdentifier(sigOID)
							if sigNull {
								b.AddASN1NULL()
							}
						})
						b.AddASN1OctetString(signature)
						if len(unsigned) > 0 {
							b.AddASN1(cbasn1.Tag(1).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) {
								for _, a := range unsigned {
									b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
										b.AddASN1ObjectIdentifier(a.Type)
										b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
											for _, v := range a.Values {
												b.AddBytes(v)
											}
										})
									})
								}
							})
						}
					})
				})
			})
		})
	})
	return b.Bytes()
}

// MaxSignatureSize is the largest signature value the certificate's key can produce.
func MaxSignatureSize(pub crypto.PublicKey) (int, error) {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return k.Size(), nil
	case *ecdsa.PublicKey:
		n := (k.Curve.Params().BitSize + 7) / 8
		return 2*n + 9, nil
	}
	return 0, fmt.Errorf("%w: key type %T", ErrUnsupported, pub)
}

// EstimateSize returns the size of the ContentInfo that Sign will produce for p (exact
// for RSA, an upper bound for ECDSA), not counting a signature time-stamp.
func (p *SignParams) EstimateSize() (int, error) {
	attrs, err := p.SignedAttributes()
	if err != nil {
		return 0, err
	}
	n, err := MaxSignatureSize(p.Certificate.PublicKey)
	if err != nil {
		return 0, err
	}
	der, err := p.Assemble(attrs, bytes.Repeat([]byte{0xFF}, n))
	if err != nil {
		return 0, err
	}
	return len(der), nil
}

// Sign builds the signed attributes, has signer sign them, and assembles the
// ContentInfo. The signer's public key must be the certificate's.
func (p *SignParams) Sign(signer crypto.Signer) ([]byte, error) {
	if p.Certificate == nil {
		return nil, errors.New("no signer certificate")
	}
	if !publicKeysEqual(signer.Public(), p.Certificate.PublicKey) {
		return nil, errors.New("the signer's key does not belong to the certificate")
	}
	attrs, err := p.SignedAttributes()
	if err != nil {
		return nil, err
	}
	h := p.hash()
	w := h.New()
	w.Write(attrs)
	sig, err := signer.Sign(rand.Reader, w.Sum(nil), h)
	if err != nil {
		return nil, err
	}
	if p.SignatureTimestamp == nil {
		return p.Assemble(attrs, sig)
	}
	token, err := p.SignatureTimestamp(sig)
	if err != nil {
		return nil, fmt.Errorf("signature time-stamp: %w", err)
	}
	if len(token) > MaxTimestampSize {
		return nil, fmt.Errorf("signature time-stamp: the token is larger than %d bytes", MaxTimestampSize)
	}
	return p.Assemble(attrs, sig, Attribute{Type: OIDAttrTimeStampToken, Values: [][]byte{token}})
}

func publicKeysEqual(a, b crypto.PublicKey) bool {
	type eq interface{ Equal(crypto.PublicKey) bool }
	if x, ok := a.(eq); ok {
		return x.Equal(b)
	}
	return false
}
