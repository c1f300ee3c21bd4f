// Package xades signs and verifies XML with the My Number Card: XAdES baseline B-B
// (enveloped) for general XML application data, and the e-Gov 電子申請 profile (a plain
// XMLDSig Signature in kousei.xml over 構成情報 and the package's files), formats.md §2.
//
// Signing (SignXAdES, SignXAdESFile, SignEGov) takes any crypto.Signer with its
// certificate; in the app that is the card's signer. The signature is spliced into the
// original bytes (encoding declaration, white space, comments and character references
// stay as they were), every digest is computed on the parsed tree of the document as
// it will be written, and the result is verified before anything is written. Files are
// written to a temporary file or folder next to the output and renamed into place; the
// input is never modified.
//
// Verification (Verify, VerifyEGov) returns the trust package's report. The XML side is
// checked here (formats.md §2c): no DOCTYPE at all; exactly one SignedInfo; signature,
// digest, canonicalization and transform algorithms from an allow-list (base64, and
// XPath and XPath Filter 2.0 restricted to a documented subset: transform_xpath.go,
// docs/reading-model-xml.md); identifiers unique in the document; references resolved
// only by identifier inside the document, or by plain file name inside the e-Gov
// package folder or, with VerifyFile, the verified file's folder (never a path, a link
// out of it or anything outside it); digests over exactly what each reference resolved to; the signed
// content reported as that element (its path), never as an element found another way;
// XAdES SignedProperties inside the same Signature and covered by it; the signing
// certificate named in SigningCertificate(V2) the one that verifies; for e-Gov, the signed
// 構成情報 the single one the application reads. The certificate (chain, validity, CRL)
// is the trust package's Policy. A signature is TOTAL-PASSED only when all of that passed.
//
// Signature algorithms: RSA PKCS #1 v1.5, RSA-PSS (RFC 6931: the fixed …-rsa-MGF1
// identifiers, and #rsa-pss with its RSAPSSParams checked, rsapss.go) and ECDSA on
// P-256/384/521 (XMLDSig 1.1 r || s), with SHA-1 (reported as weak), SHA-2 or SHA-3;
// Ed25519 (RFC 9231, pure).
// TOTAL-FAILED only on proof: a digest that does not match, a value that does not
// verify with the signer's key, a structure that is certainly forbidden. What cannot be
// evaluated (an unknown algorithm or parameter, a curve or certificate crypto/x509
// cannot read, a value over a known non-canonical form, quirks.go) is INDETERMINATE.
// XAdES counter-signatures (countersign.go) are reported as signatures of their own;
// the signature they countersign is judged without them.
//
// The XML tree and the canonicalizers are this package's own: encoding/xml (and so
// etree) cannot tell a character reference from a literal character in an attribute
// value, which Canonical XML must, and the signature has to be spliced into the input by
// byte offsets. Canonical XML 1.0 here is the true 1.0 (xml:* attributes of omitted
// ancestors inherited, xml:id included), not 1.1 under the 1.0 name; Canonical XML 1.1
// (without xml:base fix-up) and Exclusive Canonical XML are provided too. All of them
// work on node-sets and reproduce the W3C/Merlin c14n vectors (c14n_test.go).
package xades
