package flow

import (
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"

	"github.com/sirupsen/logrus"

	"github.com/mynasign/mynasign/card"
	"github.com/mynasign/mynasign/card/softcard"
	"github.com/mynasign/mynasign/trust"
)

// CardOptions choose the card to sign with.
type CardOptions struct {
	// Reader is the PC/SC reader; empty picks the only reader that holds a card.
	Reader string
	// TestCard uses the software My Number Card in-process instead of a reader, with the
	// test persona Persona (empty: the default one). Its certificates are test
	// certificates: they verify only with the test trust store.
	TestCard bool
	Persona  string
}

// ReaderChoiceError: several readers hold a card and none was chosen.
type ReaderChoiceError struct {
	Readers []string
}

func (e *ReaderChoiceError) Error() string {
	return "several readers hold a card; choose one with --reader: " + strings.Join(e.Readers, ", ")
}

// ErrNotAccepted: the chosen profile cannot sign this file (an XML file for a PDF
// profile, for example).
var ErrNotAccepted = errors.New("the signature profile cannot sign this file")

// SigningCard is a card opened for signing. Its methods are the steps of the signing
// flow, in order: PINStatus (spends nothing), Verify (one VERIFY, never repeated by this
// package), Certificate, then Sign or SignAll for every file, and Close.
type SigningCard struct {
	sess   *card.Session
	test   bool
	cert   *x509.Certificate
	chain  []*x509.Certificate
	signer crypto.Signer
}

// OpenSigningCard opens the card opts names and checks that it is a My Number Card.
func OpenSigningCard(opts CardOptions) (*SigningCard, error) {
	sess, err := openCard(opts, softcard.NewPersona)
	if err != nil {
		return nil, err
	}
	return NewSigningCard(sess, opts.TestCard)
}

// openCard opens the reader opts names (or the only one holding a card), or, for the
// test card, the software card that persona makes.
func openCard(opts CardOptions, persona func(string) (*softcard.Card, error)) (*card.Session, error) {
	if opts.TestCard {
		c, err := persona(opts.Persona)
		if err != nil {
			return nil, err
		}
		return card.Open(c)
	}
	reader := opts.Reader
	if reader == "" {
		var err error
		if reader, err = onlyReaderWithCard(); err != nil {
			return nil, err
		}
	}
	return card.OpenReader(reader, card.Options{})
}

// NewSigningCard wraps a session the caller opened (the GUI opens the reader the user
// chose, or its test card) so that the signing steps are this package's: PINStatus,
// Verify, Certificate, Sign or SignAll, Close. test says the card is the software test
// card. The SigningCard owns the session from then on: Close closes it. A card that is
// not a My Number Card is refused with *card.UnsupportedCard and its session closed.
func NewSigningCard(sess *card.Session, test bool) (*SigningCard, error) {
	if sess == nil {
		return nil, errors.New("no card session")
	}
	if k := sess.Kind(); k != card.KindMyNumberCard {
		sess.Close()
		return nil, &card.UnsupportedCard{Kind: k, Label: sess.Label()}
	}
	return &SigningCard{sess: sess, test: test}, nil
}

func onlyReaderWithCard() (string, error) {
	st, err := card.ReaderStatuses()
	if err != nil {
		return "", err
	}
	if len(st) == 0 {
		return "", card.ErrNoReader
	}
	var with []string
	for _, r := range st {
		if r.CardPresent {
			with = append(with, r.Name)
		}
	}
	switch len(with) {
	case 0:
		return "", card.ErrNoCard
	case 1:
		return with[0], nil
	}
	return "", &ReaderChoiceError{Readers: with}
}

// Test reports whether this is the software test card.
func (c *SigningCard) Test() bool { return c.test }

// Session returns the card session (for callers that need more of the card).
func (c *SigningCard) Session() *card.Session { return c.sess }

// PINStatus reads the signature password's tries left without spending one.
func (c *SigningCard) PINStatus() (card.PINStatus, error) {
	return c.sess.PINStatus(card.SignPassword)
}

// Verify sends the signature password once. With one try left it is sent only when
// allowLastTry says the user confirmed; a wrong password is returned as *card.WrongPIN
// or *card.Blocked and never retried. pin is cleared before Verify returns.
func (c *SigningCard) Verify(pin []byte, allowLastTry bool) error {
	defer clear(pin)
	var opts []card.VerifyOption
	if allowLastTry {
		opts = append(opts, card.AllowLastTry)
	}
	return c.sess.VerifySignPIN(pin, opts...)
}

// Certificate reads the signature certificate (after Verify) and the CA certificate
// to embed with it.
func (c *SigningCard) Certificate() (*x509.Certificate, []*x509.Certificate, error) {
	if c.cert != nil {
		return c.cert, c.chain, nil
	}
	cert, err := c.sess.SignCertificate()
	if err != nil {
		return nil, nil, err
	}
	var chain []*x509.Certificate
	if ca, err := c.sess.SignCACertificate(); err == nil {
		chain = append(chain, ca)
	}
	signer, err := c.sess.Signer()
	if err != nil {
		return nil, nil, err
	}
	c.cert, c.chain, c.signer = cert, chain, signer
	return cert, chain, nil
}

