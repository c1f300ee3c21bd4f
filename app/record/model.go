package record

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/mynasign/mynasign/app/i18n"
	"github.com/mynasign/mynasign/trust"
)

// A record is built once as a list of blocks in the user's language, then laid out as
// PDF or HTML: both show exactly the same text.

type tone int

const (
	toneNeutral tone = iota
	tonePass
	toneFail
	toneIndeterminate
)

func (t tone) class() string {
	return [...]string{"neutral", "pass", "fail", "indeterminate"}[t]
}

type blockKind int

const (
	blockHeading blockKind = iota // Text, Level 1 (file) or 2 (signature) or 3 (part)
	blockVerdict                  // Verdict
	blockRows                     // Rows (label: value)
	blockTable                    // Table
	blockPara                     // Text
	blockList                     // Items
)

type row struct {
	Label string
	Value string
	Mono  bool // a hash, serial or other code: never hyphenated or translated
	Tone  tone
}

type table struct {
	Head    []string
	Widths  []float64 // relative column widths
	Rows    [][]string
	Tones   []tone // per row, applied to column ToneCol
	ToneCol int
	MonoCol int // -1 for none
}

type verdict struct {
	Tone     tone
	Headline string // plain words: 有効 / 無効 / 判定不能 …
	Sentence string // what it means
	Reason   string // the sub-indication in plain words (empty when none)
	ETSI     string // e.g. "TOTAL-FAILED / HASH_FAILURE"
}

type block struct {
	Kind    blockKind
	Level   int
	Text    string
	Verdict *verdict
	Rows    []row
	Table   *table
	Items   []string
}

type model struct {
	Lang   string
	Title  string
	Blocks []block
	Footer string // app name and version
}

// status is a document's bottom line for a record and for batch totals.
type status string

const (
	statusPassed        status = "TOTAL-PASSED"
	statusFailed        status = "TOTAL-FAILED"
	statusIndeterminate status = "INDETERMINATE"
	statusUnsigned      status = "unsigned"
	statusError         status = "error"
)

// documentStatus classifies r. A document passes only with at least one signature and
// every signature TOTAL-PASSED, whatever the report's own indication says.
func documentStatus(r *trust.DocumentReport) status {
	switch {
	case r.Error != nil:
		return statusError
	case len(r.Signatures) == 0:
		return statusUnsigned
	}
	worst := statusPassed
	for _, s := range r.Signatures {
		switch s.Indication {
		case trust.TotalPassed:
		case trust.TotalFailed:
			worst = statusFailed
		default: // INDETERMINATE or anything unknown
			if worst != statusFailed {
				worst = statusIndeterminate
			}
		}
	}
	if worst == statusPassed && r.Indication != trust.TotalPassed {
		// The verifier knows something about the document as a whole (e.g. a change
		// after the last signature): its indication wins.
		if r.Indication == trust.TotalFailed {
			return statusFailed
		}
		return statusIndeterminate
	}
	return worst
}

func statusTone(s status) tone {
	switch s {
	case statusPassed:
		return tonePass
	case statusFailed, statusError:
		return toneFail
	default:
		return toneIndeterminate
	}
}

func indicationTone(i trust.Indication) tone {
	switch i {
	case trust.TotalPassed:
		return tonePass
	case trust.TotalFailed:
		return toneFail
	}
	return toneIndeterminate
}

// jst is Japan Standard Time (no daylight saving), the time zone of every record.
var jst = time.FixedZone("JST", 9*60*60)

type builder struct {
	l    *i18n.Localizer
	opts *Options
	m    *model
}

func (b *builder) t(key string, args ...any) string { return b.l.T(key, args...) }

func (b *builder) time(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(jst).Format("2006-01-02 15:04:05 MST")
}

func (b *builder) timep(t *time.Time) string {
	if t == nil {
		return "—"
	}
	return b.time(*t)
}

func (b *builder) add(bl block) { b.m.Blocks = append(b.m.Blocks, bl) }

func (b *builder) heading(level int, text string) {
	b.add(block{Kind: blockHeading, Level: level, Text: text})
}

