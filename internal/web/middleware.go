package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/go-chi/httplog/v3"

	"github.com/yttrande/remiss/workflow"
)

type ctxKey int

const actorKey ctxKey = iota

// actorFrom returns the authenticated caller; only routes behind
// authenticate call it.
func actorFrom(ctx context.Context) workflow.Actor {
	a, _ := ctx.Value(actorKey).(workflow.Actor)
	return a
}

// authenticate resolves the bearer token and refuses the request without one.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor, err := s.auth.Authenticate(r.Context(), r.Header.Get("Authorization"))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(withActor(r.Context(), actor)))
	})
}

// withActor puts the authenticated caller in ctx, and its id in the
// request's log line.
func withActor(ctx context.Context, actor workflow.Actor) context.Context {
	httplog.SetAttrs(ctx, slog.String("actor", actorLogName(actor)))
	return context.WithValue(ctx, actorKey, actor)
}

// actorLogName identifies the actor in logs by id, not by name or e-mail:
// logs should not collect personal data.
func actorLogName(a workflow.Actor) string {
	if a.System {
		return "system"
	}
	return fmt.Sprintf("user:%d", a.UserID)
}

// logRequests writes one structured line per request with its request id.
func (s *Server) logRequests(next http.Handler) http.Handler {
	logged := httplog.RequestLogger(s.log, &httplog.Options{
		Level:             slog.LevelInfo,
		Schema:            httplog.SchemaOTEL,
		LogRequestHeaders: []string{"Content-Type"},
		Skip: func(r *http.Request, status int) bool {
			return (r.URL.Path == "/healthz" || r.URL.Path == "/readyz") && status < 400
		},
	})
	withID := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		httplog.SetAttrs(r.Context(), slog.String("request_id", middleware.GetReqID(r.Context())))
		next.ServeHTTP(w, r)
	})
	return logged(withID)
}

// recoverPanics turns a panic into a logged internal error and a
// problem+json 500 instead of a dropped connection.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.fail(w, r, workflow.Internal(fmt.Errorf("panic: %v\n%s", v, debug.Stack())))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// securityHeaders are safe for every response of a JSON API.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// requestCache gives each request the domain's cache of what it reads
// more than once (its organisation, its case), so that each is read from
// the database once however many services the handler asks.
func requestCache(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(workflow.WithRequestCache(r.Context())))
	})
}
