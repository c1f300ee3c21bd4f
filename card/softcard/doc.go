// Package softcard is a software My Number Card: the JPKI application and the text
// application (券面事項入力補助AP) at the APDU level, behaving as docs/jpki-card.md §0–§6
// describes the real card. It serves tests, benchmarks, demos and the app's
// "テストカードで試す" path; everything it signs uses test keys.
//
// A Card answers command APDUs. It is a card.Transport in-process (Transmit), and
// ServeVPCD attaches it to a vsmartcard vpcd virtual reader so that pcscd, the
// project's own PC/SC binding and independent clients such as OpenSC reach it through
// the real PC/SC stack.
//
// For tests it can vanish before a chosen APDU (FailBefore), be removed and inserted
// (Remove, Insert), be reset (Reset), and it counts what it received (Stats) and keeps a
// log of command headers, status words and timings (Log) — never the data of a VERIFY.
// Quirks switch on the variants a client must tolerate (61xx/6Cxx, 6983, padding, the
// answer of the empty VERIFY after a success).
package softcard
