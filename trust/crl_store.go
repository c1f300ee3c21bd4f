package trust

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/mynasign/mynasign/internal/atomicfile"
)

// Store is the local CRL cache: one index file per CRL scope (issuer key + partition) in a
// directory, each replaced atomically by a newer CRL of its scope. See formats.md §4.
//
// Several processes may read a store while one imports into it: readers see either the
// old or the new index of a scope, never a partial one. Imports and removals serialize
// on the store's lock file (see Store.lock): each verifies and stages its CRLs without
// the lock, then, holding it, compares them with what the store holds at that moment and
// renames the newer ones into place. Two concurrent imports of one scope therefore end
// with the newer CRL installed, whichever finishes first.
type Store struct {
	dir string
}

// OpenStore returns the store in dir (DefaultCRLDir() for the user's). Nothing is read or
// created until it is used; a missing directory is an empty store.
func OpenStore(dir string) *Store { return &Store{dir: dir} }

// Dir returns the store's directory.
func (s *Store) Dir() string { return s.dir }

// ImportStatus says what an import did with one CRL.
type ImportStatus string

// ImportStatus values (the JSON encoding).
const (
	// ImportAdded: the CRL is now the store's CRL for its scope.
	ImportAdded ImportStatus = "imported"
	// ImportUnchanged: the store already holds this CRL number for the scope.
	ImportUnchanged ImportStatus = "unchanged"
	// ImportOlder: the store (or the same import) holds a newer CRL for the scope; the
	// older one was not stored.
	ImportOlder ImportStatus = "older"
)

// ImportedCRL is the outcome for one CRL of an import.
type ImportedCRL struct {
	File   string       `json:"file"`
	Status ImportStatus `json:"status"`
	CRL    CRLInfo      `json:"crl"`
	// Kept is the CRL the store keeps for the scope when Status is not ImportAdded; when
	// it is, Replaced is the CRL that was superseded (nil for a new scope).
	Kept     *CRLInfo `json:"kept,omitempty"`
	Replaced *CRLInfo `json:"replaced,omitempty"`
}

// ImportResult lists what an import did.
type ImportResult struct {
	CRLs []ImportedCRL `json:"crls"`
	// Skipped lists files of folders and zips that were not looked at (not named like a
	// CRL: .crl, .der, .pem, .arl).
	Skipped []string `json:"skipped,omitempty"`
}

// ImportError is a failed import: every CRL that was refused, each naming its file. When
// an import returns one, the store is exactly as it was.
type ImportError struct {
	Errors []*CRLError
}

// Error lists every refused file in English.
func (e *ImportError) Error() string {
	parts := make([]string, len(e.Errors))
	for i, ce := range e.Errors {
		parts[i] = ce.Error()
	}
	return "CRL import failed (nothing was changed): " + strings.Join(parts, "; ")
}

// Unwrap returns the individual errors.
func (e *ImportError) Unwrap() []error {
	out := make([]error, len(e.Errors))
	for i, ce := range e.Errors {
		out[i] = ce
	}
	return out
}

// signersOf lists the CAs whose CRLs a trust store accepts: its anchors.
func signersOf(ts *TrustStore) []crlSigner {
	out := make([]crlSigner, 0, len(ts.Anchors))
	for _, a := range ts.Anchors {
		out = append(out, crlSigner{cert: a.Cert, anchor: a, keyID: a.KeyID})
	}
	return out
}

// Import reads CRL files (DER or PEM), folders of them and zip archives, verifies each CRL
// against the trust store's CAs and stores it as the CRL of its scope unless the store
// already has a newer one. It is all or nothing: if any CRL is refused (malformed,
// truncated, unknown issuer, bad signature, delta CRL, unknown critical extension, dated
// more than crlClockSkew in the future, nextUpdate before thisUpdate, a serial number
// listed twice, …) an *ImportError names every refused file and the store is left
// exactly as it was. Concurrent imports into one store are safe (see Store).
func (s *Store) Import(ts *TrustStore, paths ...string) (*ImportResult, error) {
	return s.importWith(signersOf(ts), paths, time.Now())
}

