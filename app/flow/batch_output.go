package flow

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/trust"
)

// BatchSchema identifies the JSON document that WriteJSON produces (README.md, "Batch
// verification (JSON/CSV)"). It changes only when a field changes meaning or goes away.
const BatchSchema = "mynasign/batch-verification/v1"

// OutputOptions controls WriteJSON and WriteCSV.
type OutputOptions struct {
	// AppVersion is written as app.version.
	AppVersion string
	// At is true when the validation time was chosen by the user (--at).
	At bool
	// ShowPersonalData keeps the signers' name, address, birth date, sex and certificate
	// subject; otherwise they are removed, with the places they name (see
	// trust.MaskPersonalData).
	ShowPersonalData bool
	// L translates the summary column of the CSV (Japanese when nil).
	L *i18n.Localizer
}

// BatchFile is one entry of the JSON "files" array: the document's status next to its
// report.
type BatchFile struct {
	Status DocStatus `json:"status"`
	*trust.DocumentReport
}

// BatchJSON is the top-level JSON object of a batch verification.
type BatchJSON struct {
	Schema string `json:"schema"`
	App    struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	} `json:"app"`
	ValidationTime time.Time `json:"validationTime"`
	// ValidationTimeChosen is true when the validation time is a past time chosen with --at.
	ValidationTimeChosen bool        `json:"validationTimeChosen"`
	TrustStore           string      `json:"trustStore"`
	PersonalData         bool        `json:"personalData"` // whether signer personal data is included
	AllPassed            bool        `json:"allPassed"`
	Totals               BatchTotals `json:"totals"`
	Files                []BatchFile `json:"files"`
}

// JSON returns the batch as its JSON object (personal data masked unless asked for).
func (r *BatchResult) JSON(opts OutputOptions) *BatchJSON {
	out := &BatchJSON{
		Schema:               BatchSchema,
		ValidationTime:       r.ValidationTime,
		ValidationTimeChosen: opts.At,
		TrustStore:           r.TrustStore,
		PersonalData:         opts.ShowPersonalData,
		AllPassed:            r.Totals.AllPassed(),
		Totals:               r.Totals,
		Files:                []BatchFile{},
	}
	out.App.Name, out.App.Version = "mynasign", opts.AppVersion
	for _, d := range r.Reports {
		if d == nil {
			continue
		}
		if !opts.ShowPersonalData {
			d = trust.MaskPersonalData(d)
		}
		out.Files = append(out.Files, BatchFile{Status: StatusOf(d), DocumentReport: d})
	}
	return out
}

// WriteJSON writes the batch as one indented JSON object.
func (r *BatchResult) WriteJSON(w io.Writer, opts OutputOptions) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r.JSON(opts))
}

// CSVHeader lists the columns of WriteCSV.
var CSVHeader = []string{
	"file", "kind", "status", "indication", "subIndication", "signatures", "sha256",
	"validationTime", "trustStore", "signer", "certificateGeneration", "crlThisUpdate",
	"crlNextUpdate", "summary", "error",
}

// CSVBOM is the UTF-8 byte order mark that WriteCSV writes first. Excel on Japanese
// Windows reads a CSV without it as Shift_JIS, and the Japanese columns become mojibake.
const CSVBOM = "\ufeff"

// WriteCSV writes one row per document (RFC 4180: CRLF line endings, header first), in
// UTF-8 beginning with a byte order mark (CSVBOM). Columns that describe signatures join
// the values of several signatures with "; ".
func (r *BatchResult) WriteCSV(w io.Writer, opts OutputOptions) error {
	l := opts.L
	if l == nil {
		l = i18n.New(i18n.Japanese)
	}
	if _, err := io.WriteString(w, CSVBOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	stamp := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	for _, d := range r.Reports {
		if d == nil {
			continue
		}
		if !opts.ShowPersonalData {
			d = trust.MaskPersonalData(d)
		}
		var signers, gens, this, next []string
		for _, s := range d.Signatures {
			if s.Signer != nil && s.Signer.Name != "" {
				signers = append(signers, s.Signer.Name)
			}
			if s.Certificate != nil && s.Certificate.Generation != "" {
				gens = append(gens, s.Certificate.Generation)
			}
			if s.Revocation != nil && s.Revocation.ThisUpdate != nil {
				this = append(this, stamp(s.Revocation.ThisUpdate))
				next = append(next, stamp(s.Revocation.NextUpdate))
			}
		}
		errText := ""
		if d.Error != nil {
			errText = translate(l, *d.Error)
		}
		row := []string{
			d.File, d.Kind, string(StatusOf(d)), string(d.Indication), string(d.SubIndication),
			fmt.Sprint(len(d.Signatures)), d.SHA256, d.ValidationTime.UTC().Format(time.RFC3339), d.TrustStore,
			strings.Join(signers, "; "), strings.Join(gens, "; "), strings.Join(this, "; "), strings.Join(next, "; "),
			translate(l, d.Summary), errText,
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// translate resolves a report message; a key without a text is shown as it is.
func translate(l *i18n.Localizer, m trust.Message) string {
	if m.Key == "" {
		return ""
	}
	args := make([]any, len(m.Args))
	for i, a := range m.Args {
		args[i] = a
	}
	if !l.Has(m.Key) {
		return strings.TrimSpace(m.Key + " " + strings.Join(m.Args, " "))
	}
	return l.T(m.Key, args...)
}
