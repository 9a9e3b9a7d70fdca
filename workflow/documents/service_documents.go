package documents

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/yttrande/remiss/workflow"
)

// Service keeps the yttrande's and the tjänsteutlåtande's drafts with
// their versions, diffs and comments, the organisation's document
// templates and logo, and makes the documents: it fills a template with
// the case, lays it out in the organisation's frame and renders it as PDF
// or Word. It registers the decided yttrande (RegisterDecided), and its
// guard plugs into the engine (Guards).
type Service struct {
	*workflow.Core
	store     Store
	engine    *workflow.Engine
	markdown  MarkdownParser
	renderers map[string]Renderer
	templates fs.FS
}

// Config is what the documents service needs besides the core and the
// store. Without Markdown and a PDF renderer it keeps drafts but renders
// nothing.
type Config struct {
	Markdown  MarkdownParser
	PDF       Renderer
	DOCX      Renderer
	Templates fs.FS // the shipped templates, as documents/<kind>.md
}

// Store is what documents read and write.
type Store interface {
	Case(ctx context.Context, orgID, caseID int64) (workflow.Case, error)
	Bodies(ctx context.Context, orgID int64) ([]workflow.Body, error)
	BodyByCode(ctx context.Context, orgID int64, code string) (workflow.Body, error)
	Members(ctx context.Context, orgID, bodyID int64) ([]workflow.Member, error)
	History(ctx context.Context, orgID, caseID int64) ([]workflow.HistoryEntry, error)
	Documents(ctx context.Context, orgID, caseID int64) ([]workflow.Document, error)
	// AddRenderedDocument registers a handling with its file in one
	// transaction, once per source: when the case has one from source
	// already, that one is returned and created is false.
	AddRenderedDocument(ctx context.Context, orgID, caseID int64, d workflow.Document, f workflow.File, source string) (doc workflow.Document, created bool, err error)
	// AddDraftVersion inserts a version of a draft; CodeConflict when
	// that version number is taken (someone saved meanwhile).
	AddDraftVersion(ctx context.Context, orgID int64, v DraftVersion) (DraftVersion, error)
	// DraftVersion returns version n of a draft, the latest when n is 0.
	DraftVersion(ctx context.Context, orgID, caseID int64, kind DraftKind, n int) (DraftVersion, error)
	// DraftVersions lists a draft's versions without their text.
	DraftVersions(ctx context.Context, orgID, caseID int64, kind DraftKind) ([]DraftVersion, error)
	AddDraftComment(ctx context.Context, orgID, caseID int64, c DraftComment) (DraftComment, error)
	DraftComments(ctx context.Context, orgID, caseID int64, kind DraftKind) ([]DraftComment, error)
	// ResolveDraftComment marks a comment resolved; CodeConflict when it
	// was already.
	ResolveDraftComment(ctx context.Context, orgID, caseID int64, kind DraftKind, id int64, by string, at time.Time) (DraftComment, error)
	// SetTemplate stores an organisation's own document template.
	SetTemplate(ctx context.Context, orgID int64, t DocumentTemplate) error
	// Template returns an organisation's own template, CodeNotFound when
	// it has none.
	Template(ctx context.Context, orgID int64, kind TemplateKind) (DocumentTemplate, error)
	DeleteTemplate(ctx context.Context, orgID int64, kind TemplateKind) error
	SetLogo(ctx context.Context, orgID int64, l workflow.Logo) error
	// Logo returns the organisation's logo, CodeNotFound when it has none.
	Logo(ctx context.Context, orgID int64) (workflow.Logo, error)
	DeleteLogo(ctx context.Context, orgID int64) error
}

// New returns the documents service on core and store.
func New(core *workflow.Core, store Store, c Config) *Service {
	d := &Service{Core: core, store: store, markdown: c.Markdown, templates: c.Templates, renderers: map[string]Renderer{}}
	if c.PDF != nil {
		d.renderers["pdf"] = c.PDF
	}
	if c.DOCX != nil {
		d.renderers["docx"] = c.DOCX
	}
	return d
}

// Bind gives the documents service the engine whose cases it reads; it
// is built after it, since the engine needs its guard.
func (s *Service) Bind(engine *workflow.Engine) { s.engine = engine }

// Guards are the engine's guards on documents.
func (s *Service) Guards() map[string]workflow.GuardFunc {
	return map[string]workflow.GuardFunc{"draft_exists": s.guardDraftExists}
}

// guardDraftExists: a draft yttrande exists, written in the product or
// registered as a handling of kind yttrande.
func (s *Service) guardDraftExists(f *workflow.Firing, _ string) error {
	docs, err := f.Documents()
	if err != nil {
		return err
	}
	if slices.ContainsFunc(docs, func(d workflow.Document) bool { return d.Kind == workflow.KindYttrande }) {
		return nil
	}
	if _, err := s.store.DraftVersion(f.Ctx, f.Org.ID, f.Case.ID, DraftYttrande, 0); workflow.ErrorCode(err) != workflow.CodeNotFound {
		return err
	}
	return workflow.Blocked("Det finns inget utkast till yttrande i ärendet. Skriv utkastet (…/drafts/yttrande) eller registrera yttrandet som en handling av slaget ”yttrande” först.")
}

