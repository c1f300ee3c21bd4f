package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"golang.org/x/term"

	"github.com/mynasign/mynasign/card"
)

// maxPINInput bounds what is read for one PIN (a signature password has at most 16
// characters, full-width ones take 3 bytes each).
const maxPINInput = 256

// addPINFlag registers --pin-fd: PINs come from a terminal prompt or from a file
// descriptor, never from the command line.
func addPINFlag(fs *flag.FlagSet) *int {
	return fs.Int("pin-fd", -1, "read the password from this file descriptor (one line per password) instead of the terminal")
}

// pinReader reads PINs for one command run.
type pinReader struct {
	env *Env
	fd  int
	// file is a duplicate of the --pin-fd descriptor, opened once; it is read byte by byte so that
	// nothing beyond one line is consumed and no copy of a PIN stays in a buffer.
	file *os.File
	// terminal returns the terminal to prompt on (stdin), or false. Tests replace it.
	terminal func() (int, bool)
}

func newPINReader(env *Env, fd int) *pinReader {
	return &pinReader{env: env, fd: fd, terminal: stdinTerminal}
}

// stdinTerminal reports whether standard input is a terminal.
func stdinTerminal() (int, bool) {
	fd := int(os.Stdin.Fd())
	return fd, term.IsTerminal(fd)
}

// read returns one PIN of the given kind as typed (normalization and validation happen
// in package card). The caller clears the slice after use; it is never logged.
func (r *pinReader) read(kind card.PINKind) ([]byte, error) {
	if r.fd >= 0 {
		return r.readFD()
	}
	fd, ok := r.terminal()
	if !ok {
		return nil, errors.New(r.env.L.T("cli.pin.no_terminal"))
	}
	fmt.Fprint(r.env.Stderr, r.env.L.T(pinPromptKey(kind)))
	pin, err := term.ReadPassword(fd)
	fmt.Fprintln(r.env.Stderr)
	if err != nil {
		clear(pin)
		return nil, fmt.Errorf("reading the password from the terminal: %w", err)
	}
	return pin, nil
}

// readFD reads one line from the --pin-fd descriptor (a final newline, and a CR before
// it, are dropped; end of file ends the line).
func (r *pinReader) readFD() ([]byte, error) {
	if r.file == nil {
		f, err := openPINFD(r.fd)
		if err != nil {
			return nil, usagef("%s", r.env.L.T("cli.pin.bad_fd", r.fd))
		}
		r.file = f
	}
	buf := make([]byte, 0, maxPINInput)
	var b [1]byte
	for {
		n, err := r.file.Read(b[:])
		if n == 1 {
			if b[0] == '\n' {
				break
			}
			if len(buf) == maxPINInput {
				clear(buf)
				return nil, errors.New(r.env.L.T("cli.pin.too_long"))
			}
			buf = append(buf, b[0])
			continue
		}
		if err == io.EOF {
			if len(buf) == 0 {
				return nil, errors.New(r.env.L.T("cli.pin.eof", r.fd))
			}
			break
		}
		if err != nil {
			clear(buf)
			return nil, fmt.Errorf("reading the password from --pin-fd %d: %w", r.fd, err)
		}
	}
	b[0] = 0
	if n := len(buf); n > 0 && buf[n-1] == '\r' {
		buf[n-1] = 0
		buf = buf[:n-1]
	}
	return buf, nil
}

// Close releases the duplicate of the --pin-fd descriptor, if one was opened.
func (r *pinReader) Close() error {
	if r.file == nil {
		return nil
	}
	err := r.file.Close()
	r.file = nil
	return err
}

// pinPromptKey is the message key of the prompt for a PIN.
func pinPromptKey(kind card.PINKind) string {
	switch kind {
	case card.SignPassword:
		return "cli.pin.prompt.sign"
	case card.AuthPIN:
		return "cli.pin.prompt.auth"
	}
	return "cli.pin.prompt.text"
}
