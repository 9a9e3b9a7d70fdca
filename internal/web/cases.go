package web

import (
	"fmt"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/diarium"
	"github.com/yttrande/remiss/workflow/sending"
)

func (s *Server) createCase(w http.ResponseWriter, r *http.Request) {
	var in diarium.Registration
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	org := chi.URLParam(r, "org")
	c, err := s.svc.Diarium.RegisterCase(r.Context(), actorFrom(r.Context()), org, in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/organizations/%s/cases/%d", org, c.ID))
	respond(w, http.StatusCreated, c)
}

func (s *Server) listCases(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page, err := s.svc.Diarium.Cases(r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org"), workflow.CaseQuery{
		State: q.Get("state"), Q: q.Get("q"), DeadlineBefore: q.Get("deadline_before"), Limit: q.Get("limit"), Cursor: q.Get("cursor"),
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	respond(w, http.StatusOK, page)
}

func (s *Server) getCase(w http.ResponseWriter, r *http.Request) {
	org, id, err := caseRef(r)
	var c workflow.Case
	if err == nil {
		c, err = s.svc.Case(r.Context(), actorFrom(r.Context()), org, id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	respond(w, http.StatusOK, c)
}

func (s *Server) getHistory(w http.ResponseWriter, r *http.Request) {
	org, id, err := caseRef(r)
	var h []workflow.HistoryEntry
	if err == nil {
		h, err = s.svc.History(r.Context(), actorFrom(r.Context()), org, id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if h == nil {
		h = []workflow.HistoryEntry{}
	}
	respond(w, http.StatusOK, h) // the contract fixes a bare array here
}

// getMessages lists the e-mail of a case: reminders and notices, sent,
// waiting for a retry, failed with the mail server's answer, or cancelled.
func (s *Server) getMessages(w http.ResponseWriter, r *http.Request) {
	org, id, err := caseRef(r)
	var msgs []sending.OutboxEntry
	if err == nil {
		msgs, err = s.svc.Sending.Messages(r.Context(), actorFrom(r.Context()), org, id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	respond(w, http.StatusOK, list(msgs))
}
