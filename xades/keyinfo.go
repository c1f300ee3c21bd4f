package xades

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// keyMaterial is what a ds:KeyInfo carries that mynasign uses: the X.509 certificates
// (X509Data/X509Certificate, in document order) and a bare public key (KeyValue or
// dsig11:DEREncodedKeyValue), which verifies integrity but names nobody.
type keyMaterial struct {
	certs   []*x509.Certificate
	bareKey crypto.PublicKey
	// unsupported lists KeyInfo children that could name a key mynasign does not follow
	// (KeyName, RetrievalMethod, X509IssuerSerial lookups, …).
	unsupported []string
	// unparsed are X509Certificates crypto/x509 refuses (an unsupported curve, a
	// malformed extension, …), and unusableKey says why a KeyValue or
	// DEREncodedKeyValue could not be read (an unsupported curve or key type): the
	// signer's key may be among them, so a signature value that verifies with none of
	// the other keys is not proof of anything.
	unparsed    []unparsedCert
	unusableKey string
}

// unparsedCert is a certificate of KeyInfo that crypto/x509 could not parse.
type unparsedCert struct {
	der []byte
	err error
}

// unparsedSigner returns the unparsed certificate the signing certificate reference
// names by its digest, if any.
func (km *keyMaterial) unparsedSigner(ref *certRef) *unparsedCert {
	for i := range km.unparsed {
		h := ref.digest.hash.New()
		h.Write(km.unparsed[i].der)
		if bytes.Equal(h.Sum(nil), ref.digestValue) {
			return &km.unparsed[i]
		}
	}
	return nil
}

// cannotUse says why the key material might hold a key that was not tried ("" if none).
func (km *keyMaterial) cannotUse() string {
	if len(km.unparsed) > 0 {
		return km.unparsed[0].err.Error()
	}
	return km.unusableKey
}

// decodeBase64 decodes base64 text with any XML white space in it.
func decodeBase64(s string) ([]byte, error) {
	clean := strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, s)
	return base64.StdEncoding.DecodeString(clean)
}

// readKeyInfo collects the key material of a ds:KeyInfo element (nil: none).
func readKeyInfo(ki *node) (*keyMaterial, error) {
	km := &keyMaterial{}
	if ki == nil {
		return km, nil
	}
	for _, c := range ki.elements() {
		switch {
		case c.is(NSDSig, "X509Data"):
			for _, x := range c.elements() {
				if !x.is(NSDSig, "X509Certificate") {
					continue
				}
				der, err := decodeBase64(x.text())
				if err != nil {
					// Not base64 (a PEM header, say): a certificate we cannot read.
					km.unparsed = append(km.unparsed, unparsedCert{nil, fmt.Errorf("X509Certificate is not base64: %w", err)})
					continue
				}
				cert, err := x509.ParseCertificate(der)
				if err != nil {
					km.unparsed = append(km.unparsed, unparsedCert{der, err})
					continue
				}
				km.certs = append(km.certs, cert)
			}
		case c.is(NSDSig, "KeyValue"):
			k, err := parseKeyValue(c)
			if errors.Is(err, errUnsupportedKey) {
				km.unusableKey = err.Error()
				continue
			}
			if err != nil {
				return nil, err
			}
			if k != nil && km.bareKey == nil {
				km.bareKey = k
			}
		case c.is(NSDSig11, "DEREncodedKeyValue"):
			der, err := decodeBase64(c.text())
			if err != nil {
				km.unusableKey = "DEREncodedKeyValue is not base64"
				continue
			}
			k, err := x509.ParsePKIXPublicKey(der)
			if err != nil {
				// A well-formed SubjectPublicKeyInfo of a type or curve crypto/x509
				// does not know, or a malformed one: either way not a key to try.
				km.unusableKey = "DEREncodedKeyValue: " + err.Error()
				continue
			}
			if km.bareKey == nil {
				km.bareKey = k
			}
		default:
			km.unsupported = append(km.unsupported, c.local)
		}
	}
	return km, nil
}

// parseKeyValue reads an RSAKeyValue or a dsig11 ECKeyValue with a named curve; other
// key types give nil without an error (they are simply not usable).
func parseKeyValue(kv *node) (crypto.PublicKey, error) {
	for _, c := range kv.elements() {
		switch {
		case c.is(NSDSig, "RSAKeyValue"):
			var n, e *big.Int
			for _, f := range c.elements() {
				b, err := decodeBase64(f.text())
				if err != nil {
					return nil, fmt.Errorf("RSAKeyValue/%s is not base64", f.local)
				}
				switch {
				case f.is(NSDSig, "Modulus"):
					n = new(big.Int).SetBytes(b)
				case f.is(NSDSig, "Exponent"):
					e = new(big.Int).SetBytes(b)
				}
			}
			if n == nil || e == nil || n.Sign() == 0 || !e.IsInt64() || e.Int64() < 3 || e.Int64() > 1<<31-1 {
				return nil, errors.New("RSAKeyValue is incomplete")
			}
			return &rsa.PublicKey{N: n, E: int(e.Int64())}, nil
		case c.is(NSDSig11, "ECKeyValue"):
			var curve elliptic.Curve
			var point []byte
			for _, f := range c.elements() {
				switch {
				case f.is(NSDSig11, "NamedCurve"):
					uri, _ := f.attrValue("URI")
					switch uri {
					case "urn:oid:1.2.840.10045.3.1.7":
						curve = elliptic.P256()
					case "urn:oid:1.3.132.0.34":
						curve = elliptic.P384()
					case "urn:oid:1.3.132.0.35":
						curve = elliptic.P521()
					default:
						return nil, fmt.Errorf("%w: ECKeyValue curve %s", errUnsupportedKey, uri)
					}
				case f.is(NSDSig11, "ECParameters"):
					return nil, fmt.Errorf("%w: ECKeyValue with explicit curve parameters", errUnsupportedKey)
				case f.is(NSDSig11, "PublicKey"):
					b, err := decodeBase64(f.text())
					if err != nil {
						return nil, errors.New("ECKeyValue/PublicKey is not base64")
					}
					point = b
				}
			}
			if curve == nil || point == nil {
				return nil, errors.New("ECKeyValue is incomplete")
			}
			k, err := ecdsa.ParseUncompressedPublicKey(curve, point)
			if err != nil {
				// A compressed point, or one not on the curve: not a key to try.
				return nil, fmt.Errorf("%w: ECKeyValue/PublicKey: %v", errUnsupportedKey, err)
			}
			return k, nil
		}
	}
	return nil, nil
}