func (b *builder) rows(rows ...row) {
	var keep []row
	for _, r := range rows {
		if r.Value != "" {
			keep = append(keep, r)
		}
	}
	if len(keep) > 0 {
		b.add(block{Kind: blockRows, Rows: keep})
	}
}

// shown is a value of a report as the record shows it: what trust.MaskPersonalData
// hid reads "(not shown)" in the record's language.
func (b *builder) shown(v string) string {
	if v == trust.Hidden {
		return b.t("record.hidden")
	}
	return v
}

// msg resolves a report message (arguments that were personal data read "(not shown)").
func (b *builder) msg(m trust.Message) string {
	if m.Key == "" {
		return ""
	}
	args := make([]any, len(m.Args))
	for i, a := range m.Args {
		args[i] = b.shown(a)
	}
	if !b.l.Has(m.Key) {
		// A key this build has no text for: show it as it is rather than "!key".
		parts := []string{m.Key}
		for _, a := range args {
			parts = append(parts, fmt.Sprint(a))
		}
		return strings.Join(parts, " ")
	}
	return b.t(m.Key, args...)
}

// text returns the translation of key, or "" when there is none (optional texts).
func (b *builder) optional(key string, args ...any) string {
	if !b.l.Has(key) {
		return ""
	}
	return b.t(key, args...)
}

func buildModel(reports []*trust.DocumentReport, opts *Options) *model {
	b := &builder{l: i18n.New(opts.Lang), opts: opts}
	b.m = &model{Lang: string(b.l.Lang()), Footer: b.t("record.footer", opts.Version)}
	batch := len(reports) != 1
	if batch {
		b.m.Title = b.t("record.title_batch")
	} else {
		b.m.Title = b.t("record.title")
	}
	if !opts.ShowPersonalData {
		// One masking for everything the record shows (see trust.MaskPersonalData).
		masked := make([]*trust.DocumentReport, len(reports))
		for i, r := range reports {
			masked[i] = trust.MaskPersonalData(r)
			maskTimestamps(r, masked[i])
		}
		reports = masked
	}
	b.header(reports, batch)
	if batch {
		b.summary(reports)
	}
	for i, r := range reports {
		b.document(i+1, r, batch)
	}
	return b.m
}

// header states when, with what and against which anchors the check was made.
func (b *builder) header(reports []*trust.DocumentReport, batch bool) {
	if batch {
		b.add(block{Kind: blockPara, Text: b.t("record.intro_batch", len(reports))})
	} else {
		b.add(block{Kind: blockPara, Text: b.t("record.intro")})
	}
	rows := []row{
		{Label: b.t("record.created"), Value: b.time(b.opts.Created)},
		{Label: b.t("record.app_version"), Value: "mynasign " + b.opts.Version, Mono: true},
	}
	// The validation time and the trust store are the same for a whole batch when it was
	// run at once; list every distinct value otherwise.
	var times, stores []string
	seenT, seenS := map[string]bool{}, map[string]bool{}
	for _, r := range reports {
		if v := b.validationTime(r.ValidationTime); !seenT[v] {
			seenT[v] = true
			times = append(times, v)
		}
		if v := b.trustStore(r.TrustStore); v != "" && !seenS[v] {
			seenS[v] = true
			stores = append(stores, v)
		}
	}
	if len(times) > 0 && len(times) <= 3 {
		rows = append(rows, row{Label: b.t("record.validation_time"), Value: strings.Join(times, "\n")})
	}
	rows = append(rows, row{Label: b.t("record.trust_store"), Value: strings.Join(stores, "\n")})
	if b.opts.ShowPersonalData {
		rows = append(rows, row{Label: b.t("record.personal_data"), Value: b.t("record.personal_data.shown")})
	} else {
		rows = append(rows, row{Label: b.t("record.personal_data"), Value: b.t("record.personal_data.hidden")})
	}
	b.rows(rows...)
}

