package auth

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/yttrande/remiss/workflow"
)

type holders map[string]workflow.TokenHolder

func (h holders) TokenHolder(_ context.Context, hash []byte) (workflow.TokenHolder, error) {
	if th, ok := h[string(hash)]; ok {
		return th, nil
	}
	return workflow.TokenHolder{}, workflow.Errorf(workflow.CodeNotFound, "okänd")
}

func TestNewSecretIsRandomAndHashed(t *testing.T) {
	s1, h1, err := NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	s2, _, _ := NewSecret()
	if s1 == s2 || !strings.HasPrefix(s1, "remiss_") || len(s1) != len("remiss_")+43 {
		t.Errorf("secrets %q and %q", s1, s2)
	}
	if !bytes.Equal(h1, Hash(s1)) || bytes.Contains(h1, []byte(s1)) {
		t.Error("hash does not match its secret")
	}
}

func TestAuthenticate(t *testing.T) {
	user := workflow.User{ID: 7, OrgID: 3, Email: "rut@huddinge.example", Name: "Rut", Roles: []workflow.Role{workflow.RoleRegistrator}}
	a := NewAuthenticator(holders{string(Hash("remiss_good")): {User: user, OrgSlug: "huddinge"}}, "bootstrap-secret")
	for _, tc := range []struct {
		header string
		want   workflow.Actor
		code   workflow.Code
	}{
		{"Bearer remiss_good", user.Actor(), ""},
		{"bearer remiss_good", user.Actor(), ""},
		{"Bearer bootstrap-secret", workflow.SystemActor(), ""},
		{"", workflow.Actor{}, workflow.CodeUnauthorized},
		{"Bearer", workflow.Actor{}, workflow.CodeUnauthorized},
		{"Basic dXNlcjpwYXNz", workflow.Actor{}, workflow.CodeUnauthorized},
		{"Bearer remiss_revoked", workflow.Actor{}, workflow.CodeUnauthorized},
	} {
		got, err := a.Authenticate(context.Background(), tc.header)
		if workflow.ErrorCode(err) != tc.code || got.UserID != tc.want.UserID || got.System != tc.want.System {
			t.Errorf("%q: got %+v, %v; want %+v, code %q", tc.header, got, err, tc.want, tc.code)
		}
	}
}

func TestNoAdminTokenWhenUnset(t *testing.T) {
	a := NewAuthenticator(holders{}, "")
	if _, err := a.Authenticate(context.Background(), "Bearer "); workflow.ErrorCode(err) != workflow.CodeUnauthorized {
		t.Errorf("empty bearer with no admin token: %v", err)
	}
}
