package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mynasign/mynasign/app/flow"
	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/app/record"
	"github.com/mynasign/mynasign/card"
	"github.com/mynasign/mynasign/trust"
)

// runIDCheck: mynasign idcheck [--age N | --address-prefix P] [--with-basic-info]
// [--separate-text-pin] [--testcard [--persona NAME]] [--reader NAME] [--pin-fd N]
// [--confirm-last-try] [--json] [--record DIR [--show-personal-data]] [--trust S]
// [--crl-dir DIR]
//
// 本人確認 with the card's authentication certificate: one VERIFY of the 4-digit PIN, a
// fresh challenge signed on the card, the certificate checked against the imported
// authentication CRL. --age makes it an age check (only "at least N years old" or "not
// confirmed"), --address-prefix an address check (only whether it matches). Exit code 0
// only when confirmed.
func runIDCheck(env *Env, args []string) error {
	fs := newFlags("idcheck")
	age := fs.Int("age", 0, "age check (年齢確認): only whether the holder is at least this old (e.g. 18 or 20); reads the four basic facts with the holder's consent")
	prefix := fs.String("address-prefix", "", "address check (住所確認): only whether the address starts with this (e.g. the municipality); reads the four basic facts with the holder's consent")
	withBasic := fs.Bool("with-basic-info", false, "identity check with the four basic facts (name, address, birth date, sex) from the card, with the holder's consent")
	separateText := fs.Bool("separate-text-pin", false, "ask for the text application's PIN separately (default: the same 4 digits as the authentication PIN)")
	testCard := fs.Bool("testcard", false, "check the software test card (test certificates, not a real person)")
	persona := fs.String("persona", "", "test card persona (with --testcard): "+strings.Join(softPersonas(), ", "))
	reader := fs.String("reader", "", "card reader to use (default: the only reader holding a card)")
	pinFD := addPINFlag(fs)
	confirmLast := fs.Bool("confirm-last-try", false, "send the PIN even when only one try is left (a wrong one locks it)")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	recordDir := fs.String("record", "", "write the printable record (PDF and HTML) into this folder")
	showPersonal := fs.Bool("show-personal-data", false, "with --record and --with-basic-info: print the four facts in the record")
	tf := addTrustFlags(fs)
	if err := parseFlags(env, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("idcheck: unexpected argument %q", fs.Arg(0))
	}
	opts := flow.IDCheckOptions{Mode: trust.IDCheckIdentity, WithBasicInfo: *withBasic}
	switch {
	case *age != 0 && *prefix != "":
		return usagef("idcheck: --age and --address-prefix exclude each other")
	case (*age != 0 || *prefix != "") && *withBasic:
		return usagef("idcheck: --with-basic-info is for the identity check only, not with --age or --address-prefix")
	case *age != 0:
		opts.Mode, opts.AgeThreshold = trust.IDCheckAge, *age
	case *prefix != "":
		opts.Mode, opts.AddressPrefix = trust.IDCheckAddress, *prefix
	}
	if *persona != "" && !*testCard {
		return usagef("idcheck: --persona needs --testcard")
	}
	if *persona != "" && !slices.Contains(softPersonas(), *persona) {
		return usagef("idcheck: unknown --persona %q (%s)", *persona, strings.Join(softPersonas(), ", "))
	}
	if *testCard && *reader != "" {
		return usagef("idcheck: --testcard and --reader exclude each other")
	}
	if *testCard && tf.store == trust.StoreProduction {
		tf.store = trust.StoreTest
	}
	policy, err := tf.policy()
	if err != nil {
		return err
	}
	if opts.NeedsTextAP() {
		// The clerk's explicit choice on the command line; the holder is told what is read.
		fmt.Fprintln(env.Stderr, env.L.T("cli.idcheck.consent."+string(opts.Mode)))
		opts.HolderConsent = true
	}
	if _, err := opts.Validate(); err != nil {
		return usagef("idcheck: %v", err)
	}

	c, err := flow.OpenIDCheckCard(flow.CardOptions{Reader: *reader, TestCard: *testCard, Persona: *persona})
	if err != nil {
		return localized(env.L, err)
	}
	defer c.Close()
	if *testCard {
		p := *persona
		if p == "" {
			p = softPersonas()[0]
		}
		fmt.Fprintln(env.Stderr, env.L.T("cli.idcheck.test_card", p))
	}
	pins, err := askIDCheckPINs(env, c, opts, *pinFD, *separateText, *confirmLast)
	if err != nil {
		return err
	}
	rep, err := c.Check(policy, opts, pins)
	if err != nil {
		return localized(env.L, err)
	}
	if *recordDir != "" {
		paths, err := record.WriteIDCheck(rep, record.Options{Lang: env.L.Lang(), ShowPersonalData: *showPersonal}, *recordDir)
		if err != nil {
			return err
		}
		for _, p := range paths {
			fmt.Fprintln(env.Stderr, env.L.T("cli.idcheck.record_written", p))
		}
	}
	if *asJSON {
		if err := writeJSON(env, rep); err != nil {
			return err
		}
	} else {
		printIDCheck(env, rep)
	}
	if rep.Outcome != trust.IDConfirmed {
		return &ExitError{Code: ExitFailure}
	}
	return nil
}

