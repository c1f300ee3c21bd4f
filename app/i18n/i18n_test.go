package i18n

import (
	"regexp"
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

// TestPluralForms: a text with plural forms has every form in both languages, the
// English forms differ and take the same arguments, Plural picks "one" only for an
// English 1, and no other English text of the GUI puts a count before a plural noun
// ("1 tries left").
func TestPluralForms(t *testing.T) {
	bases := map[string]bool{}
	for _, l := range []Lang{Japanese, English} {
		for _, k := range Keys(l) {
			for _, f := range PluralForms {
				if b, ok := strings.CutSuffix(k, "#"+f); ok {
					bases[b] = true
				}
			}
		}
	}
	if len(bases) < 5 {
		t.Fatalf("only %d texts with plural forms: %v", len(bases), bases)
	}
	verbs := func(s string) int { return strings.Count(strings.ReplaceAll(s, "%%", ""), "%") }
	en := New(English)
	for b := range bases {
		for _, l := range []Lang{Japanese, English} {
			if !New(l).HasPlural(b) {
				t.Errorf("%s: %q lacks a plural form (want %v)", l, b, PluralForms)
			}
		}
		one, other := en.T(b+"#one"), en.T(b+"#other")
		if one == other {
			t.Errorf("en: the forms of %q are the same: %q", b, one)
		}
		if verbs(one) != verbs(other) {
			t.Errorf("en: the forms of %q take different arguments: %q, %q", b, one, other)
		}
	}
	if got, want := en.Plural("gui.pin.sign.wrong", 1, 1), en.T("gui.pin.sign.wrong#one", 1); got != want {
		t.Errorf("Plural(1) = %q, want the one form %q", got, want)
	}
	for _, n := range []int{0, 2, 5} {
		if got, want := en.Plural("gui.pin.sign.wrong", n, n), en.T("gui.pin.sign.wrong#other", n); got != want {
			t.Errorf("Plural(%d) = %q, want the other form %q", n, got, want)
		}
	}
	if got := en.Plural("gui.pin.sign.wrong", 1, 1); !strings.Contains(got, "1 try left") {
		t.Errorf("en, one try: %q", got)
	}
	if got, want := New(Japanese).Plural("gui.pin.sign.wrong", 1, 1), New(Japanese).T("gui.pin.sign.wrong#other", 1); got != want {
		t.Errorf("ja Plural(1) = %q, want the other form %q", got, want)
	}
	countedPlural := regexp.MustCompile(`%d (tries|files|CRLs|signatures|records|record files|certificates|readers|cards)\b`)
	for _, k := range Keys(English) {
		if !strings.HasPrefix(k, "gui.") || strings.HasSuffix(k, "#other") {
			continue
		}
		if s := en.T(k); countedPlural.MatchString(s) {
			t.Errorf("en: %q puts a count before a plural noun without plural forms: %q", k, s)
		}
	}
}
