// Package web is the HTTP face of the product: the JSON API under /api/v1
// (chi), health endpoints and graceful shutdown. Handlers are thin: they
// parse the request, make one call to the domain and render the result or
// hand the error to the one error mapper.
package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/go-chi/chi/v5"

	"github.com/yttrande/remiss/internal/app"
	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/documents"
	"github.com/yttrande/remiss/workflow/planning"
)

// Authenticator turns an Authorization header into an Actor; internal/auth
// implements it.
type Authenticator interface {
	Authenticate(ctx context.Context, header string) (workflow.Actor, error)
}

// Renderer renders a document layout to PDF; internal/pdf implements it.
type Renderer interface {
	Render(l documents.Layout) ([]byte, error)
}

// Deps is what the web layer needs from the rest of the program.
type Deps struct {
	Service *app.App
	Auth    Authenticator
	PDF     Renderer
	// ParseICS reads meetings from an iCalendar file (internal/ical).
	ParseICS func(r io.Reader) ([]workflow.NewMeeting, error)
	// WriteFeed writes a calendar feed as iCalendar (internal/ical).
	WriteFeed func(w io.Writer, f planning.Feed) error
	// HashSecret is how token secrets are stored (internal/auth), for the
	// feed tokens that arrive in the URL instead of a header.
	HashSecret func(secret string) []byte
	// Ready reports whether the database answers and its schema is current.
	Ready   func(ctx context.Context) error
	Log     *slog.Logger
	Version string
	// Sessions stores the web application's sessions.
	Sessions SessionStore
	// Secure says the public address is https: session cookies are
	// Secure and pages carry HSTS.
	Secure bool
	// Location is the municipality's time zone, for times on pages.
	Location *time.Location
	// TrustedProxies is how many reverse proxies in front of the server
	// add to X-Forwarded-For; 0: the TCP peer is the client.
	TrustedProxies int
	// SSO is the municipality's identity provider; nil: local accounts
	// only.
	SSO SingleSignOn
	// Demo is the demo's movable clock: every page shows the demo's day
	// in a banner with the means to move it. Nil outside the demo.
	Demo DemoClock
}

// Server serves the API.
type Server struct {
	router   *chi.Mux
	svc      *app.App
	auth     Authenticator
	pdf      Renderer
	parseICS func(r io.Reader) ([]workflow.NewMeeting, error)
	feeds    func(w io.Writer, f planning.Feed) error
	hash     func(secret string) []byte
	ready    func(ctx context.Context) error
	log      *slog.Logger
	version  string
	sessions *scs.SessionManager
	pages    map[string]*template.Template
	secure   bool
	// trustedProxies: see Deps.TrustedProxies.
	trustedProxies int
	sso            SingleSignOn
	demo           DemoClock
	loc            *time.Location
}

// NewHandler returns the product's HTTP handler. It fails only when a
// page template does not parse, which a build with broken templates does.
func NewHandler(d Deps) (http.Handler, error) {
	s := &Server{svc: d.Service, auth: d.Auth, pdf: d.PDF, parseICS: d.ParseICS, feeds: d.WriteFeed, hash: d.HashSecret, ready: d.Ready, log: d.Log, version: d.Version,
		secure: d.Secure, sessions: newSessions(d.Sessions, d.Secure), trustedProxies: d.TrustedProxies, sso: d.SSO, demo: d.Demo}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.loc = d.Location
	if s.loc == nil {
		s.loc = time.UTC
	}
	var err error
	if s.pages, err = parsePages(s.loc); err != nil {
		return nil, fmt.Errorf("web pages: %w", err)
	}
	s.router = s.routes()
	return s.router, nil
}

// NewHTTPServer wraps h with the timeouts a server facing a municipal
// network needs: slow clients cannot hold connections open forever.
func NewHTTPServer(h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // uploads of large PDFs over slow links
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// Serve runs srv on ln until ctx ends, then shuts down gracefully: it stops
// accepting connections and lets requests in flight finish within timeout.
func Serve(ctx context.Context, srv *http.Server, ln net.Listener, timeout time.Duration) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