// askIDCheckPINs reads the tries left (spending none) and then the PIN(s): none for a
// blocked PIN (the explanation instead), the last try only when confirmed.
func askIDCheckPINs(env *Env, c *flow.IDCheckCard, opts flow.IDCheckOptions, fd int, separateText, confirmLast bool) (flow.IDCheckPINs, error) {
	var pins flow.IDCheckPINs
	st, err := c.Prepare(opts.NeedsTextAP())
	if err != nil {
		return pins, localized(env.L, err)
	}
	fmt.Fprintln(env.Stderr, env.L.T("cli.idcheck.card", st.CardID))
	statuses := []card.PINStatus{st.Auth}
	if st.Text != nil {
		statuses = append(statuses, *st.Text)
	}
	last := map[card.PINKind]bool{}
	for _, ps := range statuses {
		if ps.Blocked {
			return pins, localized(env.L, &card.Blocked{Kind: ps.Kind})
		}
		fmt.Fprintln(env.Stderr, env.L.T("cli.card.tries", env.L.T(pinNameKey(ps.Kind)), ps.Left, ps.Max))
		if ps.Left == 1 {
			if last[ps.Kind] = confirmLast || confirmLastTry(env); !last[ps.Kind] {
				return pins, localized(env.L, &card.LastTry{Kind: ps.Kind})
			}
		}
	}
	r := newPINReader(env, fd)
	defer r.Close()
	if pins.Auth, err = r.read(card.AuthPIN); err != nil {
		return pins, err
	}
	pins.AuthLastTry, pins.TextLastTry = last[card.AuthPIN], last[card.TextPIN]
	if opts.NeedsTextAP() && separateText {
		if pins.Text, err = r.read(card.TextPIN); err != nil {
			clear(pins.Auth)
			return pins, err
		}
	}
	return pins, nil
}

// printIDCheck prints the result for the clerk: the outcome in large plain words, why
// not, and against what it was checked.
func printIDCheck(env *Env, rep *trust.IDCheckReport) {
	l := env.L
	fmt.Fprintln(env.Stdout, msgText(l, rep.Summary))
	for _, r := range rep.Reasons {
		fmt.Fprintln(env.Stdout, "  "+msgText(l, r))
	}
	if rep.Certificate != nil {
		fmt.Fprintln(env.Stdout, l.T("cli.idcheck.serial", rep.Certificate.SerialSHA256))
		fmt.Fprintln(env.Stdout, l.T("cli.idcheck.validity", rep.Certificate.NotBefore.Format("2006-01-02"), rep.Certificate.NotAfter.Format("2006-01-02")))
	}
	if rv := rep.Revocation; rv != nil {
		when := "—"
		if rv.ThisUpdate != nil {
			when = rv.ThisUpdate.Format("2006-01-02 15:04 MST")
		}
		fmt.Fprintln(env.Stdout, l.T("cli.idcheck.revocation", l.T("cli.idcheck.revocation."+string(rv.Status)), when))
	}
	if f := rep.BasicInfo; f != nil {
		fmt.Fprintln(env.Stdout, l.T("cli.idcheck.basic_info", f.Name, f.Address, f.BirthDate))
	}
	for _, w := range rep.Warnings {
		fmt.Fprintln(env.Stdout, "  "+msgText(l, w))
	}
}

// msgText resolves a report message.
func msgText(l *i18n.Localizer, m trust.Message) string {
	args := make([]any, len(m.Args))
	for i, a := range m.Args {
		args[i] = a
	}
	return l.T(m.Key, args...)
}
