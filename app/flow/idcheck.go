package flow

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/sirupsen/logrus"
	"golang.org/x/text/unicode/norm"

	"github.com/mynasign/mynasign/card"
	"github.com/mynasign/mynasign/card/softcard"
	"github.com/mynasign/mynasign/trust"
)

// Message keys of the identity check's results.
const (
	MsgIDConfirmed         = "idcheck.confirmed"           //
	MsgIDNotConfirmed      = "idcheck.not_confirmed"       //
	MsgIDAgeOver           = "idcheck.age.over"            // threshold
	MsgIDAddressMatch      = "idcheck.address.match"       // prefix
	MsgIDAddressNoMatch    = "idcheck.address.no_match"    // prefix
	MsgIDChallengeFailed   = "idcheck.challenge_failed"    //
	MsgIDChallengeOK       = "idcheck.challenge_ok"        //
	MsgIDTextConsistent    = "idcheck.text.consistent"     //
	MsgIDIssuerNotVerified = "idcheck.text.issuer_unknown" //
	MsgIDIssuerVerified    = "idcheck.text.issuer_ok"      //
	MsgIDIssuerFailed      = "idcheck.text.issuer_failed"  //
	MsgIDAgeUnknown        = "idcheck.age.unknown"         //
)

// IDCheckMessageKeys lists the message keys the identity check produces, for the
// translation tests.
func IDCheckMessageKeys() []string {
	return []string{MsgIDConfirmed, MsgIDNotConfirmed, MsgIDAgeOver, MsgIDAddressMatch, MsgIDAddressNoMatch,
		MsgIDChallengeFailed, MsgIDChallengeOK, MsgIDTextConsistent, MsgIDIssuerNotVerified, MsgIDIssuerVerified,
		MsgIDIssuerFailed, MsgIDAgeUnknown}
}

// DefaultAgeThreshold is the age mode's threshold when none is chosen.
const DefaultAgeThreshold = 20

// ChallengeSize is the size of an identity check's random challenge.
const ChallengeSize = 32

// IDCheckOptions are the clerk's choices for one identity check.
type IDCheckOptions struct {
	Mode trust.IDCheckMode
	// AgeThreshold is the age mode's threshold (0: DefaultAgeThreshold).
	AgeThreshold int
	// WithBasicInfo reads and shows the four basic facts in identity mode.
	WithBasicInfo bool
	// HolderConsent: the holder agreed, on screen, to the text application being read.
	// Required whenever it is (age and address modes, WithBasicInfo).
	HolderConsent bool
	// AddressPrefix is what address mode compares the address with (e.g. the
	// municipality).
	AddressPrefix string
	// IssuerKey is the public key of the text application's issuer, when configured: its
	// signature over the integrity record is then verified. Without it, it cannot be
	// verified offline, and the report says so.
	IssuerKey *rsa.PublicKey
}

// NeedsTextAP reports whether the check reads the text application (with its PIN).
func (o IDCheckOptions) NeedsTextAP() bool {
	return o.Mode == trust.IDCheckAge || o.Mode == trust.IDCheckAddress || (o.Mode == trust.IDCheckIdentity && o.WithBasicInfo)
}

// Errors of the identity check's options.
var (
	// ErrNoConsent: the text application would be read without the holder's consent.
	ErrNoConsent = errors.New("identity check: reading the four basic facts needs the holder's consent")
	// ErrBadIDCheckOptions: an unknown mode, an age threshold out of range, or address
	// mode without a prefix.
	ErrBadIDCheckOptions = errors.New("identity check: invalid options")
)

// Validate checks the options and fills the defaults (the age threshold).
func (o IDCheckOptions) Validate() (IDCheckOptions, error) {
	if o.AgeThreshold == 0 {
		o.AgeThreshold = DefaultAgeThreshold
	}
	switch {
	case o.Mode != trust.IDCheckIdentity && o.Mode != trust.IDCheckAge && o.Mode != trust.IDCheckAddress:
		return o, fmt.Errorf("%w: mode %q", ErrBadIDCheckOptions, o.Mode)
	case o.AgeThreshold < 1 || o.AgeThreshold > 120:
		return o, fmt.Errorf("%w: age threshold %d (1 to 120)", ErrBadIDCheckOptions, o.AgeThreshold)
	case o.Mode == trust.IDCheckAddress && normalizeAddress(o.AddressPrefix) == "":
		return o, fmt.Errorf("%w: address mode needs a prefix", ErrBadIDCheckOptions)
	case o.NeedsTextAP() && !o.HolderConsent:
		return o, ErrNoConsent
	}
	return o, nil
}

