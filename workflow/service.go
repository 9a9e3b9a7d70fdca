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
