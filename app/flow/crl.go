package flow

import (
	"time"

	"github.com/mynasign/mynasign/trust"
)

// CRLImport is the outcome of ImportCRLs: the store directory and what happened to each
// CRL (Result is nil when the import failed).
type CRLImport struct {
	Dir string `json:"dir"`
	*trust.ImportResult
}

// ImportCRLs imports CRL files, folders and zips into the CRL store named by opts
// (opts.CRLDir, or the user's default), verifying them against opts.TrustStore's CAs and the user's trusted CAs
// (opts.AnchorDir). On
// failure the error is a *trust.ImportError naming every refused file, and the store is
// unchanged. The GUI's import dialog and `mynasign crl import` both call it.
func ImportCRLs(opts trust.Options, paths ...string) (*CRLImport, error) {
	dir, err := crlDir(opts)
	if err != nil {
		return nil, err
	}
	out := &CRLImport{Dir: dir}
	ts, err := trust.LoadTrustStoreFor(opts)
	if err != nil {
		return out, err
	}
	res, err := trust.OpenStore(dir).Import(ts, paths...)
	out.ImportResult = res
	return out, err
}

// CRLState is one CRL with its freshness at the overview's time.
type CRLState struct {
	trust.CRLInfo
	Fresh bool `json:"fresh"`
}

// CRLOverview is what the GUI's CRL screen and home status show, and what
// `mynasign crl list --json` prints.
type CRLOverview struct {
	Dir        string     `json:"dir"`
	TrustStore string     `json:"trustStore"`
	At         time.Time  `json:"at"`
	CRLs       []CRLState `json:"crls"`
	Fresh      int        `json:"fresh"` // CRLs whose nextUpdate is not past at At
	Stale      int        `json:"stale"`
	// Damaged counts the stored CRLs that cannot be read (CRLInfo.Problem set): neither
	// fresh nor stale, to be removed and imported again.
	Damaged int `json:"damaged"`
	// NextExpiry is the earliest nextUpdate among the fresh CRLs: when the first of them
	// needs replacing (nil when none is fresh).
	NextExpiry *time.Time `json:"nextExpiry,omitempty"`
}

// CRLStatus lists the CRLs available under opts (the store's, plus the built-in test
// CRLs with the test trust store) and their freshness at opts.At (default now). A stored
// CRL that cannot be read is listed (first) with its ID and Problem, not an error.
func CRLStatus(opts trust.Options) (*CRLOverview, error) {
	p, err := trust.NewPolicy(opts)
	if err != nil {
		return nil, err
	}
	list, err := p.CRLs()
	if err != nil {
		return nil, err
	}
	ov := &CRLOverview{Dir: p.CRLDir(), TrustStore: p.TrustStore(), At: p.ValidationTime(), CRLs: []CRLState{}}
	for _, c := range list {
		st := CRLState{CRLInfo: c, Fresh: c.FreshAt(ov.At)}
		switch {
		case c.Problem != nil:
			ov.Damaged++
		case st.Fresh:
			ov.Fresh++
			if ov.NextExpiry == nil || c.NextUpdate.Before(*ov.NextExpiry) {
				nu := *c.NextUpdate
				ov.NextExpiry = &nu
			}
		default:
			ov.Stale++
		}
		ov.CRLs = append(ov.CRLs, st)
	}
	return ov, nil
}

// CRLRemoval is the outcome of RemoveCRL: the store directory and the CRL that was taken
// out of it.
type CRLRemoval struct {
	Dir     string         `json:"dir"`
	Removed *trust.CRLInfo `json:"removed"`
}

// RemoveCRL removes the CRL of one scope from the CRL store named by opts (opts.CRLDir,
// or the user's default): id is the CRLInfo.ID that CRLStatus lists. The other scopes are
// untouched. An id that names no stored CRL (the test store's built-in CRLs have none)
// gives an error matching trust.ErrUnknownCRL. The GUI's CRL screen and `mynasign crl
// remove` both call it.
func RemoveCRL(opts trust.Options, id string) (*CRLRemoval, error) {
	dir, err := crlDir(opts)
	if err != nil {
		return nil, err
	}
	removed, err := trust.OpenStore(dir).Remove(id)
	if err != nil {
		return nil, err
	}
	return &CRLRemoval{Dir: dir, Removed: removed}, nil
}

func crlDir(opts trust.Options) (string, error) {
	if opts.CRLDir != "" {
		return opts.CRLDir, nil
	}
	return trust.DefaultCRLDir()
}
