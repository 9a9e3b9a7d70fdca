package workflow

import (
	"context"
	"errors"
	"fmt"
	"maps"
)

// Engine fires the events of the cases' workflows
// (authorise, data, guards, effects, compare-and-swap, the hash-chained
// history), tells what an actor may do now, and keeps the organisations'
// own definitions. The domain services give it their effects and guards.
type Engine struct {
	*Core
	planner   Planner
	onDecided func(ctx context.Context, org Organization, caseID int64)
	effects   map[string]EffectFunc
	guards    map[string]GuardFunc
	store     Store
}

// EngineConfig holds what the engine needs.
type EngineConfig struct {
	Core  *Core // shared with the other services
	Store Store
	// Planner plans the cases the engine changes.
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

// NewEngine returns the engine. It fails when an effect or a guard a
// definition may name has no implementation, or has two.
func NewEngine(c EngineConfig) (*Engine, error) {
	if c.Core == nil || c.Planner == nil {
		return nil, errors.New("workflow: NewService needs a Core and a Planner")
	}
	s := &Engine{Core: c.Core, store: c.Store, planner: c.Planner, onDecided: c.OnDecided}
	var err error
	if s.effects, err = plugins("effect", effects, builtinEffects, c.Effects); err != nil {
		return nil, err
	}
	if s.guards, err = plugins("guard", guards, builtinGuards, c.Guards); err != nil {
		return nil, err
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
