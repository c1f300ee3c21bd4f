package app

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/mynasign/mynasign/app/flow"
	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/card"
	"github.com/mynasign/mynasign/card/softcard"
	"github.com/mynasign/mynasign/trust"
)

// guiSources parses the GUI's Go files (not the tests).
func guiSources(t *testing.T) (*token.FileSet, map[string]*ast.File) {
	t.Helper()
	fset := token.NewFileSet()
	files := map[string]*ast.File{}
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		src, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, n, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		files[n] = f
	}
	return fset, files
}

// usedKeys lists every string literal of the GUI code that is a message key ("gui.…"),
// plus the keys the code builds from a prefix and a value it can take.
func usedKeys(t *testing.T) map[string]string {
	t.Helper()
	fset, files := guiSources(t)
	keys := map[string]string{}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				return true
			}
			// A literal that ends with "." or "_" is a prefix, completed below.
			if strings.HasPrefix(s, "gui.") && !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "_") && !strings.Contains(s, "%") {
				keys[s] = fset.Position(lit.Pos()).String()
			}
			return true
		})
	}
	// Keys built at run time: every value the code can build them from.
	dyn := func(k string) { keys[k] = "built at run time" }
	for i := 0; i < stepCount; i++ {
		dyn("gui.sign.step." + strconv.Itoa(i))
	}
	for c := 0; c < colCount; c++ {
		dyn("gui.verify.col." + strconv.Itoa(c))
	}
	for _, p := range flow.SignProfiles() {
		dyn("gui.profile." + p.Name)
		dyn("gui.profile_help." + p.Name)
		dyn("gui.dockind." + p.Kind)
	}
	for _, k := range []string{"pdf", "xml", "egov"} {
		dyn("gui.dockind." + k)
	}
	for _, p := range []string{"pades", "registry", "xades", "egov"} {
		dyn("gui.profile." + p)
		dyn("gui.profile_help." + p)
	}
	for _, pos := range visiblePositions {
		dyn("gui.sign.pos." + string(pos))
	}
	for _, id := range append(softcard.PersonaIDs(), testCardSmartphone, testCardNotJPKI) {
		dyn("gui.persona." + id)
		dyn("gui.persona_help." + id)
	}
	for _, k := range []card.PINKind{card.SignPassword, card.AuthPIN, card.TextPIN} {
		p := (&pinPrompt{kind: k})
		for _, w := range []string{"placeholder", "rule", "name", "last_try_text", "problem_length", "problem_chars",
			"wrong", "blocked_title", "blocked_now_title", "blocked_text", "blocked_where", "submit"} {
			dyn(p.keyFor(w))
		}
		dyn("gui.diag.pin." + strconv.Itoa(int(k)))
	}
	for _, ind := range []trust.Indication{trust.TotalPassed, trust.TotalFailed, trust.Indeterminate} {
		dyn("gui.ind." + string(ind))
	}
	for _, k := range []trust.CertKind{trust.KindSignature, trust.KindAuthentication, trust.KindNotJPKI} {
		dyn("gui.certkind." + string(k))
	}
	for _, c := range []trust.Coverage{trust.CoverageWhole, trust.CoverageRevision, trust.CoveragePartial} {
		dyn("gui.coverage." + string(c))
	}
	for _, c := range []trust.ChangeLevel{trust.ChangesNone, trust.ChangesPermitted, trust.ChangesNotPermitted} {
		dyn("gui.changes." + string(c))
	}
	for _, k := range []string{"gui.sign.lose_password_", "gui.sign.lose_signed_"} {
		for _, s := range []string{"title", "text", "keep", "lose"} {
			dyn(k + s)
		}
	}
	for _, s := range []string{"male", "female", "unknown"} {
		dyn("gui.sex." + s)
	}
	for _, s := range []string{"1", "2", "9"} {
		dyn("gui.sexcode." + s)
	}
	for _, e := range []string{"meiji", "taisho", "showa", "heisei", "reiwa"} {
		dyn("gui.era." + e)
	}
	for _, s := range []trust.ImportStatus{trust.ImportAdded, trust.ImportUnchanged, trust.ImportOlder} {
		dyn("gui.crl.import_status." + string(s))
	}
	for _, s := range []string{"production", "test"} {
		dyn("gui.details.store." + s)
	}
	for _, m := range idCheckModes {
		dyn("gui.idcheck.mode." + string(m))
		dyn("gui.idcheck.consent." + string(m))
	}
	for _, r := range []trust.RevocationStatus{trust.RevocationGood, trust.RevocationRevoked, trust.RevocationUnknown} {
		dyn("gui.idcheck.revocation." + string(r))
	}
	for _, k := range []card.Kind{0, card.KindNotJPKI, card.KindMyNumberCard, card.KindJukiCard, card.KindSmartphoneToken, card.KindUnknownJPKI} {
		dyn(kindKey(k))
	}
	return keys
}

