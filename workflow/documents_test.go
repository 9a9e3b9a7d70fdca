package workflow_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/yttrande/remiss/internal/app"
	"github.com/yttrande/remiss/internal/docx"
	"github.com/yttrande/remiss/internal/markdown"
	"github.com/yttrande/remiss/internal/pdf"
	"github.com/yttrande/remiss/internal/store/storetest"
	"github.com/yttrande/remiss/templates"
	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/documents"
)

// withDocuments gives the service what it renders documents with.
func withDocuments(t testing.TB) func(*app.Config) {
	t.Helper()
	p, err := pdf.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	w, err := docx.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	return func(c *app.Config) {
		c.Markdown, c.PDF, c.DOCX, c.Templates = markdown.Parser{}, p, w, templates.FS
	}
}

const yttrandeDraft = `Huddinge kommun har tagit del av betänkandet och lämnar följande synpunkter.

# Sammanfattning

Kommunen är **positiv** till förslaget om försöksverksamhet, men ser *risker* med tidsplanen.

# Synpunkter

## 5.2 Försök med statsbidrag till små kommuner

Kommunen tillstyrker förslaget. Det är viktigt att:

1. försöken utvärderas av en oberoende part,
2. resultaten sprids till alla kommuner – även de största,
3. reglerna i 8 kap. 12 § KL följs.

| Förslag | Ställningstagande |
|---|---|
| 5.2 Statsbidrag | Tillstyrker |
| 6.1 Renat råvatten | Avstyrker |
`

func (e *env) saveDraft(c workflow.Case, kind documents.DraftKind, base int, text string) (documents.Draft, error) {
	return e.svc.Docs.SaveDraft(e.ctx, e.as[workflow.RoleHandlaggare], "huddinge", c.ID, kind, documents.DraftSave{Text: text, BaseVersion: &base})
}

