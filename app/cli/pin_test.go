package cli

import (
	"errors"
	"flag"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/mynasign/mynasign/card"
)

func TestPINFromFD(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	w.WriteString("TEST1234\r\n１２３４\n\nlast")
	w.Close()
	env, _, _ := cardTestEnv(nil)
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fd := addPINFlag(fs)
	if err := fs.Parse([]string{"--pin-fd", strconv.Itoa(int(r.Fd()))}); err != nil {
		t.Fatal(err)
	}
	pr := newPINReader(env, *fd)
	for _, want := range []string{"TEST1234", "１２３４", "", "last"} {
		got, err := pr.read(card.SignPassword)
		if err != nil || string(got) != want {
			t.Fatalf("read %q %v, want %q", got, err, want)
		}
	}
	if _, err := pr.read(card.SignPassword); err == nil || !strings.Contains(err.Error(), "no password left") {
		t.Fatalf("after the end: %v", err)
	}
	// The reader works on its own duplicate: closing it, or the garbage collector
	// finalizing it, leaves the caller's descriptor open.
	if err := pr.Close(); err != nil {
		t.Fatal(err)
	}
	pr = nil
	runtime.GC()
	runtime.GC()
	if _, err := r.Stat(); err != nil {
		t.Fatalf("the caller's descriptor was closed: %v", err)
	}
	// A long line is refused, not truncated.
	r2, w2, _ := os.Pipe()
	defer r2.Close()
	go func() { w2.WriteString(strings.Repeat("A", maxPINInput+1) + "\n"); w2.Close() }()
	if _, err := newPINReader(env, int(r2.Fd())).read(card.SignPassword); err == nil {
		t.Fatal("overlong input accepted")
	}
}

func TestPINSources(t *testing.T) {
	env, _, _ := cardTestEnv(nil)
	var ue *UsageError
	if _, err := newPINReader(env, 987).read(card.SignPassword); !errors.As(err, &ue) {
		t.Fatalf("closed descriptor: %v", err)
	}
	pr := newPINReader(env, -1)
	pr.terminal = func() (int, bool) { return 0, false }
	if _, err := pr.read(card.TextPIN); err == nil || !strings.Contains(err.Error(), "--pin-fd") {
		t.Fatalf("no terminal: %v", err)
	}
	for _, k := range []card.PINKind{card.SignPassword, card.AuthPIN, card.TextPIN} {
		if !env.L.Has(pinPromptKey(k)) {
			t.Errorf("no prompt for %v", k)
		}
	}
}
