package diarium

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/yttrande/remiss/workflow"
)

// Accounts keeps the organisations and their people: users with their
// roles, API tokens, local passwords and single sign-on, and each
// organisation's settings.
type Accounts struct {
	*workflow.Core
	// actors are who a session's user is, by organisation and user, kept
	// for a while (workflow.Shared).
	actors    *workflow.Recent[[2]int64, workflow.Actor]
	store     AccountsStore
	planner   workflow.Planner
	secrets   workflow.SecretSource
	passwords Passwords
}

// AccountsStore is what the accounts read and write.
type AccountsStore interface {
	CreateOrganization(ctx context.Context, org workflow.Organization) (workflow.Organization, error)
	// UpdateOrganization stores an organisation's name and settings.
	UpdateOrganization(ctx context.Context, org workflow.Organization) (workflow.Organization, error)
	CreateUser(ctx context.Context, u workflow.User) (workflow.User, error)
	UserByEmail(ctx context.Context, orgID int64, email string) (workflow.User, error)
	UserByID(ctx context.Context, orgID, userID int64) (workflow.User, error)
	Users(ctx context.Context, orgID int64) ([]workflow.User, error)
	// SetUserRoles replaces a user's roles.
	SetUserRoles(ctx context.Context, orgID, userID int64, roles []workflow.Role) error
	// Login returns what a password login needs of the user with email.
	Login(ctx context.Context, orgID int64, email string) (LoginRecord, error)
	// RecordLogin resets the failed-login count on success, or raises
	// it and, at limit, locks the account until lockUntil.
	RecordLogin(ctx context.Context, orgID, userID int64, ok bool, limit int, lockUntil time.Time) error
	SetPasswordHash(ctx context.Context, orgID, userID int64, hash string) error
	CreateToken(ctx context.Context, t workflow.Token) (workflow.Token, error)
	Tokens(ctx context.Context, orgID int64) ([]workflow.Token, error)
	RevokeToken(ctx context.Context, orgID, tokenID int64) error
}

// AccountsConfig is what Accounts need besides the core and the store.
type AccountsConfig struct {
	Planner   workflow.Planner      // re-plans the cases when the planning rules change
	Secrets   workflow.SecretSource // makes API tokens
	Passwords Passwords             // hashes local accounts' passwords; nil: no password login
}

// NewAccounts returns the accounts on core and store.
func NewAccounts(core *workflow.Core, store AccountsStore, c AccountsConfig) *Accounts {
	return &Accounts{Core: core, store: store, planner: c.Planner, secrets: c.Secrets, passwords: c.Passwords,
		actors: workflow.NewRecent[[2]int64, workflow.Actor](workflow.Shared)}
}

// CreateOrganization adds a municipality. Only the system administrator may.
func (s *Accounts) CreateOrganization(ctx context.Context, actor workflow.Actor, in NewOrganization) (workflow.Organization, error) {
	if !actor.System {
		return workflow.Organization{}, workflow.Errorf(workflow.CodeForbidden, "Bara systemadministratören kan lägga upp organisationer.")
	}
	if err := in.validate(); err != nil {
		return workflow.Organization{}, err
	}
	return s.store.CreateOrganization(ctx, workflow.Organization{Slug: in.Slug, Name: in.Name, CreatedAt: s.Now()})
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
func (s *Accounts) Organization(ctx context.Context, actor workflow.Actor, slug string) (workflow.Organization, error) {
	return s.Org(ctx, actor, slug)
}

// CreateUser adds a user to an organisation.
func (s *Accounts) CreateUser(ctx context.Context, actor workflow.Actor, slug string, in NewUser) (workflow.User, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermManageOrganization)
	if err != nil {
		return workflow.User{}, err
	}
	u, err := in.validate()
	if err != nil {
		return workflow.User{}, err
	}
	u.OrgID, u.CreatedAt = org.ID, s.Now()
	return s.store.CreateUser(ctx, u)
}

// Users lists an organisation's users.
func (s *Accounts) Users(ctx context.Context, actor workflow.Actor, slug string) ([]workflow.User, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermManageOrganization)
	if err != nil {
		return nil, err
	}
	return s.store.Users(ctx, org.ID)
}

// Colleagues lists the organisation's users with their roles to anyone
// of it, for choosing whom a case is assigned to: the same names the
// cases show.
func (s *Accounts) Colleagues(ctx context.Context, actor workflow.Actor, slug string) ([]workflow.User, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermReadCase)
	if err != nil {
		return nil, err
	}
	return s.store.Users(ctx, org.ID)
}