// staged is a verified CRL written to a temporary index file, waiting to be committed.
type staged struct {
	unit   crlUnit
	info   CRLInfo
	number *big.Int
	tmp    string
	final  string
	derTmp string // the CRL itself (DER), kept next to the index (see rawPath)
	commit bool   // decide: this one becomes the scope's CRL
}

func (s *Store) importWith(signers []crlSigner, paths []string, now time.Time) (*ImportResult, error) {
	if len(paths) == 0 {
		return nil, errors.New("no CRL files given")
	}
	units, skipped, release, err := expandInputs(paths)
	defer release()
	if err != nil {
		var ce *CRLError
		if errors.As(err, &ce) {
			return nil, &ImportError{Errors: []*CRLError{ce}}
		}
		return nil, err
	}
	createdDir := false
	if _, err := os.Stat(s.dir); errors.Is(err, os.ErrNotExist) {
		if err := os.MkdirAll(s.dir, 0o700); err != nil {
			return nil, &ImportError{Errors: []*CRLError{{File: s.dir, Reason: Message{Key: MsgCRLStore, Args: []string{errText(err)}}, Err: err}}}
		}
		createdDir = true
	}
	removeStaleTemps(s.dir, now) // before staging: never this import's own files
	var stage []*staged
	var failures []*CRLError
	cleanup := func() {
		for _, st := range stage {
			os.Remove(st.tmp)
			os.Remove(st.derTmp)
		}
		if createdDir {
			os.Remove(s.dir) // only succeeds when empty
		}
	}
	stage, failures = s.stageAll(units, signers, now)
	if len(failures) > 0 {
		cleanup()
		return nil, &ImportError{Errors: failures}
	}

	// Per scope: the newest of this import, compared with what the store has. The
	// comparison and the renames run under the store's lock, so that a concurrent import
	// that installed a newer CRL meanwhile is seen and never rolled back.
	unlock, err := s.lock()
	if err != nil {
		cleanup()
		key := MsgCRLStore
		args := []string{errText(err)}
		if errors.Is(err, errStoreBusy) {
			key, args = MsgCRLStoreBusy, nil
		}
		return nil, &ImportError{Errors: []*CRLError{{File: s.dir, Reason: Message{Key: key, Args: args}, Err: err}}}
	}
	defer unlock()
	res := s.decide(stage, now)
	if testHookDecided != nil {
		testHookDecided()
	}
	for _, sk := range skipped {
		res.Skipped = append(res.Skipped, sk.name)
	}
	var commits []*staged
	for _, st := range stage {
		if st.commit {
			commits = append(commits, st)
		} else {
			os.Remove(st.tmp)
			os.Remove(st.derTmp)
		}
	}
	for i, st := range commits {
		// The CRL's own bytes first: an index is never installed without them (a reader
		// checks that the two agree, see Policy.ValidationData).
		err := os.Rename(st.derTmp, rawPath(st.final))
		if err == nil {
			err = os.Rename(st.tmp, st.final)
		}
		if err != nil {
			for _, rest := range commits[i:] {
				os.Remove(rest.tmp)
				os.Remove(rest.derTmp)
			}
			return res, &ImportError{Errors: []*CRLError{{File: st.unit.name, Reason: Message{Key: MsgCRLStore, Args: []string{errText(err)}}, Err: err}}}
		}
	}
	atomicfile.SyncDir(s.dir)
	return res, nil
}

// testHookDecided, when set (by tests), runs between an import's decision and its
// renames: a test widens that window to show that a concurrent import cannot use it.
var testHookDecided func()

