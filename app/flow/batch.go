package flow

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/mynasign/mynasign/internal/tempfile"
	"github.com/mynasign/mynasign/trust"
)

// DocStatus is a document's bottom line in a batch.
type DocStatus string

// Document statuses. Only DocPassed counts as a pass.
const (
	DocPassed        DocStatus = "passed"        // at least one signature, every one TOTAL-PASSED
	DocFailed        DocStatus = "failed"        // a signature is TOTAL-FAILED
	DocIndeterminate DocStatus = "indeterminate" // a signature is INDETERMINATE (and none failed)
	DocUnsigned      DocStatus = "unsigned"      // a document without any signature
	DocError         DocStatus = "error"         // the file could not be read or is not a document mynasign knows
)

// StatusOf classifies a report. A document passes only when it has at least one
// signature and every signature, and the document's own indication, is TOTAL-PASSED.
func StatusOf(r *trust.DocumentReport) DocStatus {
	switch {
	case r == nil || r.Error != nil:
		return DocError
	case len(r.Signatures) == 0:
		return DocUnsigned
	}
	worst := DocPassed
	for _, s := range r.Signatures {
		switch s.Indication {
		case trust.TotalPassed:
		case trust.TotalFailed:
			worst = DocFailed
		default: // INDETERMINATE, or anything a verifier did not fill in
			if worst != DocFailed {
				worst = DocIndeterminate
			}
		}
	}
	if worst == DocPassed && r.Indication != trust.TotalPassed {
		// The verifier saw something about the document as a whole.
		if r.Indication == trust.TotalFailed {
			return DocFailed
		}
		return DocIndeterminate
	}
	return worst
}

// BatchTotals counts the documents of a batch by status.
type BatchTotals struct {
	Files         int `json:"files"`
	Passed        int `json:"passed"`
	Failed        int `json:"failed"`
	Indeterminate int `json:"indeterminate"`
	Unsigned      int `json:"unsigned"`
	Errors        int `json:"errors"`
}

// Add counts one more document.
func (t *BatchTotals) Add(s DocStatus) {
	t.Files++
	switch s {
	case DocPassed:
		t.Passed++
	case DocFailed:
		t.Failed++
	case DocIndeterminate:
		t.Indeterminate++
	case DocUnsigned:
		t.Unsigned++
	default:
		t.Errors++
	}
}

// AllPassed reports whether there was at least one document and every one passed.
func (t BatchTotals) AllPassed() bool { return t.Files > 0 && t.Passed == t.Files }

// BatchProgress is reported after each document of a batch.
type BatchProgress struct {
	Done, Total int
	// Index is the position of Report in BatchResult.Reports.
	Index  int
	Report *trust.DocumentReport
}

// BatchOptions configures VerifyBatch.
type BatchOptions struct {
	// Policy validates the certificates (required). It is shared by all workers.
	Policy *trust.Policy
	// Workers is the number of documents verified at once (default: the number of CPUs).
	Workers int
	// MemoryBudget bounds the total memory of the documents being verified at once (as
	// their verifiers estimate it, else their sizes), so that big files do not all sit in
	// memory together; a file costing more than the budget is verified alone. Default
	// 512 MiB.
	MemoryBudget int64
	// MaxFileSize is the largest zip entry the batch extracts (default 2 GiB); a bigger
	// one gets an error report.
	MaxFileSize int64
	// MaxZipTotal is the most bytes the entries of one zip may declare together
	// (default 8 GiB); a bigger zip, or one whose entries overlap, is refused whole
	// before anything is extracted, and an entry that expands more than 200 times is
	// refused alone (zip bombs, ziplimits.go).
	MaxZipTotal int64
	// Verifiers are the document kinds to recognize (default: the registered ones).
	Verifiers []Verifier
	// Progress, when set, is called after each document, from one goroutine at a time.
	Progress func(BatchProgress)
}

// BatchResult is the outcome of a batch: one report per document, in the order of the
// paths given (folders and zips in name order).
type BatchResult struct {
	Reports []*trust.DocumentReport
	Totals  BatchTotals
	// ValidationTime and TrustStore are the policy's.
	ValidationTime time.Time
	TrustStore     string
}

