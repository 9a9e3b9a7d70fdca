package web

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/alexedwards/scs/v2"

	"github.com/yttrande/remiss/templates"
	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/diarium"
	"github.com/yttrande/remiss/workflow/planning"
	"github.com/yttrande/remiss/workflow/sending"
)

// SessionStore keeps the web application's sessions; internal/store does,
// in the database, so that every server instance sees every session.
type SessionStore interface {
	FindSession(ctx context.Context, token string) ([]byte, bool, error)
	CommitSession(ctx context.Context, token string, data []byte, expiry time.Time) error
	DeleteSession(ctx context.Context, token string) error
	DeleteExpiredSessions(ctx context.Context, now time.Time) error
}

// sessionStore adapts a SessionStore to scs, and keeps what it reads for
// a while: every page reads its session, and nearly every page would
// write it back only to move its idle expiry. A session is read from the
// database at most every workflow.Shared, and written only when its data
// changed or its expiry moved by a minute or more. A session deleted on
// another instance (a logout) ends here within workflow.Shared.
type sessionStore struct {
	SessionStore
	read    *workflow.Recent[string, []byte]        // data as read, for workflow.Shared
	written *workflow.Recent[string, storedSession] // as last written, for a step
}

// storedSession is a session as this instance last wrote it.
type storedSession struct {
	data   []byte
	expiry time.Time
}

// sessionExpiryStep is how far a session's idle expiry must move before
// it is written again.
const sessionExpiryStep = time.Minute

func newSessionStore(st SessionStore) sessionStore {
	return sessionStore{SessionStore: st, read: workflow.NewRecent[string, []byte](workflow.Shared),
		written: workflow.NewRecent[string, storedSession](sessionExpiryStep)}
}

func (s sessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}
func (s sessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}
func (s sessionStore) Delete(token string) error { return s.DeleteCtx(context.Background(), token) }

func (s sessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	if data, ok := s.read.Get(token); ok {
		return data, true, nil
	}
	data, found, err := s.FindSession(ctx, token)
	if err == nil && found {
		s.read.Put(token, data)
	}
	return data, found, err
}

func (s sessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	if last, ok := s.written.Get(token); ok && bytes.Equal(last.data, b) && expiry.Sub(last.expiry) < sessionExpiryStep {
		return nil // only the idle expiry moved, by less than a step
	}
	if err := s.CommitSession(ctx, token, b, expiry); err != nil {
		return err
	}
	s.read.Put(token, b)
	s.written.Put(token, storedSession{data: b, expiry: expiry})
	return nil
}

func (s sessionStore) DeleteCtx(ctx context.Context, token string) error {
	s.read.Forget(token)
	s.written.Forget(token)
	return s.DeleteSession(ctx, token)
}

// Session keys.
const (
	sessionUser = "user_id"
	sessionOrg  = "org_id"
	sessionSlug = "org_slug"
)

// flashCookie carries the confirmation a page shows once after a
// redirect ("”Tilldela handläggare” är gjort."): in a cookie of its own,
// so that showing it does not write the session to the database.
const flashCookie = "remiss_flash"

// setFlash keeps msg for the next page the browser shows.
func (s *Server) setFlash(w http.ResponseWriter, msg string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: base64.RawURLEncoding.EncodeToString([]byte(msg)), Path: "/",
		MaxAge: 60, HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
}

// popFlash returns the message setFlash kept, once.
func (s *Server) popFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
	msg, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil || !utf8.Valid(msg) {
		return ""
	}
	return string(msg)
}

// newSessions makes the session manager: a cookie for the browser session
// (not persisted), eight hours idle, a working day at most; Secure when
// the public address is https.
func newSessions(st SessionStore, secure bool) *scs.SessionManager {
	sm := scs.New()
	sm.Store = newSessionStore(st)
	sm.Lifetime = 12 * time.Hour
	sm.IdleTimeout = 8 * time.Hour
	sm.Cookie.Name = "remiss_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = secure
	sm.Cookie.Persist = false
	return sm
}

// page is what every page template gets.
type page struct {
	Title string
	Page  string
	Actor workflow.Actor
	Org   workflow.Organization
	Flash string
	Error string
	// The page's own content.
	Login       loginForm
	Query       planning.OverviewQuery
	Rows        []planning.OverviewRow
	Case        workflow.Case
	Def         *workflow.Definition
	History     []workflow.HistoryEntry
	Documents   []workflow.Document
	Graph       template.HTML
	Plan        planning.Plan
	PlanSVG     template.HTML
	Form        *eventForm
	Conflict    string
	Draft       *draftView
	SSO         bool // the login page offers the municipality's single sign-on
	Bodies      []bodyMeetings
	MeetingView *meetingView
	Admin       *adminView
	Checked     []string // the roles ticked in a refused form
	IsAdmin     bool     // the menu offers Administration
	Expedition  *sending.Expedition
	Messages    []sending.OutboxEntry
	Demo        *demoBanner // the demo's clock, nil outside the demo
	// LoginChoices are the organisations the login form offers; one:
	// no field at all.
	LoginChoices []diarium.LoginChoice
}

