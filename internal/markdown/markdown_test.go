package markdown_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/yttrande/remiss/internal/markdown"
	"github.com/yttrande/remiss/workflow/documents"
)

// Builders that keep the expected blocks short.

func plain(s string) documents.Span { return documents.Span{Text: s} }
func bold(s string) documents.Span  { return documents.Span{Text: s, Bold: true} }
func ital(s string) documents.Span  { return documents.Span{Text: s, Italic: true} }
func both(s string) documents.Span  { return documents.Span{Text: s, Bold: true, Italic: true} }

func para(spans ...documents.Span) documents.Block {
	return documents.Block{Role: documents.RoleParagraph, Spans: spans}
}

func heading(level int, spans ...documents.Span) documents.Block {
	return documents.Block{Role: documents.RoleHeading, Level: level, Spans: spans}
}

func list(ordered bool, items ...[]documents.Span) documents.Block {
	return documents.Block{Role: documents.RoleList, Ordered: ordered, Items: items}
}

func item(spans ...documents.Span) []documents.Span { return spans }

func table(rows ...[]documents.TableCell) documents.Block {
	return documents.Block{Role: documents.RoleTable, HeaderRows: 1, Rows: rows}
}

func row(cells ...[]documents.Span) []documents.TableCell {
	out := make([]documents.TableCell, len(cells))
	for i, c := range cells {
		out[i] = documents.TableCell{Spans: c}
	}
	return out
}

var spacer = documents.Block{Role: documents.RoleSpacer}

func blocks(b ...documents.Block) []documents.Block { return b }

type parseCase struct {
	name    string
	in      string
	want    []documents.Block
	dropped []string
}

// run parses each case and compares the whole result.
func run(t *testing.T, cases []parseCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, dropped := markdown.Parser{}.Blocks(tc.in)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Blocks(%q)\n got %s\nwant %s", tc.in, show(got), show(tc.want))
			}
			if !reflect.DeepEqual(dropped, tc.dropped) {
				t.Errorf("Blocks(%q) dropped\n got %#v\nwant %#v", tc.in, dropped, tc.dropped)
			}
		})
	}
}

// show prints blocks one a line, without their empty fields.
func show(bs []documents.Block) string {
	if bs == nil {
		return "nil"
	}
	var sb strings.Builder
	for _, b := range bs {
		fmt.Fprintf(&sb, "\n  {%s", b.Role)
		if b.Level != 0 {
			fmt.Fprintf(&sb, " Level:%d", b.Level)
		}
		if b.Ordered {
			sb.WriteString(" Ordered")
		}
		if b.Spans != nil {
			fmt.Fprintf(&sb, " Spans:%#v", b.Spans)
		}
		if b.Items != nil {
			fmt.Fprintf(&sb, " Items:%#v", b.Items)
		}
		if b.Rows != nil {
			fmt.Fprintf(&sb, " HeaderRows:%d Rows:%#v", b.HeaderRows, b.Rows)
		}
		sb.WriteString("}")
	}
	return sb.String()
}

func TestEmpty(t *testing.T) {
	run(t, []parseCase{
		{name: "nothing", in: ""},
		{name: "blank lines", in: "\n\n  \n\t\n"},
		{name: "empty heading", in: "#\n"},
		{name: "empty items", in: "-\n-\n"},
	})
}

func TestHeadings(t *testing.T) {
	run(t, []parseCase{
		{name: "atx 1", in: "# Sammanfattning", want: blocks(heading(1, plain("Sammanfattning")))},
		{name: "atx 2", in: "## Synpunkter", want: blocks(heading(2, plain("Synpunkter")))},
		{name: "atx 3", in: "### Avsnitt 5", want: blocks(heading(3, plain("Avsnitt 5")))},
		{name: "atx 6 is 3", in: "###### Djup", want: blocks(heading(3, plain("Djup")))},
		{name: "closing hashes", in: "## Synpunkter ##", want: blocks(heading(2, plain("Synpunkter")))},
		{name: "setext 1", in: "Sammanfattning\n===", want: blocks(heading(1, plain("Sammanfattning")))},
		{name: "setext 2", in: "Synpunkter\n---", want: blocks(heading(2, plain("Synpunkter")))},
		{name: "emphasis", in: "# Om *lagrådsremissen*",
			want: blocks(heading(1, plain("Om "), ital("lagrådsremissen")))},
		{name: "no title from markdown", in: "# Yttrande\n\nText",
			want: blocks(heading(1, plain("Yttrande")), para(plain("Text")))},
	})
}