// decide compares each staged CRL with the others of its scope in this import and with
// the one the store holds, and marks the ones to install (staged.commit). The caller
// holds the store's lock, so what it reads from the store stays true until it renames.
func (s *Store) decide(stage []*staged, now time.Time) *ImportResult {
	res := &ImportResult{}
	best := map[string]*staged{}
	for _, st := range stage {
		if b, ok := best[st.final]; !ok || newer(st.info, st.number, b.info, b.number) {
			best[st.final] = st
		}
	}
	for _, st := range stage {
		out := ImportedCRL{File: st.unit.name, CRL: st.info}
		if b := best[st.final]; b != st {
			out.Status, out.Kept = ImportOlder, &b.info
			if sameCRL(st, b) {
				out.Status = ImportUnchanged
			}
			res.CRLs = append(res.CRLs, out)
			continue
		}
		existing, err := readHeaderFile(st.final)
		switch {
		case err != nil:
			// No CRL yet for the scope, or an unreadable index: replaced by a verified CRL.
			out.Status, st.commit = ImportAdded, true
		case checkCRLDates("", existing.ThisUpdate, existing.NextUpdate, now) != nil:
			// Stored by an earlier version, which did not refuse impossible dates: it does
			// not count as newer than anything.
			out.Status, out.Replaced, st.commit = ImportAdded, existing, true
		default:
			exNum := parseNumber(existing.Number)
			switch {
			case newer(st.info, st.number, *existing, exNum):
				out.Status, out.Replaced, st.commit = ImportAdded, existing, true
			case existing.SHA256 == st.info.SHA256 || (exNum != nil && st.number != nil && exNum.Cmp(st.number) == 0):
				out.Status, out.Kept = ImportUnchanged, existing
			default:
				out.Status, out.Kept = ImportOlder, existing
			}
		}
		res.CRLs = append(res.CRLs, out)
	}
	return res
}

func sameCRL(a, b *staged) bool {
	return a.info.SHA256 == b.info.SHA256 || (a.number != nil && b.number != nil && a.number.Cmp(b.number) == 0)
}

// newer reports whether CRL a supersedes CRL b of the same scope: a higher CRL number,
// or, when either has none, a later thisUpdate.
func newer(a CRLInfo, an *big.Int, b CRLInfo, bn *big.Int) bool {
	if an != nil && bn != nil {
		return an.Cmp(bn) > 0
	}
	return a.ThisUpdate.After(b.ThisUpdate)
}

func parseNumber(s string) *big.Int {
	if s == "" {
		return nil
	}
	n, ok := new(big.Int).SetString(s, 10)
	if !ok {
		return nil
	}
	return n
}

// stageWorkers is how many CRLs an import verifies and stages at once: more than the
// processors, so that one CRL's parsing overlaps other CRLs' file creation and fsync
// (which dominate for small CRLs; the file system commits concurrent flushes together).
// Their memory is small: a small CRL is at most maxSmallCRL bytes, and CRLs larger than
// that (whose sorted records may take much memory) are staged one at a time.
func stageWorkers(units int) int {
	return max(1, min(units, max(8, 2*runtime.GOMAXPROCS(0)), 16))
}

// stageAll stages every unit (in parallel, see stageWorkers) and returns the staged CRLs
// and the refusals, both in the units' order.
func (s *Store) stageAll(units []crlUnit, signers []crlSigner, now time.Time) ([]*staged, []*CRLError) {
	done := make([]*staged, len(units))
	errs := make([]*CRLError, len(units))
	next := make(chan int)
	var wg sync.WaitGroup
	var large sync.Mutex // one CRL larger than maxSmallCRL at a time: bounds the memory
	for w := stageWorkers(len(units)); w > 0; w-- {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				done[i], errs[i] = s.stageUnit(units[i], signers, now, &large)
			}
		}()
	}
	for i := range units {
		next <- i
	}
	close(next)
	wg.Wait()
	var stage []*staged
	var failures []*CRLError
	for i := range units {
		if errs[i] != nil {
			failures = append(failures, errs[i])
		} else {
			stage = append(stage, done[i])
		}
	}
	return stage, failures
}

