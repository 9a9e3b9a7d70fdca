package docx_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yttrande/remiss/internal/docx"
	"github.com/yttrande/remiss/workflow/documents"
)

const nsW = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

func sample() documents.Layout {
	return documents.Layout{
		Meta: documents.LayoutMeta{Title: "Yttrande över SOU 2023:94", Author: "Huddinge kommun", Subject: "Försöksverksamhet",
			Keywords: []string{"KS-2024/76.109", "Fi2023/04321"}, Created: time.Date(2024, 3, 27, 12, 0, 0, 0, time.UTC)},
		Letterhead: documents.Letterhead{Name: "Huddinge kommun", Unit: "Kommunstyrelsens arbetsutskott", Lines: []string{"141 85 Huddinge", "Org.nr 212000-0142"}},
		Fields:     []documents.LayoutField{{Label: "Sammanträdesdatum", Value: "27 mars 2024"}, {Label: "Paragraf", Value: "§ 15"}},
		Addressee:  []string{"Finansdepartementet", "103 33 Stockholm"},
		Footer:     "Justerandes signatur",
		Blocks: []documents.Block{
			{Role: documents.RoleTitle, Spans: documents.Text("Förändring genom försöksverksamhet – svar på remiss")},
			documents.HeadingBlock(1, "Kommunstyrelsens arbetsutskotts beslut"),
			{Role: documents.RoleParagraph, Spans: []documents.Span{{Text: "Åtgärden är "}, {Text: "viktig", Bold: true}, {Text: " för «kommunsektorn» och ”försök”."}}},
			documents.HeadingBlock(2, "Sammanfattning"),
			{Role: documents.RoleList, Items: [][]documents.Span{documents.Text("Finansdepartementet"), documents.Text("Socialnämnden")}},
			{Role: documents.RoleList, Ordered: true, Items: [][]documents.Span{documents.Text("Första åtgärden"), documents.Text("Andra åtgärden")}},
			documents.HeadingBlock(3, "Ärendets beredning"),
			{Role: documents.RoleList, Ordered: true, Items: [][]documents.Span{documents.Text("Ny lista, åter från ett")}},
			{Role: documents.RoleTable, HeaderRows: 1, Widths: []float64{1, 3}, Rows: [][]documents.TableCell{
				{{Spans: documents.Text("Nr")}, {Spans: documents.Text("Ärende")}},
				{{Spans: documents.Text("1")}, {Spans: documents.Text("Remiss om försöksverksamhet")}},
			}},
			{Role: documents.RoleSpacer},
			{Role: documents.RoleSignature, Signers: []documents.Signer{
				{Name: "Anna Ek", Title: "Ordförande"},
				{Name: "Per Öst", Title: "Sekreterare", Unit: "Kansliet"},
			}},
		},
	}
}

func renderer(t testing.TB) *docx.Renderer {
	t.Helper()
	r, err := docx.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func render(t testing.TB, l documents.Layout) []byte {
	t.Helper()
	b, err := renderer(t).Render(l)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// unzip returns the package's parts by name.
func unzip(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name], err = io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	return parts
}

// wellFormed decodes every token of an XML part.
func wellFormed(t *testing.T, name string, b []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("%s is not well-formed XML: %v", name, err)
		}
	}
}

// para is a paragraph of word/document.xml as Word sees it.
type para struct {
	style, jc, numID, text string
	keepNext               bool
}

// row is a table row: whether it repeats as a header, and its cells' text.
type row struct {
	header bool
	cells  []string
}

// body is what the tests read back from word/document.xml.
type body struct {
	text  string // all w:t in order
	paras []para
	rows  []row
}

func readBody(t *testing.T, b []byte) body {
	t.Helper()
	var r bodyReader
	dec := xml.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return r.out
		}
		if err != nil {
			t.Fatal(err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if el.Name.Space == nsW && el.Name.Local == "t" {
				var s string
				if err := dec.DecodeElement(&s, &el); err != nil {
					t.Fatal(err)
				}
				r.text(s)
				continue
			}
			r.start(el)
		case xml.EndElement:
			r.end(el)
		}
	}
}

// bodyReader collects a body from the elements of word/document.xml.
type bodyReader struct {
	out   body
	stack []string // the open elements' names, "" outside WordprocessingML
	p     para
	r     row
	cell  strings.Builder
}