func TestParagraphs(t *testing.T) {
	run(t, []parseCase{
		{name: "one", in: "Kommunen tillstyrker.", want: blocks(para(plain("Kommunen tillstyrker.")))},
		{name: "soft break is a space", in: "Kommunen\ntillstyrker.",
			want: blocks(para(plain("Kommunen tillstyrker.")))},
		{name: "hard break with spaces", in: "Huddinge kommun  \nKommunstyrelsen",
			want: blocks(para(plain("Huddinge kommun\nKommunstyrelsen")))},
		{name: "hard break with backslash", in: "Huddinge kommun\\\nKommunstyrelsen",
			want: blocks(para(plain("Huddinge kommun\nKommunstyrelsen")))},
		{name: "two", in: "Ett.\n\nTvå.", want: blocks(para(plain("Ett.")), para(plain("Två.")))},
		{name: "crlf", in: "Ett\r\ntvå.\r\n\r\nTre.\r\n",
			want: blocks(para(plain("Ett två.")), para(plain("Tre.")))},
		{name: "edges trimmed", in: "  Text  ", want: blocks(para(plain("Text")))},
	})
}

func TestEmphasis(t *testing.T) {
	run(t, []parseCase{
		{name: "star italic", in: "*kursiv*", want: blocks(para(ital("kursiv")))},
		{name: "underscore italic", in: "_kursiv_", want: blocks(para(ital("kursiv")))},
		{name: "star bold", in: "**fet**", want: blocks(para(bold("fet")))},
		{name: "underscore bold", in: "__fet__", want: blocks(para(bold("fet")))},
		{name: "both", in: "***båda***", want: blocks(para(both("båda")))},
		{name: "nested", in: "*a **b** c*", want: blocks(para(ital("a "), both("b"), ital(" c")))},
		{name: "mixed", in: "Kommunen **avstyrker** *delvis*.",
			want: blocks(para(plain("Kommunen "), bold("avstyrker"), plain(" "), ital("delvis"), plain(".")))},
		{name: "same emphasis merged", in: "**a** **b**", want: blocks(para(bold("a"), plain(" "), bold("b")))},
		{name: "code span is plain and merged", in: "se `4 kap. 2 §` nedan",
			want: blocks(para(plain("se 4 kap. 2 § nedan")))},
		{name: "code span literal", in: "`&amp; \\* <b>`", want: blocks(para(plain("&amp; \\* <b>")))},
		{name: "escaped stars", in: "\\*inte kursiv\\*", want: blocks(para(plain("*inte kursiv*")))},
		{name: "intraword underscore", in: "dnr_2024_12", want: blocks(para(plain("dnr_2024_12")))},
		{name: "strikethrough off", in: "~~x~~", want: blocks(para(plain("~~x~~")))},
	})
}

func TestLinks(t *testing.T) {
	run(t, []parseCase{
		{name: "web address printed", in: "se [regeringen](https://www.regeringen.se/remisser)",
			want: blocks(para(plain("se regeringen (https://www.regeringen.se/remisser)")))},
		{name: "text is the address", in: "[www.huddinge.se](https://www.huddinge.se/)",
			want: blocks(para(plain("www.huddinge.se")))},
		{name: "mail address printed", in: "[registrator](mailto:ks@huddinge.se)",
			want: blocks(para(plain("registrator (ks@huddinge.se)")))},
		{name: "fragment not printed", in: "[bilaga 1](#bilaga-1)", want: blocks(para(plain("bilaga 1")))},
		{name: "relative not printed", in: "[bilaga](bilaga.pdf)", want: blocks(para(plain("bilaga")))},
		{name: "javascript not printed", in: "[klicka](javascript:alert(1))", want: blocks(para(plain("klicka")))},
		{name: "address printed once", in: "[SKR](https://skr.se) och [SKR:s](https://skr.se)",
			want: blocks(para(plain("SKR (https://skr.se) och SKR:s")))},
		{name: "reference", in: "Se [SOU 2024:12][sou].\n\n[sou]: https://www.regeringen.se/sou",
			want: blocks(para(plain("Se SOU 2024:12 (https://www.regeringen.se/sou).")))},
		{name: "entity in address", in: "[a](https://x.se/?a=1&amp;b=%C3%A5)",
			want: blocks(para(plain("a (https://x.se/?a=1&b=%C3%A5)")))},
		{name: "emphasis inside", in: "**[SKR](https://skr.se)**", want: blocks(para(bold("SKR (https://skr.se)")))},
		{name: "autolink", in: "<https://www.riksdagen.se>", want: blocks(para(plain("https://www.riksdagen.se")))},
		{name: "mail autolink", in: "<ks@huddinge.se>", want: blocks(para(plain("ks@huddinge.se")))},
		{name: "malformed address not printed", in: "[a](https://x.se/<script>)", want: blocks(para(plain("a")))},
		{name: "bare address stays text", in: "www.huddinge.se", want: blocks(para(plain("www.huddinge.se")))},
	})
}

