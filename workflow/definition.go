package workflow

import (
	"slices"
	"sort"
)

// DefaultWorkflow is the route a remiss takes when registration names none:
// the kommunstyrelse with an arbetsutskott.
const DefaultWorkflow = "kommunstyrelsen"

// InitialState is where every registered remiss starts.
const InitialState = "registrerad"

// workflowVersions lists the workflow definitions a case can be registered
// with, and the version a new case is pinned to. The definitions as data,
// with their events and guards, are the engine's; a registration only needs
// to know that the route exists and which version it pins.
var workflowVersions = map[string]int{
	DefaultWorkflow: 1,
}

// workflowStates lists each route's states, for validating list filters.
var workflowStates = map[string][]string{
	DefaultWorkflow: {
		"registrerad", "tilldelad", "intern_remiss", "beredning", "arbetsutskott",
		"kommunstyrelse", "justering", "expediering", "besvarad", "avslutad",
	},
}

func workflowNames() []string {
	names := make([]string, 0, len(workflowVersions))
	for n := range workflowVersions {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// allStates lists every state of every known route.
func allStates() []string {
	var all []string
	for _, states := range workflowStates {
		for _, s := range states {
			if !slices.Contains(all, s) {
				all = append(all, s)
			}
		}
	}
	return all
}
