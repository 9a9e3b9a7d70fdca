package pdf_test

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yttrande/remiss/internal/pdf"
	"github.com/yttrande/remiss/workflow/documents"
)

func render(t *testing.T, l documents.Layout) string {
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

func sample() documents.Layout {
	return documents.Layout{
		Meta: documents.LayoutMeta{Title: "Yttrande över SOU 2023:94", Author: "Huddinge kommun", Subject: "Försöksverksamhet",
			Keywords: []string{"KS-2024/76.109", "Fi2023/04321"}, Created: time.Date(2024, 3, 27, 12, 0, 0, 0, time.UTC)},
		Letterhead: documents.Letterhead{Name: "Huddinge kommun", Unit: "Kommunstyrelsens arbetsutskott", Lines: []string{"141 85 Huddinge"}},
		Fields:     []documents.LayoutField{{Label: "Sammanträdesdatum", Value: "27 mars 2024"}, {Label: "Paragraf", Value: "§ 15"}},
		Footer:     "Justerandes signatur",
		Blocks: []documents.Block{
			{Role: documents.RoleTitle, Spans: documents.Text("Förändring genom försöksverksamhet – svar på remiss")},
			documents.HeadingBlock(1, "Kommunstyrelsens arbetsutskotts beslut"),
			{Role: documents.RoleParagraph, Spans: []documents.Span{{Text: "Åtgärden är "}, {Text: "viktig", Bold: true}, {Text: " för «kommunsektorn» och ”försök”."}}},
			{Role: documents.RoleList, Items: [][]documents.Span{documents.Text("Finansdepartementet"), documents.Text("Socialnämnden")}},
			{Role: documents.RoleSignature, Signers: []documents.Signer{{Name: "Anna Ek", Title: "Sekreterare"}}},
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

// TestSameLayoutSameBytes: rendering is reproducible, the incremental
// update for the catalog included: two renderings are the same bytes, and
// nothing in them comes from the clock, so that rendering later could not
// differ either: the only dates are the layout's, in gofpdf's information
// dictionary, in the update's (with the zone) and in the XMP; the file
// identifier is a hash of the content, the same for the same layout and
// another for another; pdfcpu's time-stamped producer is not there.
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
	dates := regexp.MustCompile(`D:\d{8,14}[^)]*|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\S*<`).FindAll(a, -1)
	if len(dates) != 7 {
		t.Errorf("%d dates in the file, want 2 in gofpdf's information dictionary, 2 in the update's and 3 in the XMP: %q", len(dates), dates)
	}
	for _, d := range dates {
		if s := string(d); s != "D:20240327120000" && s != "D:20240327120000+00'00'" && s != "2024-03-27T12:00:00Z<" {
			t.Errorf("a date not from the layout: %s", s)
		}
	}
	if bytes.Contains(a, []byte("pdfcpu")) {
		t.Error("the file names pdfcpu")
	}
	id := regexp.MustCompile(`/ID\[<([0-9a-f]{32})> <([0-9a-f]{32})>\]`)
	m := id.FindSubmatch(a)
	if m == nil || !bytes.Equal(m[1], m[2]) {
		t.Fatalf("no file identifier of two equal halves in the trailer: %q", m)
	}
	other := sample()
	other.Blocks = other.Blocks[1:]
	c, _ := r.Render(other)
	if n := id.FindSubmatch(c); n == nil || bytes.Equal(n[1], m[1]) {
		t.Errorf("another layout has the identifier %q, want another than %s", n, m[1])
	}
}

// TestConcurrentRendersAgree: one Renderer serves several goroutines at
// once (run with -race), each getting the same bytes.
func TestConcurrentRendersAgree(t *testing.T) {
	r, _ := pdf.NewRenderer()
	want, _ := r.Render(sample())
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if got, err := r.Render(sample()); err != nil || !bytes.Equal(got, want) {
				t.Errorf("a concurrent render differs (error %v)", err)
			}
		})
	}
	wg.Wait()
}

// catalog is the document catalog as qpdf reads it, the incremental update
// applied: keys are PDF names ("/Lang"), strings are "u:…".
func catalog(t *testing.T, path string) map[string]any {
	t.Helper()
	var doc struct {
		Qpdf [2]json.RawMessage `json:"qpdf"` // the header, then the objects
	}
	var objects map[string]struct {
		Value map[string]any `json:"value"`
	}
	if err := json.Unmarshal([]byte(tool(t, "qpdf", "--json", "--json-key=qpdf", path)), &doc); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(doc.Qpdf[1], &objects); err != nil {
		t.Fatal(err)
	}
	root, _ := objects["trailer"].Value["/Root"].(string)
	return objects["obj:"+root].Value
}