// TestDraftVersionsDiffAndComments: every save is a version with its
// author; a save from an old version is refused with who saved since;
// saving the same text adds nothing; a diff compares any two versions
// and comments are anchored to a version's passage — on both databases.
func TestDraftVersionsDiffAndComments(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, b.Open(t), withDocuments(t))
			c := e.register("kommunstyrelsen")
			v1, err := e.saveDraft(c, documents.DraftYttrande, 0, "Första stycket.\n\nAndra stycket.")
			e.check(err)
			v2, err := e.saveDraft(c, documents.DraftYttrande, 1, "Första stycket.\n\nAndra stycket, ändrat.\n\nTredje.")
			e.check(err)
			if v1.Version != 1 || v2.Version != 2 || v2.Author != e.as[workflow.RoleHandlaggare].Label() {
				t.Fatalf("versions %d, %d by %q", v1.Version, v2.Version, v2.Author)
			}
			same, err := e.saveDraft(c, documents.DraftYttrande, 2, v2.Text)
			if err != nil || same.Version != 2 {
				t.Errorf("saving the same text: version %d, %v; want 2", same.Version, err)
			}
			_, err = e.saveDraft(c, documents.DraftYttrande, 1, "Min äldre text.")
			if workflow.ErrorCode(err) != workflow.CodeConflict || !strings.Contains(err.Error(), "version 2 sparades av Test handlaggare") {
				t.Errorf("save from version 1 after 2: %v", err)
			}
			vs, err := e.svc.Docs.DraftVersions(e.ctx, e.as[workflow.RoleLasare], "huddinge", c.ID, documents.DraftYttrande)
			e.check(err)
			if len(vs) != 2 || vs[0].Text != "" || vs[1].Size != len(v2.Text) {
				t.Errorf("versions: %+v", vs)
			}
			old, err := e.svc.Docs.Draft(e.ctx, e.as[workflow.RoleLasare], "huddinge", c.ID, documents.DraftYttrande, 1)
			if err != nil || old.Text != v1.Text {
				t.Errorf("version 1 reads %q, %v", old.Text, err)
			}
			d, err := e.svc.Docs.DiffDraft(e.ctx, e.as[workflow.RoleLasare], "huddinge", c.ID, documents.DraftYttrande, 1, 2, 3)
			e.check(err)
			if d.Inserted != 3 || d.Deleted != 1 {
				t.Errorf("diff 1→2: +%d −%d, want +3 −1: %+v", d.Inserted, d.Deleted, d.Lines)
			}
			ordf := e.as[workflow.RoleOrdforande]
			cm, err := e.svc.Docs.CommentDraft(e.ctx, ordf, "huddinge", c.ID, documents.DraftYttrande, 1, documents.NewDraftComment{Quote: "Andra stycket", Text: "Skärp formuleringen."})
			e.check(err)
			if _, err := e.svc.Docs.CommentDraft(e.ctx, ordf, "huddinge", c.ID, documents.DraftYttrande, 1, documents.NewDraftComment{Quote: "Tredje", Text: "x"}); workflow.ErrorCode(err) != workflow.CodeInvalid {
				t.Errorf("a quote that is not in version 1: %v", err)
			}
			if _, err := e.svc.Docs.CommentDraft(e.ctx, e.as[workflow.RoleLasare], "huddinge", c.ID, documents.DraftYttrande, 1, documents.NewDraftComment{Text: "x"}); workflow.ErrorCode(err) != workflow.CodeForbidden {
				t.Errorf("a läsare comments: %v", err)
			}
			if _, err := e.svc.Docs.ResolveDraftComment(e.ctx, e.as[workflow.RoleHandlaggare], "huddinge", c.ID, documents.DraftYttrande, cm.ID); err != nil {
				t.Errorf("resolve: %v", err)
			}
			if _, err := e.svc.Docs.ResolveDraftComment(e.ctx, e.as[workflow.RoleHandlaggare], "huddinge", c.ID, documents.DraftYttrande, cm.ID); workflow.ErrorCode(err) != workflow.CodeConflict {
				t.Errorf("resolving twice: %v", err)
			}
			cs, err := e.svc.Docs.DraftComments(e.ctx, e.as[workflow.RoleLasare], "huddinge", c.ID, documents.DraftYttrande)
			if err != nil || len(cs) != 1 || cs[0].Version != 1 || cs[0].Quote != "Andra stycket" || cs[0].ResolvedAt == nil {
				t.Errorf("comments: %+v, %v", cs, err)
			}
		})
	}
}

// TestBadDraftsAreRefusedAndKeepNothing: a draft over the limit, one
// that is not text and a läsare's save are refused with a clear error and
// store no version; raw HTML is kept in the text but reported as left out
// of the document.
func TestBadDraftsAreRefusedAndKeepNothing(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t), withDocuments(t))
	c := e.register("kommunstyrelsen")
	zero := 0
	for name, tc := range map[string]struct {
		actor workflow.Role
		text  string
		code  workflow.Code
	}{
		"10 MB":          {workflow.RoleHandlaggare, strings.Repeat("Lång text. ", 1<<20), workflow.CodeTooLarge},
		"not UTF-8":      {workflow.RoleHandlaggare, "Bra \xff\xfe text", workflow.CodeInvalid},
		"control bytes":  {workflow.RoleHandlaggare, "Text\x00med nolla", workflow.CodeInvalid},
		"empty":          {workflow.RoleHandlaggare, " \n\n ", workflow.CodeInvalid},
		"läsare may not": {workflow.RoleLasare, "Text", workflow.CodeForbidden},
	} {
		_, err := e.svc.Docs.SaveDraft(e.ctx, e.as[tc.actor], "huddinge", c.ID, documents.DraftYttrande, documents.DraftSave{Text: tc.text, BaseVersion: &zero})
		if workflow.ErrorCode(err) != tc.code {
			t.Errorf("%s: %v, want %s", name, err, tc.code)
		}
	}
	if vs, _ := e.svc.Docs.DraftVersions(e.ctx, e.as[workflow.RoleLasare], "huddinge", c.ID, documents.DraftYttrande); len(vs) != 0 {
		t.Fatalf("refused saves stored %d versions", len(vs))
	}
	d, err := e.saveDraft(c, documents.DraftYttrande, 0, "Text.\n\n<script>alert('x')</script>\n\nMer <b>fet</b> text.")
	e.check(err)
	if len(d.Dropped) == 0 || !strings.Contains(strings.Join(d.Dropped, " "), "script") {
		t.Errorf("dropped: %q", d.Dropped)
	}
	doc := e.decidedYttrande(t, d.Text)
	for _, b := range doc.Layout.Blocks {
		for _, s := range append(b.Spans, flatten(b.Items)...) {
			if strings.Contains(s.Text, "<") || strings.Contains(s.Text, "alert") {
				t.Errorf("raw HTML reached the document: %q", s.Text)
			}
		}
	}
}

