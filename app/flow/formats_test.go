package flow

import (
	"slices"
	"testing"
)

// TestFormatTables: the tables of formats.go are complete, without duplicates, and in the
// order the package documents (sign profiles and conformance checks by name; verifiers
// with "egov" before "xml").
func TestFormatTables(t *testing.T) {
	var names []string
	for _, p := range SignProfiles() {
		if p.Name == "" || p.Kind == "" || p.Accepts == nil || p.DefaultOutput == nil || p.Sign == nil {
			t.Errorf("incomplete sign profile %q", p.Name)
		}
		names = append(names, p.Name)
	}
	if want := []string{"egov", "pades", "registry", "xades"}; !slices.Equal(names, want) {
		t.Errorf("sign profiles %v, want %v (sorted, each once)", names, want)
	}
	for _, n := range names {
		if p, ok := LookupSignProfile(n); !ok || p.Name != n {
			t.Errorf("LookupSignProfile(%q) = %q, %v", n, p.Name, ok)
		}
	}
	if _, ok := LookupSignProfile("pdf"); ok {
		t.Error(`LookupSignProfile("pdf") found a profile`)
	}

	names = nil
	for _, v := range Verifiers() {
		if v.Name == "" || v.Detect == nil || v.Verify == nil {
			t.Errorf("incomplete verifier %q", v.Name)
		}
		names = append(names, v.Name)
	}
	if want := []string{"pdf", "egov", "xml"}; !slices.Equal(names, want) {
		t.Errorf("verifiers %v, want %v", names, want)
	}

	names = nil
	for _, c := range ConformanceChecks() {
		if c.Profile == "" || c.Detect == nil || c.Check == nil {
			t.Errorf("incomplete conformance check %q", c.Profile)
		}
		names = append(names, c.Profile)
	}
	if !slices.Equal(names, ConformanceProfiles()) || !slices.IsSorted(names) || len(names) == 0 {
		t.Errorf("conformance checks %v, profiles %v", names, ConformanceProfiles())
	}
}
