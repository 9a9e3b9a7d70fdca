package pdf_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/yttrande/remiss/internal/pdf"
	"github.com/yttrande/remiss/workflow"
)

func render(t *testing.T, l workflow.Layout) string {
	t.Helper()
	r, err := pdf.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.Render(l)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// tool runs one of poppler's or qpdf's commands and returns its output.
func tool(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

func sample() workflow.Layout {
	return workflow.Layout{
		Meta: workflow.LayoutMeta{Title: "Yttrande över SOU 2023:94", Author: "Huddinge kommun", Subject: "Försöksverksamhet",
			Keywords: []string{"KS-2024/76.109", "Fi2023/04321"}, Created: time.Date(2024, 3, 27, 12, 0, 0, 0, time.UTC)},
		Letterhead: workflow.Letterhead{Name: "Huddinge kommun", Unit: "Kommunstyrelsens arbetsutskott", Lines: []string{"141 85 Huddinge"}},
		Fields:     []workflow.LayoutField{{Label: "Sammanträdesdatum", Value: "27 mars 2024"}, {Label: "Paragraf", Value: "§ 15"}},
		Footer:     "Justerandes signatur",
		Blocks: []workflow.Block{
			{Role: workflow.RoleTitle, Spans: workflow.Text("Förändring genom försöksverksamhet – svar på remiss")},
			workflow.HeadingBlock(1, "Kommunstyrelsens arbetsutskotts beslut"),
			{Role: workflow.RoleParagraph, Spans: []workflow.Span{{Text: "Åtgärden är "}, {Text: "viktig", Bold: true}, {Text: " för «kommunsektorn» och ”försök”."}}},
			{Role: workflow.RoleList, Items: [][]workflow.Span{workflow.Text("Finansdepartementet"), workflow.Text("Socialnämnden")}},
			{Role: workflow.RoleSignature, Signers: []workflow.Signer{{Name: "Anna Ek", Title: "Sekreterare"}}},
		},
	}
}

// TestRenderedTextFontsAndMetadata: the text comes back from pdftotext in
// order with its Swedish characters; the fonts are embedded with Unicode
// maps; the metadata and the page size are right; qpdf finds no fault.
func TestRenderedTextFontsAndMetadata(t *testing.T) {
	path := render(t, sample())
	text := tool(t, "pdftotext", path, "-")
	last := -1
	for _, want := range []string{"Huddinge kommun", "Kommunstyrelsens arbetsutskott", "Sammanträdesdatum", "27 mars 2024", "Paragraf", "§ 15",
		"Förändring genom försöksverksamhet – svar på remiss", "Kommunstyrelsens arbetsutskotts beslut", "Åtgärden är viktig för «kommunsektorn» och ”försök”.",
		"Finansdepartementet", "Socialnämnden", "Anna Ek", "Sekreterare", "Justerandes signatur", "1 (1)"} {
		i := strings.Index(text, want)
		if i < last {
			t.Errorf("%q missing or out of order in:\n%s", want, text)
		}
		last = max(last, i)
	}
	fonts := tool(t, "pdffonts", path)
	for _, f := range []string{"utf8serif", "utf8serifB", "utf8sansB"} {
		if !strings.Contains(fonts, f) {
			t.Errorf("pdffonts lacks %s:\n%s", f, fonts)
		}
	}
	for _, line := range strings.Split(fonts, "\n")[2:] {
		if f := strings.Fields(line); len(f) >= 5 && (f[len(f)-5] != "yes" || f[len(f)-3] != "yes") {
			t.Errorf("font not embedded with a Unicode map: %s", line)
		}
	}
	info := tool(t, "pdfinfo", path)
	for _, want := range []string{"Title:           Yttrande över SOU 2023:94", "Author:          Huddinge kommun", "KS-2024/76.109, Fi2023/04321", "Pages:           1", "(A4)"} {
		if !strings.Contains(info, want) {
			t.Errorf("pdfinfo lacks %q:\n%s", want, info)
		}
	}
	tool(t, "qpdf", "--check", path)
}

// TestSameLayoutSameBytes: rendering is reproducible.
func TestSameLayoutSameBytes(t *testing.T) {
	r, _ := pdf.NewRenderer()
	a, err := r.Render(sample())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := r.Render(sample())
	if !bytes.Equal(a, b) {
		t.Error("two renderings of one layout differ")
	}
}

// TestLongTableRepeatsItsHeaderAndPagesAreNumbered: a table over several
// pages has its header row on each, and every page says "n (N)".
func TestLongTableRepeatsItsHeaderAndPagesAreNumbered(t *testing.T) {
	l := sample()
	rows := [][]workflow.TableCell{{{Spans: workflow.Text("Nr")}, {Spans: workflow.Text("Ärende")}}}
	for i := 1; i <= 120; i++ {
		rows = append(rows, []workflow.TableCell{{Spans: workflow.Text(fmt.Sprint(i))}, {Spans: workflow.Text(fmt.Sprintf("Remiss nummer %d om försöksverksamhet", i))}})
	}
	l.Blocks = append(l.Blocks, workflow.Block{Role: workflow.RoleTable, Rows: rows, HeaderRows: 1, Widths: []float64{1, 5}})
	path := render(t, l)
	info := tool(t, "pdfinfo", path)
	var pages int
	fmt.Sscanf(info[strings.Index(info, "Pages:"):], "Pages: %d", &pages)
	if pages < 3 {
		t.Fatalf("%d pages, want at least 3", pages)
	}
	for p := 2; p <= pages; p++ {
		text := tool(t, "pdftotext", "-f", fmt.Sprint(p), "-l", fmt.Sprint(p), path, "-")
		if !strings.Contains(text, "Ärende") || !strings.Contains(text, fmt.Sprintf("%d (%d)", p, pages)) {
			t.Errorf("page %d lacks the header row or its number:\n%s", p, text)
		}
	}
}

// TestHeadingIsNeverLastOnAPage: whatever text comes before it, a heading
// is followed on its page by the start of its paragraph.
func TestHeadingIsNeverLastOnAPage(t *testing.T) {
	for n := 30; n < 50; n++ {
		l := sample()
		for i := range n {
			l.Blocks = append(l.Blocks, workflow.ParagraphBlock(fmt.Sprintf("Rad %d.", i)))
		}
		l.Blocks = append(l.Blocks, workflow.HeadingBlock(1, "Sammanfattning"), workflow.ParagraphBlock("Texten efter rubriken."))
		path := render(t, l)
		for p := 1; p <= 3; p++ {
			text, err := exec.Command("pdftotext", "-f", fmt.Sprint(p), "-l", fmt.Sprint(p), path, "-").Output()
			if err != nil {
				break
			}
			if strings.Contains(string(text), "Sammanfattning") && !strings.Contains(string(text), "Texten efter rubriken.") {
				t.Fatalf("with %d lines before it the heading is alone at the foot of page %d", n, p)
			}
		}
	}
}

// TestBadLayoutsAreErrors: an empty layout and a logo that is no image
// give errors, not a broken file or a panic.
func TestBadLayoutsAreErrors(t *testing.T) {
	r, _ := pdf.NewRenderer()
	if _, err := r.Render(workflow.Layout{}); err == nil {
		t.Error("an empty layout rendered")
	}
	l := sample()
	l.Letterhead.Logo = []byte("not an image")
	if _, err := r.Render(l); err == nil {
		t.Error("a broken logo rendered")
	}
}

// BenchmarkRender3Pages renders a yttrande-like layout of three pages.
func BenchmarkRender3Pages(b *testing.B) {
	r, _ := pdf.NewRenderer()
	l := sample()
	for i := range 40 {
		l.Blocks = append(l.Blocks, workflow.ParagraphBlock(fmt.Sprintf("Stycke %d. Kommunstyrelsens förvaltning anser att de förslag som lämnas i betänkandet är bra men att tillämpningen av försökslagstiftningen noggrant måste utvärderas.", i)))
	}
	for b.Loop() {
		if _, err := r.Render(l); err != nil {
			b.Fatal(err)
		}
	}
}
