package cli

import (
	"flag"
	"fmt"
	"time"

	"github.com/mynasign/mynasign/trust"
)

// japanTime is Japan Standard Time (no daylight saving), the zone of a --at value without one.
var japanTime = time.FixedZone("JST", 9*60*60)

// trustFlags are the flags shared by every command that validates certificates (verify,
// sign's self-verification, crl):
//
//	--trust production|test   trust store (default production: the J-LIS CAs only)
//	--crl-dir DIR             CRL store (default <user config dir>/mynasign/crl)
//	--anchor-dir DIR          user trust anchors (default <user config dir>/mynasign/anchors)
//	--at TIME                 validation time (default now)
//
// A command calls addTrustFlags on its flag set before parsing, then tf.policy() (or
// tf.options()) after.
type trustFlags struct {
	store     string
	crlDir    string
	anchorDir string
	at        string
}

// addTrustFlags registers --trust, --crl-dir and --at on fs.
func addTrustFlags(fs *flag.FlagSet) *trustFlags {
	f := &trustFlags{}
	fs.StringVar(&f.store, "trust", trust.StoreProduction,
		"trust store: production (the J-LIS CAs) or test (also the test CA, for the test card)")
	fs.StringVar(&f.crlDir, "crl-dir", "", "CRL store directory (default: <user config dir>/mynasign/crl)")
	addAnchorDirFlag(fs, &f.anchorDir)
	fs.StringVar(&f.at, "at", "", "validation time: RFC 3339, or YYYY-MM-DD[THH:MM:SS] in Japan time (default: now)")
	return f
}

// addAnchorDirFlag registers --anchor-dir on fs.
func addAnchorDirFlag(fs *flag.FlagSet, dir *string) {
	fs.StringVar(dir, "anchor-dir", "", "trusted CA store, the CAs added by mynasign trust add (default: <user config dir>/mynasign/anchors)")
}

// options turns the flags into trust.Options; a bad value is a usage error.
func (f *trustFlags) options() (trust.Options, error) {
	opts := trust.Options{TrustStore: f.store, CRLDir: f.crlDir, AnchorDir: f.anchorDir}
	switch f.store {
	case trust.StoreProduction, trust.StoreTest:
	default:
		return opts, usagef("--trust must be %s or %s, not %q", trust.StoreProduction, trust.StoreTest, f.store)
	}
	if f.at != "" {
		t, err := parseValidationTime(f.at)
		if err != nil {
			return opts, usagef("--at: %v", err)
		}
		opts.At = t
	}
	return opts, nil
}

// policy builds the trust.Policy the flags describe.
func (f *trustFlags) policy() (*trust.Policy, error) {
	opts, err := f.options()
	if err != nil {
		return nil, err
	}
	return trust.NewPolicy(opts)
}

// crlDir returns the CRL store directory the flags name (the default when empty).
func (f *trustFlags) crlDirectory() (string, error) {
	if f.crlDir != "" {
		return f.crlDir, nil
	}
	return trust.DefaultCRLDir()
}

// parseValidationTime reads a validation time: RFC 3339 with a zone, or a date / date-time without
// one, taken as Japan time.
func parseValidationTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, japanTime); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time (use 2026-04-01, 2026-04-01T09:30:00 or RFC 3339)", s)
}
