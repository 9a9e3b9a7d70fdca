package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
)

func (s *Server) deleteToken(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "token", "Nyckeln")
	if err == nil {
		err = s.svc.Accounts.RevokeToken(r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org"), id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
