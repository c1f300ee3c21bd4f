package record

import "github.com/mynasign/mynasign/trust"

// timestamps is the タイムスタンプ part of a signature: the time the signature is proven
// to have existed, then each RFC 3161 time-stamp over it (time, authority, verdict,
// sentence, the anchor its authority's path ended at). Nothing for a signature without.
func (b *builder) timestamps(s *trust.SignatureReport) {
	if len(s.Timestamps) == 0 && s.BestSignatureTime == nil {
		return
	}
	b.heading(3, b.t("record.timestamps"))
	if s.BestSignatureTime != nil {
		b.rows(row{Label: b.t("record.field.best_signature_time"), Value: b.time(*s.BestSignatureTime), Tone: tonePass})
	} else {
		b.rows(row{Label: b.t("record.field.best_signature_time"), Value: b.t("record.ts.no_proof"), Tone: toneIndeterminate})
	}
	for i := range s.Timestamps {
		ts := &s.Timestamps[i]
		verdict := b.t("record.ts." + string(statusOf(ts.Indication)))
		if e := b.etsi(ts.Indication, ts.SubIndication); e != "" {
			verdict += " — " + e
		}
		tsa := ts.TSA // the authority's subject: not personal data
		if tsa == "" {
			tsa = "—"
		}
		anchor := ""
		if ts.Anchor != nil {
			anchor = ts.Anchor.Name
		}
		b.rows(
			row{Label: b.t("record.field.timestamp_n", i+1), Value: b.timep(ts.Time)},
			row{Label: b.t("record.field.tsa"), Value: tsa},
			row{Label: b.t("record.field.ts_verdict"), Value: verdict, Tone: indicationTone(ts.Indication)},
			row{Label: b.t("record.field.ts_summary"), Value: b.msg(ts.Summary)},
			row{Label: b.t("record.field.ts_anchor"), Value: anchor},
		)
	}
}

// maskTimestamps masks the sentences of masked's time-stamps as trust.MaskPersonalData
// masks every other message of orig (masked is its result, whose time-stamps it shares
// with orig): an argument that holds a signer's personal data reads trust.Hidden.
func maskTimestamps(orig, masked *trust.DocumentReport) {
	// The time-stamps' sentences go through the one masking function as warnings of
	// their signature, with the report's personal data around them.
	probe := *orig
	probe.Signatures = make([]trust.SignatureReport, len(orig.Signatures))
	for i, s := range orig.Signatures {
		s.Warnings = nil
		for _, ts := range s.Timestamps {
			s.Warnings = append(s.Warnings, ts.Summary)
		}
		probe.Signatures[i] = s
	}
	mp := trust.MaskPersonalData(&probe)
	for i := range masked.Signatures {
		s := &masked.Signatures[i]
		if len(s.Timestamps) == 0 {
			continue
		}
		tss := append([]trust.TimestampReport(nil), s.Timestamps...)
		for j := range tss {
			tss[j].Summary = mp.Signatures[i].Warnings[j]
		}
		s.Timestamps = tss
	}
}
