package cms

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Errors of VerifySigner.
var (
	// ErrDigestMismatch: the message-digest attribute does not match the content.
	ErrDigestMismatch = errors.New("the message digest does not match the signed content")
	// ErrBadSignature: the signature value does not verify with the certificate's key.
	ErrBadSignature = errors.New("the signature value does not verify")
	// ErrAlgorithmMismatch: the signature algorithm names another hash than the digest
	// algorithm (sha1WithRSA over a SHA-256 digest, RSA-PSS with SHA-1 parameters over
	// a SHA-256 digest): RFC 5652 §5.4 hashes the signed attributes with the digest
	// algorithm, and OpenSSL and poppler refuse such a signature.
	ErrAlgorithmMismatch = errors.New("the signature algorithm does not match the digest algorithm")
)

// SignerHash returns the digest algorithm of si.
func (si *SignerInfo) SignerHash() (crypto.Hash, error) {
	h, ok := HashByOID(si.DigestAlgorithm.OID)
	if !ok {
		return 0, unsupported("digest algorithm %v", si.DigestAlgorithm.OID)
	}
	return h, nil
}

// VerifySigner checks the signer si of sd against the content whose digest (computed
// with si's digest algorithm) is contentDigest, using cert's public key. With signed
// attributes it checks content-type and message-digest and verifies the signature over
// the attributes; without, it verifies the signature over the content digest.
func (sd *SignedData) VerifySigner(si *SignerInfo, cert *x509.Certificate, contentDigest []byte) error {
	h, err := si.SignerHash()
	if err != nil {
		return err
	}
	if si.SignedAttrs != nil {
		ct, n := si.Attr(OIDAttrContentType)
		if n != 1 || len(ct) != 1 {
			return formatErr("the content-type attribute must occur once")
		}
		var oid asn1.ObjectIdentifier
		s := cryptobyte.String(ct[0])
		if !s.ReadASN1ObjectIdentifier(&oid) || !s.Empty() || !oid.Equal(sd.ContentType) {
			return formatErr("the content-type attribute does not match the content")
		}
		md, n := si.Attr(OIDAttrMessageDigest)
		if n != 1 || len(md) != 1 {
			return formatErr("the message-digest attribute must occur once")
		}
		var got cryptobyte.String
		s = cryptobyte.String(md[0])
		if !s.ReadASN1(&got, cbasn1.OCTET_STRING) || !s.Empty() {
			return formatErr("bad message-digest attribute")
		}
		if !bytes.Equal(got, contentDigest) {
			return ErrDigestMismatch
		}
		err := verifySignature(cert.PublicKey, si, si.SignedAttrsDER, nil, h)
		for _, form := range si.signedAttrsForms {
			if !errors.Is(err, ErrBadSignature) {
				break
			}
			err = verifySignature(cert.PublicKey, si, form, nil, h)
		}
		return err
	}
	return verifySignature(cert.PublicKey, si, nil, contentDigest, h)
}

