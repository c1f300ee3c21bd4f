package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/card/softcard/pcscdtest"
	samplepdf "github.com/mynasign/mynasign/internal/samplepdf"
	"github.com/mynasign/mynasign/internal/testpki"
)

// runWithPIN runs the CLI with a password readable on --pin-fd.
func runWithPIN(t *testing.T, pin string, args ...string) (int, string, string) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	w.WriteString(pin + "\n")
	w.Close()
	defer r.Close()
	full := []string{args[0], "--pin-fd", strconv.Itoa(int(r.Fd()))}
	full = append(full, args[1:]...)
	var out, errb bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, L: i18n.New(i18n.English)}
	code := Run(env, full)
	return code, out.String(), errb.String()
}

func runPlain(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, L: i18n.New(i18n.English)}
	return Run(env, args), out.String(), errb.String()
}

func TestSignAndVerifyCommands(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	outDir := filepath.Join(dir, "out")
	os.Mkdir(in, 0o755)
	os.Mkdir(outDir, 0o755)
	a := filepath.Join(in, "a.pdf")
	b := filepath.Join(in, "b.pdf")
	os.WriteFile(a, samplepdf.Make(samplepdf.Spec{}), 0o644)
	os.WriteFile(b, samplepdf.Make(samplepdf.Spec{XRefStream: true, AcroForm: "direct"}), 0o644)
	crl := t.TempDir()

	// Two files, one password, the registry profile, a visible signature.
	code, stdout, stderr := runWithPIN(t, testpki.SignPassword, "sign", "--profile", "registry", "--testcard",
		"--visible", "1:300,40,240,70", "--crl-dir", crl, "-o", outDir, a, b)
	if code != 0 {
		t.Fatalf("sign: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if strings.Count(stdout, "Signed: ") != 2 || !strings.Contains(stderr, "5 tries left") || strings.Contains(stdout+stderr, testpki.SignPassword) {
		t.Fatalf("sign output:\n%s\n%s", stdout, stderr)
	}
	outA := filepath.Join(outDir, "a-signed.pdf")
	outB := filepath.Join(outDir, "b-signed.pdf")

	// verify: exit 0 only when every signature passes (the test card needs --trust test).
	if code, out, _ := runPlain(t, "verify", "--trust", "test", "--crl-dir", crl, outA, outB); code != 0 {
		t.Fatalf("verify: exit %d\n%s", code, out)
	}
	if code, _, _ := runPlain(t, "verify", "--crl-dir", crl, outA); code != 1 {
		t.Fatalf("verify with the production store: exit %d, want 1", code)
	}
	if code, _, _ := runPlain(t, "verify", "--trust", "test", "--crl-dir", crl, a); code != 1 {
		t.Fatalf("verify of an unsigned file: exit %d, want 1", code)
	}

	// verify --profile registry: the registry output conforms; a PAdES one does not.
	if code, out, _ := runPlain(t, "verify", "--profile", "registry", "--trust", "test", "--crl-dir", crl, outA); code != 0 || !strings.Contains(out, "[conforms] Name") {
		t.Fatalf("verify --profile registry: exit %d\n%s", code, out)
	}
	pades := filepath.Join(outDir, "a_pades.pdf")
	if code, out, errs := runWithPIN(t, testpki.SignPassword, "sign", "--profile", "pades", "--testcard", "--crl-dir", crl, "-o", pades, a); code != 0 {
		t.Fatalf("sign pades: %d\n%s\n%s", code, out, errs)
	}
	code, out, _ := runPlain(t, "verify", "--profile", "registry", "--trust", "test", "--crl-dir", crl, "--json", pades)
	if code != 1 {
		t.Fatalf("a PAdES file against the registry profile: exit %d", code)
	}
	var doc struct {
		Conformance struct {
			Passed  bool
			Results []struct {
				Signatures []struct {
					Rows []struct {
						Key    string
						Passed bool
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("JSON: %v\n%s", err, out)
	}
	failed := map[string]bool{}
	for _, r := range doc.Conformance.Results[0].Signatures[0].Rows {
		if !r.Passed {
			failed[r.Key] = true
		}
	}
	if doc.Conformance.Passed || !failed["SubFilter"] || !failed["Name"] || len(failed) != 2 {
		t.Fatalf("failed rows %v", failed)
	}

	// No overwriting, a wrong password, usage errors.
	if code, _, errs := runWithPIN(t, testpki.SignPassword, "sign", "--profile", "pades", "--testcard", "--crl-dir", crl, "-o", pades, a); code != 1 || !strings.Contains(errs, "already exists") {
		t.Fatalf("overwrite: %d %s", code, errs)
	}
	if code, _, errs := runWithPIN(t, "WRONG999", "sign", "--profile", "pades", "--testcard", "--crl-dir", crl, "-o", filepath.Join(outDir, "x.pdf"), a); code != 1 || !strings.Contains(errs, "4 tries left") {
		t.Fatalf("wrong password: %d %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(outDir, "x.pdf")); !os.IsNotExist(err) {
		t.Fatal("output written after a wrong password")
	}
	// A visible signature on a page the document does not have: refused before the card
	// is asked anything (no tries read), naming the file, nothing written.
	code, stdout, stderr = runWithPIN(t, testpki.SignPassword, "sign", "--profile", "pades", "--testcard", "--crl-dir", crl,
		"--visible", "2:36,36,200,60", "-o", filepath.Join(outDir, "p2.pdf"), a)
	if code != 1 || !strings.Contains(stderr, a+": there is no page 2 (the document has 1)") || strings.Contains(stderr, "tries left") {
		t.Fatalf("page 2 of 1: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(outDir, "p2.pdf")); !os.IsNotExist(err) {
		t.Fatal("output written for a page that does not exist")
	}
	for _, args := range [][]string{
		{"sign", a},
		{"sign", "--profile", "nope", a},
		{"sign", "--profile", "pades", "--persona", "valid", a},
		{"sign", "--profile", "pades", "--testcard", "--visible", "1:0,0,0,10", a},
		{"sign", "--profile", "pades", "--testcard", "-o", filepath.Join(dir, "nofolder"), a, b},
		{"verify", "--profile", "nope", a},
	} {
		if code, _, _ := runPlain(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

// TestSignVisibleRectangleOffThePage: sign --visible with a rectangle that lies partly or
// wholly outside the page (A4, 595×842 pt) is refused before the card is asked anything
// (no tries read), naming the file, the rectangle and the page's visible area in the
// user's language; nothing is written.
func TestSignVisibleRectangleOffThePage(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.pdf")
	os.WriteFile(a, samplepdf.Make(samplepdf.Spec{}), 0o644)
	out := filepath.Join(dir, "o.pdf")
	for _, c := range []struct{ visible, want string }{
		{"1:500,40,240,70", a + ": the signature rectangle (x 500–740, y 40–110 pt) is not inside page 1, whose visible area is x 0–595, y 0–842 pt"},
		{"1:700,900,100,40", a + ": the signature rectangle (x 700–800, y 900–940 pt) is not inside page 1"},
	} {
		code, stdout, stderr := runWithPIN(t, testpki.SignPassword, "sign", "--profile", "pades", "--testcard", "--crl-dir", t.TempDir(),
			"--visible", c.visible, "-o", out, a)
		if code != 1 || !strings.Contains(stderr, c.want) || strings.Contains(stderr, "tries left") {
			t.Errorf("--visible %s: exit %d\n%s\n%s", c.visible, code, stdout, stderr)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Fatalf("--visible %s: an output was written", c.visible)
		}
	}
	code, _, stderr := runCLI(t, i18n.Japanese, "sign", "--profile", "pades", "--testcard", "--crl-dir", t.TempDir(),
		"--visible", "1:500,40,240,70", "-o", out, a)
	if code != 1 || !strings.Contains(stderr, "1 ページ目の表示範囲（横 0–595、縦 0–842 ポイント）からはみ出しています") {
		t.Errorf("Japanese: exit %d\n%s", code, stderr)
	}
}

// TestSignThroughPCSC signs through the real PC/SC stack: the project's binding, a
// private pcscd with the vpcd reader, and the software card attached to it.
func TestSignThroughPCSC(t *testing.T) {
	st := pcscdtest.Start(t, pcscdtest.Options{Persona: "valid"})
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	os.WriteFile(in, samplepdf.Make(samplepdf.Spec{AcroForm: "direct"}), 0o644)
	crl := t.TempDir()
	out := filepath.Join(dir, "out.pdf")
	// No --reader: the only reader holding a card is chosen (the spare slot is empty).
	code, stdout, stderr := runWithPIN(t, testpki.SignPassword, "sign", "--profile", "registry", "--trust", "test",
		"--crl-dir", crl, "-o", out, in)
	if code != 0 {
		t.Fatalf("sign over pcscd: exit %d\n%s\n%s", code, stdout, stderr)
	}
	out2 := filepath.Join(dir, "out2.pdf")
	if code, o, e := runWithPIN(t, testpki.SignPassword, "sign", "--profile", "pades", "--reader", st.Reader, "--trust", "test",
		"--crl-dir", crl, "-o", out2, out); code != 0 {
		t.Fatalf("second signature over pcscd: exit %d\n%s\n%s", code, o, e)
	}
	if code, o, _ := runPlain(t, "verify", "--trust", "test", "--crl-dir", crl, out2); code != 0 {
		t.Fatalf("verify: exit %d\n%s", code, o)
	}
	if s := st.Card.Stats(); s.VerifySign != 2 || s.Signatures != 2 {
		t.Fatalf("the card saw %d VERIFY and %d signatures, want 2 and 2", s.VerifySign, s.Signatures)
	}
	// A visible signature past the last page: refused before the card sees anything.
	before := st.Card.Stats()
	if code, o, e := runWithPIN(t, testpki.SignPassword, "sign", "--profile", "pades", "--reader", st.Reader, "--trust", "test",
		"--crl-dir", crl, "--visible", "3:36,36,200,60", "-o", filepath.Join(dir, "p3.pdf"), in); code != 1 || !strings.Contains(e, "there is no page 3") {
		t.Fatalf("page 3 of 1: exit %d\n%s\n%s", code, o, e)
	}
	if after := st.Card.Stats(); after.Commands != before.Commands || after.Transactions != before.Transactions {
		t.Fatalf("the card was used for a refused page: %+v → %+v", before, after)
	}
	// The spare slot holds no card.
	if code, _, e := runWithPIN(t, testpki.SignPassword, "sign", "--profile", "pades", "--reader", st.SpareReader, "--trust", "test",
		"--crl-dir", crl, "-o", filepath.Join(dir, "none.pdf"), in); code != 1 || !strings.Contains(e, "no card") {
		t.Fatalf("empty reader: exit %d %s", code, e)
	}
}
