package app

import (
	"archive/tar"
	"bytes"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mynasign/mynasign/internal/testenv"
)

// TestMakePackage runs `make package` (fyne package, Linux) and checks the archive: the
// binary, the desktop entry with the metadata of FyneApp.toml, and the icon. It also
// checks that FyneApp.toml is left as it was (fyne package raises its Build number).
func TestMakePackage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the release package")
	}
	root := repoRoot(t)
	tomlBefore, err := os.ReadFile(filepath.Join(root, "FyneApp.toml"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("make", "-s", "package")
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make package: %v\n%s", err, out)
	}
	tomlAfter, err := os.ReadFile(filepath.Join(root, "FyneApp.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(tomlBefore, tomlAfter) {
		t.Errorf("make package changed FyneApp.toml")
	}

	archive := filepath.Join(root, "out", "package", "mynasign.tar.xz")
	xz := exec.Command(testenv.Tool(t, "xz"), "-dc", archive)
	raw, err := xz.Output()
	if err != nil {
		t.Fatalf("xz -dc %s: %v", archive, err)
	}
	files := map[string][]byte{}
	modes := map[string]int64{}
	tr := tar.NewReader(bytes.NewReader(raw))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("reading %s: %v", archive, err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		// the binary is large: keep only its size and mode
		if strings.HasSuffix(h.Name, "/bin/mynasign") {
			files[h.Name] = nil
			modes[h.Name] = h.Mode
			continue
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		files[h.Name] = b
	}
	find := func(suffix string) (string, []byte) {
		for n, b := range files {
			if strings.HasSuffix(n, suffix) {
				return n, b
			}
		}
		names := make([]string, 0, len(files))
		for n := range files {
			names = append(names, n)
		}
		t.Fatalf("no %s in the package; it holds %v", suffix, names)
		return "", nil
	}
	bin, _ := find("/bin/mynasign")
	if modes[bin]&0o111 == 0 {
		t.Errorf("%s is not executable (mode %o)", bin, modes[bin])
	}
	_, desktop := find("/share/applications/" + AppID + ".desktop")
	for _, want := range []string{"Name=mynasign", "Exec=mynasign", "Icon=" + AppID, "GenericName=マイナ署名", "Categories=Office;Security;"} {
		if !strings.Contains(string(desktop), want) {
			t.Errorf("desktop entry lacks %q:\n%s", want, desktop)
		}
	}
	_, icon := find("/share/pixmaps/" + AppID + ".png")
	img, err := png.Decode(bytes.NewReader(icon))
	if err != nil {
		t.Fatalf("packaged icon: %v", err)
	}
	if b := img.Bounds(); b.Dx() < 256 || b.Dx() != b.Dy() {
		t.Errorf("packaged icon is %v, want a square of at least 256 pixels", b)
	}
}