func TestLists(t *testing.T) {
	run(t, []parseCase{
		{name: "bulleted", in: "- ett\n- två", want: blocks(list(false, item(plain("ett")), item(plain("två"))))},
		{name: "star bullets", in: "* ett\n* två", want: blocks(list(false, item(plain("ett")), item(plain("två"))))},
		{name: "numbered", in: "1. ett\n2. två", want: blocks(list(true, item(plain("ett")), item(plain("två"))))},
		{name: "numbered from 3", in: "3. tre\n4. fyra",
			want: blocks(list(true, item(plain("tre")), item(plain("fyra"))))},
		{name: "emphasis in item", in: "- **Tillstyrker** förslaget",
			want: blocks(list(false, item(bold("Tillstyrker"), plain(" förslaget"))))},
		{name: "loose item with two paragraphs", in: "1. Första stycket.\n\n   Andra stycket.\n2. Nästa",
			want: blocks(list(true, item(plain("Första stycket.\nAndra stycket.")), item(plain("Nästa"))))},
		{name: "bold paragraphs join into one span", in: "- **a**\n\n  **b**",
			want: blocks(list(false, item(bold("a\nb"))))},
		{name: "nested bullets", in: "1. ett\n   - a\n   - b\n2. två",
			want: blocks(list(true, item(plain("ett")), item(plain("– a")), item(plain("– b")), item(plain("två"))))},
		{name: "nested numbers", in: "- ett\n  1. a\n  2. b",
			want: blocks(list(false, item(plain("ett")), item(plain("1. a")), item(plain("2. b"))))},
		{name: "nested numbers keep start and delimiter", in: "- ett\n\n  4) a",
			want: blocks(list(false, item(plain("ett")), item(plain("4) a"))))},
		{name: "three levels", in: "- ett\n  - a\n    - i\n    1. ii",
			want: blocks(list(false, item(plain("ett")), item(plain("– a")), item(plain("– – i")), item(plain("– 1. ii"))))},
		{name: "nested emphasis keeps prefix plain", in: "- ett\n  - *a*",
			want: blocks(list(false, item(plain("ett")), item(plain("– "), ital("a"))))},
		{name: "text after nested list stays with item", in: "- ett\n  - a\n\n  mer om ett",
			want: blocks(list(false, item(plain("ett\nmer om ett")), item(plain("– a"))))},
		{name: "item starting with a list", in: "- - a",
			want: blocks(list(false, item(plain("– a"))))},
		{name: "code in item", in: "- ett\n\n      rad 1\n      rad 2",
			want: blocks(list(false, item(plain("ett\nrad 1\nrad 2"))))},
		{name: "table in item", in: "- ett\n\n  | a | b |\n  |---|---|\n  | 1 |   |",
			want: blocks(list(false, item(plain("ett\na | b\n1"))))},
		{name: "list after paragraph", in: "Kommunen anser:\n\n- a",
			want: blocks(para(plain("Kommunen anser:")), list(false, item(plain("a"))))},
	})
}

