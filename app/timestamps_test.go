package app

import (
	"testing"
	"time"

	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/trust"
)

// timestampedReport is a report of one signature with a trusted and an untrusted
// time-stamp over it.
func timestampedReport() *trust.DocumentReport {
	good := time.Date(2026, 3, 1, 1, 2, 3, 0, time.UTC)
	other := time.Date(2026, 3, 2, 4, 5, 6, 0, time.UTC)
	return &trust.DocumentReport{File: "申請書.pdf", Kind: "pdf", Indication: trust.TotalPassed,
		Signatures: []trust.SignatureReport{{ID: "Signature1", Format: "PAdES-B-T", Indication: trust.TotalPassed,
			Coverage: trust.CoverageWhole, BestSignatureTime: &good,
			Timestamps: []trust.TimestampReport{
				{Time: &good, TSA: "CN=Good TSA,O=Test", Indication: trust.TotalPassed,
					Summary: trust.Message{Key: trust.MsgTSAOK, Args: []string{"CN=Good TSA,O=Test", "2026-03-01T01:02:03Z"}},
					Anchor:  &trust.AnchorInfo{Source: trust.AnchorUser, Name: "Test TSA Root"}},
				{Time: &other, TSA: "CN=Unknown TSA", Indication: trust.Indeterminate, SubIndication: trust.NoSigningCertificateFound,
					Summary: trust.Message{Key: trust.MsgTSANoCertificate}},
			}}}}
}

// TestDetailsShowTimestamps: each time-stamp appears in the details with its time, its
// authority, a plain verdict and its sentence, and the time the signature is proven to
// have existed; a signature without time-stamps has no such section.
func TestDetailsShowTimestamps(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.Japanese, i18n.English} {
		u := newTestUI(t, lang)
		r := timestampedReport()
		s := &r.Signatures[0]
		u.showReportDetails(r, u.showHome)
		noMissingKeys(t, u, "details with time-stamps")
		for _, want := range []string{
			u.t("gui.details.timestamps"),
			u.t("gui.details.best_signature_time"),
			u.t("gui.details.ts.n", 1, u.t("gui.details.ts.passed")),
			u.t("gui.details.ts.n", 2, u.t("gui.details.ts.indeterminate")),
			u.fmtTime(*s.Timestamps[0].Time), u.fmtTime(*s.Timestamps[1].Time),
			"CN=Good TSA,O=Test", "CN=Unknown TSA",
			u.msg(s.Timestamps[0].Summary), u.msg(s.Timestamps[1].Summary),
			u.t("gui.details.anchor_user", "Test TSA Root"),
			"INDETERMINATE / NO_SIGNING_CERTIFICATE_FOUND",
		} {
			mustShow(t, u, want)
		}

		r.Signatures[0].Timestamps, r.Signatures[0].BestSignatureTime = nil, nil
		u.showReportDetails(r, u.showHome)
		mustNotShow(t, u, u.t("gui.details.timestamps"))
		mustNotShow(t, u, u.t("gui.details.best_signature_time"))
		mustNotShow(t, u, "CN=Good TSA")
	}
}
