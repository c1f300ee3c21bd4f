package trust

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/mynasign/mynasign/internal/atomicfile"
)

// The user anchor store: CA certificates the user chose to trust besides the built-in
// J-LIS ones (an LGPKI or GPKI CA, an accredited private CA, a time-stamping authority's
// CA). One file per anchor in a directory next to the CRL store, each written atomically
// (temporary file, fsync, rename, fsync of the directory); additions and removals
// serialize on the directory's lock file, as the CRL store's do. Readers take no lock:
// they see a whole file or none.

// anchorExt ends the name of an anchor file: <SHA-256 of the certificate, hex>.anchor.json.
const anchorExt = ".anchor.json"

// anchorFormat is the format tag of an anchor file.
const anchorFormat = "mynasign/trust-anchor/v1"

// anchorIDLen is the length of an anchor ID: a prefix of the certificate's SHA-256 (hex).
const anchorIDLen = 16

// errAnchorStoreBusy: another process held the anchor store's lock longer than lockWait.
var errAnchorStoreBusy = errors.New("another addition or removal holds the trust anchor store's lock")

// ErrUnknownAnchor: no user anchor has the ID given to Remove.
var ErrUnknownAnchor = errors.New("no user trust anchor with that ID")

// DefaultAnchorDir returns the user anchor store used when Options.AnchorDir is empty:
// <os.UserConfigDir()>/mynasign/anchors.
func DefaultAnchorDir() (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("locating the trust anchor store: %w", err)
	}
	return filepath.Join(base, "mynasign", "anchors"), nil
}

// AnchorStore is the user's trust anchor store in one directory.
type AnchorStore struct{ dir string }

// OpenAnchorStore returns the store in dir (DefaultAnchorDir() for the user's). Nothing
// is read or created until it is used; a missing directory is an empty store.
func OpenAnchorStore(dir string) *AnchorStore { return &AnchorStore{dir: dir} }

// OpenAnchorStoreFor returns the store the options name: Options.AnchorDir, or
// DefaultAnchorDir() when it is empty (what every policy built from opts reads).
func OpenAnchorStoreFor(opts Options) (*AnchorStore, error) {
	dir, err := anchorDir(opts)
	if err != nil {
		return nil, err
	}
	return OpenAnchorStore(dir), nil
}

// Dir returns the store's directory.
func (s *AnchorStore) Dir() string { return s.dir }

// UserAnchor describes one anchor of the user store.
type UserAnchor struct {
	// ID is the first 16 hex digits of the certificate's SHA-256: what Remove takes.
	ID      string        `json:"id"`
	Name    string        `json:"name"`
	Purpose AnchorPurpose `json:"purpose"`
	Added   time.Time     `json:"added"`
	Subject string        `json:"subject"`
	// SHA256 is the certificate's fingerprint (Fingerprint: upper-case hex pairs).
	SHA256    string    `json:"sha256"`
	NotBefore time.Time `json:"notBefore"`
	NotAfter  time.Time `json:"notAfter"`
	// File is the base name of the anchor's file in the store.
	File string `json:"file"`
	// Problem is set when the file cannot be read: only ID and File are then known, and
	// the anchor is not used (remove it and add the certificate again).
	Problem *Message `json:"problem,omitempty"`

	Cert *x509.Certificate `json:"-"`
}

// anchorRecord is the content of an anchor file.
type anchorRecord struct {
	Format      string        `json:"format"`
	Name        string        `json:"name"`
	Purpose     AnchorPurpose `json:"purpose"`
	Added       time.Time     `json:"added"`
	Certificate []byte        `json:"certificate"` // DER (base64 in the JSON)
}

// anchorID is the ID of a certificate.
func anchorID(c *x509.Certificate) string {
	h := sha256.Sum256(c.Raw)
	return hex.EncodeToString(h[:])[:anchorIDLen]
}

// anchorFileName names the file of a certificate.
func anchorFileName(c *x509.Certificate) string {
	h := sha256.Sum256(c.Raw)
	return hex.EncodeToString(h[:]) + anchorExt
}