// IssueToken makes an API token for a user. An admin may issue one for any
// user of the organisation; any user may issue one for themselves.
func (s *Accounts) IssueToken(ctx context.Context, actor workflow.Actor, slug string, in workflow.NewToken) (workflow.IssuedToken, error) {
	org, err := s.Org(ctx, actor, slug)
	if err != nil {
		return workflow.IssuedToken{}, err
	}
	var v workflow.Validation
	email := workflow.NormalizeEmail(&v, "user_email", in.UserEmail, true)
	name := workflow.LimitText(&v, "name", in.Name, 100)
	if err := v.Err(); err != nil {
		return workflow.IssuedToken{}, err
	}
	if !actor.Can(workflow.PermManageOrganization, org.ID) && email != actor.Email {
		return workflow.IssuedToken{}, workflow.Errorf(workflow.CodeForbidden, "Du kan bara skapa nycklar för dig själv.")
	}
	u, err := s.store.UserByEmail(ctx, org.ID, email)
	if err != nil {
		if workflow.ErrorCode(err) == workflow.CodeNotFound {
			return workflow.IssuedToken{}, &workflow.Error{Code: workflow.CodeInvalid, Message: "Användaren finns inte i organisationen.",
				Fields: []workflow.FieldError{{Field: "user_email", Message: "Det finns ingen användare med adressen " + email + "."}}}
		}
		return workflow.IssuedToken{}, err
	}
	secret, hash, err := s.secrets()
	if err != nil {
		return workflow.IssuedToken{}, workflow.Internal(err)
	}
	t, err := s.store.CreateToken(ctx, workflow.Token{OrgID: org.ID, UserID: u.ID, UserEmail: u.Email, Name: name, Hash: hash, CreatedAt: s.Now(), CreatedBy: actor.Label()})
	return workflow.IssuedToken{Token: t, Secret: secret}, err
}

// Tokens lists an organisation's API tokens (never their secrets).
func (s *Accounts) Tokens(ctx context.Context, actor workflow.Actor, slug string) ([]workflow.Token, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermManageOrganization)
	if err != nil {
		return nil, err
	}
	return s.store.Tokens(ctx, org.ID)
}

// RevokeToken deletes a token so that it no longer authenticates.
func (s *Accounts) RevokeToken(ctx context.Context, actor workflow.Actor, slug string, id int64) error {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermManageOrganization)
	if err != nil {
		return err
	}
	return s.store.RevokeToken(ctx, org.ID, id)
}

// UpdateOrganization changes an organisation's name and settings.
func (s *Accounts) UpdateOrganization(ctx context.Context, actor workflow.Actor, slug string, in workflow.OrganizationSettings) (workflow.Organization, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermManageOrganization)
	if err != nil {
		return workflow.Organization{}, err
	}
	var v workflow.Validation
	if in.Name != nil {
		org.Name = workflow.RequireText(&v, "name", *in.Name, 200)
	}
	if in.AnslagDays != nil {
		if *in.AnslagDays < 0 || *in.AnslagDays > 2 {
			v.Add("anslag_days", "Anslaget ska sättas upp senast andra dagen efter justeringen (KL 8 kap. 12 §): ange 0, 1 eller 2.")
		}
		org.AnslagDays = *in.AnslagDays
	}
	if err := v.Err(); err != nil {
		return workflow.Organization{}, err
	}
	rules, err := org.Planning.Patch(in.Planning)
	if err != nil {
		return workflow.Organization{}, err
	}
	docs, err := org.Documents.Patch(in.Documents)
	if err != nil {
		return workflow.Organization{}, err
	}
	replan := !rules.PlansAlike(org.Planning)
	org.Planning, org.Documents = rules, docs
	s.ForgetOrg(ctx, slug) // read anew from here on, here and in the process
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
	var v workflow.Validation
	n.Slug = strings.TrimSpace(n.Slug)
	if !slugPattern.MatchString(n.Slug) {
		v.Add("slug", "Ange en kortform med små bokstäver a–z, siffror och bindestreck, t.ex. ”huddinge”.")
	}
	n.Name = workflow.RequireText(&v, "name", n.Name, 200)
	return v.Err()
}

// NewUser is the input for adding a user to an organisation.
type NewUser struct {
	Email string   `json:"email"`
	Name  string   `json:"name"`
	Roles []string `json:"roles"`
}

func (n *NewUser) validate() (workflow.User, error) {
	var v workflow.Validation
	u := workflow.User{Email: workflow.NormalizeEmail(&v, "email", n.Email, true)}
	u.Name = workflow.RequireText(&v, "name", n.Name, 200)
	if len(n.Roles) == 0 {
		v.Add("roles", "Ange minst en roll: "+workflow.RoleList()+".")
	}
	for _, s := range n.Roles {
		r, err := workflow.ParseRole(s)
		if err != nil {
			v.Addf("roles", "Okänd roll ”%s”. Möjliga roller: %s.", s, workflow.RoleList())
			continue
		}
		if !slices.Contains(u.Roles, r) {
			u.Roles = append(u.Roles, r)
		}
	}
	slices.Sort(u.Roles)
	return u, v.Err()
}