func (r *bodyReader) start(el xml.StartElement) {
	parent := ""
	if len(r.stack) > 0 {
		parent = r.stack[len(r.stack)-1]
	}
	name := el.Name.Local
	if el.Name.Space != nsW {
		name = ""
	}
	r.stack = append(r.stack, name)
	switch {
	case name == "p":
		r.p = para{}
	case name == "pStyle":
		r.p.style = attr(el, "val")
	case name == "jc" && parent == "pPr":
		r.p.jc = attr(el, "val")
	case name == "numId":
		r.p.numID = attr(el, "val")
	case name == "keepNext":
		r.p.keepNext = true
	case name == "tr":
		r.r = row{}
	case name == "tblHeader":
		r.r.header = true
	case name == "tc":
		r.cell.Reset()
	}
}

func (r *bodyReader) text(s string) {
	r.out.text += s
	r.p.text += s
	r.cell.WriteString(s)
}

func (r *bodyReader) end(el xml.EndElement) {
	r.stack = r.stack[:len(r.stack)-1]
	switch el.Name.Local {
	case "p":
		r.out.paras = append(r.out.paras, r.p)
	case "tc":
		r.r.cells = append(r.r.cells, r.cell.String())
	case "tr":
		r.out.rows = append(r.out.rows, r.r)
	}
}