func TestTables(t *testing.T) {
	run(t, []parseCase{
		{name: "simple", in: "| Åtgärd | Kostnad |\n|---|--:|\n| Handläggning | 1,2 mnkr |",
			want: blocks(table(
				row(item(plain("Åtgärd")), item(plain("Kostnad"))),
				row(item(plain("Handläggning")), item(plain("1,2 mnkr")))))},
		{name: "emphasis, escaped pipe, empty and missing cells",
			in: "a | b | c\n-|-|-\n**x** | y \\| z |\n*1*",
			want: blocks(table(
				row(item(plain("a")), item(plain("b")), item(plain("c"))),
				row(item(bold("x")), item(plain("y | z")), nil),
				row(item(ital("1")), nil, nil)))},
		{name: "header only", in: "| a |\n|---|", want: blocks(table(row(item(plain("a")))))},
		{name: "paragraph before table", in: "Kostnader:\n| a |\n|---|\n| 1 |",
			want: blocks(para(plain("Kostnader:")), table(row(item(plain("a"))), row(item(plain("1")))))},
		{name: "not a table without delimiter row", in: "| a | b |", want: blocks(para(plain("| a | b |")))},
	})
}

func TestQuotesBreaksAndCode(t *testing.T) {
	run(t, []parseCase{
		{name: "quote is italic", in: "> Kommunerna ska **planera**.",
			want: blocks(para(ital("Kommunerna ska "), both("planera"), ital(".")))},
		{name: "quote keeps its blocks", in: "> Citat.\n>\n> - punkt",
			want: blocks(para(ital("Citat.")), list(false, item(ital("punkt"))))},
		{name: "nested quote", in: "> > djupt", want: blocks(para(ital("djupt")))},
		{name: "thematic break", in: "Före.\n\n---\n\nEfter.",
			want: blocks(para(plain("Före.")), spacer, para(plain("Efter.")))},
		{name: "stars break", in: "***", want: blocks(spacer)},
		{name: "fenced code", in: "```text\nHuddinge kommun\n  141 85 Huddinge\n```",
			want: blocks(para(plain("Huddinge kommun\n  141 85 Huddinge")))},
		{name: "indented code", in: "    rad 1\n      rad 2\n", want: blocks(para(plain("rad 1\n  rad 2")))},
		{name: "code keeps markup literally", in: "```\n*inte* &amp; <b>\n```",
			want: blocks(para(plain("*inte* &amp; <b>")))},
		{name: "empty fence", in: "```\n```"},
	})
}

func TestTextIsExact(t *testing.T) {
	swedish := "Kommunen anser att förslaget ”i stort” är bra – men § 3 «bör» ändras. ÅÄÖ åäö é ü ’ … 2\u00a0000 kr"
	run(t, []parseCase{
		{name: "swedish", in: swedish, want: blocks(para(plain(swedish)))},
		{name: "no typographer", in: `"citat" -- 'enkelt' ... << x >>`,
			want: blocks(para(plain(`"citat" -- 'enkelt' ... << x >>`)))},
		{name: "named entities", in: "&amp; &ouml; &sect; &rdquo; &ndash; &nbsp;.",
			want: blocks(para(plain("& ö § ” – \u00a0.")))},
		{name: "numeric entities", in: "&#229; &#x2013; &#0;", want: blocks(para(plain("å – \ufffd")))},
		{name: "unknown entity stays", in: "&inte; & a", want: blocks(para(plain("&inte; & a")))},
		{name: "escaped entity stays", in: "\\&amp;", want: blocks(para(plain("&amp;")))},
		{name: "escaped punctuation", in: "\\# \\[a\\] \\<b\\> 1\\. \\\\", want: blocks(para(plain("# [a] <b> 1. \\")))},
		{name: "backslash before letter stays", in: "C:\\Dokument", want: blocks(para(plain("C:\\Dokument")))},
		{name: "emoji and combining", in: "👍 e\u0301", want: blocks(para(plain("👍 e\u0301")))},
		{name: "invalid utf-8", in: "a\xffb", want: blocks(para(plain("a\ufffdb")))},
		{name: "nul", in: "a\x00b", want: blocks(para(plain("a\ufffdb")))},
		{name: "tabs kept inside", in: "a\tb", want: blocks(para(plain("a\tb")))},
	})
}

