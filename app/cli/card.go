package cli

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/mynasign/mynasign/app/flow"
	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/card"
)

// pinStatusJSON is one PIN in card status --json.
type pinStatusJSON struct {
	TriesLeft int  `json:"tries_left"`
	MaxTries  int  `json:"max_tries"`
	Blocked   bool `json:"blocked"`
}

// readerJSON is one reader in card status --json.
type readerJSON struct {
	Name        string `json:"name"`
	CardPresent bool   `json:"card_present"`
	Kind        string `json:"kind,omitempty"`  // card.Kind.ID()
	Label       string `json:"label,omitempty"` // JPKI token label
	CardID      string `json:"card_id,omitempty"`
	// SignCertificate is false on a card without a signature certificate.
	SignCertificate *bool                    `json:"sign_certificate,omitempty"`
	PINs            map[string]pinStatusJSON `json:"pins,omitempty"` // "sign", "auth", "text"
	Error           string                   `json:"error,omitempty"`
}

type statusJSON struct {
	Readers []readerJSON `json:"readers"`
	Error   string       `json:"error,omitempty"`
}

// pinOrder lists the PINs in the order they are shown, with their JSON names.
var pinOrder = []struct {
	kind card.PINKind
	name string
}{{card.SignPassword, "sign"}, {card.AuthPIN, "auth"}, {card.TextPIN, "text"}}

// runCardStatus: mynasign card status [--json]
func runCardStatus(env *Env, args []string) error {
	fs := newFlags("card status")
	asJSON := fs.Bool("json", false, "print the status as JSON")
	if err := parseFlags(env, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("card status: unexpected argument %q", fs.Arg(0))
	}
	readers, err := card.ReaderStatuses()
	if err != nil {
		if *asJSON {
			writeJSON(env, statusJSON{Readers: []readerJSON{}, Error: cardErrorText(env.L, err)})
			return &ExitError{Code: ExitFailure}
		}
		return localized(env.L, err)
	}
	out := statusJSON{Readers: []readerJSON{}}
	for _, r := range readers {
		out.Readers = append(out.Readers, inspectReader(env.L, r))
	}
	if *asJSON {
		return writeJSON(env, out)
	}
	printStatus(env, out)
	return nil
}

// inspectReader reads what card status shows about one reader: the card's kind, its
// ID and the tries left of each PIN. It sends no VERIFY with data.
func inspectReader(l *i18n.Localizer, r card.ReaderStatus) readerJSON {
	rj := readerJSON{Name: r.Name, CardPresent: r.CardPresent}
	if !r.CardPresent {
		return rj
	}
	s, err := card.OpenReader(r.Name, card.Options{})
	if err != nil {
		rj.Error = cardErrorText(l, err)
		return rj
	}
	defer s.Close()
	rj.Kind, rj.Label = s.Kind().ID(), s.Label()
	if s.Kind() != card.KindMyNumberCard {
		return rj
	}
	if cert, err := s.AuthCertificate(); err == nil {
		rj.CardID = card.ShortID(cert)
	}
	rj.PINs = map[string]pinStatusJSON{}
	for _, p := range pinOrder {
		st, err := s.PINStatus(p.kind)
		switch {
		case errors.Is(err, card.ErrNoSignCertificate):
			no := false
			rj.SignCertificate = &no
		case err != nil:
			rj.Error = cardErrorText(l, err)
			return rj
		default:
			rj.PINs[p.name] = pinStatusJSON{TriesLeft: st.Left, MaxTries: st.Max, Blocked: st.Blocked}
			if p.kind == card.SignPassword {
				yes := true
				rj.SignCertificate = &yes
			}
		}
	}
	return rj
}

func printStatus(env *Env, st statusJSON) {
	l := env.L
	if len(st.Readers) == 0 {
		fmt.Fprintln(env.Stdout, l.T("cli.card.no_readers"))
		return
	}
	for _, r := range st.Readers {
		fmt.Fprintln(env.Stdout, l.T("cli.card.reader", r.Name))
		if !r.CardPresent {
			fmt.Fprintln(env.Stdout, "  "+l.T("cli.card.no_card"))
			continue
		}
		if r.Kind != "" {
			fmt.Fprintln(env.Stdout, "  "+l.T("cli.card.kind", kindText(l, r.Kind, r.Label)))
		}
		if r.CardID != "" {
			fmt.Fprintln(env.Stdout, "  "+l.T("cli.card.id", r.CardID))
		}
		if r.SignCertificate != nil && !*r.SignCertificate {
			fmt.Fprintln(env.Stdout, "  "+l.T("cli.card.no_sign_cert"))
		}
		for _, p := range pinOrder {
			ps, ok := r.PINs[p.name]
			if !ok {
				continue
			}
			name := l.T(pinNameKey(p.kind))
			if ps.Blocked {
				fmt.Fprintln(env.Stdout, "  "+l.T("cli.card.blocked", name, l.T(blockedAdviceKey(p.kind))))
			} else {
				fmt.Fprintln(env.Stdout, "  "+l.T("cli.card.tries", name, ps.TriesLeft, ps.MaxTries))
			}
		}
		if r.Error != "" {
			fmt.Fprintln(env.Stdout, "  "+l.T("cli.card.unreadable", r.Error))
		}
	}
}

func writeJSON(env *Env, v any) error {
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// kindText names a kind of card for the user.
func kindText(l *i18n.Localizer, id, label string) string {
	switch id {
	case "mynumber", "juki", "smartphone", "not-jpki":
		return l.T("cli.card.kind." + id)
	}
	return l.T("cli.card.kind.unknown_jpki", label)
}

func pinNameKey(k card.PINKind) string {
	switch k {
	case card.SignPassword:
		return "cli.card.pin.sign"
	case card.AuthPIN:
		return "cli.card.pin.auth"
	}
	return "cli.card.pin.text"
}

// blockedAdviceKey says where a blocked PIN can be reset.
func blockedAdviceKey(k card.PINKind) string {
	if k == card.SignPassword {
		return "cli.card.blocked_advice.sign"
	}
	return "cli.card.blocked_advice.other"
}

// localizedError carries the translated text of a library error, and the error.
type localizedError struct {
	text string
	err  error
}

func (e *localizedError) Error() string { return e.text }
func (e *localizedError) Unwrap() error { return e.err }

// localized wraps err with the user's text for it.
func localized(l *i18n.Localizer, err error) error {
	return &localizedError{text: cardErrorText(l, err), err: err}
}

// cardErrorText explains an error of package card in the user's language (flow.Explain).
// It never includes a PIN (the card errors carry none).
func cardErrorText(l *i18n.Localizer, err error) string {
	if e, ok := flow.Explain(err); ok {
		return e.Text(l)
	}
	return err.Error()
}
