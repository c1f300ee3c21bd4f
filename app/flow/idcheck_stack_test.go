package flow

import (
	"errors"
	"testing"

	"github.com/mynasign/mynasign/card"
	"github.com/mynasign/mynasign/card/softcard"
	"github.com/mynasign/mynasign/card/softcard/pcscdtest"
	"github.com/mynasign/mynasign/trust"
)

// TestIDCheckRealStack runs the identity check through card/pcsc, a private pcscd and the
// vpcd driver against the software card: the valid persona is confirmed; revoked and
// expired are not, with the reason; a blocked PIN is reported before any VERIFY; a wrong
// PIN gives the tries left after exactly one VERIFY; a card pulled out before each APDU
// gives no result and an error that says the card is gone.
func TestIDCheckRealStack(t *testing.T) {
	if testing.Short() {
		t.Skip("starts pcscd")
	}
	policy := testPolicy(t)
	stackCard := func(t *testing.T, id string) (*pcscdtest.Stack, func() (*IDCheckCard, error)) {
		sc, err := softcard.NewCheckPersona(id)
		if err != nil {
			t.Fatal(err)
		}
		st := pcscdtest.Start(t, pcscdtest.Options{Card: sc})
		return st, func() (*IDCheckCard, error) {
			sess, err := card.OpenReader(st.Reader, card.Options{})
			if err != nil {
				return nil, err
			}
			return NewIDCheckCard(sess, true)
		}
	}
	for _, tc := range []struct {
		persona string
		outcome trust.IDCheckOutcome
		reason  string
	}{
		{"valid", trust.IDConfirmed, ""},
		{"revoked", trust.IDNotConfirmed, trust.MsgAuthRevoked},
		{"expired", trust.IDNotConfirmed, trust.MsgAuthExpired},
	} {
		t.Run(tc.persona, func(t *testing.T) {
			_, open := stackCard(t, tc.persona)
			rep, err := runWholeCheck(open, policy)
			if err != nil || rep.Outcome != tc.outcome || !rep.ChallengeResponse {
				t.Fatalf("%+v %v", rep, err)
			}
			if tc.reason != "" && rep.Reasons[0].Key != tc.reason {
				t.Fatalf("reasons %+v", rep.Reasons)
			}
		})
	}
	t.Run("blocked", func(t *testing.T) {
		st, open := stackCard(t, "blocked")
		c, err := open()
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		ps, err := c.Prepare(false)
		if err != nil || !ps.Auth.Blocked {
			t.Fatalf("prepare: %+v %v", ps, err)
		}
		var bl *card.Blocked
		if _, err := c.Check(policy, IDCheckOptions{Mode: trust.IDCheckIdentity}, authPINs()); !errors.As(err, &bl) || st.Card.Stats().VerifyAuth != 0 {
			t.Fatalf("check: %v, %d VERIFY", err, st.Card.Stats().VerifyAuth)
		}
	})
	t.Run("wrong PIN", func(t *testing.T) {
		st, open := stackCard(t, "valid")
		c, err := open()
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		var wrong *card.WrongPIN
		rep, err := c.Check(policy, IDCheckOptions{Mode: trust.IDCheckIdentity}, IDCheckPINs{Auth: []byte("9999")})
		if rep != nil || !errors.As(err, &wrong) || wrong.Left != 2 || st.Card.Stats().VerifyAuth != 1 {
			t.Fatalf("check: %v %v, %d VERIFY", rep, err, st.Card.Stats().VerifyAuth)
		}
	})
	t.Run("pulled out", func(t *testing.T) {
		st, open := stackCard(t, "valid")
		checkPulledOutBeforeEachAPDU(t, st.Card, open, policy, func() {
			st.WaitCard(false)
			st.Card.Insert()
			st.WaitCard(true)
		})
	})
}
