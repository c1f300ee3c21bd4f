package app

import (
	"bytes"
	"log"
	"os"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"

	"github.com/mynasign/mynasign/app/localeenv"
)

// TestLocaleCWithCodeset: with LANG=C.UTF-8 (containers, CI) Fyne cannot read the
// user's language and logs "Error parsing user locale C"; localeenv, initialized before
// Fyne reads the locale, gives it a valid one (the app's language), and Fyne's reading
// logs nothing.
func TestLocaleCWithCodeset(t *testing.T) {
	var logs bytes.Buffer
	log.SetOutput(&logs)
	defer log.SetOutput(os.Stderr)
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANGUAGE", "MYNASIGN_LANG"} {
		t.Setenv(k, "")
	}
	t.Setenv("LANG", "C.UTF-8")
	// Fyne reads the locale again whenever translations are added, as at its init.
	readLocale := func() { _ = lang.AddTranslationsForLocale([]byte("{}"), "ja") }
	readLocale()
	if !strings.Contains(logs.String(), "Error parsing user locale") {
		t.Fatalf("LANG=C.UTF-8 no longer makes Fyne log its error (the test shows nothing); log:\n%s", logs.String())
	}
	logs.Reset()
	localeenv.Fix()
	readLocale()
	if strings.Contains(logs.String(), "Error parsing user locale") {
		t.Fatalf("Fyne still cannot read the locale:\n%s", logs.String())
	}
	if got := os.Getenv("LANGUAGE"); got != "ja" {
		t.Fatalf("LANGUAGE = %q, want the app's default language ja", got)
	}
	// A real locale is left alone.
	t.Setenv("LANGUAGE", "")
	t.Setenv("LANG", "en_GB.UTF-8")
	localeenv.Fix()
	if got := os.Getenv("LANGUAGE"); got != "" {
		t.Fatalf("LANGUAGE set to %q for LANG=en_GB.UTF-8", got)
	}
}