// List describes every anchor of the store, by name then ID. A missing directory is an
// empty store. A file that cannot be read is listed with its ID and Problem, not fatal.
func (s *AnchorStore) List() ([]UserAnchor, error) {
	entries, err := os.ReadDir(s.dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the trust anchor store %s: %w", s.dir, err)
	}
	var out []UserAnchor
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), anchorExt) || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		out = append(out, s.read(e.Name()))
	}
	sort.Slice(out, func(i, j int) bool {
		if (out[i].Problem == nil) != (out[j].Problem == nil) {
			return out[i].Problem != nil // damaged ones first, as in the CRL list
		}
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// read loads one anchor file; a problem is recorded in the result, never returned.
func (s *AnchorStore) read(file string) UserAnchor {
	id := strings.TrimSuffix(file, anchorExt)
	if len(id) > anchorIDLen {
		id = id[:anchorIDLen]
	}
	ua := UserAnchor{ID: strings.ToLower(id), File: file}
	damaged := func(what string) UserAnchor {
		ua.Problem = &Message{Key: MsgAnchorDamaged, Args: []string{what}}
		return ua
	}
	b, err := os.ReadFile(filepath.Join(s.dir, file))
	if err != nil {
		return damaged(err.Error())
	}
	var rec anchorRecord
	if err := json.Unmarshal(b, &rec); err != nil {
		return damaged("not valid JSON: " + err.Error())
	}
	if rec.Format != anchorFormat {
		return damaged(fmt.Sprintf("unknown format %q", rec.Format))
	}
	cert, err := x509.ParseCertificate(rec.Certificate)
	if err != nil {
		return damaged("certificate: " + err.Error())
	}
	if anchorFileName(cert) != file {
		return damaged("the certificate does not match the file name")
	}
	if err := checkAnchorCert(cert, rec.Purpose); err != nil {
		return damaged(err.Error())
	}
	ua.Name, ua.Purpose, ua.Added, ua.Cert = rec.Name, rec.Purpose, rec.Added, cert
	describeUserAnchor(&ua)
	return ua
}

// describeUserAnchor fills the fields that come from the certificate.
func describeUserAnchor(ua *UserAnchor) {
	c := ua.Cert
	ua.ID = anchorID(c)
	ua.File = anchorFileName(c)
	ua.Subject = nameString(c.RawSubject)
	ua.SHA256 = Fingerprint(c)
	ua.NotBefore, ua.NotAfter = c.NotBefore.UTC(), c.NotAfter.UTC()
}

// Remove deletes the anchor with the given ID (as List shows it; case-insensitive, or
// the whole hex SHA-256). A damaged file can be removed too. It returns what was
// removed, or ErrUnknownAnchor. Built-in anchors are not in the store: they cannot be
// removed.
func (s *AnchorStore) Remove(id string) (*UserAnchor, error) {
	id = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(id), ":", ""))
	if len(id) < anchorIDLen || strings.ContainsAny(id, `/\.`) {
		return nil, fmt.Errorf("%w: %q", ErrUnknownAnchor, id)
	}
	if _, err := os.Stat(s.dir); errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w: %q", ErrUnknownAnchor, id)
	}
	unlock, err := lockDir(s.dir, "the trust anchor store", errAnchorStoreBusy)
	if err != nil {
		return nil, err
	}
	defer unlock()
	list, err := s.List()
	if err != nil {
		return nil, err
	}
	for _, ua := range list {
		full := strings.TrimSuffix(ua.File, anchorExt)
		if ua.ID != id && full != id {
			continue
		}
		if err := os.Remove(filepath.Join(s.dir, ua.File)); err != nil {
			return nil, fmt.Errorf("removing trust anchor %s: %w", ua.ID, err)
		}
		atomicfile.SyncDir(s.dir)
		return &ua, nil
	}
	return nil, fmt.Errorf("%w: %q", ErrUnknownAnchor, id)
}

// loadUserAnchors returns the usable anchors of the store in dir as trust anchors
// (damaged files are left out: List shows them).
func loadUserAnchors(dir string) ([]*Anchor, error) {
	list, err := OpenAnchorStore(dir).List()
	if err != nil {
		return nil, err
	}
	var out []*Anchor
	for _, ua := range list {
		if ua.Problem != nil {
			continue
		}
		a := NewAnchor(ua.Cert, KindNotJPKI, "", false, "user:"+ua.File)
		a.User, a.Name, a.Purpose = true, ua.Name, ua.Purpose
		out = append(out, a)
	}
	return out, nil
}