// Message keys of the errors a batch puts into DocumentReport.Error.
const (
	MsgBatchUnknownKind = "batch.error.unknown_kind" // not a PDF, XML or e-Gov document
	MsgBatchReadError   = "batch.error.read"         // %s: the error
	MsgBatchInternal    = "batch.error.internal"     // a verifier failed unexpectedly
	MsgBatchLinkOutside = "batch.error.link_outside" // a symbolic link leads out of the chosen folder
	MsgBatchZipBomb     = "batch.error.zip_bomb"     // a zip (or entry) that expands far beyond its size
)

const (
	defaultMemoryBudget = 512 << 20
	defaultMaxFileSize  = 2 << 30
)

// VerifyBatch verifies every document found under paths: files, folders (recursively)
// and zips. PDF, XML and e-Gov documents are recognized by content (the verifiers'
// Detect), not by name; a folder or zip that a verifier takes as a whole (an e-Gov
// application) is one document, any other folder or zip is walked. Hidden files, macOS
// "__MACOSX" folders, Thumbs.db and desktop.ini inside folders and zips are skipped.
//
// Every document gets a report, even one that cannot be read (Error set): one bad file
// never stops the batch. VerifyBatch returns an error only for bad options or when ctx
// is cancelled (then with the reports finished so far; the others are nil).
func VerifyBatch(ctx context.Context, paths []string, opts BatchOptions) (*BatchResult, error) {
	if opts.Policy == nil {
		return nil, errors.New("flow: VerifyBatch needs a policy")
	}
	if len(paths) == 0 {
		return nil, errors.New("flow: VerifyBatch needs at least one path")
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.MemoryBudget <= 0 {
		opts.MemoryBudget = defaultMemoryBudget
	}
	if opts.MaxFileSize <= 0 {
		opts.MaxFileSize = defaultMaxFileSize
	}
	if opts.MaxZipTotal <= 0 {
		opts.MaxZipTotal = defaultMaxZipTotal
	}
	if opts.Verifiers == nil {
		opts.Verifiers = Verifiers()
	}

	var tmpDir string
	var tmpErr error
	var tmpOnce sync.Once
	tmp := func() (string, error) {
		// Registered with package tempfile: a termination signal removes it too, and the
		// folders of batches killed outright are swept.
		tmpOnce.Do(func() { tmpDir, tmpErr = tempfile.MkdirSystemTemp("mynasign-batch") })
		return tmpDir, tmpErr
	}
	defer func() {
		if tmpDir != "" {
			tempfile.Remove(tmpDir)
		}
	}()

	w := &walker{verifiers: opts.Verifiers, maxSize: opts.MaxFileSize, maxTotal: opts.MaxZipTotal, tmp: tmp, ctx: ctx}
	w.walkPaths(paths)
	defer func() {
		// Archives whose entries were not all verified (cancelled) are closed here.
		for _, a := range w.archives {
			a.mu.Lock()
			if a.pending > 0 {
				a.pending = 0
				a.rc.Close()
			}
			a.mu.Unlock()
		}
	}()

	res := &BatchResult{
		Reports:        make([]*trust.DocumentReport, len(w.units)),
		ValidationTime: opts.Policy.ValidationTime(),
		TrustStore:     opts.Policy.TrustStore(),
	}
	b := &batchRun{opts: &opts, tmp: tmp, mem: newBudget(opts.MemoryBudget)}

	jobs := make(chan int)
	var wg sync.WaitGroup
	var progressMu sync.Mutex
	done := 0
	for i := 0; i < min(opts.Workers, max(len(w.units), 1)); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for idx := range jobs {
				r := b.verify(ctx, w.units[idx])
				progressMu.Lock()
				res.Reports[idx] = r
				done++
				if opts.Progress != nil {
					opts.Progress(BatchProgress{Done: done, Total: len(w.units), Index: idx, Report: r})
				}
				progressMu.Unlock()
			}
		}()
	}
	var cancelled error
