// Package record writes printable verification records: what mynasign checked on a file
// (or a batch of files), the result in plain words and in ETSI terms, the signer, the
// certificate and its generation, the CRL used and its freshness, the validation time,
// the app version and the SHA-256 of each file checked.
//
// A record is written as PDF (to be filed; the text is real, extractable Japanese text in
// an embedded subset of BIZ UDGothic) and as HTML, in Japanese or English. Personal data
// from a signer's certificate (name, address, birth date, sex, the certificate subject
// and the holder's municipality, which the CRL partition names) is left out unless
// Options.ShowPersonalData is set: the reports go through trust.MaskPersonalData.
//
// The CLI calls Write for `mynasign verify --report DIR`; the GUI calls it from the
// results table. The package imports no Fyne code.
package record
