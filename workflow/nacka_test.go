package workflow_test

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/yttrande/remiss/internal/store/storetest"
	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/diarium"
	"github.com/yttrande/remiss/workflow/documents"
)

// nackaFixture is Nacka's tjänsteskrivelse of 14 March 2024 (dnr
// NAF-2024-00024) on the remiss of SOU 2023:94, a public record.
const nackaFixture = "testdata/nacka-naf-tjansteskrivelse-2024-03-14.txt"

// nackaHeadings are the fixture's headings with their levels.
var nackaHeadings = map[string]int{
	"Förslag till beslut": 1, "Sammanfattning av ärendet": 1, "Ärendet": 1, "Ärendets beredning": 2,
	"Utredningens förslag i korthet": 2, "Försöksverksamheter för att motverka välfärdsbrottslighet": 3,
	"Förslagen på arbetsmarknadsområdet har inte tagits vidare":            3,
	"Permanent verksamhet för att främja kommunala försöksverksamheter":    3,
	"Arbets- och etableringsenhetens bedömning samt förslag på synpunkter": 1,
	"Ekonomiska konsekvenser": 1, "Konsekvenser för barn": 1,
}

// nackaDraft is the fixture's body, from the line after the remiss to
// the line before "Handlingar i ärendet", written as the handläggare
// would write it in Markdown: the headings marked, the rest as it is.
func nackaDraft(t *testing.T) (draft string, paragraphs []string) {
	t.Helper()
	b, err := os.ReadFile(nackaFixture)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	var out []string
	for _, l := range lines[8:] {
		if l == "Handlingar i ärendet" {
			break
		}
		switch level, ok := nackaHeadings[l]; {
		case ok:
			out = append(out, strings.Repeat("#", level)+" "+l)
		case l == "Synpunkter till kommunstyrelsen över remiss":
			out = append(out, "**"+l+"**")
		default:
			out = append(out, l)
		}
		if l != "" {
			paragraphs = append(paragraphs, plainLine(l))
		}
	}
	return strings.Join(out, "\n"), paragraphs
}

// plainLine is a fixture line as a reader sees it: without Markdown's
// list markers and emphasis.
func plainLine(l string) string {
	l = strings.TrimPrefix(l, "- ")
	l = regexp.MustCompile(`^\d+\. `).ReplaceAllString(l, "")
	return strings.ReplaceAll(l, "*", "")
}

