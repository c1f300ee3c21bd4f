package cli

import (
	"bufio"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/mynasign/mynasign/app/flow"
	"github.com/mynasign/mynasign/card"
	"github.com/mynasign/mynasign/card/softcard"
	"github.com/mynasign/mynasign/internal/tsp"
	"github.com/mynasign/mynasign/trust"
)

// runSign: mynasign sign --profile P [--testcard [--persona NAME]] [--reader NAME]
// [--pin-fd N] [--confirm-last-try] [-o OUT | -o DIR] [--visible PAGE:x,y,w,h]
// [--reason TEXT] [--location TEXT] [--trust S] [--crl-dir DIR] [--at TIME] FILE...
//
// One password and one VERIFY for all files; every file is signed in the same card
// session; a file that fails is reported and the others are still signed. Exit code 0
// only when every file was signed.
func runSign(env *Env, args []string) error {
	fs := newFlags("sign")
	profileName := fs.String("profile", "", "signature profile: "+strings.Join(profileNames(), ", "))
	levelName := fs.String("level", "", "signature level: B-B (default), B-T (a signature time-stamp from --tsa), B-LT (embeds the certificate path and the imported CRL that covers the signer; time-stamped too with --tsa; PAdES and XAdES) or B-LTA (B-LT with --tsa, plus a document time-stamp; PAdES)")
	tsaURL := fs.String("tsa", "", "address (http or https) of an RFC 3161 time-stamping authority to time-stamp the signature (B-T); only this address is contacted, only when given")
	presetName := fs.String("preset", "", "destination instead of --profile/--level: "+strings.Join(presetNames(), ", ")+" (registry = 登記 adbe.pkcs7.detached; general = 一般 B-B; archive = 長期保存 PAdES B-LTA / XAdES B-LT, needs --tsa; ledger = 電子帳簿保存, a document time-stamp only, no card, needs --tsa)")
	testCard := fs.Bool("testcard", false, "sign with the software test card (test certificates, not a real identity)")
	persona := fs.String("persona", "", "test card persona (with --testcard): "+strings.Join(softPersonas(), ", "))
	reader := fs.String("reader", "", "card reader to use (default: the only reader holding a card)")
	pinFD := addPINFlag(fs)
	confirmLast := fs.Bool("confirm-last-try", false, "send the password even when only one try is left (a wrong one locks it)")
	output := fs.String("o", "", "output file (one input) or existing folder (several inputs); default: <name>-signed.<ext> next to each input")
	visible := fs.String("visible", "", "visible signature (PDF): PAGE:x,y,w,h in the page's PDF user space (points, as in a /Rect: from the unrotated page's lower left corner when its box starts at 0,0; the page must exist and the rectangle lie inside its visible area)")
	reason := fs.String("reason", "", "reason for signing (PDF /Reason)")
	location := fs.String("location", "", "place of signing (PDF /Location)")
	tf := addTrustFlags(fs)
	if err := parseFlags(env, fs, args); err != nil {
		return err
	}
	if *presetName != "" {
		p, err := applyPreset(*presetName, fs.Args(), profileName, levelName)
		if err != nil {
			return err
		}
		if p.NeedsTSA && *tsaURL == "" {
			return usagef("sign: --preset %s needs --tsa, the address of a time-stamping authority (without one, --profile pades --level B-LT signs long-term offline)", p.Name)
		}
		if p.TimestampOnly {
			// 電子帳簿保存: a document time-stamp, no signature: the card is not used.
			return timestampFiles(env, fs.Args(), *output, *tsaURL, tf)
		}
	}
	if *profileName == "" {
		return usagef("sign: choose --profile (%s) or --preset (%s)", strings.Join(profileNames(), ", "), strings.Join(presetNames(), ", "))
	}
	level, ok := flow.ParseLevel(*levelName)
	if !ok {
		return usagef("sign: unknown --level %q (B-B, B-T, B-LT, B-LTA)", *levelName)
	}
	if (level == flow.LevelBT || level == flow.LevelBLTA) && *tsaURL == "" {
		return usagef("sign: --level %s needs --tsa, the address of a time-stamping authority", level)
	}
	if *tsaURL != "" {
		if _, err := tsp.NewClient(*tsaURL); err != nil {
			return usagef("sign: --tsa: %v", err)
		}
	}
	profile, ok := flow.LookupSignProfile(*profileName)
	if !ok {
		return usagef("sign: unknown --profile %q (%s)", *profileName, strings.Join(profileNames(), ", "))
	}
	if fs.NArg() == 0 {
		return usagef("sign: name at least one file")
	}
	if *persona != "" && !*testCard {
		return usagef("sign: --persona needs --testcard")
	}
	if *persona != "" && !slices.Contains(softPersonas(), *persona) {
		return usagef("sign: unknown --persona %q (%s)", *persona, strings.Join(softPersonas(), ", "))
	}
	if *testCard && *reader != "" {
		return usagef("sign: --testcard and --reader exclude each other")
	}
	opts := flow.SignOptions{Reason: *reason, Location: *location, Level: level, TSA: *tsaURL}
	if *visible != "" {
		v, err := parseVisible(*visible)
		if err != nil {
			return usagef("sign: --visible: %v", err)
		}
		opts.Visible = v
	}
	jobs, err := signJobs(profile, fs.Args(), *output)
	if err != nil {
		return err
	}
	for _, j := range jobs {
		if _, err := os.Lstat(j.Output); err == nil {
			return errors.New(env.L.T("cli.sign.err.exists", j.Output))
		}
	}
	if *testCard && tf.store == trust.StoreProduction {
		// The test card's certificates verify only with the test store; its outputs are
		// self-verified with it.
		tf.store = trust.StoreTest
	}
	policy, err := tf.policy()
	if err != nil {
		return err
	}

	ctx := env.context()
	if *testCard {
		p := *persona
		if p == "" {
			p = softPersonas()[0]
		}
		fmt.Fprintln(env.Stderr, env.L.T("cli.sign.test_card", p))
	}
	pins := newPINReader(env, *pinFD)
	defer pins.Close()
	req := flow.SignFilesRequest{
		Card:    flow.CardOptions{Reader: *reader, TestCard: *testCard, Persona: *persona},
		Profile: profile.Name, Jobs: jobs, Options: opts, Policy: policy,
		AskPIN: func(st card.PINStatus) ([]byte, bool, error) {
			fmt.Fprintln(env.Stderr, env.L.T("cli.sign.tries", st.Left))
			last := false
			if st.Left == 1 {
				if last = *confirmLast || confirmLastTry(env); !last {
					return nil, false, errors.New(env.L.T("cli.sign.last_try_declined"))
				}
			}
			pin, err := pins.read(card.SignPassword)
			return pin, last, err
		},
		Confirm: func(*x509.Certificate, bool) error {
			fmt.Fprintln(env.Stderr, env.L.T("cli.sign.discloses"))
			return nil
		},
		Progress: func(p flow.FileProgress) {
			if p.Done == 0 {
				fmt.Fprintln(env.Stderr, env.L.T("cli.sign.signing", p.Index+1, p.Count, p.Input))
			}
		},
	}
	results, err := flow.SignFiles(ctx, req)
	if err != nil {
		return errors.New(signErrorText(env, err))
	}
	signed := 0
	for _, r := range results {
		if r.Err != nil {
			fmt.Fprintln(env.Stdout, env.L.T("cli.sign.failed", r.Job.Input, signErrorText(env, r.Err)))
			continue
		}
		signed++
		fmt.Fprintln(env.Stdout, env.L.T("cli.sign.done", r.Result.Output))
		if r.Result.Report != nil {
			st := flow.StatusOf(r.Result.Report)
			fmt.Fprintln(env.Stdout, env.L.T("cli.sign.self_check", env.L.T("cli.verify.status."+string(st))))
		}
	}
	fmt.Fprintln(env.Stderr, env.L.T("cli.sign.summary", len(results), signed))
	if signed != len(results) {
		return &ExitError{Code: ExitFailure}
	}
	return nil
}

