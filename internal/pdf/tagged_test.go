package pdf_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"github.com/yttrande/remiss/internal/pdf"
	"github.com/yttrande/remiss/workflow/documents"
)

// structLine is one line of pdfinfo -struct-text's tree: an element's
// type, or on the lines after it an attribute or (quoted) its text.
var structLine = regexp.MustCompile(`^\s*(?:(\w+)(?: \(block\))?:?|"(.*)"|(/\w+ /?\w+))$`)

// TestTaggedPDF: the document is tagged (pdfinfo says so), and the
// structure tree poppler reads back has, in the document's order, an
// element of the right type for every heading, paragraph, list item (its
// bullet or number as the label, its text as the body) and table cell
// with its text, the header rows as TH, and no heading level skipped; the
// letterhead and the page numbers are not in it; qpdf finds the file
// sound.
func TestTaggedPDF(t *testing.T) {
	l := sample()
	l.Blocks = append(l.Blocks,
		documents.HeadingBlock(2, "Synpunkter i tabellform"),
		documents.Block{Role: documents.RoleTable, HeaderRows: 1, Rows: [][]documents.TableCell{
			{{Spans: documents.Text("Avsnitt")}, {Spans: documents.Text("Ställningstagande")}},
			{{Spans: documents.Text("5.2")}, {Spans: documents.Text("Tillstyrker")}},
		}},
		documents.HeadingBlock(1, "Övrigt"),
		documents.HeadingBlock(3, "Särskilt"), // skips a level in the draft, not in the tree
		documents.Block{Role: documents.RoleList, Ordered: true, Items: [][]documents.Span{documents.Text("Först"), documents.Text("Sedan")}})
	path := render(t, l)
	if info := tool(t, "pdfinfo", path); !regexp.MustCompile(`(?m)^Tagged:\s+yes$`).MatchString(info) {
		t.Fatalf("pdfinfo does not report a tagged PDF:\n%s", info)
	}
	tool(t, "qpdf", "--check", path)
	validate(t, path)
	got := structElements(t, path)
	want := []string{
		"P Sammanträdesdatum  27 mars 2024", "P Paragraf  § 15",
		"H1 Förändring genom försöksverksamhet – svar på remiss", "H2 Kommunstyrelsens arbetsutskotts beslut",
		"P Åtgärden är viktig för «kommunsektorn» och ”försök”.",
		"L", "LI", "Lbl •", "LBody Finansdepartementet", "LI", "Lbl •", "LBody Socialnämnden",
		"P Anna Ek Sekreterare", // the signature block, a word break between its lines
		"H3 Synpunkter i tabellform", "Table", "TR", "TH [/Scope /Column] Avsnitt", "TH [/Scope /Column] Ställningstagande", "TR", "TD 5.2", "TD Tillstyrker",
		"H2 Övrigt", "H3 Särskilt", "L", "LI", "Lbl 1.", "LBody Först", "LI", "Lbl 2.", "LBody Sedan",
	}
	if len(got) != len(want) {
		t.Errorf("%d structure elements, want %d", len(got), len(want))
	}
	joined := strings.Join(got, "\n")
	for i, w := range want {
		if i >= len(got) || !strings.HasPrefix(got[i], w) {
			t.Fatalf("structure element %d: want %q, the tree is:\n%s", i, w, joined)
		}
	}
	for _, furniture := range []string{"Huddinge kommun", "141 85 Huddinge", "Justerandes signatur", "1 (1)"} {
		if strings.Contains(joined, furniture) {
			t.Errorf("page furniture %q is in the structure tree:\n%s", furniture, joined)
		}
	}
}

// validate runs pdfcpu's strict validation of the file.
func validate(t *testing.T, path string) {
	t.Helper()
	// Not model.NewDefaultConfiguration, which writes a configuration
	// directory into the home directory.
	conf := &model.Configuration{Reader15: true, ValidationMode: model.ValidationStrict, Limits: model.DefaultResourceLimits()}
	if err := api.ValidateFile(path, conf); err != nil {
		t.Errorf("pdfcpu's strict validation: %v", err)
	}
}

