// Package localeenv makes the locale environment one that Fyne can read, before Fyne
// reads it. Fyne takes the user's language from LC_ALL, LC_MESSAGES, LANG and
// LANGUAGE when its lang package is initialized, and a C locale with a codeset
// (LANG=C.UTF-8, the default of many containers and CI images) is not a language tag:
// every start logged "Fyne error: Error parsing user locale C".
//
// The package imports nothing that needs initializing but os and strings. Go
// initializes the packages in the order of their import paths among those whose own
// imports are done, and Fyne's lang package imports log, whose path sorts after this
// one's: this package's init runs first. The app sets the language it shows later
// (app.applyFyneLanguage); this only keeps Fyne's first reading valid.
package localeenv

import (
	"os"
	"strings"
)

func init() { Fix() }

// Fix sets LANGUAGE (read only by gettext-style lookups, not by the C library's
// setlocale) when the locale that Fyne would read is C or POSIX with a codeset and
// LANGUAGE is empty: to MYNASIGN_LANG when that is a language of the app, else
// Japanese, the app's default. Anything else is left as it is.
func Fix() {
	loc := ""
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if loc = os.Getenv(k); loc != "" {
			break
		}
	}
	base, _, hasCodeset := strings.Cut(loc, ".")
	if !hasCodeset || (base != "C" && base != "POSIX") || os.Getenv("LANGUAGE") != "" {
		return
	}
	// i18n.EnvLang; not imported, so that this package stays first to initialize.
	lang := strings.ToLower(strings.TrimSpace(os.Getenv("MYNASIGN_LANG")))
	if lang != "en" && lang != "ja" {
		lang = "ja"
	}
	os.Setenv("LANGUAGE", lang)
}