// RenderedDocument is a document laid out for a case, with the file name
// (without extension) the ministry asks for: the remissinstans' name
// first, e.g. "Huddinge kommun - Yttrande SOU 2023-94".
type RenderedDocument struct {
	Layout   Layout
	FileBase string
	// Dropped says what of the draft the document leaves out.
	Dropped []string
}

// DocumentLayout lays out a document of the case from its template.
func (s *Service) DocumentLayout(ctx context.Context, actor workflow.Actor, slug string, caseID int64, kind TemplateKind) (RenderedDocument, error) {
	org, err := s.engine.CaseFor(ctx, actor, slug, caseID, workflow.PermReadCase)
	if err != nil {
		return RenderedDocument{}, err
	}
	switch kind {
	case TemplateMissiv:
		return RenderedDocument{}, workflow.Errorf(workflow.CodeInvalid, "Missivet är ett e-brev, inget dokument; läs det med …/missiv.")
	case TemplateProtokollsutdrag:
		return RenderedDocument{}, workflow.Errorf(workflow.CodeInvalid, "Ett protokollsutdrag hämtas från sammanträdets paragraf: …/meetings/{id}/paragraphs/{n}/protokollsutdrag.pdf.")
	}
	c, err := s.LoadCase(ctx, org.ID, caseID)
	if err != nil {
		return RenderedDocument{}, err
	}
	return s.compose(ctx, org, c, kind)
}

// RenderDocument renders a document of the case as "pdf" or "docx".
func (s *Service) RenderDocument(ctx context.Context, actor workflow.Actor, slug string, caseID int64, kind TemplateKind, format string) (workflow.File, error) {
	r, ok := s.renderers[format]
	if !ok {
		return workflow.File{}, workflow.Errorf(workflow.CodeNotFound, "Dokument kan hämtas som pdf eller docx, inte som ”%s”.", format)
	}
	doc, err := s.DocumentLayout(ctx, actor, slug, caseID, kind)
	if err != nil {
		return workflow.File{}, err
	}
	return renderFile(r, doc, format)
}