func flatten(items [][]documents.Span) []documents.Span {
	var out []documents.Span
	for _, it := range items {
		out = append(out, it...)
	}
	return out
}

// decidedYttrande takes a new case with the draft text through KS's
// decision (§ 1 at today's meeting) and returns its yttrande's layout.
func (e *env) decidedYttrande(t *testing.T, text string) documents.RenderedDocument {
	t.Helper()
	c := e.atKS()
	if _, err := e.saveDraft(c, documents.DraftYttrande, 0, text); err != nil && !strings.Contains(err.Error(), "version") {
		e.check(err)
	}
	c, err := e.fire(c, workflow.RoleSekreterare, "ks_beslut", sampleData["ks_beslut"])
	e.check(err)
	doc, err := e.svc.Docs.DocumentLayout(e.ctx, e.as[workflow.RoleLasare], "huddinge", c.ID, documents.TemplateYttrande)
	e.check(err)
	return doc
}

// TestTheDecidedYttrande: the yttrande's frame has the letterhead, the
// date and both dnr, the ministry as addressee, the heading ending with
// the ministry's dnr, the decision with its § and the chair's signature;
// it is registered as a handling with its PDF when KS decides, once, and
// its draft is closed then. The layout is compared with a golden file.
// TestANamndDecliningDoesNotDecideTheCase: a nämnd's "avstår", recorded
// as a § of its own meeting, answers the consultation; it is not the
// case's decision, so no yttrande is registered as decided and the
// draft stays open.
func TestANamndDecliningDoesNotDecideTheCase(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t), withDocuments(t))
	c := e.register("kommunstyrelsen")
	var err error
	c, err = e.fire(c, workflow.RoleRegistrator, "tilldela", sampleData["tilldela"])
	e.check(err)
	c, err = e.fire(c, workflow.RoleHandlaggare, "begar_yttranden", `{"consultations":[{"body":"SN","deadline":"2024-03-01"}]}`)
	e.check(err)
	c, err = e.fire(c, workflow.RoleRegistrator, "registrera_svar", `{"body":"SN","outcome":"avstar","meeting":<SN>}`)
	e.check(err)
	if c.Consultations[0].Status != workflow.ConsultationAvstatt || len(c.Paragraphs) != 1 {
		t.Fatalf("consultation %+v, paragraphs %+v", c.Consultations, c.Paragraphs)
	}
	docs, err := e.svc.Diarium.Documents(e.ctx, e.as[workflow.RoleLasare], "huddinge", c.ID)
	e.check(err)
	for _, d := range docs {
		if d.Source == workflow.SourceDecidedYttrande {
			t.Errorf("the nämnd's avstår registered the case's yttrande as decided: %+v", d)
		}
	}
	zero := 0
	if _, err := e.svc.Docs.SaveDraft(e.ctx, e.as[workflow.RoleHandlaggare], "huddinge", c.ID, documents.DraftYttrande,
		documents.DraftSave{Text: yttrandeDraft, BaseVersion: &zero}); err != nil {
		t.Errorf("the draft after the nämnd's avstår: %v", err)
	}
}

