package trust

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mynasign/mynasign/app/i18n"
)

// Every key the package can produce has a Japanese and an English text.
func TestMessageKeysTranslated(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.Japanese, i18n.English} {
		l := i18n.New(lang)
		for _, k := range MessageKeys() {
			if !l.Has(k) {
				t.Errorf("%s: no text for %q", lang, k)
			}
		}
	}
}

// Every "trust." key constant declared in the package is listed by MessageKeys (so the
// translation test above sees it).
func TestMessageKeysComplete(t *testing.T) {
	listed := map[string]bool{}
	for _, k := range MessageKeys() {
		listed[k] = true
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		file, err := parser.ParseFile(fset, f, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			vs, ok := n.(*ast.ValueSpec)
			if !ok {
				return true
			}
			for i, name := range vs.Names {
				if !strings.HasPrefix(name.Name, "Msg") || i >= len(vs.Values) {
					continue
				}
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					continue
				}
				key, _ := strconv.Unquote(lit.Value)
				if strings.HasSuffix(key, ".") {
					continue // a prefix
				}
				if !listed[key] {
					t.Errorf("%s (%s = %q) is not in MessageKeys", f, name.Name, key)
				}
			}
			return true
		})
	}
}
