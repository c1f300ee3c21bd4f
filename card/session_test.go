package card_test

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/mynasign/mynasign/card"
	"github.com/mynasign/mynasign/card/softcard"
	"github.com/mynasign/mynasign/internal/testpki"
)

func TestIdentify(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(*softcard.Config)
		kind  card.Kind
		label string
	}{
		{"mynumber", nil, card.KindMyNumberCard, "JPKIAPICCTOKEN2"},
		{"juki", func(c *softcard.Config) { c.TokenLabel = "JPKIAPICCTOKEN" }, card.KindJukiCard, "JPKIAPICCTOKEN"},
		{"android", func(c *softcard.Config) { c.TokenLabel = "JPKIAPGPSETOKEN" }, card.KindSmartphoneToken, "JPKIAPGPSETOKEN"},
		{"ios", func(c *softcard.Config) { c.TokenLabel = "JPKIAPIOSTOKEN" }, card.KindSmartphoneToken, "JPKIAPIOSTOKEN"},
		{"unknown", func(c *softcard.Config) { c.TokenLabel = "SOMETHING\x01ELSE" }, card.KindUnknownJPKI, "SOMETHING?ELSE"},
		{"not-jpki", func(c *softcard.Config) { c.NoJPKI = true }, card.KindNotJPKI, ""},
	} {
		for _, m := range modes {
			t.Run(tc.name+"/"+m.name, func(t *testing.T) {
				c := newCard(t, "valid", tc.edit)
				s := open(t, c, m.opts)
				if s.Kind() != tc.kind || s.Label() != tc.label {
					t.Fatalf("kind %v label %q, want %v %q", s.Kind(), s.Label(), tc.kind, tc.label)
				}
				if tc.kind == card.KindMyNumberCard {
					return
				}
				before := c.Stats().Commands
				var uc *card.UnsupportedCard
				if _, err := s.PINStatus(card.SignPassword); !errors.As(err, &uc) || uc.Kind != tc.kind {
					t.Fatalf("PINStatus on %v: %v", tc.kind, err)
				}
				if err := s.VerifySignPIN(pin(testpki.SignPassword)); !errors.As(err, &uc) {
					t.Fatalf("VerifySignPIN on %v: %v", tc.kind, err)
				}
				if _, err := s.AuthCertificate(); !errors.As(err, &uc) {
					t.Fatalf("AuthCertificate on %v: %v", tc.kind, err)
				}
				if got := c.Stats().Commands; got != before {
					t.Fatalf("%d APDUs sent to an unsupported card", got-before)
				}
			})
		}
	}
}

func TestPINStatusSpendsNothing(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			c := newCard(t, "valid", nil)
			s := open(t, c, m.opts)
			for i := 0; i < 3; i++ {
				for _, tc := range []struct {
					kind card.PINKind
					left int
				}{{card.SignPassword, 5}, {card.AuthPIN, 3}, {card.TextPIN, 3}} {
					st, err := s.PINStatus(tc.kind)
					if err != nil {
						t.Fatal(err)
					}
					if st.Left != tc.left || st.Max != tc.left || st.Blocked || st.Verified || st.Kind != tc.kind {
						t.Fatalf("%v: %+v", tc.kind, st)
					}
				}
			}
			if st := c.Stats(); st.VerifySign+st.VerifyAuth+st.VerifyText != 0 || st.VerifyEmpty != 9 {
				t.Fatalf("card stats %+v", st)
			}
			if c.TriesLeft("sign") != 5 || c.TriesLeft("auth") != 3 || c.TriesLeft("text") != 3 {
				t.Fatal("a status query spent a try")
			}
		})
	}
}

