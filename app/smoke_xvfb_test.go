package app

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mynasign/mynasign/internal/testenv"
)

// repoRoot is the module root, seen from this package's directory.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found from %s: %v", root, err)
	}
	return root
}

// startXvfb starts a virtual X server on a free display and returns the DISPLAY value.
// It is stopped (by its PID) when the test ends.
func startXvfb(t *testing.T) string {
	t.Helper()
	return startXvfbScreen(t, "1280x800x24")
}

// startXvfbScreen is startXvfb with the screen's geometry and depth ("1920x1080x24").
func startXvfbScreen(t *testing.T, screen string) string {
	t.Helper()
	xvfb := testenv.Tool(t, "Xvfb")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd := exec.Command(xvfb, "-displayfd", "3", "-screen", "0", screen, "-nolisten", "tcp", "-noreset")
	cmd.ExtraFiles = []*os.File{w}
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting Xvfb: %v", err)
	}
	w.Close()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		line <- strings.TrimSpace(s)
		r.Close()
	}()
	select {
	case n := <-line:
		if n == "" {
			t.Fatalf("Xvfb did not report a display: %s", stderr.String())
		}
		return ":" + n
	case <-time.After(20 * time.Second):
		t.Fatalf("Xvfb did not start within 20s: %s", stderr.String())
	}
	return ""
}

// TestXvfbHomeScreen starts the real binary under Xvfb, waits for its window, takes a
// screenshot (out/screenshots/home.png) and fails if the window never appears, the
// process exits, or the window is blank.
func TestXvfbHomeScreen(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the app under Xvfb")
	}
	display := startXvfb(t)
	xdotool := testenv.Tool(t, "xdotool")
	xwd := testenv.Tool(t, "xwd")
	root := repoRoot(t)

	bin := filepath.Join(t.TempDir(), "mynasign")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	home := t.TempDir() // fresh preferences, no saved language
	var appOut bytes.Buffer
	app := exec.Command(bin)
	app.Env = append(cleanEnv(), "DISPLAY="+display, "HOME="+home,
		"XDG_CONFIG_HOME="+filepath.Join(home, ".config"), "XDG_DATA_HOME="+filepath.Join(home, ".local/share"),
		"LIBGL_ALWAYS_SOFTWARE=1", "MYNASIGN_LOG_LEVEL=info")
	app.Stdout, app.Stderr = &appOut, &appOut
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- app.Wait() }()
	t.Cleanup(func() {
		select {
		case <-exited:
		default:
			_ = app.Process.Signal(syscall.SIGTERM)
			select {
			case <-exited:
			case <-time.After(5 * time.Second):
				_ = app.Process.Kill()
				<-exited
			}
		}
	})

	// The window, by its title, within a few seconds.
	title := "マイナ署名"
	var wid string
	deadline := time.Now().Add(15 * time.Second)
	for wid == "" {
		select {
		case err := <-exited:
			t.Fatalf("the app exited before showing its window (%v):\n%s", err, appOut.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no window titled %q within 15s:\n%s", title, appOut.String())
		}
		out, _ := runWithDisplay(display, xdotool, "search", "--onlyvisible", "--name", "^"+title+"$")
		if f := strings.Fields(out); len(f) > 0 {
			wid = f[0]
			break
		}
		time.Sleep(200 * time.Millisecond)
	}

	// Give the first frames time to be drawn, then take the screenshot; retry while the
	// window is still blank (the software renderer can be slow on a loaded machine).
	var img image.Image
	var blankWhy string
	for try := 0; try < 10; try++ {
		time.Sleep(700 * time.Millisecond)
		select {
		case err := <-exited:
			t.Fatalf("the app exited after showing its window (%v):\n%s", err, appOut.String())
		default:
		}
		raw, err := runWithDisplayBytes(display, xwd, "-silent", "-id", wid)
		if err != nil {
			t.Fatalf("xwd: %v", err)
		}
		img, err = decodeXWD(raw)
		if err != nil {
			t.Fatal(err)
		}
		if blankWhy = blankness(img); blankWhy == "" {
			break
		}
	}
	shot := filepath.Join(root, "out", "screenshots", "home.png")
	if err := os.MkdirAll(filepath.Dir(shot), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(shot)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%dx%d)", shot, img.Bounds().Dx(), img.Bounds().Dy())
	if blankWhy != "" {
		t.Fatalf("the window looks blank (%s); screenshot in %s\n%s", blankWhy, shot, appOut.String())
	}
	select {
	case err := <-exited:
		t.Fatalf("the app exited (%v):\n%s", err, appOut.String())
	default:
	}
}

// blankness says why img looks blank, or "" when it has content: a blank window is
// (nearly) one colour; a drawn one has text, buttons and anti-aliased edges.
func blankness(img image.Image) string {
	b := img.Bounds()
	if b.Dx() < 200 || b.Dy() < 150 {
		return fmt.Sprintf("window only %dx%d", b.Dx(), b.Dy())
	}
	counts := map[[3]uint32]int{}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			counts[[3]uint32{r >> 8, g >> 8, bl >> 8}]++
		}
	}
	most := 0
	for _, n := range counts {
		most = max(most, n)
	}
	total := b.Dx() * b.Dy()
	other := float64(total-most) / float64(total)
	switch {
	case len(counts) < 16:
		return fmt.Sprintf("only %d colours", len(counts))
	case other < 0.02:
		return fmt.Sprintf("%.2f%% of the pixels differ from the background", other*100)
	}
	return ""
}

// cleanEnv is the test's environment without a DISPLAY or WAYLAND_DISPLAY of its own.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "DISPLAY=") || strings.HasPrefix(kv, "WAYLAND_DISPLAY=") ||
			strings.HasPrefix(kv, "HOME=") || strings.HasPrefix(kv, "XDG_") || strings.HasPrefix(kv, "MYNASIGN_") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

func runWithDisplay(display, prog string, args ...string) (string, error) {
	out, err := runWithDisplayBytes(display, prog, args...)
	return string(out), err
}

func runWithDisplayBytes(display, prog string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, prog, args...)
	cmd.Env = append(cleanEnv(), "DISPLAY="+display)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return out, fmt.Errorf("%s %s: %v: %s", filepath.Base(prog), strings.Join(args, " "), err, stderr.String())
	}
	return out, nil
}