// IDCheckCard is a card opened for identity checks. Its methods are the steps of the
// flow: Prepare (no PIN: the certificate, the tries left), Check (the PIN, once), Close.
// A GUI shows Prepare's state, asks for the PIN (no field when it is blocked, a
// confirmation on the last try), calls Check once per user action, and Close before the
// next person.
type IDCheckCard struct {
	sess   *card.Session
	test   bool
	cert   *x509.Certificate
	caCert *x509.Certificate
	// Now is the clock the check is dated and ages are counted by (time.Now when nil).
	Now func() time.Time
}

// OpenIDCheckCard opens the card for an identity check: the reader named (or the only one
// holding a card), or the software test card with the persona as the check sees it
// (softcard.ConfigForCheck).
func OpenIDCheckCard(opts CardOptions) (*IDCheckCard, error) {
	sess, err := openCard(opts, softcard.NewCheckPersona)
	if err != nil {
		return nil, err
	}
	return NewIDCheckCard(sess, opts.TestCard)
}

// NewIDCheckCard wraps a session the caller opened; the IDCheckCard owns it from then on.
// A card that is not a My Number Card is refused with *card.UnsupportedCard and its
// session closed.
func NewIDCheckCard(sess *card.Session, test bool) (*IDCheckCard, error) {
	if sess == nil {
		return nil, errors.New("no card session")
	}
	if k := sess.Kind(); k != card.KindMyNumberCard {
		sess.Close()
		return nil, &card.UnsupportedCard{Kind: k, Label: sess.Label()}
	}
	return &IDCheckCard{sess: sess, test: test}, nil
}

// Session returns the card session.
func (c *IDCheckCard) Session() *card.Session { return c.sess }

// Test reports whether this is the software test card.
func (c *IDCheckCard) Test() bool { return c.test }

// IDCheckState is what the clerk sees before the PIN is asked for.
type IDCheckState struct {
	// CardID names the card without personal data (card.ShortID of the authentication
	// certificate).
	CardID string
	// Auth is the authentication PIN's status: when Blocked, no PIN field is shown; when
	// Left is 1, the last try needs a confirmation.
	Auth card.PINStatus
	// Text is the text application PIN's status, read only when needText was set (a
	// separate counter on real cards, even when the holder chose the same digits).
	Text *card.PINStatus
}

// Prepare reads the authentication certificate and its CA certificate (no PIN) and the
// tries left of the authentication PIN (and of the text PIN when needText), spending
// none.
func (c *IDCheckCard) Prepare(needText bool) (IDCheckState, error) {
	if err := c.readCerts(); err != nil {
		return IDCheckState{}, err
	}
	st := IDCheckState{CardID: card.ShortID(c.cert)}
	var err error
	if st.Auth, err = c.sess.PINStatus(card.AuthPIN); err != nil {
		return IDCheckState{}, err
	}
	if needText {
		ts, err := c.sess.PINStatus(card.TextPIN)
		if err != nil {
			return IDCheckState{}, err
		}
		st.Text = &ts
	}
	return st, nil
}

func (c *IDCheckCard) readCerts() error {
	if c.cert != nil {
		return nil
	}
	cert, err := c.sess.AuthCertificate()
	if err != nil {
		return err
	}
	ca, err := c.sess.AuthCACertificate()
	if err != nil {
		var se *card.StatusError
		if !errors.As(err, &se) {
			return err
		}
		ca = nil // a card without EF 000B: the anchors alone build the path
	}
	c.cert, c.caCert = cert, ca
	return nil
}

// IDCheckPINs are the PINs of one check, as typed. Check clears them.
type IDCheckPINs struct {
	Auth []byte
	// AuthLastTry: the clerk confirmed sending the PIN on its last try.
	AuthLastTry bool
	// Text is the text application's PIN; nil means the same digits as Auth (the holder
	// chose one PIN for both; the card still counts them separately).
	Text        []byte
	TextLastTry bool
}

func (p IDCheckPINs) clear() {
	clear(p.Auth)
	clear(p.Text)
}