func TestPINStatusOfSpecialCards(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			s := open(t, newCard(t, "blocked", nil), m.opts)
			st, err := s.PINStatus(card.SignPassword)
			if err != nil || !st.Blocked || st.Left != 0 {
				t.Fatalf("blocked: %+v %v", st, err)
			}
			s = open(t, newCard(t, "blocked", func(c *softcard.Config) { c.Quirks.BlockedAs6983 = true }), m.opts)
			if st, err := s.PINStatus(card.SignPassword); err != nil || !st.Blocked {
				t.Fatalf("blocked (6983): %+v %v", st, err)
			}
			s = open(t, newCard(t, "valid", func(c *softcard.Config) { c.AuthFailures = 2 }), m.opts)
			if st, err := s.PINStatus(card.AuthPIN); err != nil || st.Left != 1 {
				t.Fatalf("auth with one left: %+v %v", st, err)
			}
			child := newCard(t, "child", nil)
			s = open(t, child, m.opts)
			if _, err := s.PINStatus(card.SignPassword); !errors.Is(err, card.ErrNoSignCertificate) {
				t.Fatalf("child: %v", err)
			}
			if err := s.VerifySignPIN(pin(testpki.SignPassword)); !errors.Is(err, card.ErrNoSignCertificate) {
				t.Fatalf("child VERIFY: %v", err)
			}
			if _, err := s.SignCertificate(); !errors.Is(err, card.ErrSecurityStatusNotSatisfied) {
				t.Fatalf("child sign cert: %v", err)
			}
			if st, err := s.PINStatus(card.AuthPIN); err != nil || st.Left != 3 {
				t.Fatalf("child auth PIN: %+v %v", st, err)
			}
			if _, err := s.AuthCertificate(); err != nil {
				t.Fatalf("child auth cert: %v", err)
			}
			if child.Stats().VerifySign != 0 {
				t.Fatal("a VERIFY reached the child's card")
			}
		})
	}
}

func TestVerifySignPIN(t *testing.T) {
	type result struct {
		err      func(error) bool
		verifies int // VERIFY commands with data the card must have received
		left     int // sign tries left afterwards
	}
	isNil := func(err error) bool { return err == nil }
	invalid := func(p card.PINProblem) func(error) bool {
		return func(err error) bool {
			var e *card.InvalidPIN
			return errors.As(err, &e) && e.Problem == p && e.Kind == card.SignPassword
		}
	}
	wrong := func(left int) func(error) bool {
		return func(err error) bool {
			var e *card.WrongPIN
			return errors.As(err, &e) && e.Left == left && e.Kind == card.SignPassword
		}
	}
	blocked := func(now bool) func(error) bool {
		return func(err error) bool {
			var e *card.Blocked
			return errors.As(err, &e) && e.Now == now && e.Kind == card.SignPassword
		}
	}
	lastTry := func(err error) bool {
		var e *card.LastTry
		return errors.As(err, &e)
	}
	for _, tc := range []struct {
		name     string
		failures int
		input    string
		opts     []card.VerifyOption
		want     result
	}{
		{"right", 0, "TEST1234", nil, result{isNil, 1, 5}},
		{"lowercase", 0, "test1234", nil, result{isNil, 1, 5}},
		{"full-width", 0, "ｔｅｓｔ１２３４", nil, result{isNil, 1, 5}},
		{"full-width upper", 0, "ＴＥＳＴ1234", nil, result{isNil, 1, 5}},
		{"right after failures", 3, "TEST1234", nil, result{isNil, 1, 5}},
		{"wrong", 0, "TEST9999", nil, result{wrong(4), 1, 4}},
		{"wrong with two left", 3, "TEST9999", nil, result{wrong(1), 1, 1}},
		{"last try refused", 4, "TEST1234", nil, result{lastTry, 0, 1}},
		{"last try wrong", 4, "TEST9999", []card.VerifyOption{card.AllowLastTry}, result{blocked(true), 1, 0}},
		{"last try right", 4, "TEST1234", []card.VerifyOption{card.AllowLastTry}, result{isNil, 1, 5}},
		{"blocked", 5, "TEST1234", []card.VerifyOption{card.AllowLastTry}, result{blocked(false), 0, 0}},
		{"empty", 0, "", nil, result{invalid(card.PINEmpty), 0, 5}},
		{"too short", 0, "TES12", nil, result{invalid(card.PINLength), 0, 5}},
		{"too long", 0, "TEST1234TEST12345", nil, result{invalid(card.PINLength), 0, 5}},
		{"no digit", 0, "TESTTEST", nil, result{invalid(card.PINLetterAndDigit), 0, 5}},
		{"no letter", 0, "12345678", nil, result{invalid(card.PINLetterAndDigit), 0, 5}},
		{"symbol", 0, "TEST-1234", nil, result{invalid(card.PINCharacters), 0, 5}},
		{"space", 0, "TEST 1234", nil, result{invalid(card.PINCharacters), 0, 5}},
		{"newline", 0, "TEST1234\n", nil, result{invalid(card.PINCharacters), 0, 5}},
		{"kana", 0, "テスト1234", nil, result{invalid(card.PINCharacters), 0, 5}},
		{"invalid utf-8", 0, "TEST\xff1234", nil, result{invalid(card.PINCharacters), 0, 5}},
	} {
		for _, m := range modes {
			t.Run(tc.name+"/"+m.name, func(t *testing.T) {
				c := newCard(t, "valid", func(cfg *softcard.Config) { cfg.SignFailures = tc.failures })
				s := open(t, c, m.opts)
				buf := []byte(tc.input)
				err := s.VerifySignPIN(buf, tc.opts...)
				if !tc.want.err(err) {
					t.Fatalf("error %v (%T)", err, errors.Unwrap(err))
				}
				if !bytes.Equal(buf, make([]byte, len(buf))) {
					t.Fatal("the PIN buffer was not cleared")
				}
				if got := c.Stats().VerifySign; got != tc.want.verifies {
					t.Fatalf("%d VERIFY with data, want %d", got, tc.want.verifies)
				}
				if got := c.TriesLeft("sign"); got != tc.want.left {
					t.Fatalf("%d tries left, want %d", got, tc.want.left)
				}
				if s.SignVerified() != (err == nil) {
					t.Fatalf("SignVerified %v after %v", s.SignVerified(), err)
				}
				if err != nil {
					for _, secret := range []string{"TEST1234", "TEST9999", "1234"} {
						if strings.Contains(err.Error(), secret) && strings.Contains(tc.input, secret) {
							t.Fatalf("error text shows the PIN: %v", err)
						}
					}
				}
			})
		}
	}
}