func TestTheDecidedYttrande(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t), withDocuments(t))
	e.members("KS", "Daniel Dronjak", "Malin Danielsson")
	doc := e.decidedYttrande(t, yttrandeDraft)
	l := doc.Layout
	if doc.FileBase != "Huddinge kommun - Yttrande SOU 2023-94" {
		t.Errorf("file name %q", doc.FileBase)
	}
	title := documents.PlainText(l.Blocks[0].Spans)
	if l.Blocks[0].Role != documents.RoleTitle || title != "Yttrande över Förändring genom försök (SOU 2023:94) Fi2023/04321" {
		t.Errorf("title %q", title)
	}
	want := []documents.LayoutField{{Label: "Datum", Value: "29 januari 2024"}, {Label: "Diarienummer", Value: "KS-2024/76.109"}, {Label: "Er beteckning", Value: "Fi2023/04321"}}
	if !equalJSON(l.Fields, want) || !equalJSON(l.Addressee, []string{"Finansdepartementet"}) {
		t.Errorf("fields %+v, addressee %q", l.Fields, l.Addressee)
	}
	last := l.Blocks[len(l.Blocks)-1]
	if last.Role != documents.RoleSignature || len(last.Signers) != 1 || last.Signers[0] != (documents.Signer{Name: "Daniel Dronjak", Title: "Kommunstyrelsens ordförande"}) {
		t.Errorf("signatures %+v", last)
	}
	if got := documents.PlainText(l.Blocks[len(l.Blocks)-2].Spans); got != "Beslut i detta ärende har fattats av kommunstyrelsen den 29 januari 2024, § 1." {
		t.Errorf("decision block %q", got)
	}
	if l.Meta.Author != "Huddinge kommun" || !equalJSON(l.Meta.Keywords, []string{"KS-2024/76.109", "Fi2023/04321", "SOU 2023:94", "yttrande"}) {
		t.Errorf("meta %+v", l.Meta)
	}
	golden(t, "documents/yttrande.json", l)
	for _, format := range []string{"pdf", "docx"} {
		first, err := e.svc.Docs.RenderDocument(e.ctx, e.as[workflow.RoleLasare], "huddinge", 1, documents.TemplateYttrande, format)
		e.check(err)
		e.clock.advance(90 * time.Minute)
		again, err := e.svc.Docs.RenderDocument(e.ctx, e.as[workflow.RoleLasare], "huddinge", 1, documents.TemplateYttrande, format)
		e.check(err)
		if !bytes.Equal(first.Content, again.Content) || first.SHA256 != again.SHA256 {
			t.Errorf("the %s differs when rendered again later", format)
		}
	}

	docs, err := e.svc.Diarium.Documents(e.ctx, e.as[workflow.RoleLasare], "huddinge", 1)
	e.check(err)
	reg := docs[len(docs)-1]
	if reg.Source != workflow.SourceDecidedYttrande || reg.Kind != workflow.KindYttrande || reg.File == nil || reg.File.Name != "Huddinge kommun - Yttrande SOU 2023-94.pdf" {
		t.Fatalf("registered yttrande: %+v", reg)
	}
	again, err := e.svc.Docs.RegisterYttrande(e.ctx, e.as[workflow.RoleSekreterare], "huddinge", 1)
	if err != nil || again.Number != reg.Number {
		t.Errorf("registering again gave handling %d (%v), want the same %d", again.Number, err, reg.Number)
	}
	f, err := e.svc.Diarium.FileContent(e.ctx, e.as[workflow.RoleLasare], "huddinge", 1, reg.Number)
	if err != nil || !bytes.HasPrefix(f.Content, []byte("%PDF-")) {
		t.Errorf("the registered file is not a PDF: %v", err)
	}
	if _, err := e.saveDraft(workflow.Case{ID: 1}, documents.DraftYttrande, 1, "Ändrat efter beslutet."); workflow.ErrorCode(err) != workflow.CodeInvalid {
		t.Errorf("saving the decided yttrande's draft: %v", err)
	}
}

