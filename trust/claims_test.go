package trust

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCleanClaim(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"転居届の提出のため", "転居届の提出のため"},
		{"  approved\r\n\tby   me ", "approved by me"},
		{"pay \u202Etxt.exe", "pay txt.exe"}, // a right-to-left override would reorder the text
		{"a\u200Bb\u0007c\u0000d", "abcd"},   // zero-width space, bell, NUL
		{"\xff\xfeinvalid", "invalid"},       // bytes that are no UTF-8
		{"", ""},
	} {
		if got := CleanClaim(c.in); got != c.want {
			t.Errorf("CleanClaim(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	long := CleanClaim(strings.Repeat("長", 1000))
	if n := utf8.RuneCountInString(long); n != MaxClaimRunes+1 || !strings.HasSuffix(long, "…") {
		t.Errorf("a long claim is %d runes, ends %q", n, long[len(long)-6:])
	}
}

// TestMaskHidesClaims: the signer's own words may name a person, a place or a telephone
// number; a masked report hides each one that is there.
func TestMaskHidesClaims(t *testing.T) {
	r := &DocumentReport{Signatures: []SignatureReport{{SignerClaims: &SignerClaims{Reason: "転居のため", ContactInfo: "03-0000-0000"}}}}
	m := MaskPersonalData(r)
	if got := *m.Signatures[0].SignerClaims; got != (SignerClaims{Reason: Hidden, ContactInfo: Hidden}) {
		t.Errorf("masked claims %+v", got)
	}
	if r.Signatures[0].SignerClaims.Reason != "転居のため" {
		t.Error("masking changed the original report")
	}
}