// verifySignature verifies si.Signature over message (when non-nil) or over the
// precomputed digest (hashed with h).
func verifySignature(pub any, si *SignerInfo, message, digest []byte, h crypto.Hash) error {
	alg := si.SignatureAlgorithm.OID
	sum := func(hh crypto.Hash) ([]byte, error) {
		if hh != h {
			return nil, ErrAlgorithmMismatch
		}
		if message == nil {
			if hh != h {
				return nil, unsupported("signature hash %v differs from the digest algorithm", hh)
			}
			return digest, nil
		}
		if !hh.Available() {
			return nil, unsupported("hash %v", hh)
		}
		w := hh.New()
		w.Write(message)
		return w.Sum(nil), nil
	}
	switch {
	case alg.Equal(OIDRSAEncryption), alg.Equal(OIDSHA1WithRSA), alg.Equal(OIDSHA224WithRSA), alg.Equal(OIDSHA256WithRSA),
		alg.Equal(OIDSHA384WithRSA), alg.Equal(OIDSHA512WithRSA):
		k, ok := pub.(*rsa.PublicKey)
		if !ok {
			return formatErr("RSA signature with a non-RSA key")
		}
		hh := h
		switch {
		case alg.Equal(OIDSHA1WithRSA):
			hh = crypto.SHA1
		case alg.Equal(OIDSHA224WithRSA):
			hh = crypto.SHA224
		case alg.Equal(OIDSHA256WithRSA):
			hh = crypto.SHA256
		case alg.Equal(OIDSHA384WithRSA):
			hh = crypto.SHA384
		case alg.Equal(OIDSHA512WithRSA):
			hh = crypto.SHA512
		}
		d, err := sum(hh)
		if err != nil {
			return err
		}
		if err := rsa.VerifyPKCS1v15(k, hh, d, si.Signature); err != nil {
			return ErrBadSignature
		}
		return nil
	case alg.Equal(OIDRSAPSS):
		k, ok := pub.(*rsa.PublicKey)
		if !ok {
			return formatErr("RSA-PSS signature with a non-RSA key")
		}
		hh, salt, err := parsePSSParams(si.SignatureAlgorithm.Params)
		if err != nil {
			return err
		}
		d, err := sum(hh)
		if err != nil {
			return err
		}
		if err := rsa.VerifyPSS(k, hh, d, si.Signature, &rsa.PSSOptions{SaltLength: salt, Hash: hh}); err != nil {
			return ErrBadSignature
		}
		return nil
	case alg.Equal(OIDECDSAWithSHA1), alg.Equal(OIDECDSAWithSHA224), alg.Equal(OIDECDSAWithSHA256),
		alg.Equal(OIDECDSAWithSHA384), alg.Equal(OIDECDSAWithSHA512), alg.Equal(OIDECPublicKey):
		k, ok := pub.(*ecdsa.PublicKey)
		if !ok {
			return formatErr("ECDSA signature with a non-EC key")
		}
		hh := h
		switch {
		case alg.Equal(OIDECDSAWithSHA1):
			hh = crypto.SHA1
		case alg.Equal(OIDECDSAWithSHA224):
			hh = crypto.SHA224
		case alg.Equal(OIDECDSAWithSHA256):
			hh = crypto.SHA256
		case alg.Equal(OIDECDSAWithSHA384):
			hh = crypto.SHA384
		case alg.Equal(OIDECDSAWithSHA512):
			hh = crypto.SHA512
		}
		d, err := sum(hh)
		if err != nil {
			return err
		}
		if !ecdsa.VerifyASN1(k, d, si.Signature) {
			return ErrBadSignature
		}
		return nil
	case alg.Equal(OIDEd25519):
		k, ok := pub.(ed25519.PublicKey)
		if !ok {
			return formatErr("Ed25519 signature with a non-Ed25519 key")
		}
		if message == nil {
			return unsupported("Ed25519 without signed attributes")
		}
		if !ed25519.Verify(k, message, si.Signature) {
			return ErrBadSignature
		}
		return nil
	}
	return unsupported("signature algorithm %v", alg)
}

// parsePSSParams reads RSASSA-PSS-params (RFC 4055), allowing only MGF1 with the same
// hash as the message.
func parsePSSParams(der []byte) (crypto.Hash, int, error) {
	h, mgfHash, salt := crypto.SHA1, crypto.SHA1, 20
	if der == nil {
		return h, salt, nil
	}
	s := cryptobyte.String(der)
	var seq cryptobyte.String
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) {
		return 0, 0, formatErr("bad RSASSA-PSS parameters")
	}
	if seq.PeekASN1Tag(cbasn1.Tag(0).ContextSpecific().Constructed()) {
		var x cryptobyte.String
		if !seq.ReadASN1(&x, cbasn1.Tag(0).ContextSpecific().Constructed()) {
			return 0, 0, formatErr("bad RSASSA-PSS parameters")
		}
		a, err := readAlgorithm(&x)
		if err != nil {
			return 0, 0, err
		}
		var ok bool
		if h, ok = HashByOID(a.OID); !ok {
			return 0, 0, unsupported("PSS hash %v", a.OID)
		}
	}
	if seq.PeekASN1Tag(cbasn1.Tag(1).ContextSpecific().Constructed()) {
		var x cryptobyte.String
		if !seq.ReadASN1(&x, cbasn1.Tag(1).ContextSpecific().Constructed()) {
			return 0, 0, formatErr("bad RSASSA-PSS parameters")
		}
		a, err := readAlgorithm(&x)
		if err != nil {
			return 0, 0, err
		}
		if !a.OID.Equal(OIDMGF1) {
			return 0, 0, unsupported("PSS mask generation %v", a.OID)
		}
		ps := cryptobyte.String(a.Params)
		inner, err := readAlgorithm(&ps)
		if err != nil {
			return 0, 0, err
		}
		var ok bool
		if mgfHash, ok = HashByOID(inner.OID); !ok {
			return 0, 0, unsupported("MGF1 hash %v", inner.OID)
		}
	}
	if seq.PeekASN1Tag(cbasn1.Tag(2).ContextSpecific().Constructed()) {
		var x cryptobyte.String
		if !seq.ReadASN1(&x, cbasn1.Tag(2).ContextSpecific().Constructed()) {
			return 0, 0, formatErr("bad RSASSA-PSS parameters")
		}
		var v int64
		if !x.ReadASN1Int64WithTag(&v, cbasn1.INTEGER) || v < 0 || v > 1024 {
			return 0, 0, formatErr("bad PSS salt length")
		}
		salt = int(v)
	}
	if mgfHash != h {
		return 0, 0, unsupported("MGF1 hash differs from the PSS hash")
	}
	return h, salt, nil
}