// updating reports whether -update was given; the flag is declared by the
// package's internal tests, which share the test binary.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

func equalJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

// golden compares v as indented JSON with testdata/name; -update rewrites it.
func golden(t *testing.T, name string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", name)
	if updating() {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run go test ./workflow -run %s -update and review the diff\n%s", path, t.Name(), got)
	}
}

// TestTemplatesCanBeOverriddenAndAreChecked: a municipality's own
// template is tried before it is stored; mistakes are named with their
// line; a stored one is used, and deleting it brings back the shipped one.
func TestTemplatesCanBeOverriddenAndAreChecked(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t), withDocuments(t))
	admin := e.as[workflow.RoleAdmin]
	for src, want := range map[string]string{
		"::: title\n{{.Titel}}\n:::\n":               "fältet ”Titel”, som inte finns (rad 2)",
		"{{.Remiss.Ministry}}":                       "fältet ”Ministry”, som inte finns (rad 1). Fälten som finns är: Sender,",
		"Text {{if .Dnr}}\n":                         "saknar sitt {{end}}",
		"{{upper .Title}}":                           "funktionen ”upper”, som inte finns",
		"::: sidhuvud\nx\n:::\n":                     "”::: sidhuvud”",
		"::: title\n{{.Title}}\n":                    "avslutas aldrig",
		"{{.Decision.Body}}":                         "nil pointer",
		"{{range 100000000}}xxxxxxxxxxxxxxxx{{end}}": "för mycket text",
	} {
		_, err := e.svc.Docs.SetTemplate(e.ctx, admin, "huddinge", documents.TemplateYttrande, src)
		if workflow.ErrorCode(err) != workflow.CodeInvalid || !strings.Contains(err.Error(), want) {
			t.Errorf("template %q: %v, want %q", src, err, want)
		}
	}
	if _, err := e.svc.Docs.SetTemplate(e.ctx, e.as[workflow.RoleHandlaggare], "huddinge", documents.TemplateYttrande, "x"); workflow.ErrorCode(err) != workflow.CodeForbidden {
		t.Errorf("a handläggare changes a template: %v", err)
	}
	own := "::: title\nSvar till {{.Remiss.Sender}} om {{.Title}}\n:::\n\n{{.Text}}\n"
	if _, err := e.svc.Docs.SetTemplate(e.ctx, admin, "huddinge", documents.TemplateYttrande, own); err != nil {
		t.Fatal(err)
	}
	c := e.register("kommunstyrelsen")
	e.must(e.saveDraft(c, documents.DraftYttrande, 0, "Vi tillstyrker."))
	doc, err := e.svc.Docs.DocumentLayout(e.ctx, admin, "huddinge", c.ID, documents.TemplateYttrande)
	e.check(err)
	if got := documents.PlainText(doc.Layout.Blocks[0].Spans); got != "Svar till Finansdepartementet om Förändring genom försök" || len(doc.Layout.Fields) != 0 {
		t.Errorf("own template: title %q, fields %+v", got, doc.Layout.Fields)
	}
	shipped, err := e.svc.Docs.DeleteTemplate(e.ctx, admin, "huddinge", documents.TemplateYttrande)
	if err != nil || shipped.Custom || !strings.Contains(shipped.Source, "Er beteckning") {
		t.Errorf("after delete: %+v, %v", shipped, err)
	}
}

