package web

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/documents"
	"github.com/yttrande/remiss/workflow/sending"
)

// getYttrande serves the case's yttrande, rendered now from the draft and
// the decision (the short one when the municipality declines).
func (s *Server) getYttrande(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.serveRendered(w, r, documents.TemplateYttrande, format)
	}
}

// getRendered serves …/render/{file}: a template's kind and the format,
// "tjansteutlatande.pdf", "yttrande.docx", or "yttrande.json" for the
// layout itself.
func (s *Server) getRendered(w http.ResponseWriter, r *http.Request) {
	name, format, _ := strings.Cut(chi.URLParam(r, "file"), ".")
	kind, err := documents.ParseTemplateKind(name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.serveRendered(w, r, kind, format)
}

func (s *Server) serveRendered(w http.ResponseWriter, r *http.Request, kind documents.TemplateKind, format string) {
	org, caseID, err := caseRef(r)
	if err == nil && format == "json" {
		var doc documents.RenderedDocument
		doc, err = s.svc.Docs.DocumentLayout(r.Context(), actorFrom(r.Context()), org, caseID, kind)
		s.answer(w, r, http.StatusOK, layoutJSON(doc), err)
		return
	}
	var f workflow.File
	if err == nil {
		f, err = s.svc.Docs.RenderDocument(r.Context(), actorFrom(r.Context()), org, caseID, kind, format)
	}
	s.serveFile(w, r, f, err)
}

// layoutJSON is the document model as the API shows it: the layout
// without the logo's bytes, the file name and what the draft left out.
func layoutJSON(doc documents.RenderedDocument) map[string]any {
	l := doc.Layout
	hasLogo := len(l.Letterhead.Logo) > 0
	l.Letterhead.Logo = nil
	return map[string]any{"layout": l, "file_name": doc.FileBase, "has_logo": hasLogo, "dropped": doc.Dropped}
}

func (s *Server) getMissiv(w http.ResponseWriter, r *http.Request) {
	org, caseID, err := caseRef(r)
	var text string
	if err == nil {
		text, err = s.svc.Docs.Missiv(r.Context(), actorFrom(r.Context()), org, caseID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte(text))
}

func (s *Server) registerYttrande(w http.ResponseWriter, r *http.Request) {
	org, caseID, err := caseRef(r)
	var d workflow.Document
	if err == nil {
		d, err = s.svc.Docs.RegisterYttrande(r.Context(), actorFrom(r.Context()), org, caseID)
	}
	s.answer(w, r, http.StatusOK, d, err)
}

func templateKind(r *http.Request) (documents.TemplateKind, error) {
	return documents.ParseTemplateKind(chi.URLParam(r, "kind"))
}

func (s *Server) getTemplate(w http.ResponseWriter, r *http.Request) {
	kind, err := templateKind(r)
	var t documents.DocumentTemplate
	if err == nil {
		t, err = s.svc.Docs.Template(r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org"), kind)
	}
	s.answer(w, r, http.StatusOK, t, err)
}

// templateInput is an organisation's own template.
type templateInput struct {
	Source string `json:"source"`
}

func (s *Server) putTemplate(w http.ResponseWriter, r *http.Request) {
	kind, err := templateKind(r)
	var in templateInput
	if err == nil {
		err = decodeJSON(w, r, &in)
	}
	var t documents.DocumentTemplate
	if err == nil {
		t, err = s.svc.Docs.SetTemplate(r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org"), kind, in.Source)
	}
	s.answer(w, r, http.StatusOK, t, err)
}

func (s *Server) deleteTemplate(w http.ResponseWriter, r *http.Request) {
	kind, err := templateKind(r)
	var t documents.DocumentTemplate
	if err == nil {
		t, err = s.svc.Docs.DeleteTemplate(r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org"), kind)
	}
	s.answer(w, r, http.StatusOK, t, err)
}

// putLogo takes the image itself as the body; its type is read from its
// bytes by the domain, which decodes it.
func (s *Server) putLogo(w http.ResponseWriter, r *http.Request) {
	u, err := readUpload(w, r, workflow.MaxLogoBytes)
	var st workflow.DocumentSettings
	if err == nil {
		st, err = s.svc.Docs.SetLogo(r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org"), u.Content)
	}
	s.answer(w, r, http.StatusOK, st, err)
}

func (s *Server) getLogo(w http.ResponseWriter, r *http.Request) {
	l, err := s.svc.Docs.Logo(r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", l.MediaType)
	w.Header().Set("Cache-Control", "private, no-cache")
	http.ServeContent(w, r, "", l.UpdatedAt, bytes.NewReader(l.Content))
}

func (s *Server) deleteLogo(w http.ResponseWriter, r *http.Request) {
	st, err := s.svc.Docs.DeleteLogo(r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org"))
	s.answer(w, r, http.StatusOK, st, err)
}

func (s *Server) getExpedition(w http.ResponseWriter, r *http.Request) {
	org, caseID, err := caseRef(r)
	var x sending.Expedition
	if err == nil {
		x, err = s.svc.Sending.ExpeditionPreview(r.Context(), actorFrom(r.Context()), org, caseID)
	}
	s.answer(w, r, http.StatusOK, x, err)
}

func (s *Server) patchRecipients(w http.ResponseWriter, r *http.Request) {
	org, caseID, err := caseRef(r)
	var in sending.RecipientsChange
	if err == nil {
		err = decodeJSON(w, r, &in)
	}
	var c workflow.Case
	if err == nil {
		c, err = s.svc.Sending.ChangeRecipients(r.Context(), actorFrom(r.Context()), org, caseID, in)
	}
	s.answer(w, r, http.StatusOK, c, err)
}
