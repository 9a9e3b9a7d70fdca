// Package app builds the services of the remiss work on one store and
// one core: the composition root that cmd/remiss wires and that the
// tests drive. It holds no logic of its own.
package app

import "github.com/yttrande/remiss/workflow"

// App is the services, each reachable by name; their methods are
// promoted for the callers that want one handle on all of them.
type App struct {
	*workflow.Core
	*workflow.Service
	*workflow.Planning
}

// Config is what the services need.
type Config = workflow.ServiceConfig

// New builds the services.
func New(c Config) (*App, error) {
	core, err := workflow.NewCore(workflow.CoreConfig{Store: c.Store, Clock: c.Clock, Location: c.Location, Calendar: c.Calendar, Log: c.Log})
	if err != nil {
		return nil, err
	}
	planning := workflow.NewPlanning(core, c.Store, c.Secrets)
	c.Core, c.Planner = core, planning
	svc, err := workflow.NewService(c)
	if err != nil {
		return nil, err
	}
	return &App{Core: core, Service: svc, Planning: planning}, nil
}
