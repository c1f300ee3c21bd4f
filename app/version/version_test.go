package version

import (
	"strings"
	"testing"
)

func TestStringPrefersTheLinkTimeVersion(t *testing.T) {
	old := Version
	t.Cleanup(func() { Version = old })

	Version = ""
	if got := String(); !strings.HasPrefix(got, Dev) && !strings.HasPrefix(got, "v") {
		t.Fatalf("String() without a version = %q", got)
	}
	Version = "1.2.3"
	if got := String(); got != "1.2.3" {
		t.Fatalf("String() = %q, want 1.2.3", got)
	}
}
