package pdf_test

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/yttrande/remiss/workflow/documents"
)

// reportPath is SOU 2022:59 "Försöksverksamhet utan författningsändring i
// den kommunala sektorn" as plain text: a government report, a public
// record.
const reportPath = "testdata/sou-2022-59.txt"

// numbered is a numbered heading: "3. Stöd till …", "2.3.1. Grundläggande
// kriterier" or "3.2 Något".
var numbered = regexp.MustCompile(`^(\d+(?:\.\d+)+\.?|\d+\.)\s+\p{Lu}`)

// reportLayout converts the plain text of a government report to a
// layout, by a heuristic good enough for a long real text, not for the
// report's own outline:
//   - blocks are separated by blank lines, and the first is the title;
//   - a block of lines that all begin with "•" is a list, an item a line;
//   - a one-line block not ending in a full stop is a heading when it is
//     numbered, at the level of how many numbers it has (at most 3);
//   - or when it is short (under 80 characters), begins with a capital
//     letter, has no comma and does not end in : ; or ! (so that footnotes
//     and references stay paragraphs): one level below the last numbered
//     heading, at most 3, and 1 before the first;
//   - everything else is a paragraph.
func reportLayout(text string) documents.Layout {
	l := documents.Layout{
		Meta: documents.LayoutMeta{Title: "SOU 2022:59", Author: "Utredningen om försöksverksamhet i kommuner och regioner",
			Subject: "Försöksverksamhet utan författningsändring i den kommunala sektorn", Created: time.Date(2022, 11, 11, 0, 0, 0, 0, time.UTC)},
		Letterhead: documents.Letterhead{Name: "Statens offentliga utredningar"},
		Justify:    true,
	}
	level := 0 // of the last numbered heading
	for i, block := range strings.Split(text, "\n\n") {
		lines := strings.Split(strings.TrimSpace(block), "\n")
		switch {
		case lines[0] == "":
		case i == 0:
			l.Blocks = append(l.Blocks, documents.Block{Role: documents.RoleTitle, Spans: documents.Text(block)})
		case isList(lines):
			b := documents.Block{Role: documents.RoleList}
			for _, item := range lines {
				b.Items = append(b.Items, documents.Text(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(item), "•"))))
			}
			l.Blocks = append(l.Blocks, b)
		case len(lines) == 1 && heading(lines[0], &level) > 0:
			l.Blocks = append(l.Blocks, documents.HeadingBlock(heading(lines[0], &level), lines[0]))
		default:
			l.Blocks = append(l.Blocks, documents.ParagraphBlock(strings.Join(lines, " ")))
		}
	}
	return l
}

// reportText reads the report's text.
func reportText(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(reportPath)
	if err != nil {
		t.Fatalf("the report's text: %v", err)
	}
	return string(b)
}

func isList(lines []string) bool {
	for _, s := range lines {
		if !strings.HasPrefix(strings.TrimSpace(s), "•") {
			return false
		}
	}
	return true
}

// heading is the level of a heading line, 0 for none; a numbered heading
// sets level, below which the unnumbered ones go.
func heading(s string, level *int) int {
	if strings.HasSuffix(s, ".") {
		return 0
	}
	if m := numbered.FindStringSubmatch(s); m != nil {
		*level = min(strings.Count(strings.TrimSuffix(m[1], "."), ".")+1, 3)
		return *level
	}
	first, _ := utf8.DecodeRuneInString(s)
	if len(s) >= 80 || !unicode.IsUpper(first) || strings.Contains(s, ",") || strings.ContainsAny(s[len(s)-1:], ":;!") {
		return 0
	}
	return min(*level+1, 3)
}

// TestLongReportPaginatesInOrderWithItsOutline renders the whole of SOU
// 2022:59, justified: it runs to many pages; pdftotext reads back every
// block's text in order with nothing left out, nothing added and nothing
// hyphenated (the words are compared without the white space, since a
// web address longer than a line must break somewhere); and the outline
// holds every heading in order, each one level below its own level, but
// never more than one below the entry before.
func TestLongReportPaginatesInOrderWithItsOutline(t *testing.T) {
	slow(t)
	l := reportLayout(reportText(t))
	path := render(t, l)
	var pages int
	info := tool(t, "pdfinfo", path)
	fmt.Sscanf(info[strings.Index(info, "Pages:"):], "Pages: %d", &pages)
	var want []string
	var titles []outline
	depth := -1
	for _, b := range l.Blocks {
		for _, item := range b.Items {
			want = append(want, "•"+documents.PlainText(item))
		}
		want = append(want, documents.PlainText(b.Spans))
		if b.Role == documents.RoleTitle || b.Role == documents.RoleHeading {
			depth = min(max(b.Level-1, 0), depth+1)
			titles = append(titles, outline{Title: documents.PlainText(b.Spans), depth: depth})
		}
	}
	t.Logf("SOU 2022:59: %d blocks, %d headings, %d pages", len(l.Blocks), len(titles), pages)
	if pages < 60 {
		t.Errorf("%d pages, want more than 60", pages)
	}
	var got strings.Builder
	for _, line := range bboxLines(t, path) {
		got.WriteString(strings.Join(line.words, ""))
	}
	if g, w := got.String(), compact(l.Letterhead.Name+strings.Join(want, "")); g != w {
		i := 0
		for i < min(len(g), len(w)) && g[i] == w[i] {
			i++
		}
		t.Errorf("the text differs from the layout's at byte %d of %d:\ngot  …%s…\nwant …%s…", i, len(w), g[max(0, i-80):min(len(g), i+80)], w[max(0, i-80):min(len(w), i+80)])
	}
	if got := outlines(t, path); fmt.Sprint(got) != fmt.Sprint(titles) {
		t.Errorf("the outline differs from the headings:\ngot  %v\nwant %v", got, titles)
	}
	tool(t, "qpdf", "--check", path)
}

// compact is s without white space.
func compact(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// outline is a bookmark's title and depth in the outline.
type outline struct {
	Title string
	Kids  []outline
	depth int
}

func (o outline) String() string { return fmt.Sprintf("%d %s", o.depth, o.Title) }

// outlines reads a PDF's outline with qpdf, depth first, as a flat list.
func outlines(t *testing.T, path string) []outline {
	t.Helper()
	var doc struct{ Outlines []outline }
	if err := json.Unmarshal([]byte(tool(t, "qpdf", "--json", "--json-key=outlines", path)), &doc); err != nil {
		t.Fatal(err)
	}
	var flat []outline
	var walk func([]outline, int)
	walk = func(os []outline, depth int) {
		for _, o := range os {
			flat = append(flat, outline{Title: o.Title, depth: depth})
			walk(o.Kids, depth+1)
		}
	}
	walk(doc.Outlines, 0)
	return flat
}
