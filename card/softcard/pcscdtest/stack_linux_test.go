package pcscdtest

import (
	"errors"
	"os"
	"syscall"
	"testing"

	"github.com/mynasign/mynasign/card/softcard"
)

// TestStackLifecycle: while a Stack runs it holds the lock, its pcscd is the one
// serving the socket (and would be refused as foreign by another Start), and Stop
// ends it.
func TestStackLifecycle(t *testing.T) {
	c, err := softcard.NewPersona("child")
	if err != nil {
		t.Fatal(err)
	}
	st := Start(t, Options{Card: c})
	if st.Card != c || st.Reader != FriendlyName+" 00 00" || st.SpareReader != FriendlyName+" 00 01" {
		t.Fatalf("stack %+v", st)
	}
	pid := st.cmd.Process.Pid
	if got := foreignPcscd(); got != pid {
		t.Fatalf("pcscd detection found %d, ours is %d", got, pid)
	}
	if !socketInUse() {
		t.Fatal("pcscd's socket is not served")
	}
	f, err := os.Open(LockPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); !errors.Is(err, syscall.EWOULDBLOCK) {
		t.Fatalf("the lock is not held while pcscd runs: %v", err)
	}
	st.Card.Remove()
	st.WaitCard(false)
	st.Card.Insert()
	st.WaitCard(true)
	st.Stop()
	if err := syscall.Kill(pid, 0); err == nil {
		t.Fatalf("pcscd %d still runs after Stop", pid)
	}
	st.Stop() // a second Stop (the cleanup) does nothing
}
