package flow

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/card"
	"github.com/mynasign/mynasign/internal/tsp"
	"github.com/mynasign/mynasign/pdf"
	"github.com/mynasign/mynasign/trust"
)

// Every key Explain can give is translated in both languages, takes its arguments, and
// names no command-line flag (the GUI shows the same sentences); an unknown error is not
// explained (the front end says something failed, with the error as detail).
func TestExplain(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.Japanese, i18n.English} {
		l := i18n.New(lang)
		for _, k := range ExplainKeys() {
			if !l.Has(k) {
				t.Errorf("%s: no translation of %s", lang, k)
			}
			if strings.Contains(l.T(k), "--") {
				t.Errorf("%s: %s names a flag: %q", lang, k, l.T(k))
			}
		}
	}
	l := i18n.New(i18n.Japanese)
	for err, want := range map[error]string{
		fmt.Errorf("x: %w", card.ErrNoService):            "err.card.no_service",
		&card.Blocked{Kind: card.SignPassword, Now: true}: "err.pin.blocked_now",
		&card.InvalidPIN{Kind: card.AuthPIN}:              "err.pin.invalid",
		&card.UnsupportedCard{Kind: card.KindJukiCard}:    "err.card.unsupported",
		&pdf.PageError{Page: 3, Pages: 1}:                 "err.pdf.page",
		&trust.MissingCRLError{Scope: "千代田区"}:             "err.crl.missing",
		fmt.Errorf("signing: %w", tsp.ErrTSARefused):      "err.tsa.refused",
		ErrLevelNeedsTSA: "err.sign.needs_tsa",
		&ReaderChoiceError{Readers: []string{"A", "B"}}: "err.card.reader_choice",
	} {
		e, ok := Explain(err)
		if !ok || e.Key != want {
			t.Errorf("Explain(%v) = %q, %v; want %s", err, e.Key, ok, want)
			continue
		}
		if text := e.Text(l); strings.Contains(text, "%!") || strings.Contains(text, "!err.") || strings.Contains(text, "!cli.") {
			t.Errorf("%s: %q", want, text)
		}
	}
	if e := (Explanation{Key: "err.pin.wrong", Args: []any{pinName(card.SignPassword), 2}}); !strings.Contains(e.Text(l), "署名用パスワード") {
		t.Errorf("the PIN's name is not resolved: %q", e.Text(l))
	}
	if _, ok := Explain(errors.New("odd")); ok {
		t.Error("an unknown error was explained")
	}
}
