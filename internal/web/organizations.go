package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/yttrande/remiss/workflow/diarium"
)

func (s *Server) createOrganization(w http.ResponseWriter, r *http.Request) {
	var in diarium.NewOrganization
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	org, err := s.svc.Accounts.CreateOrganization(r.Context(), actorFrom(r.Context()), in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/organizations/"+org.Slug)
	respond(w, http.StatusCreated, org)
}

func (s *Server) getOrganization(w http.ResponseWriter, r *http.Request) {
	org, err := s.svc.Accounts.Organization(r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	respond(w, http.StatusOK, org)
}