// TestNackaTjansteskrivelseFromData reproduces the Nacka tjänsteskrivelse
// (fixture 004) from data: its date, TJÄNSTESKRIVELSE and dnr at the top,
// the remiss as the heading, every heading at its level, the numbered
// Handlingar i ärendet and the two signers side by side with their unit.
// The PDF is read back with poppler and qpdf, the Word file unzipped.
func TestNackaTjansteskrivelseFromData(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t), withDocuments(t))
	sys := workflow.SystemActor()
	e.must(e.svc.Accounts.CreateOrganization(e.ctx, sys, diarium.NewOrganization{Slug: "nacka", Name: "Nacka kommun"}))
	e.must(e.svc.Diarium.CreateBody(e.ctx, sys, "nacka", workflow.NewBody{Code: "NAF", Name: "Nämnden för arbete och försörjning", Kind: "namnd"}))
	next := int64(24)
	e.must(e.svc.Diarium.CreateSeries(e.ctx, sys, "nacka", diarium.NewSeries{Code: "NAF", Format: "NAF-{YYYY}-{N:5}", NextNumber: &next}))
	u, err := e.svc.Accounts.CreateUser(e.ctx, sys, "nacka", diarium.NewUser{Email: "jenny.rivas@nacka.example", Name: "Jenny Rivas", Roles: []string{"handlaggare", "registrator"}})
	e.check(err)
	jenny := u.Actor()
	_, err = e.svc.Accounts.UpdateOrganization(e.ctx, sys, "nacka", workflow.OrganizationSettings{Documents: []byte(`{"date_style":"iso","address":["131 81 Nacka"]}`)})
	e.check(err)
	e.clock.set("2024-03-14")
	c, err := e.svc.Diarium.RegisterCase(e.ctx, jenny, "nacka", diarium.Registration{Series: "NAF", Title: "Förändring genom försök. Försöksverksamhet i den kommunala sektorn", Workflow: "namnd",
		Remiss: diarium.RemissInput{Sender: "Finansdepartementet", SenderDnr: "Fi2023/04321", Reference: "SOU 2023:94", Received: "2024-01-26", Deadline: "2024-04-15"}})
	e.check(err)
	for _, d := range []workflow.NewDocument{
		{Title: "Utdrag ur Förändring genom försök. Försöksverksamhet i den kommunala sektorn (SOU 2023:94) - Sammanfattning och författningsförslag", Kind: "ovrigt", Direction: "inkommande", Date: "2024-03-14"},
		{Title: "Förslag på synpunkter", Kind: "ovrigt", Direction: "upprattad", Date: "2024-03-14"},
	} {
		e.must(e.svc.Diarium.AddDocument(e.ctx, jenny, "nacka", c.ID, d))
	}
	draft, paragraphs := nackaDraft(t)
	zero := 0
	_, err = e.svc.Docs.SaveDraft(e.ctx, jenny, "nacka", c.ID, documents.DraftTjansteutlatande, documents.DraftSave{Text: draft, BaseVersion: &zero, Signers: []documents.SignerInput{
		{Name: "Pia Stark", Title: "Enhetschef", Unit: "Arbets- och etableringsenheten"},
		{Name: "Jenny Rivas", Title: "Verksamhetsutvecklare", Unit: "Arbets- och etableringsenheten"}}})
	e.check(err)

	doc, err := e.svc.Docs.DocumentLayout(e.ctx, jenny, "nacka", c.ID, documents.TemplateTjansteskrivelse)
	e.check(err)
	l := doc.Layout
	if !equalJSON(l.Fields, []documents.LayoutField{{Value: "2024-03-14"}, {Value: "TJÄNSTESKRIVELSE"}, {Label: "Dnr", Value: "NAF-2024-00024"}}) {
		t.Errorf("fields %+v", l.Fields)
	}
	if got := documents.PlainText(l.Blocks[0].Spans); got != "Remiss – Förändring genom försök. Försöksverksamhet i den kommunala sektorn (SOU 2023:94)" {
		t.Errorf("title %q", got)
	}
	var headings []string
	var handlingar, signers documents.Block
	for i, b := range l.Blocks {
		if b.Role == documents.RoleHeading {
			text := documents.PlainText(b.Spans)
			headings = append(headings, text)
			if want, ok := nackaHeadings[text]; ok && want != b.Level {
				t.Errorf("%q at level %d, want %d", text, b.Level, want)
			}
			if text == "Handlingar i ärendet" {
				handlingar = l.Blocks[i+1]
			}
		}
		if b.Role == documents.RoleSignature {
			signers = b
		}
	}
	if len(headings) != len(nackaHeadings)+1 || headings[len(headings)-1] != "Handlingar i ärendet" {
		t.Errorf("headings %q", headings)
	}
	if !handlingar.Ordered || len(handlingar.Items) != 3 || documents.PlainText(handlingar.Items[0]) != "Tjänsteskrivelse den 14 mars 2024" ||
		documents.PlainText(handlingar.Items[2]) != "Förslag på synpunkter" {
		t.Errorf("handlingar %+v", handlingar)
	}
	if len(signers.Signers) != 2 || signers.Signers[1] != (documents.Signer{Name: "Jenny Rivas", Title: "Verksamhetsutvecklare", Unit: "Arbets- och etableringsenheten"}) {
		t.Errorf("signers %+v", signers.Signers)
	}
	if l.Letterhead.Name != "Nacka kommun" || l.Letterhead.Unit != "Arbets- och etableringsenheten" {
		t.Errorf("letterhead %+v", l.Letterhead)
	}

	f, err := e.svc.Docs.RenderDocument(e.ctx, jenny, "nacka", c.ID, documents.TemplateTjansteskrivelse, "pdf")
	e.check(err)
	if f.Name != "Nacka kommun - Tjänsteskrivelse NAF-2024-00024.pdf" {
		t.Errorf("file name %q", f.Name)
	}
	path := filepath.Join(t.TempDir(), "nacka.pdf")
	e.check(os.WriteFile(path, f.Content, 0o600))
	// Page furniture ("2 (4)") falls inside paragraphs that cross a page.
	text := squash(regexp.MustCompile(`(?m)^\d+ \(\d+\)$`).ReplaceAllString(run(t, "pdftotext", "-enc", "UTF-8", path, "-"), ""))
	at := 0
	for _, p := range append(paragraphs, "Handlingar i ärendet", "Tjänsteskrivelse den 14 mars 2024") {
		i := strings.Index(text[at:], squash(p))
		if i < 0 {
			t.Fatalf("the PDF's text lacks, after position %d: %q", at, p)
		}
		at += i
	}
	for _, s := range []string{"Pia Stark", "Enhetschef", "Jenny Rivas", "Verksamhetsutvecklare", "Arbets- och etableringsenheten"} {
		if !strings.Contains(text[at:], s) { // side by side, so in either order
			t.Errorf("the signatures lack %q", s)
		}
	}
	info := run(t, "pdfinfo", path)
	for _, want := range []string{"Author:          Nacka kommun", "Title:           Remiss – Förändring genom försök"} {
		if !strings.Contains(info, want) {
			t.Errorf("pdfinfo lacks %q:\n%s", want, info)
		}
	}
	fonts := run(t, "pdffonts", path)
	emb := regexp.MustCompile(`(?m)\s(yes|no)\s+(?:yes|no)\s+(?:yes|no)\s+\d+\s+\d+$`).FindAllStringSubmatch(fonts, -1)
	for _, m := range emb {
		if m[1] != "yes" {
			t.Errorf("a font is not embedded:\n%s", fonts)
		}
	}
	if len(emb) < 3 {
		t.Errorf("pdffonts lists %d fonts:\n%s", len(emb), fonts)
	}
	run(t, "qpdf", "--check", path)

	w, err := e.svc.Docs.RenderDocument(e.ctx, jenny, "nacka", c.ID, documents.TemplateTjansteskrivelse, "docx")
	e.check(err)
	body := zipPart(t, w.Content, "word/document.xml")
	if !strings.Contains(body, `w:val="Heading3"`) || !strings.Contains(body, "Konsekvenser för barn") || !strings.Contains(zipPart(t, w.Content, "word/styles.xml"), `w:lang w:val="sv-SE"`) {
		t.Errorf("the Word file lacks heading styles, the text or sv-SE")
	}
}

// squash joins a text's words with single spaces, so that line breaks
// and justification do not matter.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

func zipPart(t *testing.T, b []byte, name string) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	f, err := z.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}
