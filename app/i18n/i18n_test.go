package i18n

import (
	"strings"
	"testing"
)

// TestCatalogsHaveTheSameKeys fails on a key present in one language and missing in the other.
func TestCatalogsHaveTheSameKeys(t *testing.T) {
	ja, en := Keys(Japanese), Keys(English)
	set := func(ks []string) map[string]bool {
		m := map[string]bool{}
		for _, k := range ks {
			m[k] = true
		}
		return m
	}
	jaSet, enSet := set(ja), set(en)
	for _, k := range ja {
		if !enSet[k] {
			t.Errorf("key %q is in ja.json but missing in en.json", k)
		}
	}
	for _, k := range en {
		if !jaSet[k] {
			t.Errorf("key %q is in en.json but missing in ja.json", k)
		}
	}
	for _, l := range []Lang{Japanese, English} {
		for _, k := range Keys(l) {
			if strings.TrimSpace(New(l).T(k)) == "" {
				t.Errorf("%s: key %q has an empty text", l, k)
			}
		}
	}
}

func TestLocalizer(t *testing.T) {
	if got := New("xx").Lang(); got != Japanese {
		t.Fatalf("fallback language = %s", got)
	}
	if got := New(English).T("cli.error", "boom"); got != "error: boom" {
		t.Fatalf("T = %q", got)
	}
	if got := New(English).T("no.such.key"); got != "!no.such.key" {
		t.Fatalf("unknown key = %q", got)
	}
	t.Setenv(EnvLang, "EN")
	if FromEnv().Lang() != English {
		t.Fatal("MYNASIGN_LANG=EN not honoured")
	}
}
