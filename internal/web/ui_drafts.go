package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/documents"
)

// draftView is the draft editor: the text as it is (or as the writer
// typed it, when the save was refused), the version it is based on, and
// the versions saved so far.
type draftView struct {
	Kind     documents.DraftKind
	Title    string
	Text     string
	Base     int
	Versions []documents.DraftVersion
	Dropped  []string
	Error    string
	Conflict string
	Diff     *documents.DraftDiff
	// DiffTitle says what Diff compares.
	DiffTitle string
}

var draftTitles = map[documents.DraftKind]string{documents.DraftYttrande: "Yttrande", documents.DraftTjansteutlatande: "Tjänsteutlåtande"}

// draftPage shows a draft of the case for writing.
func (s *Server) draftPage(w http.ResponseWriter, r *http.Request) {
	s.showDraft(w, r, http.StatusOK, nil)
}

// showDraft renders the editor. With edit, it shows the writer's text
// and base version instead of the latest.
func (s *Server) showDraft(w http.ResponseWriter, r *http.Request, status int, edit *draftView) {
	p, err := s.casePageData(r)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	kind, err := documents.ParseDraftKind(chi.URLParam(r, "kind"))
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	ctx, actor := r.Context(), actorFrom(r.Context())
	v := draftView{Kind: kind, Title: draftTitles[kind]}
	latest, err := s.svc.Docs.Draft(ctx, actor, p.Org.Slug, p.Case.ID, kind, 0)
	switch workflow.ErrorCode(err) {
	case "":
		v.Text, v.Base, v.Dropped = latest.Text, latest.Version, latest.Dropped
	case workflow.CodeNotFound:
	default:
		s.failPage(w, r, err)
		return
	}
	if v.Versions, err = s.svc.Docs.DraftVersions(ctx, actor, p.Org.Slug, p.Case.ID, kind); err != nil {
		s.failPage(w, r, err)
		return
	}
	if n, err := strconv.Atoi(r.URL.Query().Get("jamfor")); err == nil && n > 1 && edit == nil {
		d, err := s.svc.Docs.DiffDraft(ctx, actor, p.Org.Slug, p.Case.ID, kind, n-1, n, 3)
		if err != nil {
			s.failPage(w, r, err)
			return
		}
		v.Diff, v.DiffTitle = &d, fmt.Sprintf("Version %d jämförd med version %d", n, n-1)
	}
	if edit != nil {
		v.Text, v.Base, v.Error, v.Conflict = edit.Text, edit.Base, edit.Error, edit.Conflict
		if v.Conflict != "" && edit.Base > 0 && latest.Version > edit.Base {
			if d, err := s.svc.Docs.DiffDraft(ctx, actor, p.Org.Slug, p.Case.ID, kind, edit.Base, latest.Version, 2); err == nil {
				v.Diff, v.DiffTitle = &d, "Ändrat sedan din version"
			}
		}
	}
	p.Title, p.Page, p.Draft = v.Title+" – "+p.Case.Dnr, "draft", &v
	s.render(w, r, status, "draft", p)
}

// saveDraft saves the draft against the version the writer started from;
// when someone saved since, the writer's text comes back with who did and
// what changed.
func (s *Server) saveDraft(w http.ResponseWriter, r *http.Request) {
	ctx, actor, slug := r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org")
	id, _ := strconv.ParseInt(chi.URLParam(r, "case"), 10, 64)
	kind, err := documents.ParseDraftKind(chi.URLParam(r, "kind"))
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, documents.MaxDraftBytes+64<<10)
	if err := r.ParseForm(); err != nil {
		s.failPage(w, r, documents.ErrDraftTooLarge())
		return
	}
	base, _ := strconv.Atoi(r.PostForm.Get("base_version"))
	text := r.PostForm.Get("text")
	_, err = s.svc.Docs.SaveDraft(ctx, actor, slug, id, kind, documents.DraftSave{Text: text, BaseVersion: &base, Note: r.PostForm.Get("note")})
	switch workflow.ErrorCode(err) {
	case "":
		s.setFlash(w, draftTitles[kind]+" är sparat.")
		http.Redirect(w, r, "/o/"+url.PathEscape(slug)+"/arenden/"+strconv.FormatInt(id, 10)+"/utkast/"+string(kind), http.StatusSeeOther)
	case workflow.CodeConflict:
		s.showDraft(w, r, http.StatusConflict, &draftView{Text: text, Base: base, Conflict: workflow.Message(err)})
	case workflow.CodeInvalid, workflow.CodeTooLarge:
		status, _ := statusOf(err)
		s.showDraft(w, r, status, &draftView{Text: text, Base: base, Error: workflow.Message(err)})
	default:
		s.failPage(w, r, err)
	}
}

// yttrandePDF sends the yttrande as rendered now, to a signed-in user.
func (s *Server) yttrandePDF(w http.ResponseWriter, r *http.Request) {
	org, caseID, err := caseRef(r)
	var f workflow.File
	if err == nil {
		f, err = s.svc.Docs.RenderDocument(r.Context(), actorFrom(r.Context()), org, caseID, documents.TemplateYttrande, "pdf")
	}
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	s.serveFile(w, r, f, nil)
}
