//go:build linux

package pcscdtest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mynasign/mynasign/card/internal/pcsc"
	"github.com/mynasign/mynasign/card/softcard"
	"github.com/mynasign/mynasign/internal/testenv"
)

// driverPaths are where distributions install the vpcd driver.
var driverPaths = []string{
	"/usr/lib/pcsc/drivers/serial/libifdvpcd.so",
	"/usr/lib64/pcsc/drivers/serial/libifdvpcd.so",
	"/usr/local/lib/pcsc/drivers/serial/libifdvpcd.so",
}

// findPcscd looks for pcscd on PATH and in the sbin directories (not on a normal
// user's PATH on Debian).
func findPcscd(t testing.TB) string {
	if p, err := exec.LookPath("pcscd"); err == nil {
		return p
	}
	for _, p := range []string{"/usr/sbin/pcscd", "/sbin/pcscd", "/usr/local/sbin/pcscd"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	testenv.Unavailable(t, "pcscd is not installed (Debian: pcscd)")
	return ""
}

// socketPath is where pcsc-lite's daemon and clients meet.
const socketPath = "/run/pcscd/pcscd.comm"

// Time limits of the harness (generous: CI machines can be slow).
const (
	lockWait   = 10 * time.Minute
	readyWait  = 20 * time.Second
	stopWait   = 3 * time.Second
	cardWait   = 15 * time.Second
	maxLogTail = 80
)

// Start starts a private pcscd with the vpcd driver, attaches the software card and
// waits until pcscd reports it present. Everything is stopped by t.Cleanup (or Stop).
// When pcscd or vpcd are missing, or a foreign pcscd is running, it ends the test
// through testenv.Unavailable.
func Start(t testing.TB, opts Options) *Stack {
	t.Helper()
	s := &Stack{t: t}
	s.pcscd = findPcscd(t)
	// Created before Stop is registered, removed after it ran (cleanups run last
	// first): Stop can still show the log.
	dir := t.TempDir()
	driver := ""
	for _, p := range driverPaths {
		if _, err := os.Stat(p); err == nil {
			driver = p
			break
		}
	}
	if driver == "" {
		testenv.Unavailable(t, "the vsmartcard vpcd driver (libifdvpcd.so) is not installed (Debian: vsmartcard-vpcd)")
	}
	s.Card = opts.Card
	if s.Card == nil {
		c, err := softcard.NewPersona(opts.Persona)
		if err != nil {
			t.Fatalf("pcscdtest: %v", err)
		}
		s.Card = c
	}
	s.acquireLock()
	t.Cleanup(s.Stop)
	if pid := foreignPcscd(); pid != 0 {
		testenv.Unavailable(t, "a pcscd that is not this test's is running (pid %d); the tests need their own on %s: stop it (for example `systemctl stop pcscd.socket pcscd`) and run again", pid, socketPath)
	}
	if socketInUse() {
		testenv.Unavailable(t, "%s is served by someone else (systemd socket activation?): stop it (`systemctl stop pcscd.socket`) and run again", socketPath)
	}
	if err := os.MkdirAll("/run/pcscd", 0o755); err != nil {
		testenv.Unavailable(t, "cannot create /run/pcscd for pcscd (%v): the real PC/SC stack tests need root", err)
	}

	s.confDir = filepath.Join(dir, "reader.conf.d")
	s.LogPath = filepath.Join(dir, "pcscd.log")
	s.Port = freePortPair(t)
	if err := os.MkdirAll(s.confDir, 0o755); err != nil {
		t.Fatal(err)
	}
	conf := fmt.Sprintf("FRIENDLYNAME \"%s\"\nDEVICENAME /dev/null:0x%04X\nLIBPATH %s\nCHANNELID 0x%04X\n", FriendlyName, s.Port, driver, s.Port)
	if err := os.WriteFile(filepath.Join(s.confDir, "vpcd"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	s.Reader = FriendlyName + " 00 00"
	s.SpareReader = FriendlyName + " 00 01"
	f, err := os.Create(s.LogPath)
	if err != nil {
		t.Fatal(err)
	}
	s.logFile = f

	s.StartDaemon()
	s.attach()
	s.WaitCard(true)
	return s
}

// acquireLock takes the machine-wide lock, waiting for other users.
func (s *Stack) acquireLock() {
	f, err := os.OpenFile(LockPath, os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		testenv.Unavailable(s.t, "cannot open the pcscd lock %s: %v", LockPath, err)
	}
	deadline := time.Now().Add(lockWait)
	logged := false
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			s.t.Fatalf("pcscdtest: locking %s: %v", LockPath, err)
		}
		if time.Now().After(deadline) {
			f.Close()
			s.t.Fatalf("pcscdtest: %s stayed locked for %v (another test run holds pcscd)", LockPath, lockWait)
		}
		if !logged {
			s.t.Logf("pcscdtest: waiting for %s (another test uses pcscd)", LockPath)
			logged = true
		}
		time.Sleep(100 * time.Millisecond)
	}
	f.Truncate(0)
	fmt.Fprintf(f, "%d\n", os.Getpid())
	s.lock = f
}

// foreignPcscd returns the PID of a live pcscd process, or 0. While we hold the lock,
// any pcscd is foreign.
func foreignPcscd() int {
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// "PID (comm) S ...": comm may hold spaces; the state follows the last ')'.
		st := string(stat)
		open, close := strings.IndexByte(st, '('), strings.LastIndexByte(st, ')')
		if open < 0 || close < open || close+2 >= len(st) {
			continue
		}
		if st[open+1:close] == "pcscd" && st[close+2] != 'Z' && st[close+2] != 'X' {
			return pid
		}
	}
	return 0
}

