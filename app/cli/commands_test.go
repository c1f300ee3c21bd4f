package cli

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// TestCommandTable: the command table is sorted by name, has no duplicate and no
// incomplete entry, every command is found by lookup with its arguments left over, and
// the usage text lists the commands in the table's order.
func TestCommandTable(t *testing.T) {
	names := make([]string, len(commands))
	for i, c := range commands {
		names[i] = c.name
		if c.name == "" || c.summary == "" || c.run == nil {
			t.Errorf("incomplete command %q", c.name)
		}
	}
	if !slices.IsSorted(names) || len(slices.Compact(slices.Clone(names))) != len(names) {
		t.Fatalf("commands not sorted or not unique: %v", names)
	}
	for _, n := range names {
		args := append(strings.Fields(n), "--flag", "file")
		c, rest, ok := lookup(args)
		if !ok || c.name != n || !slices.Equal(rest, []string{"--flag", "file"}) {
			t.Errorf("lookup(%q) = %q, %q, %v", args, c.name, rest, ok)
		}
	}
	if _, _, ok := lookup([]string{"crl"}); ok {
		t.Error(`lookup("crl") found a command`)
	}
	var out bytes.Buffer
	printUsage(&out)
	at := 0
	for _, n := range names {
		i := strings.Index(out.String()[at:], "  "+n+" ")
		if i < 0 {
			t.Fatalf("usage does not list %q after position %d:\n%s", n, at, out.String())
		}
		at += i + len(n)
	}
}