// SignJob is one file to sign and where its output goes.
type SignJob struct {
	Input, Output string
}

// FileProgress reports the signing of one file of a batch.
type FileProgress struct {
	Index, Count int // 0-based index of the file, number of files
	Input        string
	Done, Total  int64 // bytes written of the current output
}

// FileResult is the outcome of one file of a batch.
type FileResult struct {
	Job    SignJob
	Result *SignResult
	Err    error
}

// Sign signs one file with the card (after Verify and Certificate).
func (c *SigningCard) Sign(ctx context.Context, profile SignProfile, job SignJob, opts SignOptions, policy *trust.Policy, progress func(done, total int64)) (*SignResult, error) {
	if c.signer == nil {
		if _, _, err := c.Certificate(); err != nil {
			return nil, err
		}
	}
	head, err := ReadHead(job.Input)
	if err != nil {
		return nil, err
	}
	if !profile.Accepts(job.Input, head) {
		return nil, fmt.Errorf("%s: %w (%s)", job.Input, ErrNotAccepted, profile.Name)
	}
	return profile.Sign(ctx, SignRequest{Input: job.Input, Output: job.Output, Signer: c.signer,
		Certificate: c.cert, Chain: c.chain, Options: opts, Policy: policy, Progress: progress})
}

// SignAll signs every job in this card session. A failure on one file is reported in its
// result and the others still complete; a cancelled ctx stops before the next file, and
// so does a card that went away (card.IsGone): the files not tried get that error.
func (c *SigningCard) SignAll(ctx context.Context, profile SignProfile, jobs []SignJob, opts SignOptions, policy *trust.Policy, progress func(FileProgress)) []FileResult {
	out := make([]FileResult, len(jobs))
	var gone error
	for i, job := range jobs {
		out[i].Job = job
		if err := ctx.Err(); err != nil {
			out[i].Err = err
			continue
		}
		if gone != nil {
			out[i].Err = gone
			continue
		}
		var fp func(done, total int64)
		if progress != nil {
			progress(FileProgress{Index: i, Count: len(jobs), Input: job.Input})
			fp = func(done, total int64) {
				progress(FileProgress{Index: i, Count: len(jobs), Input: job.Input, Done: done, Total: total})
			}
		}
		out[i].Result, out[i].Err = c.Sign(ctx, profile, job, opts, policy, fp)
		if out[i].Err != nil {
			logrus.WithField("file", i+1).WithError(out[i].Err).Info("a file could not be signed")
			if card.IsGone(out[i].Err) {
				gone = out[i].Err
			}
		}
	}
	return out
}

// Close logs the card out (the verified password is forgotten) and closes it.
func (c *SigningCard) Close() error {
	c.sess.Logout()
	return c.sess.Close()
}

// SignFilesRequest is a whole signing run: one card, one password, many files.
type SignFilesRequest struct {
	Card    CardOptions
	Profile string
	Jobs    []SignJob
	Options SignOptions
	Policy  *trust.Policy
	// AskPIN is called once, after the tries left were read, with that status; it returns
	// the password as typed and whether the user confirmed sending it on the last try.
	// It is not called for a blocked password.
	AskPIN func(st card.PINStatus) (pin []byte, confirmedLastTry bool, err error)
	// Confirm, when set, sees the certificate before anything is signed (to show what it
	// discloses); an error stops the run.
	Confirm  func(cert *x509.Certificate, test bool) error
	Progress func(FileProgress)
}

// SignFiles runs the signing flow: check the options against every file (CheckOptions),
// open the card, read the tries left, ask for the password, one VERIFY, read the
// certificate, sign every file in the same session. The error is for the run as a whole;
// per-file failures are in the results.
func SignFiles(ctx context.Context, req SignFilesRequest) ([]FileResult, error) {
	profile, ok := LookupSignProfile(req.Profile)
	if !ok {
		return nil, fmt.Errorf("unknown signature profile %q", req.Profile)
	}
	inputs := make([]string, len(req.Jobs))
	for i, j := range req.Jobs {
		inputs[i] = j.Input
	}
	if err := CheckOptions(profile, inputs, req.Options); err != nil {
		return nil, err
	}
	c, err := OpenSigningCard(req.Card)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	return c.run(ctx, profile, req)
}

func (c *SigningCard) run(ctx context.Context, profile SignProfile, req SignFilesRequest) ([]FileResult, error) {
	st, err := c.PINStatus()
	if err != nil {
		return nil, err
	}
	if st.Blocked {
		return nil, &card.Blocked{Kind: card.SignPassword}
	}
	if !st.Verified {
		pin, lastOK, err := req.AskPIN(st)
		if err != nil {
			clear(pin)
			return nil, err
		}
		if err := c.Verify(pin, lastOK); err != nil {
			return nil, err
		}
	}
	cert, _, err := c.Certificate()
	if err != nil {
		return nil, err
	}
	if req.Confirm != nil {
		if err := req.Confirm(cert, c.test); err != nil {
			return nil, err
		}
	}
	return c.SignAll(ctx, profile, req.Jobs, req.Options, req.Policy, req.Progress), nil
}
