package record

import (
	"html/template"
	"io"
	"strconv"
	"strings"
)

// The HTML record is one self-contained page (no external files, no scripts) laid out
// for printing on A4, with the same text as the PDF.
var htmlTemplate = template.Must(template.New("record").Funcs(template.FuncMap{
	"lines": func(s string) []string { return strings.Split(s, "\n") },
	"width": func(w float64) string { return template.HTMLEscapeString(trimFloat(w*100)) + "%" },
}).Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{{.Footer}}">
<title>{{.Title}}</title>
<style>
@page { size: A4; margin: 16mm 15mm 18mm; }
body { font-family: "BIZ UDGothic", "BIZ UDPGothic", "Hiragino Sans", "Yu Gothic", "Meiryo", "Noto Sans CJK JP", sans-serif;
       font-size: 10pt; line-height: 1.55; color: #111; max-width: 190mm; margin: 1.5em auto; padding: 0 1em; }
h1 { font-size: 17pt; border-bottom: 2px solid #26406b; padding-bottom: .2em; margin: 0 0 .6em; }
h2 { font-size: 12.5pt; color: #26406b; background: #ebedf2; border-left: 4px solid #26406b; padding: .25em .6em; margin: 1.6em 0 .6em; break-after: avoid; }
h3 { font-size: 11pt; color: #26406b; border-bottom: 1px solid #26406b; margin: 1.2em 0 .4em; break-after: avoid; }
h4 { font-size: 10pt; color: #26406b; margin: .9em 0 .2em; break-after: avoid; }
.verdict { border-left: 6px solid; padding: .5em .9em; margin: .5em 0 .8em; break-inside: avoid; }
.verdict .headline { font-size: 14pt; font-weight: bold; }
.verdict .etsi { font-size: 8.5pt; color: #555; }
.pass { color: #0d6b2e; } .verdict.pass { background: #e6f5e8; border-color: #0d6b2e; color: inherit; }
.fail { color: #b81414; } .verdict.fail { background: #fce8e8; border-color: #b81414; color: inherit; }
.indeterminate { color: #945c00; } .verdict.indeterminate { background: #fff2d6; border-color: #945c00; color: inherit; }
.verdict .headline.pass, .verdict .reason.pass { color: #0d6b2e; } .verdict .headline.fail, .verdict .reason.fail { color: #b81414; }
.verdict .headline.indeterminate, .verdict .reason.indeterminate { color: #945c00; }
table { border-collapse: collapse; width: 100%; margin: .3em 0 .8em; }
th, td { text-align: left; vertical-align: top; padding: .25em .4em; border-bottom: 1px solid #ccc; }
table.kv th { width: 30%; font-weight: normal; color: #555; font-size: 9pt; }
table.list th { background: #ebedf2; color: #26406b; font-size: 9pt; }
table.list td { font-size: 9pt; }
tr { break-inside: avoid; }
.mono { font-family: "BIZ UDGothic", ui-monospace, "DejaVu Sans Mono", monospace; word-break: break-all; }
ul { margin: .2em 0 .8em; padding-left: 1.4em; }
footer { margin-top: 2em; border-top: 1px solid #ccc; color: #666; font-size: 8.5pt; padding-top: .3em; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
{{range .Blocks}}{{if eq .Kind 0}}{{if eq .Level 1}}<h2>{{.Text}}</h2>{{else if eq .Level 2}}<h3>{{.Text}}</h3>{{else}}<h4>{{.Text}}</h4>{{end}}
{{else if eq .Kind 1}}{{with .Verdict}}<div class="verdict {{.Tone.Class}}">
<div class="headline {{.Tone.Class}}">{{.Headline}}</div>
<div class="sentence">{{.Sentence}}</div>
{{if .Reason}}<div class="reason {{.Tone.Class}}">{{.Reason}}</div>{{end}}
{{if .ETSI}}<div class="etsi">{{.ETSI}}</div>{{end}}
</div>{{end}}
{{else if eq .Kind 2}}<table class="kv">
{{range .Rows}}<tr><th scope="row">{{.Label}}</th><td class="{{if .Mono}}mono {{end}}{{.Tone.Class}}">{{range $i, $l := lines .Value}}{{if $i}}<br>{{end}}{{$l}}{{end}}</td></tr>
{{end}}</table>
{{else if eq .Kind 3}}{{with .Table}}{{$t := .}}<table class="list">
<thead><tr>{{range $i, $h := .Head}}<th style="width: {{index $t.Widths $i | width}}">{{$h}}</th>{{end}}</tr></thead>
<tbody>
{{range $r, $row := .Rows}}<tr>{{range $c, $cell := $row}}<td class="{{if eq $c $t.MonoCol}}mono {{end}}{{if eq $c $t.ToneCol}}{{(index $t.Tones $r).Class}}{{end}}">{{$cell}}</td>{{end}}</tr>
{{end}}</tbody>
</table>{{end}}
{{else if eq .Kind 4}}<p>{{range $i, $l := lines .Text}}{{if $i}}<br>{{end}}{{$l}}{{end}}</p>
{{else if eq .Kind 5}}<ul>{{range .Items}}<li>{{.}}</li>{{end}}</ul>
{{end}}{{end}}
<footer>{{.Footer}}</footer>
</body>
</html>
`))

// Class is the CSS class of a tone (exported for the template only).
func (t tone) Class() string { return t.class() }

func trimFloat(v float64) string {
	s := strings.TrimRight(strings.TrimRight(strconv.FormatFloat(v, 'f', 1, 64), "0"), ".")
	if s == "" {
		return "0"
	}
	return s
}

func writeHTML(w io.Writer, m *model) error {
	return htmlTemplate.Execute(w, m)
}
