// Package trust decides whom a signature can be attributed to: the J-LIS trust anchors
// (and, on request, the project's test CA), JPKI certificate parsing (the personal data in
// the subjectAltName, kind, CA generation), chain building by key identifier and
// signature, the offline CRL store, and the validation report model that the PDF and
// XML verifiers return (ETSI EN 319 102-1 indications with plain-language message keys).
//
// # For the verifiers
//
// Build one Policy per run (a batch shares it; it is safe for concurrent use):
//
//	pol, err := trust.NewPolicy(trust.Options{TrustStore: "production", CRLDir: "", At: time.Time{}})
//
// (the CLI's --trust, --crl-dir and --at flags fill these). For each signature, after the
// verifier's own checks (format, byte ranges or references, digest, signature value,
// coverage, changes after signing) have set sr.Indication to TOTAL-PASSED or to their own
// failure:
//
//	res := pol.CheckSigner(signerCert, certsInTheSignature, claimedSigningTime) // claimed may be nil
//	res.ApplyTo(&sr) // fills signer, certificate, revocation, validation time; combines indications
//
// and for the file:
//
//	doc.TrustStore, doc.ValidationTime = pol.TrustStore(), pol.ValidationTime()
//	trust.Summarize(&doc)
//
// The certificates carried by a signature only help to build the path; trust comes from
// the anchors alone. A signer that chains to no anchor gets NO_CERTIFICATE_CHAIN_FOUND, and
// its personal data is not shown as an identity; the verifier's intact/coverage/changes
// findings are reported all the same.
//
// # The CRL store
//
// Store imports CRL files (DER, PEM, folders, zips) after checking their signature against
// the anchors, and keeps the newest CRL per scope (issuer key and partition) as a sorted
// index of serial numbers that lookups binary-search without reading it whole. The CRL is
// parsed as a stream (cryptobyte on one entry at a time): millions of entries need tens of
// megabytes, not gigabytes. See formats.md §4 and BENCHMARKS.md.
package trust
