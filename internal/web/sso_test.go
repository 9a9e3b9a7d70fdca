package web_test

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yttrande/remiss/internal/auth"
	"github.com/yttrande/remiss/internal/store/storetest"
	"github.com/yttrande/remiss/internal/web"
	"github.com/yttrande/remiss/workflow"
)

// idp is an OpenID Connect provider in the test process: discovery,
// JWKS, an authorization endpoint that signs in whoever the test says,
// and a token endpoint that checks the client, the code and PKCE and
// returns an RS256-signed ID token with the login's nonce.
type idp struct {
	t      *testing.T
	srv    *httptest.Server
	key    *rsa.PrivateKey // the key the JWKS publishes
	signer *rsa.PrivateKey // the key tokens are signed with: key, unless the test forges
	mu     sync.Mutex
	person map[string]any               // the claims of who signs in next
	codes  map[string]map[string]string // code → nonce, challenge
}

const (
	idpClient = "remiss-huddinge"
	idpSecret = "a-client-secret-for-tests"
)

func startIdP(t *testing.T) *idp {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &idp{t: t, key: key, signer: key, codes: map[string]map[string]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", p.discovery)
	mux.HandleFunc("GET /jwks", p.jwks)
	mux.HandleFunc("GET /authorize", p.authorize)
	mux.HandleFunc("POST /token", p.token)
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	return p
}

func (p *idp) signsIn(claims map[string]any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.person = claims
}

func (p *idp) discovery(w http.ResponseWriter, _ *http.Request) {
	u := p.srv.URL
	_ = json.NewEncoder(w).Encode(map[string]any{
		"issuer": u, "authorization_endpoint": u + "/authorize", "token_endpoint": u + "/token", "jwks_uri": u + "/jwks",
		"response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"}, "code_challenge_methods_supported": []string{"S256"},
	})
}

func (p *idp) jwks(w http.ResponseWriter, _ *http.Request) {
	b64 := base64.RawURLEncoding
	_ = json.NewEncoder(w).Encode(map[string]any{"keys": []map[string]string{{
		"kty": "RSA", "kid": "k1", "alg": "RS256", "use": "sig",
		"n": b64.EncodeToString(p.key.N.Bytes()), "e": b64.EncodeToString(big.NewInt(int64(p.key.E)).Bytes()),
	}}})
}

// authorize signs in the test's person at once and sends the browser back
// with a code.
func (p *idp) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != idpClient || q.Get("response_type") != "code" || q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" {
		http.Error(w, "bad authorization request", http.StatusBadRequest)
		return
	}
	code := "code-" + q.Get("state")[:8]
	p.mu.Lock()
	p.codes[code] = map[string]string{"nonce": q.Get("nonce"), "challenge": q.Get("code_challenge")}
	p.mu.Unlock()
	http.Redirect(w, r, q.Get("redirect_uri")+"?code="+code+"&state="+url.QueryEscape(q.Get("state")), http.StatusFound)
}

// token redeems a code once, for the client that asked for it, with the
// PKCE verifier of its challenge.
func (p *idp) token(w http.ResponseWriter, r *http.Request) {
	user, pass, ok := r.BasicAuth()
	if !ok {
		user, pass = r.PostFormValue("client_id"), r.PostFormValue("client_secret")
	}
	p.mu.Lock()
	login, found := p.codes[r.PostFormValue("code")]
	delete(p.codes, r.PostFormValue("code"))
	claims := p.person
	p.mu.Unlock()
	sum := sha256.Sum256([]byte(r.PostFormValue("code_verifier")))
	if user != idpClient || pass != idpSecret || !found || base64.RawURLEncoding.EncodeToString(sum[:]) != login["challenge"] {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error":"invalid_grant"}`))
		return
	}
	now := time.Now()
	token := map[string]any{"iss": p.srv.URL, "aud": idpClient, "sub": claims["email"], "iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(), "nonce": login["nonce"]}
	for k, v := range claims {
		token[k] = v
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "at", "token_type": "Bearer", "expires_in": 300, "id_token": p.sign(token)})
}

// sign makes a compact JWS (RS256) of claims.
func (p *idp) sign(claims map[string]any) string {
	b64 := base64.RawURLEncoding
	head, _ := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT", "kid": "k1"})
	body, _ := json.Marshal(claims)
	input := b64.EncodeToString(head) + "." + b64.EncodeToString(body)
	sum := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, p.signer, crypto.SHA256, sum[:])
	if err != nil {
		p.t.Fatal(err)
	}
	return input + "." + b64.EncodeToString(sig)
}

// ssoAPI is the web application with single sign-on through p into
// Huddinge, where remiss-registratorer become registrator and handläggare.
func ssoAPI(t *testing.T, p *idp) (*api, org) {
	a := newAPIAt(t, storetest.SQLite(t), fixedClock{testNow}, func(base string, d *web.Deps) {
		groups, err := auth.ParseGroups("remiss-registratorer=registrator+handlaggare, remiss-lasare=lasare")
		if err != nil {
			t.Fatal(err)
		}
		o, err := auth.NewOIDC(t.Context(), auth.OIDCConfig{Issuer: p.srv.URL, ClientID: idpClient, ClientSecret: idpSecret,
			RedirectURL: base + "/login/oidc/callback", Org: "huddinge", Groups: groups})
		if err != nil {
			t.Fatal(err)
		}
		d.SSO = o
	})
	return a, a.bootstrap("huddinge")
}

