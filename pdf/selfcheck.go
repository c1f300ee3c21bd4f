package pdf

import (
	"context"
	"fmt"

	"github.com/mynasign/mynasign/trust"
)

// selfVerify runs the verifier on a freshly written output before it is renamed into
// place: the new signature must be intact and cover the whole file, and the new revision
// must be a permitted change for every earlier signature.
//
// With after > 0 the file ends with that many updates after the signature's (a /DSS, a
// document time-stamp): the signature must cover everything before them, and each must
// be a permitted change. field names the new signature (or document time-stamp).
func selfVerify(ctx context.Context, tmp, out string, field string, policy *trust.Policy, after int) (*trust.DocumentReport, error) {
	a, err := analyzeFile(ctx, tmp, policy)
	if err != nil {
		return nil, err
	}
	if a.f == nil {
		return nil, &SelfCheckError{Reason: "the output cannot be read back"}
	}
	var mine *sigState
	for _, s := range append(append([]*sigState(nil), a.sigs...), a.stamps...) {
		if s.field.Name == field {
			mine = s
		}
	}
	switch {
	case mine == nil:
		return nil, &SelfCheckError{Reason: "the new signature is not found"}
	case !mine.rep.Intact:
		return nil, &SelfCheckError{Reason: "the new signature does not verify (" + mine.summary.Key + ")"}
	case after == 0 && mine.rep.Coverage != trust.CoverageWhole:
		return nil, &SelfCheckError{Reason: "the new signature does not cover the whole file"}
	case after > 0 && mine.rev != a.f.Last()-after:
		return nil, &SelfCheckError{Reason: "the new signature does not cover the file up to its /DSS"}
	case mine.ind == trust.TotalFailed:
		return nil, &SelfCheckError{Reason: mine.summary.Key}
	}
	if last := a.f.Last(); last > 0 {
		// The new signature's revision must be a permitted change for the signatures
		// before it, and each update after it for every signature.
		first := last - after + 1
		for _, s := range append(append([]*sigState(nil), a.sigs...), a.stamps...) {
			if s.rev >= 0 && s.rev < last-after {
				first = last - after
				break
			}
		}
		for k := max(first, 1); k <= last; k++ {
			for _, o := range a.diff(k).objects {
				if !o.permitted {
					return nil, &SelfCheckError{Reason: fmt.Sprintf("the update would not be a permitted change for earlier signatures: %s %s", o.Object, o.Why.Key)}
				}
			}
		}
	}
	return a.report(out), nil
}
