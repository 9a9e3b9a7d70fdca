package workflow

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"time"
)

// Service is the diarium: every use case of the product, each one
// authorised, validated and stored. Handlers and commands call it; it calls
// the Store.
type Service struct {
	*Core
	planner        Planner
	onDecided      func(ctx context.Context, org Organization, caseID int64)
	effects        map[string]EffectFunc
	guards         map[string]GuardFunc
	store          Store
	secrets        SecretSource
	maxUploadBytes int64
	passwords      Passwords
}

// ServiceConfig holds what a Service needs.
type ServiceConfig struct {
	Store Store
	Clock Clock // nil: the system clock
	// Location is the organisations' local time, which decides the
	// registration year and "today". nil: Europe/Stockholm.
	Location       *time.Location
	Calendar       Calendar // working days, for periods such as the appeal window
	Secrets        SecretSource
	MaxUploadBytes int64
	// Log receives what goes wrong after a change has been committed,
	// such as a plan that could not be stored. nil: slog.Default().
	Log *slog.Logger
	// Passwords hashes local accounts' passwords. nil: no password login.
	Passwords Passwords
	// Core, when given, is shared with the other services; nil: made
	// from the fields above.
	Core *Core
	// Planner plans the cases the service changes.
	Planner Planner
	// Effects and Guards are those the domain packages implement; with
	// the engine's own they must cover every effect and guard a
	// definition may name.
	Effects map[string]EffectFunc
	Guards  map[string]GuardFunc
	// OnDecided is told of every case whose answer a fired event has just
	// decided, after the commit: the documents service registers the
	// decided yttrande.
	OnDecided func(ctx context.Context, org Organization, caseID int64)
}

// NewService returns a Service. It fails when a shipped workflow definition
// is invalid, when no Calendar is given, or when the time zone database
// lacks Europe/Stockholm and no Location was given.
func NewService(c ServiceConfig) (*Service, error) {
	core := c.Core
	var err error
	if core == nil {
		if core, err = NewCore(CoreConfig{Store: c.Store, Clock: c.Clock, Location: c.Location, Calendar: c.Calendar, Log: c.Log}); err != nil {
			return nil, err
		}
	}
	s := &Service{Core: core, store: c.Store, secrets: c.Secrets,
		maxUploadBytes: c.MaxUploadBytes, passwords: c.Passwords, planner: c.Planner, onDecided: c.OnDecided}
	if s.effects, err = plugins("effect", effects, builtinEffects, c.Effects); err != nil {
		return nil, err
	}
	if s.guards, err = plugins("guard", guards, builtinGuards, c.Guards); err != nil {
		return nil, err
	}
	if s.maxUploadBytes <= 0 {
		s.maxUploadBytes = 50 << 20
	}
	return s, nil
}

// CreateOrganization adds a municipality. Only the system administrator may.
func (s *Service) CreateOrganization(ctx context.Context, actor Actor, in NewOrganization) (Organization, error) {
	if !actor.System {
		return Organization{}, Errorf(CodeForbidden, "Bara systemadministratören kan lägga upp organisationer.")
	}
	if err := in.validate(); err != nil {
		return Organization{}, err
	}
	return s.store.CreateOrganization(ctx, Organization{Slug: in.Slug, Name: in.Name, CreatedAt: Now(s.clock)})
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
func (s *Service) LoginChoices(ctx context.Context) ([]LoginChoice, error) {
	orgs, err := s.store.Organizations(ctx)
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
func (s *Service) Organization(ctx context.Context, actor Actor, slug string) (Organization, error) {
	return s.Org(ctx, actor, slug)
}

// CreateUser adds a user to an organisation.
func (s *Service) CreateUser(ctx context.Context, actor Actor, slug string, in NewUser) (User, error) {
	org, err := s.orgFor(ctx, actor, slug, PermManageOrganization)
	if err != nil {
		return User{}, err
	}
	u, err := in.validate()
	if err != nil {
		return User{}, err
	}
	u.OrgID, u.CreatedAt = org.ID, Now(s.clock)
	return s.store.CreateUser(ctx, u)
}

// Users lists an organisation's users.
func (s *Service) Users(ctx context.Context, actor Actor, slug string) ([]User, error) {
	org, err := s.orgFor(ctx, actor, slug, PermManageOrganization)
	if err != nil {
		return nil, err
	}
	return s.store.Users(ctx, org.ID)
}

// Colleagues lists the organisation's users with their roles to anyone
// of it, for choosing whom a case is assigned to: the same names the
// cases show.
func (s *Service) Colleagues(ctx context.Context, actor Actor, slug string) ([]User, error) {
	org, err := s.orgFor(ctx, actor, slug, PermReadCase)
	if err != nil {
		return nil, err
	}
	return s.store.Users(ctx, org.ID)
}

// IssueToken makes an API token for a user. An admin may issue one for any
// user of the organisation; any user may issue one for themselves.
func (s *Service) IssueToken(ctx context.Context, actor Actor, slug string, in NewToken) (IssuedToken, error) {
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
	t, err := s.store.CreateToken(ctx, Token{OrgID: org.ID, UserID: u.ID, UserEmail: u.Email, Name: name, Hash: hash, CreatedAt: Now(s.clock), CreatedBy: actor.Label()})
	return IssuedToken{Token: t, Secret: secret}, err
}

// Tokens lists an organisation's API tokens (never their secrets).
func (s *Service) Tokens(ctx context.Context, actor Actor, slug string) ([]Token, error) {
	org, err := s.orgFor(ctx, actor, slug, PermManageOrganization)
	if err != nil {
		return nil, err
	}
	return s.store.Tokens(ctx, org.ID)
}

// RevokeToken deletes a token so that it no longer authenticates.
func (s *Service) RevokeToken(ctx context.Context, actor Actor, slug string, id int64) error {
	org, err := s.orgFor(ctx, actor, slug, PermManageOrganization)
	if err != nil {
		return err
	}
	return s.store.RevokeToken(ctx, org.ID, id)
}

// plugins joins the engine's own implementations with the domain
// packages' and checks that every name a definition may use has exactly
// one.
func plugins[S, F any](what string, schema map[string]S, builtin, given map[string]F) (map[string]F, error) {
	all := maps.Clone(builtin)
	for name, f := range given {
		if _, dup := all[name]; dup {
			return nil, fmt.Errorf("workflow: the %s %q is implemented twice", what, name)
		}
		all[name] = f
	}
	for name := range schema {
		if _, ok := all[name]; !ok {
			return nil, fmt.Errorf("workflow: the %s %q has no implementation", what, name)
		}
	}
	for name := range all {
		if _, ok := schema[name]; !ok {
			return nil, fmt.Errorf("workflow: the %s %q is implemented but no definition can name it", what, name)
		}
	}
	return all, nil
}

// UpdateOrganization changes an organisation's name and settings.
func (s *Service) UpdateOrganization(ctx context.Context, actor Actor, slug string, in OrganizationSettings) (Organization, error) {
	org, err := s.orgFor(ctx, actor, slug, PermManageOrganization)
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
