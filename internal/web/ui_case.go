package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/yttrande/remiss/internal/draw"
	"github.com/yttrande/remiss/workflow"
)

// casePage shows one ärende: both numbers and the reply date, what the
// user may do now, the workflow with the current state, the handlingar
// and the history.
func (s *Server) casePage(w http.ResponseWriter, r *http.Request) {
	p, err := s.casePageData(r)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "case", p)
}

// casePageData reads everything the case page shows.
func (s *Server) casePageData(r *http.Request) (page, error) {
	ctx, actor, slug := r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org")
	id, err := strconv.ParseInt(chi.URLParam(r, "case"), 10, 64)
	if err != nil {
		return page{}, workflow.Errorf(workflow.CodeNotFound, "Ärendet finns inte.")
	}
	p := page{Page: "case"}
	if p.Org, err = s.svc.Accounts.Organization(ctx, actor, slug); err != nil {
		return p, err
	}
	if p.Case, err = s.svc.Case(ctx, actor, slug, id); err != nil {
		return p, err
	}
	p.Title = p.Case.Dnr + " " + p.Case.Title
	if p.Def, err = s.svc.Definition(ctx, p.Org.ID, p.Case.Workflow); err != nil {
		return p, err
	}
	if p.History, err = s.svc.History(ctx, actor, slug, id); err != nil {
		return p, err
	}
	if p.Documents, err = s.svc.Diarium.Documents(ctx, actor, slug, id); err != nil {
		return p, err
	}
	if p.Plan, err = s.svc.Planning.Plan(ctx, actor, slug, id); err != nil {
		return p, err
	}
	// Both drawings are ours, built from escaped names: safe to inline.
	p.PlanSVG = template.HTML(draw.PlanSVG(p.Plan))
	d, current, err := s.svc.WorkflowToDraw(ctx, actor, slug, p.Case.Workflow.Name, p.Case.Workflow.Version, id)
	if err != nil {
		return p, err
	}
	p.Graph = template.HTML(draw.SVG(d, current))
	return p, nil
}

// available finds the event among those the user may fire now.
func available(c workflow.Case, name string) (workflow.AvailableEvent, bool) {
	for _, e := range c.AvailableEvents {
		if e.Name == name {
			return e, true
		}
	}
	return workflow.AvailableEvent{}, false
}

// eventFormPage shows the case with the form of one event open.
func (s *Server) eventFormPage(w http.ResponseWriter, r *http.Request) {
	p, err := s.casePageData(r)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	ev, ok := available(p.Case, chi.URLParam(r, "event"))
	if !ok {
		s.failPage(w, r, workflow.Errorf(workflow.CodeForbidden, "Det går inte att göra detta i ärendet nu, eller din roll ger inte behörighet till det."))
		return
	}
	c, err := s.loadChoices(r.Context(), actorFrom(r.Context()), p.Org.Slug, ev.Data)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	p.Form = newEventForm(ev, p.Case.Version, url.Values{}, c)
	s.render(w, r, http.StatusOK, "case", p)
}

// fireFromForm fires the event with the form's data. On success the
// browser goes back to the case (post/redirect/get); when the data is
// refused, or someone else changed the case meanwhile, the form comes
// back with what the user typed and the reason.
func (s *Server) fireFromForm(w http.ResponseWriter, r *http.Request) {
	ctx, actor, slug := r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org")
	id, _ := strconv.ParseInt(chi.URLParam(r, "case"), 10, 64)
	name := chi.URLParam(r, "event")
	if err := r.ParseForm(); err != nil {
		s.failPage(w, r, workflow.Errorf(workflow.CodeBadRequest, "Formuläret kunde inte läsas."))
		return
	}
	version, _ := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	c, err := s.svc.Case(ctx, actor, slug, id)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	// An event the user may not do now has no form: Fire says why.
	ev, _ := available(c, name)
	data, err := formData(ev.Data, r.PostForm)
	if err == nil {
		_, err = s.svc.Fire(ctx, actor, slug, id, workflow.FireRequest{Event: name, Version: version, Data: data}, "")
	}
	switch workflow.ErrorCode(err) {
	case "":
		s.setFlash(w, "”"+ev.Title+"” är gjort.")
		http.Redirect(w, r, "/o/"+url.PathEscape(slug)+"/arenden/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	case workflow.CodeInvalid, workflow.CodeConflict:
		s.refusedForm(w, r, name, err)
	default:
		s.failPage(w, r, err)
	}
}

// refusedForm shows the case as it is now with the form as the user
// filled it in: the field errors beside the fields, or who changed the
// case, and the current version, so that sending again is a decision.
func (s *Server) refusedForm(w http.ResponseWriter, r *http.Request, name string, refusal error) {
	p, err := s.casePageData(r)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	ev, ok := available(p.Case, name)
	if !ok {
		// The case moved on: the event cannot be done any more.
		p.Conflict = workflow.Message(refusal)
		s.render(w, r, http.StatusConflict, "case", p)
		return
	}
	c, err := s.loadChoices(r.Context(), actorFrom(r.Context()), p.Org.Slug, ev.Data)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	p.Form = newEventForm(ev, p.Case.Version, r.PostForm, c)
	status := http.StatusUnprocessableEntity
	if workflow.ErrorCode(refusal) == workflow.CodeConflict {
		p.Conflict, status = workflow.Message(refusal), http.StatusConflict
	} else {
		p.Form.refuse(refusal)
	}
	s.render(w, r, status, "case", p)
}

// documentFile sends a handling's file to a signed-in user.
func (s *Server) documentFile(w http.ResponseWriter, r *http.Request) {
	org, caseID, n, err := documentRef(r)
	var f workflow.File
	if err == nil {
		f, err = s.svc.Diarium.FileContent(r.Context(), actorFrom(r.Context()), org, caseID, n)
	}
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	s.serveFile(w, r, f, nil)
}

// expeditionPage shows exactly what expediera will send, what stops it,
// and the case's e-mail as it stands (waiting, sent, failed with the
// server's answer).
func (s *Server) expeditionPage(w http.ResponseWriter, r *http.Request) {
	p, err := s.casePageData(r)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	ctx, actor := r.Context(), actorFrom(r.Context())
	x, err := s.svc.Sending.ExpeditionPreview(ctx, actor, p.Org.Slug, p.Case.ID)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	if p.Messages, err = s.svc.Sending.Messages(ctx, actor, p.Org.Slug, p.Case.ID); err != nil {
		s.failPage(w, r, err)
		return
	}
	p.Expedition, p.Title, p.Page = &x, "Expediering – "+p.Case.Dnr, "case"
	s.render(w, r, http.StatusOK, "expedition", p)
}
