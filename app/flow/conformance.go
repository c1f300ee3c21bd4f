package flow

import (
	"context"
	"fmt"

	"github.com/mynasign/mynasign/trust"
)

// ConformanceRow is one requirement of a submission profile checked against one
// signature: what is prescribed, what the file has, and whether it matches.
type ConformanceRow struct {
	Key    string        `json:"key"`
	Want   string        `json:"want"`
	Got    string        `json:"got"`
	Passed bool          `json:"passed"`
	Detail trust.Message `json:"detail"`
}

// ConformanceSignature is the table for one signature.
type ConformanceSignature struct {
	Signature string           `json:"signature"`
	Rows      []ConformanceRow `json:"rows"`
	Passed    bool             `json:"passed"`
}

// Conformance is a file checked against a submission profile (the registry's
// "電子署名付きPDF", for example), row by row, so that the user learns which row fails
// before the receiving system silently rejects the file.
type Conformance struct {
	Profile    string                 `json:"profile"`
	File       string                 `json:"file"`
	Signatures []ConformanceSignature `json:"signatures"`
	Passed     bool                   `json:"passed"`
	// Problem is set when there was nothing to check (unreadable, no signature).
	Problem *trust.Message `json:"problem,omitempty"`
}

// ConformanceCheck checks files against one submission profile.
type ConformanceCheck struct {
	// Profile is the name used with `verify --profile` ("registry").
	Profile string
	// Detect reports whether the check applies to the file (head: its first bytes).
	Detect func(path string, head []byte) bool
	Check  func(ctx context.Context, path string) (*Conformance, error)
}

// ConformanceProfiles lists the names of ConformanceChecks, in its order.
func ConformanceProfiles() []string {
	var out []string
	for _, c := range ConformanceChecks() {
		out = append(out, c.Profile)
	}
	return out
}

// CheckConformance checks the file at path against the named profile.
func CheckConformance(ctx context.Context, profile, path string) (*Conformance, error) {
	var c ConformanceCheck
	ok := false
	for _, cc := range ConformanceChecks() {
		if cc.Profile == profile {
			c, ok = cc, true
			break
		}
	}
	if !ok {
		return nil, fmt.Errorf("unknown conformance profile %q", profile)
	}
	head, err := ReadHead(path)
	if err != nil {
		return nil, err
	}
	if !c.Detect(path, head) {
		return &Conformance{Profile: profile, File: path, Signatures: []ConformanceSignature{},
			Problem: &trust.Message{Key: MsgConformanceNotApplicable, Args: []string{profile}}}, nil
	}
	return c.Check(ctx, path)
}

// MsgConformanceNotApplicable: the file is not a kind of document the profile is about.
const MsgConformanceNotApplicable = "flow.conformance.not_applicable" // profile
