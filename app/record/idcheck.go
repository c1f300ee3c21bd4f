package record

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/trust"
)

// RenderIDCheckPDF writes the printable record of one identity check (本人確認記録) as
// PDF: what was checked, when, against which CRL, and the outcome. The four basic facts
// appear only when the report holds them (the clerk chose to read them) and
// opts.ShowPersonalData is set; no PIN and no My Number are ever in a report.
func RenderIDCheckPDF(w io.Writer, rep *trust.IDCheckReport, opts Options) error {
	opts = opts.withDefaults(1)
	doc, err := layoutPDF(buildIDCheckModel(rep, &opts), &opts)
	if err != nil {
		return err
	}
	_, err = doc.WriteTo(w)
	return err
}

// RenderIDCheckHTML writes the same record as RenderIDCheckPDF, as a self-contained HTML
// page.
func RenderIDCheckHTML(w io.Writer, rep *trust.IDCheckReport, opts Options) error {
	opts = opts.withDefaults(1)
	return writeHTML(w, buildIDCheckModel(rep, &opts))
}

// WriteIDCheck writes the record of rep into dir (created if needed), as
// "idcheck-record-<YYYYMMDD-HHMMSS>-<card ID>.pdf|.html", and returns the paths written.
func WriteIDCheck(rep *trust.IDCheckReport, opts Options, dir string) ([]string, error) {
	if rep == nil {
		return nil, errors.New("record: no identity check")
	}
	opts = opts.withDefaults(1)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("record: %w", err)
	}
	base := "idcheck-record-" + rep.CheckedAt.In(jst).Format("20060102-150405")
	if rep.Certificate != nil && rep.Certificate.CardID != "" {
		base += "-" + rep.Certificate.CardID
	}
	var written []string
	for _, f := range []struct {
		format Format
		ext    string
		render func(io.Writer, *trust.IDCheckReport, Options) error
	}{{PDF, ".pdf", RenderIDCheckPDF}, {HTML, ".html", RenderIDCheckHTML}} {
		if opts.Formats&f.format == 0 {
			continue
		}
		var buf bytes.Buffer
		if err := f.render(&buf, rep, opts); err != nil {
			return written, err
		}
		p, err := writeFile(dir, base+f.ext, buf.Bytes())
		if err != nil {
			return written, err
		}
		written = append(written, p)
	}
	return written, nil
}

func buildIDCheckModel(rep *trust.IDCheckReport, opts *Options) *model {
	b := &builder{l: i18n.New(opts.Lang), opts: opts}
	b.m = &model{Lang: string(b.l.Lang()), Title: b.t("record.idcheck.title"), Footer: b.t("record.idcheck.footer", opts.Version)}
	b.add(block{Kind: blockPara, Text: b.t("record.idcheck.intro")})
	personal := b.t("record.idcheck.personal.none")
	if rep.BasicInfo != nil {
		personal = b.t("record.personal_data.hidden_short")
		if opts.ShowPersonalData {
			personal = b.t("record.idcheck.personal.shown")
		}
	}
	b.rows(
		row{Label: b.t("record.created"), Value: b.time(opts.Created)},
		row{Label: b.t("record.app_version"), Value: "mynasign " + opts.Version, Mono: true},
		row{Label: b.t("record.idcheck.checked_at"), Value: b.time(rep.CheckedAt)},
		row{Label: b.t("record.idcheck.mode"), Value: b.t("record.idcheck.mode." + string(rep.Mode))},
		row{Label: b.t("record.trust_store"), Value: b.trustStore(rep.TrustStore)},
		row{Label: b.t("record.personal_data"), Value: personal},
	)

	v := &verdict{Tone: toneFail, Headline: b.t("idcheck.not_confirmed"), Sentence: b.msg(rep.Summary)}
	if rep.Outcome == trust.IDConfirmed {
		v.Tone, v.Headline = tonePass, b.t("idcheck.confirmed")
	}
	var reasons []string
	for _, r := range rep.Reasons {
		reasons = append(reasons, b.msg(r))
	}
	v.Reason = strings.Join(reasons, "\n")
	b.add(block{Kind: blockVerdict, Verdict: v})

	b.idcheckResults(rep)
	if c := rep.Certificate; c != nil {
		b.heading(3, b.t("record.idcheck.certificate"))
		b.rows(
			row{Label: b.t("record.idcheck.card_id"), Value: c.CardID, Mono: true},
			row{Label: b.t("record.idcheck.serial_sha256"), Value: c.SerialSHA256, Mono: true},
			row{Label: b.t("record.field.issuer"), Value: c.Issuer},
			row{Label: b.t("record.field.generation"), Value: c.Generation, Mono: true},
			row{Label: b.t("record.field.validity"), Value: b.time(c.NotBefore) + " – " + b.time(c.NotAfter)},
			row{Label: b.t("record.field.fingerprint"), Value: c.SHA256, Mono: true},
		)
	}
	b.revocation(&trust.SignatureReport{Revocation: rep.Revocation, ValidationTime: rep.CheckedAt})
	b.checksAndWarnings(rep.Checks, rep.Warnings)
	return b.m
}

