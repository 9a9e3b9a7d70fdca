package markdown_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/yttrande/remiss/internal/markdown"
)

// FuzzBlocks checks, for any input, that Blocks does not panic, that all
// text is valid UTF-8, that the output is not much larger than the input,
// that the messages stay few and distinct, and that a <script> tag in
// raw HTML never reaches the text (see onlyScriptTags).
func FuzzBlocks(f *testing.F) {
	for _, seed := range []string{
		"",
		"# Rubrik\n\nText med *kursiv* och **fet**.",
		"Rubrik\n===\n\nUnder\n---",
		"<script>alert(1)</script>",
		"Text <script>alert(1)</script> mer <b>fet</b> <img src=x onerror=alert(1)>",
		"<SCRIPT>\nalert(1)\n</SCRIPT>\n\nEfter",
		"<div>\n<script>x</script>\n</div>",
		"<!-- <script> -->",
		"![<script>](https://evil.example/x.png)",
		"| a | b |\n|---|--:|\n| **x** | y \\| z |\n| 1 |",
		"1. ett\n   - a\n     1. i\n2. två\n\n   stycke",
		"- - - a\n  + b",
		"> citat\n> > djupt\n> - lista",
		"```\n<script>\n```\n\n    kod",
		"[a](https://x.se) [b][r] <https://y.se>\n\n[r]: https://z.se \"titel\"",
		"&amp; &lt;script&gt; \\* &#0; &#x110000;",
		strings.Repeat(">", 40) + " djupt",
		strings.Repeat("|a", 50) + "\n" + strings.Repeat("|-", 50) + "\n" + strings.Repeat("x\n", 50),
		"a\r\nb\x00c\xff",
	} {
		f.Add(seed)
	}
	if draft, err := os.ReadFile(filepath.Join("testdata", "yttrande.md")); err == nil {
		f.Add(string(draft))
	}
	f.Fuzz(func(t *testing.T, in string) {
		blocks, dropped := markdown.Parser{}.Blocks(in)
		scriptsOnly := onlyScriptTags(in)
		size := 0
		for _, text := range allText(blocks) {
			size += len(text)
			if !utf8.ValidString(text) {
				t.Fatalf("span %q is not valid UTF-8", text)
			}
			if scriptsOnly && strings.Contains(text, "<") {
				t.Fatalf("span %q holds markup from raw HTML", text)
			}
		}
		if size > 2*len(in)+16 {
			t.Fatalf("%d bytes of text from %d of input", size, len(in))
		}
		checkMessages(t, dropped)
	})
}

// onlyScriptTags tells whether every "<" in in begins a <script> or
// </script> tag and nothing present could make such a tag text (code,
// escapes, entities): then all of them are raw HTML, and no "<" may
// reach the text. (A looser rule, "no <script in the output", does not
// hold: dropping <A> from "<scrip<A>t" leaves the text "<script", which is
// text the author typed around a tag, not the tag.)
func onlyScriptTags(in string) bool {
	if strings.ContainsAny(in, "`~\\&\t") || strings.Contains(in, "    ") {
		return false
	}
	lower := strings.ToLower(in)
	for i := strings.IndexByte(lower, '<'); i >= 0; i = strings.IndexByte(lower, '<') {
		lower = lower[i:]
		switch {
		case strings.HasPrefix(lower, "<script>"):
			lower = lower[len("<script>"):]
		case strings.HasPrefix(lower, "</script>"):
			lower = lower[len("</script>"):]
		default:
			return false
		}
	}
	return true
}

func checkMessages(t *testing.T, dropped []string) {
	t.Helper()
	if len(dropped) > 10 {
		t.Fatalf("%d messages", len(dropped))
	}
	seen := map[string]bool{}
	for _, m := range dropped {
		if seen[m] || !utf8.ValidString(m) {
			t.Fatalf("message %q repeated or not UTF-8", m)
		}
		seen[m] = true
	}
}
