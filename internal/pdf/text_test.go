package pdf_test

import (
	"encoding/xml"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/yttrande/remiss/workflow/documents"
)

// The text column in points, as pdftotext measures: A4 with 25 mm
// margins at the sides and 22 mm at the foot, below which is the footer.
const (
	columnLeft   = 25 / 25.4 * 72
	columnRight  = (210 - 25) / 25.4 * 72
	columnBottom = (297 - 22) / 25.4 * 72
)

// bboxLine is one line of text as pdftotext -bbox-layout finds it.
type bboxLine struct {
	page             int
	xMin, xMax, yMin float64
	words            []string
}

func (l bboxLine) text() string { return strings.Join(l.words, " ") }

// bboxLines reads the lines of text above the footer of every page, in
// pdftotext's reading order.
func bboxLines(t *testing.T, path string) []bboxLine {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(tool(t, "pdftotext", "-bbox-layout", path, "-")))
	var lines []bboxLine
	page := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		el, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch el.Name.Local {
		case "page":
			page++
		case "line":
			lines = append(lines, bboxLine{page: page, xMin: attr(el, "xMin"), xMax: attr(el, "xMax"), yMin: attr(el, "yMin")})
		case "word":
			var w string
			if err := dec.DecodeElement(&w, &el); err != nil {
				t.Fatal(err)
			}
			lines[len(lines)-1].words = append(lines[len(lines)-1].words, w)
		}
	}
	body := lines[:0]
	for _, l := range lines {
		if l.yMin < columnBottom {
			body = append(body, l)
		}
	}
	return body
}

func attr(el xml.StartElement, name string) float64 {
	for _, a := range el.Attr {
		if a.Name.Local == name {
			v, _ := strconv.ParseFloat(a.Value, 64)
			return v
		}
	}
	return math.NaN()
}

// paragraphs groups lines into the paragraphs that start with a word
// beginning with marker ("Stycke"): each holds its lines until the next
// such line. Lines before the first are left out.
func paragraphs(lines []bboxLine, marker string) [][]bboxLine {
	var out [][]bboxLine
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l.words[0], marker):
			out = append(out, []bboxLine{l})
		case len(out) > 0:
			out[len(out)-1] = append(out[len(out)-1], l)
		}
	}
	return out
}

// words normalises white space to single spaces.
func words(s string) string { return strings.Join(strings.Fields(s), " ") }

const filler = "Kommunstyrelsens förvaltning anser att de förslag som lämnas i betänkandet är bra men att tillämpningen av försökslagstiftningen noggrant måste utvärderas innan den blir permanent."

// justifiedSample has a plain paragraph and one whose emphasis changes
// mid line and mid word, each long enough for several lines.
func justifiedSample(justify bool) documents.Layout {
	l := sample()
	l.Justify = justify
	l.Blocks = []documents.Block{
		{Role: documents.RoleTitle, Spans: documents.Text("Yttrande")},
		documents.ParagraphBlock("Stycke ett. " + filler + " " + filler + " Slut."),
		{Role: documents.RoleParagraph, Spans: []documents.Span{
			{Text: "Stycke två. Kommunstyrelsens förvaltning anser att "}, {Text: "de förslag som lämnas", Bold: true},
			{Text: " i betänkandet är "}, {Text: "bra", Italic: true}, {Text: ", men att tillämpningen av "},
			{Text: "försökslagstiftningen noggrant måste utvärderas", Bold: true, Italic: true},
			{Text: " innan den blir permanent. " + filler + " Kort slut."}}},
		documents.ParagraphBlock("Stycke tre. " + filler),
	}
	return l
}

// TestJustifiedLinesMeetTheRightMargin: in a justified layout every line
// of a paragraph but its last ends at the right margin, emphasis changes
// or not, and the last is ragged; without Justify the lines are ragged.
// Either way pdftotext reads the words in order with single spaces.
func TestJustifiedLinesMeetTheRightMargin(t *testing.T) {
	for _, justify := range []bool{true, false} {
		l := justifiedSample(justify)
		path := render(t, l)
		paras := paragraphs(bboxLines(t, path), "Stycke")
		if len(paras) != 3 {
			t.Fatalf("justify %v: %d paragraphs, want 3", justify, len(paras))
		}
		short := 0
		for i, p := range paras {
			if len(p) < 2 {
				t.Fatalf("justify %v: paragraph %d has %d line", justify, i, len(p))
			}
			for j, line := range p {
				if math.Abs(line.xMin-columnLeft) > 0.5 {
					t.Errorf("justify %v: paragraph %d line %d starts at %.2f, not %.2f", justify, i, j, line.xMin, columnLeft)
				}
				last := j == len(p)-1
				flush := math.Abs(line.xMax-columnRight) < 0.5
				if justify && !last && !flush {
					t.Errorf("paragraph %d line %d ends at %.2f, not at the margin %.2f: %s", i, j, line.xMax, columnRight, line.text())
				}
				if line.xMax > columnRight+0.5 || last && line.xMax > columnRight-5 {
					t.Errorf("justify %v: paragraph %d line %d ends at %.2f: %s", justify, i, j, line.xMax, line.text())
				}
				if !flush {
					short++
				}
			}
		}
		if !justify && short <= len(paras) {
			t.Errorf("ragged text: only %d lines fall short of the margin", short)
		}
		text := words(tool(t, "pdftotext", path, "-"))
		for _, b := range l.Blocks[1:] {
			if want := words(documents.PlainText(b.Spans)); !strings.Contains(text, want) {
				t.Errorf("justify %v: pdftotext lacks %q in:\n%s", justify, want, text)
			}
		}
	}
}

