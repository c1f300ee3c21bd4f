package flow

import (
	"testing"

	"github.com/mynasign/mynasign/card"
	"github.com/mynasign/mynasign/card/softcard"
	"github.com/mynasign/mynasign/trust"
)

// runWholeCheck opens the card with open, prepares and runs an identity check.
func runWholeCheck(open func() (*IDCheckCard, error), policy *trust.Policy) (*trust.IDCheckReport, error) {
	c, err := open()
	if err != nil {
		return nil, err
	}
	defer c.Close()
	if _, err := c.Prepare(false); err != nil {
		return nil, err
	}
	return c.Check(policy, IDCheckOptions{Mode: trust.IDCheckIdentity}, authPINs())
}

// checkPulledOutBeforeEachAPDU takes the card out right before each APDU of a whole check
// in turn (opening included): every time there is no report and the error says the card
// is gone. reinsert puts the card back (and waits for it).
func checkPulledOutBeforeEachAPDU(t *testing.T, sc *softcard.Card, open func() (*IDCheckCard, error), policy *trust.Policy, reinsert func()) {
	t.Helper()
	before := sc.Stats().Commands
	rep, err := runWholeCheck(open, policy)
	if err != nil || rep.Outcome != trust.IDConfirmed {
		t.Fatalf("clean run: %+v %v", rep, err)
	}
	total := sc.Stats().Commands - before
	if total < 5 {
		t.Fatalf("a whole check took %d APDUs", total)
	}
	for n := 1; n <= total; n++ {
		sc.FailBefore(n)
		rep, err := runWholeCheck(open, policy)
		if rep != nil || !card.IsGone(err) {
			t.Fatalf("card pulled out before APDU %d of %d: report %+v, error %v", n, total, rep, err)
		}
		reinsert()
	}
}

func TestIDCheckCardPulledOutBeforeEachAPDU(t *testing.T) {
	sc, err := softcard.NewCheckPersona("valid")
	if err != nil {
		t.Fatal(err)
	}
	open := func() (*IDCheckCard, error) {
		sess, err := card.Open(sc)
		if err != nil {
			return nil, err
		}
		return NewIDCheckCard(sess, true)
	}
	checkPulledOutBeforeEachAPDU(t, sc, open, testPolicy(t), sc.Insert)
}
