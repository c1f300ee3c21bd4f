package app

import (
	"fmt"
	"testing"

	"github.com/mynasign/mynasign/card"
)

// TestCardErrorKey: a card taken out and a reader without a card are told apart (the
// CLI says the same), also when the error is wrapped.
func TestCardErrorKey(t *testing.T) {
	for err, want := range map[error]string{
		card.ErrCardRemoved:                          "gui.carderr.removed",
		fmt.Errorf("signing: %w", card.ErrNoCard):    "gui.carderr.no_card",
		card.ErrNoReader:                             "gui.carderr.no_reader",
		fmt.Errorf("reading: %w", card.ErrCardReset): "gui.carderr.reset",
	} {
		if got := cardErrorKey(err); got != want {
			t.Errorf("cardErrorKey(%v) = %s, want %s", err, got, want)
		}
	}
}
