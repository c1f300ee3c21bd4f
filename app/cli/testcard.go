package cli

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/mynasign/mynasign/card/softcard"
	"github.com/mynasign/mynasign/internal/testpki"
)

// defaultVPCD is vpcd's default port (0x8C7B) on this machine.
const defaultVPCD = "127.0.0.1:35963"

// runTestcardServe: mynasign testcard serve [--vpcd HOST:PORT] [--persona NAME] [--removed]
//
// Standard input takes commands, one per line: remove, insert, reset, status, quit.
// On Unix, SIGUSR1 takes the card out and SIGUSR2 puts it back. SIGINT/SIGTERM (or
// quit, or the end of input with --quit-on-eof) stop it.
func runTestcardServe(env *Env, args []string) error {
	fs := newFlags("testcard serve")
	addr := fs.String("vpcd", defaultVPCD, "HOST:PORT of the vpcd virtual reader (vsmartcard) to attach to")
	persona := fs.String("persona", testpki.DefaultPersona, "test persona: "+strings.Join(softcard.PersonaIDs(), ", "))
	removed := fs.Bool("removed", false, "start with the card out of the reader")
	quitOnEOF := fs.Bool("quit-on-eof", false, "stop at the end of standard input (default: keep serving)")
	if err := parseFlags(env, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("testcard serve: unexpected argument %q", fs.Arg(0))
	}
	if _, _, err := net.SplitHostPort(*addr); err != nil {
		return usagef("testcard serve: --vpcd %q: want HOST:PORT", *addr)
	}
	if !slices.Contains(softcard.PersonaIDs(), *persona) {
		return usagef("testcard serve: unknown persona %q (one of %s)", *persona, strings.Join(softcard.PersonaIDs(), ", "))
	}
	c, err := softcard.NewPersona(*persona)
	if err != nil {
		return err
	}
	if *removed {
		c.Remove()
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	signals, stopSignals := presenceSignals()
	defer stopSignals()

	served := make(chan error, 1)
	go func() { served <- c.ServeVPCD(ctx, *addr) }()
	fmt.Fprintln(env.Stdout, env.L.T("cli.testcard.serving", *persona, *addr))

	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(env.Stdin)
		for sc.Scan() {
			select {
			case lines <- strings.TrimSpace(sc.Text()):
			case <-ctx.Done():
				return
			}
		}
	}()
	for {
		select {
		case <-ctx.Done():
			<-served
			fmt.Fprintln(env.Stdout, env.L.T("cli.testcard.stopped"))
			return nil
		case cmd := <-signals:
			testcardCommand(env, c, cmd)
		case line, ok := <-lines:
			if !ok {
				lines = nil // no more input: serve until interrupted
				if *quitOnEOF {
					cancel()
				}
				continue
			}
			if testcardCommand(env, c, line) {
				cancel()
			}
		}
	}
}

// testcardCommand runs one line of standard input; it reports whether to quit.
func testcardCommand(env *Env, c *softcard.Card, line string) (quit bool) {
	l := env.L
	switch line {
	case "":
	case "remove":
		c.Remove()
		fmt.Fprintln(env.Stdout, l.T("cli.testcard.removed"))
	case "insert":
		c.Insert()
		fmt.Fprintln(env.Stdout, l.T("cli.testcard.inserted"))
	case "reset":
		c.Reset()
		fmt.Fprintln(env.Stdout, l.T("cli.testcard.reset"))
	case "status":
		s := c.Stats()
		fmt.Fprintln(env.Stdout, l.T("cli.testcard.status", c.Present(), c.TriesLeft("sign"), s.Commands, s.Signatures))
	case "quit", "exit":
		return true
	default:
		fmt.Fprintln(env.Stderr, l.T("cli.testcard.unknown_command", line))
	}
	return false
}
