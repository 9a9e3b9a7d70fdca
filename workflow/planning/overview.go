package planning

import (
	"cmp"
	"context"
	"slices"

	"github.com/yttrande/remiss/workflow"
)

// OverviewQuery selects the cases of the overview.
type OverviewQuery struct {
	Mine  bool   // only the caller's own cases (as handläggare)
	Q     string // search in dnr, title and the ministry's number
	State string
}

// OverviewRow is a case of the overview with how it stands against its
// plan: its most urgent open step decides the colour.
type OverviewRow struct {
	Case   workflow.Case
	Status workflow.PlanStatus // "" when the case has no open planned step
	// Next is the open step due first.
	Next *workflow.Deadline
}

// Urgency is the row's place on the red–amber–green scale: "red" for a
// step that is late or that no meeting fits, "amber" for one due within
// the risk days, "green" for a case on time, "" without a plan.
func (r OverviewRow) Urgency() string {
	switch r.Status {
	case workflow.PlanSen, workflow.PlanOmojlig:
		return "red"
	case workflow.PlanRisk:
		return "amber"
	case workflow.PlanITid:
		return "green"
	}
	return ""
}

// The overview shows every open case at once, not a page of them: a red
// case must not hide on page three. overviewMax bounds it far above a
// municipality's open remisser (a few hundred at the most); about five
// open steps per case are read with them.
const (
	overviewMax       = 2000
	overviewDeadlines = 10 * overviewMax
)

// Overview lists the organisation's open cases (or the caller's own) by
// urgency: late and unplannable first, then those at risk, then the
// rest, each group by its next step's date and then the reply date. With
// a state, it lists the cases in that state, closed ones too.
func (s *Service) Overview(ctx context.Context, actor workflow.Actor, slug string, q OverviewQuery) ([]OverviewRow, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermReadCase)
	if err != nil {
		return nil, err
	}
	states, err := s.StateNames(ctx, org.ID)
	if err != nil {
		return nil, err
	}
	f, err := workflow.CaseQuery{State: q.State, Q: q.Q}.Filter(states)
	if err != nil {
		return nil, err
	}
	f.Limit = overviewMax
	all, _, err := s.store.Cases(ctx, org.ID, f)
	if err != nil {
		return nil, err
	}
	all = all[:min(len(all), overviewMax)]
	cases, err := s.openCases(ctx, org.ID, all, q.State != "")
	if err != nil {
		return nil, err
	}
	df := workflow.DeadlineFilter{Limit: overviewDeadlines}
	if q.Mine {
		df.UserID = actor.UserID
	}
	open, err := s.store.Deadlines(ctx, org.ID, df)
	if err != nil {
		return nil, err
	}
	rows := overviewRows(cases, open, q.Mine, actor.UserID)
	sortRows(rows)
	return rows, nil
}

// sortRows puts the most urgent first.
func sortRows(rows []OverviewRow) { slices.SortStableFunc(rows, compareUrgency) }

// openCases keeps the cases whose state is not terminal (all of them with
// closedToo), with their states' titles.
func (s *Service) openCases(ctx context.Context, orgID int64, all []workflow.Case, closedToo bool) ([]workflow.Case, error) {
	defs, err := s.PinnedDefinitions(ctx, orgID, all)
	if err != nil {
		return nil, err
	}
	out := make([]workflow.Case, 0, len(all))
	for i, c := range all {
		if closedToo || !defs[i].IsTerminal(c.State) {
			out = append(out, c)
		}
	}
	return out, nil
}

// overviewRows joins each case with its open steps.
func overviewRows(cases []workflow.Case, open []workflow.Deadline, mine bool, userID int64) []OverviewRow {
	byCase := map[int64][]workflow.Deadline{}
	for _, d := range open {
		byCase[d.CaseID] = append(byCase[d.CaseID], d)
	}
	rows := make([]OverviewRow, 0, len(cases))
	for _, c := range cases {
		if mine && (c.Handlaggare == nil || c.Handlaggare.ID != userID) {
			continue
		}
		r := OverviewRow{Case: c}
		for _, d := range byCase[c.ID] {
			if planSeverity[d.Status] > planSeverity[r.Status] {
				r.Status = d.Status
			}
			if r.Next == nil || d.Due.Before(r.Next.Due) {
				r.Next = &d
			}
		}
		rows = append(rows, r)
	}
	return rows
}

func compareUrgency(a, b OverviewRow) int {
	if c := cmp.Compare(planSeverity[b.Status], planSeverity[a.Status]); c != 0 {
		return c
	}
	return cmp.Or(compareDue(a.Next, b.Next), cmp.Compare(a.Case.Remiss.Deadline.String(), b.Case.Remiss.Deadline.String()))
}

// compareDue orders by the next step's date, cases without one last.
func compareDue(a, b *workflow.Deadline) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return cmp.Compare(a.Due.String(), b.Due.String())
}