// stageUnit verifies one CRL and writes its index to a temporary file in the store.
// Small CRLs are staged in parallel; large ones hold the large lock, one at a time.
func (s *Store) stageUnit(u crlUnit, signers []crlSigner, now time.Time, large *sync.Mutex) (*staged, *CRLError) {
	u, err := u.small()
	if err != nil {
		return nil, unitError(u, err)
	}
	if u.size == 0 { // not held in memory: a large CRL, whose records may take a lot
		large.Lock()
		defer large.Unlock()
	}
	var tmpPath string
	info, number, cerr := buildCRL(u, signers, now, func(info *CRLInfo, keyWidth int, recs []byte) error {
		f, err := os.CreateTemp(s.dir, ".import-*"+indexExt+".tmp")
		if err != nil {
			return err
		}
		tmpPath = f.Name()
		w := bufio.NewWriterSize(f, min(1<<20, 4096+len(recs)))
		if err := writeIndex(w, info, keyWidth, recs); err != nil {
			f.Close()
			return err
		}
		if err := w.Flush(); err != nil {
			f.Close()
			return err
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	})
	if cerr != nil {
		if tmpPath != "" {
			os.Remove(tmpPath)
		}
		return nil, cerr
	}
	derTmp, err := s.stageRaw(u)
	if err != nil {
		os.Remove(tmpPath)
		return nil, &CRLError{File: u.name, Reason: Message{Key: MsgCRLStore, Args: []string{errText(err)}}, Err: err}
	}
	return &staged{unit: u, info: *info, number: number, tmp: tmpPath, derTmp: derTmp, final: filepath.Join(s.dir, indexFileName(info))}, nil
}

// indexFileName names a scope's index: the issuer key, then a hash of the scope.
func indexFileName(in *CRLInfo) string {
	h := sha256.New()
	h.Write([]byte(in.IssuerKeySHA256))
	h.Write([]byte{0})
	h.Write(in.IssuerDER)
	for _, n := range in.ScopeNames {
		h.Write([]byte{1})
		h.Write(n)
	}
	for _, u := range in.ScopeURIs {
		h.Write([]byte{2})
		h.Write([]byte(u))
	}
	if in.OnlyUserCerts {
		h.Write([]byte("user"))
	}
	if in.OnlyCACerts {
		h.Write([]byte("ca"))
	}
	key := in.IssuerKeySHA256
	if len(key) > 16 {
		key = key[:16]
	}
	return key + "-" + hex.EncodeToString(h.Sum(nil)[:8]) + indexExt
}

// buildCRL reads a CRL twice: the first pass checks it and its signature, the second
// collects the entries into sorted records that write receives.
func buildCRL(u crlUnit, signers []crlSigner, now time.Time, write func(*CRLInfo, int, []byte) error) (*CRLInfo, *big.Int, *CRLError) {
	p, sum, err := parseUnit(u, nil)
	if err != nil {
		return nil, nil, unitError(u, err)
	}
	signer, err := p.findSigner(signers)
	if err != nil {
		return nil, nil, unitError(u, err)
	}
	if cerr := checkCRLDates(u.name, p.thisUpdate, p.nextUpdate, now); cerr != nil {
		return nil, nil, cerr
	}
	info := &CRLInfo{
		Issuer:        nameString(p.issuer),
		IssuerDER:     p.issuer,
		IssuerKeyID:   hex.EncodeToString(p.authorityKey),
		ThisUpdate:    p.thisUpdate,
		NextUpdate:    p.nextUpdate,
		Entries:       p.entries,
		SHA256:        hex.EncodeToString(sum),
		File:          filepath.Base(u.name),
		ImportedAt:    now.UTC().Truncate(time.Second),
		ScopeNames:    p.scopeNames,
		OnlyUserCerts: p.onlyUser,
		OnlyCACerts:   p.onlyCA,
		Scope:         "whole",
	}
	if archive, entry, ok := strings.Cut(u.name, "!"); ok {
		info.File = filepath.Base(archive) + "!" + entry
	}
	keySum := sha256.Sum256(signer.cert.RawSubjectPublicKeyInfo)
	info.IssuerKeySHA256 = hex.EncodeToString(keySum[:])
	if info.IssuerKeyID == "" {
		info.IssuerKeyID = hex.EncodeToString(signer.keyID)
	}
	if signer.anchor != nil {
		info.Generation, info.Kind, info.Test = signer.anchor.Generation, signer.anchor.Kind, signer.anchor.Test
	}
	if p.number != nil {
		info.Number = p.number.String()
	}
	if p.idpPresent {
		var names []string
		for _, n := range p.scopeNames {
			names = append(names, nameString(n))
		}
		switch {
		case len(names) > 0:
			info.Scope = strings.Join(names, " | ")
		case len(p.scopeURIs) > 0:
			// An HTTP (or LDAP) location: it covers the certificates whose
			// cRLDistributionPoints name that location.
			info.Scope = strings.Join(p.scopeURIs, " | ")
			info.ScopeURIs = p.scopeURIs
		case p.idpOtherNames:
			info.Scope = "(a distribution point that is not a directory name)"
			info.ScopeNames = [][]byte{{}} // matches no certificate
		}
	}

	rb, err := newRecordBuilder(p.entries, p.maxSerialLen)
	if err != nil {
		return nil, nil, unitError(u, err)
	}
	p2, sum2, err := parseUnit(u, rb.add)
	if err != nil {
		return nil, nil, unitError(u, err)
	}
	if !bytes.Equal(sum, sum2) || p2.entries != p.entries {
		return nil, nil, unitError(u, refuse(MsgCRLChanged))
	}
	recs, dup := rb.sortRecords()
	if dup != nil {
		return nil, nil, &CRLError{File: u.name, Reason: Message{Key: MsgCRLDuplicateSerial, Args: []string{serialText(dup)}}, Err: ErrCRLDuplicateSerial}
	}
	if err := write(info, rb.keyWidth, recs); err != nil {
		return nil, nil, &CRLError{File: u.name, Reason: Message{Key: MsgCRLStore, Args: []string{errText(err)}}, Err: err}
	}
	return info, p.number, nil
}

// parseUnit runs one pass of the parser over a unit and returns the file's SHA-256.
func parseUnit(u crlUnit, visit crlEntryFunc) (*parsedCRL, []byte, error) {
	br, finish, closer, err := u.reader()
	if err != nil {
		return nil, nil, err
	}
	defer closer.Close()
	// The first pass (no visit) hashes the TBSCertList for the signature; the second
	// relies on the whole file's hash being the same as in the first.
	p, err := parseCRL(br, visit, visit == nil)
	if err != nil {
		return nil, nil, err
	}
	sum, err := finish()
	if err != nil {
		return nil, nil, err
	}
	return p, sum, nil
}

// unitError turns a parser or I/O error into a CRLError naming the unit.
func unitError(u crlUnit, err error) *CRLError {
	var pe *parseError
	var ce *CRLError
	switch {
	case errors.As(err, &ce):
		return ce
	case errors.As(err, &pe):
		return &CRLError{File: u.name, Reason: Message{Key: pe.key, Args: pe.args}}
	case errors.Is(err, errTruncated), errors.Is(err, io.ErrUnexpectedEOF):
		return &CRLError{File: u.name, Reason: Message{Key: MsgCRLTruncated}, Err: err}
	default:
		return &CRLError{File: u.name, Reason: Message{Key: MsgCRLRead, Args: []string{errText(err)}}, Err: err}
	}
}

// List describes every CRL in the store, sorted by kind, generation and scope. A missing
// directory is an empty store. A CRL whose index file cannot be read does not hide the
// others: it is listed first, with only its ID and CRLInfo.Problem, so that it can be
// removed and imported again.
func (s *Store) List() ([]CRLInfo, error) {
	matches, err := filepath.Glob(filepath.Join(s.dir, "*"+indexExt))
	if err != nil {
		return nil, fmt.Errorf("listing the CRL store %s: %w", s.dir, err)
	}
	var out []CRLInfo
	for _, m := range matches {
		in, err := readHeaderFile(m)
		var ie *IndexError
		switch {
		case errors.Is(err, os.ErrNotExist):
			continue // removed meanwhile
		case errors.As(err, &ie):
			out = append(out, damagedCRLInfo(ie))
			continue
		case err != nil:
			return nil, fmt.Errorf("reading the CRL store: %w", err)
		}
		in.ID = crlIDFromFile(m)
		out = append(out, *in)
	}
	sortCRLs(out)
	return out, nil
}

func sortCRLs(list []CRLInfo) {
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if (a.Problem != nil) != (b.Problem != nil) {
			return a.Problem != nil // unreadable ones first: they need the user
		}
		if a.Test != b.Test {
			return !a.Test
		}
		if a.Kind != b.Kind {
			return a.Kind > b.Kind // signature before authentication
		}
		if a.Generation != b.Generation {
			return a.Generation > b.Generation // newest generation first
		}
		return a.Scope < b.Scope
	})
}