// TestSplitParagraphsKeepTwoLinesOnEachPage: however the paragraphs fall,
// one split over two pages leaves at least two lines on each (no widow,
// no orphan), justified or not.
func TestSplitParagraphsKeepTwoLinesOnEachPage(t *testing.T) {
	slow(t)
	for _, justify := range []bool{true, false} {
		splits := 0
		for n := range 8 {
			l := sample()
			l.Justify = justify
			for i := range n {
				l.Blocks = append(l.Blocks, documents.ParagraphBlock(fmt.Sprintf("Rad %d.", i)))
			}
			for i := range 16 {
				l.Blocks = append(l.Blocks, documents.ParagraphBlock(fmt.Sprintf("Stycke %d. %s %s %s", i, filler, filler, filler)))
			}
			for i, p := range paragraphs(bboxLines(t, render(t, l)), "Stycke") {
				first := 0
				for first < len(p) && p[first].page == p[0].page {
					first++
				}
				if first < len(p) {
					splits++
					if first < 2 || len(p)-first < 2 {
						t.Errorf("justify %v, %d lines before: paragraph %d is split %d + %d", justify, n, i, first, len(p)-first)
					}
				}
			}
		}
		if splits < 4 {
			t.Errorf("justify %v: only %d paragraphs were split; the test tests too little", justify, splits)
		}
	}
}

// TestHeadingIsNeverLastOnAPage: whatever text comes before it, a heading
// is followed on its page by the start of its paragraph, justified or
// not, and by the whole of a paragraph too short to split (three lines
// here), so that it is sometimes moved to the top of the next page.
func TestHeadingIsNeverLastOnAPage(t *testing.T) {
	slow(t)
	after := "Stycke efter rubriken. " + filler + " Sista raden."
	for _, justify := range []bool{false, true} {
		moved := 0
		for n := 10; n < 26; n++ { // the heading passes the foot of page 1
			l := sample()
			l.Justify = justify
			for i := range n {
				l.Blocks = append(l.Blocks, documents.ParagraphBlock(fmt.Sprintf("Rad %d.", i)))
			}
			l.Blocks = append(l.Blocks, documents.HeadingBlock(1, "Sammanfattning"), documents.ParagraphBlock(after))
			lines := bboxLines(t, render(t, l))
			for i, line := range lines {
				if line.text() != "Sammanfattning" {
					continue
				}
				if end := lines[len(lines)-1]; end.page != line.page || !strings.HasSuffix(end.text(), "Sista raden.") {
					t.Errorf("justify %v, %d lines before: the heading on page %d, its paragraph ends on page %d with %q", justify, n, line.page, end.page, end.text())
				}
				if lines[i-1].page < line.page {
					moved++
				}
			}
		}
		if moved == 0 {
			t.Errorf("justify %v: the heading never began a page; the test tests nothing", justify)
		}
	}
}

// TestAddresseeAndSignersSideBySide: the addressee follows the header
// grid; signers sign in columns side by side, each with name, title and
// unit, two or three to a row.
func TestAddresseeAndSignersSideBySide(t *testing.T) {
	l := sample()
	l.Addressee = []string{"Finansdepartementet", "103 33 Stockholm"}
	unit := "Arbets- och etableringsenheten"
	l.Blocks = append(l.Blocks, documents.Block{Role: documents.RoleSignature, Signers: []documents.Signer{
		{Name: "Pia Stark", Title: "Enhetschef", Unit: unit}, {Name: "Jenny Rivas", Title: "Verksamhetsutvecklare", Unit: unit}}},
		documents.Block{Role: documents.RoleSignature, Signers: []documents.Signer{
			{Name: "Lars Ek", Title: "Ordförande"}, {Name: "Eva Al", Title: "Justerare"}, {Name: "Per Ros", Title: "Sekreterare"}}})
	path := render(t, l)
	text := words(tool(t, "pdftotext", path, "-"))
	if want := "Paragraf § 15 Finansdepartementet 103 33 Stockholm Förändring genom"; !strings.Contains(text, want) {
		t.Errorf("pdftotext lacks %q in:\n%s", want, text)
	}
	rows := strings.Split(tool(t, "pdftotext", "-layout", path, "-"), "\n")
	for _, row := range [][]string{{"Pia Stark", "Jenny Rivas"}, {"Enhetschef", "Verksamhetsutvecklare"}, {unit, unit}, {"Lars Ek", "Eva Al", "Per Ros"}} {
		found := false
		for _, r := range rows {
			found = found || inOrder(r, row)
		}
		if !found {
			t.Errorf("no line has %q side by side in:\n%s", row, strings.Join(rows, "\n"))
		}
	}
}

// inOrder says s holds parts one after another.
func inOrder(s string, parts []string) bool {
	for _, p := range parts {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return true
}