func TestHTMLIsDropped(t *testing.T) {
	msg := func(tag string) string { return "HTML-kod tas inte med i dokumentet: " + tag }
	run(t, []parseCase{
		{name: "script block", in: "<script>alert(1)</script>", dropped: []string{msg("<script>")}},
		{name: "script block between paragraphs", in: "Före.\n\n<script>\nalert(1)\n</script>\n\nEfter.",
			want: blocks(para(plain("Före.")), para(plain("Efter."))), dropped: []string{msg("<script>")}},
		{name: "inline script and its content", in: "Text <script>alert(1)</script> mer.",
			want: blocks(para(plain("Text mer."))), dropped: []string{msg("<script>")}},
		{name: "unclosed inline script silences the rest", in: "Text <SCRIPT>alert(1)\nmer",
			want: blocks(para(plain("Text"))), dropped: []string{msg("<script>")}},
		{name: "inline style", in: "a <style>p{color:red}</style> b",
			want: blocks(para(plain("a b"))), dropped: []string{msg("<style>")}},
		{name: "inline tags keep the text between", in: "Kommunen <b>tillstyrker</b> <i>delvis</i>.",
			want: blocks(para(plain("Kommunen tillstyrker delvis."))), dropped: []string{msg("<b>"), msg("<i>")}},
		{name: "img with handler", in: "<img src=x onerror=alert(1)>", dropped: []string{msg("<img>")}},
		{name: "inline img", in: "Se <img src=x onerror=alert(1)> här",
			want: blocks(para(plain("Se här"))), dropped: []string{msg("<img>")}},
		{name: "div block takes its lines", in: "<div>\nViktig text\n</div>\n\nEfter.",
			want: blocks(para(plain("Efter."))), dropped: []string{msg("<div>")}},
		{name: "comment", in: "a <!-- dold --> b", want: blocks(para(plain("a b"))), dropped: []string{msg("<!-- -->")}},
		{name: "comment block", in: "<!--\ndold\n-->", dropped: []string{msg("<!-- -->")}},
		{name: "declaration", in: "<!DOCTYPE html>", dropped: []string{msg("<!DOCTYPE>")}},
		{name: "processing instruction", in: "<?php echo 1; ?>", dropped: []string{msg("<? ?>")}},
		{name: "in heading", in: "# Rubrik <span>x</span>", want: blocks(heading(1, plain("Rubrik x"))),
			dropped: []string{msg("<span>")}},
		{name: "in table cell", in: "| a |\n|---|\n| <b>x</b> |", want: blocks(table(row(item(plain("a"))), row(item(plain("x"))))),
			dropped: []string{msg("<b>")}},
		{name: "in list item", in: "- <u>a</u>", want: blocks(list(false, item(plain("a")))), dropped: []string{msg("<u>")}},
		{name: "in link text", in: "[<b>a</b>](https://a.se)", want: blocks(para(plain("a (https://a.se)"))),
			dropped: []string{msg("<b>")}},
		{name: "deduplicated", in: "<b>a</b> <B>b</B> <b>c</b>", want: blocks(para(plain("a b c"))),
			dropped: []string{msg("<b>")}},
		{name: "entities are text, not HTML", in: "&lt;script&gt;", want: blocks(para(plain("<script>")))},
		{name: "code span is text, not HTML", in: "`<script>`", want: blocks(para(plain("<script>")))},
		{name: "a lone < is text", in: "a < b > c", want: blocks(para(plain("a < b > c")))},
		// CommonMark: an unquoted attribute value cannot hold "'", so this
		// is no tag but the author's text, and prints as typed. The
		// renderers draw text; they never interpret it.
		{name: "malformed tag is text", in: "<img src=x onerror=alert('x')>",
			want: blocks(para(plain("<img src=x onerror=alert('x')>")))},
	})
}

// TestGuards: past what any letter has, hostile shapes degrade to text.
func TestGuards(t *testing.T) {
	deep := strings.Repeat(">", 32)
	run(t, []parseCase{
		{name: "nesting past 32 is text", in: deep + ">>> djupt", want: blocks(para(ital(">>> djupt")))},
		{name: "nesting of 32 is quotes", in: deep + " djupt", want: blocks(para(ital("djupt")))},
		{name: "list nesting past 32 is text", in: strings.Repeat("- ", 32) + "- a", want: blocks(list(false,
			item(plain(strings.Repeat("– ", 31)+"- a"))))},
		{name: "indentation past 128 columns is cut", in: strings.Repeat(" ", 200) + "x",
			want: blocks(para(plain(strings.Repeat(" ", 124) + "x")))},
		{name: "a tab is four columns", in: strings.Repeat("\t", 40) + "x",
			want: blocks(para(plain(strings.Repeat("\t", 31) + "x")))},
		{name: "padded wide table is a paragraph",
			in:   strings.Repeat("|a", 100) + "\n" + strings.Repeat("|-", 100) + "\n" + strings.Repeat("x\n", 20),
			want: blocks(para(plain(strings.Repeat("|a", 100) + " " + strings.Repeat("|-", 100) + strings.Repeat(" x", 20))))},
	})
}