// SigningCertificateCheck is the outcome of checking an ESS signing-certificate(-v2)
// attribute.
type SigningCertificateCheck struct {
	Present bool // a signing-certificate or signing-certificate-v2 attribute is there
	V2      bool // it is signing-certificate-v2
	Match   bool // its first ESSCertID names cert (hash, and issuer/serial when given)
	Err     error
}

// CheckSigningCertificate checks the ESS signing-certificate-v2 (RFC 5035) or, when
// only that is present, the signing-certificate (RFC 2634) attribute against cert.
func (si *SignerInfo) CheckSigningCertificate(cert *x509.Certificate) SigningCertificateCheck {
	if v, n := si.Attr(OIDAttrSigningCertV2); n > 0 {
		r := SigningCertificateCheck{Present: true, V2: true}
		if n != 1 || len(v) != 1 {
			r.Err = formatErr("signing-certificate-v2 must occur once")
			return r
		}
		r.Match, r.Err = matchESSCertID(v[0], cert, true)
		return r
	}
	if v, n := si.Attr(OIDAttrSigningCert); n > 0 {
		r := SigningCertificateCheck{Present: true}
		if n != 1 || len(v) != 1 {
			r.Err = formatErr("signing-certificate must occur once")
			return r
		}
		r.Match, r.Err = matchESSCertID(v[0], cert, false)
		return r
	}
	return SigningCertificateCheck{}
}

func matchESSCertID(der []byte, cert *x509.Certificate, v2 bool) (bool, error) {
	s := cryptobyte.String(der)
	var sc, certs, id cryptobyte.String
	if !s.ReadASN1(&sc, cbasn1.SEQUENCE) || !s.Empty() || !sc.ReadASN1(&certs, cbasn1.SEQUENCE) || !certs.ReadASN1(&id, cbasn1.SEQUENCE) {
		return false, formatErr("bad signing-certificate attribute")
	}
	h := crypto.SHA1
	if v2 {
		h = crypto.SHA256
		if id.PeekASN1Tag(cbasn1.SEQUENCE) {
			a, err := readAlgorithm(&id)
			if err != nil {
				return false, err
			}
			var ok bool
			if h, ok = HashByOID(a.OID); !ok {
				return false, unsupported("signing-certificate-v2 hash %v", a.OID)
			}
		}
	}
	var certHash cryptobyte.String
	if !id.ReadASN1(&certHash, cbasn1.OCTET_STRING) {
		return false, formatErr("bad ESSCertID")
	}
	w := h.New()
	w.Write(cert.Raw)
	if !bytes.Equal(w.Sum(nil), certHash) {
		return false, nil
	}
	if id.Empty() {
		return true, nil
	}
	var is, names cryptobyte.String
	if !id.ReadASN1(&is, cbasn1.SEQUENCE) || !is.ReadASN1(&names, cbasn1.SEQUENCE) {
		return false, formatErr("bad IssuerSerial")
	}
	serial := new(big.Int)
	if !is.ReadASN1Integer(serial) {
		return false, formatErr("bad IssuerSerial serial number")
	}
	if serial.Cmp(cert.SerialNumber) != 0 {
		return false, nil
	}
	found := false
	for !names.Empty() {
		var gn cryptobyte.String
		var tag cbasn1.Tag
		if !names.ReadAnyASN1(&gn, &tag) {
			return false, formatErr("bad GeneralNames")
		}
		if tag == cbasn1.Tag(4).ContextSpecific().Constructed() && bytes.Equal(gn, cert.RawIssuer) {
			found = true
		}
	}
	return found, nil
}

// DescribeAlgorithm names the signature algorithm of si for reports ("RSA PKCS#1 v1.5").
func (si *SignerInfo) DescribeAlgorithm() string {
	alg := si.SignatureAlgorithm.OID
	switch {
	case alg.Equal(OIDRSAEncryption), alg.Equal(OIDSHA1WithRSA), alg.Equal(OIDSHA224WithRSA), alg.Equal(OIDSHA256WithRSA),
		alg.Equal(OIDSHA384WithRSA), alg.Equal(OIDSHA512WithRSA):
		return "RSA PKCS#1 v1.5"
	case alg.Equal(OIDRSAPSS):
		return "RSASSA-PSS"
	case alg.Equal(OIDECDSAWithSHA1), alg.Equal(OIDECDSAWithSHA224), alg.Equal(OIDECDSAWithSHA256),
		alg.Equal(OIDECDSAWithSHA384), alg.Equal(OIDECDSAWithSHA512), alg.Equal(OIDECPublicKey):
		return "ECDSA"
	case alg.Equal(OIDEd25519):
		return "Ed25519"
	case alg.Equal(OIDEd448):
		return "Ed448"
	}
	return fmt.Sprint(alg)
}