// Check runs the identity check: the authentication certificate against policy (a J-LIS
// authentication CA, validity, the authentication CRL), then a fresh 32-byte random
// challenge signed on the card with the authentication key after one VERIFY of the PIN,
// verified with the certificate, then (when the options need it, with the holder's
// consent, and only when the card passed) the four facts from the text application with
// its own PIN and integrity record. The My Number is never read.
//
// A PIN problem (*card.WrongPIN, *card.Blocked, *card.LastTry, *card.InvalidPIN) or a
// card that left the reader is an error and gives no report: nothing is retried. The
// report is confirmed only when every step passed; a missing or stale CRL is not a pass.
func (c *IDCheckCard) Check(policy *trust.Policy, opts IDCheckOptions, pins IDCheckPINs) (*trust.IDCheckReport, error) {
	defer pins.clear()
	if policy == nil {
		return nil, errors.New("identity check: no trust policy")
	}
	opts, err := opts.Validate()
	if err != nil {
		return nil, err
	}
	if err := c.readCerts(); err != nil {
		return nil, err
	}
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	rep := &trust.IDCheckReport{
		Mode: opts.Mode, CheckedAt: now().UTC().Truncate(time.Second), TrustStore: policy.TrustStore(),
		Test: c.test, Certificate: authCertInfo(c.cert),
	}
	var others []*x509.Certificate
	if c.caCert != nil {
		others = append(others, c.caCert)
	}
	ar := policy.CheckAuthCertificate(c.cert, others)
	rep.Revocation, rep.Checks, rep.Warnings = ar.Revocation, ar.Checks, ar.Warnings
	if ar.Certificate != nil {
		rep.Certificate.Generation = ar.Certificate.Generation
		rep.Test = rep.Test || ar.Certificate.Test
	}
	if !ar.Passed {
		rep.Reasons = append(rep.Reasons, ar.Summary)
	}

	var textPIN []byte
	if opts.NeedsTextAP() {
		src := pins.Text
		if src == nil {
			src = pins.Auth
		}
		textPIN = append(make([]byte, 0, len(src)), src...)
		defer clear(textPIN)
	}
	if err := c.challenge(rep, pins); err != nil {
		return nil, err
	}
	// The four facts are read only for a card that passed: a check that is not confirmed
	// anyway reads no personal data.
	if opts.NeedsTextAP() && ar.Passed && rep.ChallengeResponse {
		var vo []card.VerifyOption
		if pins.TextLastTry {
			vo = append(vo, card.AllowLastTry)
		}
		info, err := c.sess.ReadBasicInfo(textPIN, vo...)
		if err != nil {
			return nil, err
		}
		applyBasicInfo(rep, info, opts, rep.CheckedAt)
	}
	decideIDCheck(rep, ar, opts)
	logrus.WithFields(logrus.Fields{"card": rep.Certificate.CardID, "mode": string(rep.Mode), "outcome": string(rep.Outcome)}).Info("identity check")
	return rep, nil
}

// challenge sends a fresh random challenge to be signed with the authentication key and
// verifies the answer with the certificate. A response recorded from another check
// cannot verify: the challenge is drawn here, after the card was opened, and never
// reused.
func (c *IDCheckCard) challenge(rep *trust.IDCheckReport, pins IDCheckPINs) error {
	challenge := make([]byte, ChallengeSize)
	if _, err := io.ReadFull(rand.Reader, challenge); err != nil {
		return fmt.Errorf("identity check: drawing the challenge: %w", err)
	}
	digest := sha256.Sum256(challenge)
	var vo []card.VerifyOption
	if pins.AuthLastTry {
		vo = append(vo, card.AllowLastTry)
	}
	auth := append(make([]byte, 0, len(pins.Auth)), pins.Auth...)
	sig, err := c.sess.Authenticate(auth, crypto.SHA256, digest[:], vo...)
	if err != nil {
		return err
	}
	check := trust.Check{Name: trust.CheckChallengeResponse, Passed: true, Detail: trust.Message{Key: MsgIDChallengeOK}}
	if err := trust.VerifyChallengeResponse(c.cert, challenge, sig); err != nil {
		check.Passed, check.Detail = false, trust.Message{Key: MsgIDChallengeFailed}
		rep.Reasons = append(rep.Reasons, check.Detail)
	}
	rep.ChallengeResponse = check.Passed
	rep.Checks = append(rep.Checks, check)
	return nil
}

// applyBasicInfo puts into the report what the mode may show of the four facts, and
// nothing else: the age mode's answer, the address mode's match, or (identity mode with
// WithBasicInfo) the facts.
func applyBasicInfo(rep *trust.IDCheckReport, info *card.BasicInfo, opts IDCheckOptions, at time.Time) {
	rep.Checks = append(rep.Checks, trust.Check{Name: trust.CheckTextIntegrity, Passed: true, Detail: trust.Message{Key: MsgIDTextConsistent}})
	integ := &trust.TextAPIntegrity{Consistent: true, IssuerSignature: "not-verified"}
	switch {
	case opts.IssuerKey == nil:
		rep.Warnings = append(rep.Warnings, trust.Message{Key: MsgIDIssuerNotVerified})
	case info.Integrity != nil && info.Integrity.CheckSignature(opts.IssuerKey) == nil:
		integ.IssuerSignature = "verified"
		rep.Warnings = append(rep.Warnings, trust.Message{Key: MsgIDIssuerVerified})
	default:
		integ.IssuerSignature = "failed"
		rep.Reasons = append(rep.Reasons, trust.Message{Key: MsgIDIssuerFailed})
	}
	rep.TextAP = integ
	switch opts.Mode {
	case trust.IDCheckAge:
		rep.Age = &trust.AgeResult{Threshold: opts.AgeThreshold, Over: atLeast(info.BirthDate, opts.AgeThreshold, at)}
	case trust.IDCheckAddress:
		rep.Address = &trust.AddressResult{Prefix: opts.AddressPrefix, Match: addressHasPrefix(info.Address, opts.AddressPrefix)}
	case trust.IDCheckIdentity:
		rep.BasicInfo = &trust.BasicFacts{Name: info.Name, Address: info.Address, BirthDate: isoDate(info.BirthDate), Sex: info.Sex}
	}
}

