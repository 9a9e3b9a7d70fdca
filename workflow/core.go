package workflow

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"
)

// Core is what the services of the remiss work share: the clock and the
// municipalities' time zone, the working-day calendar, the log, the
// organisations (each read once per request, see WithRequestCache) and
// the workflow definitions, the shipped ones and each organisation's own.
type Core struct {
	cstore   CoreStore
	clock    Clock
	calendar Calendar
	log      *slog.Logger
	loc      *time.Location
	shipped  map[defKey]*Definition
	// custom holds the organisations' own definitions as read, by
	// organisation, name and version: a stored version never changes.
	custom sync.Map
	orgs   *Recent[string, Organization] // by slug
	bodies *Recent[int64, []Body]        // by organisation
}

// CoreStore is what Core reads.
type CoreStore interface {
	Case(ctx context.Context, orgID, caseID int64) (Case, error)
	Bodies(ctx context.Context, orgID int64) ([]Body, error)
	OrganizationBySlug(ctx context.Context, slug string) (Organization, error)
	// Organizations lists every organisation, for the background jobs.
	Organizations(ctx context.Context) ([]Organization, error)
	// Definition returns an organisation's definition name at version, or
	// its latest version when version is 0.
	Definition(ctx context.Context, orgID int64, name string, version int) (*Definition, error)
	// Definitions returns the latest version of each of an organisation's
	// own definitions.
	Definitions(ctx context.Context, orgID int64) ([]*Definition, error)
}

// CoreConfig holds what a Core needs.
type CoreConfig struct {
	Store CoreStore
	Clock Clock // nil: the system clock
	// Location is the organisations' local time, which decides the
	// registration year and "today". nil: Europe/Stockholm.
	Location *time.Location
	Calendar Calendar // working days, for periods such as the appeal window
	// Log receives what goes wrong after a change has been committed,
	// such as a plan that could not be stored. nil: slog.Default().
	Log *slog.Logger
}

// NewCore returns a Core. It fails when a shipped workflow definition is
// invalid, when no Calendar is given, or when the time zone database
// lacks Europe/Stockholm and no Location was given.
func NewCore(c CoreConfig) (*Core, error) {
	if c.Calendar == nil {
		return nil, errors.New("workflow: NewCore needs a Calendar")
	}
	shipped, err := loadShipped()
	if err != nil {
		return nil, fmt.Errorf("shipped workflow definitions: %w", err)
	}
	core := &Core{cstore: c.Store, clock: c.Clock, calendar: c.Calendar, loc: c.Location, log: c.Log, shipped: shipped,
		orgs: NewRecent[string, Organization](Shared), bodies: NewRecent[int64, []Body](Shared)}
	if core.log == nil {
		core.log = slog.Default()
	}
	if core.clock == nil {
		core.clock = SystemClock{}
	}
	if core.loc == nil {
		if core.loc, err = time.LoadLocation("Europe/Stockholm"); err != nil {
			return nil, err
		}
	}
	return core, nil
}

// Location is the organisations' time zone.
func (c *Core) Location() *time.Location { return c.loc }

// Now is the time for a record: UTC, to the microsecond.
func (c *Core) Now() time.Time { return Now(c.clock) }

// Today is the current date in the organisations' time zone.
func (c *Core) Today() Date { return DateOf(c.clock.Now().In(c.loc)) }

// Clock is the clock the services read.
func (c *Core) Clock() Clock { return c.clock }

// Calendar tells working days.
func (c *Core) Calendar() Calendar { return c.calendar }

// Log is where what goes wrong after a commit is told.
func (c *Core) Log() *slog.Logger { return c.log }

// today is Today, for the engine's own code.
func (c *Core) today() Date { return c.Today() }

// OrgBySlug finds an organisation whoever asks, for a login: not found is
// a CodeNotFound Error.
func (c *Core) OrgBySlug(ctx context.Context, slug string) (Organization, error) {
	if org, ok := cachedOrg(ctx, slug); ok {
		return org, nil
	}
	if org, ok := c.orgs.Get(slug); ok {
		cacheOrg(ctx, org)
		return org, nil
	}
	org, err := c.cstore.OrganizationBySlug(ctx, slug)
	if err == nil {
		cacheOrg(ctx, org)
		c.orgs.Put(slug, org)
	}
	return org, err
}

// ForgetOrg drops an organisation this instance has just changed, for
// the request and the process.
func (c *Core) ForgetOrg(ctx context.Context, slug string) {
	forgetOrg(ctx, slug)
	c.orgs.Forget(slug)
}

// Bodies lists an organisation's bodies, read once in a while (Shared).
func (c *Core) Bodies(ctx context.Context, orgID int64) ([]Body, error) {
	if bs, ok := c.bodies.Get(orgID); ok {
		return slices.Clone(bs), nil
	}
	bs, err := c.cstore.Bodies(ctx, orgID)
	if err == nil {
		c.bodies.Put(orgID, slices.Clone(bs))
	}
	return bs, err
}

