package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/mynasign/mynasign/app/flow"
)

// runExtend: mynasign extend --tsa URL [-o OUT] [trust flags] FILE.pdf…
//
// Each PDF gets a document time-stamp over the whole file (ETSI.RFC3161): the renewal of
// a B-LTA archive, or the time-stamp 電子帳簿保存 asks for. No card is used. Exit code 0
// only when every file was time-stamped.
func runExtend(env *Env, args []string) error {
	fs := newFlags("extend")
	tsaURL := fs.String("tsa", "", "address (http or https) of the RFC 3161 time-stamping authority (required; only this address is contacted)")
	level := fs.String("level", "B-LTA", "the level kept: B-LTA (a document time-stamp over the whole file)")
	output := fs.String("o", "", "output file (one input) or existing folder (several inputs); default: <name>-timestamped.pdf next to each input")
	tf := addTrustFlags(fs)
	if err := parseFlags(env, fs, args); err != nil {
		return err
	}
	if *level != string(flow.LevelBLTA) {
		return usagef("extend: unknown --level %q (B-LTA)", *level)
	}
	if *tsaURL == "" {
		return usagef("extend: --tsa is required: the address of a time-stamping authority")
	}
	if fs.NArg() == 0 {
		return usagef("extend: name at least one PDF")
	}
	return timestampFiles(env, fs.Args(), *output, *tsaURL, tf)
}

// timestampFiles adds a document time-stamp to each PDF (extend, sign --preset ledger).
func timestampFiles(env *Env, inputs []string, output, tsaURL string, tf *trustFlags) error {
	for _, in := range inputs {
		if !strings.EqualFold(filepath.Ext(in), ".pdf") {
			return usagef("only PDF files can be time-stamped: %s", in)
		}
	}
	jobs, err := timestampJobs(inputs, output)
	if err != nil {
		return err
	}
	for _, j := range jobs {
		if _, err := os.Lstat(j.Output); err == nil {
			return errors.New(env.L.T("cli.sign.err.exists", j.Output))
		}
	}
	policy, err := tf.policy()
	if err != nil {
		return err
	}
	ctx := env.context()
	done := 0
	for _, j := range jobs {
		res, err := flow.Timestamp(ctx, flow.TimestampRequest{Input: j.Input, Output: j.Output, TSA: tsaURL, Policy: policy})
		if err != nil {
			fmt.Fprintln(env.Stdout, env.L.T("cli.extend.failed", j.Input, signErrorText(env, err)))
			continue
		}
		done++
		fmt.Fprintln(env.Stdout, env.L.T("cli.extend.done", res.Output))
		if res.Report != nil {
			fmt.Fprintln(env.Stdout, env.L.T("cli.sign.self_check", env.L.T("cli.verify.status."+string(flow.StatusOf(res.Report)))))
		}
	}
	fmt.Fprintln(env.Stderr, env.L.T("cli.extend.summary", len(jobs), done))
	if done != len(jobs) {
		return &ExitError{Code: ExitFailure}
	}
	return nil
}

// timestampJobs decides the outputs as signJobs does, with <name>-timestamped.pdf next
// to each input by default.
func timestampJobs(inputs []string, output string) ([]flow.SignJob, error) {
	profile := flow.SignProfile{DefaultOutput: func(in string) string {
		return strings.TrimSuffix(in, filepath.Ext(in)) + "-timestamped" + filepath.Ext(in)
	}}
	return signJobs(profile, inputs, output)
}
