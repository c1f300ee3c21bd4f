package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/internal/testpki"
)

func crlTestEnv(lang i18n.Lang) (*Env, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, L: i18n.New(lang)}, &out, &errb
}

func writeTestCRL(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := testpki.CRL(name)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCRLImportAndList(t *testing.T) {
	src, store := t.TempDir(), filepath.Join(t.TempDir(), "crl")
	fresh := writeTestCRL(t, src, testpki.CRLSignFresh)
	stale := writeTestCRL(t, src, testpki.CRLSignStale)

	// Production trust does not accept the test CA's CRLs.
	env, _, errb := crlTestEnv(i18n.English)
	if code := Run(env, []string{"crl", "import", "--crl-dir", store, fresh}); code != ExitFailure ||
		!strings.Contains(errb.String(), testpki.CRLSignFresh) || !strings.Contains(errb.String(), "not issued by a trusted CA") {
		t.Fatalf("production import: exit %d, stderr %q", code, errb.String())
	}

	env, out, errb := crlTestEnv(i18n.Japanese)
	if code := Run(env, []string{"crl", "import", "--trust", "test", "--crl-dir", store, fresh, stale}); code != ExitOK {
		t.Fatalf("import: exit %d, stderr %q", code, errb.String())
	}
	if !strings.Contains(out.String(), "取り込みました") || !strings.Contains(out.String(), "より新しい CRL（番号 100）") {
		t.Errorf("import output: %s", out.String())
	}

	env, out, _ = crlTestEnv(i18n.English)
	if code := Run(env, []string{"crl", "list", "--crl-dir", store, "--json"}); code != ExitOK {
		t.Fatalf("list: exit %d", code)
	}
	var list struct {
		Dir  string `json:"dir"`
		CRLs []struct {
			Number     string `json:"number"`
			Fresh      bool   `json:"fresh"`
			Test       bool   `json:"test"`
			Generation string `json:"generation"`
		} `json:"crls"`
		Fresh int `json:"fresh"`
	}
	if err := json.Unmarshal(out.Bytes(), &list); err != nil {
		t.Fatalf("list JSON: %v\n%s", err, out.String())
	}
	if list.Dir != store || len(list.CRLs) != 1 || list.CRLs[0].Number != "100" || !list.CRLs[0].Fresh || !list.CRLs[0].Test || list.Fresh != 1 {
		t.Errorf("list: %+v", list)
	}
	// As of a date after its nextUpdate, the CRL is out of date.
	env, out, _ = crlTestEnv(i18n.English)
	at := time.Now().AddDate(30, 0, 0).Format("2006-01-02")
	if code := Run(env, []string{"crl", "list", "--crl-dir", store, "--at", at}); code != ExitOK || !strings.Contains(out.String(), "out of date") {
		t.Errorf("list --at %s: exit %d\n%s", at, code, out.String())
	}
	// The test store lists its built-in CRLs too.
	env, out, _ = crlTestEnv(i18n.English)
	if code := Run(env, []string{"crl", "list", "--trust", "test", "--crl-dir", t.TempDir()}); code != ExitOK || !strings.Contains(out.String(), "built-in test CRL") {
		t.Errorf("list --trust test: exit %d\n%s", code, out.String())
	}
}

func TestCRLImportRefusesBadFiles(t *testing.T) {
	src, store := t.TempDir(), t.TempDir()
	fresh := writeTestCRL(t, src, testpki.CRLSignFresh)
	b, _ := os.ReadFile(fresh)
	truncated := filepath.Join(src, "truncated.crl")
	os.WriteFile(truncated, b[:100], 0o644)
	env, out, errb := crlTestEnv(i18n.English)
	code := Run(env, []string{"crl", "import", "--trust", "test", "--crl-dir", store, "--json", fresh, truncated})
	if code != ExitFailure {
		t.Fatalf("exit %d", code)
	}
	var res struct {
		OK     bool `json:"ok"`
		Errors []struct {
			File    string `json:"file"`
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("%v: %s %s", err, out.String(), errb.String())
	}
	if res.OK || len(res.Errors) != 1 || res.Errors[0].File != truncated || !strings.Contains(res.Errors[0].Message, "truncated") {
		t.Errorf("result: %+v", res)
	}
	if entries, _ := os.ReadDir(store); len(entries) != 0 {
		t.Errorf("the store changed: %v", entries)
	}
	env, _, _ = crlTestEnv(i18n.English)
	if code := Run(env, []string{"crl", "import"}); code != ExitUsage {
		t.Errorf("no arguments: exit %d", code)
	}
}

func TestTrustFlags(t *testing.T) {
	fs := newFlags("x")
	tf := addTrustFlags(fs)
	if err := fs.Parse([]string{"--trust", "test", "--crl-dir", "/tmp/x", "--at", "2026-04-01"}); err != nil {
		t.Fatal(err)
	}
	opts, err := tf.options()
	if err != nil {
		t.Fatal(err)
	}
	if opts.TrustStore != "test" || opts.CRLDir != "/tmp/x" || !opts.At.Equal(time.Date(2026, 3, 31, 15, 0, 0, 0, time.UTC)) {
		t.Errorf("options: %+v", opts)
	}
	for _, bad := range [][]string{{"--trust", "all"}, {"--at", "yesterday"}} {
		fs := newFlags("x")
		tf := addTrustFlags(fs)
		fs.Parse(bad)
		if _, err := tf.options(); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	for in, want := range map[string]time.Time{
		"2026-04-01T09:30:00":       time.Date(2026, 4, 1, 0, 30, 0, 0, time.UTC),
		"2026-04-01T09:30:00Z":      time.Date(2026, 4, 1, 9, 30, 0, 0, time.UTC),
		"2026-04-01T09:30:00+09:00": time.Date(2026, 4, 1, 0, 30, 0, 0, time.UTC),
	} {
		if got, err := parseValidationTime(in); err != nil || !got.Equal(want) {
			t.Errorf("%s: %v %v", in, got, err)
		}
	}
}

// TestCRLRemove: `crl list` shows each stored CRL's ID; `crl remove ID` removes that CRL
// only; an unknown ID is a clear failure that changes nothing; a missing ID is a usage
// error.
func TestCRLRemove(t *testing.T) {
	src, store := t.TempDir(), filepath.Join(t.TempDir(), "crl")
	fresh := writeTestCRL(t, src, testpki.CRLSignFresh)
	auth := writeTestCRL(t, src, testpki.CRLAuthFresh)
	env, _, errb := crlTestEnv(i18n.English)
	if code := Run(env, []string{"crl", "import", "--trust", "test", "--crl-dir", store, fresh, auth}); code != ExitOK {
		t.Fatalf("import: exit %d, stderr %q", code, errb.String())
	}
	type listed struct {
		CRLs []struct {
			ID   string `json:"id"`
			File string `json:"file"`
		} `json:"crls"`
	}
	list := func() listed {
		t.Helper()
		env, out, _ := crlTestEnv(i18n.English)
		if code := Run(env, []string{"crl", "list", "--crl-dir", store, "--json"}); code != ExitOK {
			t.Fatalf("list: exit %d", code)
		}
		var l listed
		if err := json.Unmarshal(out.Bytes(), &l); err != nil {
			t.Fatal(err)
		}
		return l
	}
	before := list()
	if len(before.CRLs) != 2 || before.CRLs[0].ID == "" || before.CRLs[1].ID == "" {
		t.Fatalf("list: %+v", before)
	}
	var authID, signID string
	for _, c := range before.CRLs {
		if c.File == testpki.CRLAuthFresh {
			authID = c.ID
		} else {
			signID = c.ID
		}
	}
	// The text list shows the IDs too.
	env, out, _ := crlTestEnv(i18n.English)
	if code := Run(env, []string{"crl", "list", "--crl-dir", store}); code != ExitOK || !strings.Contains(out.String(), "ID: "+authID) {
		t.Fatalf("text list without the ID %s:\n%s", authID, out.String())
	}

	env, out, errb = crlTestEnv(i18n.English)
	if code := Run(env, []string{"crl", "remove", "--crl-dir", store, authID}); code != ExitOK {
		t.Fatalf("remove: exit %d, stderr %q", code, errb.String())
	}
	if !strings.Contains(out.String(), "Removed: ") || !strings.Contains(out.String(), testpki.CRLAuthFresh) {
		t.Errorf("remove output: %s", out.String())
	}
	after := list()
	if len(after.CRLs) != 1 || after.CRLs[0].ID != signID {
		t.Fatalf("after removal: %+v", after)
	}

	// The same ID again: unknown, exit 1, a sentence that says where to find the IDs.
	snap, _ := os.ReadDir(store)
	env, _, errb = crlTestEnv(i18n.Japanese)
	if code := Run(env, []string{"crl", "remove", "--crl-dir", store, authID}); code != ExitFailure ||
		!strings.Contains(errb.String(), authID) || !strings.Contains(errb.String(), "mynasign crl list") {
		t.Errorf("unknown ID: exit %d, stderr %q", code, errb.String())
	}
	if now, _ := os.ReadDir(store); len(now) != len(snap) {
		t.Errorf("a refused removal changed the store: %v → %v", snap, now)
	}
	// JSON output names the removed CRL.
	env, out, _ = crlTestEnv(i18n.English)
	if code := Run(env, []string{"crl", "remove", "--crl-dir", store, "--json", signID}); code != ExitOK {
		t.Fatalf("remove --json: exit %d", code)
	}
	var res struct {
		Dir     string `json:"dir"`
		Removed struct {
			ID   string `json:"id"`
			File string `json:"file"`
		} `json:"removed"`
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil || res.Dir != store || res.Removed.ID != signID || res.Removed.File != testpki.CRLSignFresh {
		t.Errorf("remove --json: %+v %v\n%s", res, err, out.String())
	}
	for _, args := range [][]string{{"crl", "remove"}, {"crl", "remove", "a", "b"}} {
		env, _, _ = crlTestEnv(i18n.English)
		if code := Run(env, args); code != ExitUsage {
			t.Errorf("%v: exit %d, want usage", args, code)
		}
	}
}
