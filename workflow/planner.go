package workflow

import "context"

// Planner plans cases for the engine and for the services that change
// what plans read (meetings, planning rules, closed days);
// planning.Service implements it.
type Planner interface {
	// NamndDeadline is the day c's plan gives the nämnder's answers, zero
	// when it gives none.
	NamndDeadline(ctx context.Context, org Organization, c Case) (Date, error)
	// PlannedDeadlines are c's plan as deadlines, for the transition that
	// leaves the case as c; agenda are meetings the transition puts it on.
	PlannedDeadlines(ctx context.Context, org Organization, c Case, agenda []Meeting) ([]Deadline, error)
	// Replan stores the case's plan as its deadlines, after a committed
	// change; a failure is logged, not returned.
	Replan(ctx context.Context, org Organization, caseID int64)
	// ReplanBody re-plans every open case whose plan uses the body (all
	// open cases when body is ""), after its meetings or the rules
	// changed.
	ReplanBody(ctx context.Context, org Organization, body string) error
}
