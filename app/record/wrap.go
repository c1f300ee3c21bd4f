package record

import (
	"strings"
	"unicode"
)

// measurer gives the advance width of a rune (points) at the size being laid out.
type measurer func(r rune) float64

// noLineStart are characters that Japanese typesetting (kinsoku) keeps off the start of a
// line; they hang at the end of the previous line instead.
const noLineStart = "、。，．・：；？！ー）」』】〕〉》｝］,.:;!?)]}%"

// wrap breaks s into lines no wider than width. Explicit newlines are kept. Japanese
// text may break between any two characters; runs of Latin letters, digits and ASCII
// punctuation break at spaces, and are cut only when a run is wider than a whole line
// (a hash, a long path).
func wrap(s string, width float64, w measurer) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		lines = append(lines, wrapLine(para, width, w)...)
	}
	return lines
}

func isWordRune(r rune) bool {
	return r < 0x80 && r != ' ' || unicode.Is(unicode.Latin, r)
}

// tokens splits a line into words (runs of word runes), single spaces and single other
// characters.
func tokens(s string) []string {
	var out []string
	rs := []rune(s)
	for i := 0; i < len(rs); {
		j := i + 1
		if isWordRune(rs[i]) {
			for j < len(rs) && isWordRune(rs[j]) {
				j++
			}
		}
		out = append(out, string(rs[i:j]))
		i = j
	}
	return out
}

func wrapLine(s string, width float64, w measurer) []string {
	var lines []string
	var cur strings.Builder
	curW := 0.0
	flush := func() {
		lines = append(lines, strings.TrimRight(cur.String(), " "))
		cur.Reset()
		curW = 0
	}
	tw := func(t string) float64 {
		x := 0.0
		for _, r := range t {
			x += w(r)
		}
		return x
	}
	for _, t := range tokens(s) {
		tWidth := tw(t)
		switch {
		case curW+tWidth <= width:
		case t == " ":
			flush()
			continue
		case cur.Len() > 0 && strings.ContainsRune(noLineStart, []rune(t)[0]) && len([]rune(t)) == 1:
			// Hang the punctuation rather than start a line with it.
		case tWidth <= width:
			flush()
		default:
			// A word wider than a line: fill the current line, then cut it.
			for _, r := range t {
				rw := w(r)
				if curW+rw > width && cur.Len() > 0 {
					flush()
				}
				cur.WriteRune(r)
				curW += rw
			}
			continue
		}
		if cur.Len() == 0 && t == " " {
			continue
		}
		cur.WriteString(t)
		curW += tWidth
	}
	if cur.Len() > 0 || len(lines) == 0 {
		flush()
	}
	return lines
}
