package diarium

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/yttrande/remiss/workflow"
)

// Passwords hashes and checks passwords; internal/auth implements it with
// argon2id.
type Passwords interface {
	Hash(password string) (string, error)
	Verify(hash, password string) bool
}

// LoginRecord is a user with what a password login checks.
type LoginRecord struct {
	User         workflow.User
	PasswordHash string // "" when the user has no local password (single sign-on only)
	FailedLogins int
	LockedUntil  time.Time
}

const (
	// loginLimit failed attempts in a row lock an account for loginLock.
	loginLimit = 5
	loginLock  = 15 * time.Minute
	// MinPasswordLength is the shortest password accepted: length is
	// what makes a password hard to guess (NIST SP 800-63B).
	MinPasswordLength = 12
)

// errBadLogin is the one answer to a wrong address or a wrong password,
// so that the answer does not tell which accounts exist.
func errBadLogin() error {
	return workflow.Errorf(workflow.CodeUnauthorized, "Fel e-postadress eller lösenord.")
}

// Login checks a local account's password and returns the user to start
// a session for. After loginLimit failures in a row the account is locked
// for loginLock, whatever password is tried; a correct one resets the
// count.
func (s *Accounts) Login(ctx context.Context, slug, email, password string) (workflow.User, error) {
	if s.passwords == nil {
		return workflow.User{}, workflow.Errorf(workflow.CodeUnauthorized, "Inloggning med lösenord är inte påslagen.")
	}
	org, err := s.OrgBySlug(ctx, slug)
	if workflow.ErrorCode(err) == workflow.CodeNotFound {
		return workflow.User{}, errBadLogin()
	}
	if err != nil {
		return workflow.User{}, err
	}
	rec, err := s.store.Login(ctx, org.ID, strings.ToLower(strings.TrimSpace(email)))
	switch {
	case workflow.ErrorCode(err) == workflow.CodeNotFound:
		s.passwords.Verify(dummyHash, password) // the same time as for an account that exists
		return workflow.User{}, errBadLogin()
	case err != nil:
		return workflow.User{}, err
	}
	now := s.Now()
	if now.Before(rec.LockedUntil) {
		return workflow.User{}, workflow.Errorf(workflow.CodeUnauthorized, "Kontot är spärrat efter %d misslyckade inloggningar. Försök igen efter kl. %s, eller be administratören sätta ett nytt lösenord.",
			loginLimit, rec.LockedUntil.In(s.Location()).Format("15:04"))
	}
	ok := rec.PasswordHash != "" && s.passwords.Verify(rec.PasswordHash, password)
	if err := s.store.RecordLogin(ctx, org.ID, rec.User.ID, ok, loginLimit, now.Add(loginLock)); err != nil {
		return workflow.User{}, err
	}
	if !ok {
		return workflow.User{}, errBadLogin()
	}
	return rec.User, nil
}

// dummyHash is checked against when there is no account, so that a wrong
// address costs as long as a wrong password.
const dummyHash = "$argon2id$v=19$m=65536,t=3,p=2$c29tZXNhbHRzb21lc2FsdA$2n1VfGm5lq8p7b3hKQ2bqJ3zOaGv0tQx0xK2Lq9t2m0"

// SetPassword gives a user a new local password: the user themself, or
// an administrator of the organisation.
func (s *Accounts) SetPassword(ctx context.Context, actor workflow.Actor, slug, email, password string) error {
	org, err := s.Org(ctx, actor, slug)
	if err != nil {
		return err
	}
	u, err := s.store.UserByEmail(ctx, org.ID, strings.ToLower(email))
	if err != nil {
		return err
	}
	if u.ID != actor.UserID {
		if err := actor.Authorize(workflow.PermManageOrganization, org.ID); err != nil {
			return err
		}
	}
	if n := utf8.RuneCountInString(password); n < MinPasswordLength || n > 1000 {
		return workflow.InvalidField("password", "Lösenordet ska vara minst 12 tecken långt; en mening är lättare att minnas än ett krångligt ord.")
	}
	if s.passwords == nil {
		return workflow.Internal(errNoPasswords)
	}
	hash, err := s.passwords.Hash(password)
	if err != nil {
		return workflow.Internal(err)
	}
	return s.store.SetPasswordHash(ctx, org.ID, u.ID, hash)
}

var errNoPasswords = errors.New("workflow: no password hasher configured")

// SessionActor is the actor of a web session: the user as the database
// has them now, so that a removed role takes effect at the next request.
func (s *Accounts) SessionActor(ctx context.Context, orgID, userID int64) (workflow.Actor, error) {
	key := [2]int64{orgID, userID}
	if a, ok := s.actors.Get(key); ok {
		return a, nil
	}
	u, err := s.store.UserByID(ctx, orgID, userID)
	if workflow.ErrorCode(err) == workflow.CodeNotFound {
		return workflow.Actor{}, workflow.Errorf(workflow.CodeUnauthorized, "Sessionen gäller inte längre; logga in igen.")
	}
	if err != nil {
		return workflow.Actor{}, err
	}
	s.actors.Put(key, u.Actor())
	return u.Actor(), nil
}

// Identity is a person the municipality's identity provider vouches
// for, with the roles their groups give in remiss.
type Identity struct {
	Email, Name string
	Roles       []workflow.Role
}

// LoginExternal signs in a person the municipality's identity provider
// has vouched for, with the roles their groups give: the provider is
// the source of truth, so a new person becomes a user and a known one
// gets the roles of today's groups. Every change of roles is logged.
func (s *Accounts) LoginExternal(ctx context.Context, slug, email, name string, roles []workflow.Role) (workflow.User, error) {
	org, err := s.OrgBySlug(ctx, slug)
	if err != nil {
		return workflow.User{}, err
	}
	in := NewUser{Email: email, Name: name, Roles: workflow.RolesAsStrings(roles)}
	valid, err := in.validate()
	if err != nil {
		return workflow.User{}, err
	}
	u, err := s.store.UserByEmail(ctx, org.ID, valid.Email)
	switch {
	case workflow.ErrorCode(err) == workflow.CodeNotFound:
		valid.OrgID, valid.CreatedAt = org.ID, s.Now()
		s.Log().InfoContext(ctx, "single sign-on created a user", "org", slug, "user_email_domain", emailDomain(valid.Email), "roles", valid.Roles)
		return s.store.CreateUser(ctx, valid)
	case err != nil:
		return workflow.User{}, err
	}
	if !slices.Equal(sortedRoles(u.Roles), sortedRoles(valid.Roles)) {
		s.Log().InfoContext(ctx, "single sign-on changed a user's roles", "org", slug, "user", u.ID, "from", u.Roles, "to", valid.Roles)
		s.actors.Forget([2]int64{org.ID, u.ID})
		if err := s.store.SetUserRoles(ctx, org.ID, u.ID, valid.Roles); err != nil {
			return workflow.User{}, err
		}
		u.Roles = valid.Roles
	}
	return u, nil
}

func sortedRoles(rs []workflow.Role) []workflow.Role {
	out := slices.Clone(rs)
	slices.Sort(out)
	return out
}

// emailDomain is the part of an address a log may keep.
func emailDomain(email string) string {
	_, domain, _ := strings.Cut(email, "@")
	return domain
}