func (b *builder) validationTime(t time.Time) string {
	if b.opts.At {
		return b.t("record.validation_time_at", b.time(t))
	}
	return b.t("record.validation_time_now", b.time(t))
}

func (b *builder) trustStore(s string) string {
	switch s {
	case "":
		return ""
	case "production", "test":
		return b.t("record.trust." + s)
	}
	return s
}

func (b *builder) statusWord(s status) string { return b.t("record.verdict." + string(s)) }

// summary is the batch cover: totals and one line per file.
func (b *builder) summary(reports []*trust.DocumentReport) {
	counts := map[status]int{}
	t := &table{
		Head:    []string{b.t("record.col.no"), b.t("record.col.file"), b.t("record.col.result"), b.t("record.col.sha256")},
		Widths:  []float64{0.07, 0.5, 0.18, 0.25},
		ToneCol: 2, MonoCol: 3,
	}
	for i, r := range reports {
		s := documentStatus(r)
		counts[s]++
		hash := r.SHA256
		if len(hash) > 16 {
			hash = hash[:16]
		}
		if hash == "" {
			hash = "—"
		}
		t.Rows = append(t.Rows, []string{fmt.Sprint(i + 1), r.File, b.statusWord(s), hash})
		t.Tones = append(t.Tones, statusTone(s))
	}
	b.heading(1, b.t("record.summary"))
	rows := []row{{Label: b.t("record.count.files"), Value: fmt.Sprint(len(reports))}}
	for _, s := range []status{statusPassed, statusFailed, statusIndeterminate, statusUnsigned, statusError} {
		rows = append(rows, row{Label: b.statusWord(s), Value: fmt.Sprint(counts[s]), Tone: statusTone(s)})
	}
	b.rows(rows...)
	b.add(block{Kind: blockTable, Table: t})
}

func (b *builder) document(n int, r *trust.DocumentReport, batch bool) {
	if batch {
		b.heading(1, b.t("record.file_n", n, filepath.Base(r.File)))
	} else {
		b.heading(1, b.t("record.file"))
	}
	s := documentStatus(r)
	v := &verdict{Tone: statusTone(s), Headline: b.statusWord(s)}
	switch s {
	case statusError:
		v.Sentence = b.t("record.verdict_sentence.error")
		if r.Error != nil {
			v.Reason = b.msg(*r.Error)
		}
	case statusUnsigned:
		v.Sentence = b.t("record.verdict_sentence.unsigned")
	default:
		v.Sentence = b.msg(r.Summary)
		if v.Sentence == "" {
			v.Sentence = b.t("record.verdict_sentence." + string(s))
		}
	}
	if r.Indication != "" && !(s == statusUnsigned && r.Indication == trust.TotalPassed) {
		v.ETSI = b.etsi(r.Indication, r.SubIndication)
		if r.SubIndication != "" && v.Reason == "" {
			v.Reason = b.subIndication(r.SubIndication)
		}
	}
	b.add(block{Kind: blockVerdict, Verdict: v})

	kind := r.Kind
	if kind != "pdf" && kind != "xml" && kind != "egov" {
		kind = "unknown"
	}
	hashLabel := b.t("record.field.sha256")
	if kind == "egov" {
		hashLabel = b.t("record.field.sha256_egov")
	}
	hash := r.SHA256
	if hash == "" {
		hash = "—"
	}
	rows := []row{
		{Label: b.t("record.field.file"), Value: r.File},
		{Label: b.t("record.field.kind"), Value: b.t("record.kind." + kind)},
		{Label: hashLabel, Value: hash, Mono: true},
		{Label: b.t("record.validation_time"), Value: b.validationTime(r.ValidationTime)},
	}
	if r.Error == nil {
		rows = append(rows, row{Label: b.t("record.field.signatures"), Value: fmt.Sprint(len(r.Signatures))})
	}
	if batch {
		// The header states it for the batch; repeat it only when it differs.
		rows = append(rows, row{Label: b.t("record.trust_store"), Value: b.trustStore(r.TrustStore)})
	}
	b.rows(rows...)
	checked := "record.checked." + kind
	if r.Error != nil {
		checked = "record.checked.error"
	}
	b.add(block{Kind: blockPara, Text: b.t("record.checked") + ": " + b.t(checked)})

	for i := range r.Signatures {
		b.signature(i+1, &r.Signatures[i])
	}
}

