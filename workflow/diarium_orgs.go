package workflow

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Accounts keeps the organisations and their people: users with their
// roles, API tokens, local passwords and single sign-on, and each
// organisation's settings.
type Accounts struct {
	*Core
	store     AccountsStore
	planner   Planner
	secrets   SecretSource
	passwords Passwords
}

// AccountsStore is what the accounts read and write.
type AccountsStore interface {
	CreateOrganization(ctx context.Context, org Organization) (Organization, error)
	// UpdateOrganization stores an organisation's name and settings.
	UpdateOrganization(ctx context.Context, org Organization) (Organization, error)
	CreateUser(ctx context.Context, u User) (User, error)
	UserByEmail(ctx context.Context, orgID int64, email string) (User, error)
	UserByID(ctx context.Context, orgID, userID int64) (User, error)
	Users(ctx context.Context, orgID int64) ([]User, error)
	// SetUserRoles replaces a user's roles.
	SetUserRoles(ctx context.Context, orgID, userID int64, roles []Role) error
	// Login returns what a password login needs of the user with email.
	Login(ctx context.Context, orgID int64, email string) (LoginRecord, error)
	// RecordLogin resets the failed-login count on success, or raises
	// it and, at limit, locks the account until lockUntil.
	RecordLogin(ctx context.Context, orgID, userID int64, ok bool, limit int, lockUntil time.Time) error
	SetPasswordHash(ctx context.Context, orgID, userID int64, hash string) error
	CreateToken(ctx context.Context, t Token) (Token, error)
	Tokens(ctx context.Context, orgID int64) ([]Token, error)
	RevokeToken(ctx context.Context, orgID, tokenID int64) error
}

// AccountsConfig is what Accounts need besides the core and the store.
type AccountsConfig struct {
	Planner   Planner      // re-plans the cases when the planning rules change
	Secrets   SecretSource // makes API tokens
	Passwords Passwords    // hashes local accounts' passwords; nil: no password login
}

// NewAccounts returns the accounts on core and store.
func NewAccounts(core *Core, store AccountsStore, c AccountsConfig) *Accounts {
	return &Accounts{Core: core, store: store, planner: c.Planner, secrets: c.Secrets, passwords: c.Passwords}
}

// CreateOrganization adds a municipality. Only the system administrator may.
func (s *Accounts) CreateOrganization(ctx context.Context, actor Actor, in NewOrganization) (Organization, error) {
	if !actor.System {
		return Organization{}, Errorf(CodeForbidden, "Bara systemadministratören kan lägga upp organisationer.")
	}
	if err := in.validate(); err != nil {
		return Organization{}, err
	}
	return s.store.CreateOrganization(ctx, Organization{Slug: in.Slug, Name: in.Name, CreatedAt: s.Now()})
}

// LoginChoice is an organisation as the login page offers it.
type LoginChoice struct {
	Slug string
	Name string
}

// maxLoginChoices is how many organisations the login page lists; an
// installation with more asks for the short name instead.
const maxLoginChoices = 12

// LoginChoices lists the organisations a person may sign in to, oldest first,
// when there are few enough to offer (nil otherwise). They are not
// secret: the login form needs one of them.
func (s *Accounts) LoginChoices(ctx context.Context) ([]LoginChoice, error) {
	orgs, err := s.Organizations(ctx)
	if err != nil || len(orgs) > maxLoginChoices {
		return nil, err
	}
	out := make([]LoginChoice, len(orgs))
	for i, o := range orgs {
		out[i] = LoginChoice{Slug: o.Slug, Name: o.Name}
	}
	return out, nil
}

// Organization returns the organisation slug, if the actor belongs to it.
func (s *Accounts) Organization(ctx context.Context, actor Actor, slug string) (Organization, error) {
	return s.Org(ctx, actor, slug)
}

// CreateUser adds a user to an organisation.
func (s *Accounts) CreateUser(ctx context.Context, actor Actor, slug string, in NewUser) (User, error) {
	org, err := s.OrgFor(ctx, actor, slug, PermManageOrganization)
	if err != nil {
		return User{}, err
	}
	u, err := in.validate()
	if err != nil {
		return User{}, err
	}
	u.OrgID, u.CreatedAt = org.ID, s.Now()
	return s.store.CreateUser(ctx, u)
}

// Users lists an organisation's users.
func (s *Accounts) Users(ctx context.Context, actor Actor, slug string) ([]User, error) {
	org, err := s.OrgFor(ctx, actor, slug, PermManageOrganization)
	if err != nil {
		return nil, err
	}
	return s.store.Users(ctx, org.ID)
}

// Colleagues lists the organisation's users with their roles to anyone
// of it, for choosing whom a case is assigned to: the same names the
// cases show.
func (s *Accounts) Colleagues(ctx context.Context, actor Actor, slug string) ([]User, error) {
	org, err := s.OrgFor(ctx, actor, slug, PermReadCase)
	if err != nil {
		return nil, err
	}
	return s.store.Users(ctx, org.ID)
}

