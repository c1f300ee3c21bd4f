package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/internal/testpki"
)

// TestCRLListDamaged: a stored CRL whose index cannot be read does not hide the others.
// `crl list` shows it with its ID, what is wrong and how to remove it (text and JSON,
// exit 0); `crl remove ID` removes it and says so.
func TestCRLListDamaged(t *testing.T) {
	src, store := t.TempDir(), filepath.Join(t.TempDir(), "crl")
	fresh := writeTestCRL(t, src, testpki.CRLSignFresh)
	auth := writeTestCRL(t, src, testpki.CRLAuthFresh)
	env, _, errb := crlTestEnv(i18n.English)
	if code := Run(env, []string{"crl", "import", "--trust", "test", "--crl-dir", store, fresh, auth}); code != ExitOK {
		t.Fatalf("import: exit %d, stderr %q", code, errb.String())
	}
	type listed struct {
		CRLs []struct {
			ID      string `json:"id"`
			File    string `json:"file"`
			Problem *struct {
				Key string `json:"key"`
			} `json:"problem"`
		} `json:"crls"`
		Damaged int `json:"damaged"`
		Fresh   int `json:"fresh"`
	}
	list := func() listed {
		t.Helper()
		env, out, errb := crlTestEnv(i18n.English)
		if code := Run(env, []string{"crl", "list", "--crl-dir", store, "--json"}); code != ExitOK {
			t.Fatalf("list: exit %d, stderr %q", code, errb.String())
		}
		var l listed
		if err := json.Unmarshal(out.Bytes(), &l); err != nil {
			t.Fatal(err)
		}
		return l
	}
	var authID string
	for _, c := range list().CRLs {
		if c.File == testpki.CRLAuthFresh {
			authID = c.ID
		}
	}
	if authID == "" {
		t.Fatal("the authentication CRL is not listed")
	}
	if err := os.WriteFile(filepath.Join(store, authID+".crlidx"), []byte("MYNACRL1 garbage"), 0o600); err != nil {
		t.Fatal(err)
	}

	l := list()
	if len(l.CRLs) != 2 || l.Damaged != 1 || l.Fresh != 1 || l.CRLs[0].ID != authID || l.CRLs[0].Problem == nil ||
		l.CRLs[0].Problem.Key != "trust.crl.index_damaged" || l.CRLs[1].File != testpki.CRLSignFresh || l.CRLs[1].Problem != nil {
		t.Fatalf("JSON list with a damaged index: %+v", l)
	}
	for _, lang := range []i18n.Lang{i18n.English, i18n.Japanese} {
		env, out, errb := crlTestEnv(lang)
		if code := Run(env, []string{"crl", "list", "--crl-dir", store}); code != ExitOK {
			t.Fatalf("%s list: exit %d, stderr %q", lang, code, errb.String())
		}
		text := out.String()
		if !strings.Contains(text, "mynasign crl remove "+authID) || !strings.Contains(text, testpki.CRLSignFresh) ||
			strings.Contains(text, filepath.Join(store, authID)) || strings.Contains(text, "%!") {
			t.Errorf("%s text list:\n%s", lang, text)
		}
	}

	env, out, errb := crlTestEnv(i18n.English)
	if code := Run(env, []string{"crl", "remove", "--crl-dir", store, authID}); code != ExitOK {
		t.Fatalf("remove: exit %d, stderr %q", code, errb.String())
	}
	if !strings.Contains(out.String(), "Removed the unreadable CRL with ID "+authID) {
		t.Errorf("remove output: %s", out.String())
	}
	if l := list(); len(l.CRLs) != 1 || l.Damaged != 0 || l.CRLs[0].File != testpki.CRLSignFresh {
		t.Errorf("after removal: %+v", l)
	}
}
