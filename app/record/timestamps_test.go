package record

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/trust"
)

// TestRecordShowsTimestamps: each time-stamp of a signature is in the record with its
// time, authority, verdict and sentence, and so is the time the signature is proven to
// have existed; the authority's name is kept without personal data while a sentence
// argument holding the signer's name is masked like every other; a signature without
// time-stamps has no such part.
func TestRecordShowsTimestamps(t *testing.T) {
	good := time.Date(2026, 2, 27, 6, 31, 0, 0, time.UTC)
	other := time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC)
	rs := sampleReports()
	s := &rs[0].Signatures[0]
	s.Format, s.BestSignatureTime = "PAdES-B-T", &good
	s.Timestamps = []trust.TimestampReport{
		{Time: &good, TSA: "CN=Good TSA,O=Example Time", Indication: trust.TotalPassed,
			Summary: trust.Message{Key: trust.MsgTSAOK, Args: []string{"CN=Good TSA,O=Example Time", "2026-02-27T06:31:00Z"}},
			Anchor:  &trust.AnchorInfo{Source: trust.AnchorUser, Name: "Example TSA Root"}},
		{Time: &other, TSA: "CN=Unknown TSA", Indication: trust.Indeterminate, SubIndication: trust.NoSigningCertificateFound,
			Summary: trust.Message{Key: "no.such.ts.key", Args: []string{s.Signer.Name}}},
	}
	for _, lang := range []i18n.Lang{i18n.Japanese, i18n.English} {
		l := i18n.New(lang)
		for _, show := range []bool{false, true} {
			m := buildModel(rs[:2], &Options{Lang: lang, Created: created, Version: "1", ShowPersonalData: show})
			var buf bytes.Buffer
			if err := writeHTML(&buf, m); err != nil {
				t.Fatal(err)
			}
			html := buf.String()
			for _, want := range []string{
				l.T("record.timestamps"), l.T("record.field.best_signature_time"),
				"2026-02-27 15:31:00 JST", "2026-02-28 09:00:00 JST",
				"CN=Good TSA,O=Example Time", "CN=Unknown TSA", "Example TSA Root",
				l.T("record.ts.TOTAL-PASSED"), l.T("record.ts.INDETERMINATE"), "INDETERMINATE / NO_SIGNING_CERTIFICATE_FOUND",
				l.T(trust.MsgTSAOK, "CN=Good TSA,O=Example Time", "2026-02-27T06:31:00Z"),
				"no.such.ts.key",
			} {
				if !strings.Contains(html, want) {
					t.Errorf("%s, personal data %v: the record lacks %q", lang, show, want)
				}
			}
			if got := strings.Contains(html, "髙橋"); got != show {
				t.Errorf("%s, personal data %v: the record shows the signer's name: %v", lang, show, got)
			}
			// Only the time-stamped signature has the part.
			heads := 0
			for _, bl := range m.Blocks {
				if bl.Kind == blockHeading && bl.Text == l.T("record.timestamps") {
					heads++
				}
			}
			if heads != 1 {
				t.Errorf("%s: %d time-stamp parts for one time-stamped signature and one without", lang, heads)
			}
		}
	}
	if rs[0].Signatures[0].Timestamps[1].Summary.Args[0] != rs[0].Signatures[0].Signer.Name {
		t.Error("masking changed the report itself")
	}
}