func TestEmptyVerifyAfterSuccessVariants(t *testing.T) {
	for _, q := range []bool{false, true} {
		for _, m := range modes {
			t.Run(fmt.Sprint(q, m.name), func(t *testing.T) {
				c := newCard(t, "valid", func(cfg *softcard.Config) { cfg.Quirks.EmptyVerifyAfterSuccess63Cx = q })
				s := open(t, c, m.opts)
				if err := s.VerifySignPIN(pin("TEST1234")); err != nil {
					t.Fatal(err)
				}
				st, err := s.PINStatus(card.SignPassword)
				if err != nil || st.Left != 5 || st.Blocked || st.Verified == q {
					t.Fatalf("status after success: %+v %v", st, err)
				}
				// The status query kept the verification: signing still works.
				if !s.SignVerified() {
					t.Fatal("status query lost the verification")
				}
				if _, err := s.SignCertificate(); err != nil {
					t.Fatal(err)
				}
				// A second verification is one more VERIFY, and again fine.
				if err := s.VerifySignPIN(pin("TEST1234")); err != nil {
					t.Fatal(err)
				}
				if got := c.Stats().VerifySign; got != 2 {
					t.Fatalf("%d VERIFY", got)
				}
			})
		}
	}
}

func TestCertificates(t *testing.T) {
	p := persona(t, "valid")
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			c := newCard(t, "valid", nil)
			s := open(t, c, m.opts)
			auth, err := s.AuthCertificate()
			if err != nil || !bytes.Equal(auth.Raw, p.AuthCert.Raw) {
				t.Fatalf("auth cert: %v", err)
			}
			authCA, err := s.AuthCACertificate()
			if err != nil || !bytes.Equal(authCA.Raw, p.AuthCACert.Raw) {
				t.Fatalf("auth CA: %v", err)
			}
			signCA, err := s.SignCACertificate()
			if err != nil || !bytes.Equal(signCA.Raw, p.SignCACert.Raw) {
				t.Fatalf("sign CA: %v", err)
			}
			before := c.Stats().Commands
			if _, err := s.SignCertificate(); !errors.Is(err, card.ErrSecurityStatusNotSatisfied) {
				t.Fatalf("sign cert before VERIFY: %v", err)
			}
			if c.Stats().Commands != before {
				t.Fatal("sign cert read attempted without a verified password")
			}
			if err := s.VerifySignPIN(pin("TEST1234")); err != nil {
				t.Fatal(err)
			}
			sc, err := s.SignCertificate()
			if err != nil || !bytes.Equal(sc.Raw, p.SignCert.Raw) {
				t.Fatalf("sign cert: %v", err)
			}
			// Cached: a second call sends nothing.
			before = c.Stats().Commands
			if _, err := s.SignCertificate(); err != nil || c.Stats().Commands != before {
				t.Fatalf("second read: %v, %d APDUs", err, c.Stats().Commands-before)
			}
		})
	}
}

