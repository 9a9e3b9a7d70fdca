package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/yttrande/remiss/workflow"
)

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) {
	var in workflow.NewUser
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	u, err := s.svc.CreateUser(r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org"), in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	respond(w, http.StatusCreated, u)
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) {
	users, err := s.svc.Users(r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	respond(w, http.StatusOK, list(users))
}