// verifySignatureValue checks a signature value over the canonical SignedInfo. asn1 is
// true when an ECDSA value verified only in its ASN.1 (DER) form, which some signers
// write instead of XMLDSig's r || s.
func verifySignatureValue(key crypto.PublicKey, alg signatureAlg, signed, sig []byte) (asn1Form bool, err error) {
	if alg.key == keyEd25519 {
		pub, ok := key.(ed25519.PublicKey)
		if !ok {
			return false, errKeyType
		}
		if !ed25519.Verify(pub, signed, sig) {
			return false, errors.New("Ed25519 verification failed")
		}
		return false, nil
	}
	h := alg.hash.New()
	h.Write(signed)
	digest := h.Sum(nil)
	switch alg.key {
	case keyRSA:
		pub, ok := key.(*rsa.PublicKey)
		if !ok {
			return false, errKeyType
		}
		if alg.pss {
			return false, rsa.VerifyPSS(pub, alg.hash, digest, sig, &rsa.PSSOptions{SaltLength: alg.saltLen, Hash: alg.hash})
		}
		return false, rsa.VerifyPKCS1v15(pub, alg.hash, digest, sig)
	case keyECDSA:
		pub, ok := key.(*ecdsa.PublicKey)
		if !ok {
			return false, errKeyType
		}
		// XMLDSig ECDSA values are r || s, each as long as the curve order. Some signers
		// write each half one byte shorter (a known Java bug) or longer (zero-padded),
		// or the whole value in ASN.1; it is still a pair (r, s) that only the key holder
		// can make verify, so these forms are read too.
		size := (pub.Curve.Params().BitSize + 7) / 8
		if len(sig)%2 == 0 && len(sig) >= 2 && len(sig)/2 <= size+1 {
			half := len(sig) / 2
			r := new(big.Int).SetBytes(sig[:half])
			s := new(big.Int).SetBytes(sig[half:])
			if ecdsa.Verify(pub, digest, r, s) {
				return false, nil
			}
		}
		if ecdsa.VerifyASN1(pub, digest, sig) {
			return true, nil
		}
		return false, errors.New("ECDSA verification failed")
	}
	return false, errKeyType
}

var (
	errKeyType        = errors.New("the key does not fit the signature algorithm")
	errUnsupportedKey = errors.New("unsupported key")
)

// signDigest signs with a crypto.Signer (a card or a software key) and returns the
// signature value in XMLDSig form.
func signDigest(s crypto.Signer, alg signatureAlg, signed []byte) ([]byte, error) {
	if alg.key == keyEd25519 {
		return s.Sign(rand.Reader, signed, crypto.Hash(0))
	}
	h := alg.hash.New()
	h.Write(signed)
	digest := h.Sum(nil)
	var opts crypto.SignerOpts = alg.hash
	if alg.pss {
		opts = &rsa.PSSOptions{SaltLength: alg.saltLen, Hash: alg.hash}
	}
	sig, err := s.Sign(rand.Reader, digest, opts)
	if err != nil {
		return nil, err
	}
	if alg.key != keyECDSA {
		return sig, nil
	}
	pub, ok := s.Public().(*ecdsa.PublicKey)
	if !ok {
		return nil, errKeyType
	}
	var parsed struct{ R, S *big.Int }
	if _, err := asn1.Unmarshal(sig, &parsed); err != nil {
		return nil, fmt.Errorf("ECDSA signature from the signer: %w", err)
	}
	size := (pub.Curve.Params().BitSize + 7) / 8
	out := make([]byte, 2*size)
	parsed.R.FillBytes(out[:size])
	parsed.S.FillBytes(out[size:])
	return out, nil
}

// signatureAlgFor chooses the signature algorithm for a signer's key: RSA-SHA256 for
// RSA (what the JPKI card does), ECDSA with a hash matching the curve.
func signatureAlgFor(pub crypto.PublicKey) (string, error) {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return AlgRSASHA256, nil
	case *ecdsa.PublicKey:
		switch k.Curve.Params().BitSize {
		case 256:
			return AlgECDSASHA256, nil
		case 384:
			return AlgECDSASHA384, nil
		case 521:
			return AlgECDSASHA512, nil
		}
	}
	return "", fmt.Errorf("unsupported signer key type %T", pub)
}

// samePublicKey reports whether two public keys are equal.
func samePublicKey(a, b crypto.PublicKey) bool {
	type eq interface{ Equal(crypto.PublicKey) bool }
	if x, ok := a.(eq); ok {
		return x.Equal(b)
	}
	return false
}

// certIndex returns the position of c in list (by DER), or -1.
func certIndex(list []*x509.Certificate, c *x509.Certificate) int {
	for i, o := range list {
		if bytes.Equal(o.Raw, c.Raw) {
			return i
		}
	}
	return -1
}
