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

// declaredArgs reads, from the comment after each Msg constant, how many arguments the
// message takes ("// name, CRL thisUpdate" → 2; "//" → 0).
func declaredArgs(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	fset := token.NewFileSet()
	for _, f := range []string{"messages.go", "crl_errors.go"} {
		file, err := parser.ParseFile(fset, f, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			vs, ok := n.(*ast.ValueSpec)
			if !ok || len(vs.Values) != 1 || vs.Comment == nil {
				return true
			}
			lit, ok := vs.Values[0].(*ast.BasicLit)
			if !ok {
				return true
			}
			key, _ := strconv.Unquote(lit.Value)
			text := strings.TrimSpace(vs.Comment.Text())
			if strings.HasPrefix(text, "+") {
				return true // a prefix
			}
			count := 0
			if text != "" {
				count = strings.Count(text, ",") + 1
			}
			out[key] = count
			return true
		})
	}
	return out
}

// Each translation uses exactly the arguments its key declares.
func TestMessageArguments(t *testing.T) {
	decl := declaredArgs(t)
	if len(decl) < 60 {
		t.Fatalf("only %d keys with declared arguments found", len(decl))
	}
	for _, lang := range []i18n.Lang{i18n.Japanese, i18n.English} {
		l := i18n.New(lang)
		for key, n := range decl {
			args := make([]any, n)
			for i := range args {
				args[i] = "⟨" + strconv.Itoa(i+1) + "⟩"
			}
			text := l.T(key, args...)
			if strings.Contains(text, "%!") {
				t.Errorf("%s %s: %q", lang, key, text)
			}
			// The document summaries pick the counts they need.
			partial := key == MsgDocPassed || key == MsgDocFailed || key == MsgDocIndeterminate
			for _, a := range args {
				if !partial && !strings.Contains(text, a.(string)) {
					t.Errorf("%s %s does not show argument %s: %q", lang, key, a, text)
				}
			}
		}
	}
}
