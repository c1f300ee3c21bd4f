package pdf

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReadingModelNamesTests checks docs/reading-model.md: every entry (a "## " section
// other than "Known limits") names at least one test, and every test named exists in
// this package.
func TestReadingModelNamesTests(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "reading-model.md"))
	if err != nil {
		t.Fatal(err)
	}
	defined := map[string]bool{}
	files, _ := filepath.Glob("*_test.go")
	def := regexp.MustCompile(`(?m)^func (Test\w+)\(t \*testing\.T\)`)
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range def.FindAllSubmatch(src, -1) {
			defined[string(m[1])] = true
		}
	}
	named := regexp.MustCompile("`(Test\\w+)`")
	entries := 0
	for _, sec := range strings.Split(string(doc), "\n## ")[1:] {
		title, _, _ := strings.Cut(sec, "\n")
		if title == "Known limits" {
			continue
		}
		entries++
		ms := named.FindAllStringSubmatch(sec, -1)
		if len(ms) == 0 {
			t.Errorf("entry %q names no test", title)
		}
		for _, m := range ms {
			if !defined[m[1]] {
				t.Errorf("entry %q names %s, which does not exist", title, m[1])
			}
		}
	}
	if entries < 10 {
		t.Fatalf("only %d entries in the reading model", entries)
	}
}
