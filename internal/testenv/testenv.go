// Package testenv lets tests ask for the real components the project is tested against
// (pcscd with the vpcd driver, OpenSC, poppler, qpdf, xmlsec1, openssl, Xvfb, and the
// peers that sign test documents: NSS tools, mutool, a JDK with PDFBox and BouncyCastle).
//
// On a developer machine a missing component skips the test and says what to install.
// In CI (.ci/run sets MYNASIGN_STRICT=1; CI=true counts too) the same test fails instead,
// so that a green CI can never hide a check that did not run.
package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// Strict reports whether a missing component must fail a test rather than skip it.
func Strict() bool {
	return os.Getenv("MYNASIGN_STRICT") == "1" || os.Getenv("CI") == "true"
}

// Unavailable ends the test because something it needs is missing: a failure in strict
// mode, a skip otherwise. The message should say what is missing and how to get it.
func Unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if Strict() {
		t.Fatalf("required test environment missing (strict mode): %s", msg)
	}
	t.Skipf("%s (run scripts/install-deps test)", msg)
}

// Tool returns the path of an external program, or ends the test through Unavailable.
func Tool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Unavailable(t, "%s is not installed", name)
	}
	return p
}
