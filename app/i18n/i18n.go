// Package i18n resolves the message keys that the rest of mynasign produces into
// Japanese (the default) or English text. The texts live in ja.json and en.json next to
// this file; both must hold exactly the same keys (a test checks it).
//
// Libraries never build user-facing sentences: they return typed errors and report
// fields carrying keys, and the GUI and the CLI turn those into text here.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

// Lang is a supported user-interface language.
type Lang string

// The supported languages. Japanese is the default.
const (
	Japanese Lang = "ja"
	English  Lang = "en"
)

// EnvLang is the environment variable that chooses the language ("ja" or "en").
const EnvLang = "MYNASIGN_LANG"

//go:embed ja.json en.json
var files embed.FS

var catalogs = map[Lang]map[string]string{}

func init() {
	for _, l := range []Lang{Japanese, English} {
		data, err := files.ReadFile(string(l) + ".json")
		if err != nil {
			panic(fmt.Sprintf("i18n: embedded %s.json: %v", l, err))
		}
		m := map[string]string{}
		if err := json.Unmarshal(data, &m); err != nil {
			panic(fmt.Sprintf("i18n: embedded %s.json: %v", l, err))
		}
		catalogs[l] = m
	}
}

// Localizer turns message keys into text of one language.
type Localizer struct {
	lang Lang
}

// New returns a Localizer for lang; an unsupported language falls back to Japanese.
func New(lang Lang) *Localizer {
	if _, ok := catalogs[lang]; !ok {
		lang = Japanese
	}
	return &Localizer{lang: lang}
}

// FromEnv picks the language from MYNASIGN_LANG; without it, Japanese.
func FromEnv() *Localizer {
	return New(Lang(strings.ToLower(strings.TrimSpace(os.Getenv(EnvLang)))))
}

// Lang reports the language of l.
func (l *Localizer) Lang() Lang { return l.lang }

// T returns the text for key, formatted with args (fmt verbs, %[n]v to reorder). An
// unknown key is returned as "!key" so that it shows up, instead of failing silently.
func (l *Localizer) T(key string, args ...any) string {
	s, ok := catalogs[l.lang][key]
	if !ok {
		return "!" + key
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, l.resolveKeys(args)...)
}

// Plural returns the text for key in the plural form that n takes in l's language,
// formatted with args (which usually include n). A key with plural forms is two keys
// in the catalogs: key+"#one" and key+"#other". English uses "one" for exactly 1 and
// "other" for every other count; Japanese has no plural and always uses "other" (its
// catalog holds both keys, with the same text, so that both files keep the same keys).
func (l *Localizer) Plural(key string, n int, args ...any) string {
	return l.T(key+"#"+l.pluralForm(n), args...)
}

// PluralForms are the suffixes of the keys of a text with plural forms.
var PluralForms = []string{"one", "other"}

// pluralForm is the plural category of n in l's language.
func (l *Localizer) pluralForm(n int) string {
	if l.lang == English && n == 1 {
		return "one"
	}
	return "other"
}

// HasPlural reports whether key has every plural form (PluralForms) in l's language.
func (l *Localizer) HasPlural(key string) bool {
	for _, f := range PluralForms {
		if !l.Has(key + "#" + f) {
			return false
		}
	}
	return true
}

// Has reports whether key exists in l's language.
func (l *Localizer) Has(key string) bool {
	_, ok := catalogs[l.lang][key]
	return ok
}

// Keys returns every key of lang, sorted.
func Keys(lang Lang) []string {
	keys := make([]string, 0, len(catalogs[lang]))
	for k := range catalogs[lang] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