// ForgetBodies drops the bodies of an organisation this instance has just
// changed.
func (c *Core) ForgetBodies(orgID int64) { c.bodies.Forget(orgID) }

// Org returns the organisation slug, if the actor belongs to it; another
// organisation is not found, as if it did not exist.
func (c *Core) Org(ctx context.Context, actor Actor, slug string) (Organization, error) {
	org, err := c.OrgBySlug(ctx, slug)
	if err != nil {
		if ErrorCode(err) == CodeNotFound {
			return Organization{}, errNoOrganization(slug)
		}
		return Organization{}, err
	}
	return org, c.member(actor, org)
}

func (c *Core) member(actor Actor, org Organization) error {
	if !actor.System && actor.OrgID != org.ID {
		return errNoOrganization(org.Slug)
	}
	return nil
}

// OrgFor returns the organisation slug and checks that the actor holds
// perm in it.
func (c *Core) OrgFor(ctx context.Context, actor Actor, slug string, perm Permission) (Organization, error) {
	org, err := c.Org(ctx, actor, slug)
	if err != nil {
		return Organization{}, err
	}
	return org, actor.Authorize(perm, org.ID)
}

// orgFor is OrgFor, for the engine's own code.
func (c *Core) orgFor(ctx context.Context, actor Actor, slug string, perm Permission) (Organization, error) {
	return c.OrgFor(ctx, actor, slug, perm)
}

// OrgByID finds an organisation for work that has no request behind it.
func (c *Core) OrgByID(ctx context.Context, id int64) (Organization, error) {
	orgs, err := c.cstore.Organizations(ctx)
	if err != nil {
		return Organization{}, err
	}
	for _, o := range orgs {
		if o.ID == id {
			return o, nil
		}
	}
	return Organization{}, Errorf(CodeNotFound, "Organisationen finns inte.")
}

// Organizations lists every organisation, for the background jobs.
func (c *Core) Organizations(ctx context.Context) ([]Organization, error) {
	return c.cstore.Organizations(ctx)
}

// Definition returns the definition a case is pinned to.
func (c *Core) Definition(ctx context.Context, orgID int64, ref WorkflowRef) (*Definition, error) {
	if !ref.Custom {
		if d, ok := c.shipped[defKey{ref.Name, ref.Version}]; ok {
			return d, nil
		}
		return nil, Errorf(CodeNotFound, "Arbetsflödet ”%s” version %d finns inte.", ref.Name, ref.Version)
	}
	key := customKey{orgID, ref.Name, ref.Version}
	if d, ok := c.custom.Load(key); ok {
		return d.(*Definition), nil
	}
	d, err := c.cstore.Definition(ctx, orgID, ref.Name, ref.Version)
	if ErrorCode(err) == CodeNotFound {
		return nil, Errorf(CodeNotFound, "Arbetsflödet ”%s” version %d finns inte.", ref.Name, ref.Version)
	}
	if err == nil {
		c.custom.Store(key, d)
	}
	return d, err
}

// customKey names an organisation's own definition at a version.
type customKey struct {
	orgID   int64
	name    string
	version int
}

// LatestDefinition returns the newest version of name that organisation
// orgID can start a case with: its own, or the shipped one when that is
// newer.
func (c *Core) LatestDefinition(ctx context.Context, orgID int64, name string) (*Definition, error) {
	var best *Definition
	for k, d := range c.shipped {
		if k.name == name && (best == nil || d.Version > best.Version) {
			best = d
		}
	}
	custom, err := c.cstore.Definition(ctx, orgID, name, 0)
	switch {
	case err == nil && (best == nil || custom.Version >= best.Version): // on a tie the organisation's own wins
		best = custom
	case err != nil && ErrorCode(err) != CodeNotFound:
		return nil, err
	}
	if best == nil {
		return nil, Errorf(CodeNotFound, "Arbetsflödet ”%s” finns inte.", name)
	}
	return best, nil
}

// Definitions lists what organisation orgID can start cases with: the
// latest version of every name, its own and shipped.
func (c *Core) Definitions(ctx context.Context, orgID int64) ([]*Definition, error) {
	all := map[defKey]*Definition{}
	for k, d := range c.shipped {
		all[k] = d
	}
	custom, err := c.cstore.Definitions(ctx, orgID)
	if err != nil {
		return nil, err
	}
	for _, d := range custom {
		all[defKey{d.Name, d.Version}] = d
	}
	return latestOf(all), nil
}