var mediaTypes = map[string]string{
	"pdf":  workflow.MediaTypePDF,
	"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

func renderFile(r Renderer, doc RenderedDocument, format string) (workflow.File, error) {
	b, err := r.Render(doc.Layout)
	if err != nil {
		return workflow.File{}, workflow.Internal(err)
	}
	sum := sha256.Sum256(b)
	return workflow.File{FileInfo: workflow.FileInfo{Name: doc.FileBase + "." + format, MediaType: mediaTypes[format], Size: int64(len(b)),
		SHA256: hex.EncodeToString(sum[:]), AttachedAt: doc.Layout.Meta.Created}, Content: b}, nil
}

// Missiv returns the covering e-mail's text for the yttrande.
func (s *Service) Missiv(ctx context.Context, actor workflow.Actor, slug string, caseID int64) (string, error) {
	org, err := s.engine.CaseFor(ctx, actor, slug, caseID, workflow.PermReadCase)
	if err != nil {
		return "", err
	}
	c, err := s.LoadCase(ctx, org.ID, caseID)
	if err != nil {
		return "", err
	}
	return s.missiv(ctx, org, c)
}

// MissivText is the covering e-mail's text for c's yttrande.
func (s *Service) MissivText(ctx context.Context, org workflow.Organization, c workflow.Case) (string, error) {
	return s.missiv(ctx, org, c)
}

// YttrandeWord renders c's yttrande as the Word file sent beside the
// registered PDF; an invalid Error says why it cannot be made.
func (s *Service) YttrandeWord(ctx context.Context, org workflow.Organization, c workflow.Case) (workflow.File, error) {
	r, ok := s.renderers["docx"]
	if !ok {
		return workflow.File{}, workflow.Errorf(workflow.CodeInvalid, "Word-versionen kan inte skapas: ingen Word-renderare är konfigurerad.")
	}
	doc, err := s.compose(ctx, org, c, TemplateYttrande)
	if err != nil {
		return workflow.File{}, workflow.Errorf(workflow.CodeInvalid, "Word-versionen av yttrandet kan inte skapas: %s", workflow.Message(err))
	}
	return renderFile(r, doc, "docx")
}

// RenderFile renders l as format ("pdf", "docx") into a file named
// fileBase.
func (s *Service) RenderFile(l Layout, fileBase, format string) (workflow.File, error) {
	r, ok := s.renderers[format]
	if !ok {
		return workflow.File{}, workflow.Internal(errNoPDF)
	}
	return renderFile(r, RenderedDocument{Layout: l, FileBase: fileBase}, format)
}

func (s *Service) missiv(ctx context.Context, org workflow.Organization, c workflow.Case) (string, error) {
	cd, err := s.gather(ctx, org, c, TemplateMissiv)
	if err != nil {
		return "", err
	}
	src, err := s.templateSource(ctx, org.ID, TemplateMissiv)
	if err != nil {
		return "", err
	}
	return executeTemplate(TemplateMissiv, src, cd.data(s.Today()))
}

// compose fills the template of kind with the case's data and reads the
// result into a layout.
func (s *Service) compose(ctx context.Context, org workflow.Organization, c workflow.Case, kind TemplateKind) (RenderedDocument, error) {
	if s.markdown == nil {
		return RenderedDocument{}, workflow.Internal(errNoMarkdown)
	}
	cd, err := s.gather(ctx, org, c, kind)
	if err != nil {
		return RenderedDocument{}, err
	}
	if kind == TemplateYttrande && cd.declined() {
		// The yttrande follows the decision: declining gives the short one.
		kind, cd.kind = TemplateYttrandeAvstar, TemplateYttrandeAvstar
	}
	if cd.draft.Version == 0 && kind != TemplateYttrandeAvstar {
		return RenderedDocument{}, workflow.Errorf(workflow.CodeInvalid, "Ärendet har inget utkast till %s än. Skriv utkastet först (…/drafts/%s).", draftOf(kind), draftOf(kind))
	}
	src, err := s.templateSource(ctx, org.ID, kind)
	if err != nil {
		return RenderedDocument{}, err
	}
	data := cd.data(s.Today())
	out, err := executeTemplate(kind, src, data.escaped())
	if err != nil {
		return RenderedDocument{}, err
	}
	fr, err := readFrame(out, s.markdown)
	if err != nil {
		return RenderedDocument{}, err
	}
	logo, err := s.store.Logo(ctx, org.ID)
	if err != nil && workflow.ErrorCode(err) != workflow.CodeNotFound {
		return RenderedDocument{}, err
	}
	l := Layout{Meta: cd.meta(fr), Letterhead: cd.letterhead(logo.Content), Fields: fr.fields, Addressee: fr.addressee,
		Blocks: fr.blocks, Footer: fr.footer, Justify: org.Documents.Justify}
	return RenderedDocument{Layout: l, FileBase: cd.fileBase(), Dropped: append([]string{}, fr.dropped...)}, nil
}

// meta is the document's metadata. Its date is the version's, not the
// clock's, so that the same case renders to the same bytes.
func (cd *caseDocument) meta(fr frame) LayoutMeta {
	title := documentTitles[cd.kind]
	for _, b := range fr.blocks {
		if b.Role == RoleTitle {
			title = PlainText(b.Spans)
			break
		}
	}
	created := cd.draft.CreatedAt
	if created.IsZero() {
		created = cd.c.UpdatedAt
	}
	return LayoutMeta{Title: title, Author: cd.org.Name, Subject: cd.c.Title, Lang: "sv-SE", Created: created.UTC().Truncate(time.Second),
		Keywords: nonEmpty(cd.c.Dnr, cd.c.Remiss.SenderDnr, cd.c.Remiss.Reference, strings.ToLower(documentTitles[cd.kind]))}
}

func (cd *caseDocument) letterhead(logo []byte) Letterhead {
	st := cd.org.Documents
	lh := Letterhead{Name: cd.org.Name, Unit: cd.body.Name, Logo: logo, LogoAlt: st.LogoAlt}
	if draftOf(cd.kind) == DraftTjansteutlatande && len(cd.draft.Signers) > 0 && cd.draft.Signers[0].Unit != "" {
		lh.Unit = cd.draft.Signers[0].Unit
	}
	if lh.LogoAlt == "" {
		lh.LogoAlt = cd.org.Name
	}
	lh.Lines = append(append([]string{}, st.Address...), st.Contact...)
	if st.OrgNumber != "" {
		lh.Lines = append(lh.Lines, "Organisationsnummer "+st.OrgNumber)
	}
	return lh
}

// fileBase names the file as the ministries ask: the remissinstans'
// name, the kind of document, and the report's reference (or the
// ministry's dnr) for a yttrande, our dnr for a report, without the
// characters a file system refuses.
func (cd *caseDocument) fileBase() string {
	ref := cd.c.Dnr
	if draftOf(cd.kind) == DraftYttrande {
		ref = cmp.Or(cd.c.Remiss.Reference, cd.c.Remiss.SenderDnr, cd.c.Dnr)
	}
	name := cd.org.Name + " - " + documentTitles[cd.kind] + " " + ref
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) || workflow.IsControl(r) {
			return '-'
		}
		return r
	}, name)
}

// nonEmpty leaves out the empty strings.
func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

var errNoMarkdown = errors.New("workflow: documents need a MarkdownParser")