func attr(el xml.StartElement, local string) string {
	for _, a := range el.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

func findPara(t *testing.T, paras []para, text string) para {
	t.Helper()
	for _, p := range paras {
		if p.text == text {
			return p
		}
	}
	t.Fatalf("no paragraph %q", text)
	return para{}
}

// TestWellFormedTextInOrder: the package's XML parts are well-formed and
// the text comes back in reading order with its Swedish characters.
func TestWellFormedTextInOrder(t *testing.T) {
	parts := unzip(t, render(t, sample()))
	for _, name := range []string{"[Content_Types].xml", "word/document.xml", "word/styles.xml", "docProps/core.xml"} {
		if parts[name] == nil {
			t.Fatalf("the package lacks %s", name)
		}
	}
	for name, b := range parts {
		if strings.HasSuffix(name, ".xml") || strings.HasSuffix(name, ".rels") {
			wellFormed(t, name, b)
		}
	}
	text := readBody(t, parts["word/document.xml"]).text
	pos := 0
	for _, want := range []string{"Huddinge kommun", "Kommunstyrelsens arbetsutskott", "141 85 Huddinge", "Org.nr 212000-0142",
		"Sammanträdesdatum", "27 mars 2024", "Paragraf", "§ 15", "Finansdepartementet", "103 33 Stockholm",
		"Förändring genom försöksverksamhet – svar på remiss", "Kommunstyrelsens arbetsutskotts beslut",
		"Åtgärden är viktig för «kommunsektorn» och ”försök”.", "Sammanfattning", "Finansdepartementet", "Socialnämnden",
		"Första åtgärden", "Andra åtgärden", "Ärendets beredning", "Ny lista, åter från ett", "Nr", "Ärende", "1",
		"Remiss om försöksverksamhet", "Anna Ek", "Ordförande", "Per Öst", "Sekreterare", "Kansliet"} {
		i := strings.Index(text[pos:], want)
		if i < 0 {
			t.Fatalf("%q missing or out of order after %q", want, text[:pos])
		}
		pos += i + len(want)
	}
}

// TestBuiltInStylesAndSwedish: the title, headings and lists use Word's
// built-in styles, which exist, with the outline levels the navigation
// pane shows; Swedish is the proofing language, and Word is not told the
// text was proofed already.
func TestBuiltInStylesAndSwedish(t *testing.T) {
	parts := unzip(t, render(t, sample()))
	doc := readBody(t, parts["word/document.xml"])
	styles, lang := readStyles(t, parts["word/styles.xml"])
	for text, id := range map[string]string{
		"Förändring genom försöksverksamhet – svar på remiss": "Title",
		"Kommunstyrelsens arbetsutskotts beslut":              "Heading1",
		"Sammanfattning":                                      "Heading2",
		"Ärendets beredning":                                  "Heading3",
		"Socialnämnden":                                       "ListBullet",
		"Första åtgärden":                                     "ListNumber",
	} {
		if got := findPara(t, doc.paras, text).style; got != id {
			t.Errorf("%q has style %q, want %q", text, got, id)
		}
		if styles[id].Type != "paragraph" {
			t.Errorf("styles.xml has no paragraph style %q", id)
		}
	}
	for id, lvl := range map[string]string{"Title": "0", "Heading1": "0", "Heading2": "1", "Heading3": "2"} {
		if got := styles[id].PPr.OutlineLvl.Val; got != lvl {
			t.Errorf("%s has outline level %q, want %s (0-based), for the navigation pane", id, got, lvl)
		}
	}
	if line := styles["TableGrid"].PPr.Spacing.Line; line != "240" {
		t.Errorf("Table Grid's line spacing is %q, want the template's 240 (single)", line)
	}
	if lang != "sv-SE" {
		t.Errorf("the default language is %q, want sv-SE", lang)
	}
	settings := string(parts["word/settings.xml"])
	if strings.Contains(settings, "proofState") || !strings.Contains(settings, `<w:themeFontLang w:val="sv-SE"`) {
		t.Errorf("settings still say the text is proofed or English:\n%s", settings)
	}
}

// style is what the tests read of a style in word/styles.xml.
type style struct {
	Type string `xml:"type,attr"`
	ID   string `xml:"styleId,attr"`
	PPr  struct {
		OutlineLvl struct {
			Val string `xml:"val,attr"`
		} `xml:"outlineLvl"`
		Spacing struct {
			Line string `xml:"line,attr"`
		} `xml:"spacing"`
	} `xml:"pPr"`
}

// readStyles returns the styles by id and the default language.
func readStyles(t *testing.T, b []byte) (map[string]style, string) {
	t.Helper()
	var sheet struct {
		Lang struct {
			Val string `xml:"val,attr"`
		} `xml:"docDefaults>rPrDefault>rPr>lang"`
		Styles []style `xml:"style"`
	}
	if err := xml.Unmarshal(b, &sheet); err != nil {
		t.Fatal(err)
	}
	byID := map[string]style{}
	for _, s := range sheet.Styles {
		byID[s.ID] = s
	}
	return byID, sheet.Lang.Val
}

// TestTablesListsAndJustify: the table's header row repeats on each page
// and the others do not; the columns follow Widths; each numbered list is
// its own numbering instance; Justify justifies running text only;
// KeepWithNext keeps a paragraph with the next.
func TestTablesListsAndJustify(t *testing.T) {
	l := sample()
	l.Justify = true
	l.Blocks[2].KeepWithNext = true
	parts := unzip(t, render(t, l))
	doc := readBody(t, parts["word/document.xml"])
	if len(doc.rows) != 3 {
		t.Fatalf("%d table rows, want 2 of the table and 1 of signatures", len(doc.rows))
	}
	if !doc.rows[0].header || doc.rows[1].header || doc.rows[2].header {
		t.Errorf("tblHeader is on the wrong rows: %+v", doc.rows)
	}
	if got := doc.rows[0].cells; !slices.Equal(got, []string{"Nr", "Ärende"}) {
		t.Errorf("header cells %q", got)
	}
	// 9072 twips of text width shared 1:3; the signatures share it equally.
	if grid := fmt.Sprint(gridCols(t, parts["word/document.xml"])); grid != "[[2268 6804] [4536 4536]]" {
		t.Errorf("column widths %s, want [[2268 6804] [4536 4536]]", grid)
	}
	first, second := findPara(t, doc.paras, "Första åtgärden"), findPara(t, doc.paras, "Ny lista, åter från ett")
	if first.numID == "" || first.numID == second.numID {
		t.Errorf("the numbered lists share numbering instance %q", first.numID)
	}
	for _, id := range []string{first.numID, second.numID} {
		if !strings.Contains(string(parts["word/numbering.xml"]), `w:numId="`+id+`"`) {
			t.Errorf("numbering.xml has no instance %s", id)
		}
	}
	p := findPara(t, doc.paras, "Åtgärden är viktig för «kommunsektorn» och ”försök”.")
	if p.jc != "both" || !p.keepNext {
		t.Errorf("a justified paragraph to keep with the next has jc %q and keepNext %v", p.jc, p.keepNext)
	}
	if jc := findPara(t, doc.paras, "Sammanfattning").jc; jc != "" {
		t.Errorf("a heading has jc %q", jc)
	}
	if jc := findPara(t, readBody(t, unzip(t, render(t, sample()))["word/document.xml"]).paras, "Åtgärden är viktig för «kommunsektorn» och ”försök”.").jc; jc != "" {
		t.Errorf("a ragged layout's paragraph has jc %q", jc)
	}
}

// TestAdjacentTablesStayApart: a paragraph separates tables, which Word
// would otherwise join, and follows the last one.
func TestAdjacentTablesStayApart(t *testing.T) {
	l := sample()
	table := l.Blocks[8]
	l.Blocks = append(l.Blocks[:8], table, table, l.Blocks[10], table)
	doc := string(unzip(t, render(t, l))["word/document.xml"])
	if strings.Contains(doc, "</w:tbl><w:tbl>") || strings.Contains(doc, "</w:tbl><w:sectPr>") {
		t.Errorf("tables touch each other or the end of the body:\n%s", doc)
	}
	if n := strings.Count(doc, "<w:tbl>"); n != 4 {
		t.Errorf("%d tables, want 4", n)
	}
}

// gridCols returns each table's column widths.
func gridCols(t *testing.T, b []byte) [][]int {
	t.Helper()
	var d struct {
		Tables []struct {
			Cols []struct {
				W int `xml:"w,attr"`
			} `xml:"tblGrid>gridCol"`
		} `xml:"body>tbl"`
	}
	if err := xml.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	var out [][]int
	for _, tb := range d.Tables {
		var ws []int
		for _, c := range tb.Cols {
			ws = append(ws, c.W)
		}
		out = append(out, ws)
	}
	return out
}

// TestPackageParts: core.xml carries the metadata in Swedish; the footer
// has the text and the PAGE (NUMPAGES) fields and is the section's
// footer; every relationship points at a part, every part has a content
// type; the template's leftovers are gone; the entries are dated Created.
func TestPackageParts(t *testing.T) {
	b := render(t, sample())
	parts := unzip(t, b)
	var core struct {
		Title    string `xml:"title"`
		Subject  string `xml:"subject"`
		Creator  string `xml:"creator"`
		Keywords string `xml:"keywords"`
		Language string `xml:"language"`
		Created  string `xml:"created"`
		Modified string `xml:"modified"`
	}
	if err := xml.Unmarshal(parts["docProps/core.xml"], &core); err != nil {
		t.Fatal(err)
	}
	want := "{Yttrande över SOU 2023:94 Försöksverksamhet Huddinge kommun KS-2024/76.109, Fi2023/04321 sv-SE 2024-03-27T12:00:00Z 2024-03-27T12:00:00Z}"
	if got := fmt.Sprint(core); got != want {
		t.Errorf("core properties\n%s\nwant\n%s", got, want)
	}
	footer := string(parts["word/footer1.xml"])
	for _, want := range []string{"Justerandes signatur", `w:instr=" PAGE "`, `w:instr=" NUMPAGES "`, "> (<", ">)<"} {
		if !strings.Contains(footer, want) {
			t.Errorf("the footer lacks %q:\n%s", want, footer)
		}
	}
	if !strings.Contains(string(parts["word/document.xml"]), `<w:footerReference w:type="default" r:id="`) {
		t.Error("the section has no footer")
	}
	checkRelationships(t, parts)
	checkContentTypes(t, parts)
	for _, gone := range []string{"docProps/thumbnail.jpeg", "word/stylesWithEffects.xml", "customXml/item1.xml"} {
		if parts[gone] != nil {
			t.Errorf("the template's %s is still there", gone)
		}
	}
	zr, _ := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	for _, f := range zr.File {
		if !f.Modified.Equal(sample().Meta.Created) {
			t.Errorf("%s is dated %v", f.Name, f.Modified)
		}
	}
}

// checkRelationships: every internal relationship's target is a part.
func checkRelationships(t *testing.T, parts map[string][]byte) {
	t.Helper()
	for name, b := range parts {
		if !strings.HasSuffix(name, ".rels") {
			continue
		}
		var rels struct {
			Rels []struct {
				Target string `xml:"Target,attr"`
				Mode   string `xml:"TargetMode,attr"`
			} `xml:"Relationship"`
		}
		if err := xml.Unmarshal(b, &rels); err != nil {
			t.Fatal(err)
		}
		// _rels/.rels is about the package; word/_rels/document.xml.rels about word/.
		dir := path.Dir(path.Dir(name))
		for _, r := range rels.Rels {
			if target := path.Join(dir, r.Target); r.Mode == "" && parts[target] == nil {
				t.Errorf("%s points at %s, which is not in the package", name, target)
			}
		}
	}
}

// checkContentTypes: every part has a content type, by extension or by name.
func checkContentTypes(t *testing.T, parts map[string][]byte) {
	t.Helper()
	var ct struct {
		Defaults []struct {
			Ext string `xml:"Extension,attr"`
		} `xml:"Default"`
		Overrides []struct {
			Part string `xml:"PartName,attr"`
		} `xml:"Override"`
	}
	if err := xml.Unmarshal(parts["[Content_Types].xml"], &ct); err != nil {
		t.Fatal(err)
	}
	known := map[string]int{}
	for _, d := range ct.Defaults {
		known["."+strings.ToLower(d.Ext)]++
	}
	for _, o := range ct.Overrides {
		if parts[strings.TrimPrefix(o.Part, "/")] == nil {
			t.Errorf("[Content_Types].xml names %s, which is not in the package", o.Part)
		}
		known[o.Part]++
	}
	for ext, n := range known {
		if n > 1 {
			t.Errorf("[Content_Types].xml gives %s %d times", ext, n)
		}
	}
	for name := range parts {
		if name != "[Content_Types].xml" && known["/"+name] == 0 && known[strings.ToLower(path.Ext(name))] == 0 {
			t.Errorf("%s has no content type", name)
		}
	}
}

// TestSameLayoutSameBytes: rendering is reproducible, and the date is
// part of the input.
func TestSameLayoutSameBytes(t *testing.T) {
	r := renderer(t)
	a, err := r.Render(sample())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := r.Render(sample())
	if !bytes.Equal(a, b) {
		t.Error("two renderings of one layout differ")
	}
	l := sample()
	l.Meta.Created = l.Meta.Created.Add(24 * time.Hour)
	if c, _ := r.Render(l); bytes.Equal(a, c) {
		t.Error("another date of creation gives the same bytes")
	}
}

// TestConcurrentRenders: one Renderer serves many goroutines, each
// getting the same bytes.
func TestConcurrentRenders(t *testing.T) {
	r := renderer(t)
	want, err := r.Render(sample())
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if got, err := r.Render(sample()); err != nil || !bytes.Equal(got, want) {
				t.Errorf("a concurrent rendering differs (err %v)", err)
			}
		})
	}
	wg.Wait()
}

