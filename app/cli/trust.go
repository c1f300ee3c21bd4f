package cli

import (
	"errors"
	"fmt"

	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/trust"
)

// anchorStore opens the store --anchor-dir names (the default when empty).
func anchorStore(dir string) (*trust.AnchorStore, error) {
	return trust.OpenAnchorStoreFor(trust.Options{AnchorDir: dir})
}

// runTrustAdd: mynasign trust add [--purpose signing|timestamp] [--name NAME] [--anchor-dir DIR] [--json] FILE...
func runTrustAdd(env *Env, args []string) error {
	fs := newFlags("trust add")
	purpose := fs.String("purpose", "signing", "what the CA is trusted for: signing (document signers) or timestamp (time-stamping authorities)")
	name := fs.String("name", "", "a name for the CA (default: the certificate's CN or O)")
	var dir string
	addAnchorDirFlag(fs, &dir)
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if err := parseFlags(env, fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("trust add: name at least one CA certificate file")
	}
	p, err := trust.ParsePurpose(*purpose)
	if err != nil {
		return usagef("--purpose: %v", err)
	}
	s, err := anchorStore(dir)
	if err != nil {
		return err
	}
	added, err := s.AddFiles(trust.AddOptions{Purpose: p, Name: *name}, fs.Args()...)
	var ae *trust.AnchorError
	if errors.As(err, &ae) {
		fmt.Fprintln(env.Stderr, "mynasign: "+env.L.T("cli.trust.failed", ae.File, verifyMessage(env, ae.Reason)))
		fmt.Fprintln(env.Stderr, "mynasign: "+env.L.T("cli.trust.nothing_changed", s.Dir()))
		return &ExitError{Code: ExitFailure}
	}
	if err != nil {
		return err
	}
	if *asJSON {
		return crlWriteJSON(env.Stdout, struct {
			Dir     string              `json:"dir"`
			Anchors []trust.AddedAnchor `json:"anchors"`
		}{s.Dir(), added})
	}
	for _, a := range added {
		if a.Status == trust.AnchorAlready {
			fmt.Fprintln(env.Stdout, env.L.T("cli.trust.already", a.Anchor.Name, a.Anchor.ID))
			continue
		}
		fmt.Fprintln(env.Stdout, env.L.T("cli.trust.added", a.Anchor.Name, a.Anchor.ID, purposeLabel(env.L, a.Anchor.Purpose), a.Anchor.SHA256))
	}
	return nil
}

// anchorRow is one line of trust list (and its JSON).
type anchorRow struct {
	ID        string              `json:"id,omitempty"`
	Source    trust.AnchorSource  `json:"source"`
	Name      string              `json:"name"`
	Purpose   trust.AnchorPurpose `json:"purpose"`
	Subject   string              `json:"subject"`
	SHA256    string              `json:"sha256"`
	NotBefore string              `json:"notBefore"`
	NotAfter  string              `json:"notAfter"`
	Problem   *trust.Message      `json:"problem,omitempty"`
}

// runTrustList: mynasign trust list [--trust S] [--anchor-dir DIR] [--json]
func runTrustList(env *Env, args []string) error {
	fs := newFlags("trust list")
	store := fs.String("trust", trust.StoreProduction, "trust store whose built-in CAs to list: production or test")
	var dir string
	addAnchorDirFlag(fs, &dir)
	asJSON := fs.Bool("json", false, "print the list as JSON")
	if err := parseFlags(env, fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usagef("trust list takes no arguments")
	}
	ts, err := trust.LoadTrustStore(*store)
	if err != nil {
		return usagef("--trust: %v", err)
	}
	s, err := anchorStore(dir)
	if err != nil {
		return err
	}
	users, err := s.List()
	if err != nil {
		return err
	}
	var rows []anchorRow
	for _, a := range ts.Anchors {
		rows = append(rows, anchorRow{Source: trust.AnchorBuiltin, Name: a.Name, Purpose: a.Purpose, Subject: a.Cert.Subject.String(),
			SHA256: trust.Fingerprint(a.Cert), NotBefore: crlTime(a.Cert.NotBefore), NotAfter: crlTime(a.Cert.NotAfter)})
	}
	for _, u := range users {
		r := anchorRow{ID: u.ID, Source: trust.AnchorUser, Name: u.Name, Purpose: u.Purpose, Subject: u.Subject, SHA256: u.SHA256, Problem: u.Problem}
		if u.Problem == nil {
			r.NotBefore, r.NotAfter = crlTime(u.NotBefore), crlTime(u.NotAfter)
		}
		rows = append(rows, r)
	}
	if *asJSON {
		return crlWriteJSON(env.Stdout, struct {
			Dir     string      `json:"dir"`
			Anchors []anchorRow `json:"anchors"`
		}{s.Dir(), rows})
	}
	fmt.Fprintln(env.Stdout, env.L.T("cli.trust.list_header", s.Dir()))
	for _, r := range rows {
		if r.Problem != nil {
			fmt.Fprintln(env.Stdout, env.L.T("cli.trust.list_damaged", r.ID, verifyMessage(env, *r.Problem)))
			continue
		}
		src := env.L.T("cli.trust.source_builtin")
		if r.Source == trust.AnchorUser {
			src = env.L.T("cli.trust.source_user")
		}
		fmt.Fprintln(env.Stdout, env.L.T("cli.trust.list_row", src, r.Name, purposeLabel(env.L, r.Purpose), r.Subject,
			r.NotBefore, r.NotAfter, r.SHA256, crlOrDash(r.ID)))
	}
	return nil
}

// runTrustRemove: mynasign trust remove [--anchor-dir DIR] [--json] ID
func runTrustRemove(env *Env, args []string) error {
	fs := newFlags("trust remove")
	var dir string
	addAnchorDirFlag(fs, &dir)
	asJSON := fs.Bool("json", false, "print the removed CA as JSON")
	if err := parseFlags(env, fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("trust remove: name one ID (see mynasign trust list)")
	}
	s, err := anchorStore(dir)
	if err != nil {
		return err
	}
	id := fs.Arg(0)
	removed, err := s.Remove(id)
	if errors.Is(err, trust.ErrUnknownAnchor) {
		return &localizedError{text: env.L.T("cli.trust.unknown_id", id), err: err}
	}
	if err != nil {
		return err
	}
	if *asJSON {
		return crlWriteJSON(env.Stdout, removed)
	}
	if removed.Problem != nil {
		fmt.Fprintln(env.Stdout, env.L.T("cli.trust.removed_damaged", removed.ID))
		return nil
	}
	fmt.Fprintln(env.Stdout, env.L.T("cli.trust.removed", removed.Name, removed.ID))
	return nil
}

func purposeLabel(l *i18n.Localizer, p trust.AnchorPurpose) string {
	if p == trust.PurposeTimestamp {
		return l.T("cli.trust.purpose_timestamp")
	}
	return l.T("cli.trust.purpose_signing")
}
