package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/mynasign/mynasign/app/flow"
)

// verify --profile P: besides the verification, check every document the profile
// applies to against the submission profile's table (registry: formats.md §1b) and say
// which row fails; the receiving systems give no reason when they reject a file.

// addProfileFlag registers --profile on verify.
func addProfileFlag(fs *flag.FlagSet) *string {
	return fs.String("profile", "", "also check conformance to a submission profile: "+strings.Join(flow.ConformanceProfiles(), ", "))
}

// conformanceRun holds the conformance results of a verify run (nil: no --profile).
type conformanceRun struct {
	profile string
	results []*flow.Conformance
}

func (c *conformanceRun) passed() bool {
	if c == nil {
		return true
	}
	for _, r := range c.results {
		if !r.Passed {
			return false
		}
	}
	return len(c.results) > 0
}

// checkUsage validates --profile against the other flags.
func checkProfileUsage(profile string, asCSV bool) error {
	if profile == "" {
		return nil
	}
	for _, p := range flow.ConformanceProfiles() {
		if p == profile {
			if asCSV {
				return usagef("verify: --profile and --csv exclude each other")
			}
			return nil
		}
	}
	return usagef("verify: unknown --profile %q (%s)", profile, strings.Join(flow.ConformanceProfiles(), ", "))
}

// runConformance checks every verified document that is a file on disk.
func runConformance(ctx context.Context, profile string, res *flow.BatchResult) (*conformanceRun, error) {
	if profile == "" || res == nil {
		return nil, nil
	}
	c := &conformanceRun{profile: profile}
	for _, r := range res.Reports {
		if r == nil {
			continue
		}
		if st, err := os.Stat(r.File); err != nil || !st.Mode().IsRegular() {
			continue // zip entries and folders are checked as the files they are
		}
		cr, err := flow.CheckConformance(ctx, profile, r.File)
		if err != nil {
			return nil, err
		}
		c.results = append(c.results, cr)
	}
	return c, nil
}

// printConformance prints the tables, in the user's language.
func printConformance(env *Env, c *conformanceRun) {
	if c == nil {
		return
	}
	l := env.L
	status := func(ok bool) string {
		if ok {
			return l.T("cli.verify.profile.passed")
		}
		return l.T("cli.verify.profile.failed")
	}
	for _, r := range c.results {
		fmt.Fprintln(env.Stdout, l.T("cli.verify.profile.header", c.profile, r.File))
		if r.Problem != nil {
			fmt.Fprintln(env.Stdout, l.T("cli.verify.profile.problem", verifyMessage(env, *r.Problem)))
			continue
		}
		for _, s := range r.Signatures {
			fmt.Fprintln(env.Stdout, l.T("cli.verify.profile.signature", s.Signature, status(s.Passed)))
			for _, row := range s.Rows {
				text := verifyMessage(env, row.Detail)
				if row.Got != "" && !row.Passed {
					text = row.Got + " — " + text
				}
				fmt.Fprintln(env.Stdout, l.T("cli.verify.profile.row", status(row.Passed), row.Key, text))
			}
		}
	}
}

// writeVerifyJSON writes the batch JSON; with --profile it is wrapped together with the
// conformance results: {"verification": …, "conformance": {"profile": …, "results": […]}}.
func writeVerifyJSON(env *Env, res *flow.BatchResult, out flow.OutputOptions, c *conformanceRun) error {
	if c == nil {
		return res.WriteJSON(env.Stdout, out)
	}
	var b bytes.Buffer
	if err := res.WriteJSON(&b, out); err != nil {
		return err
	}
	results := c.results
	if results == nil {
		results = []*flow.Conformance{}
	}
	doc := struct {
		Verification json.RawMessage `json:"verification"`
		Conformance  any             `json:"conformance"`
	}{json.RawMessage(bytes.TrimSpace(b.Bytes())), struct {
		Profile string              `json:"profile"`
		Passed  bool                `json:"passed"`
		Results []*flow.Conformance `json:"results"`
	}{c.profile, c.passed(), results}}
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
