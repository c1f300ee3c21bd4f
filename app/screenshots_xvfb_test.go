package app

import (
	"bufio"
	"bytes"
	"fmt"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/internal/testenv"
)

// envScreensWindow makes the test binary, started by TestXvfbScreenshots, show the real
// app window and go through the screens (everyScreen) instead of running the tests. Its
// value is the language and the text scale: "ja 1.5".
const envScreensWindow = "MYNASIGN_TEST_SCREENS_WINDOW"

// The window process's protocol, one line each: it prints "shown NAME WIDTHxHEIGHT"
// when a screen to photograph is drawn at that size, and goes on when it reads screensNext.
const (
	screensShown = "shown"
	screensNext  = "next"
	screensDone  = "done"
)

// runScreensWindow shows the app in a real window, in the language and at the text scale
// of spec ("ja 1.5"), and opens the screens of everyScreen it needs in turn; each one to photograph is
// shown at every size of clipWindowSizes, announced on out, and left on the window until
// a line is read from in. It returns the process's exit code.
func runScreensWindow(spec string, in io.Reader, out io.Writer) int {
	lang, scale, err := parseScreensSpec(spec)
	if err != nil {
		fmt.Fprintln(out, err)
		return 1
	}
	dir, err := os.MkdirTemp("", "mynasign-screens-window-")
	if err != nil {
		fmt.Fprintln(out, err)
		return 1
	}
	defer os.RemoveAll(dir)
	files, err := verifyTestFiles(dir)
	if err != nil {
		fmt.Fprintln(out, err)
		return 1
	}
	fa := fyneapp.NewWithID(AppID)
	fa.Preferences().SetFloat(prefTextScale, float64(scale))
	u := New(fa, Config{Lang: lang, CRLDir: filepath.Join(dir, "crl"), AnchorDir: filepath.Join(dir, "anchors"), Cards: noCards{}, RenderCache: testRenderCache})
	failed := make(chan error, 1)
	go func() {
		if err := driveScreens(u, files, bufio.NewScanner(in), out); err != nil {
			failed <- err
		}
		fyne.Do(fa.Quit)
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

// parseScreensSpec reads envScreensWindow's value.
func parseScreensSpec(spec string) (i18n.Lang, float32, error) {
	f := strings.Fields(spec)
	if len(f) != 2 {
		return "", 0, fmt.Errorf("%s=%q: want a language and a text scale", envScreensWindow, spec)
	}
	scale, err := strconv.ParseFloat(f[1], 32)
	if err != nil {
		return "", 0, fmt.Errorf("%s=%q: %w", envScreensWindow, spec, err)
	}
	return i18n.Lang(f[0]), float32(scale), nil
}

// driveScreens opens the screens one by one on Fyne's thread and waits, after each, for
// the work it started; for one to photograph it resizes the window to each size, says so on
// out and waits for the next line of in.
func driveScreens(u *UI, files []string, in *bufio.Scanner, out io.Writer) error {
	idle := func() error {
		deadline := time.Now().Add(60 * time.Second)
		for u.running.Load() != 0 {
			if time.Now().After(deadline) {
				return fmt.Errorf("the screen's work did not end within 60s")
			}
			time.Sleep(20 * time.Millisecond)
		}
		fyne.DoAndWait(func() {}) // the updates it queued
		return nil
	}
	for _, s := range everyScreen() {
		if s.xvfb == xvfbSkip {
			continue
		}
		if err := s.open(u, files, fyne.DoAndWait, idle); err != nil {
			return err
		}
		if s.xvfb != xvfbShoot {
			continue
		}
		for _, size := range clipWindowSizes {
			fyne.DoAndWait(func() {
				u.win.Resize(size)
				u.relayout()
			})
			time.Sleep(400 * time.Millisecond) // a few frames at the new size
			fmt.Fprintf(out, "%s %s %.0fx%.0f\n", screensShown, s.name, size.Width, size.Height)
			if !in.Scan() {
				return fmt.Errorf("%s: no %q: %v", s.name, screensNext, in.Err())
			}
		}
	}
	fmt.Fprintln(out, screensDone)
	return nil
}

// TestXvfbScreenshots photographs the main screens (xvfbShoot in everyScreen) in a real window under
// Xvfb, in Japanese and English, at 1024x768 and 1920x1080, at text scales 100 % and
// 150 %, into out/screenshots/NAME-LANG-WxH-SCALE.png, and fails when the window never
// appears, is not the size asked for (a screen larger than the window makes it grow),
// or looks blank.
func TestXvfbScreenshots(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the app under Xvfb")
	}
	display := startXvfbScreen(t, "1920x1080x24")
	xdotool := testenv.Tool(t, "xdotool")
	xwd := testenv.Tool(t, "xwd")
	dir := filepath.Join(repoRoot(t), "out", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []i18n.Lang{i18n.Japanese, i18n.English} {
		for _, scale := range clipTextScales {
			t.Run(fmt.Sprintf("%s-%d", lang, int(scale*100)), func(t *testing.T) {
				photographScreens(t, display, xdotool, xwd, dir, lang, scale)
			})
		}
	}
}

// photographScreens runs one window process (runScreensWindow) and takes a screenshot
// each time it shows a screen to photograph.
func photographScreens(t *testing.T, display, xdotool, xwd, dir string, lang i18n.Lang, scale float32) {
	child := startWindowChild(t, display, fmt.Sprintf("%s=%s %g", envScreensWindow, lang, scale), "FYNE_SCALE=1")
	lines, stderr, stdin := child.lines, &child.stderr, child.stdin
	var said []string
	wid := ""
	for {
		var l string
		select {
		case got, ok := <-lines:
			if !ok {
				t.Fatalf("the window process ended early:\n%s\n%s", strings.Join(said, "\n"), stderr.String())
			}
			l = got
		case <-time.After(60 * time.Second):
			t.Fatalf("the window process said nothing for 60s:\n%s\n%s", strings.Join(said, "\n"), stderr.String())
		}
		if l == screensDone {
			return
		}
		f := strings.Fields(l)
		if len(f) != 3 || f[0] != screensShown {
			said = append(said, l)
			continue
		}
		if wid == "" {
			title := i18n.New(lang).T("gui.app.title")
			out, err := runWithDisplay(display, xdotool, "search", "--onlyvisible", "--name", "^"+title+"$")
			if ids := strings.Fields(out); err == nil && len(ids) > 0 {
				wid = ids[0]
			} else {
				t.Fatalf("no window titled %s (%v):\n%s", title, err, stderr.String())
			}
		}
		name := fmt.Sprintf("%s-%s-%s-%d.png", f[1], lang, f[2], int(scale*100))
		shootWindow(t, display, xwd, wid, f[2], filepath.Join(dir, name))
		if _, err := io.WriteString(stdin, screensNext+"\n"); err != nil {
			t.Fatalf("telling the window process to go on: %v\n%s", err, stderr.String())
		}
	}
}

// windowChild is this test binary run again to show the app in a real window under Xvfb
// (TestMain starts the window for the mode its environment names). It says what it shows
// on lines; it reads its instructions from stdin.
type windowChild struct {
	stdin  io.WriteCloser
	lines  chan string
	stderr bytes.Buffer
}

// startWindowChild starts a window process on display with env added to a clean
// environment and a fresh home folder; it is stopped when the test ends.
func startWindowChild(t *testing.T, display string, env ...string) *windowChild {
	t.Helper()
	home := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(cleanEnv(), "DISPLAY="+display, "HOME="+home,
		"XDG_CONFIG_HOME="+filepath.Join(home, ".config"), "XDG_DATA_HOME="+filepath.Join(home, ".local/share"),
		"LIBGL_ALWAYS_SOFTWARE=1"), env...)
	c := &windowChild{lines: make(chan string, 16)}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	c.stdin = stdin
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = &c.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			c.lines <- sc.Text()
		}
		close(c.lines)
		exited <- cmd.Wait()
	}()
	t.Cleanup(func() {
		stdin.Close()
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	})
	return c
}

// shootWindow writes a screenshot of the window wid to path, and fails if the window is
// blank or not of the size want ("1024x768").
func shootWindow(t *testing.T, display, xwd, wid, want, path string) {
	t.Helper()
	raw, err := runWithDisplayBytes(display, xwd, "-silent", "-id", wid)
	if err != nil {
		t.Fatal(err)
	}
	img, err := decodeXWD(raw)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprintf("%dx%d", img.Bounds().Dx(), img.Bounds().Dy())
	if got != want {
		t.Errorf("%s: the window is %s, not %s: the screen does not fit the window", filepath.Base(path), got, want)
	}
	if why := blankness(img); why != "" {
		t.Errorf("%s: the window looks blank (%s)", filepath.Base(path), why)
	}
}