// TestDocumentSettingsAndLogo: the letterhead's settings are checked, a
// logo must be a whole PNG or JPEG, and both reach the layout.
func TestDocumentSettingsAndLogo(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t), withDocuments(t))
	admin := e.as[workflow.RoleAdmin]
	patch := func(s string) error {
		_, err := e.svc.Accounts.UpdateOrganization(e.ctx, admin, "huddinge", workflow.OrganizationSettings{Documents: json.RawMessage(s)})
		return err
	}
	for s, field := range map[string]string{
		`{"org_number":"212000-0143"}`:            "documents.org_number",
		`{"org_number":"2120000142"}`:             "documents.org_number",
		`{"signing":"ordforande_kommundirektor"}`: "documents.kommundirektor",
		`{"signing":"kommunalråd"}`:               "documents.signing",
		`{"date_style":"us"}`:                     "documents.date_style",
		`{"address":["a","b","c","d","e"]}`:       "documents.address",
		`{"logga":true}`:                          "",
	} {
		err := patch(s)
		if workflow.ErrorCode(err) != workflow.CodeInvalid || !strings.Contains(err.Error(), field) && !strings.Contains(err.Error(), "kunde inte läsas") {
			t.Errorf("%s: %v, want an error on %s", s, err, field)
		}
	}
	e.check(patch(`{"address":["141 85 Huddinge"],"contact":["Telefon 08-535 300 00"],"org_number":"212000-0142","date_style":"iso","signing":"ordforande_kommundirektor","kommundirektor":"Eva Ek"}`))
	for name, b := range map[string][]byte{
		"text":      []byte("inte en bild"),
		"truncated": pngImage(t, 64, 32)[:60],
		"PDF":       []byte("%PDF-1.4\n%âãÏÓ\n"),
	} {
		if _, err := e.svc.Docs.SetLogo(e.ctx, admin, "huddinge", b); workflow.ErrorCode(err) != workflow.CodeUnsupportedMedia {
			t.Errorf("logo %s: %v", name, err)
		}
	}
	if _, err := e.svc.Docs.SetLogo(e.ctx, admin, "huddinge", pngImage(t, 8, 8)); workflow.ErrorCode(err) != workflow.CodeInvalid {
		t.Errorf("a logo of 8×8 pixels: %v", err)
	}
	st, err := e.svc.Docs.SetLogo(e.ctx, admin, "huddinge", pngImage(t, 64, 32))
	if err != nil || !st.HasLogo || st.LogoMediaType != "image/png" {
		t.Fatalf("logo: %+v, %v", st, err)
	}
	e.members("KS", "Daniel Dronjak")
	doc := e.decidedYttrande(t, "Vi tillstyrker.")
	lh := doc.Layout.Letterhead
	if len(lh.Logo) == 0 || lh.LogoAlt != "Huddinge kommun" || !equalJSON(lh.Lines, []string{"141 85 Huddinge", "Telefon 08-535 300 00", "Organisationsnummer 212000-0142"}) {
		t.Errorf("letterhead %+v", lh)
	}
	if doc.Layout.Fields[0].Value != "2024-01-29" {
		t.Errorf("date in ISO style: %q", doc.Layout.Fields[0].Value)
	}
	signers := doc.Layout.Blocks[len(doc.Layout.Blocks)-1].Signers
	if !equalJSON(signers, []documents.Signer{{Name: "Daniel Dronjak", Title: "Kommunstyrelsens ordförande"}, {Name: "Eva Ek", Title: "Kommundirektör"}}) {
		t.Errorf("signers %+v", signers)
	}
}

