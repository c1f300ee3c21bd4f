package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeGo writes a Go file whose function long has n lines from func to brace.
func writeGo(t *testing.T, path string, n int) {
	t.Helper()
	var b strings.Builder
	b.WriteString("package p\n\ntype T struct{}\n\nfunc long() {\n")
	for i := 0; i < n-2; i++ {
		b.WriteString("\t_ = 1\n")
	}
	b.WriteString("}\n\nfunc (t *T) short() {}\n")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestMeasure(t *testing.T) {
	root := t.TempDir()
	writeGo(t, filepath.Join(root, "a", "a.go"), 120)
	writeGo(t, filepath.Join(root, "a", "a_test.go"), 500)        // tests are skipped
	writeGo(t, filepath.Join(root, "testdata", "x", "x.go"), 500) // testdata is skipped
	funcs, err := Measure(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(funcs) != 2 {
		t.Fatalf("%d functions, want 2: %+v", len(funcs), funcs)
	}
	if f := funcs[0]; f.Name != "long" || f.Lines != 120 || f.File != "a/a.go" || f.Line != 5 {
		t.Errorf("longest: %+v", f)
	}
	if f := funcs[1]; f.Name != "(T).short" || f.Lines != 1 {
		t.Errorf("second: %+v", f)
	}
}

func TestRunThresholds(t *testing.T) {
	root := t.TempDir()
	writeGo(t, filepath.Join(root, "a.go"), 120)
	for _, c := range []struct {
		report, fail, code int
		listed             bool
	}{
		{100, 150, 0, true},  // listed, not failing
		{130, 150, 0, false}, // under the report threshold
		{100, 110, 1, true},  // over the limit
	} {
		var out, errOut bytes.Buffer
		code := run(&out, &errOut, root, c.report, c.fail)
		if code != c.code || strings.Contains(out.String(), "a.go:5  long") != c.listed {
			t.Errorf("report %d fail %d: code %d, output %q %q", c.report, c.fail, code, out.String(), errOut.String())
		}
	}
}
