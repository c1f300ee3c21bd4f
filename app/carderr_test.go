package app

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/mynasign/mynasign/app/flow"
	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/card"
	"github.com/mynasign/mynasign/internal/tsp"
)

// TestCardErrorText: a card taken out and a reader without a card are told apart, also
// when the error is wrapped, and the GUI says exactly what the CLI says: both come from
// flow.Explain. An error nobody knows gets the general sentence, never English.
func TestCardErrorText(t *testing.T) {
	u := &UI{l: i18n.New(i18n.Japanese)}
	for err, want := range map[error]string{
		card.ErrCardRemoved:                              "err.card.removed",
		fmt.Errorf("signing: %w", card.ErrNoCard):        "err.card.no_card",
		card.ErrNoReader:                                 "err.card.no_reader",
		fmt.Errorf("reading: %w", card.ErrCardReset):     "err.card.reset",
		&card.WrongPIN{Kind: card.SignPassword, Left: 4}: "err.pin.wrong",
	} {
		e, ok := flow.Explain(err)
		if !ok || e.Key != want {
			t.Errorf("Explain(%v) = %s, want %s", err, e.Key, want)
		}
		if got := u.cardErrorText(err); got != e.Text(u.l) || got == "" || got[0] == '!' {
			t.Errorf("cardErrorText(%v) = %q", err, got)
		}
	}
	if got := u.cardErrorText(errors.New("something odd")); got != u.t("gui.carderr.other") {
		t.Errorf("unknown error: %q", got)
	}
	if got := u.signErrorText(fmt.Errorf("signing: %w", tsp.ErrTSAUnreachable)); got != u.t("err.tsa.unreachable") {
		t.Errorf("TSA unreachable: %q", got)
	}
	wrong := u.cardErrorText(&card.WrongPIN{Kind: card.SignPassword, Left: 4})
	if want := "署名用パスワード"; !strings.Contains(wrong, want) || !strings.Contains(wrong, "4") {
		t.Errorf("wrong password: %q", wrong)
	}
}