// TestCatalogHasLanguageTitlePreferenceAndXMP: the catalog names the
// language (sv-SE unless the layout says) and asks viewers to show the
// title; the XMP packet, which pdfinfo finds through the catalog, has the
// title, author, subject, keywords, language and date; qpdf finds no fault
// in the updated file.
func TestCatalogHasLanguageTitlePreferenceAndXMP(t *testing.T) {
	for _, lang := range []string{"", "en-GB"} {
		l := sample()
		l.Meta.Lang = lang
		path := render(t, l)
		want := cmp.Or(lang, "sv-SE")
		cat := catalog(t, path)
		if cat["/Lang"] != "u:"+want {
			t.Errorf("/Lang = %v, want %s", cat["/Lang"], want)
		}
		if vp, _ := cat["/ViewerPreferences"].(map[string]any); vp["/DisplayDocTitle"] != true {
			t.Errorf("/ViewerPreferences = %v", cat["/ViewerPreferences"])
		}
		meta := tool(t, "pdfinfo", "-meta", path)
		for _, s := range []string{`<rdf:li xml:lang="x-default">Yttrande över SOU 2023:94</rdf:li>`, "<rdf:li>Huddinge kommun</rdf:li>",
			"Försöksverksamhet</rdf:li>", "<pdf:Keywords>KS-2024/76.109, Fi2023/04321</pdf:Keywords>",
			"<dc:language><rdf:Bag><rdf:li>" + want + "</rdf:li>", "<xmp:CreateDate>2024-03-27T12:00:00Z</xmp:CreateDate>"} {
			if !strings.Contains(meta, s) {
				t.Errorf("the XMP lacks %s:\n%s", s, meta)
			}
		}
		tool(t, "qpdf", "--check", path)
	}
}

// TestLongTableRepeatsItsHeaderAndPagesAreNumbered: a table over several
// pages has its header row on each, and every page says "n (N)".
func TestLongTableRepeatsItsHeaderAndPagesAreNumbered(t *testing.T) {
	l := sample()
	rows := [][]documents.TableCell{{{Spans: documents.Text("Nr")}, {Spans: documents.Text("Ärende")}}}
	for i := 1; i <= 120; i++ {
		rows = append(rows, []documents.TableCell{{Spans: documents.Text(fmt.Sprint(i))}, {Spans: documents.Text(fmt.Sprintf("Remiss nummer %d om försöksverksamhet", i))}})
	}
	l.Blocks = append(l.Blocks, documents.Block{Role: documents.RoleTable, Rows: rows, HeaderRows: 1, Widths: []float64{1, 5}})
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

// TestBadLayoutsAreErrors: an empty layout and a logo that is no image
// give errors, not a broken file or a panic.
func TestBadLayoutsAreErrors(t *testing.T) {
	r, _ := pdf.NewRenderer()
	if _, err := r.Render(documents.Layout{}); err == nil {
		t.Error("an empty layout rendered")
	}
	l := sample()
	l.Letterhead.Logo = []byte("not an image")
	if _, err := r.Render(l); err == nil {
		t.Error("a broken logo rendered")
	}
}

// TestCharactersTheFontsLack: an emoji (beyond the Basic Multilingual
// Plane, which made gofpdf panic) and other characters the fonts lack, in
// every kind of text a layout has, render; they are drawn as "□" or as
// their plain equivalent, and the text around them is intact.
func TestCharactersTheFontsLack(t *testing.T) {
	l := sample()
	l.Letterhead.Unit = "Kommunstyrelsen 🏛"
	l.Fields = append(l.Fields, documents.LayoutField{Label: "Status ✓", Value: "klar 👍🏽"})
	l.Blocks = append(l.Blocks,
		documents.HeadingBlock(1, "Synpunkter ✍️"),
		documents.ParagraphBlock("Yta 120 ㎡, sa\u030ag 🙂 – slut."),
		documents.Block{Role: documents.RoleList, Items: [][]documents.Span{documents.Text("✔ punkt")}},
		documents.Block{Role: documents.RoleTable, HeaderRows: 1, Rows: [][]documents.TableCell{{{Spans: documents.Text("中")}}, {{Spans: documents.Text("𝑥")}}}},
		documents.Block{Role: documents.RoleSignature, Signers: []documents.Signer{{Name: "Eva 🌸 Berg", Title: "Ordförande"}}})
	text := strings.Join(strings.Fields(tool(t, "pdftotext", render(t, l), "-")), " ")
	for _, want := range []string{"Kommunstyrelsen □", "Status □ klar □", "Synpunkter □", "Yta 120 m2, såg □ – slut.", "□ punkt", "□", "x", "Eva □ Berg"} {
		if !strings.Contains(text, want) {
			t.Errorf("%q missing in:\n%s", want, text)
		}
	}
}

// TestTitleFallsBack: a layout without a title in its metadata gets its
// first heading's text, else the organisation's name, else "Dokument", in
// the information dictionary (and so in the viewer's title bar).
func TestTitleFallsBack(t *testing.T) {
	for _, c := range []struct {
		l    documents.Layout
		want string
	}{
		{documents.Layout{Letterhead: documents.Letterhead{Name: "Huddinge kommun"}, Blocks: []documents.Block{documents.ParagraphBlock("Text."), documents.HeadingBlock(2, "Bakgrund")}}, "Bakgrund"},
		{documents.Layout{Letterhead: documents.Letterhead{Name: "Huddinge kommun"}, Blocks: []documents.Block{documents.ParagraphBlock("Text.")}}, "Huddinge kommun"},
		{documents.Layout{Blocks: []documents.Block{documents.ParagraphBlock("Text.")}}, "Dokument"},
	} {
		if info := tool(t, "pdfinfo", render(t, c.l)); !strings.Contains(info, "Title:           "+c.want+"\n") {
			t.Errorf("want the title %q:\n%s", c.want, info)
		}
	}
}