func TestSigner(t *testing.T) {
	p := persona(t, "valid")
	pub := p.SignCert.PublicKey.(*rsa.PublicKey)
	msg := []byte("署名する文書")
	s256, s384, s512 := sha256.Sum256(msg), sha512.Sum384(msg), sha512.Sum512(msg)
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			c := newCard(t, "valid", nil)
			s := open(t, c, m.opts)
			if _, err := s.Signer(); !errors.Is(err, card.ErrSecurityStatusNotSatisfied) {
				t.Fatalf("Signer before VERIFY: %v", err)
			}
			if err := s.VerifySignPIN(pin("TEST1234")); err != nil {
				t.Fatal(err)
			}
			signer, err := s.Signer()
			if err != nil {
				t.Fatal(err)
			}
			var _ crypto.Signer = signer
			if !signer.Public().(*rsa.PublicKey).Equal(pub) || !bytes.Equal(signer.Certificate().Raw, p.SignCert.Raw) {
				t.Fatal("signer key differs from the certificate")
			}
			for _, tc := range []struct {
				h crypto.Hash
				d []byte
			}{{crypto.SHA256, s256[:]}, {crypto.SHA384, s384[:]}, {crypto.SHA512, s512[:]}, {crypto.SHA256, s256[:]}} {
				sig, err := signer.Sign(rand.Reader, tc.d, tc.h)
				if err != nil {
					t.Fatalf("%v: %v", tc.h, err)
				}
				if err := rsa.VerifyPKCS1v15(pub, tc.h, tc.d, sig); err != nil {
					t.Fatalf("%v: %v", tc.h, err)
				}
			}
			if got := c.Stats(); got.VerifySign != 1 || got.Signatures != 4 {
				t.Fatalf("card stats %+v", got)
			}
			// Refused locally, nothing sent.
			before := c.Stats().Commands
			for _, tc := range []struct {
				d    []byte
				opts crypto.SignerOpts
			}{
				{s256[:], &rsa.PSSOptions{Hash: crypto.SHA256}},
				{s256[:20], crypto.SHA256},
				{s256[:], crypto.SHA1},
				{s256[:], crypto.Hash(0)},
				{s256[:], nil},
			} {
				if _, err := signer.Sign(nil, tc.d, tc.opts); err == nil {
					t.Errorf("Sign(%d bytes, %v) accepted", len(tc.d), tc.opts)
				}
			}
			if c.Stats().Commands != before {
				t.Fatal("a refused signature reached the card")
			}
			// After Logout the card signs no more, and the session knows it.
			if err := s.Logout(); err != nil {
				t.Fatal(err)
			}
			if _, err := signer.Sign(nil, s256[:], crypto.SHA256); !errors.Is(err, card.ErrSecurityStatusNotSatisfied) {
				t.Fatalf("after Logout: %v", err)
			}
		})
	}
}

// TestCardForgetsBehindOurBack: another program selects an application between our
// operations, or resets the card. The session must notice through the card's answers,
// report ErrSecurityStatusNotSatisfied, and never re-send the password.
func TestCardForgetsBehindOurBack(t *testing.T) {
	s256 := sha256.Sum256([]byte("x"))
	for _, m := range modes {
		for _, interfere := range []struct {
			name string
			do   func(*softcard.Card)
		}{
			{"other program selects the text AP", func(c *softcard.Card) {
				c.Transmit([]byte{0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08})
			}},
			{"other program re-selects the JPKI AP", func(c *softcard.Card) {
				c.Transmit([]byte{0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01})
			}},
			{"reset", (*softcard.Card).Reset},
		} {
			t.Run(m.name+"/"+interfere.name, func(t *testing.T) {
				c := newCard(t, "valid", nil)
				s := open(t, c, m.opts)
				if err := s.VerifySignPIN(pin("TEST1234")); err != nil {
					t.Fatal(err)
				}
				signer, err := s.Signer()
				if err != nil {
					t.Fatal(err)
				}
				if _, err := signer.Sign(nil, s256[:], crypto.SHA256); err != nil {
					t.Fatal(err)
				}
				interfere.do(c)
				if _, err := signer.Sign(nil, s256[:], crypto.SHA256); !errors.Is(err, card.ErrSecurityStatusNotSatisfied) {
					t.Fatalf("sign after interference: %v", err)
				}
				if s.SignVerified() {
					t.Fatal("session still believes it is verified")
				}
				// The session still works: status, and a new verification by the user.
				if st, err := s.PINStatus(card.SignPassword); err != nil || st.Left != 5 {
					t.Fatalf("status: %+v %v", st, err)
				}
				if err := s.VerifySignPIN(pin("TEST1234")); err != nil {
					t.Fatal(err)
				}
				if _, err := signer.Sign(nil, s256[:], crypto.SHA256); err != nil {
					t.Fatal(err)
				}
				if got := c.Stats().VerifySign; got != 2 {
					t.Fatalf("%d VERIFY, want 2 (one per user action)", got)
				}
			})
		}
	}
}

