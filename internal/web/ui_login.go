package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/yttrande/remiss/workflow"
)

// loginForm is what the login page keeps of a failed attempt: never the
// password.
type loginForm struct {
	Org, Email, Next string
}

// home sends a signed-in user to their organisation's overview, and
// everyone else to the login page.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	if slug := s.sessions.GetString(r.Context(), sessionSlug); slug != "" {
		http.Redirect(w, r, "/o/"+url.PathEscape(slug)+"/", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.showLogin(w, r, http.StatusOK, loginForm{Org: r.URL.Query().Get("org"), Next: r.URL.Query().Get("next")}, "")
}

// showLogin renders the login form as f left it, with msg when the
// attempt was refused. It offers the organisations when there are few
// (with one, it asks for none); a failure to list them leaves the form
// asking for the short name.
func (s *Server) showLogin(w http.ResponseWriter, r *http.Request, status int, f loginForm, msg string) {
	choices, err := s.svc.Accounts.LoginChoices(r.Context())
	if err != nil {
		s.log.WarnContext(r.Context(), "organisations for the login form", "err", err)
	}
	s.render(w, r, status, "login", page{Title: "Logga in", Login: f, Error: msg, SSO: s.sso != nil, LoginChoices: choices})
}

// login checks the password and starts a session.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	f := loginForm{Org: strings.TrimSpace(r.PostFormValue("org")), Email: strings.TrimSpace(r.PostFormValue("email")), Next: r.PostFormValue("next")}
	u, err := s.svc.Accounts.Login(r.Context(), f.Org, f.Email, r.PostFormValue("password"))
	if err != nil {
		status, _ := statusOf(err)
		if status == http.StatusInternalServerError {
			s.failPage(w, r, err)
			return
		}
		s.showLogin(w, r, status, f, workflow.Message(err))
		return
	}
	if err := s.startSession(r.Context(), u, f.Org); err != nil {
		s.failPage(w, r, err)
		return
	}
	http.Redirect(w, r, safeNext(f.Next, "/o/"+url.PathEscape(f.Org)+"/"), http.StatusSeeOther)
}

// startSession signs u in under a new session token, so that a token
// planted before the login is worth nothing after it.
func (s *Server) startSession(ctx context.Context, u workflow.User, slug string) error {
	if err := s.sessions.RenewToken(ctx); err != nil {
		return workflow.Internal(err)
	}
	s.sessions.Put(ctx, sessionUser, u.ID)
	s.sessions.Put(ctx, sessionOrg, u.OrgID)
	s.sessions.Put(ctx, sessionSlug, slug)
	return nil
}

// safeNext is where to go after the login: a path on this server only,
// never another site (an open redirect would help phishing).
func safeNext(next, fallback string) string {
	if strings.HasPrefix(next, "/") && !strings.HasPrefix(next, "//") && !strings.ContainsAny(next, "\\\r\n") {
		return next
	}
	return fallback
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if err := s.sessions.Destroy(r.Context()); err != nil {
		s.failPage(w, r, workflow.Internal(err))
		return
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// requireSession puts the session's user in the context as the actor, or
// sends the browser to the login page.
func (s *Server) requireSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		userID, orgID := s.sessions.GetInt64(r.Context(), sessionUser), s.sessions.GetInt64(r.Context(), sessionOrg)
		if userID == 0 {
			s.toLogin(w, r)
			return
		}
		actor, err := s.svc.Accounts.SessionActor(r.Context(), orgID, userID)
		if workflow.ErrorCode(err) == workflow.CodeUnauthorized {
			_ = s.sessions.Destroy(r.Context())
			s.toLogin(w, r)
			return
		}
		if err != nil {
			s.failPage(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(withActor(r.Context(), actor)))
	})
}

// toLogin redirects a page request to the login page, to come back after.
func (s *Server) toLogin(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		s.render(w, r, http.StatusUnauthorized, "error", page{Title: "Inloggning krävs", Error: "Du är inte inloggad (eller sessionen har gått ut). Logga in och gör om det."})
		return
	}
	http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
}

// tooManyLogins answers the login attempt over the limit of one address.
func (s *Server) tooManyLogins(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Retry-After", "60")
	s.showLogin(w, r, http.StatusTooManyRequests, loginForm{}, "För många inloggningsförsök från din adress. Vänta en minut och försök igen.")
}
