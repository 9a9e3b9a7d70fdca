package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"

	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/diarium"
)

// SingleSignOn is the municipality's identity provider (OpenID Connect);
// internal/auth implements it.
type SingleSignOn interface {
	// Org is the organisation the provider's people sign in to.
	Org() string
	AuthURL(state, nonce, verifier string) string
	NewVerifier() string
	// Exchange redeems the callback's code and returns who signed in.
	Exchange(ctx context.Context, code, verifier, nonce string) (diarium.Identity, error)
}

// Session keys of a sign-in in progress.
const (
	sessionState    = "oidc_state"
	sessionNonce    = "oidc_nonce"
	sessionVerifier = "oidc_verifier"
	sessionNext     = "oidc_next"
)

// ssoStart sends the browser to the identity provider, remembering in the
// session what the callback must find again.
func (s *Server) ssoStart(w http.ResponseWriter, r *http.Request) {
	if s.sso == nil {
		s.failPage(w, r, workflow.Errorf(workflow.CodeNotFound, "Inloggning med kommunens konto är inte påslagen."))
		return
	}
	state, nonce, verifier := randomToken(), randomToken(), s.sso.NewVerifier()
	ctx := r.Context()
	s.sessions.Put(ctx, sessionState, state)
	s.sessions.Put(ctx, sessionNonce, nonce)
	s.sessions.Put(ctx, sessionVerifier, verifier)
	s.sessions.Put(ctx, sessionNext, r.URL.Query().Get("next"))
	http.Redirect(w, r, s.sso.AuthURL(state, nonce, verifier), http.StatusFound)
}

// ssoCallback finishes the sign-in: the state must be this browser's, the
// ID token the provider's and for this login; then the person's user (made
// or updated from their groups) gets a new session.
func (s *Server) ssoCallback(w http.ResponseWriter, r *http.Request) {
	ctx, q := r.Context(), r.URL.Query()
	if s.sso == nil {
		s.failPage(w, r, workflow.Errorf(workflow.CodeNotFound, "Inloggning med kommunens konto är inte påslagen."))
		return
	}
	state := s.sessions.PopString(ctx, sessionState)
	nonce, verifier, next := s.sessions.PopString(ctx, sessionNonce), s.sessions.PopString(ctx, sessionVerifier), s.sessions.PopString(ctx, sessionNext)
	if e := q.Get("error"); e != "" {
		s.ssoFailed(w, r, "Kommunens inloggning avbröts eller nekades ("+e+").")
		return
	}
	if state == "" || subtle.ConstantTimeCompare([]byte(state), []byte(q.Get("state"))) != 1 {
		s.ssoFailed(w, r, "Inloggningen kunde inte slutföras: den hör inte till den här webbläsaren eller har redan använts. Försök igen.")
		return
	}
	id, err := s.sso.Exchange(ctx, q.Get("code"), verifier, nonce)
	if err != nil {
		if workflow.ErrorCode(err) == workflow.CodeForbidden {
			s.ssoFailed(w, r, workflow.Message(err))
			return
		}
		s.log.WarnContext(ctx, "single sign-on failed", "err", err)
		s.ssoFailed(w, r, "Kommunens inloggning gav inget giltigt svar. Försök igen; kvarstår felet, kontakta IT-supporten.")
		return
	}
	u, err := s.svc.Accounts.LoginExternal(ctx, s.sso.Org(), id.Email, id.Name, id.Roles)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	if err := s.startSession(ctx, u, s.sso.Org()); err != nil {
		s.failPage(w, r, err)
		return
	}
	http.Redirect(w, r, safeNext(next, "/o/"+url.PathEscape(s.sso.Org())+"/"), http.StatusSeeOther)
}

func (s *Server) ssoFailed(w http.ResponseWriter, r *http.Request, msg string) {
	s.showLogin(w, r, http.StatusUnauthorized, loginForm{}, msg)
}

// randomToken is 256 random bits, URL-safe.
func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand does not fail on the systems we run on
	return base64.RawURLEncoding.EncodeToString(b)
}
