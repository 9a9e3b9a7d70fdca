package pdf

import (
	"fmt"
	"strings"
	"testing"

	"github.com/yttrande/remiss/workflow/documents"
)

// TestSplitWords: white space runs are one space, a newline a line break,
// and an emphasis change without a space stays inside the word.
func TestSplitWords(t *testing.T) {
	for _, c := range []struct {
		spans []documents.Span
		want  string // words split by " ", pieces by "+", style after "/", a break as "¶"
	}{
		{documents.Text("Åtgärden  är\tbra"), "Åtgärden är bra"},
		{documents.Text("  ett två  "), "ett två"},
		{[]documents.Span{{Text: "är "}, {Text: "viktig", Bold: true}, {Text: ", och "}, {Text: "så", Italic: true}}, "är viktig/B+, och så/I"},
		{[]documents.Span{{Text: "för"}, {Text: "sök", Bold: true, Italic: true}}, "för+sök/BI"},
		{documents.Text("rad ett\nrad två"), "rad ett¶ rad två"},
	} {
		var got []string
		for _, w := range splitWords(c.spans) {
			var ps []string
			for _, p := range w.pieces {
				ps = append(ps, strings.TrimSuffix(p.text+"/"+p.style, "/"))
			}
			got = append(got, strings.Join(ps, "+")+map[bool]string{true: "¶"}[w.br])
		}
		if g := strings.Join(got, " "); g != c.want {
			t.Errorf("%v: got %q, want %q", c.spans, g, c.want)
		}
	}
}

// TestBreakLines: words go on while they fit with their spaces, a line
// break ends a line, and the lines ending a paragraph or before a break
// are last (ragged).
func TestBreakLines(t *testing.T) {
	w := func(width float64, br bool) word { return word{w: width, space: 1, br: br} }
	for _, c := range []struct {
		words []word
		want  string // words per line, "*" after a last line
	}{
		{[]word{w(4, false), w(5, false), w(4, false)}, "2 1*"},
		{[]word{w(4, false), w(6, false)}, "1 1*"},
		{[]word{w(3, true), w(3, false), w(3, false)}, "1* 2*"},
		{[]word{w(12, false), w(1, false)}, "1 1*"}, // too wide alone: it overflows, never drops
	} {
		var got []string
		for _, l := range breakLines(c.words, 10) {
			got = append(got, fmt.Sprint(len(l.words))+map[bool]string{true: "*"}[l.last])
		}
		if g := strings.Join(got, " "); g != c.want {
			t.Errorf("got %q, want %q", g, c.want)
		}
	}
}
