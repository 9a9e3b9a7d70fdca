package web

import (
	"context"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/yttrande/remiss/workflow"
)

// The organisation's simple resources (users, tokens, bodies, series) all
// have the same two handlers: create from a JSON body, and list. These two
// functions make them from the domain call, so that routes.go names the
// call and every such handler decodes and answers the same way.

// createIn decodes an In from the body, calls create for the {org} of the
// URL and answers 201 with the result.
func createIn[In, Out any](s *Server, create func(context.Context, workflow.Actor, string, In) (Out, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in In
		if err := decodeJSON(w, r, &in); err != nil {
			s.fail(w, r, err)
			return
		}
		out, err := create(r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org"), in)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		respond(w, http.StatusCreated, out)
	}
}

// listOf answers with the items that read returns for the {org} of the URL.
func listOf[Out any](s *Server, read func(context.Context, workflow.Actor, string) ([]Out, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		items, err := read(r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org"))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		respond(w, http.StatusOK, list(items))
	}
}