func profileNames() []string {
	var out []string
	for _, p := range flow.SignProfiles() {
		out = append(out, p.Name)
	}
	return out
}

// softPersonas lists the software card's personas, the default first.
func softPersonas() []string { return softcard.PersonaIDs() }

// signJobs decides every output path: -o names the output of a single input or an
// existing folder for several; without it, each output goes next to its input.
func signJobs(profile flow.SignProfile, inputs []string, output string) ([]flow.SignJob, error) {
	dirOut := false
	if output != "" {
		if st, err := os.Stat(output); err == nil && st.IsDir() {
			dirOut = true
		} else if len(inputs) > 1 {
			return nil, usagef("sign: with several files, -o must be an existing folder")
		}
	}
	seen := map[string]bool{}
	var jobs []flow.SignJob
	for _, in := range inputs {
		out := profile.DefaultOutput(in)
		switch {
		case dirOut:
			out = filepath.Join(output, filepath.Base(out))
		case output != "":
			out = output
		}
		abs, _ := filepath.Abs(out)
		if seen[abs] {
			return nil, usagef("sign: two inputs would be written to %s", out)
		}
		seen[abs] = true
		jobs = append(jobs, flow.SignJob{Input: in, Output: out})
	}
	return jobs, nil
}

// parseVisible reads PAGE:x,y,w,h.
func parseVisible(s string) (*flow.Visible, error) {
	page, rest, ok := strings.Cut(s, ":")
	if !ok {
		return nil, errors.New("want PAGE:x,y,w,h")
	}
	p, err := strconv.Atoi(page)
	if err != nil || p < 1 {
		return nil, fmt.Errorf("bad page %q", page)
	}
	parts := strings.Split(rest, ",")
	if len(parts) != 4 {
		return nil, errors.New("want four numbers x,y,w,h")
	}
	var n [4]float64
	for i, part := range parts {
		if n[i], err = strconv.ParseFloat(strings.TrimSpace(part), 64); err != nil || n[i] < 0 || n[i] > 14400 {
			return nil, fmt.Errorf("bad number %q", part)
		}
	}
	if n[2] <= 0 || n[3] <= 0 {
		return nil, errors.New("width and height must be positive")
	}
	return &flow.Visible{Page: p, Rect: flow.Rect{X: n[0], Y: n[1], W: n[2], H: n[3]}}, nil
}

