// The verifier reads certificates with a negative serial number (common in third-party
// signatures, refused by crypto/x509 by default), as the mynasign program does through
// the same directive in main.go; see TestNegativeSerialCertificate.
//
//go:debug x509negativeserial=1
package xades