// decideIDCheck sets the outcome and the summary.
func decideIDCheck(rep *trust.IDCheckReport, ar *trust.AuthCertResult, opts IDCheckOptions) {
	ok := ar.Passed && rep.ChallengeResponse && (rep.TextAP == nil || rep.TextAP.IssuerSignature != "failed")
	switch opts.Mode {
	case trust.IDCheckAge:
		ok = ok && rep.Age != nil && rep.Age.Over
		if rep.Age != nil && !rep.Age.Over {
			rep.Reasons = append(rep.Reasons, trust.Message{Key: MsgIDAgeUnknown})
		}
	case trust.IDCheckAddress:
		ok = ok && rep.Address != nil && rep.Address.Match
		if rep.Address != nil && !rep.Address.Match {
			rep.Reasons = append(rep.Reasons, trust.Message{Key: MsgIDAddressNoMatch, Args: []string{rep.Address.Prefix}})
		}
	}
	if !ok {
		rep.Outcome, rep.Summary = trust.IDNotConfirmed, trust.Message{Key: MsgIDNotConfirmed}
		return
	}
	rep.Outcome = trust.IDConfirmed
	switch opts.Mode {
	case trust.IDCheckAge:
		rep.Summary = trust.Message{Key: MsgIDAgeOver, Args: []string{strconv.Itoa(opts.AgeThreshold)}}
	case trust.IDCheckAddress:
		rep.Summary = trust.Message{Key: MsgIDAddressMatch, Args: []string{rep.Address.Prefix}}
	default:
		rep.Summary = trust.Message{Key: MsgIDConfirmed}
	}
}

// jst is Japan Standard Time: ages are counted in Japanese calendar days.
var jst = time.FixedZone("JST", 9*60*60)

// atLeast reports whether someone born on birth (YYYYMMDD) is at least years old at at,
// in Japan time. The age is reached at the start of the birthday (for 29 February, of 1
// March in other years: Act on Counting Age, Civil Code art. 143). A birth date that is
// not a valid date gives false.
func atLeast(birth string, years int, at time.Time) bool {
	b, err := time.ParseInLocation("20060102", birth, jst)
	if err != nil {
		return false
	}
	return !at.In(jst).Before(b.AddDate(years, 0, 0))
}

// isoDate turns YYYYMMDD into YYYY-MM-DD (unchanged when it is not 8 characters).
func isoDate(d string) string {
	if len(d) != 8 {
		return d
	}
	return d[:4] + "-" + d[4:6] + "-" + d[6:]
}

// normalizeAddress folds full-width and half-width forms (NFKC) and drops spaces, so that
// 「東京都 千代田区」 and 「東京都千代田区」 compare equal.
func normalizeAddress(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, norm.NFKC.String(s))
}

// addressHasPrefix reports whether address starts with prefix, both normalized.
func addressHasPrefix(address, prefix string) bool {
	p := normalizeAddress(prefix)
	return p != "" && strings.HasPrefix(normalizeAddress(address), p)
}

// authCertInfo names the authentication certificate in the report.
func authCertInfo(c *x509.Certificate) *trust.AuthCertificateInfo {
	fp := sha256.Sum256(c.Raw)
	return &trust.AuthCertificateInfo{
		SerialSHA256: trust.SerialSHA256(c), CardID: card.ShortID(c), Issuer: c.Issuer.String(),
		NotBefore: c.NotBefore.UTC(), NotAfter: c.NotAfter.UTC(), SHA256: fmt.Sprintf("%x", fp),
	}
}

// Close ends the check: it forgets the certificates and closes the session, so nothing
// read from this card stays for the next person.
func (c *IDCheckCard) Close() error {
	c.cert, c.caCert = nil, nil
	return c.sess.Close()
}
