package trust

import (
	"bytes"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/mynasign/mynasign/internal/tsp"

	"github.com/mynasign/mynasign/internal/atomicfile"
)

// maxAnchorFile bounds a certificate file read by AddFiles.
const maxAnchorFile = 1 << 20

// maxAnchorName bounds a user-given anchor name, in characters.
const maxAnchorName = 200

// AnchorError is a refused certificate: the file it came from and why, as a message.
type AnchorError struct {
	File   string
	Reason Message
	Err    error // the underlying error, if any
}

// Error describes the refusal in English.
func (e *AnchorError) Error() string {
	s := e.File + ": " + e.Reason.Key
	if len(e.Reason.Args) > 0 {
		s += " " + strings.Join(e.Reason.Args, ", ")
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying error.
func (e *AnchorError) Unwrap() error { return e.Err }

// AddStatus says what Add did with one certificate.
type AddStatus string

// AddStatus values (the JSON encoding).
const (
	AnchorAdded   AddStatus = "added"
	AnchorAlready AddStatus = "already" // the store already trusts this certificate: left as it was
)

// AddedAnchor is the outcome for one certificate of an addition.
type AddedAnchor struct {
	Status AddStatus  `json:"status"`
	File   string     `json:"file"` // the input it came from
	Anchor UserAnchor `json:"anchor"`
}

// AnchorInput is one certificate file to add: its name (for messages) and content.
type AnchorInput struct {
	File string
	Data []byte
}

// AddOptions are the choices of an addition: what the anchors are trusted for and,
// optionally, their name (the default is the subject's CN, else its O, else the subject).
type AddOptions struct {
	Purpose AnchorPurpose
	Name    string
}

// AddFiles reads certificate files (DER or PEM, one or more certificates each) and adds
// them (see Add).
func (s *AnchorStore) AddFiles(opts AddOptions, paths ...string) ([]AddedAnchor, error) {
	in, err := ReadAnchorFiles(paths...)
	if err != nil {
		return nil, err
	}
	return s.Add(opts, in...)
}

// ReadAnchorFiles reads certificate files for Check or Add; an unreadable or oversized
// file is an *AnchorError naming it.
func ReadAnchorFiles(paths ...string) ([]AnchorInput, error) {
	var in []AnchorInput
	for _, p := range paths {
		b, err := readLimited(p, maxAnchorFile)
		if err != nil {
			return nil, &AnchorError{File: p, Reason: Message{Key: MsgAnchorUnreadable}, Err: err}
		}
		in = append(in, AnchorInput{File: p, Data: b})
	}
	return in, nil
}

// Add adds CA certificates to the store. It is all or nothing: every certificate is
// checked first (a CA certificate — basicConstraints CA=true, keyCertSign when it has a
// keyUsage —, not one of the built-in J-LIS anchors) and the first refusal is returned
// as an *AnchorError with nothing written. A certificate the store already holds is
// reported as AnchorAlready and left unchanged (its name and purpose too).
func (s *AnchorStore) Add(opts AddOptions, inputs ...AnchorInput) ([]AddedAnchor, error) {
	out, err := s.Check(opts, inputs...)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating the trust anchor store: %w", err)
	}
	unlock, err := lockDir(s.dir, "the trust anchor store", errAnchorStoreBusy)
	if err != nil {
		return nil, err
	}
	defer unlock()
	return out, s.install(out, time.Now().UTC().Truncate(time.Second))
}

// Check is Add without writing anything: it refuses what Add would refuse and describes
// the anchors Add would add (subject, fingerprint, validity), for a person to compare the
// fingerprint with the one the CA publishes before adding. Every entry is AnchorAdded:
// whether the store holds one already is only known when adding.
func (s *AnchorStore) Check(opts AddOptions, inputs ...AnchorInput) ([]AddedAnchor, error) {
	if len(inputs) == 0 {
		return nil, errors.New("no certificate files given")
	}
	name, err := cleanAnchorName(opts.Name)
	if err != nil {
		return nil, &AnchorError{File: "--name", Reason: Message{Key: MsgAnchorBadName}, Err: err}
	}
	builtin, err := productionAnchors()
	if err != nil {
		return nil, err
	}
	var out []AddedAnchor
	for _, in := range inputs {
		certs, err := parseCertificates(in.Data)
		if err != nil {
			return nil, &AnchorError{File: in.File, Reason: Message{Key: MsgAnchorNotCertificate}, Err: err}
		}
		for _, c := range certs {
			if err := checkAnchorCert(c, opts.Purpose); err != nil {
				return nil, err.withFile(in.File)
			}
			for _, b := range builtin {
				if bytes.Equal(b.Cert.Raw, c.Raw) {
					return nil, &AnchorError{File: in.File, Reason: Message{Key: MsgAnchorBuiltin, Args: []string{b.Generation}}}
				}
			}
			ua := UserAnchor{Name: name, Purpose: opts.Purpose, Cert: c}
			if ua.Name == "" {
				ua.Name = defaultAnchorName(c)
			}
			describeUserAnchor(&ua)
			out = append(out, AddedAnchor{Status: AnchorAdded, File: in.File, Anchor: ua})
		}
	}
	return out, nil
}

// install writes the anchors that the store does not hold yet; the caller holds the lock.
func (s *AnchorStore) install(list []AddedAnchor, now time.Time) error {
	seen := map[string]bool{}
	for i := range list {
		a := &list[i]
		final := filepath.Join(s.dir, a.Anchor.File)
		if seen[a.Anchor.File] {
			a.Status = AnchorAlready
			continue
		}
		seen[a.Anchor.File] = true
		// A damaged file of the same certificate is replaced by the good one.
		if _, err := os.Stat(final); err == nil {
			if old := s.read(a.Anchor.File); old.Problem == nil {
				a.Status, a.Anchor = AnchorAlready, old
				continue
			}
		}
		a.Anchor.Added = now
		rec := anchorRecord{Format: anchorFormat, Name: a.Anchor.Name, Purpose: a.Anchor.Purpose, Added: now, Certificate: a.Anchor.Cert.Raw}
		b, err := json.MarshalIndent(rec, "", "  ")
		if err != nil {
			return fmt.Errorf("encoding trust anchor %s: %w", a.Anchor.ID, err)
		}
		if err := atomicfile.WriteFile(filepath.Join(s.dir, a.Anchor.File), append(b, '\n'), atomicfile.Options{}); err != nil {
			return fmt.Errorf("storing trust anchor %s: %w", a.Anchor.ID, err)
		}
	}
	return nil
}

// anchorRefusal is a certificate refused as an anchor, before the file is known.
type anchorRefusal struct{ reason Message }

func (r *anchorRefusal) Error() string { return r.reason.Key }

func (r *anchorRefusal) withFile(file string) *AnchorError {
	return &AnchorError{File: file, Reason: r.reason}
}

// checkAnchorCert accepts a CA certificate: basicConstraints with CA=true and, when it has
// a keyUsage, keyCertSign. For the time-stamp purpose, a time-stamping authority's own
// certificate (extendedKeyUsage timeStamping only, critical) is accepted too: many
// authorities publish it rather than their CA.
func checkAnchorCert(c *x509.Certificate, purpose AnchorPurpose) *anchorRefusal {
	if purpose == PurposeTimestamp && !c.IsCA && tsp.TimeStampingOnly(c) {
		return nil
	}
	if !c.BasicConstraintsValid || !c.IsCA {
		return &anchorRefusal{Message{Key: MsgAnchorNotCA, Args: []string{nameString(c.RawSubject)}}}
	}
	if c.KeyUsage != 0 && c.KeyUsage&x509.KeyUsageCertSign == 0 {
		return &anchorRefusal{Message{Key: MsgAnchorNoCertSign, Args: []string{nameString(c.RawSubject)}}}
	}
	return nil
}

// parseCertificates reads one DER certificate, or every CERTIFICATE block of a PEM file
// (anything else in it is refused).
func parseCertificates(b []byte) ([]*x509.Certificate, error) {
	trimmed := bytes.TrimSpace(b)
	if !bytes.HasPrefix(trimmed, []byte("-----BEGIN")) {
		c, err := x509.ParseCertificate(b)
		if err != nil {
			return nil, err
		}
		return []*x509.Certificate{c}, nil
	}
	var out []*x509.Certificate
	rest := trimmed
	for len(bytes.TrimSpace(rest)) > 0 {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			return nil, errors.New("text after the last PEM block is not PEM")
		}
		if block.Type != "CERTIFICATE" {
			return nil, fmt.Errorf("a PEM block of type %q, not CERTIFICATE", block.Type)
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, errors.New("no certificate")
	}
	return out, nil
}

// defaultAnchorName is the subject's common name, else its organization, else the whole
// subject.
func defaultAnchorName(c *x509.Certificate) string {
	if c.Subject.CommonName != "" {
		return c.Subject.CommonName
	}
	if len(c.Subject.Organization) > 0 && c.Subject.Organization[0] != "" {
		o := c.Subject.Organization[0]
		if len(c.Subject.OrganizationalUnit) > 0 && c.Subject.OrganizationalUnit[0] != "" {
			o += " " + c.Subject.OrganizationalUnit[len(c.Subject.OrganizationalUnit)-1]
		}
		return o
	}
	return nameString(c.RawSubject)
}

// cleanAnchorName trims a user-given name and refuses control characters and names that
// are too long.
func cleanAnchorName(s string) (string, error) {
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) {
		return "", errors.New("not UTF-8")
	}
	if utf8.RuneCountInString(s) > maxAnchorName {
		return "", fmt.Errorf("longer than %d characters", maxAnchorName)
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return "", errors.New("a control character")
		}
	}
	return s, nil
}

// readLimited reads a file of at most limit bytes.
func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, errors.New("a folder, not a certificate file")
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("larger than %d bytes: not a certificate", limit)
	}
	return b, nil
}
