package cli

import (
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/mynasign/mynasign/app/flow"
	"github.com/mynasign/mynasign/app/record"
	"github.com/mynasign/mynasign/app/version"
	"github.com/mynasign/mynasign/trust"
)

// runVerify: mynasign verify [--json|--csv] [--report DIR] [--report-scope S]
// [--show-personal-data] [--jobs N] [--profile registry] [--trust S] [--crl-dir DIR] [--at TIME] PATH...
//
// Exit code 0 only when every document has at least one signature and every signature
// is TOTAL-PASSED; 1 when any is not; 2 on usage errors.
func runVerify(env *Env, args []string) error {
	fs := newFlags("verify")
	tf := addTrustFlags(fs)
	asJSON := fs.Bool("json", false, "print one JSON object (schema "+flow.BatchSchema+", see README)")
	asCSV := fs.Bool("csv", false, "print one CSV row per document")
	reportDir := fs.String("report", "", "write printable verification records (PDF and HTML) into this folder")
	scope := fs.String("report-scope", "", "records to write: file, batch or both (default: file for one document, both for more)")
	personal := fs.Bool("show-personal-data", false, "include the signers' name, address, birth date, sex, certificate subject and municipality (CRL partition)")
	jobs := fs.Int("jobs", 0, "documents verified at once (default: the number of CPUs)")
	profile := addProfileFlag(fs)
	if err := parseFlags(env, fs, args); err != nil {
		return err
	}
	if err := checkProfileUsage(*profile, *asCSV); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("verify: name at least one file, folder or zip")
	}
	if *asJSON && *asCSV {
		return usagef("verify: --json and --csv exclude each other")
	}
	if *jobs < 0 {
		return usagef("verify: --jobs must be positive")
	}
	var recScope record.Scope
	switch *scope {
	case "":
	case "file":
		recScope = record.PerFile
	case "batch":
		recScope = record.PerBatch
	case "both":
		recScope = record.PerFile | record.PerBatch
	default:
		return usagef("verify: --report-scope must be file, batch or both, not %q", *scope)
	}
	if *scope != "" && *reportDir == "" {
		return usagef("verify: --report-scope needs --report DIR")
	}
	topts, err := tf.options()
	if err != nil {
		return err
	}
	policy, err := trust.NewPolicy(topts)
	if err != nil {
		return err
	}

	ctx := env.context()
	progress := progressLine(env, !*asJSON && !*asCSV)
	res, err := flow.VerifyBatch(ctx, fs.Args(), flow.BatchOptions{Policy: policy, Workers: *jobs, Progress: progress.update})
	progress.clear()
	if err != nil && res == nil {
		return err
	}
	conf, cerr := runConformance(ctx, *profile, res)
	if cerr != nil {
		return cerr
	}

	out := flow.OutputOptions{AppVersion: version.String(), At: !topts.At.IsZero(), ShowPersonalData: *personal, L: env.L}
	switch {
	case *asJSON:
		if werr := writeVerifyJSON(env, res, out, conf); werr != nil {
			return werr
		}
	case *asCSV:
		if werr := res.WriteCSV(env.Stdout, out); werr != nil {
			return werr
		}
	default:
		printVerifyText(env, res, *personal)
		printConformance(env, conf)
	}
	if err != nil { // cancelled: the results so far were printed
		return err
	}
	if *reportDir != "" {
		paths, werr := record.Write(res.Reports, record.Options{
			Lang: env.L.Lang(), ShowPersonalData: *personal, At: !topts.At.IsZero(),
			Version: version.String(), Scope: recScope,
		}, *reportDir)
		if werr != nil {
			return werr
		}
		fmt.Fprintln(env.Stderr, env.L.T("cli.verify.records", *reportDir, len(paths)))
	}
	if !res.Totals.AllPassed() || !conf.passed() {
		return &ExitError{Code: ExitFailure}
	}
	return nil
}

// printVerifyText prints one block per document and the totals, in the user's language.
func printVerifyText(env *Env, res *flow.BatchResult, personal bool) {
	l := env.L
	for _, r := range res.Reports {
		if r == nil {
			continue
		}
		if !personal {
			r = trust.MaskPersonalData(r)
		}
		st := flow.StatusOf(r)
		fmt.Fprintf(env.Stdout, "%s\t%s\n", l.T("cli.verify.status."+string(st)), r.File)
		if r.Error != nil {
			fmt.Fprintf(env.Stdout, "\t%s\n", verifyMessage(env, *r.Error))
			continue
		}
		for i, s := range r.Signatures {
			etsi := string(s.Indication)
			if s.SubIndication != "" {
				etsi += "/" + string(s.SubIndication)
			}
			line := fmt.Sprintf("\t%d. %s [%s]", i+1, s.ID, etsi)
			if text := verifyMessage(env, s.Summary); text != "" {
				line += " " + text
			}
			fmt.Fprintln(env.Stdout, line)
		}
	}
	t := res.Totals
	fmt.Fprintln(env.Stdout, l.T("cli.verify.totals", t.Files, t.Passed, t.Failed, t.Indeterminate, t.Unsigned, t.Errors))
}

// verifyMessage resolves a report message; a key without a text is shown as it is.
func verifyMessage(env *Env, m trust.Message) string {
	if m.Key == "" {
		return ""
	}
	if !env.L.Has(m.Key) {
		return strings.TrimSpace(m.Key + " " + strings.Join(m.Args, " "))
	}
	args := make([]any, len(m.Args))
	for i, a := range m.Args {
		args[i] = a
	}
	return env.L.T(m.Key, args...)
}

// verifyProgress prints "検証中 n/N 件" over itself on standard error.
type verifyProgress struct {
	w     io.Writer
	shown bool
	env   *Env
}

// progressLine returns a progress printer that is active only when wanted and standard
// output is a terminal (a redirected or piped run prints no progress).
func progressLine(env *Env, wanted bool) *verifyProgress {
	p := &verifyProgress{env: env}
	if f, ok := env.Stdout.(*os.File); wanted && ok && term.IsTerminal(int(f.Fd())) {
		p.w = env.Stderr
	}
	return p
}

func (p *verifyProgress) update(b flow.BatchProgress) {
	if p.w == nil {
		return
	}
	fmt.Fprintf(p.w, "\r%s ", p.env.L.T("cli.verify.progress", b.Done, b.Total))
	p.shown = true
}

func (p *verifyProgress) clear() {
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
