package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/app/logging"
	"github.com/mynasign/mynasign/internal/testenv"
	"github.com/mynasign/mynasign/internal/testpki"
	"github.com/mynasign/mynasign/trust"
)

func idcheckJSON(t *testing.T, stdout string) *trust.IDCheckReport {
	t.Helper()
	var rep trust.IDCheckReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("JSON: %v\n%s", err, stdout)
	}
	return &rep
}

func TestIDCheckCommand(t *testing.T) {
	crl := t.TempDir()
	code, stdout, stderr := runWithPIN(t, testpki.AuthPIN, "idcheck", "--testcard", "--json", "--crl-dir", crl)
	if code != 0 {
		t.Fatalf("valid: exit %d\n%s\n%s", code, stdout, stderr)
	}
	rep := idcheckJSON(t, stdout)
	if rep.Outcome != trust.IDConfirmed || rep.Mode != trust.IDCheckIdentity || !rep.Test || rep.Revocation.Status != trust.RevocationGood {
		t.Fatalf("valid: %+v", rep)
	}
	code, stdout, _ = runWithPIN(t, testpki.AuthPIN, "idcheck", "--testcard", "--persona", "revoked", "--json", "--crl-dir", crl)
	if rep := idcheckJSON(t, stdout); code != 1 || rep.Outcome != trust.IDNotConfirmed || rep.Revocation.Reason != "affiliationChanged" {
		t.Fatalf("revoked: exit %d %+v", code, rep)
	}
	en := i18n.New(i18n.English)
	pinName := en.T("cli.card.pin.auth")
	code, stdout, stderr = runWithPIN(t, "9999", "idcheck", "--testcard", "--crl-dir", crl)
	if code != 1 || stdout != "" || !strings.Contains(stderr, en.T("cli.card.err.wrong_pin", pinName, 2)) {
		t.Fatalf("wrong PIN: exit %d\n%s\n%s", code, stdout, stderr)
	}
	// Blocked: the explanation, and the PIN is not even read (it stays in the pipe).
	code, stdout, stderr = runWithPIN(t, testpki.AuthPIN, "idcheck", "--testcard", "--persona", "blocked", "--crl-dir", crl)
	blocked := en.T("cli.card.err.blocked", pinName, en.T("cli.card.blocked_advice.other"))
	if code != 1 || stdout != "" || !strings.Contains(stderr, blocked) {
		t.Fatalf("blocked: exit %d\n%s\n%s", code, stdout, stderr)
	}
	code, stdout, _ = runWithPIN(t, testpki.AuthPIN, "idcheck", "--testcard", "--persona", "expired", "--json", "--crl-dir", crl)
	if rep := idcheckJSON(t, stdout); code != 1 || rep.Reasons[0].Key != trust.MsgAuthExpired {
		t.Fatalf("expired: exit %d %+v", code, rep)
	}
	code, _, _ = runPlain(t, "idcheck", "--age", "20", "--address-prefix", "東京都")
	if code != ExitUsage {
		t.Fatalf("--age with --address-prefix: exit %d", code)
	}
}

// The age check's JSON, record and logs never hold the birth date (nor name or address).
func TestIDCheckAgeCommandHidesTheBirthDate(t *testing.T) {
	p, _ := testpki.PersonaByID("valid")
	crl, recDir := t.TempDir(), t.TempDir()
	t.Setenv(logging.EnvLevel, "debug")
	code, stdout, stderr := runWithPIN(t, testpki.AuthPIN, "idcheck", "--testcard", "--json", "--age", "18",
		"--record", recDir, "--show-personal-data", "--crl-dir", crl)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	rep := idcheckJSON(t, stdout)
	if rep.Age == nil || !rep.Age.Over || rep.Age.Threshold != 18 || rep.BasicInfo != nil {
		t.Fatalf("age: %+v", rep)
	}
	if !strings.Contains(stderr, "identity check") {
		t.Fatalf("no debug log on stderr: %s", stderr)
	}
	texts := []string{stdout, stderr}
	files, _ := filepath.Glob(filepath.Join(recDir, "*"))
	if len(files) != 2 {
		t.Fatalf("record files %v", files)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(b))
		if strings.HasSuffix(f, ".pdf") {
			out, err := exec.Command(testenv.Tool(t, "pdftotext"), "-enc", "UTF-8", f, "-").CombinedOutput()
			if err != nil || !strings.Contains(string(out), "18") {
				t.Fatalf("pdftotext: %v\n%s", err, out)
			}
			texts = append(texts, string(out))
		}
	}
	b := p.Basic.BirthDate
	for _, form := range []string{b, b[:4] + "-" + b[4:6] + "-" + b[6:], b[:4] + "年", p.Basic.Name, p.Basic.Address} {
		for i, s := range texts {
			if strings.Contains(s, form) {
				t.Fatalf("%q found in output %d", form, i)
			}
		}
	}
}

func TestIDCheckCommandBasicInfoAndAddress(t *testing.T) {
	p, _ := testpki.PersonaByID("valid")
	crl := t.TempDir()
	code, stdout, stderr := runWithPIN(t, testpki.AuthPIN, "idcheck", "--testcard", "--json", "--with-basic-info", "--crl-dir", crl)
	rep := idcheckJSON(t, stdout)
	if code != 0 || rep.BasicInfo == nil || rep.BasicInfo.Name != p.Basic.Name || rep.TextAP == nil || rep.TextAP.IssuerSignature != "not-verified" {
		t.Fatalf("basic info: exit %d %+v\n%s", code, rep, stderr)
	}
	if !strings.Contains(stderr, i18n.New(i18n.English).T("cli.idcheck.consent.identity")) {
		t.Fatalf("no consent notice: %s", stderr)
	}
	pref := string([]rune(p.Basic.Address)[:3])
	code, stdout, _ = runWithPIN(t, testpki.AuthPIN, "idcheck", "--testcard", "--json", "--address-prefix", pref, "--crl-dir", crl)
	rep = idcheckJSON(t, stdout)
	if code != 0 || rep.Mode != trust.IDCheckAddress || !rep.Address.Match || rep.BasicInfo != nil || strings.Contains(stdout, p.Basic.Address) {
		t.Fatalf("address: exit %d %+v", code, rep)
	}
	code, _, _ = runPlain(t, "idcheck", "--age", "20", "--with-basic-info")
	if code != ExitUsage {
		t.Fatalf("--age with --with-basic-info: exit %d", code)
	}
}
