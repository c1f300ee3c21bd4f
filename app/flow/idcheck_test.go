package flow

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/card"
	"github.com/mynasign/mynasign/card/softcard"
	"github.com/mynasign/mynasign/internal/testpki"
	"github.com/mynasign/mynasign/trust"
)

// checkCard opens the check persona id on the software card through card.Session.
func checkCard(t *testing.T, id string, tr func(*softcard.Card) card.Transport) (*IDCheckCard, *softcard.Card) {
	t.Helper()
	sc, err := softcard.NewCheckPersona(id)
	if err != nil {
		t.Fatal(err)
	}
	var tp card.Transport = sc
	if tr != nil {
		tp = tr(sc)
	}
	sess, err := card.Open(tp)
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewIDCheckCard(sess, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, sc
}

func authPINs() IDCheckPINs { return IDCheckPINs{Auth: []byte(testpki.AuthPIN)} }

func TestIDCheckPersonas(t *testing.T) {
	policy := testPolicy(t)
	cases := []struct {
		persona string
		outcome trust.IDCheckOutcome
		reason  string
	}{
		{"valid", trust.IDConfirmed, ""},
		{"child", trust.IDConfirmed, ""},
		{"revoked", trust.IDNotConfirmed, trust.MsgAuthRevoked},
		{"expired", trust.IDNotConfirmed, trust.MsgAuthExpired},
	}
	for _, tc := range cases {
		t.Run(tc.persona, func(t *testing.T) {
			c, sc := checkCard(t, tc.persona, nil)
			st, err := c.Prepare(false)
			if err != nil || st.Auth.Left != 3 || st.Auth.Blocked || st.CardID == "" {
				t.Fatalf("prepare: %+v %v", st, err)
			}
			rep, err := c.Check(policy, IDCheckOptions{Mode: trust.IDCheckIdentity}, authPINs())
			if err != nil {
				t.Fatal(err)
			}
			if rep.Outcome != tc.outcome || !rep.ChallengeResponse {
				t.Fatalf("outcome %s, challenge %v, reasons %+v", rep.Outcome, rep.ChallengeResponse, rep.Reasons)
			}
			if tc.reason != "" && (len(rep.Reasons) == 0 || rep.Reasons[0].Key != tc.reason) {
				t.Fatalf("reasons %+v, want %s", rep.Reasons, tc.reason)
			}
			if tc.outcome == trust.IDConfirmed && (rep.Revocation == nil || rep.Revocation.Status != trust.RevocationGood) {
				t.Fatalf("revocation %+v", rep.Revocation)
			}
			if rep.Certificate.SerialSHA256 == "" || rep.BasicInfo != nil || sc.Stats().VerifyText != 0 {
				t.Fatalf("report %+v, text VERIFYs %d", rep, sc.Stats().VerifyText)
			}
			if tc.persona == "revoked" && rep.Revocation.Reason != "affiliationChanged" {
				t.Fatalf("reason %q", rep.Revocation.Reason)
			}
		})
	}
}

// A blocked PIN: Prepare says so, Check sends nothing and gives *card.Blocked.
func TestIDCheckBlocked(t *testing.T) {
	c, sc := checkCard(t, "blocked", nil)
	st, err := c.Prepare(false)
	if err != nil || !st.Auth.Blocked {
		t.Fatalf("prepare: %+v %v", st, err)
	}
	var bl *card.Blocked
	if _, err := c.Check(testPolicy(t), IDCheckOptions{Mode: trust.IDCheckIdentity}, authPINs()); !errors.As(err, &bl) {
		t.Fatalf("check: %v", err)
	}
	if sc.Stats().VerifyAuth != 0 {
		t.Fatal("a VERIFY was sent to a blocked PIN")
	}
}

// A wrong PIN: tries left, one VERIFY, no report.
func TestIDCheckWrongPIN(t *testing.T) {
	c, sc := checkCard(t, "valid", nil)
	var wrong *card.WrongPIN
	rep, err := c.Check(testPolicy(t), IDCheckOptions{Mode: trust.IDCheckIdentity}, IDCheckPINs{Auth: []byte("9999")})
	if !errors.As(err, &wrong) || wrong.Left != 2 || rep != nil {
		t.Fatalf("check: %v %v", rep, err)
	}
	if sc.Stats().VerifyAuth != 1 || sc.Stats().Signatures != 0 {
		t.Fatalf("stats %+v", sc.Stats())
	}
}

// Without the authentication CRL (or with a stale one) the check is not confirmed and
// says revocation was not checked, as of when.
func TestIDCheckWithoutFreshCRL(t *testing.T) {
	dir := t.TempDir()
	policy, err := trust.NewPolicy(trust.Options{TrustStore: trust.StoreTest, CRLDir: dir, ImportedCRLsOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := checkCard(t, "valid", nil)
	rep, err := c.Check(policy, IDCheckOptions{Mode: trust.IDCheckIdentity}, authPINs())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Outcome != trust.IDNotConfirmed || rep.Reasons[0].Key != trust.MsgAuthRevocationNotChk || rep.Revocation.Status != trust.RevocationUnknown {
		t.Fatalf("no CRL: %+v %+v", rep.Reasons, rep.Revocation)
	}

	stale, err := testpki.CRLAt("auth-ca-2023", 7, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 1, 8, 0, 0, 0, 0, time.UTC), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "auth-stale.crl")
	if err := os.WriteFile(file, stale, 0o644); err != nil {
		t.Fatal(err)
	}
	ts, err := trust.LoadTrustStore(trust.StoreTest)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := trust.OpenStore(dir).Import(ts, file); err != nil {
		t.Fatal(err)
	}
	c, _ = checkCard(t, "valid", nil)
	rep, err = c.Check(policy, IDCheckOptions{Mode: trust.IDCheckIdentity}, authPINs())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Outcome != trust.IDNotConfirmed || rep.Reasons[0].Key != trust.MsgAuthRevocationNotChk ||
		rep.Reasons[0].Args[0] != "2025-01-01T00:00:00Z" || rep.Revocation.StaleSince == nil {
		t.Fatalf("stale CRL: %+v %+v", rep.Reasons, rep.Revocation)
	}
}

// replayTransport hands the card's first COMPUTE DIGITAL SIGNATURE response back for
// every later one: a response recorded from one check, replayed against another.
type replayTransport struct {
	card.Transport
	recorded []byte
}

func (r *replayTransport) Transmit(cmd []byte) ([]byte, error) {
	out, err := r.Transport.Transmit(cmd)
	if err != nil || len(cmd) < 2 || cmd[0] != 0x80 || cmd[1] != 0x2A {
		return out, err
	}
	if r.recorded == nil {
		r.recorded = append([]byte(nil), out...)
		return out, nil
	}
	return append([]byte(nil), r.recorded...), nil
}

func TestIDCheckReplayedResponseFails(t *testing.T) {
	rt := &replayTransport{}
	c, _ := checkCard(t, "valid", func(sc *softcard.Card) card.Transport { rt.Transport = sc; return rt })
	policy := testPolicy(t)
	first, err := c.Check(policy, IDCheckOptions{Mode: trust.IDCheckIdentity}, authPINs())
	if err != nil || first.Outcome != trust.IDConfirmed {
		t.Fatalf("first: %+v %v", first, err)
	}
	second, err := c.Check(policy, IDCheckOptions{Mode: trust.IDCheckIdentity}, authPINs())
	if err != nil {
		t.Fatal(err)
	}
	if second.Outcome != trust.IDNotConfirmed || second.ChallengeResponse || second.Reasons[0].Key != MsgIDChallengeFailed {
		t.Fatalf("replayed: %+v", second)
	}
}

// Age mode: only the answer; the birth date is nowhere in the report's JSON or the logs.
func TestIDCheckAgeNeverShowsTheBirthDate(t *testing.T) {
	var logs bytes.Buffer
	prevOut, prevLevel := logrus.StandardLogger().Out, logrus.GetLevel()
	logrus.SetOutput(&logs)
	logrus.SetLevel(logrus.DebugLevel)
	t.Cleanup(func() { logrus.SetOutput(prevOut); logrus.SetLevel(prevLevel) })

	p, _ := testpki.PersonaByID("valid")
	birth := p.Basic.BirthDate
	b, _ := time.Parse("20060102", birth)
	policy := testPolicy(t)
	for _, tc := range []struct {
		threshold int
		now       time.Time
		over      bool
	}{
		{20, b.AddDate(20, 0, 0), true},
		{20, b.AddDate(20, 0, -1), false},
		{18, b.AddDate(18, 0, 0), true},
		{18, b.AddDate(17, 11, 0), false},
	} {
		c, _ := checkCard(t, "valid", nil)
		c.Now = func() time.Time { return tc.now }
		rep, err := c.Check(policy, IDCheckOptions{Mode: trust.IDCheckAge, AgeThreshold: tc.threshold, HolderConsent: true}, authPINs())
		if err != nil {
			t.Fatal(err)
		}
		if rep.Age == nil || rep.Age.Over != tc.over || (rep.Outcome == trust.IDConfirmed) != tc.over || rep.BasicInfo != nil {
			t.Fatalf("threshold %d at %s: %+v", tc.threshold, tc.now, rep)
		}
		if tc.over && (rep.Summary.Key != MsgIDAgeOver || rep.Summary.Args[0] != itoa(tc.threshold)) {
			t.Fatalf("summary %+v", rep.Summary)
		}
		js, _ := json.Marshal(rep)
		for _, form := range []string{birth, isoDate(birth), p.Basic.Name, p.Basic.Address} {
			if strings.Contains(string(js), form) || strings.Contains(logs.String(), form) {
				t.Fatalf("%q exposed: %s / %s", form, js, logs.String())
			}
		}
	}
	if !strings.Contains(logs.String(), "identity check") {
		t.Fatal("the check was not logged at all")
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

func TestIDCheckAddressAndBasicInfo(t *testing.T) {
	p, _ := testpki.PersonaByID("valid")
	policy := testPolicy(t)
	pref := []rune(p.Basic.Address)
	c, sc := checkCard(t, "valid", nil)
	rep, err := c.Check(policy, IDCheckOptions{Mode: trust.IDCheckAddress, AddressPrefix: " " + string(pref[:5]), HolderConsent: true}, authPINs())
	if err != nil || rep.Outcome != trust.IDConfirmed || !rep.Address.Match || rep.BasicInfo != nil {
		t.Fatalf("match: %+v %v", rep, err)
	}
	if js, _ := json.Marshal(rep); strings.Contains(string(js), p.Basic.Address) {
		t.Fatal("address mode shows the address")
	}
	if sc.Stats().VerifyText != 1 {
		t.Fatalf("text VERIFYs %d", sc.Stats().VerifyText)
	}
	c, _ = checkCard(t, "valid", nil)
	rep, err = c.Check(policy, IDCheckOptions{Mode: trust.IDCheckAddress, AddressPrefix: "大阪府", HolderConsent: true}, authPINs())
	if err != nil || rep.Outcome != trust.IDNotConfirmed || rep.Address.Match {
		t.Fatalf("no match: %+v %v", rep, err)
	}
	if _, err := c.Check(policy, IDCheckOptions{Mode: trust.IDCheckAddress, AddressPrefix: "大阪府"}, authPINs()); !errors.Is(err, ErrNoConsent) {
		t.Fatalf("no consent: %v", err)
	}
	// A card that does not pass: the four facts are not read at all.
	c, sc = checkCard(t, "revoked", nil)
	rep, err = c.Check(policy, IDCheckOptions{Mode: trust.IDCheckAge, HolderConsent: true}, authPINs())
	if err != nil || rep.Outcome != trust.IDNotConfirmed || rep.Age != nil || sc.Stats().VerifyText != 0 {
		t.Fatalf("revoked card, age mode: %+v %v, %d text VERIFYs", rep, err, sc.Stats().VerifyText)
	}
	if _, err := c.Check(policy, IDCheckOptions{Mode: trust.IDCheckAge, AgeThreshold: 200, HolderConsent: true}, authPINs()); !errors.Is(err, ErrBadIDCheckOptions) {
		t.Fatalf("threshold 200: %v", err)
	}
	c, _ = checkCard(t, "valid", nil)
	rep, err = c.Check(policy, IDCheckOptions{Mode: trust.IDCheckIdentity, WithBasicInfo: true, HolderConsent: true,
		IssuerKey: &testpki.TextAPIssuerKey().PublicKey}, authPINs())
	if err != nil || rep.Outcome != trust.IDConfirmed || rep.BasicInfo == nil || rep.BasicInfo.Name != p.Basic.Name || rep.TextAP.IssuerSignature != "verified" {
		t.Fatalf("basic info: %+v %v", rep, err)
	}
	c, _ = checkCard(t, "valid", nil)
	rep, err = c.Check(policy, IDCheckOptions{Mode: trust.IDCheckIdentity, WithBasicInfo: true, HolderConsent: true}, authPINs())
	if err != nil || rep.TextAP.IssuerSignature != "not-verified" || rep.Warnings[len(rep.Warnings)-1].Key != MsgIDIssuerNotVerified {
		t.Fatalf("no issuer key: %+v %v", rep, err)
	}
}

func TestAtLeast(t *testing.T) {
	at := func(s string) time.Time { t, _ := time.ParseInLocation("2006-01-02", s, jst); return t }
	for _, tc := range []struct {
		birth, day string
		want       bool
	}{
		{"20040229", "2024-02-28", false},
		{"20040229", "2024-02-29", true},
		{"20050301", "2025-02-28", false},
		{"20040229", "2023-03-01", false},
		{"20050401", "2025-04-01", true},
		{"2005041x", "2030-01-01", false},
	} {
		if got := atLeast(tc.birth, 20, at(tc.day)); got != tc.want {
			t.Errorf("%s at %s: %v", tc.birth, tc.day, got)
		}
	}
	// 29 February: 18 in a common year on 1 March.
	if atLeast("20080229", 18, at("2026-02-28")) || !atLeast("20080229", 18, at("2026-03-01")) {
		t.Error("29 February")
	}
}

func TestIDCheckMessageKeysTranslated(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.Japanese, i18n.English} {
		l := i18n.New(lang)
		for _, k := range IDCheckMessageKeys() {
			if !l.Has(k) {
				t.Errorf("%s: no text for %q", lang, k)
			}
		}
	}
}

// myNumberWatch notes any command that would name the text application's My Number file
// (EF 0001): a SELECT of it, or a READ BINARY by its short file identifier.
type myNumberWatch struct {
	card.Transport
	inText, touched bool
}

func (w *myNumberWatch) Transmit(cmd []byte) ([]byte, error) {
	if len(cmd) >= 5 && cmd[0] == 0x00 && cmd[1] == 0xA4 && cmd[2] == 0x04 {
		w.inText = bytes.Equal(cmd[5:], []byte{0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08})
	}
	if w.inText && len(cmd) >= 4 && ((cmd[1] == 0xA4 && cmd[2] == 0x02 && bytes.Equal(cmd[5:], []byte{0x00, 0x01})) || (cmd[1] == 0xB0 && cmd[2] == 0x81)) {
		w.touched = true
	}
	return w.Transport.Transmit(cmd)
}

// The identity check never reads the My Number, in any mode.
func TestIDCheckNeverReadsTheMyNumber(t *testing.T) {
	policy := testPolicy(t)
	for _, opts := range []IDCheckOptions{
		{Mode: trust.IDCheckIdentity, WithBasicInfo: true, HolderConsent: true},
		{Mode: trust.IDCheckAge, HolderConsent: true},
		{Mode: trust.IDCheckAddress, AddressPrefix: "東京都", HolderConsent: true},
	} {
		w := &myNumberWatch{}
		c, sc := checkCard(t, "valid", func(sc *softcard.Card) card.Transport { w.Transport = sc; return w })
		if _, err := c.Check(policy, opts, authPINs()); err != nil {
			t.Fatal(err)
		}
		if w.touched || sc.Stats().VerifyText != 1 {
			t.Fatalf("%s: My Number file named %v, text VERIFYs %d", opts.Mode, w.touched, sc.Stats().VerifyText)
		}
	}
}
