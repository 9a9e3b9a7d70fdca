package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/yttrande/remiss/workflow"
)

func (s *Server) createBody(w http.ResponseWriter, r *http.Request) {
	var in workflow.NewBody
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	b, err := s.svc.CreateBody(r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org"), in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	respond(w, http.StatusCreated, b)
}

func (s *Server) listBodies(w http.ResponseWriter, r *http.Request) {
	bodies, err := s.svc.Bodies(r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	respond(w, http.StatusOK, list(bodies))
}
