package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/diarium"
)

// adminView is what the administration page lists.
type adminView struct {
	Users     []workflow.User
	Bodies    []workflow.Body
	Series    []diarium.Series
	Workflows []workflow.Summary
	Roles     []workflow.Role
	NewUser   *eventForm // the form for adding a user, with its errors
}

// adminPage lists the organisation's users and roles, bodies, number
// series and workflows, with a form to add a user. Only an admin sees it.
func (s *Server) adminPage(w http.ResponseWriter, r *http.Request) {
	s.showAdmin(w, r, http.StatusOK, url.Values{}, nil)
}

func (s *Server) showAdmin(w http.ResponseWriter, r *http.Request, status int, values url.Values, refusal error) {
	ctx, actor, slug := r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org")
	org, err := s.svc.Accounts.Organization(ctx, actor, slug)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	v := adminView{Roles: workflow.Roles}
	if v.Users, err = s.svc.Accounts.Users(ctx, actor, slug); err != nil {
		s.failPage(w, r, err)
		return
	}
	if v.Bodies, err = s.svc.Diarium.Bodies(ctx, actor, slug); err == nil {
		if v.Series, err = s.svc.Diarium.SeriesList(ctx, actor, slug); err == nil {
			v.Workflows, err = s.svc.Workflows(ctx, actor, slug)
		}
	}
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	v.NewUser = &eventForm{Fields: []formField{
		input(values, "email", "E-postadress", "email", true, ""),
		input(values, "name", "Namn", "text", true, ""),
	}}
	v.NewUser.refuse(refusal)
	s.render(w, r, status, "admin", page{Title: "Administration", Page: "admin", Org: org, Admin: &v, Checked: values["roles"]})
}

// createUserFromForm adds a user; single sign-on or a password set by
// `remiss user password` lets them log in.
func (s *Server) createUserFromForm(w http.ResponseWriter, r *http.Request) {
	ctx, actor, slug := r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org")
	if err := r.ParseForm(); err != nil {
		s.failPage(w, r, workflow.Errorf(workflow.CodeBadRequest, "Formuläret kunde inte läsas."))
		return
	}
	in := diarium.NewUser{Email: strings.TrimSpace(r.PostForm.Get("email")), Name: r.PostForm.Get("name"), Roles: r.PostForm["roles"]}
	u, err := s.svc.Accounts.CreateUser(ctx, actor, slug, in)
	switch workflow.ErrorCode(err) {
	case "":
		s.setFlash(w, u.Name+" är tillagd.")
		http.Redirect(w, r, "/o/"+url.PathEscape(slug)+"/administration", http.StatusSeeOther)
	case workflow.CodeInvalid, workflow.CodeConflict:
		status, _ := statusOf(err)
		s.showAdmin(w, r, status, r.PostForm, err)
	default:
		s.failPage(w, r, err)
	}
}