// dirSource serves the CRLs of a store directory to the revocation check. Only the index
// files named with the issuer key's prefix are opened, so an unreadable index affects
// only its own issuer: for that issuer the error is an *IndexError (the revocation check
// is then INDETERMINATE naming the CRL), because the unreadable CRL may be one that lists
// the certificate.
type dirSource struct{ dir string }

func (d dirSource) crlsByIssuerKey(key [32]byte) ([]crlSet, func(), error) {
	full := hex.EncodeToString(key[:])
	matches, err := filepath.Glob(filepath.Join(d.dir, full[:16]+"-*"+indexExt))
	if err != nil {
		return nil, func() {}, err
	}
	var sets []crlSet
	var opened []*crlIndex
	release := func() {
		for _, x := range opened {
			x.close()
		}
	}
	for _, m := range matches {
		x, err := openIndexFile(m)
		if errors.Is(err, os.ErrNotExist) {
			continue // replaced or removed meanwhile
		}
		if err != nil {
			release()
			return nil, func() {}, err
		}
		opened = append(opened, x)
		if x.in.IssuerKeySHA256 == full {
			sets = append(sets, x)
		}
	}
	return sets, release, nil
}

// memorySource serves CRL indexes held in memory (the test store's built-in CRLs).
type memorySource struct {
	byKey map[string][]crlSet
}

