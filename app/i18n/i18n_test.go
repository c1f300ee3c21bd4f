package i18n

import (
	"regexp"
	"sort"
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

// latinAllowed are the Latin words a Japanese text may contain: names a person reads
// or types as they are, on screens, cards, web sites and the forms of the authorities.
// Everything else is said in Japanese (the technical name, where support needs it, is in
// the report's check list or the details).
var latinAllowed = map[string]bool{
	// File and document formats, as files and web sites name them.
	"PDF": true, "XML": true, "zip": true, "ZIP": true, "CSV": true, "JSON": true, "HTML": true,
	"DER": true, "PEM": true, "UTF-8": true,
	// The file an e-Gov application folder holds, named as the clerk sees it.
	"kousei.xml": true,
	// Services, standards and profiles the user chooses between or is asked for.
	"e-Gov": true, "JPKI": true, "J-LIS": true, "LGPKI": true, "GPKI": true,
	"CRL": true, "XAdES": true, "PAdES": true, "B-B": true, "B-T": true, "B-LT": true, "B-LTA": true,
	"ETSI": true, "SHA-256": true, "URL": true, "http": true, "https": true,
	// Words of everyday Japanese: IC カード, PIN, ID, OK; units.
	"IC": true, "PIN": true, "ID": true, "OK": true, "MB": true, "GB": true,
	// Names: the app, the operating systems and their smart-card service, a PDF reader,
	// the language selector's English (the language named in itself).
	"mynasign": true, "Windows": true, "macOS": true, "Mac": true, "Linux": true, "pcscd": true,
	"Adobe": true, "Acrobat": true, "English": true,
}

// latinPhrases are allowed as a whole: a standard's name, the letters of the password
// rule, and the smart-card service as Windows lists it (in English, also in Japanese
// Windows).
var latinPhrases = []string{"ETSI EN 319 102-1", "A〜Z", "Smart Card"}

var (
	fmtVerb    = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z%]`)
	backquoted = regexp.MustCompile("`[^`]*`")           // a command or value typed or compared as it is
	cliOption  = regexp.MustCompile(`--[a-z][a-z0-9-]*`) // a command-line option
	extension  = regexp.MustCompile(`(^|[^A-Za-z0-9])\.[a-z]{2,4}\b`)
	latinWord  = regexp.MustCompile(`[A-Za-z][A-Za-z0-9]*([-.][A-Za-z0-9]+)*`)
)

// latinWords are the Latin words of a Japanese text that are not allowed.
func latinWords(s string) []string {
	s = fmtVerb.ReplaceAllString(s, " ")
	s = backquoted.ReplaceAllString(s, " ")
	s = cliOption.ReplaceAllString(s, " ")
	s = extension.ReplaceAllString(s, "$1 ")
	for _, p := range latinPhrases {
		s = strings.ReplaceAll(s, p, " ")
	}
	var out []string
	for _, w := range latinWord.FindAllString(s, -1) {
		if !latinAllowed[w] {
			out = append(out, w)
		}
	}
	return out
}

// TestJapaneseHasNoLatinWords: every Japanese text is Japanese, but for the words a
// person reads or types as they are (latinAllowed, backquoted commands, options).
func TestJapaneseHasNoLatinWords(t *testing.T) {
	if got := latinWords("署名範囲（ByteRange）が不正です: %s、`mynasign crl import`、--pin-fd、.crl、PDF"); len(got) != 1 || got[0] != "ByteRange" {
		t.Fatalf("latinWords does not find ByteRange alone: %v", got)
	}
	ja := New(Japanese)
	for _, k := range Keys(Japanese) {
		if w := latinWords(ja.T(k)); len(w) > 0 {
			t.Errorf("ja: %q has Latin words %v: %q", k, w, ja.T(k))
		}
	}
}

// TestTranslationsTakeTheSameArguments: the Japanese and English texts of a key take
// the same arguments, and the Japanese plural forms (Japanese has none) are one text.
func TestTranslationsTakeTheSameArguments(t *testing.T) {
	args := func(s string) string {
		vs := fmtVerb.FindAllString(strings.ReplaceAll(s, "%%", ""), -1)
		for i, v := range vs {
			vs[i] = v[len(v)-1:] // the verb's letter: %[2]s and %s take the same
		}
		sort.Strings(vs)
		return strings.Join(vs, "")
	}
	ja, en := New(Japanese), New(English)
	for _, k := range Keys(Japanese) {
		if !en.Has(k) {
			continue // TestCatalogsHaveTheSameKeys reports it
		}
		if a, b := args(ja.T(k)), args(en.T(k)); a != b {
			t.Errorf("%q: ja takes %q, en takes %q", k, a, b)
		}
		if b, ok := strings.CutSuffix(k, "#one"); ok && ja.T(k) != ja.T(b+"#other") {
			t.Errorf("ja: the plural forms of %q differ", b)
		}
	}
}
