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
// With dss the file ends with the /DSS update after the signature: the signature must
// cover everything before it, and the /DSS must be a permitted change.
func selfVerify(ctx context.Context, tmp, out string, p *prepared, policy *trust.Policy, dss bool) (*trust.DocumentReport, error) {
	a, err := analyzeFile(ctx, tmp, policy)
	if err != nil {
		return nil, err
	}
	if a.f == nil {
		return nil, &SelfCheckError{Reason: "the output cannot be read back"}
	}
	var mine *sigState
	for _, s := range a.sigs {
		if s.field.Name == p.field {
			mine = s
		}
	}
	switch {
	case mine == nil:
		return nil, &SelfCheckError{Reason: "the new signature is not found"}
	case !mine.rep.Intact:
		return nil, &SelfCheckError{Reason: "the new signature does not verify (" + mine.summary.Key + ")"}
	case !dss && mine.rep.Coverage != trust.CoverageWhole:
		return nil, &SelfCheckError{Reason: "the new signature does not cover the whole file"}
	case dss && mine.rev != a.f.Last()-1:
		return nil, &SelfCheckError{Reason: "the new signature does not cover the file up to its /DSS"}
	case mine.ind == trust.TotalFailed:
		return nil, &SelfCheckError{Reason: mine.summary.Key}
	}
	if last := a.f.Last(); last > 0 && (len(a.sigs) > 1 || dss) {
		d := a.diff(last)
		for _, o := range d.objects {
			if !o.permitted {
				return nil, &SelfCheckError{Reason: fmt.Sprintf("the update would not be a permitted change for earlier signatures: %s %s", o.Object, o.Why.Key)}
			}
		}
	}
	return a.report(out), nil
}
