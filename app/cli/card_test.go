package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/card"
	"github.com/mynasign/mynasign/card/softcard/pcscdtest"
	"github.com/mynasign/mynasign/internal/testpki"
)

// syncBuffer is a bytes.Buffer safe for a command writing while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// cardTestEnv is an English CLI environment with captured output.
func cardTestEnv(stdin io.Reader) (*Env, *syncBuffer, *syncBuffer) {
	out, errOut := &syncBuffer{}, &syncBuffer{}
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	return &Env{Stdin: stdin, Stdout: out, Stderr: errOut, L: i18n.New(i18n.English)}, out, errOut
}

func cardStatus(t *testing.T) statusJSON {
	t.Helper()
	env, out, errOut := cardTestEnv(nil)
	if code := Run(env, []string{"card", "status", "--json"}); code != ExitOK {
		t.Fatalf("card status --json: exit %d\n%s%s", code, out, errOut)
	}
	var st statusJSON
	if err := json.Unmarshal([]byte(out.String()), &st); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return st
}

func findReader(t *testing.T, st statusJSON, name string) readerJSON {
	t.Helper()
	for _, r := range st.Readers {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("reader %q not in %+v", name, st.Readers)
	return readerJSON{}
}

// TestCardStatus runs `card status` against the real stack: readers, the card's kind
// and ID, and the tries left of each PIN, without a single VERIFY with data.
func TestCardStatus(t *testing.T) {
	st := pcscdtest.Start(t, pcscdtest.Options{})
	p, _ := testpki.PersonaByID("valid")

	status := cardStatus(t)
	r := findReader(t, status, st.Reader)
	if !r.CardPresent || r.Kind != "mynumber" || r.Label != "JPKIAPICCTOKEN2" || r.Error != "" {
		t.Fatalf("card reader: %+v", r)
	}
	if r.CardID != card.ShortID(p.AuthCert) || len(r.CardID) != 8 {
		t.Fatalf("card ID %q", r.CardID)
	}
	if r.SignCertificate == nil || !*r.SignCertificate {
		t.Fatal("sign certificate not reported")
	}
	want := map[string]pinStatusJSON{"sign": {5, 5, false}, "auth": {3, 3, false}, "text": {3, 3, false}}
	for k, v := range want {
		if r.PINs[k] != v {
			t.Fatalf("PIN %s: %+v, want %+v", k, r.PINs[k], v)
		}
	}
	if spare := findReader(t, status, st.SpareReader); spare.CardPresent || spare.Kind != "" {
		t.Fatalf("spare reader: %+v", spare)
	}
	if s := st.Card.Stats(); s.VerifySign+s.VerifyAuth+s.VerifyText != 0 {
		t.Fatalf("card status sent VERIFY with data: %+v", s)
	}

	env, out, _ := cardTestEnv(nil)
	if code := Run(env, []string{"card", "status"}); code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	for _, line := range []string{
		"Reader: " + st.Reader, "  card: My Number Card", "  card ID: " + r.CardID,
		"  signature password: 5 of 5 tries left", "  authentication PIN: 3 of 3 tries left",
		"  text application PIN: 3 of 3 tries left", "Reader: " + st.SpareReader + "\n  no card",
	} {
		if !strings.Contains(out.String(), line) {
			t.Fatalf("output lacks %q:\n%s", line, out)
		}
	}
	// Nothing personal is shown.
	for _, secret := range []string{p.Basic.Name, p.Basic.Address, p.MyNumber} {
		if strings.Contains(out.String(), secret) {
			t.Fatal("card status printed personal data")
		}
	}
	if code := Run(env, []string{"card", "status", "extra"}); code != ExitUsage {
		t.Fatalf("extra argument: exit %d", code)
	}

	// Without the PC/SC service: a clear failure, in both forms.
	st.StopDaemon()
	env, out, errOut := cardTestEnv(nil)
	if code := Run(env, []string{"card", "status"}); code != ExitFailure || !strings.Contains(errOut.String(), "smart card service (pcscd) is not running") {
		t.Fatalf("no service: exit %d, %q", code, errOut)
	}
	env, out, _ = cardTestEnv(nil)
	if code := Run(env, []string{"card", "status", "--json"}); code != ExitFailure {
		t.Fatalf("no service --json: exit %d", code)
	}
	var js statusJSON
	if err := json.Unmarshal([]byte(out.String()), &js); err != nil || js.Error == "" || js.Readers == nil {
		t.Fatalf("no service --json: %v %s", err, out)
	}
}

// TestTestcardServe attaches a second software card with `testcard serve` to the spare
// slot of the test stack, and drives it through standard input.
func TestTestcardServe(t *testing.T) {
	st := pcscdtest.Start(t, pcscdtest.Options{})
	inR, inW := io.Pipe()
	env, out, errOut := cardTestEnv(inR)
	done := make(chan int, 1)
	go func() {
		done <- Run(env, []string{"testcard", "serve", "--vpcd", fmt.Sprintf("127.0.0.1:%d", st.Port+1), "--persona", "blocked"})
	}()
	st.WaitReader(st.SpareReader, true)
	r := findReader(t, cardStatus(t), st.SpareReader)
	if !r.CardPresent || r.Kind != "mynumber" || !r.PINs["sign"].Blocked || r.PINs["sign"].TriesLeft != 0 {
		t.Fatalf("served card: %+v", r)
	}
	env2, out2, _ := cardTestEnv(nil)
	Run(env2, []string{"card", "status"})
	if !strings.Contains(out2.String(), "signature password: LOCKED. No software can unlock it") {
		t.Fatalf("blocked card output:\n%s", out2)
	}

	send := func(line string) { fmt.Fprintln(inW, line) }
	send("remove")
	st.WaitReader(st.SpareReader, false)
	send("insert")
	st.WaitReader(st.SpareReader, true)
	send("status")
	send("dance")
	send("quit")
	select {
	case code := <-done:
		if code != ExitOK {
			t.Fatalf("exit %d\n%s%s", code, out, errOut)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("testcard serve did not quit")
	}
	for _, want := range []string{"test card (persona blocked) attached to vpcd", "card removed", "card inserted",
		"card present: true, signature password tries left: 0", "test card detached"} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errOut.String(), `unknown command "dance"`) {
		t.Fatalf("stderr: %s", errOut)
	}
	st.WaitReader(st.SpareReader, false)
	// The card of the stack itself was not disturbed.
	if r := findReader(t, cardStatus(t), st.Reader); r.PINs["sign"].TriesLeft != 5 {
		t.Fatalf("stack card: %+v", r)
	}
}

func TestTestcardServeUsage(t *testing.T) {
	for _, args := range [][]string{
		{"testcard", "serve", "--persona", "nobody"},
		{"testcard", "serve", "--vpcd", "nocolon"},
		{"testcard", "serve", "extra"},
	} {
		env, _, _ := cardTestEnv(nil)
		if code := Run(env, args); code != ExitUsage {
			t.Errorf("%v: exit %d", args, code)
		}
	}
}

func TestCardErrorTexts(t *testing.T) {
	for _, l := range []*i18n.Localizer{i18n.New(i18n.English), i18n.New(i18n.Japanese)} {
		for _, err := range []error{
			&card.WrongPIN{Kind: card.SignPassword, Left: 2},
			&card.Blocked{Kind: card.SignPassword, Now: true},
			&card.Blocked{Kind: card.TextPIN},
			&card.LastTry{Kind: card.AuthPIN},
			&card.InvalidPIN{Kind: card.SignPassword, Problem: card.PINLength},
			&card.InvalidPIN{Kind: card.TextPIN, Problem: card.PINCharacters},
			&card.UnsupportedCard{Kind: card.KindJukiCard},
			&card.UnsupportedCard{Kind: card.KindUnknownJPKI, Label: "XYZ"},
			card.ErrNoSignCertificate, card.ErrSecurityStatusNotSatisfied, card.ErrCardRemoved,
			card.ErrCardReset, card.ErrNoCard, card.ErrNoReader, card.ErrNoService, card.ErrCardBusy,
		} {
			wrapped := fmt.Errorf("signing: %w", err)
			text := cardErrorText(l, wrapped)
			if strings.Contains(text, "!") || strings.Contains(text, "%!") || text == wrapped.Error() {
				t.Errorf("%s: %v → %q", l.Lang(), err, text)
			}
			le := localized(l, wrapped)
			if !errors.Is(le, err) || le.Error() != text {
				t.Errorf("localized %v", err)
			}
		}
	}
	if got := cardErrorText(i18n.New(i18n.English), errors.New("other")); got != "other" {
		t.Fatalf("%q", got)
	}
}
