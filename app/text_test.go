package app

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/mynasign/mynasign/app/i18n"
)

// kinsoku: characters that never start a line, and that never end one.
const (
	noLineStart = "、。，．）」』】〕〉》ー・：；？！ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々〜"
	noLineEnd   = "（「『【〔〈《"
)

// TestWrappingRules breaks every text of both translation files (their arguments filled
// with file names and numbers) at widths from 6 to 40 characters and checks each line
// break: no Latin word or number is split unless it alone is wider than the line, no line
// starts with 、。）ー or a small kana or ends with （「, no line is wider than the width,
// and nothing is lost.
func TestWrappingRules(t *testing.T) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(newTheme(1))
	const size = 14
	measure := func(s string) float32 { return fyne.MeasureText(s, size, fyne.TextStyle{}).Width }
	em := measure("国")
	verb := regexp.MustCompile(`%(\[\d\])?[sdv]`)
	args := []string{"令和6年度_補助金申請書_最終版-signed.pdf", "12345", "2046年11月24日 09:00", "e-Gov", "PAdES-B-B"}
	checked := 0
	for _, lang := range []i18n.Lang{i18n.Japanese, i18n.English} {
		l := i18n.New(lang)
		for _, key := range i18n.Keys(lang) {
			n := 0
			text := verb.ReplaceAllStringFunc(l.T(key), func(string) string { n++; return args[n%len(args)] })
			for chars := 6; chars <= 40; chars += 3 {
				width := float32(chars) * em
				for _, para := range strings.Split(text, "\n") {
					lines := breakText(para, width, measure)
					checkBreaks(t, key, para, lines, width, measure)
					checked++
				}
			}
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d paragraphs checked", checked)
	}
}

// checkBreaks checks the lines one paragraph was broken into.
func checkBreaks(t *testing.T, key, para string, lines []string, width float32, measure func(string) float32) {
	t.Helper()
	nospace := func(s string) string { return strings.ReplaceAll(s, " ", "") }
	if got := nospace(strings.Join(lines, "")); got != nospace(para) {
		t.Errorf("%s: the lines %q do not make up %q", key, lines, para)
		return
	}
	// spaced[i]: the original had a space where line i ended; forced[i]: line i ended
	// inside a piece between two break opportunities (the piece was wider than a line).
	opportunity := map[int]bool{}
	at := 0
	for _, p := range breakPieces(para) {
		at += len(p)
		opportunity[at] = true
	}
	spaced := make([]bool, len(lines))
	forced := make([]bool, len(lines))
	rest := para
	for i, line := range lines {
		if i > 0 {
			rest = strings.TrimLeft(rest, " ")
		}
		rest = strings.TrimPrefix(rest, line)
		spaced[i] = strings.HasPrefix(rest, " ")
		forced[i] = !opportunity[len(para)-len(strings.TrimLeft(rest, " "))]
	}
	for i, line := range lines {
		if utf8.RuneCountInString(line) > 1 && measure(line) > width+0.01 {
			t.Errorf("%s: line %q is %.0f wide, more than %.0f", key, line, measure(line), width)
		}
		if i == len(lines)-1 {
			break
		}
		next := lines[i+1]
		last, _ := utf8.DecodeLastRuneInString(line)
		first, _ := utf8.DecodeRuneInString(next)
		if strings.ContainsRune(noLineStart, first) && !forced[i] {
			t.Errorf("%s: a line starts with %q: %q | %q", key, first, line, next)
		}
		if strings.ContainsRune(noLineEnd, last) && !forced[i] {
			t.Errorf("%s: a line ends with %q: %q | %q", key, last, line, next)
		}
		if isLatinAlnum(last) && isLatinAlnum(first) && !spaced[i] {
			// Split inside a word: allowed only when the word is wider than the line.
			word := latinWordAround(line, next)
			if measure(word) <= width {
				t.Errorf("%s: the word %q is split: %q | %q", key, word, line, next)
			}
		}
	}
}

