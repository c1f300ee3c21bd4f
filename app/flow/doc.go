// Package flow holds the workflows that the GUI and the CLI share: signing files with a
// card (open the card, read the tries left, one VERIFY for the whole batch, sign every
// file in the same session, self-verify each output before it is renamed into place)
// and verifying files; and the identity check at a counter (idcheck.go: IDCheckCard's
// Prepare, Check and Close, in that order, one Check per user action). It imports no
// Fyne code.
//
// Document formats are listed in formats.go, in explicit tables and in the order they
// are tried: SignProfiles ("pades", "registry", "xades", "egov"), Verifiers ("pdf",
// "egov", "xml") and ConformanceChecks ("registry"). Each format lives in its own file of
// this package (sign_pdf.go, verify_pdf.go, sign_xml.go, verify_xml.go); nothing
// registers itself from init.
package flow