// parsePages parses each page of templates/ui with the layout.
func parsePages(loc *time.Location) (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"longDate":       func(d workflow.Date) string { return workflow.LongDate(d) },
		"localTime":      func(t time.Time) string { return t.In(loc).Format("2006-01-02 15:04") },
		"urgencyTitle":   urgencyTitle,
		"directionTitle": directionTitle,
		"eventTitle":     eventTitle,
		"stateTitle":     func(d *workflow.Definition, s string) string { return d.StateTitle(s) },
		"checked":        func(values []string, r workflow.Role) bool { return slices.Contains(values, string(r)) },
		"kib":            func(n int64) string { return fmt.Sprintf("%.0f KiB", math.Ceil(float64(n)/1024)) },
		"statusTitle":    outboxStatusTitle,
		"minus":          func(a, b int) int { return a - b },
		"signingTitle":   signingTitle,
	}
	files, err := fs.Glob(templates.UI, "ui/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, f := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(f, "ui/"), ".html")
		if name == "layout" || name == "parts" {
			continue
		}
		t, err := template.New(name).Funcs(funcs).ParseFS(templates.UI, "ui/layout.html", "ui/parts.html", f)
		if err != nil {
			return nil, err
		}
		pages[name] = t
	}
	return pages, nil
}

func urgencyTitle(u string) string {
	switch u {
	case "red":
		return "Försenat"
	case "amber":
		return "Risk"
	case "green":
		return "I tid"
	}
	return "Ingen plan"
}

func directionTitle(d workflow.Direction) string {
	switch d {
	case workflow.Inkommande:
		return "Inkommande"
	case workflow.Utgaende:
		return "Utgående"
	}
	return "Upprättad"
}

// eventTitle names a history row's event as its definition does.
func eventTitle(d *workflow.Definition, name string) string {
	switch name {
	case workflow.EventRegister:
		return "Registrerad"
	case "andra_mottagare":
		return "Mottagare ändrade"
	}
	if e, ok := d.Event(name); ok {
		return e.Title
	}
	return name
}

// render writes a page, with the session's flash message, or a plain
// error when the template fails (a bug: every page is tested).
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	p.Flash = s.popFlash(w, r)
	if p.Actor.UserID == 0 {
		p.Actor = actorFrom(r.Context())
	}
	p.IsAdmin = p.Org.ID != 0 && p.Actor.Can(workflow.PermManageOrganization, p.Org.ID)
	p.Demo = s.banner(r, p.Actor, p.Org)
	var b bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&b, "layout", p); err != nil {
		s.log.ErrorContext(r.Context(), "page template", "page", name, "err", err)
		http.Error(w, "Sidan kunde inte visas.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}

// failPage shows err as a page in Swedish, with the status the API's
// error mapping gives it.
func (s *Server) failPage(w http.ResponseWriter, r *http.Request, err error) {
	status, title := statusOf(err)
	msg := workflow.Message(err)
	if status == http.StatusInternalServerError {
		s.log.ErrorContext(r.Context(), "internal error", "err", err)
		msg = "Ett oväntat fel inträffade. Försök igen om en stund; kvarstår felet, kontakta IT-supporten."
	}
	s.render(w, r, status, "error", page{Title: title, Error: msg})
}

// uiHeaders are the web application's security headers: scripts and
// styles only from this server (no inline ones), no framing, and HSTS
// when the public address is https.
func (s *Server) uiHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
		h.Set("X-Frame-Options", "DENY")
		if s.secure {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// static serves the stylesheet and htmx, cacheable for an hour.
func static() http.Handler {
	sub, _ := fs.Sub(templates.UI, "static")
	files := http.StripPrefix("/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})
}

// outboxStatusTitle says in Swedish where an e-mail stands, as a
// table's cell begins.
func outboxStatusTitle(st sending.OutboxStatus) string {
	t := st.Title()
	if t == "" {
		return string(st)
	}
	return strings.ToUpper(t[:1]) + t[1:]
}

// signingTitle names who signs a yttrande.
func signingTitle(s workflow.Signing) string {
	switch s {
	case workflow.SignOrdforandeKommundirektor:
		return "Ordföranden och kommundirektören"
	case workflow.SignSekreterare:
		return "Sekreteraren (enligt uppdrag)"
	}
	return "Ordföranden"
}

// ExpireSessions removes the sessions that have run out, at once and then
// every interval until ctx ends, so that the table holds only live ones.
// Every instance may run it: deleting what is expired twice changes
// nothing.
func ExpireSessions(ctx context.Context, st SessionStore, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for now := time.Now(); ; {
		if err := st.DeleteExpiredSessions(ctx, now); err != nil && ctx.Err() == nil {
			log.WarnContext(ctx, "expired sessions could not be removed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case now = <-t.C:
		}
	}
}