func (m *memorySource) crlsByIssuerKey(key [32]byte) ([]crlSet, func(), error) {
	return m.byKey[hex.EncodeToString(key[:])], func() {}, nil
}

// multiSource combines sources.
type multiSource []crlSource

func (ms multiSource) crlsByIssuerKey(key [32]byte) ([]crlSet, func(), error) {
	var all []crlSet
	var releases []func()
	release := func() {
		for _, r := range releases {
			r()
		}
	}
	for _, s := range ms {
		sets, rel, err := s.crlsByIssuerKey(key)
		if err != nil {
			release()
			return nil, func() {}, err
		}
		all, releases = append(all, sets...), append(releases, rel)
	}
	return all, release, nil
}

// buildMemoryIndex verifies a CRL held in memory and indexes it in memory: a built-in test
// CRL, or (embedded set) one a signature or document carried.
func buildMemoryIndex(name string, der []byte, signers []crlSigner, now time.Time, embedded bool) (*crlIndex, error) {
	u := crlUnit{name: name, pemBlock: -1, open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(der)), nil }}
	var buf bytes.Buffer
	_, _, cerr := buildCRL(u, signers, now, func(info *CRLInfo, keyWidth int, recs []byte) error {
		info.Builtin, info.Embedded = !embedded, embedded
		return writeIndex(&buf, info, keyWidth, recs)
	})
	if cerr != nil {
		return nil, cerr
	}
	x, err := openIndexBytes(buf.Bytes())
	if err != nil {
		return nil, err
	}
	x.der = der
	return x, nil
}

// newPolicySource combines the store directory with the trust store's built-in CRLs.
func newPolicySource(store *TrustStore, dir string, builtin bool) (crlSource, error) {
	src := multiSource{dirSource{dir: dir}}
	if !builtin || len(store.builtinCRLs) == 0 {
		return src, nil
	}
	mem := &memorySource{byKey: map[string][]crlSet{}}
	signers := signersOf(store)
	for _, name := range store.sortedBuiltinCRLs() {
		x, err := buildMemoryIndex(name, store.builtinCRLs[name], signers, time.Now(), false)
		if err != nil {
			return nil, fmt.Errorf("built-in CRL: %w", err)
		}
		mem.byKey[x.in.IssuerKeySHA256] = append(mem.byKey[x.in.IssuerKeySHA256], x)
	}
	return append(src, mem), nil
}

// removeStaleTemps deletes temporary index files an interrupted import or removal left
// behind (an hour old or more; a running import's are younger).
func removeStaleTemps(dir string, now time.Time) {
	matches, _ := filepath.Glob(filepath.Join(dir, ".import-*"+indexExt+".tmp"))
	raws, _ := filepath.Glob(filepath.Join(dir, ".import-*"+rawExt+".tmp"))
	matches = append(matches, raws...)
	removing, _ := filepath.Glob(filepath.Join(dir, removingPrefix+"*"+indexExt+".tmp"))
	for _, m := range append(matches, removing...) {
		if st, err := os.Stat(m); err == nil && now.Sub(st.ModTime()) > time.Hour {
			os.Remove(m)
		}
	}
}