// StateNames lists every state of every route the organisation can use.
func (c *Core) StateNames(ctx context.Context, orgID int64) ([]string, error) {
	defs, err := c.Definitions(ctx, orgID)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, d := range defs {
		for _, st := range d.States {
			if !slices.Contains(names, st.Name) {
				names = append(names, st.Name)
			}
		}
	}
	return names, nil
}

// TitleStates fills in each case's state title from its pinned definition.
func (c *Core) TitleStates(ctx context.Context, orgID int64, cases []Case) error {
	_, err := c.PinnedDefinitions(ctx, orgID, cases)
	return err
}

// PinnedDefinitions returns each case's pinned definition, reading each
// one once, and fills in the cases' state titles from them.
func (c *Core) PinnedDefinitions(ctx context.Context, orgID int64, cases []Case) ([]*Definition, error) {
	defs := map[WorkflowRef]*Definition{}
	out := make([]*Definition, len(cases))
	for i := range cases {
		ref := cases[i].Workflow
		if defs[ref] == nil {
			d, err := c.Definition(ctx, orgID, ref)
			if err != nil {
				return nil, err
			}
			defs[ref] = d
		}
		out[i] = defs[ref]
		cases[i].StateTitle = out[i].StateTitle(cases[i].State)
	}
	return out, nil
}

// Closed reports whether c is in a terminal state of its route.
func (c *Core) Closed(ctx context.Context, cs Case) (bool, error) {
	def, err := c.Definition(ctx, cs.OrgID, cs.Workflow)
	if err != nil {
		return false, err
	}
	return def.IsTerminal(cs.State), nil
}

// CaseFor finds a case the actor may see and then checks perm on it, so
// that a case that does not exist (in the actor's organisation) is not
// found, whatever the actor's roles.
func (c *Core) CaseFor(ctx context.Context, actor Actor, slug string, caseID int64, perm Permission) (Organization, error) {
	org, err := c.OrgFor(ctx, actor, slug, PermReadCase)
	if err != nil {
		return Organization{}, err
	}
	if _, err := c.LoadCase(ctx, org.ID, caseID); err != nil {
		return Organization{}, err
	}
	return org, actor.Authorize(perm, org.ID)
}

// requestCache holds what one request has read that it may read again:
// the organisations by slug.
type requestCache struct {
	mu    sync.Mutex
	orgs  map[string]Organization
	cases map[[2]int64]Case // by organisation and case id
}

type requestCacheKey struct{}

// WithRequestCache returns a context in which the organisation a request
// names is read from the database once, however many services ask for
// it. The web layer gives every request one; a context without it reads
// each time.
func WithRequestCache(ctx context.Context) context.Context {
	return context.WithValue(ctx, requestCacheKey{}, &requestCache{orgs: map[string]Organization{}, cases: map[[2]int64]Case{}})
}

func cachedOrg(ctx context.Context, slug string) (Organization, bool) {
	rc, _ := ctx.Value(requestCacheKey{}).(*requestCache)
	if rc == nil {
		return Organization{}, false
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	org, ok := rc.orgs[slug]
	return org, ok
}

func cacheOrg(ctx context.Context, org Organization) {
	if rc, _ := ctx.Value(requestCacheKey{}).(*requestCache); rc != nil {
		rc.mu.Lock()
		rc.orgs[org.Slug] = org
		rc.mu.Unlock()
	}
}

// LoadCase reads a case of the organisation with its consultations,
// obligations and §, once per request however many services ask (see
// WithRequestCache): each caller gets its own copy to change.
func (c *Core) LoadCase(ctx context.Context, orgID, caseID int64) (Case, error) {
	rc, _ := ctx.Value(requestCacheKey{}).(*requestCache)
	key := [2]int64{orgID, caseID}
	if rc != nil {
		rc.mu.Lock()
		cs, ok := rc.cases[key]
		rc.mu.Unlock()
		if ok {
			return cs.clone(), nil
		}
	}
	cs, err := c.cstore.Case(ctx, orgID, caseID)
	if err == nil && rc != nil {
		rc.mu.Lock()
		rc.cases[key] = cs.clone()
		rc.mu.Unlock()
	}
	return cs, err
}

// ForgetCase drops a case the request has just changed, so that it is
// read anew.
func ForgetCase(ctx context.Context, orgID, caseID int64) {
	if rc, _ := ctx.Value(requestCacheKey{}).(*requestCache); rc != nil {
		rc.mu.Lock()
		delete(rc.cases, [2]int64{orgID, caseID})
		rc.mu.Unlock()
	}
}

// forgetOrg drops an organisation the request has just changed.
func forgetOrg(ctx context.Context, slug string) {
	if rc, _ := ctx.Value(requestCacheKey{}).(*requestCache); rc != nil {
		rc.mu.Lock()
		delete(rc.orgs, slug)
		rc.mu.Unlock()
	}
}