// pngImage is a w×h PNG with 16 bits per channel, which the domain writes
// anew as 8-bit.
func pngImage(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA64(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, x%h, color.NRGBA64{R: 0xffff, A: 0xffff})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestDecliningGivesTheShortYttrande: a case declined without a board
// gets the short yttrande with the reason, registered at once, and the
// missiv names the ministry's dnr.
func TestDecliningGivesTheShortYttrande(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t), withDocuments(t))
	e.members("KS", "Daniel Dronjak")
	c := e.advance(e.register("kommunstyrelsen"), "tilldela", "avsta")
	doc, err := e.svc.Docs.DocumentLayout(e.ctx, e.as[workflow.RoleLasare], "huddinge", c.ID, documents.TemplateYttrande)
	e.check(err)
	var texts []string
	for _, b := range doc.Layout.Blocks {
		if b.Role == documents.RoleParagraph {
			texts = append(texts, documents.PlainText(b.Spans))
		}
	}
	want := []string{"Huddinge kommun har beretts tillfälle att yttra sig över Förändring genom försök (SOU 2023:94) men avstår från att lämna synpunkter.",
		"Remissen berör inte kommunens verksamhet."}
	if !equalJSON(texts, want) {
		t.Errorf("paragraphs %q, want %q", texts, want)
	}
	docs, err := e.svc.Diarium.Documents(e.ctx, e.as[workflow.RoleLasare], "huddinge", c.ID)
	e.check(err)
	if reg := docs[len(docs)-1]; reg.Source != workflow.SourceDecidedYttrande || reg.File == nil {
		t.Errorf("the short yttrande was not registered: %+v", reg)
	}
	missiv, err := e.svc.Docs.Missiv(e.ctx, e.as[workflow.RoleLasare], "huddinge", c.ID)
	if err != nil || !strings.Contains(missiv, "Huddinge kommun översänder härmed sitt yttrande över Förändring genom försök (SOU 2023:94), er beteckning Fi2023/04321.") {
		t.Errorf("missiv %q, %v", missiv, err)
	}
}

// TestConcurrentSavesFromOneVersion: eight writers save on version 1 at
// once; exactly one gets version 2, the others are told someone saved,
// and eight concurrent registrations of the decided yttrande give one
// handling — on both databases.
func TestConcurrentSavesFromOneVersion(t *testing.T) {
	slow(t)
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, b.Open(t), withDocuments(t))
			e.members("KS", "Daniel Dronjak")
			c := e.atKS()
			e.must(e.saveDraft(c, documents.DraftYttrande, 0, "Version ett."))
			const n = 8
			errs := make(chan error, n)
			for i := range n {
				go func() {
					_, err := e.saveDraft(c, documents.DraftYttrande, 1, fmt.Sprintf("Skribent %d:s text.", i))
					errs <- err
				}()
			}
			won := 0
			for range n {
				switch err := <-errs; workflow.ErrorCode(err) {
				case "":
					won++
				case workflow.CodeConflict:
				default:
					t.Errorf("a save failed otherwise: %v", err)
				}
			}
			vs, err := e.svc.Docs.DraftVersions(e.ctx, e.as[workflow.RoleLasare], "huddinge", c.ID, documents.DraftYttrande)
			e.check(err)
			if won != 1 || len(vs) != 2 {
				t.Fatalf("%d saves won, %d versions; want 1 and 2", won, len(vs))
			}
			if _, err := e.fire(c, workflow.RoleSekreterare, "ks_beslut", sampleData["ks_beslut"]); err != nil {
				t.Fatal(err)
			}
			numbers := make(chan int, n)
			for range n {
				go func() {
					d, err := e.svc.Docs.RegisterYttrande(e.ctx, e.as[workflow.RoleSekreterare], "huddinge", c.ID)
					if err != nil {
						t.Error(err)
					}
					numbers <- d.Number
				}()
			}
			first := <-numbers
			for range n - 1 {
				if got := <-numbers; got != first {
					t.Errorf("registrations gave handlingar %d and %d", first, got)
				}
			}
			docs, err := e.svc.Diarium.Documents(e.ctx, e.as[workflow.RoleLasare], "huddinge", c.ID)
			e.check(err)
			rendered := 0
			for _, d := range docs {
				if d.Source == workflow.SourceDecidedYttrande {
					rendered++
				}
			}
			if rendered != 1 {
				t.Errorf("%d registered yttranden, want 1", rendered)
			}
		})
	}
}

