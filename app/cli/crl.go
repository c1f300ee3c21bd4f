package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/mynasign/mynasign/app/flow"
	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/trust"
)

// runCRLImport: mynasign crl import [--trust S] [--crl-dir DIR] [--json] FILE|DIR|ZIP...
func runCRLImport(env *Env, args []string) error {
	fs := newFlags("crl import")
	tf := addTrustFlags(fs)
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if err := parseFlags(env, fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("crl import: name at least one CRL file, folder or zip")
	}
	opts, err := tf.options()
	if err != nil {
		return err
	}
	res, err := flow.ImportCRLs(opts, fs.Args()...)
	var ie *trust.ImportError
	if err != nil && !errors.As(err, &ie) {
		return err
	}
	if *asJSON {
		return printImportJSON(env, res, ie)
	}
	if ie != nil {
		for _, ce := range ie.Errors {
			fmt.Fprintln(env.Stderr, "mynasign: "+env.L.T("cli.crl.failed", ce.File, crlReason(env.L, ce)))
		}
		fmt.Fprintln(env.Stderr, "mynasign: "+env.L.T("cli.crl.nothing_changed", res.Dir))
		return &ExitError{Code: ExitFailure}
	}
	added := 0
	for _, c := range res.CRLs {
		switch c.Status {
		case trust.ImportAdded:
			added++
			fmt.Fprintln(env.Stdout, env.L.T("cli.crl.imported", c.File, issuerLabel(env.L, c.CRL), scopeLabel(env.L, c.CRL),
				crlOrDash(c.CRL.Number), strconv.FormatInt(c.CRL.Entries, 10), nextUpdateLabel(env.L, c.CRL)))
		case trust.ImportUnchanged:
			fmt.Fprintln(env.Stdout, env.L.T("cli.crl.unchanged", c.File, crlOrDash(c.CRL.Number)))
		case trust.ImportOlder:
			kept := ""
			if c.Kept != nil {
				kept = c.Kept.Number
			}
			fmt.Fprintln(env.Stdout, env.L.T("cli.crl.older", c.File, crlOrDash(kept), crlOrDash(c.CRL.Number)))
		}
	}
	for _, s := range res.Skipped {
		fmt.Fprintln(env.Stdout, env.L.T("cli.crl.skipped", s))
	}
	fmt.Fprintln(env.Stdout, env.L.T("cli.crl.summary", strconv.Itoa(added), res.Dir))
	return nil
}

// importJSON is the --json output of crl import.
type importJSON struct {
	Dir     string              `json:"dir"`
	OK      bool                `json:"ok"`
	CRLs    []trust.ImportedCRL `json:"crls"`
	Skipped []string            `json:"skipped,omitempty"`
	Errors  []crlErrorJSON      `json:"errors,omitempty"`
}

type crlErrorJSON struct {
	File    string        `json:"file"`
	Reason  trust.Message `json:"reason"`
	Message string        `json:"message"`
}

func printImportJSON(env *Env, res *flow.CRLImport, ie *trust.ImportError) error {
	out := importJSON{Dir: res.Dir, OK: ie == nil, CRLs: []trust.ImportedCRL{}}
	if res.ImportResult != nil {
		out.CRLs = append(out.CRLs, res.CRLs...)
		out.Skipped = res.Skipped
	}
	if ie != nil {
		out.CRLs = []trust.ImportedCRL{} // nothing was stored
		for _, ce := range ie.Errors {
			out.Errors = append(out.Errors, crlErrorJSON{File: ce.File, Reason: ce.Reason, Message: crlReason(env.L, ce)})
		}
	}
	if err := crlWriteJSON(env.Stdout, out); err != nil {
		return err
	}
	if ie != nil {
		return &ExitError{Code: ExitFailure}
	}
	return nil
}

