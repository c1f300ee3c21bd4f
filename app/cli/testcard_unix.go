//go:build unix

package cli

import (
	"os"
	"os/signal"
	"syscall"
)

// presenceSignals turns SIGUSR1 into "remove" and SIGUSR2 into "insert" commands. The
// returned function stops listening.
func presenceSignals() (<-chan string, func()) {
	ch := make(chan os.Signal, 4)
	signal.Notify(ch, syscall.SIGUSR1, syscall.SIGUSR2)
	cmds := make(chan string, 4)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case s := <-ch:
				cmd := "insert"
				if s == syscall.SIGUSR1 {
					cmd = "remove"
				}
				select {
				case cmds <- cmd:
				case <-done:
					return
				}
			}
		}
	}()
	return cmds, func() {
		signal.Stop(ch)
		close(done)
	}
}
