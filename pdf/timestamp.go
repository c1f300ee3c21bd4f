package pdf

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"errors"

	"github.com/mynasign/mynasign/internal/cms"
)

// signatureTimestampProblem checks the RFC 3161 signature time-stamp token that si
// carries as an unsigned attribute (CAdES id-aa-signatureTimeStampToken): it must be one
// token, parse, imprint the signature value and verify with the certificate it names.
// It returns "" when it does, a short description otherwise. The time-stamping
// authority is not trusted here (issue: TSA trust): a verified token only lets the
// report say B-T, it is no proof of existence yet.
//
// The token's certificate is looked up in the token, then in more (the document's
// /DSS certificates).
func signatureTimestampProblem(si *cms.SignerInfo, more func() []*x509.Certificate) string {
	vals := si.UnsignedAttr(cms.OIDAttrTimeStampToken)
	if len(vals) != 1 {
		return "not exactly one token"
	}
	sd, _, err := cms.Parse(vals[0])
	if err != nil {
		return "unreadable token"
	}
	if !sd.ContentType.Equal(cms.OIDTSTInfo) || !sd.HasEContent || len(sd.Signers) != 1 {
		return "not a time-stamp token"
	}
	tst, err := cms.ParseTSTInfo(sd.EContent)
	if err != nil {
		return "unreadable TSTInfo"
	}
	h, ok := cms.HashByOID(tst.HashAlgorithm.OID)
	if !ok {
		return "unsupported imprint hash"
	}
	w := h.New()
	w.Write(si.Signature)
	if !bytes.Equal(w.Sum(nil), tst.HashedMessage) {
		return "the imprint is not of this signature"
	}
	ts := &sd.Signers[0]
	cert := ts.FindCertificate(sd.Certificates)
	if cert == nil {
		cert = ts.FindCertificate(more())
	}
	if cert == nil {
		return "no time-stamping certificate"
	}
	if !timeStampingOnly(cert) {
		return "not a time-stamping certificate"
	}
	th, err := ts.SignerHash()
	if err != nil {
		return "unsupported token digest"
	}
	w = th.New()
	w.Write(sd.EContent)
	if err := sd.VerifySigner(ts, cert, w.Sum(nil)); err != nil {
		if errors.Is(err, cms.ErrUnsupported) {
			return "unsupported token algorithm"
		}
		return "the token's signature does not verify"
	}
	return ""
}

// oidExtKeyUsage is the extendedKeyUsage extension.
var oidExtKeyUsage = asn1.ObjectIdentifier{2, 5, 29, 37}

// timeStampingOnly reports whether cert is a time-stamping certificate as RFC 3161 §2.3
// requires: an extendedKeyUsage extension, critical, with id-kp-timeStamping only.
func timeStampingOnly(cert *x509.Certificate) bool {
	if len(cert.ExtKeyUsage) != 1 || cert.ExtKeyUsage[0] != x509.ExtKeyUsageTimeStamping || len(cert.UnknownExtKeyUsage) > 0 {
		return false
	}
	for _, e := range cert.Extensions {
		if e.Id.Equal(oidExtKeyUsage) {
			return e.Critical
		}
	}
	return false
}
