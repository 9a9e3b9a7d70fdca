// Package auth turns credentials into a workflow.Actor: API tokens (stored
// only as SHA-256 hashes) and the installation's bootstrap administrator
// token. Sessions and single sign-on join it with the web application.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"strings"

	"github.com/yttrande/remiss/workflow"
)

// tokenPrefix marks the product's tokens so that secret scanners and people
// recognise one in a log or a paste.
const tokenPrefix = "remiss_"

// NewSecret makes a token secret of 256 random bits and its hash. A hash
// without salt or stretching is right here: the secret is random and long,
// not a password, so there is nothing to guess.
func NewSecret() (secret string, hash []byte, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, err
	}
	secret = tokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, Hash(secret), nil
}

// Hash is how a token secret is stored and looked up.
func Hash(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// TokenHolders finds who a token hash belongs to; workflow.Store does.
type TokenHolders interface {
	TokenHolder(ctx context.Context, hash []byte) (workflow.TokenHolder, error)
}

// Authenticator checks bearer tokens.
type Authenticator struct {
	holders   TokenHolders
	adminHash []byte // nil: no bootstrap administrator
}

// NewAuthenticator returns an Authenticator. adminToken is the value of
// REMISS_ADMIN_TOKEN, "" for none.
func NewAuthenticator(holders TokenHolders, adminToken string) *Authenticator {
	a := &Authenticator{holders: holders}
	if adminToken != "" {
		a.adminHash = Hash(adminToken)
	}
	return a
}

// Authenticate returns the Actor of an Authorization header value
// ("Bearer <token>"). Failures are unauthorized Errors that do not say
// whether the token was malformed, unknown or revoked.
func (a *Authenticator) Authenticate(ctx context.Context, header string) (workflow.Actor, error) {
	scheme, token, ok := strings.Cut(header, " ")
	if header == "" {
		return workflow.Actor{}, workflow.Errorf(workflow.CodeUnauthorized, "Inloggning krävs: skicka en API-nyckel i Authorization-huvudet (Bearer <nyckel>).")
	}
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return workflow.Actor{}, workflow.Errorf(workflow.CodeUnauthorized, "Authorization-huvudet ska ha formen ”Bearer <nyckel>”.")
	}
	hash := Hash(token)
	if a.adminHash != nil && subtle.ConstantTimeCompare(hash, a.adminHash) == 1 {
		return workflow.SystemActor(), nil
	}
	h, err := a.holders.TokenHolder(ctx, hash)
	switch workflow.ErrorCode(err) {
	case "":
		return h.User.Actor(), nil
	case workflow.CodeNotFound:
		return workflow.Actor{}, workflow.Errorf(workflow.CodeUnauthorized, "API-nyckeln är okänd eller återkallad.")
	}
	return workflow.Actor{}, err
}