// TestInlineMarksArePerParagraph: past 1 024 emphasis delimiters in one
// paragraph the rest print as written; a blank line starts the count anew.
func TestInlineMarksArePerParagraph(t *testing.T) {
	many := strings.TrimSpace(strings.Repeat("*a* ", 513))
	got, _ := markdown.Parser{}.Blocks(many + "\n\n*b*")
	if len(got) != 2 {
		t.Fatalf("%d blocks", len(got))
	}
	spans := got[0].Spans
	if last := spans[len(spans)-1]; last.Italic || last.Text != " *a*" {
		t.Errorf("the 513th emphasis: %+v, want the text \" *a*\"", last)
	}
	if first := spans[0]; !first.Italic || first.Text != "a" {
		t.Errorf("the first emphasis: %+v", first)
	}
	if b := got[1].Spans; len(b) != 1 || !b[0].Italic {
		t.Errorf("the next paragraph's emphasis: %+v", b)
	}
}

func TestManyDropsAreCapped(t *testing.T) {
	var in strings.Builder
	for i := range 15 {
		fmt.Fprintf(&in, "<tag%d>x</tag%d>\n", i, i)
	}
	_, dropped := markdown.Parser{}.Blocks(in.String())
	if len(dropped) != 10 {
		t.Fatalf("%d messages, want 10: %q", len(dropped), dropped)
	}
	if got, want := dropped[0], "HTML-kod tas inte med i dokumentet: <tag0>"; got != want {
		t.Errorf("first message %q, want %q", got, want)
	}
	if got, want := dropped[9], "Fler delar av texten tas inte med i dokumentet."; got != want {
		t.Errorf("last message %q, want %q", got, want)
	}
}

func TestImagesAreDropped(t *testing.T) {
	run(t, []parseCase{
		{name: "alone", in: "![Karta över Flemingsberg](https://evil.example/karta.png)",
			dropped: []string{"Bilder tas inte med i dokumentet: ”Karta över Flemingsberg”"}},
		{name: "inline, no alt", in: "Se ![](karta.png) kartan.",
			want: blocks(para(plain("Se kartan."))), dropped: []string{"Bilder tas inte med i dokumentet."}},
		{name: "long alt shortened", in: "![" + strings.Repeat("å", 60) + "](x.png)",
			dropped: []string{"Bilder tas inte med i dokumentet: ”" + strings.Repeat("å", 39) + "…”"}},
		{name: "inside a link", in: "[![logo](logo.png) Huddinge](https://huddinge.se)",
			want:    blocks(para(plain("Huddinge (https://huddinge.se)"))),
			dropped: []string{"Bilder tas inte med i dokumentet: ”logo”"}},
	})
}

// TestNothingOfDroppedMarkupRemains checks the promise of the interface:
// neither the markup nor an image's address reaches any text.
func TestNothingOfDroppedMarkupRemains(t *testing.T) {
	in := "# Rubrik <script>alert('r')</script>\n\n" +
		"Text <img src=x onerror=\"alert('i')\"> ![karta](https://evil.example/k.png)\n\n" +
		"<script>\nalert('b')\n</script>\n\n" +
		"| a |\n|---|\n| <script>alert('t')</script> |\n\n" +
		"- <iframe src=https://evil.example/f></iframe>\n"
	got, dropped := markdown.Parser{}.Blocks(in)
	for _, text := range allText(got) {
		for _, bad := range []string{"<", "alert", "evil", "onerror", "k.png"} {
			if strings.Contains(text, bad) {
				t.Errorf("span %q contains %q", text, bad)
			}
		}
	}
	for _, m := range dropped {
		if strings.Contains(m, "evil") || strings.Contains(m, "alert") {
			t.Errorf("message %q quotes the dropped markup", m)
		}
	}
}

// allText returns the text of every span in blocks.
func allText(bs []documents.Block) []string {
	var out []string
	add := func(spans []documents.Span) {
		for _, s := range spans {
			out = append(out, s.Text)
		}
	}
	for _, b := range bs {
		add(b.Spans)
		for _, it := range b.Items {
			add(it)
		}
		for _, r := range b.Rows {
			for _, c := range r {
				add(c.Spans)
			}
		}
	}
	return out
}
