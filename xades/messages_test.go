package xades

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestMessagesTranslated: every message key of this package has a Japanese and an English
// text in the app's catalogs.
func TestMessagesTranslated(t *testing.T) {
	for _, lang := range []string{"ja", "en"} {
		b, err := os.ReadFile(filepath.Join("..", "app", "i18n", lang+".json"))
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		for _, k := range MessageKeys() {
			if m[k] == "" {
				t.Errorf("%s.json has no text for %s", lang, k)
			}
		}
	}
}
