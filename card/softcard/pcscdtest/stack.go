package pcscdtest

import (
	"context"
	"os"
	"os/exec"
	"sync"
	"testing"

	"github.com/mynasign/mynasign/card/softcard"
)

// LockPath is the lock file every user of a test pcscd holds while it runs.
const LockPath = "/tmp/mynasign-pcscd.lock"

// FriendlyName is the name of the vpcd reader in the private reader.conf; pcscd names
// its two slots FriendlyName + " 00 00" and " 00 01".
const FriendlyName = "mynasign vpcd"

// Options choose the card of a Stack.
type Options struct {
	// Persona is the testpki persona of the card ("" = the default persona).
	Persona string
	// Card, when set, is attached instead of a persona's card.
	Card *softcard.Card
}

// Stack is a running private pcscd with a vpcd reader of two slots: the software card
// sits in Reader, SpareReader stays empty.
type Stack struct {
	// Card is the software card in Reader; Remove and Insert it to simulate the user.
	Card *softcard.Card
	// Reader is the PC/SC name of the slot holding Card.
	Reader string
	// SpareReader is the second slot of the same vpcd reader, always empty.
	SpareReader string
	// Port is the vpcd TCP port of Reader on 127.0.0.1 (SpareReader's is Port+1).
	Port int
	// LogPath is pcscd's log (-f -a -d), kept under the test's temporary directory.
	LogPath string

	t        testing.TB
	mu       sync.Mutex // guards cmd and waitErr (StopDaemon may run from another goroutine)
	confDir  string
	pcscd    string
	cmd      *exec.Cmd
	waitErr  chan error
	logFile  *os.File
	lock     *os.File
	serve    context.CancelFunc
	served   chan struct{}
	released bool
}