// idcheckResults shows what the mode may show: the age answer, the address match, or
// (opted in) the four facts.
func (b *builder) idcheckResults(rep *trust.IDCheckReport) {
	cr, crTone := b.t("record.check.failed"), toneFail
	if rep.ChallengeResponse {
		cr, crTone = b.t("record.check.passed"), tonePass
	}
	rows := []row{{Label: b.t("record.idcheck.challenge"), Value: cr, Tone: crTone}}
	if a := rep.Age; a != nil {
		ans, tn := b.t("idcheck.age.unknown"), toneFail
		if a.Over {
			ans, tn = b.t("idcheck.age.over", a.Threshold), tonePass
		}
		rows = append(rows, row{Label: b.t("record.idcheck.age", a.Threshold), Value: ans, Tone: tn})
	}
	if a := rep.Address; a != nil {
		ans, tn := b.t("idcheck.address.no_match", a.Prefix), toneFail
		if a.Match {
			ans, tn = b.t("idcheck.address.match", a.Prefix), tonePass
		}
		rows = append(rows, row{Label: b.t("record.idcheck.address"), Value: ans, Tone: tn})
	}
	if t := rep.TextAP; t != nil {
		rows = append(rows, row{Label: b.t("record.idcheck.text_integrity"), Value: b.t("record.idcheck.issuer." + t.IssuerSignature)})
	}
	b.rows(rows...)
	if f := rep.BasicInfo; f != nil {
		b.heading(3, b.t("record.idcheck.basic_info"))
		if !b.opts.ShowPersonalData {
			b.add(block{Kind: blockPara, Text: b.t("record.personal_data.hidden_short")})
			return
		}
		b.rows(
			row{Label: b.t("record.field.name"), Value: f.Name},
			row{Label: b.t("record.field.address"), Value: f.Address},
			row{Label: b.t("record.field.birth"), Value: f.BirthDate},
			row{Label: b.t("record.field.sex"), Value: b.t("record.idcheck.sex." + f.Sex)},
		)
	}
}

// checksAndWarnings lists the checks carried out and the warnings.
func (b *builder) checksAndWarnings(checks []trust.Check, warnings []trust.Message) {
	if len(checks) > 0 {
		b.heading(3, b.t("record.checks"))
		t := &table{
			Head:    []string{b.t("record.col.check"), b.t("record.col.outcome"), b.t("record.col.detail")},
			Widths:  []float64{0.3, 0.16, 0.54},
			ToneCol: 1, MonoCol: -1,
		}
		for _, c := range checks {
			name := b.optional("record.check." + string(c.Name))
			if name == "" {
				name = string(c.Name)
			}
			outcome, tn := b.t("record.check.failed"), toneFail
			if c.Passed {
				outcome, tn = b.t("record.check.passed"), tonePass
			}
			t.Rows = append(t.Rows, []string{name, outcome, b.msg(c.Detail)})
			t.Tones = append(t.Tones, tn)
		}
		b.add(block{Kind: blockTable, Table: t})
	}
	if len(warnings) > 0 {
		b.heading(3, b.t("record.warnings"))
		var items []string
		for _, w := range warnings {
			items = append(items, b.msg(w))
		}
		b.add(block{Kind: blockList, Items: items})
	}
}
