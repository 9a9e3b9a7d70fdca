package web

import (
	"bytes"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/planning"
)

func (s *Server) getPlan(w http.ResponseWriter, r *http.Request) {
	org, id, err := caseRef(r)
	var p planning.Plan
	if err == nil {
		p, err = s.svc.Planning.Plan(r.Context(), actorFrom(r.Context()), org, id)
	}
	s.answer(w, r, http.StatusOK, p, err)
}

// listDeadlines is the organisation's deadline overview.
func (s *Server) listDeadlines(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	dq := workflow.DeadlineQuery{From: q.Get("from"), To: q.Get("to"), Body: q.Get("body"), Limit: q.Get("limit"), Cursor: q.Get("cursor")}
	var v workflow.Validation
	switch q.Get("mine") {
	case "", "false":
	case "true":
		dq.Mine = true
	default:
		v.Add("mine", "Ange true eller false.")
	}
	err := v.Err()
	var page workflow.DeadlinePage
	if err == nil {
		page, err = s.svc.Planning.Deadlines(r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org"), dq)
	}
	s.answer(w, r, http.StatusOK, page, err)
}

// closedDays is the body of GET and PUT …/days.
type closedDays struct {
	Days []planning.ClosedDay `json:"days"`
}

func (s *Server) getClosedDays(w http.ResponseWriter, r *http.Request) {
	days, err := s.svc.Planning.ClosedDays(r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org"))
	s.answer(w, r, http.StatusOK, closedDays{Days: nonNil(days)}, err)
}

func (s *Server) putClosedDays(w http.ResponseWriter, r *http.Request) {
	var in closedDays
	err := decodeJSON(w, r, &in)
	if err == nil {
		in.Days, err = s.svc.Planning.SetClosedDays(r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org"), in.Days)
	}
	s.answer(w, r, http.StatusOK, closedDays{Days: nonNil(in.Days)}, err)
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

func (s *Server) issueFeedToken(w http.ResponseWriter, r *http.Request) {
	link, err := s.svc.Planning.IssueFeedToken(r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org"))
	s.answer(w, r, http.StatusCreated, link, err)
}

// getFeed serves a calendar feed; the token in the path is the credential.
func (s *Server) getFeed(w http.ResponseWriter, r *http.Request) {
	f, err := s.svc.Planning.Feed(r.Context(), s.hash(chi.URLParam(r, "token")), chi.URLParam(r, "code"))
	var b bytes.Buffer
	if err == nil {
		err = s.feeds(&b, f)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Cache-Control", "private, max-age=300")
	_, _ = w.Write(b.Bytes())
}
