package app

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/theme"

	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/internal/testenv"
	"github.com/mynasign/mynasign/internal/testpki"
	"github.com/mynasign/mynasign/trust"
)

// envIDCheckWindow makes the test binary, started by TestXvfbIDCheckResult, show the
// real app window (Fyne's GLFW driver) and drive it to the identity check's result
// instead of running the tests.
const envIDCheckWindow = "MYNASIGN_TEST_IDCHECK_WINDOW"

// idCheckWindowReady is what the window process prints once the result is shown.
const idCheckWindowReady = "idcheck result shown"

// TestMain runs the tests, or the identity check window for TestXvfbIDCheckResult, or
// the screens' window for TestXvfbScreenshots: Fyne's window must run on the main
// goroutine, which only TestMain has.
func TestMain(m *testing.M) {
	if os.Getenv(envIDCheckWindow) != "" {
		os.Exit(runIDCheckWindow(os.Stdout))
	}
	if spec := os.Getenv(envScreensWindow); spec != "" {
		os.Exit(runScreensWindow(spec, os.Stdin, os.Stdout))
	}
	os.Exit(m.Run())
}

// runIDCheckWindow shows the app in a real window, with the test card (valid persona),
// and drives it, as the clerk would, to the result of an identity check; then it prints
// idCheckWindowReady and keeps the window up until it is terminated.
func runIDCheckWindow(out io.Writer) int {
	dir, err := os.MkdirTemp("", "mynasign-idcheck-window-")
	if err != nil {
		fmt.Fprintln(out, err)
		return 1
	}
	defer os.RemoveAll(dir)
	fa := fyneapp.NewWithID(AppID)
	u := New(fa, Config{Lang: i18n.Japanese, CRLDir: filepath.Join(dir, "crl"), AnchorDir: filepath.Join(dir, "anchors"), Cards: noCards{}})
	u.win.Resize(fyne.NewSize(1000, 760))
	failed := make(chan error, 1)
	go func() {
		if err := driveIDCheck(u); err != nil {
			failed <- err
			fyne.Do(fa.Quit)
			return
		}
		fmt.Fprintln(out, idCheckWindowReady)
	}()
	u.win.ShowAndRun()
	u.Close()
	select {
	case err := <-failed:
		fmt.Fprintln(out, err)
		return 1
	default:
	}
	return 0
}

// driveIDCheck takes the test card, starts the identity check, reads the card, types the
// PIN and waits for the result, each step on Fyne's thread.
func driveIDCheck(u *UI) error {
	waitFor := func(what string, cond func() bool) error {
		deadline := time.Now().Add(60 * time.Second)
		for {
			ok := false
			fyne.DoAndWait(func() { ok = cond() })
			if ok {
				return nil
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("the window never reached %s", what)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	var err error
	fyne.DoAndWait(func() { err = u.useTestCard("valid") })
	if err != nil {
		return err
	}
	var s *idCheckScreen
	fyne.DoAndWait(func() { s = u.startIDCheck() })
	if err := waitFor("the test card's reader", func() bool { return !s.startBtn.Disabled() }); err != nil {
		return err
	}
	fyne.DoAndWait(func() { s.startBtn.press() })
	if err := waitFor("the PIN", func() bool { return s.pin != nil && s.pin.entry != nil }); err != nil {
		return err
	}
	fyne.DoAndWait(func() {
		s.pin.entry.SetText(testpki.AuthPIN)
		s.pin.submitTapped()
	})
	if err := waitFor("the result", func() bool { return s.result != nil }); err != nil {
		return err
	}
	if s.rep.Outcome != trust.IDConfirmed {
		return fmt.Errorf("the valid persona was not confirmed: %+v", s.rep)
	}
	time.Sleep(500 * time.Millisecond) // a few frames for the result to be drawn
	return nil
}

// TestXvfbIDCheckResult shows the identity check's result in a real window under Xvfb,
// takes a screenshot (out/screenshots/idcheck-result.png) and fails if the window never
// appears, looks blank, or does not show the large result in the success colour.
func TestXvfbIDCheckResult(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the app under Xvfb")
	}
	display := startXvfb(t)
	xdotool := testenv.Tool(t, "xdotool")
	xwd := testenv.Tool(t, "xwd")
	root := repoRoot(t)

	child := startWindowChild(t, display, envIDCheckWindow+"=1")
	lines, stderr := child.lines, &child.stderr
	var said []string
	timeout := time.After(90 * time.Second)
wait:
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("the window process ended before the result:\n%s\n%s", strings.Join(said, "\n"), stderr.String())
			}
			if l == idCheckWindowReady {
				break wait
			}
			said = append(said, l)
		case <-timeout:
			t.Fatalf("no result within 90s:\n%s\n%s", strings.Join(said, "\n"), stderr.String())
		}
	}

	out, err := runWithDisplay(display, xdotool, "search", "--onlyvisible", "--name", "^マイナ署名$")
	f := strings.Fields(out)
	if err != nil || len(f) == 0 {
		t.Fatalf("no window titled マイナ署名 (%v):\n%s", err, stderr.String())
	}
	raw, err := runWithDisplayBytes(display, xwd, "-silent", "-id", f[0])
	if err != nil {
		t.Fatal(err)
	}
	img, err := decodeXWD(raw)
	if err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(root, "out", "screenshots", "idcheck-result.png")
	if err := os.MkdirAll(filepath.Dir(shot), 0o755); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(shot, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%dx%d)", shot, img.Bounds().Dx(), img.Bounds().Dy())
	if why := blankness(img); why != "" {
		t.Fatalf("the window looks blank (%s); screenshot in %s", why, shot)
	}
	if n := successPixels(img); n < 200 {
		t.Fatalf("only %d pixels in the success colour: the large result is not drawn; screenshot in %s", n, shot)
	}
}

// successPixels counts the pixels of img in the theme's success colour (either variant):
// the large 確認できました is drawn in it.
func successPixels(img image.Image) int {
	th := newTheme(1)
	var want [][3]uint32
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		r, g, b, _ := th.Color(theme.ColorNameSuccess, v).RGBA()
		want = append(want, [3]uint32{r >> 8, g >> 8, b >> 8})
	}
	n := 0
	bd := img.Bounds()
	for y := bd.Min.Y; y < bd.Max.Y; y++ {
		for x := bd.Min.X; x < bd.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			px := [3]uint32{r >> 8, g >> 8, b >> 8}
			for _, w := range want {
				if px == w {
					n++
				}
			}
		}
	}
	return n
}
