package web

import (
	"context"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5/middleware"
)

// getHealth answers as long as the process runs.
func (s *Server) getHealth(w http.ResponseWriter, r *http.Request) {
	respond(w, http.StatusOK, map[string]string{"status": "ok", "version": s.version})
}

// getReady answers 200 when the database answers with a current schema,
// so that a load balancer sends traffic only to instances that can serve it.
func (s *Server) getReady(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	if err := s.ready(ctx); err != nil {
		s.log.WarnContext(ctx, "not ready", "error", err)
		writeProblem(w, Problem{
			Type: problemBase + "not_ready", Title: "Inte redo", Status: http.StatusServiceUnavailable,
			Detail: "Databasen svarar inte eller har fel schemaversion.", Instance: r.URL.Path,
			RequestID: middleware.GetReqID(r.Context()),
		})
		return
	}
	respond(w, http.StatusOK, map[string]string{"status": "ready"})
}