func (b *builder) etsi(i trust.Indication, s trust.SubIndication) string {
	if i == "" {
		return ""
	}
	v := string(i)
	if s != "" {
		v += " / " + string(s)
	}
	return b.t("record.etsi", v)
}

func (b *builder) subIndication(s trust.SubIndication) string {
	if t := b.optional("record.sub." + string(s)); t != "" {
		return t
	}
	return string(s)
}

func (b *builder) signature(n int, s *trust.SignatureReport) {
	title := b.t("record.signature_n", n)
	if s.ID != "" {
		title += ": " + s.ID
	}
	b.heading(2, title)
	v := &verdict{
		Tone:     indicationTone(s.Indication),
		Headline: b.statusWord(statusOf(s.Indication)),
		Sentence: b.msg(s.Summary),
		ETSI:     b.etsi(s.Indication, s.SubIndication),
	}
	if v.Sentence == "" {
		v.Sentence = b.t("record.verdict_sentence." + string(statusOf(s.Indication)))
	}
	if s.SubIndication != "" {
		v.Reason = b.subIndication(s.SubIndication)
	}
	b.add(block{Kind: blockVerdict, Verdict: v})

	// What was signed and what happened since.
	intact, intactTone := b.t("record.intact.unknown"), toneNeutral
	switch s.Integrity() {
	case trust.IntegrityIntact:
		intact, intactTone = b.t("record.intact.yes"), tonePass
	case trust.IntegrityBroken:
		intact, intactTone = b.t("record.intact.no"), toneFail
	}
	var algs []string
	for _, a := range []string{s.DigestAlgorithm, s.SignatureAlgorithm} {
		if a != "" {
			algs = append(algs, a)
		}
	}
	b.rows(
		row{Label: b.t("record.field.format"), Value: s.Format, Mono: true},
		row{Label: b.t("record.field.claimed_time"), Value: b.timep(s.ClaimedSigningTime)},
		row{Label: b.t("record.field.claim_reason"), Value: b.shown(s.SignerClaims.ReasonText())},
		row{Label: b.t("record.field.claim_location"), Value: b.shown(s.SignerClaims.LocationText())},
		row{Label: b.t("record.field.claim_contact"), Value: b.shown(s.SignerClaims.ContactText())},
		row{Label: b.t("record.field.intact"), Value: intact, Tone: intactTone},
		row{Label: b.t("record.field.coverage"), Value: b.optional("record.coverage." + string(s.Coverage))},
		row{Label: b.t("record.field.signed_content"), Value: s.SignedContent},
		b.changesRow(s),
		row{Label: b.t("record.field.algorithms"), Value: strings.Join(algs, ", "), Mono: true},
	)
	if len(s.ChangesAfterSigning.Objects) > 0 {
		var items []string
		for _, o := range s.ChangesAfterSigning.Objects {
			items = append(items, b.t("record.changed_object", o.Revision, o.Object, o.Change, b.msg(o.Why)))
		}
		b.heading(3, b.t("record.changed_objects"))
		b.add(block{Kind: blockList, Items: items})
	}

	b.signer(s)
	b.certificate(s)
	b.revocation(s)
	b.timestamps(s)

	if len(s.Checks) > 0 {
		b.heading(3, b.t("record.checks"))
		t := &table{
			Head:    []string{b.t("record.col.check"), b.t("record.col.outcome"), b.t("record.col.detail")},
			Widths:  []float64{0.3, 0.16, 0.54},
			ToneCol: 1, MonoCol: -1,
		}
		for _, c := range s.Checks {
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
	if len(s.Warnings) > 0 {
		b.heading(3, b.t("record.warnings"))
		var items []string
		for _, w := range s.Warnings {
			items = append(items, b.msg(w))
		}
		b.add(block{Kind: blockList, Items: items})
	}
}

func statusOf(i trust.Indication) status {
	switch i {
	case trust.TotalPassed:
		return statusPassed
	case trust.TotalFailed:
		return statusFailed
	}
	return statusIndeterminate
}

func (b *builder) signer(s *trust.SignatureReport) {
	b.heading(3, b.t("record.signer"))
	sg := s.Signer
	if sg == nil {
		b.rows(row{Label: b.t("record.signer"), Value: b.t("record.signer.none")})
		return
	}
	var rows []row
	if sg.Test {
		rows = append(rows, row{Label: b.t("record.field.note"), Value: b.t("record.test_marker"), Tone: toneIndeterminate})
	}
	if !b.opts.ShowPersonalData {
		rows = append(rows, row{Label: b.t("record.personal_data"), Value: b.t("record.personal_data.hidden_short")})
		b.rows(rows...)
		return
	}
	sub := func(v string, substituted bool) string {
		if substituted && v != "" {
			return v + " " + b.t("record.substituted")
		}
		return v
	}
	sex := ""
	if sg.Sex != "" {
		sex = b.optional("record.sex." + sg.Sex)
		if sex == "" {
			sex = sg.Sex
		}
	}
	rows = append(rows,
		row{Label: b.t("record.field.name"), Value: sub(sg.Name, sg.NameSubstituted)},
		row{Label: b.t("record.field.address"), Value: sub(sg.Address, sg.AddressSubstituted)},
		row{Label: b.t("record.field.birth"), Value: sg.BirthDate},
		row{Label: b.t("record.field.sex"), Value: sex},
		row{Label: b.t("record.field.subject"), Value: sg.Subject},
	)
	b.rows(rows...)
}

func (b *builder) certificate(s *trust.SignatureReport) {
	c := s.Certificate
	if c == nil {
		return
	}
	b.heading(3, b.t("record.certificate"))
	kind := b.optional("record.cert_kind." + string(c.Kind))
	if kind == "" {
		kind = string(c.Kind)
	}
	generation := c.Generation
	if generation != "" && c.Test {
		generation += " " + b.t("record.test_suffix")
	}
	var chain []string
	for i, subj := range c.Chain {
		if i == 0 && !b.opts.ShowPersonalData {
			subj = b.t("record.chain.signer")
		}
		chain = append(chain, subj)
	}
	chainText := strings.Join(chain, "\n→ ")
	chainTone := toneNeutral
	if len(chain) == 0 {
		chainText, chainTone = b.t("record.chain.none"), toneFail
	}
	b.rows(
		row{Label: b.t("record.field.cert_kind"), Value: kind,
			Tone: map[bool]tone{true: toneNeutral, false: toneFail}[c.Kind == trust.KindSignature]},
		row{Label: b.t("record.field.generation"), Value: generation},
		row{Label: b.t("record.field.serial"), Value: c.Serial, Mono: true},
		row{Label: b.t("record.field.issuer"), Value: c.Issuer},
		row{Label: b.t("record.field.validity"), Value: b.t("record.validity", b.time(c.NotBefore), b.time(c.NotAfter))},
		row{Label: b.t("record.field.fingerprint"), Value: c.SHA256, Mono: true},
		row{Label: b.t("record.field.chain"), Value: chainText, Tone: chainTone},
	)
}

func (b *builder) revocation(s *trust.SignatureReport) {
	b.heading(3, b.t("record.revocation"))
	rv := s.Revocation
	if rv == nil {
		b.rows(row{Label: b.t("record.field.revocation_status"), Value: b.t("record.no_crl"), Tone: toneIndeterminate})
		return
	}
	st := b.optional("record.revocation." + string(rv.Status))
	if st == "" {
		st = string(rv.Status)
	}
	stTone := map[trust.RevocationStatus]tone{
		trust.RevocationGood: tonePass, trust.RevocationRevoked: toneFail,
	}[rv.Status]
	if stTone == toneNeutral {
		stTone = toneIndeterminate
	}
	rows := []row{{Label: b.t("record.field.revocation_status"), Value: st, Tone: stTone}}
	if rv.RevokedAt != nil {
		rows = append(rows, row{Label: b.t("record.field.revoked_at"), Value: b.time(*rv.RevokedAt), Tone: toneFail})
	}
	if rv.Reason != "" {
		reason := b.optional("record.reason." + rv.Reason)
		if reason == "" {
			reason = rv.Reason
		} else {
			reason += " (" + rv.Reason + ")"
		}
		rows = append(rows, row{Label: b.t("record.field.reason"), Value: reason})
	}
	if rv.RevokedBeforeSigning != nil {
		key := "record.revoked_before.no"
		if *rv.RevokedBeforeSigning {
			key = "record.revoked_before.yes"
		}
		rows = append(rows, row{Label: b.t("record.field.revoked_before_signing"), Value: b.t(key)})
	}
	if rv.CRLIssuer == "" && rv.ThisUpdate == nil {
		rows = append(rows, row{Label: b.t("record.field.crl"), Value: b.t("record.no_crl"), Tone: toneIndeterminate})
		b.rows(rows...)
		return
	}
	scope := b.shown(rv.CRLScope) // a partition names the holder's municipality
	if scope == "whole" {
		scope = b.t("record.crl_scope.whole")
	}
	fresh := ""
	freshTone := tonePass
	switch {
	case rv.Fresh:
		fresh = b.t("record.fresh.yes", b.time(s.ValidationTime))
	case rv.StaleSince != nil:
		fresh, freshTone = b.t("record.fresh.no", b.time(*rv.StaleSince)), toneIndeterminate
	default:
		fresh, freshTone = b.t("record.fresh.no_date"), toneIndeterminate
	}
	if rv.ThisUpdate != nil && !s.ValidationTime.IsZero() && rv.ThisUpdate.After(s.ValidationTime) {
		fresh += "\n" + b.t("record.crl_after_validation_time")
	}
	rows = append(rows,
		row{Label: b.t("record.field.crl_issuer"), Value: rv.CRLIssuer},
		row{Label: b.t("record.field.crl_scope"), Value: scope},
		row{Label: b.t("record.field.crl_number"), Value: rv.CRLNumber, Mono: true},
		row{Label: b.t("record.field.this_update"), Value: b.timep(rv.ThisUpdate)},
		row{Label: b.t("record.field.next_update"), Value: b.timep(rv.NextUpdate)},
		row{Label: b.t("record.field.crl_file"), Value: b.crlFile(rv)},
		row{Label: b.t("record.field.crl_sha256"), Value: rv.CRLSHA256, Mono: true},
		row{Label: b.t("record.field.freshness"), Value: fresh, Tone: freshTone},
	)
	b.rows(rows...)
}

// crlFile names the file the CRL came from, and says when it is a built-in test CRL.
func (b *builder) crlFile(rv *trust.RevocationInfo) string {
	file := b.shown(rv.CRLFile) // a partition CRL's file may name the municipality
	switch {
	case rv.Builtin && file != "":
		return file + " " + b.t("record.crl_builtin")
	case rv.Builtin:
		return b.t("record.crl_builtin")
	}
	return file
}

// changesRow says what happened after signing. "None" is said only of a signature whose
// signed bytes verified: a signature whose content does not match its digest was changed
// inside what it signs (the later revisions are beside the point), and one whose
// integrity could not be established leaves the question open.
func (b *builder) changesRow(s *trust.SignatureReport) row {
	r := row{Label: b.t("record.field.changes")}
	switch {
	case s.SubIndication == trust.HashFailure:
		r.Value, r.Tone = b.t("record.changes.content_changed"), toneFail
	case !s.Intact && s.ChangesAfterSigning.Level != trust.ChangesNotPermitted:
		r.Value = b.t("record.changes.unknown")
	default:
		r.Value = b.optional("record.changes." + string(s.ChangesAfterSigning.Level))
		if s.ChangesAfterSigning.Level == trust.ChangesNotPermitted {
			r.Tone = toneFail
		}
	}
	return r
}
