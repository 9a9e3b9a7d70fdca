package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/yttrande/remiss/workflow/planning"
)

// overviewPage lists the organisation's open remisser, the most urgent
// first.
func (s *Server) overviewPage(w http.ResponseWriter, r *http.Request) {
	actor, slug := actorFrom(r.Context()), chi.URLParam(r, "org")
	org, err := s.svc.Accounts.Organization(r.Context(), actor, slug)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	q := planning.OverviewQuery{Q: r.URL.Query().Get("q"), Mine: r.URL.Query().Get("mine") == "1"}
	rows, err := s.svc.Planning.Overview(r.Context(), actor, slug, q)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "overview", page{Title: "Översikt", Page: "overview", Org: org, Query: q, Rows: rows})
}
