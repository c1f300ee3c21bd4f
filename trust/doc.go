// Package trust decides whom a signature can be attributed to: the J-LIS trust anchors
// (and, on request, the project's test CA), JPKI certificate parsing (the personal data in
// the subjectAltName, kind, CA generation), chain building by key identifier and
// signature, the offline CRL store, and the validation report model that the PDF and
// XML verifiers return (ETSI EN 319 102-1 indications with plain-language message keys).
package trust
