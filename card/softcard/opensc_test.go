package softcard_test

import (
	"bytes"
	"crypto/x509"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mynasign/mynasign/card/softcard/pcscdtest"
	"github.com/mynasign/mynasign/internal/testenv"
	"github.com/mynasign/mynasign/internal/testpki"
)

// openscModules are where distributions install OpenSC's PKCS#11 module.
var openscModules = []string{
	"/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so",
	"/usr/lib/aarch64-linux-gnu/opensc-pkcs11.so",
	"/usr/lib64/opensc-pkcs11.so",
	"/usr/lib/opensc-pkcs11.so",
}

// Labels OpenSC's JPKI emulation gives the card's two PIN-protected tokens.
const (
	authToken = "JPKI (User Authentication PIN)"
	signToken = "JPKI (Digital Signature PIN)"
)

// TestOpenSC checks the software card with an independent client: OpenSC's jpki
// driver (through pcscd and vpcd) lists the token, reads the authentication
// certificate, logs in with the signature password and signs; openssl verifies the
// signature with the signature certificate read from the card.
func TestOpenSC(t *testing.T) {
	tool := testenv.Tool(t, "pkcs11-tool")
	openssl := testenv.Tool(t, "openssl")
	module := ""
	for _, m := range openscModules {
		if _, err := os.Stat(m); err == nil {
			module = m
			break
		}
	}
	if module == "" {
		testenv.Unavailable(t, "OpenSC's opensc-pkcs11.so is not installed (Debian: opensc-pkcs11)")
	}
	p, err := testpki.PersonaByID("valid")
	if err != nil {
		t.Fatal(err)
	}
	st := pcscdtest.Start(t, pcscdtest.Options{})
	dir := t.TempDir()
	// OpenSC reads its configuration and caches from these; keep them private.
	env := append(os.Environ(), "HOME="+dir, "OPENSC_CONF=/dev/null")
	run := func(name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	pk := func(args ...string) string { return run(tool, append([]string{"--module", module}, args...)...) }

	// The token is there, with the JPKI driver's two PIN tokens, in our reader.
	slots := pk("--list-slots")
	for _, want := range []string{st.Reader, authToken, signToken, "pin min/max        : 6/16"} {
		if !strings.Contains(slots, want) {
			t.Fatalf("slot list lacks %q:\n%s", want, slots)
		}
	}

	// The authentication certificate (ID 01), read without a PIN, is the persona's.
	authFile := filepath.Join(dir, "auth.der")
	pk("--token-label", authToken, "--read-object", "--type", "cert", "--id", "01", "--output-file", authFile)
	if got, _ := os.ReadFile(authFile); !bytes.Equal(got, p.AuthCert.Raw) {
		t.Fatalf("authentication certificate from OpenSC differs (%d bytes)", len(got))
	}
	// The signature certificate (ID 02) is private: OpenSC does not even list it
	// without a login.
	if objs := pk("--token-label", signToken, "--list-objects"); strings.Contains(objs, "Digital Signature Certificate\n") {
		t.Fatalf("signature certificate visible before login:\n%s", objs)
	}

	// Log in with the signature password and sign: the card pads and signs the
	// DigestInfo OpenSC builds for SHA256-RSA-PKCS.
	data := filepath.Join(dir, "data.txt")
	sig := filepath.Join(dir, "data.sig")
	signFile := filepath.Join(dir, "sign.der")
	if err := os.WriteFile(data, []byte("申請書 — mynasign test document\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	st.Card.ResetStats()
	pk("--token-label", signToken, "--login", "--pin", testpki.SignPassword,
		"--sign", "--mechanism", "SHA256-RSA-PKCS", "--id", "02", "--input-file", data, "--output-file", sig)
	// (OpenSC re-sends its cached password before the signature: its choice.)
	if s := st.Card.Stats(); s.VerifySign < 1 || s.Signatures != 1 {
		t.Fatalf("card saw %+v", s)
	}
	pk("--token-label", signToken, "--login", "--pin", testpki.SignPassword,
		"--read-object", "--type", "cert", "--id", "02", "--output-file", signFile)
	der, _ := os.ReadFile(signFile)
	if _, err := x509.ParseCertificate(der); err != nil || !bytes.Equal(der, p.SignCert.Raw) {
		t.Fatalf("signature certificate from OpenSC: %v", err)
	}

	// openssl verifies the signature with the certificate's key.
	pub := filepath.Join(dir, "sign-pub.pem")
	run(openssl, "x509", "-inform", "DER", "-in", signFile, "-noout", "-pubkey", "-out", pub)
	if out := run(openssl, "dgst", "-sha256", "-verify", pub, "-signature", sig, data); !strings.Contains(out, "Verified OK") {
		t.Fatalf("openssl: %s", out)
	}
	// And a corrupted document does not verify.
	os.WriteFile(data, []byte("tampered\n"), 0o644)
	cmd := exec.Command(openssl, "dgst", "-sha256", "-verify", pub, "-signature", sig, data)
	if out, err := cmd.CombinedOutput(); err == nil || strings.Contains(string(out), "Verified OK") {
		t.Fatalf("openssl accepted a tampered document: %s", out)
	}

	// The authentication key signs too (the operation the identity check uses), after
	// the 4-digit authentication PIN, and openssl verifies it with the authentication
	// certificate read before.
	os.WriteFile(data, []byte("challenge\n"), 0o644)
	authSig := filepath.Join(dir, "auth.sig")
	pk("--token-label", authToken, "--login", "--pin", testpki.AuthPIN,
		"--sign", "--mechanism", "SHA256-RSA-PKCS", "--id", "01", "--input-file", data, "--output-file", authSig)
	authPub := filepath.Join(dir, "auth-pub.pem")
	run(openssl, "x509", "-inform", "DER", "-in", authFile, "-noout", "-pubkey", "-out", authPub)
	if out := run(openssl, "dgst", "-sha256", "-verify", authPub, "-signature", authSig, data); !strings.Contains(out, "Verified OK") {
		t.Fatalf("openssl, authentication signature: %s", out)
	}

	// A wrong password is refused by the card and costs one try, as it should.
	cmdWrong := exec.Command(tool, "--module", module, "--token-label", signToken, "--login", "--pin", "WRONG999",
		"--sign", "--mechanism", "SHA256-RSA-PKCS", "--id", "02", "--input-file", data, "--output-file", sig)
	cmdWrong.Env = env
	if out, err := cmdWrong.CombinedOutput(); err == nil {
		t.Fatalf("OpenSC signed with a wrong password:\n%s", out)
	}
	if left := st.Card.TriesLeft("sign"); left != 4 {
		t.Fatalf("%d tries left after one wrong password", left)
	}
}