// confirmLastTry asks for "yes" on the terminal before the last try is spent.
func confirmLastTry(env *Env) bool {
	if _, ok := stdinTerminal(); !ok {
		return false
	}
	fmt.Fprint(env.Stderr, env.L.T("cli.sign.last_try_confirm"))
	line, _ := bufio.NewReader(env.Stdin).ReadString('\n')
	return strings.EqualFold(strings.TrimSpace(line), "yes")
}

// signErrorText explains an error of the signing flow in the user's language
// (flow.Explain, the one mapping the GUI uses too).
func signErrorText(env *Env, err error) string {
	var (
		oe  *flow.OptionsError
		ue  *UsageError
		lte *localizedError
	)
	switch {
	case errors.As(err, &lte), errors.As(err, &ue):
		return err.Error()
	case errors.As(err, &oe):
		return oe.Input + ": " + signErrorText(env, oe.Err)
	}
	if e, ok := flow.Explain(err); ok {
		return e.Text(env.L)
	}
	return err.Error()
}

// presetNames lists the destinations (--preset).
func presetNames() []string {
	var out []string
	for _, p := range flow.Presets() {
		out = append(out, p.Name)
	}
	return out
}

// applyPreset sets the profile and level of a destination for the kind of the inputs
// (PDF or XML, from the first input's name); --profile and --level must not be given too.
func applyPreset(name string, inputs []string, profile, level *string) (flow.Preset, error) {
	p, ok := flow.LookupPreset(name)
	if !ok {
		return p, usagef("sign: unknown --preset %q (%s)", name, strings.Join(presetNames(), ", "))
	}
	if *profile != "" || *level != "" {
		return p, usagef("sign: --preset chooses the profile and the level; leave out --profile and --level")
	}
	kind := "pdf"
	if len(inputs) > 0 && strings.EqualFold(filepath.Ext(inputs[0]), ".xml") {
		kind = "xml"
	}
	prof, ok := p.Profiles[kind]
	if !ok {
		return p, usagef("sign: --preset %s does not sign %s files", name, strings.ToUpper(kind))
	}
	*profile, *level = prof, string(p.Level(kind))
	return p, nil
}
