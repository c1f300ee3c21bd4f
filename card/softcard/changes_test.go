package softcard

import (
	"testing"
)

// closed reports whether ch is closed (without waiting).
func closed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// TestChanges: the presence channel closes at Remove, Insert and a FailBefore that
// fires, never for what changes nothing (a second Remove, a Reset, an APDU), and each
// call of Changes gives the current presence.
func TestChanges(t *testing.T) {
	c := newCard(t, "valid", Quirks{})
	present, ch := c.Changes()
	if !present || closed(ch) {
		t.Fatalf("new card: present %v, channel closed %v", present, closed(ch))
	}
	expectSW(t, c, selJPKI, 0x9000)
	c.Reset()
	c.BeginTransaction() // takes the reset's one report
	if closed(ch) {
		t.Fatal("an APDU or a reset was reported as a presence change")
	}

	c.Remove()
	if !closed(ch) {
		t.Fatal("Remove not reported")
	}
	present, ch = c.Changes()
	if present {
		t.Fatal("present after Remove")
	}
	c.Remove()
	if closed(ch) {
		t.Fatal("a second Remove was reported")
	}

	c.Insert()
	if !closed(ch) {
		t.Fatal("Insert not reported")
	}
	present, ch = c.Changes()
	if !present {
		t.Fatal("absent after Insert")
	}

	// The card vanishes in the middle of an operation (a fault injected by a test).
	c.FailBefore(2)
	expectSW(t, c, selJPKI, 0x9000)
	if closed(ch) {
		t.Fatal("reported before the fault fired")
	}
	c.Transmit(apdu(selJPKI))
	if !closed(ch) {
		t.Fatal("the fault's removal was not reported")
	}
	if present, _ := c.Changes(); present {
		t.Fatal("present after the fault fired")
	}
}
