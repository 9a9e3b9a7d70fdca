package auth

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/diarium"
)

// OIDCConfig is the municipality's identity provider (Entra ID, ADFS, …)
// for single sign-on, and how its groups become roles in remiss.
type OIDCConfig struct {
	Issuer       string // REMISS_OIDC_ISSUER, e.g. https://login.microsoftonline.com/<tenant>/v2.0
	ClientID     string // REMISS_OIDC_CLIENT_ID
	ClientSecret string // REMISS_OIDC_CLIENT_SECRET
	RedirectURL  string // the public URL + /login/oidc/callback
	Org          string // REMISS_OIDC_ORG: the organisation its users belong to
	GroupsClaim  string // REMISS_OIDC_GROUPS_CLAIM, default "groups"
	// Groups maps an IdP group (name or id, as the claim carries it) to
	// roles: REMISS_OIDC_GROUPS="remiss-registratorer=registrator,…".
	Groups map[string][]workflow.Role
}

// OIDC signs people in through an OpenID Connect provider with the
// authorization code flow, PKCE and a nonce.
type OIDC struct {
	cfg      OIDCConfig
	oauth    oauth2.Config
	verifier *oidc.IDTokenVerifier
}

// NewOIDC discovers the provider (its /.well-known/openid-configuration)
// and returns the sign-in for it.
func NewOIDC(ctx context.Context, cfg OIDCConfig) (*OIDC, error) {
	p, err := oidc.NewProvider(ctx, cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("OIDC provider %s: %w", cfg.Issuer, err)
	}
	if cfg.GroupsClaim == "" {
		cfg.GroupsClaim = "groups"
	}
	return &OIDC{cfg: cfg, verifier: p.Verifier(&oidc.Config{ClientID: cfg.ClientID}), oauth: oauth2.Config{
		ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, Endpoint: p.Endpoint(), RedirectURL: cfg.RedirectURL,
		Scopes: []string{oidc.ScopeOpenID, "email", "profile"},
	}}, nil
}

// Org is the organisation the provider's users sign in to.
func (o *OIDC) Org() string { return o.cfg.Org }

// AuthURL is where to send the browser, with the state and nonce the
// callback must see again and the PKCE challenge of verifier.
func (o *OIDC) AuthURL(state, nonce, verifier string) string {
	return o.oauth.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier))
}

// NewVerifier makes a PKCE code verifier.
func (o *OIDC) NewVerifier() string { return oauth2.GenerateVerifier() }

// Exchange redeems the code, verifies the ID token (signature against the
// provider's keys, issuer, audience, expiry and nonce) and returns who it
// names with the roles of their groups.
func (o *OIDC) Exchange(ctx context.Context, code, verifier, nonce string) (diarium.Identity, error) {
	tok, err := o.oauth.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return diarium.Identity{}, fmt.Errorf("token exchange: %w", err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok {
		return diarium.Identity{}, errors.New("the token response has no id_token")
	}
	id, err := o.verifier.Verify(ctx, raw)
	if err != nil {
		return diarium.Identity{}, fmt.Errorf("ID token: %w", err)
	}
	if id.Nonce != nonce {
		return diarium.Identity{}, errors.New("ID token: the nonce is not this login's")
	}
	var claims map[string]any
	if err := id.Claims(&claims); err != nil {
		return diarium.Identity{}, err
	}
	return o.identity(claims)
}

// identity reads the person and their roles from the token's claims.
func (o *OIDC) identity(claims map[string]any) (diarium.Identity, error) {
	email, _ := claims["email"].(string)
	if email == "" {
		email, _ = claims["preferred_username"].(string)
	}
	if verified, ok := claims["email_verified"].(bool); ok && !verified {
		return diarium.Identity{}, errors.New("the provider has not verified the e-mail address")
	}
	name, _ := claims["name"].(string)
	in := diarium.Identity{Email: strings.ToLower(strings.TrimSpace(email)), Name: cmpOr(name, email)}
	groups, _ := claims[o.cfg.GroupsClaim].([]any)
	for _, g := range groups {
		s, _ := g.(string)
		for _, r := range o.cfg.Groups[s] {
			if !slices.Contains(in.Roles, r) {
				in.Roles = append(in.Roles, r)
			}
		}
	}
	if in.Email == "" {
		return diarium.Identity{}, errors.New("the ID token names no e-mail address")
	}
	if len(in.Roles) == 0 {
		return in, workflow.Errorf(workflow.CodeForbidden, "Ditt konto hos kommunen ger ingen roll i remiss. Be administratören lägga till dig i en av grupperna för remiss.")
	}
	return in, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// ParseGroups reads REMISS_OIDC_GROUPS: "group=role,group=role+role".
func ParseGroups(s string) (map[string][]workflow.Role, error) {
	out := map[string][]workflow.Role{}
	for _, pair := range strings.Split(s, ",") {
		if pair = strings.TrimSpace(pair); pair == "" {
			continue
		}
		group, roles, ok := strings.Cut(pair, "=")
		if !ok || group == "" || roles == "" {
			return nil, fmt.Errorf("REMISS_OIDC_GROUPS: %q is not group=role", pair)
		}
		for _, r := range strings.Split(roles, "+") {
			role := workflow.Role(strings.TrimSpace(r))
			if !slices.Contains(workflow.Roles, role) {
				return nil, fmt.Errorf("REMISS_OIDC_GROUPS: %q is no role (admin, registrator, handlaggare, sekreterare, ordforande, ledamot, lasare)", r)
			}
			out[strings.TrimSpace(group)] = append(out[strings.TrimSpace(group)], role)
		}
	}
	return out, nil
}