func TestTextApplication(t *testing.T) {
	p := persona(t, "valid")
	issuer := &testpki.TextAPIssuerKey().PublicKey
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			c := newCard(t, "valid", nil)
			s := open(t, c, m.opts)
			if err := s.VerifySignPIN(pin("TEST1234")); err != nil {
				t.Fatal(err)
			}
			buf := pin("１２３４") // full-width digits are fine
			info, err := s.ReadBasicInfo(buf)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(buf, make([]byte, len(buf))) {
				t.Fatal("PIN buffer not cleared")
			}
			if info.Name != p.Basic.Name || info.Address != p.Basic.Address || info.BirthDate != p.Basic.BirthDate || info.Sex != p.Basic.Sex {
				t.Fatal("basic information differs from the persona")
			}
			if err := info.Integrity.CheckSignature(issuer); err != nil {
				t.Fatal(err)
			}
			if s.SignVerified() {
				t.Fatal("the text AP did not end the signature verification")
			}
			n, err := s.ReadMyNumber(pin("1234"))
			if err != nil {
				t.Fatal(err)
			}
			if n.Digits() != p.MyNumber {
				t.Fatal("My Number differs from the persona")
			}
			if err := n.Integrity.CheckSignature(issuer); err != nil {
				t.Fatal(err)
			}
			other, _ := rsa.GenerateKey(rand.Reader, 1024)
			if err := n.Integrity.CheckSignature(&other.PublicKey); !errors.Is(err, card.ErrIntegrity) {
				t.Fatalf("foreign issuer key: %v", err)
			}
			// Personal data never prints.
			printed := fmt.Sprintf("%v %+v %#v %s %q %v %+v %#v", info, info, info, *info, n, n, n, n)
			for _, secret := range []string{p.Basic.Name, p.Basic.Address, p.Basic.BirthDate, p.MyNumber} {
				if strings.Contains(printed, secret) {
					t.Fatalf("printed personal data: %s", printed)
				}
			}
			// A wrong PIN spends one try, a malformed one none.
			var wp *card.WrongPIN
			if _, err := s.ReadBasicInfo(pin("0000")); !errors.As(err, &wp) || wp.Kind != card.TextPIN || wp.Left != 2 {
				t.Fatalf("wrong text PIN: %v", err)
			}
			var ip *card.InvalidPIN
			if _, err := s.ReadMyNumber(pin("12345")); !errors.As(err, &ip) {
				t.Fatalf("malformed text PIN: %v", err)
			}
			if _, err := s.ReadMyNumber(pin("12a4")); !errors.As(err, &ip) {
				t.Fatalf("letters in the text PIN: %v", err)
			}
			if got := c.Stats().VerifyText; got != 3 {
				t.Fatalf("%d text VERIFY, want 3", got)
			}
			// The text PIN does not stay verified after a read.
			c.Transmit([]byte{0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08})
			out, _ := c.Transmit([]byte{0x00, 0xB0, 0x81, 0x00, 0x00})
			if !bytes.Equal(out, []byte{0x69, 0x82}) {
				t.Fatalf("text AP still open: %X", out)
			}
		})
	}
}

