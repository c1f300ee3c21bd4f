// Package cli is mynasign's command-line interface: the same binary as the GUI, started
// with a subcommand. It imports no Fyne code.
//
// Exit codes: 0 success; 1 the operation failed or a verification did not pass; 2 usage;
// 128+n ended by signal n (SIGINT 130, SIGTERM 143), after removing its temporary files.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/app/logging"
	"github.com/mynasign/mynasign/internal/tempfile"
)

// Exit codes of the CLI.
const (
	ExitOK      = 0
	ExitFailure = 1
	ExitUsage   = 2
)

// Env is what a command runs with: its streams and the user's language. Tests give
// their own.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	L      *i18n.Localizer
	// Ctx is cancelled when the process is asked to stop (SIGINT, SIGTERM); nil means
	// never.
	Ctx context.Context
}

// context is env.Ctx, or a context that is never cancelled.
func (env *Env) context() context.Context {
	if env.Ctx != nil {
		return env.Ctx
	}
	return context.Background()
}

// command is one subcommand; name may hold a space ("card status").
type command struct {
	name    string
	summary string // a short English summary for the usage text
	run     func(env *Env, args []string) error
}

// UsageError marks an error in how the command was called (exit code 2).
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

func usagef(format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}

// ExitError carries a specific exit code without another message (for example a
// verification that ran fine but did not pass).
type ExitError struct{ Code int }

func (e *ExitError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// Main runs the CLI with args (without the program name) and returns the exit code.
//
// SIGINT and SIGTERM cancel the command's context and remove every temporary file and
// folder of the process at once (package tempfile): a partial signed output, a copy of
// an e-Gov application folder, the zip entries a batch extracted. The command then has a
// few seconds to end on its own before the process exits anyway.
func Main(args []string) int {
	sigs := tempfile.WatchSignals(context.Background(), tempfile.DefaultGrace)
	env := &Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, L: i18n.FromEnv(), Ctx: sigs.Context()}
	code := Run(env, args)
	sigs.Stop()
	if sig := sigs.Received(); sig != nil {
		return tempfile.ExitCode(sig)
	}
	return code
}

// Run is Main with explicit streams.
func Run(env *Env, args []string) int {
	global := flag.NewFlagSet("mynasign", flag.ContinueOnError)
	global.SetOutput(io.Discard)
	level := global.String("log-level", "", "log level: error, warning, info, debug (default $"+logging.EnvLevel+" or warning)")
	lang := global.String("lang", "", "language of messages: ja or en (default $"+i18n.EnvLang+" or ja)")
	if err := global.Parse(args); err != nil {
		return report(env, usagef("%v", err))
	}
	if *lang != "" {
		env.L = i18n.New(i18n.Lang(*lang))
	}
	if err := logging.Setup(*level, env.Stderr); err != nil {
		return report(env, &UsageError{Msg: err.Error()})
	}
	rest := global.Args()
	if len(rest) == 0 || rest[0] == "help" || rest[0] == "-h" || rest[0] == "--help" {
		printUsage(env.Stdout)
		return ExitOK
	}
	cmd, cmdArgs, ok := lookup(rest)
	if !ok {
		return report(env, usagef("unknown command %q (see mynasign help)", strings.Join(rest, " ")))
	}
	return report(env, cmd.run(env, cmdArgs))
}

// lookup finds the longest command name that prefixes args.
func lookup(args []string) (command, []string, bool) {
	var best command
	bestLen := 0
	for _, c := range commands {
		words := strings.Fields(c.name)
		if len(words) <= len(args) && len(words) > bestLen && equalWords(words, args[:len(words)]) {
			best, bestLen = c, len(words)
		}
	}
	return best, args[bestLen:], bestLen > 0
}

func equalWords(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// report prints err (if any) and maps it to an exit code.
func report(env *Env, err error) int {
	if err == nil {
		return ExitOK
	}
	var ue *UsageError
	var ee *ExitError
	switch {
	case errors.As(err, &ee):
		return ee.Code
	case errors.As(err, &ue):
		fmt.Fprintln(env.Stderr, "mynasign: "+env.L.T("cli.usage_error", ue.Msg))
		return ExitUsage
	case errors.Is(err, flag.ErrHelp):
		return ExitOK
	default:
		fmt.Fprintln(env.Stderr, "mynasign: "+env.L.T("cli.error", describe(env.L, err)))
		return ExitFailure
	}
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "mynasign — sign and verify documents with the My Number Card (マイナ署名)")
	fmt.Fprintln(w, "")
	fmt.Fprintln(w, "Usage: mynasign [--log-level L] [--lang ja|en] COMMAND [flags]")
	fmt.Fprintln(w, "       mynasign            (no command: start the desktop app)")
	fmt.Fprintln(w, "")
	fmt.Fprintln(w, "Commands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-18s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "")
	fmt.Fprintln(w, "Passwords are read from a terminal prompt or --pin-fd N, never from arguments.")
}

// newFlags returns a flag set for a subcommand that reports errors as usage errors.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("mynasign "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parseFlags parses args into fs, turning problems into usage errors and -h into help.
func parseFlags(env *Env, fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(env.Stdout)
			fs.PrintDefaults()
			return flag.ErrHelp
		}
		return usagef("%v", err)
	}
	return nil
}
