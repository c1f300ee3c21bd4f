package tempfile

import (
	"context"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

// Signals watches the termination signals SIGINT and SIGTERM for an entry point.
type Signals struct {
	ctx    context.Context
	cancel context.CancelFunc
	ch     chan os.Signal
	stop   chan struct{}
	once   sync.Once
	mu     sync.Mutex
	got    os.Signal
}

// DefaultGrace is how long WatchSignals lets an interrupted operation return before the
// process exits anyway.
const DefaultGrace = 3 * time.Second

// WatchSignals starts watching SIGINT and SIGTERM. On the first one it cancels the
// context, runs Cleanup at once, and exits the process with status 128+signal when the
// entry point has not called Stop within grace; a second signal exits at once.
func WatchSignals(parent context.Context, grace time.Duration) *Signals {
	ctx, cancel := context.WithCancel(parent)
	s := &Signals{ctx: ctx, cancel: cancel, ch: make(chan os.Signal, 2), stop: make(chan struct{})}
	signal.Notify(s.ch, os.Interrupt, syscall.SIGTERM)
	go s.run(grace)
	return s
}

func (s *Signals) run(grace time.Duration) {
	var sig os.Signal
	select {
	case sig = <-s.ch:
	case <-s.stop:
		return
	}
	s.mu.Lock()
	s.got = sig
	s.mu.Unlock()
	s.cancel()
	Cleanup()
	t := time.NewTimer(grace)
	select {
	case <-s.stop:
		return
	case <-s.ch:
	case <-t.C:
	}
	Cleanup() // anything an operation made between the two (it cannot, but be sure)
	os.Exit(ExitCode(sig))
}

// Context is cancelled on the first signal.
func (s *Signals) Context() context.Context { return s.ctx }

// Received is the signal that arrived, or nil.
func (s *Signals) Received() os.Signal {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.got
}

// Stop ends the watch; after a signal it also runs Cleanup once more, for whatever the
// interrupted operation left.
func (s *Signals) Stop() {
	s.once.Do(func() {
		signal.Stop(s.ch)
		close(s.stop)
		if s.Received() != nil {
			Cleanup()
		}
		s.cancel()
	})
}

// ExitCode is the conventional exit status of a process ended by sig: 128 + its number.
func ExitCode(sig os.Signal) int {
	if n, ok := sig.(syscall.Signal); ok {
		return 128 + int(n)
	}
	return 1
}