// latinWordAround is the run of Latin letters, digits and inner hyphens that ends line
// and goes on at the start of next.
func latinWordAround(line, next string) string {
	in := func(r rune) bool { return isLatinAlnum(r) || r == '-' }
	head := []rune(line)
	i := len(head)
	for i > 0 && in(head[i-1]) {
		i--
	}
	tail := []rune(next)
	j := 0
	for j < len(tail) && in(tail[j]) {
		j++
	}
	return string(head[i:]) + string(tail[:j])
}

// TestWrappingExamples: the cases seen on screen.
func TestWrappingExamples(t *testing.T) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(newTheme(1))
	measure := func(s string) float32 { return fyne.MeasureText(s, 14, fyne.TextStyle{}).Width }
	em := measure("国")
	for _, c := range []struct {
		text  string
		chars float32
		want  []string
	}{
		// Fyne's label split "zip" after "zi".
		{"受け取ったファイルの電子署名を確認します。ファイル、フォルダー、zip をここにドロップしても始められます。", 30,
			[]string{"受け取ったファイルの電子署名を確認します。ファイル、フォルダー、", "zip をここにドロップしても始められます。"}},
		// ... and put 。 at the start of a line: す goes down with it.
		{"ロックの解除には市区町村の窓口などでの手続きが必要です。", 27,
			[]string{"ロックの解除には市区町村の窓口などでの手続きが必要で", "す。"}},
		// A Latin word with spaces does not end the line there, leaving it half empty.
		{"マイナンバーカードの署名用電子証明書で、PDF や XML の申請書類に電子署名します。", 28,
			[]string{"マイナンバーカードの署名用電子証明書で、PDF や XML の申", "請書類に電子署名します。"}},
		// No break after the hyphen of e-Gov, nor before the small ォ.
		{"e-Gov の申請フォルダー", 5, []string{"e-Gov の", "申請フォル", "ダー"}},
		// A hash wider than the line is broken between characters.
		{"30512a73b62693484ef6", 4, []string{"30512", "a73b6", "26934", "84ef6"}},
	} {
		got := breakText(c.text, c.chars*em, measure)
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("%q at %v em:\n got %q\nwant %q", c.text, c.chars, got, c.want)
		}
	}
}

// TestTextBlockLineSpacing: the lines of a wrapped paragraph are one line box plus the
// theme's line spacing apart, and the text's minimum height counts them.
func TestTextBlockLineSpacing(t *testing.T) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(newTheme(1))
	tb := newTextBlock("署名用パスワードを入力してください。入力した内容はこのアプリに保存されず、記録にも残りません。")
	w := test.NewWindow(tb)
	defer w.Close()
	w.Resize(fyne.NewSize(300, 400))
	tb.Resize(fyne.NewSize(300, tb.MinSize().Height))
	var lines []*canvas.Text
	for _, o := range test.WidgetRenderer(tb).Objects() {
		lines = append(lines, o.(*canvas.Text))
	}
	if len(lines) < 3 {
		t.Fatalf("%d lines at 300 px", len(lines))
	}
	lineH := fyne.MeasureText("国", theme.TextSize(), fyne.TextStyle{}).Height
	gap := theme.LineSpacing()
	if gap <= 0 {
		t.Fatal("no line spacing in the theme")
	}
	for i := 1; i < len(lines); i++ {
		if d := lines[i].Position().Y - lines[i-1].Position().Y; d != lineH+gap {
			t.Errorf("lines %d and %d are %.1f apart, want %.1f", i-1, i, d, lineH+gap)
		}
	}
	pad := theme.InnerPadding()
	n := float32(len(lines))
	if h := tb.MinSize().Height; h != 2*pad+n*lineH+(n-1)*gap {
		t.Errorf("min height %.1f for %v lines", h, n)
	}
}