// TestSingleSignOn: through the provider's discovery, JWKS and code flow
// with PKCE, a person in a mapped group is signed in, becomes a user with
// the group's roles, and keeps them in step with the groups at the next
// login; a person in no mapped group, a replayed callback and a token
// signed with a key the provider does not publish are all refused.
func TestSingleSignOn(t *testing.T) {
	p := startIdP(t)
	a, o := ssoAPI(t, p)
	p.signsIn(map[string]any{"email": "Karin.Lind@huddinge.example", "email_verified": true, "name": "Karin Lind", "groups": []string{"alla", "remiss-registratorer"}})
	v := a.visitor(t)
	_, login := v.get("/login")
	if !strings.Contains(login, `href="/login/oidc"`) {
		t.Fatalf("the login page offers no single sign-on:\n%s", login)
	}
	resp, err := v.client.Get(a.base + "/login/oidc")
	if err != nil {
		t.Fatal(err)
	}
	_, html := v.read(resp)
	if resp.StatusCode != 200 || resp.Request.URL.Path != "/o/huddinge/" || !strings.Contains(html, "Karin Lind, Huddinge kommun") {
		t.Fatalf("after single sign-on: %d at %s\n%s", resp.StatusCode, resp.Request.URL, html)
	}
	if roles := userRoles(t, a, o, "karin.lind@huddinge.example"); roles != "handlaggare registrator" {
		t.Errorf("the new user's roles: %q", roles)
	}

	p.signsIn(map[string]any{"email": "karin.lind@huddinge.example", "email_verified": true, "name": "Karin Lind", "groups": []string{"remiss-lasare"}})
	second := a.visitor(t)
	if resp, err = second.client.Get(a.base + "/login/oidc"); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if roles := userRoles(t, a, o, "karin.lind@huddinge.example"); roles != "lasare" {
		t.Errorf("the roles after the groups changed: %q", roles)
	}

	for _, tc := range []struct {
		name   string
		claims map[string]any
		forge  bool
		want   string
	}{
		{"no mapped group", map[string]any{"email": "per@huddinge.example", "email_verified": true, "groups": []string{"alla"}}, false, "ger ingen roll i remiss"},
		{"unverified address", map[string]any{"email": "eva@huddinge.example", "email_verified": false, "groups": []string{"remiss-lasare"}}, false, "inget giltigt svar"},
		{"another login's nonce", map[string]any{"email": "karin.lind@huddinge.example", "email_verified": true, "groups": []string{"remiss-lasare"}, "nonce": "someone-elses"}, false, "inget giltigt svar"},
		{"forged signature", map[string]any{"email": "mallory@huddinge.example", "email_verified": true, "groups": []string{"remiss-registratorer"}}, true, "inget giltigt svar"},
	} {
		p.signsIn(tc.claims)
		if tc.forge {
			other, _ := rsa.GenerateKey(rand.Reader, 2048)
			p.signer = other
		}
		v := a.visitor(t)
		resp, err := v.client.Get(a.base + "/login/oidc")
		if err != nil {
			t.Fatal(err)
		}
		status, html := v.read(resp)
		p.signer = p.key
		if status != 401 || !strings.Contains(html, tc.want) || resp.Request.URL.Path != "/login/oidc/callback" {
			t.Errorf("%s: %d at %s, want 401 with %q", tc.name, status, resp.Request.URL.Path, tc.want)
		}
		if strings.Contains(html, "Logga ut") {
			t.Errorf("%s: signed in", tc.name)
		}
	}
	if n := countUsers(t, a, o); n != 7 { // bootstrap's six and Karin
		t.Errorf("%d users, want 7: a refused login made one", n)
	}
}

// TestSingleSignOnCallbackIsOnce: the provider's answer is good for the
// browser that started the login, once.
func TestSingleSignOnCallbackIsOnce(t *testing.T) {
	p := startIdP(t)
	a, _ := ssoAPI(t, p)
	p.signsIn(map[string]any{"email": "karin.lind@huddinge.example", "email_verified": true, "groups": []string{"remiss-lasare"}})
	v := a.visitor(t)
	noFollow := *v.client
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := noFollow.Get(a.base + "/login/oidc")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	toIdP := resp.Header.Get("Location")
	if resp, err = noFollow.Get(toIdP); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	callback := resp.Header.Get("Location")
	attacker := a.visitor(t)
	if status, html := attacker.get(strings.TrimPrefix(callback, a.base)); status != 401 || !strings.Contains(html, "hör inte till den här webbläsaren") {
		t.Errorf("the callback in another browser: %d", status)
	}
	if status, _ := v.get(strings.TrimPrefix(callback, a.base)); status != 200 {
		t.Errorf("the callback in the browser that started: %d", status)
	}
	if status, html := v.get(strings.TrimPrefix(callback, a.base)); status != 401 || !strings.Contains(html, "redan använts") {
		t.Errorf("the callback again: %d", status)
	}
}

func userRoles(t *testing.T, a *api, o org, email string) string {
	var users struct{ Items []workflow.User }
	a.call("GET", "/api/v1/organizations/huddinge/users", o.admin, nil, 200, &users)
	for _, u := range users.Items {
		if u.Email == email {
			var rs []string
			for _, r := range u.Roles {
				rs = append(rs, string(r))
			}
			return strings.Join(rs, " ")
		}
	}
	return "(no such user)"
}

func countUsers(t *testing.T, a *api, o org) int {
	var users struct{ Items []workflow.User }
	a.call("GET", "/api/v1/organizations/huddinge/users", o.admin, nil, 200, &users)
	return len(users.Items)
}