// socketInUse reports whether something accepts connections on pcscd's socket.
func socketInUse() bool {
	c, err := net.DialTimeout("unix", socketPath, time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// freePortPair finds a TCP port p on 127.0.0.1 with p+1 free too (vpcd opens both).
func freePortPair(t testing.TB) int {
	for i := 0; i < 50; i++ {
		l, err := net.Listen("tcp4", "0.0.0.0:0")
		if err != nil {
			t.Fatalf("pcscdtest: %v", err)
		}
		p := l.Addr().(*net.TCPAddr).Port
		l2, err := net.Listen("tcp4", fmt.Sprintf("0.0.0.0:%d", p+1))
		l.Close()
		if err != nil || p+1 > 0xFFFF {
			continue
		}
		l2.Close()
		return p
	}
	t.Fatal("pcscdtest: no free pair of TCP ports")
	return 0
}

// StartDaemon starts pcscd (again, after StopDaemon) and waits until it lists the
// reader. The card's vpcd connector reconnects by itself.
func (s *Stack) StartDaemon() {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		s.t.Fatal("pcscdtest: pcscd is already running")
	}
	fmt.Fprintf(s.logFile, "\n==== pcscdtest: starting pcscd %s ====\n", time.Now().Format(time.RFC3339Nano))
	cmd := exec.Command(s.pcscd, "--foreground", "--apdu", "--debug", "--config", s.confDir)
	cmd.Stdout, cmd.Stderr = s.logFile, s.logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("pcscdtest: starting pcscd: %v", err)
	}
	s.cmd = cmd
	s.waitErr = make(chan error, 1)
	go func() { s.waitErr <- cmd.Wait() }()

	deadline := time.Now().Add(readyWait)
	for {
		select {
		case err := <-s.waitErr:
			s.cmd = nil
			s.fatalf("pcscd exited at start: %v", err)
		default:
		}
		if readers, err := listReaders(); err == nil && slices.Contains(readers, s.Reader) {
			return
		}
		if time.Now().After(deadline) {
			s.fatalf("pcscd did not list %q within %v", s.Reader, readyWait)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func listReaders() ([]string, error) {
	ctx, err := pcsc.EstablishContext()
	if err != nil {
		return nil, err
	}
	defer ctx.Release()
	return ctx.ListReaders()
}

// StopDaemon stops pcscd (SIGTERM to its PID, SIGKILL after a while) and waits for it
// to exit; the readers vanish. The lock stays held.
func (s *Stack) StopDaemon() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.waitErr:
	case <-time.After(stopWait):
		s.t.Logf("pcscdtest: pcscd did not stop within %v: killing it; end of its log:\n%s", stopWait, tail(s.LogPath, maxLogTail))
		s.cmd.Process.Kill()
		<-s.waitErr
	}
	s.cmd = nil
	// pcscd removes its socket and PID file on exit; after a SIGKILL it could not.
	os.Remove(socketPath)
	os.Remove(filepath.Join(filepath.Dir(socketPath), "pcscd.pid"))
}

// attach serves the card on the vpcd port until Stop.
func (s *Stack) attach() {
	ctx, cancel := context.WithCancel(context.Background())
	s.serve = cancel
	s.served = make(chan struct{})
	go func() {
		defer close(s.served)
		s.Card.ServeVPCD(ctx, fmt.Sprintf("127.0.0.1:%d", s.Port))
	}()
}

// WaitCard waits (with PC/SC events, not polling) until pcscd reports the card in
// Reader present or absent; it fails the test after a while.
func (s *Stack) WaitCard(present bool) {
	s.t.Helper()
	s.WaitReader(s.Reader, present)
}

// WaitReader waits until pcscd reports a card present in (or absent from) reader, for
// example SpareReader when a test attaches its own card to Port+1.
func (s *Stack) WaitReader(reader string, present bool) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), cardWait)
	defer cancel()
	pc, err := pcsc.EstablishContext()
	if err != nil {
		s.fatalf("waiting for the card: %v", err)
	}
	defer pc.Release()
	states := []pcsc.ReaderState{{Reader: reader}}
	for {
		if err := pc.GetStatusChange(ctx, -1, states); err != nil {
			s.fatalf("waiting for a card present=%v in %q: %v", present, reader, err)
		}
		ev := states[0].EventState
		if ev.Has(pcsc.StatePresent) == present && !ev.Has(pcsc.StateMute) {
			return
		}
		states[0].CurrentState = ev &^ pcsc.StateChanged
	}
}

// Stop detaches the card, stops pcscd and releases the lock. It runs at cleanup; on a
// failed test it first logs the end of pcscd's log.
func (s *Stack) Stop() {
	if s.released {
		return
	}
	s.released = true
	if s.serve != nil {
		s.serve()
		<-s.served
	}
	s.StopDaemon()
	if s.t.Failed() && s.LogPath != "" {
		s.t.Logf("pcscdtest: end of %s:\n%s", s.LogPath, tail(s.LogPath, maxLogTail))
	}
	if s.logFile != nil {
		s.logFile.Close()
	}
	if s.lock != nil {
		s.lock.Truncate(0)
		s.lock.Close() // releases the flock
	}
}

func (s *Stack) fatalf(format string, args ...any) {
	s.t.Helper()
	s.t.Fatalf("pcscdtest: "+format+"\nend of %s:\n%s", append(args, s.LogPath, tail(s.LogPath, maxLogTail))...)
}

// tail returns the last n lines of a file.
//
// pcscd runs with --apdu, so its log holds the data of every command; the lines that
// carry a password are masked (maskSecrets).
func tail(path string, n int) string {
	f, err := os.Open(path)
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		lines = append(lines, maskSecrets(sc.Text()))
		if len(lines) > n {
			lines = lines[1:]
		}
	}
	return strings.Join(lines, "\n")
}
