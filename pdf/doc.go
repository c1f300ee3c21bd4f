// Package pdf signs PDF documents by incremental update — PAdES baseline B-B
// (ETSI.CAdES.detached) and the Legal Affairs Bureau registry profile
// (adbe.pkcs7.detached) — and verifies PDF signatures: byte-range sanity, CMS integrity,
// coverage, the difference analysis of every later revision, and (through package
// trust) the signer's certificate and its revocation.
//
// The package reads PDFs with its own lazy cross-reference reader, so that a 200 MB
// file costs little memory, and builds the signature dictionary, the CMS SignedData and
// the incremental update itself. It takes a crypto.Signer and certificates: it does not
// know about cards.
package pdf