// TestLogo: a PNG logo is an inline picture in the package, with the
// organisation's name as its alternative text when it has none.
func TestLogo(t *testing.T) {
	l := sample()
	l.Letterhead.Logo = logoPNG(t)
	parts := unzip(t, render(t, l))
	if !bytes.Equal(parts["word/media/logo.png"], l.Letterhead.Logo) {
		t.Fatal("the package lacks the logo")
	}
	doc := string(parts["word/document.xml"])
	if !strings.Contains(doc, "<wp:inline") || !strings.Contains(doc, `descr="Huddinge kommun"`) {
		t.Errorf("the logo is not inline with its alternative text:\n%s", doc)
	}
	checkRelationships(t, parts)
	checkContentTypes(t, parts)
}

func logoPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 60, 20))
	for x := range 60 {
		img.Set(x, 10, color.RGBA{0, 80, 160, 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestBadLayoutsAreErrors: an empty layout, a logo that is no image and
// a truncated one give errors, not a broken file.
func TestBadLayoutsAreErrors(t *testing.T) {
	r := renderer(t)
	if _, err := r.Render(documents.Layout{}); err == nil {
		t.Error("an empty layout rendered")
	}
	for name, logo := range map[string][]byte{"text": []byte("not an image"), "truncated": logoPNG(t)[:60]} {
		l := sample()
		l.Letterhead.Logo = logo
		if _, err := r.Render(l); err == nil {
			t.Errorf("a %s logo rendered", name)
		}
	}
}

// TestLibreOfficeConvertsIt: where LibreOffice is installed, the document
// converts to a PDF.
func TestLibreOfficeConvertsIt(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("soffice is not installed")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "yttrande.docx")
	if err := os.WriteFile(in, render(t, sample()), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--convert-to", "pdf", "--outdir", dir, in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	b, err := os.ReadFile(filepath.Join(dir, "yttrande.pdf"))
	if err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("no PDF came out: %v", err)
	}
}

// BenchmarkRender renders a yttrande-like layout of about three pages.
func BenchmarkRender(b *testing.B) {
	r := renderer(b)
	l := sample()
	for i := range 40 {
		l.Blocks = append(l.Blocks, documents.ParagraphBlock(fmt.Sprintf("Stycke %d. Kommunstyrelsens förvaltning anser att de förslag som lämnas i betänkandet är bra men att tillämpningen av försökslagstiftningen noggrant måste utvärderas.", i)))
	}
	for b.Loop() {
		if _, err := r.Render(l); err != nil {
			b.Fatal(err)
		}
	}
}
