package pcsc

import (
	"errors"
	"fmt"
	"testing"
)

func TestErrors(t *testing.T) {
	err := check("SCardTransmit", 0x80100069)
	if !errors.Is(err, ErrRemovedCard) || errors.Is(err, ErrResetCard) {
		t.Fatalf("%v", err)
	}
	var pe *Error
	if !errors.As(fmt.Errorf("wrapped: %w", err), &pe) || pe.Op != "SCardTransmit" || pe.Code != ErrRemovedCard {
		t.Fatalf("%#v", pe)
	}
	if got := err.Error(); got != "pcsc: SCardTransmit: the card was removed (SCARD_W_REMOVED_CARD)" {
		t.Fatalf("%q", got)
	}
	if check("x", 0) != nil {
		t.Fatal("success is an error")
	}
	if got := Code(0x80100099).Error(); got != "PC/SC error 0x80100099" {
		t.Fatalf("%q", got)
	}
	if ErrNoService.Name() != "SCARD_E_NO_SERVICE" || Code(1).Name() != "0x00000001" {
		t.Fatal("names")
	}
	for c, n := range codeNames {
		if n.name == "" || n.text == "" || uint32(c)&0xFFFF0000 != 0x80100000 {
			t.Errorf("code %08X: %+v", uint32(c), n)
		}
	}
}

func TestStateFlags(t *testing.T) {
	s := State(0x00030022) // count 3, present|changed
	if !s.Has(StatePresent) || s.Has(StateEmpty) || s.Count() != 3 || s.String() != "changed|present" {
		t.Fatalf("%v %d", s, s.Count())
	}
	if StateUnaware.String() != "unaware" || ProtocolT1.String() != "T=1" {
		t.Fatal("names")
	}
}

func TestSplitMultiString(t *testing.T) {
	got := splitMultiString([]byte("A 00 00\x00B 00 01\x00\x00"))
	if len(got) != 2 || got[0] != "A 00 00" || got[1] != "B 00 01" {
		t.Fatalf("%q", got)
	}
	if splitMultiString([]byte{0, 0}) != nil {
		t.Fatal("empty multi-string")
	}
}