func TestQuirksTolerated(t *testing.T) {
	p := persona(t, "valid")
	s256 := sha256.Sum256([]byte("q"))
	for _, q := range []softcard.Quirks{
		{GetResponse: true},
		{WrongLe: true},
		{CertPadding: 300},
		{GetResponse: true, WrongLe: true, CertPadding: 1, EmptyVerifyAfterSuccess63Cx: true},
	} {
		for _, m := range modes {
			t.Run(fmt.Sprintf("%+v/%s", q, m.name), func(t *testing.T) {
				c := newCard(t, "valid", func(cfg *softcard.Config) { cfg.Quirks = q })
				s := open(t, c, m.opts)
				if s.Kind() != card.KindMyNumberCard {
					t.Fatalf("kind %v", s.Kind())
				}
				if err := s.VerifySignPIN(pin("TEST1234")); err != nil {
					t.Fatal(err)
				}
				cert, err := s.SignCertificate()
				if err != nil || !bytes.Equal(cert.Raw, p.SignCert.Raw) {
					t.Fatalf("sign cert: %v", err)
				}
				signer, err := s.Signer()
				if err != nil {
					t.Fatal(err)
				}
				if _, err := signer.Sign(nil, s256[:], crypto.SHA256); err != nil {
					t.Fatal(err)
				}
				info, err := s.ReadBasicInfo(pin("1234"))
				if err != nil || info.Name != p.Basic.Name {
					t.Fatalf("basic info: %v", err)
				}
				if c.Stats().VerifySign != 1 {
					t.Fatal("VERIFY sent twice")
				}
			})
		}
	}
}

func TestOneTransactionPerOperation(t *testing.T) {
	c := newCard(t, "valid", nil)
	s := open(t, c, card.Options{})
	step := func(name string, f func() error) {
		t.Helper()
		before := c.Stats().Transactions
		if err := f(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := c.Stats().Transactions - before; got != 1 {
			t.Fatalf("%s: %d transactions", name, got)
		}
	}
	s256 := sha256.Sum256(nil)
	var signer *card.Signer
	step("status", func() error { _, err := s.PINStatus(card.SignPassword); return err })
	step("verify", func() error { return s.VerifySignPIN(pin("TEST1234")) })
	step("signer", func() (err error) { signer, err = s.Signer(); return err })
	step("sign", func() error { _, err := signer.Sign(nil, s256[:], crypto.SHA256); return err })
	step("auth cert", func() error { _, err := s.AuthCertificate(); return err })
	step("basic info", func() error { _, err := s.ReadBasicInfo(pin("1234")); return err })
	step("logout", s.Logout)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PINStatus(card.SignPassword); !errors.Is(err, card.ErrClosed) {
		t.Fatalf("after Close: %v", err)
	}
}

func TestShortID(t *testing.T) {
	a, b := persona(t, "valid").AuthCert, persona(t, "revoked").AuthCert
	if id := card.ShortID(a); len(id) != 8 || id != card.ShortID(a) || id == card.ShortID(b) {
		t.Fatalf("%q %q", id, card.ShortID(b))
	}
	if strings.Contains(card.ShortID(a), a.SerialNumber.Text(16)) || card.ShortID(nil) != "" {
		t.Fatal("ShortID shows the serial or accepts nil")
	}
}

// TestOtherProgramSelectsAnotherEF: between our operations another program selects
// other files of the JPKI application (which keeps the verified state). The session
// must still read the right file and sign with the signature key, without a new
// verification.
func TestOtherProgramSelectsAnotherEF(t *testing.T) {
	p := persona(t, "valid")
	d := sha256.Sum256([]byte("y"))
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			c := newCard(t, "valid", nil)
			s := open(t, c, m.opts)
			if err := s.VerifySignPIN(pin("TEST1234")); err != nil {
				t.Fatal(err)
			}
			signer, err := s.Signer()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := signer.Sign(nil, d[:], crypto.SHA256); err != nil {
				t.Fatal(err)
			}
			// The other program verifies the authentication PIN and leaves the
			// authentication key selected, then the authentication CA certificate.
			for _, cmd := range [][]byte{
				{0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x18},
				{0x00, 0x20, 0x00, 0x80, 0x04, '1', '2', '3', '4'},
				{0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x17},
			} {
				if out, err := c.Transmit(cmd); err != nil || !bytes.Equal(out, []byte{0x90, 0x00}) {
					t.Fatalf("%X: %X %v", cmd, out, err)
				}
			}
			sig, err := signer.Sign(nil, d[:], crypto.SHA256)
			if err != nil {
				t.Fatal(err)
			}
			if err := rsa.VerifyPKCS1v15(p.SignCert.PublicKey.(*rsa.PublicKey), crypto.SHA256, d[:], sig); err != nil {
				t.Fatal("not signed with the signature key")
			}
			c.Transmit([]byte{0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x0B})
			auth, err := s.AuthCertificate()
			if err != nil || !bytes.Equal(auth.Raw, p.AuthCert.Raw) {
				t.Fatalf("read the wrong file: %v", err)
			}
			if c.Stats().VerifySign != 1 {
				t.Fatal("verified again")
			}
		})
	}
}
