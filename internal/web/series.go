package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/yttrande/remiss/workflow"
)

func (s *Server) createSeries(w http.ResponseWriter, r *http.Request) {
	var in workflow.NewSeries
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	sr, err := s.svc.CreateSeries(r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org"), in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	respond(w, http.StatusCreated, sr)
}

func (s *Server) listSeries(w http.ResponseWriter, r *http.Request) {
	series, err := s.svc.SeriesList(r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	respond(w, http.StatusOK, list(series))
}
