package flow

import (
	"regexp"
	"testing"

	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/pdf"
)

var verb = regexp.MustCompile(`%(\[\d+\])?[sdv]`)

// TestPDFMessageKeysTranslated: every key the PDF verifier and the conformance check
// put into reports has a Japanese and an English text, with the same number of
// arguments.
func TestPDFMessageKeysTranslated(t *testing.T) {
	keys := append(pdf.MessageKeys(), MsgConformanceNotApplicable)
	ja, en := i18n.New(i18n.Japanese), i18n.New(i18n.English)
	for _, k := range keys {
		if !ja.Has(k) || !en.Has(k) {
			t.Errorf("%s: missing translation (ja %v, en %v)", k, ja.Has(k), en.Has(k))
			continue
		}
		if a, b := len(verb.FindAllString(ja.T(k), -1)), len(verb.FindAllString(en.T(k), -1)); a != b {
			t.Errorf("%s: %d arguments in Japanese, %d in English", k, a, b)
		}
	}
}
