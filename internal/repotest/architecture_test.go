package repotest

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// root is the repository, two folders up from this package.
const root = "../.."

// skipped are folders that hold no package of ours (data, other projects' files,
// build outputs).
var skipped = map[string]bool{".git": true, "bin": true, "out": true, "testdata/corpus": true, "testdata/peers": true}

// layoutLine is one entry of the layout block: a path ("." or "dir/") and its text.
var layoutLine = regexp.MustCompile(`^(\.|[a-z0-9_./-]+/)\s{2,}\S`)

// listedPackages reads the first code block under "## Layout" in docs/architecture.md.
func listedPackages(t *testing.T) map[string]bool {
	t.Helper()
	f, err := os.Open(filepath.Join(root, "docs", "architecture.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	listed := map[string]bool{}
	inLayout, inBlock := false, false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "## "):
			inLayout = line == "## Layout"
		case inLayout && strings.HasPrefix(line, "```"):
			if inBlock {
				return listed
			}
			inBlock = true
		case inBlock:
			m := layoutLine.FindStringSubmatch(line)
			if m == nil {
				t.Errorf("layout line not of the form 'path/  text': %q", line)
				continue
			}
			listed[strings.TrimSuffix(m[1], "/")] = true
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	t.Fatal("docs/architecture.md has no code block under ## Layout")
	return nil
}

// goPackages returns every folder of the repository holding a Go file (relative,
// slash-separated; "." for the root).
func goPackages(t *testing.T) map[string]bool {
	t.Helper()
	pkgs := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if skipped[rel] || d.Name() == "node_modules" || (rel != "." && strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(rel, ".go") {
			pkgs[filepath.ToSlash(filepath.Dir(rel))] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return pkgs
}

// TestArchitectureListsEveryPackage: the layout of docs/architecture.md names every Go
// package of the repository (top level, internal/ and nested), and
// every folder it names holds one.
func TestArchitectureListsEveryPackage(t *testing.T) {
	listed := listedPackages(t)
	pkgs := goPackages(t)
	if len(pkgs) < 10 {
		t.Fatalf("found only %d Go packages under %s: wrong root?", len(pkgs), root)
	}
	var missing, extra []string
	for p := range pkgs {
		if !listed[p] {
			missing = append(missing, p)
		}
	}
	for p := range listed {
		if !pkgs[p] {
			extra = append(extra, p)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 {
		t.Errorf("packages not in the layout of docs/architecture.md: %v", missing)
	}
	if len(extra) > 0 {
		t.Errorf("docs/architecture.md lists folders that hold no Go package: %v", extra)
	}
}

// TestNoGoUnderTestdata: testdata/ holds data only, so that `go list ./...` (which skips
// testdata/) covers every package and no Makefile list has to add them back.
func TestNoGoUnderTestdata(t *testing.T) {
	var found []string
	err := filepath.WalkDir(filepath.Join(root, "testdata"), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "node_modules" {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".go") {
			found = append(found, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) > 0 {
		t.Errorf("Go files under testdata/: %v", found)
	}
}
