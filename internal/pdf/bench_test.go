package pdf_test

import (
	"flag"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yttrande/remiss/internal/pdf"
	"github.com/yttrande/remiss/workflow/documents"
)

// htmlDir, when given, is where the benchmarks' layouts are written as
// HTML (and as our PDF), so that bench/documents.sh can have LibreOffice
// convert the same content in the same run.
var htmlDir = flag.String("html", "", "write the benchmarks' layouts as HTML and PDF into this folder")

func TestMain(m *testing.M) {
	flag.Parse()
	if *htmlDir != "" {
		if err := writeLayouts(*htmlDir); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	os.Exit(m.Run())
}

// threePages is a yttrande-like layout of three pages.
func threePages() documents.Layout {
	l := sample()
	for i := range 40 {
		l.Blocks = append(l.Blocks, documents.ParagraphBlock(fmt.Sprintf("Stycke %d. Kommunstyrelsens förvaltning anser att de förslag som lämnas i betänkandet är bra men att tillämpningen av försökslagstiftningen noggrant måste utvärderas.", i)))
	}
	return l
}

// BenchmarkRender3Pages renders a yttrande-like layout of three pages,
// tagged as every document is, and untagged for the baseline that
// bench/tagging.sh compares it with.
func BenchmarkRender3Pages(b *testing.B) {
	b.Run("tagged", func(b *testing.B) { benchmarkRender(b, threePages()) })
	b.Run("untagged", func(b *testing.B) {
		r, _ := pdf.NewRenderer()
		pdf.Untagged(r)
		l := threePages()
		for b.Loop() {
			if _, err := r.Render(l); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkRenderReport renders the whole of SOU 2022:59, justified (76
// pages).
func BenchmarkRenderReport(b *testing.B) {
	benchmarkRender(b, reportLayout(reportText(b)))
}

func benchmarkRender(b *testing.B, l documents.Layout) {
	r, _ := pdf.NewRenderer()
	for b.Loop() {
		if _, err := r.Render(l); err != nil {
			b.Fatal(err)
		}
	}
}

// writeLayouts writes the benchmarks' layouts into dir as HTML and as
// rendered here: yttrande.html and yttrande-remiss.pdf, report.html and
// report-remiss.pdf.
func writeLayouts(dir string) error {
	text, err := os.ReadFile(reportPath)
	if err != nil {
		return err
	}
	r, err := pdf.NewRenderer()
	if err != nil {
		return err
	}
	for name, l := range map[string]documents.Layout{"yttrande": threePages(), "report": reportLayout(string(text))} {
		b, err := r.Render(l)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, name+"-remiss.pdf"), b, 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, name+".html"), []byte(layoutHTML(l)), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// layoutHTML is the text and structure of l as plain HTML: the same
// words, headings, emphasis, lists, tables and signatures, in the same
// fonts and sizes, justified where l is.
func layoutHTML(l documents.Layout) string {
	var b strings.Builder
	align := "left"
	if l.Justify {
		align = "justify"
	}
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\"sv-SE\"><head><meta charset=\"utf-8\"><title>%s</title>\n"+
		"<style>@page{size:A4;margin:20mm 25mm 22mm 25mm} body{font-family:'Liberation Serif';font-size:11.5pt} p{text-align:%s} h1,h2,h3,h4{font-family:'Liberation Sans'}</style></head><body>\n",
		html.EscapeString(l.Meta.Title), align)
	lh := l.Letterhead
	fmt.Fprintf(&b, "<h4>%s</h4>\n", html.EscapeString(lh.Name))
	for _, s := range append([]string{lh.Unit}, lh.Lines...) {
		fmt.Fprintf(&b, "<div>%s</div>\n", html.EscapeString(s))
	}
	for _, f := range l.Fields {
		fmt.Fprintf(&b, "<div><b>%s</b> %s</div>\n", html.EscapeString(f.Label), html.EscapeString(f.Value))
	}
	for _, s := range l.Addressee {
		fmt.Fprintf(&b, "<div>%s</div>\n", html.EscapeString(s))
	}
	for _, bl := range l.Blocks {
		blockHTML(&b, bl)
	}
	b.WriteString("</body></html>\n")
	return b.String()
}

func blockHTML(b *strings.Builder, bl documents.Block) {
	switch bl.Role {
	case documents.RoleTitle:
		fmt.Fprintf(b, "<h1>%s</h1>\n", spansHTML(bl.Spans))
	case documents.RoleHeading:
		fmt.Fprintf(b, "<h%d>%s</h%[1]d>\n", min(max(bl.Level, 1), 3)+1, spansHTML(bl.Spans))
	case documents.RoleParagraph:
		fmt.Fprintf(b, "<p>%s</p>\n", spansHTML(bl.Spans))
	case documents.RoleList:
		tag := "ul"
		if bl.Ordered {
			tag = "ol"
		}
		fmt.Fprintf(b, "<%s>\n", tag)
		for _, item := range bl.Items {
			fmt.Fprintf(b, "<li>%s</li>\n", spansHTML(item))
		}
		fmt.Fprintf(b, "</%s>\n", tag)
	case documents.RoleTable:
		b.WriteString("<table border=\"1\">\n")
		for i, row := range bl.Rows {
			b.WriteString("<tr>")
			for _, c := range row {
				tag := map[bool]string{true: "th", false: "td"}[i < bl.HeaderRows]
				fmt.Fprintf(b, "<%s>%s</%[1]s>", tag, spansHTML(c.Spans))
			}
			b.WriteString("</tr>\n")
		}
		b.WriteString("</table>\n")
	case documents.RoleSignature:
		b.WriteString("<table><tr>")
		for _, s := range bl.Signers {
			fmt.Fprintf(b, "<td>%s<br>%s<br>%s</td>", html.EscapeString(s.Name), html.EscapeString(s.Title), html.EscapeString(s.Unit))
		}
		b.WriteString("</tr></table>\n")
	case documents.RoleSpacer:
		b.WriteString("<br>\n")
	}
}

func spansHTML(spans []documents.Span) string {
	var b strings.Builder
	for _, s := range spans {
		t := html.EscapeString(s.Text)
		if s.Italic {
			t = "<i>" + t + "</i>"
		}
		if s.Bold {
			t = "<b>" + t + "</b>"
		}
		b.WriteString(t)
	}
	return b.String()
}
