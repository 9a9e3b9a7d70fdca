package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/yttrande/remiss/workflow"
)

// createToken answers with the secret, the only time it is ever shown.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request) {
	var in workflow.NewToken
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := s.svc.IssueToken(r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org"), in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	respond(w, http.StatusCreated, t)
}

func (s *Server) listTokens(w http.ResponseWriter, r *http.Request) {
	tokens, err := s.svc.Tokens(r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	respond(w, http.StatusOK, list(tokens))
}

func (s *Server) deleteToken(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "token", "Nyckeln")
	if err == nil {
		err = s.svc.RevokeToken(r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org"), id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