// runCRLList: mynasign crl list [--trust S] [--crl-dir DIR] [--at TIME] [--json]
func runCRLList(env *Env, args []string) error {
	fs := newFlags("crl list")
	tf := addTrustFlags(fs)
	asJSON := fs.Bool("json", false, "print the list as JSON")
	if err := parseFlags(env, fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usagef("crl list takes no arguments")
	}
	opts, err := tf.options()
	if err != nil {
		return err
	}
	st, err := flow.CRLStatus(opts)
	if err != nil {
		return err
	}
	if *asJSON {
		return crlWriteJSON(env.Stdout, st)
	}
	if len(st.CRLs) == 0 {
		fmt.Fprintln(env.Stdout, env.L.T("cli.crl.list_empty", st.Dir))
		return nil
	}
	fmt.Fprintln(env.Stdout, env.L.T("cli.crl.list_header", st.Dir, crlTime(st.At)))
	for _, c := range st.CRLs {
		if c.Problem != nil { // an unreadable index: its ID, so that it can be removed
			fmt.Fprintln(env.Stdout, env.L.T("cli.crl.list_damaged", c.ID, verifyMessage(env, *c.Problem)))
			continue
		}
		state := env.L.T("cli.crl.stale")
		switch {
		case c.NextUpdate == nil:
			state = env.L.T("cli.crl.no_next_update")
		case c.Fresh:
			state = env.L.T("cli.crl.fresh")
		}
		file := c.File
		if c.Builtin {
			file = env.L.T("cli.crl.builtin", c.File)
		}
		fmt.Fprintln(env.Stdout, env.L.T("cli.crl.list_row", issuerLabel(env.L, c.CRLInfo), scopeLabel(env.L, c.CRLInfo),
			crlOrDash(c.Number), strconv.FormatInt(c.Entries, 10), crlTime(c.ThisUpdate), nextUpdateLabel(env.L, c.CRLInfo), state, file,
			crlOrDash(c.ID)))
	}
	return nil
}

// runCRLRemove: mynasign crl remove [--crl-dir DIR] [--json] ID
//
// ID is what `crl list` shows (and its JSON's "id"). Only that CRL's scope is removed.
func runCRLRemove(env *Env, args []string) error {
	fs := newFlags("crl remove")
	crlDirFlag := fs.String("crl-dir", "", "CRL store directory (default: <user config dir>/mynasign/crl)")
	asJSON := fs.Bool("json", false, "print the removed CRL as JSON")
	if err := parseFlags(env, fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("crl remove: name one CRL ID (see mynasign crl list)")
	}
	id := fs.Arg(0)
	res, err := flow.RemoveCRL(trust.Options{CRLDir: *crlDirFlag}, id)
	if errors.Is(err, trust.ErrUnknownCRL) {
		return &localizedError{text: env.L.T("cli.crl.unknown_id", id), err: err}
	}
	if err != nil {
		return err
	}
	if *asJSON {
		return crlWriteJSON(env.Stdout, res)
	}
	if res.Removed.Problem != nil {
		fmt.Fprintln(env.Stdout, env.L.T("cli.crl.removed_damaged", res.Removed.ID, res.Dir))
		return nil
	}
	fmt.Fprintln(env.Stdout, env.L.T("cli.crl.removed", issuerLabel(env.L, *res.Removed), scopeLabel(env.L, *res.Removed),
		crlOrDash(res.Removed.Number), crlOrDash(res.Removed.File), res.Dir))
	return nil
}

// crlReason is the translated reason a CRL was refused.
func crlReason(l *i18n.Localizer, ce *trust.CRLError) string {
	args := make([]any, len(ce.Reason.Args))
	for i, a := range ce.Reason.Args {
		args[i] = a
	}
	return l.T(ce.Reason.Key, args...)
}

func issuerLabel(l *i18n.Localizer, c trust.CRLInfo) string {
	var s string
	switch c.Kind {
	case trust.KindSignature:
		s = l.T("cli.crl.issuer_sign", c.Generation)
	case trust.KindAuthentication:
		s = l.T("cli.crl.issuer_auth", c.Generation)
	default:
		s = c.Issuer
	}
	if c.Test {
		s += l.T("cli.crl.test_marker")
	}
	return s
}

func scopeLabel(l *i18n.Localizer, c trust.CRLInfo) string {
	if c.Scope == "whole" {
		return l.T("cli.crl.scope_whole")
	}
	return c.Scope
}

func nextUpdateLabel(l *i18n.Localizer, c trust.CRLInfo) string {
	if c.NextUpdate == nil {
		return l.T("cli.crl.no_next_update")
	}
	return crlTime(*c.NextUpdate)
}

// crlTime shows a time in Japan time, to the minute.
func crlTime(t time.Time) string { return t.In(japanTime).Format("2006-01-02 15:04 MST") }

func crlOrDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func crlWriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