// TestGUIKeysExist fails on a message key used by the GUI that is missing in ja.json or
// en.json.
func TestGUIKeysExist(t *testing.T) {
	keys := usedKeys(t)
	var missing []string
	for k, where := range keys {
		for _, l := range []i18n.Lang{i18n.Japanese, i18n.English} {
			if lz := i18n.New(l); !lz.Has(k) && !lz.HasPlural(k) {
				missing = append(missing, string(l)+": "+k+" ("+where+")")
			}
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("missing translation %s", m)
	}
	if len(keys) < 100 {
		t.Fatalf("only %d keys found: the scan is broken", len(keys))
	}
}

// TestReportKeysExist: every message key the libraries put into the reports the GUI
// shows has both translations (the GUI resolves them).
func TestReportKeysExist(t *testing.T) {
	for _, k := range trust.MessageKeys() {
		for _, l := range []i18n.Lang{i18n.Japanese, i18n.English} {
			if !i18n.New(l).Has(k) {
				t.Errorf("%s: report message key %q has no translation", l, k)
			}
		}
	}
}

// TestNoLiteralTextInWidgets fails when GUI code passes a string literal (other than
// "") as the text of a widget, a dialog or a window: every user-visible text must come
// from the translation files through UI.t.
func TestNoLiteralTextInWidgets(t *testing.T) {
	fset, files := guiSources(t)
	textFuncs := map[string]bool{
		"NewLabel": true, "NewLabelWithStyle": true, "NewButton": true, "newButton": true, "newCheck": true, "newSelect": true, "NewButtonWithIcon": true,
		"NewCheck": true, "NewCard": true, "NewFormItem": true, "NewAccordionItem": true,
		"NewHyperlink": true, "NewRichTextWithText": true, "NewText": true, "NewCustom": true,
		"NewConfirm": true, "NewInformation": true, "ShowInformation": true, "NewCustomConfirm": true,
		"SetText": true, "SetPlaceHolder": true, "SetTitle": true, "NewWindow": true,
		"SetConfirmText": true, "SetDismissText": true, "SetTitleText": true, "NewSelect": true,
		"NewRadioGroup": true, "NewMenu": true, "NewMenuItem": true, "statusLine": true, "noticeView": true, "wrapLabel": true, "boldLabel": true, "boldText": true, "newTextBlock": true, "box": true,
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			name := ""
			switch fn := call.Fun.(type) {
			case *ast.SelectorExpr:
				name = fn.Sel.Name
			case *ast.Ident:
				name = fn.Name
			}
			if !textFuncs[name] {
				return true
			}
			for _, a := range call.Args {
				if lit, ok := a.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if s, _ := strconv.Unquote(lit.Value); s != "" {
						t.Errorf("%s: literal text %s passed to %s: use a translation key", fset.Position(lit.Pos()), lit.Value, name)
					}
				}
			}
			return true
		})
	}
}
