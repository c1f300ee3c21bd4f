package record

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/app/version"
	"github.com/mynasign/mynasign/internal/atomicfile"
	"github.com/mynasign/mynasign/trust"
)

// Scope says which records Write produces.
type Scope int

// Scopes; combine with |.
const (
	PerFile  Scope = 1 << iota // one record per file
	PerBatch                   // one record for all the files: totals, a list, then every file
)

// Format is an output format of a record; combine with |.
type Format int

// Formats.
const (
	PDF Format = 1 << iota
	HTML
)

// Options controls what a record shows and how it is written.
type Options struct {
	// Lang is the language of the record (Japanese when empty or unsupported).
	Lang i18n.Lang
	// ShowPersonalData includes the signer's name, address, birth date, sex, the
	// certificate subject and the holder's municipality (the CRL partition: distribution
	// point, partition CRL's scope and file). Off by default: the record then says they
	// were left out (see trust.MaskPersonalData).
	ShowPersonalData bool
	// At is true when the validation time was chosen by the user (--at) rather than
	// being the time of the verification; the record says so.
	At bool
	// Version is the app version written in the record (default: version.String()).
	Version string
	// Created is the time the record is made (default: now).
	Created time.Time
	// Scope selects per-file and/or batch records (default: PerFile for one report,
	// PerFile|PerBatch for more).
	Scope Scope
	// Formats selects PDF and/or HTML (default: both).
	Formats Format
}

func (o Options) withDefaults(n int) Options {
	if o.Version == "" {
		o.Version = version.String()
	}
	if o.Created.IsZero() {
		o.Created = time.Now()
	}
	if o.Scope == 0 {
		o.Scope = PerFile
		if n > 1 {
			o.Scope |= PerBatch
		}
	}
	if o.Formats == 0 {
		o.Formats = PDF | HTML
	}
	return o
}

// RenderPDF writes one record covering reports as PDF: a per-file record for one report,
// a batch record (totals, a list, then each file) for several.
func RenderPDF(w io.Writer, reports []*trust.DocumentReport, opts Options) error {
	opts = opts.withDefaults(len(reports))
	doc, err := layoutPDF(buildModel(reports, &opts), &opts)
	if err != nil {
		return err
	}
	_, err = doc.WriteTo(w)
	return err
}

// RenderHTML writes the same record as RenderPDF, as a self-contained HTML page.
func RenderHTML(w io.Writer, reports []*trust.DocumentReport, opts Options) error {
	opts = opts.withDefaults(len(reports))
	return writeHTML(w, buildModel(reports, &opts))
}

// Write writes the records for reports into dir (created if needed) and returns the
// paths of the files written, in order. Per-file records are named
// "record-<file name>-<first 8 hex digits of its SHA-256>.pdf|.html"; the batch record
// "batch-record-<YYYYMMDD-HHMMSS>.pdf|.html". Each file is written to a temporary name
// and renamed into place when complete. Nil reports are skipped.
func Write(reports []*trust.DocumentReport, opts Options, dir string) ([]string, error) {
	var rs []*trust.DocumentReport
	for _, r := range reports {
		if r != nil {
			rs = append(rs, r)
		}
	}
	if len(rs) == 0 {
		return nil, errors.New("record: no reports")
	}
	opts = opts.withDefaults(len(rs))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("record: %w", err)
	}
	var written []string
	// emit writes one record in the chosen formats and returns the paths written.
	emit := func(base string, reports []*trust.DocumentReport) ([]string, error) {
		var out []string
		if opts.Formats&PDF != 0 {
			var buf bytes.Buffer
			if err := RenderPDF(&buf, reports, opts); err != nil {
				return out, err
			}
			p, err := writeFile(dir, base+".pdf", buf.Bytes())
			if err != nil {
				return out, err
			}
			out = append(out, p)
		}
		if opts.Formats&HTML != 0 {
			var buf bytes.Buffer
			if err := RenderHTML(&buf, reports, opts); err != nil {
				return out, err
			}
			p, err := writeFile(dir, base+".html", buf.Bytes())
			if err != nil {
				return out, err
			}
			out = append(out, p)
		}
		return out, nil
	}
	if opts.Scope&PerBatch != 0 {
		base := "batch-record-" + opts.Created.In(jst).Format("20060102-150405")
		paths, err := emit(base, rs)
		written = append(written, paths...)
		if err != nil {
			return written, err
		}
	}
	if opts.Scope&PerFile != 0 {
		// Names first (in order, collisions resolved), then the records in parallel.
		used := map[string]bool{}
		bases := make([]string, len(rs))
		for i, r := range rs {
			bases[i] = uniqueBase(recordBase(r), used)
		}
		paths := make([][]string, len(rs))
		errs := make([]error, len(rs))
		next := make(chan int)
		var wg sync.WaitGroup
		for range min(runtime.GOMAXPROCS(0), len(rs)) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					paths[i], errs[i] = emit(bases[i], []*trust.DocumentReport{rs[i]})
				}
			}()
		}
		for i := range rs {
			next <- i
		}
		close(next)
		wg.Wait()
		for i := range rs {
			written = append(written, paths[i]...)
			if errs[i] != nil {
				return written, errs[i]
			}
		}
	}
	return written, nil
}

// recordBase is the file name (without extension) of a per-file record.
func recordBase(r *trust.DocumentReport) string {
	id := r.SHA256
	if len(id) < 8 {
		sum := sha256.Sum256([]byte(r.File))
		id = hex.EncodeToString(sum[:])
	}
	return "record-" + safeName(filepath.Base(r.File)) + "-" + id[:8]
}

// safeName makes s usable as part of a file name on every desktop system.
func safeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == utf8.RuneError, unicode.IsControl(r), strings.ContainsRune(`<>:"/\|?*`, r):
			b.WriteRune('_')
		default:
			b.WriteRune(r)
		}
	}
	out := strings.Trim(b.String(), ". ")
	for len(out) > 120 { // keep well under the usual 255-byte limit
		_, size := utf8.DecodeLastRuneInString(out)
		out = out[:len(out)-size]
	}
	if out == "" {
		out = "file"
	}
	return out
}

// uniqueBase avoids two records of one run landing on the same name (two copies of a
// file in different folders, say).
func uniqueBase(base string, used map[string]bool) string {
	name := base
	for i := 2; used[name]; i++ {
		name = fmt.Sprintf("%s-%d", base, i)
	}
	used[name] = true
	return name
}

// writeFile writes data to dir/name through a temporary file and a rename
// (internal/atomicfile: a termination signal removes the temporary file, and no record
// is put in place after one).
func writeFile(dir, name string, data []byte) (string, error) {
	dst := filepath.Join(dir, name)
	if err := atomicfile.WriteFile(dst, data, atomicfile.Options{Perm: 0o644}); err != nil {
		return "", fmt.Errorf("record: writing %s: %w", name, err)
	}
	return dst, nil
}