// structElements is the structure tree as pdfinfo -struct-text prints
// it, one element a line in depth-first order: its type, its attributes
// in brackets, and its text (a string per marked-content sequence, joined
// with spaces).
func structElements(t *testing.T, path string) []string {
	t.Helper()
	var got []string
	for _, line := range strings.Split(tool(t, "pdfinfo", "-struct-text", path), "\n") {
		switch m := structLine.FindStringSubmatch(line); {
		case m == nil || m[1] == "Document":
		case m[1] != "":
			got = append(got, m[1])
		case len(got) > 0 && m[3] != "":
			got[len(got)-1] += " [" + m[3] + "]"
		case len(got) > 0:
			got[len(got)-1] += " " + m[2]
		}
	}
	return got
}

// TestTaggedAcrossPages: a paragraph that goes on onto the next page is
// one P with its text from both pages, as is a list item's body after its
// one label; a table's header drawn again on a new page is not in the
// tree twice.
func TestTaggedAcrossPages(t *testing.T) {
	slow(t)
	l := sample()
	long := strings.Repeat("Kommunen tillstyrker förslaget om försöksverksamhet i den kommunala sektorn. ", 20)
	for range 6 {
		l.Blocks = append(l.Blocks, documents.ParagraphBlock(long))
	}
	l.Blocks = append(l.Blocks, documents.ParagraphBlock("Början "+long+long+" slutet."))
	rows := [][]documents.TableCell{{{Spans: documents.Text("Rubrik")}}}
	for i := range 60 {
		rows = append(rows, []documents.TableCell{{Spans: documents.Text(strings.Repeat("rad ", 1+i%3))}})
	}
	l.Blocks = append(l.Blocks, documents.Block{Role: documents.RoleTable, HeaderRows: 1, Rows: rows},
		documents.Block{Role: documents.RoleList, Items: [][]documents.Span{documents.Text("Punktstart " + strings.Repeat(long, 3) + " punktslut.")}})
	path := render(t, l)
	tool(t, "qpdf", "--check", path)
	els := structElements(t, path)
	joined := strings.Join(els, "\n")
	for _, c := range []struct{ label, typ, first, last string }{{"", "P", "Början", "slutet."}, {"Lbl •", "LBody", "Punktstart", "punktslut."}} {
		i := slices.IndexFunc(els, func(e string) bool { return strings.HasPrefix(e, c.typ+" "+c.first+" ") })
		if i < 0 || !strings.HasSuffix(els[i], " "+c.last) || c.label != "" && els[i-1] != c.label {
			t.Errorf("no element %s %s … %s after %q in the tree:\n%s", c.typ, c.first, c.last, c.label, joined)
		} else if glued := regexp.MustCompile(`\.Kommunen|kommunala?sektorn|\S{25,}`).FindString(els[i]); glued != "" {
			t.Errorf("the words at a line break run together (%q): a line lacks its closing space", glued)
		}
		if first, last := pageOf(t, path, c.first), pageOf(t, path, c.last); first < 1 || last <= first {
			t.Errorf("%q is on page %d and %q on %d: the element does not cross a page break", c.first, first, c.last, last)
		}
	}
	if n := strings.Count(joined, "Rubrik"); n != 1 {
		t.Errorf("the table header is in the tree %d times, want once", n)
	}
}

// pageOf is the first page whose text has s, 0 for none.
func pageOf(t *testing.T, path, s string) int {
	t.Helper()
	for i, page := range strings.Split(tool(t, "pdftotext", path, "-"), "\f") {
		if strings.Contains(strings.Join(strings.Fields(page), " "), s) {
			return i + 1
		}
	}
	return 0
}

// TestUntaggedBaseline: the benchmark's baseline really is untagged, so
// that bench/tagging.sh compares tagging with none.
func TestUntaggedBaseline(t *testing.T) {
	r, err := pdf.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	pdf.Untagged(r)
	b, err := r.Render(sample())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "untagged.pdf")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if info := tool(t, "pdfinfo", path); !regexp.MustCompile(`(?m)^Tagged:\s+no$`).MatchString(info) {
		t.Errorf("the baseline is tagged:\n%s", info)
	}
	tool(t, "qpdf", "--check", path)
}