// TestProtokollsutdragFromItsTemplate: the extract of a § is laid out by
// the protokollsutdrag template, with the members' statements, jäv and
// the recipients, and an organisation's own template replaces it.
func TestProtokollsutdragFromItsTemplate(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t), withDocuments(t))
	e.members("KS", "Daniel Dronjak", "Malin Danielsson", "Per Ahl")
	c := e.atKS()
	_, err := e.fire(c, workflow.RoleSekreterare, "ks_beslut", e.data(`{"outcome":"antaget","meeting":<KS>,
		"beslutsformulering":"Kommunstyrelsen antar förslaget till yttrande.\n\nBeslutet justeras omedelbart.",
		"yrkanden":[{"ledamot":"Malin Danielsson","text":"bifall till förslaget"}],"reservationer":[{"ledamot":"Per Ahl"}],
		"jav":["Daniel Dronjak"],"skickas_till":["Finansdepartementet","Socialnämnden"]}`))
	e.check(err)
	l, err := e.svc.Meetings.Protokollsutdrag(e.ctx, e.as[workflow.RoleSekreterare], "huddinge", e.meetings["KS"], 1)
	e.check(err)
	var got []string
	for _, b := range l.Blocks {
		switch b.Role {
		case documents.RoleHeading:
			got = append(got, "# "+documents.PlainText(b.Spans))
		case documents.RoleParagraph:
			got = append(got, documents.PlainText(b.Spans))
		case documents.RoleList:
			got = append(got, fmt.Sprintf("list of %d", len(b.Items)))
		}
	}
	want := []string{"# Kommunstyrelsens beslut", "Kommunstyrelsen antar förslaget till yttrande.", "Beslutet justeras omedelbart.",
		"# Yrkanden", "Malin Danielsson: bifall till förslaget", "# Reservationer", "Per Ahl", "# Jäv",
		"Daniel Dronjak anmäler jäv och deltar inte i handläggningen av ärendet.", "# Beslutet ska skickas till", "list of 2",
		"# Utdragsbestyrkande", "Protokollet är inte justerat.", "Utdraget bestyrks:"}
	if !equalJSON(got, want) {
		t.Errorf("blocks:\n%q\nwant\n%q", got, want)
	}
	if l.Footer != "Justerandes signatur" || l.Fields[1] != (documents.LayoutField{Label: "Paragraf", Value: "§ 1"}) {
		t.Errorf("footer %q, fields %+v", l.Footer, l.Fields)
	}
	for _, b := range l.Blocks {
		if b.Role == documents.RoleParagraph && documents.PlainText(b.Spans) == "Per Ahl" && !b.Spans[0].Bold {
			t.Errorf("the reserving member's name is not bold: %+v", b.Spans)
		}
	}
	admin := e.as[workflow.RoleAdmin]
	if _, err := e.svc.Docs.SetTemplate(e.ctx, admin, "huddinge", documents.TemplateProtokollsutdrag, "{{.Remiss.Sender}}"); err == nil || !strings.Contains(err.Error(), "Beslut, Forslag") {
		t.Errorf("a yttrande's field in the protokollsutdrag: %v", err)
	}
	e.must(e.svc.Docs.SetTemplate(e.ctx, admin, "huddinge", documents.TemplateProtokollsutdrag, "::: title\nUtdrag {{.Paragraph}}\n:::\n\n{{.Beslut}}\n"))
	l, err = e.svc.Meetings.Protokollsutdrag(e.ctx, e.as[workflow.RoleSekreterare], "huddinge", e.meetings["KS"], 1)
	e.check(err)
	if len(l.Blocks) != 3 || documents.PlainText(l.Blocks[0].Spans) != "Utdrag § 1" {
		t.Errorf("own template: %+v", l.Blocks)
	}
}
