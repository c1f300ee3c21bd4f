package trust

import "strconv"

// Summarize sets a document's bottom line from its signatures: TOTAL-PASSED only when the
// document has at least one signature and every signature is TOTAL-PASSED (and no error
// was recorded); TOTAL-FAILED when any signature failed (the first failure's
// sub-indication); otherwise INDETERMINATE. The summary counts the signatures. It also
// copies the validation time of the first signature when the document has none.
func Summarize(d *DocumentReport) {
	total := len(d.Signatures)
	var passed, failed, indeterminate int
	var firstFailed, firstIndeterminate *SignatureReport
	for i := range d.Signatures {
		s := &d.Signatures[i]
		switch s.Indication {
		case TotalPassed:
			passed++
		case TotalFailed:
			failed++
			if firstFailed == nil {
				firstFailed = s
			}
		default: // INDETERMINATE, or a verifier that set nothing: never passed by default
			indeterminate++
			if firstIndeterminate == nil {
				firstIndeterminate = s
			}
		}
	}
	if d.ValidationTime.IsZero() && total > 0 {
		d.ValidationTime = d.Signatures[0].ValidationTime
	}
	counts := []string{strconv.Itoa(total), strconv.Itoa(passed), strconv.Itoa(failed), strconv.Itoa(indeterminate)}
	switch {
	case failed > 0:
		d.Indication, d.SubIndication = TotalFailed, firstFailed.SubIndication
		d.Summary = Message{Key: MsgDocFailed, Args: counts}
	case d.Error != nil:
		d.Indication, d.SubIndication = Indeterminate, FormatFailure
		d.Summary = *d.Error
	case total == 0:
		d.Indication, d.SubIndication = Indeterminate, ""
		d.Summary = Message{Key: MsgDocUnsigned}
	case indeterminate > 0:
		d.Indication, d.SubIndication = Indeterminate, firstIndeterminate.SubIndication
		d.Summary = Message{Key: MsgDocIndeterminate, Args: counts}
	default:
		d.Indication, d.SubIndication = TotalPassed, ""
		d.Summary = Message{Key: MsgDocPassed, Args: counts}
	}
	if d.Signatures == nil {
		d.Signatures = []SignatureReport{}
	}
}
