package pcsc_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCrossBuild builds the card packages for the other platforms of the app: Windows
// (winscard.dll, no cgo) must build, and macOS and a cgo-less build must at least pass
// vet (their cgo code needs the platform's SDK, which is not here).
func TestCrossBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("cross builds take a while")
	}
	// The go command that runs the tests (make test builds with -trimpath, which leaves
	// runtime.GOROOT empty): $GOROOT/bin/go when go test set GOROOT, else go on PATH.
	goBin := filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	if os.Getenv("GOROOT") == "" {
		var err error
		if goBin, err = exec.LookPath("go"); err != nil {
			t.Fatalf("the go command is not on PATH: %v", err)
		}
	}
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		env  []string
		args []string
	}{
		{[]string{"GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0"}, []string{"build", "./card/..."}},
		{[]string{"GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0"}, []string{"vet", "./card/..."}},
		{[]string{"GOOS=darwin", "GOARCH=amd64", "CGO_ENABLED=0"}, []string{"vet", "./card/..."}},
		{[]string{"GOOS=linux", "GOARCH=amd64", "CGO_ENABLED=0"}, []string{"build", "./card/..."}},
	} {
		t.Run(strings.Join(append(tc.env, tc.args[0]), " "), func(t *testing.T) {
			cmd := exec.Command(goBin, tc.args...)
			cmd.Dir = root
			cmd.Env = append(os.Environ(), tc.env...)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%s go %s: %v\n%s", strings.Join(tc.env, " "), strings.Join(tc.args, " "), err, out)
			}
		})
	}
}
