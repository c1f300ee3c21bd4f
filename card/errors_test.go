package card

import (
	"fmt"
	"testing"
)

// TestIsGone: the conditions that end a session, wrapped or not; a wrong PIN does not.
func TestIsGone(t *testing.T) {
	for _, err := range []error{ErrCardRemoved, ErrCardReset, ErrNoCard, ErrNoReader, ErrNoService, fmt.Errorf("x: %w", ErrCardRemoved)} {
		if !IsGone(err) {
			t.Errorf("IsGone(%v) = false", err)
		}
	}
	for _, err := range []error{nil, ErrCardBusy, ErrSecurityStatusNotSatisfied, &WrongPIN{Left: 2}} {
		if IsGone(err) {
			t.Errorf("IsGone(%v) = true", err)
		}
	}
}