// IssueToken makes an API token for a user. An admin may issue one for any
// user of the organisation; any user may issue one for themselves.
func (s *Accounts) IssueToken(ctx context.Context, actor Actor, slug string, in NewToken) (IssuedToken, error) {
	org, err := s.Org(ctx, actor, slug)
	if err != nil {
		return IssuedToken{}, err
	}
	var v Validation
	email := NormalizeEmail(&v, "user_email", in.UserEmail, true)
	name := LimitText(&v, "name", in.Name, 100)
	if err := v.Err(); err != nil {
		return IssuedToken{}, err
	}
	if !actor.Can(PermManageOrganization, org.ID) && email != actor.Email {
		return IssuedToken{}, Errorf(CodeForbidden, "Du kan bara skapa nycklar för dig själv.")
	}
	u, err := s.store.UserByEmail(ctx, org.ID, email)
	if err != nil {
		if ErrorCode(err) == CodeNotFound {
			return IssuedToken{}, &Error{Code: CodeInvalid, Message: "Användaren finns inte i organisationen.",
				Fields: []FieldError{{Field: "user_email", Message: "Det finns ingen användare med adressen " + email + "."}}}
		}
		return IssuedToken{}, err
	}
	secret, hash, err := s.secrets()
	if err != nil {
		return IssuedToken{}, Internal(err)
	}
	t, err := s.store.CreateToken(ctx, Token{OrgID: org.ID, UserID: u.ID, UserEmail: u.Email, Name: name, Hash: hash, CreatedAt: s.Now(), CreatedBy: actor.Label()})
	return IssuedToken{Token: t, Secret: secret}, err
}

// Tokens lists an organisation's API tokens (never their secrets).
func (s *Accounts) Tokens(ctx context.Context, actor Actor, slug string) ([]Token, error) {
	org, err := s.OrgFor(ctx, actor, slug, PermManageOrganization)
	if err != nil {
		return nil, err
	}
	return s.store.Tokens(ctx, org.ID)
}

// RevokeToken deletes a token so that it no longer authenticates.
func (s *Accounts) RevokeToken(ctx context.Context, actor Actor, slug string, id int64) error {
	org, err := s.OrgFor(ctx, actor, slug, PermManageOrganization)
	if err != nil {
		return err
	}
	return s.store.RevokeToken(ctx, org.ID, id)
}

// UpdateOrganization changes an organisation's name and settings.
func (s *Accounts) UpdateOrganization(ctx context.Context, actor Actor, slug string, in OrganizationSettings) (Organization, error) {
	org, err := s.OrgFor(ctx, actor, slug, PermManageOrganization)
	if err != nil {
		return Organization{}, err
	}
	var v Validation
	if in.Name != nil {
		org.Name = RequireText(&v, "name", *in.Name, 200)
	}
	if in.AnslagDays != nil {
		if *in.AnslagDays < 0 || *in.AnslagDays > 2 {
			v.Add("anslag_days", "Anslaget ska sättas upp senast andra dagen efter justeringen (KL 8 kap. 12 §): ange 0, 1 eller 2.")
		}
		org.AnslagDays = *in.AnslagDays
	}
	if err := v.Err(); err != nil {
		return Organization{}, err
	}
	rules, err := org.Planning.patch(in.Planning)
	if err != nil {
		return Organization{}, err
	}
	docs, err := org.Documents.patch(in.Documents)
	if err != nil {
		return Organization{}, err
	}
	replan := !rules.plansAlike(org.Planning)
	org.Planning, org.Documents = rules, docs
	forgetOrg(ctx, slug) // the request reads it anew from here on
	if org, err = s.store.UpdateOrganization(ctx, org); err != nil || !replan {
		return org, err
	}
	return org, s.planner.ReplanBody(ctx, org, "")
}

// NewOrganization is the input for creating an organisation.
type NewOrganization struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

var slugPattern = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$`)

func (n *NewOrganization) validate() error {
	var v Validation
	n.Slug = strings.TrimSpace(n.Slug)
	if !slugPattern.MatchString(n.Slug) {
		v.Add("slug", "Ange en kortform med små bokstäver a–z, siffror och bindestreck, t.ex. ”huddinge”.")
	}
	n.Name = RequireText(&v, "name", n.Name, 200)
	return v.Err()
}

// NewUser is the input for adding a user to an organisation.
type NewUser struct {
	Email string   `json:"email"`
	Name  string   `json:"name"`
	Roles []string `json:"roles"`
}

func (n *NewUser) validate() (User, error) {
	var v Validation
	u := User{Email: NormalizeEmail(&v, "email", n.Email, true)}
	u.Name = RequireText(&v, "name", n.Name, 200)
	if len(n.Roles) == 0 {
		v.Add("roles", "Ange minst en roll: "+roleList()+".")
	}
	for _, s := range n.Roles {
		r, err := ParseRole(s)
		if err != nil {
			v.Addf("roles", "Okänd roll ”%s”. Möjliga roller: %s.", s, roleList())
			continue
		}
		if !slices.Contains(u.Roles, r) {
			u.Roles = append(u.Roles, r)
		}
	}
	slices.Sort(u.Roles)
	return u, v.Err()
}