feed:
	for i := range w.units {
		select {
		case jobs <- i:
		case <-ctx.Done():
			cancelled = ctx.Err()
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if cancelled == nil {
		cancelled = ctx.Err()
	}
	for _, r := range res.Reports {
		if r != nil {
			res.Totals.Add(StatusOf(r))
		}
	}
	return res, cancelled
}

// batchRun holds what the workers share.
type batchRun struct {
	opts *BatchOptions
	tmp  func() (string, error)
	mem  *budget
}

// verify produces the report of one unit; it never returns nil and never panics.
func (b *batchRun) verify(ctx context.Context, u *unit) (rep *trust.DocumentReport) {
	if u.arc != nil {
		defer u.arc.done()
	}
	defer func() {
		if p := recover(); p != nil {
			// A verifier bug must not end the batch. The log names neither the file
			// (its name may be personal) nor the report; the stack goes to debug.
			logrus.WithField("panic", fmt.Sprint(p)).Error("batch: a verifier failed unexpectedly")
			logrus.Debug(string(debug.Stack()))
			rep = b.errorReport(u, message(MsgBatchInternal, fmt.Sprint(p)))
		}
		rep.File = u.name
		if rep.ValidationTime.IsZero() {
			rep.ValidationTime = b.opts.Policy.ValidationTime()
		}
		if rep.TrustStore == "" {
			rep.TrustStore = b.opts.Policy.TrustStore()
		}
	}()
	if errors.Is(u.err, errLinkOutside) {
		return b.errorReport(u, message(MsgBatchLinkOutside))
	}
	if errors.Is(u.err, errZipBomb) {
		return b.errorReport(u, message(MsgBatchZipBomb))
	}
	if u.err != nil {
		return b.errorReport(u, message(MsgBatchReadError, u.err.Error()))
	}

	path := u.path
	if u.entry != nil {
		dir, err := b.tmp()
		if err == nil {
			path, err = extractEntry(ctx, u.entry, dir, b.opts.MaxFileSize)
		}
		if err != nil {
			return b.errorReport(u, message(MsgBatchReadError, err.Error()))
		}
		defer os.Remove(path)
	}
	head, err := ReadHead(path)
	if err != nil {
		return b.errorReport(u, message(MsgBatchReadError, b.cleanErr(err, path, u)))
	}
	var v *Verifier
	for i := range b.opts.Verifiers {
		if b.opts.Verifiers[i].Detect(path, head) {
			v = &b.opts.Verifiers[i]
			break
		}
	}
	if v == nil {
		r := b.errorReport(u, message(MsgBatchUnknownKind))
		r.SHA256, _ = fileSHA256(path)
		return r
	}
	// Hold a share of the memory budget for as long as the file is being verified: what
	// its verifier says it costs, else its size.
	cost := u.size
	if v.Memory != nil {
		cost = v.Memory(path, u.size)
	}
	b.mem.acquire(cost)
	defer b.mem.release(cost)
	r, err := v.Verify(ctx, path, b.opts.Policy)
	if err != nil || r == nil {
		msg := "no report"
		if err != nil {
			msg = b.cleanErr(err, path, u)
		}
		r = b.errorReport(u, message(MsgBatchReadError, msg))
		r.Kind = v.Name
	}
	if r.Kind == "" {
		r.Kind = v.Name
	}
	if r.Signatures == nil {
		r.Signatures = []trust.SignatureReport{}
	}
	return r
}

// cleanErr is err's text with a zip entry's temporary path replaced by its name.
func (b *batchRun) cleanErr(err error, path string, u *unit) string {
	s := err.Error()
	if u.entry != nil {
		s = strings.ReplaceAll(s, path, u.name)
	}
	return s
}

func (b *batchRun) errorReport(u *unit, m trust.Message) *trust.DocumentReport {
	return &trust.DocumentReport{
		File:           u.name,
		Error:          &m,
		Signatures:     []trust.SignatureReport{},
		ValidationTime: b.opts.Policy.ValidationTime(),
		TrustStore:     b.opts.Policy.TrustStore(),
	}
}

// message builds a trust.Message (a translation key and its arguments).
func message(key string, args ...string) trust.Message {
	return trust.Message{Key: key, Args: args}
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// budget is a counting semaphore over bytes.
type budget struct {
	mu    sync.Mutex
	cond  *sync.Cond
	total int64
	used  int64
}

func newBudget(total int64) *budget {
	b := &budget{total: total}
	b.cond = sync.NewCond(&b.mu)
	return b
}

func (b *budget) clamp(n int64) int64 { return max(min(n, b.total), 0) }

func (b *budget) acquire(n int64) {
	n = b.clamp(n)
	b.mu.Lock()
	for b.used+n > b.total {
		b.cond.Wait()
	}
	b.used += n
	b.mu.Unlock()
}

func (b *budget) release(n int64) {
	n = b.clamp(n)
	b.mu.Lock()
	b.used -= n
	b.mu.Unlock()
	b.cond.Broadcast()
}
