package pdf_test

import (
	"os"
	"strings"
	"testing"

	"github.com/yttrande/remiss/internal/pdfcheck"
	"github.com/yttrande/remiss/workflow/documents"
)

// TestConformance: documents of every shape the renderer draws meet every
// PDF/UA (Matterhorn) and PDF/A-2 condition pdfcheck tests, and pass
// pdfcpu's strict validation and qpdf's check: the sample
// with a table and a numbered list, text across pages with a long table,
// justified text, logos (a PNG with a half-transparent edge, a CMYK
// JPEG), characters the fonts lack, a layout without a title or fields,
// and the 76 pages of SOU 2022:59.
func TestConformance(t *testing.T) {
	slow(t)
	cmyk, err := os.ReadFile("testdata/cmyk-logo.jpg")
	if err != nil {
		t.Fatal(err)
	}
	// A logo whose edge fades out, which gofpdf draws with a soft mask
	// (transparency, which PDF/A-2 allows under an output intent).
	translucent, err := os.ReadFile("testdata/translucent-logo.png")
	if err != nil {
		t.Fatal(err)
	}
	for name, l := range map[string]documents.Layout{
		"sample":           withTable(sample()),
		"across pages":     acrossPages(),
		"justified":        justified(),
		"translucent logo": withLogo(sample(), translucent),
		"CMYK logo":        withLogo(sample(), cmyk),
		"missing glyphs":   missingGlyphs(),
		"bare":             {Blocks: []documents.Block{documents.HeadingBlock(2, "Rubrik"), documents.ParagraphBlock("Text.")}},
		"SOU 2022:59":      reportLayout(reportText(t)),
	} {
		t.Run(name, func(t *testing.T) {
			path := render(t, l)
			failures, err := pdfcheck.Check(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range failures {
				t.Error(f)
			}
			validate(t, path)
			tool(t, "qpdf", "--check", path)
		})
	}
}

// TestAccessibilityDocListsTheConditions: docs/accessibility.md names
// every condition the tests check, so that what it says is checked is.
func TestAccessibilityDocListsTheConditions(t *testing.T) {
	doc, err := os.ReadFile("../../docs/accessibility.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range pdfcheck.Conditions {
		if !strings.Contains(string(doc), c.ID) {
			t.Errorf("docs/accessibility.md does not list %s (%s)", c.ID, c.Text)
		}
	}
}

func withTable(l documents.Layout) documents.Layout {
	l.Blocks = append(l.Blocks,
		documents.HeadingBlock(3, "Synpunkter i tabellform"),
		documents.Block{Role: documents.RoleTable, HeaderRows: 1, Rows: [][]documents.TableCell{
			{{Spans: documents.Text("Avsnitt")}, {Spans: documents.Text("Ställningstagande")}},
			{{Spans: documents.Text("5.2")}, {Spans: []documents.Span{{Text: "Tillstyrker", Italic: true}}}},
		}},
		documents.Block{Role: documents.RoleList, Ordered: true, Items: [][]documents.Span{documents.Text("Först"), documents.Text("Sedan")}})
	return l
}

func acrossPages() documents.Layout {
	l := sample()
	long := strings.Repeat("Kommunen tillstyrker förslaget om försöksverksamhet i den kommunala sektorn. ", 40)
	rows := [][]documents.TableCell{{{Spans: documents.Text("Nr")}, {Spans: documents.Text("Ärende")}}}
	for range 80 {
		rows = append(rows, []documents.TableCell{{Spans: documents.Text("1")}, {Spans: documents.Text("Remiss om försöksverksamhet")}})
	}
	l.Blocks = append(l.Blocks, documents.ParagraphBlock(long), documents.ParagraphBlock(long),
		documents.Block{Role: documents.RoleList, Items: [][]documents.Span{documents.Text(long)}},
		documents.Block{Role: documents.RoleTable, HeaderRows: 1, Rows: rows})
	return l
}

func justified() documents.Layout {
	l := sample()
	l.Justify = true
	l.Blocks = append(l.Blocks, documents.ParagraphBlock(strings.Repeat("Kommunstyrelsens förvaltning anser att förslagen är bra. ", 12)))
	return l
}

func withLogo(l documents.Layout, logo []byte) documents.Layout {
	l.Letterhead.Logo = logo
	return l
}

func missingGlyphs() documents.Layout {
	l := sample()
	l.Blocks = append(l.Blocks, documents.ParagraphBlock("Klart ✓, tack 👍🏽, 120 ㎡, sa\u030ag, 中文, 𝑥."))
	return l
}
