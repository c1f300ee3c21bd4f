package flow

import (
	"errors"
	"fmt"

	"github.com/mynasign/mynasign/internal/tsp"
	"github.com/mynasign/mynasign/trust"
)

// Level is the signature level a user asks for.
type Level string

// Levels.
const (
	// LevelBB is the baseline level (B-B): the signature and the signer's certificate.
	LevelBB Level = "B-B"
	// LevelBT is B-T: B-B with a signature time-stamp from the time-stamping authority
	// the user named (SignOptions.TSA), the proof that the signature existed at that
	// time, which keeps it valid after the certificate expires or is revoked.
	LevelBT Level = "B-T"
	// LevelBLT is B-LT: also the certificate path and the CRL from the local CRL store that
	// covers the signer, so that the signature can be validated later without that store
	// (with SignOptions.TSA, on top of B-T).
	LevelBLT Level = "B-LT"
	// LevelBLTA is B-LTA: B-LT time-stamped twice, at the signature (B-T) and over the
	// whole file with its validation data (a PDF document time-stamp), which can be
	// renewed later (mynasign extend). Needs SignOptions.TSA; PAdES only.
	LevelBLTA Level = "B-LTA"
)

// Levels lists the levels that can be asked for.
func Levels() []Level { return []Level{LevelBB, LevelBT, LevelBLT, LevelBLTA} }

// ParseLevel reads a level name ("B-B", "B-T", "B-LT", "B-LTA"); the empty string is
// B-B.
func ParseLevel(s string) (Level, bool) {
	switch Level(s) {
	case "", LevelBB:
		return LevelBB, true
	case LevelBT, LevelBLT, LevelBLTA:
		return Level(s), true
	}
	return "", false
}

// ErrLevelNeedsTSA: B-T needs a time-stamping authority (SignOptions.TSA); mynasign
// never contacts one the user did not name.
var ErrLevelNeedsTSA = errors.New("a time-stamped signature needs the address of a time-stamping authority")

// timestamper returns the client of the time-stamping authority req names (nil when it
// names none), checking that B-T has one.
func timestamper(req SignRequest) (*tsp.Client, error) {
	if req.Options.TSA == "" {
		if req.Options.Level == LevelBT || req.Options.Level == LevelBLTA {
			return nil, ErrLevelNeedsTSA
		}
		return nil, nil
	}
	return tsp.NewClient(req.Options.TSA)
}

// ErrLevelUnsupported: the profile signs at its own level only (the registry profile
// takes no extras; e-Gov packages have their own format).
var ErrLevelUnsupported = errors.New("this profile cannot sign at the level asked for")

// ErrLevelNeedsPolicy: a B-LT signature needs the trust policy (its CRL store).
var ErrLevelNeedsPolicy = errors.New("a long-term signature needs the trust store and the CRL store")

// validationData returns what a signature at req's level embeds: nil for B-B; for B-LT
// the path and the store's CRL from req.Policy, or the policy's *trust.MissingCRLError
// naming the CRL to import (never a silent B-B).
func validationData(req SignRequest) (*trust.ValidationData, error) {
	switch req.Options.Level {
	case "", LevelBB, LevelBT:
		return nil, nil
	case LevelBLT, LevelBLTA:
		if req.Policy == nil {
			return nil, ErrLevelNeedsPolicy
		}
		return req.Policy.ValidationData(req.Certificate, req.Chain)
	}
	return nil, fmt.Errorf("unknown signature level %q", req.Options.Level)
}

// Preset is a destination: where the signed document goes decides how it is signed.
type Preset struct {
	// Name is the identifier on the command line: "registry", "general", "archive",
	// "ledger".
	Name string
	// LabelKey is the translation key of the destination's name (登記, 一般, 長期保存,
	// 電子帳簿保存).
	LabelKey string
	// Profiles are the sign profiles by document kind ("pdf", "xml"); a kind that is
	// missing cannot go to this destination.
	Profiles map[string]string
	// Levels are the levels by document kind (B-B when missing).
	Levels map[string]Level
	// TimestampOnly: the destination takes a document time-stamp and no signature
	// (電子帳簿保存: the time-stamp proves when the document was received or made); no
	// card is used (Timestamp).
	TimestampOnly bool
	// NeedsTSA: the destination needs a time-stamping authority (SignOptions.TSA).
	NeedsTSA bool
}

// Level returns the destination's level for a document kind.
func (p Preset) Level(kind string) Level {
	if l, ok := p.Levels[kind]; ok {
		return l
	}
	return LevelBB
}

// Presets lists the destinations: 登記 (the registry's adbe.pkcs7.detached, no extras),
// 一般 (PAdES / XAdES B-B), 長期保存 (PAdES B-LTA; XAdES B-LT, made offline), 電子帳簿保存
// (a document time-stamp only).
func Presets() []Preset {
	return []Preset{
		{Name: "registry", LabelKey: "flow.preset.registry", Profiles: map[string]string{"pdf": "registry"}},
		{Name: "general", LabelKey: "flow.preset.general", Profiles: map[string]string{"pdf": "pades", "xml": "xades"}},
		{Name: "archive", LabelKey: "flow.preset.archive", Profiles: map[string]string{"pdf": "pades", "xml": "xades"},
			Levels: map[string]Level{"pdf": LevelBLTA, "xml": LevelBLT}, NeedsTSA: true},
		{Name: "ledger", LabelKey: "flow.preset.ledger", Profiles: map[string]string{"pdf": "pades"}, TimestampOnly: true, NeedsTSA: true},
	}
}

// LookupPreset finds a destination by name.
func LookupPreset(name string) (Preset, bool) {
	for _, p := range Presets() {
		if p.Name == name {
			return p, true
		}
	}
	return Preset{}, false
}
