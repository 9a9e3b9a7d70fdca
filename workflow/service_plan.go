package workflow

import (
	"context"
	"slices"
	"time"
)

// Planning plans cases backwards from their reply dates through the
// bodies' meeting calendars and the working days, keeps the deadlines
// the overview, the reminders and the calendar feeds read, and sends the
// reminders. It implements the engine's Planner.
type Planning struct {
	*Core
	store   PlanningStore
	secrets SecretSource
}

// PlanningStore is what planning reads and writes.
type PlanningStore interface {
	Case(ctx context.Context, orgID, caseID int64) (Case, error)
	Cases(ctx context.Context, orgID int64, f CaseFilter) ([]Case, int, error)
	Bodies(ctx context.Context, orgID int64) ([]Body, error)
	BodyByCode(ctx context.Context, orgID int64, code string) (Body, error)
	Users(ctx context.Context, orgID int64) ([]User, error)
	// Meetings lists a body's meetings, or every body's when bodyID is 0.
	Meetings(ctx context.Context, orgID, bodyID int64, f MeetingFilter) ([]Meeting, error)
	// CaseAgenda lists the meetings the case is on the agenda of, by date.
	CaseAgenda(ctx context.Context, orgID, caseID int64) ([]Meeting, error)
	// ClosedDays lists the organisation's own closed days and half days.
	ClosedDays(ctx context.Context, orgID int64) ([]ClosedDay, error)
	// SetClosedDays replaces them.
	SetClosedDays(ctx context.Context, orgID int64, days []ClosedDay) error
	// ReplaceDeadlines stores a case's plan as its deadlines, unless the
	// case has moved past version since the plan was computed.
	ReplaceDeadlines(ctx context.Context, orgID, caseID, version int64, ds []Deadline) error
	// Deadlines lists open deadlines in date order, joined with their case.
	Deadlines(ctx context.Context, orgID int64, f DeadlineFilter) ([]Deadline, error)
	// PlannedCases lists the open cases whose plan uses the body.
	PlannedCases(ctx context.Context, orgID int64, body string) ([]int64, error)
	// SetFeedToken stores the hash of a user's calendar-feed token,
	// replacing the previous one.
	SetFeedToken(ctx context.Context, orgID, userID int64, hash []byte, at time.Time) error
	// FeedTokenHolder finds whose feed token hash is.
	FeedTokenHolder(ctx context.Context, hash []byte) (TokenHolder, error)
	// QueuedReminders lists the organisation's reminders of deadlines due
	// on from or later.
	QueuedReminders(ctx context.Context, orgID int64, from Date) ([]Reminder, error)
	// QueueReminder stores r and its message in one transaction, unless
	// a reminder with r's key exists already; it reports whether it did.
	QueueReminder(ctx context.Context, r Reminder, m OutboxMessage) (bool, error)
}

// NewPlanning returns the planning service on core and store; secrets
// make calendar-feed tokens.
func NewPlanning(core *Core, store PlanningStore, secrets SecretSource) *Planning {
	return &Planning{Core: core, store: store, secrets: secrets}
}

// NamndDeadline is the day c's plan gives the nämnder's answers.
func (s *Planning) NamndDeadline(ctx context.Context, org Organization, c Case) (Date, error) {
	p, err := s.planFor(ctx, org, c)
	return p.NamndDeadline, err
}

// planHorizonDays is how far after the reply date meetings are read: far
// enough to propose an anstånd over a summer break and a year's end.
const planHorizonDays = 400

// Plan computes a case's plan backwards from its reply date through the
// current meeting calendars, so it always reflects moved meetings, an
// anstånd and steps taken.
func (s *Planning) Plan(ctx context.Context, actor Actor, slug string, caseID int64) (Plan, error) {
	org, err := s.OrgFor(ctx, actor, slug, PermReadCase)
	if err != nil {
		return Plan{}, err
	}
	c, err := s.store.Case(ctx, org.ID, caseID)
	if err != nil {
		return Plan{}, err
	}
	return s.planFor(ctx, org, c)
}

// planFor reads what the planner needs for c and runs it.
func (s *Planning) planFor(ctx context.Context, org Organization, c Case) (Plan, error) {
	def, err := s.Definition(ctx, org.ID, c.Workflow)
	if err != nil {
		return Plan{}, err
	}
	in := PlanInput{Case: c, Def: def, Today: s.Today(), Rules: org.Planning}
	if in.Days, err = s.workdays(ctx, org.ID); err != nil {
		return Plan{}, err
	}
	if in.Bodies, err = s.store.Bodies(ctx, org.ID); err != nil {
		return Plan{}, err
	}
	if in.Agenda, err = s.store.CaseAgenda(ctx, org.ID, c.ID); err != nil {
		return Plan{}, err
	}
	// One query for every body's meetings: this runs after each fired event.
	in.Meetings, err = s.store.Meetings(ctx, org.ID, 0, MeetingFilter{From: in.Today, To: c.Remiss.Deadline.AddDays(planHorizonDays)})
	if err != nil {
		return Plan{}, err
	}
	return ComputePlan(in), nil
}

// workdays is the organisation's working-day calendar.
func (s *Planning) workdays(ctx context.Context, orgID int64) (Workdays, error) {
	own, err := s.store.ClosedDays(ctx, orgID)
	return NewWorkdays(s.Calendar(), s.Location(), own), err
}

// Replan stores the case's plan as its deadlines. The deadlines are
// derived data: a failure is logged, not returned, because the change
// that called for the new plan has been committed and the plan is
// computed afresh on every read.
func (s *Planning) Replan(ctx context.Context, org Organization, caseID int64) {
	if err := s.storePlan(ctx, org, caseID); err != nil {
		s.Log().WarnContext(ctx, "the case's deadlines could not be re-planned", "org", org.Slug, "case", caseID, "err", err)
	}
}

func (s *Planning) storePlan(ctx context.Context, org Organization, caseID int64) error {
	c, err := s.store.Case(ctx, org.ID, caseID)
	if err != nil {
		return err
	}
	p, err := s.planFor(ctx, org, c)
	if err != nil {
		return err
	}
	return s.store.ReplaceDeadlines(ctx, org.ID, c.ID, c.Version, deadlinesOf(p, c, s.Clock().Now()))
}

// ReplanBody re-plans every open case whose plan uses the body (all
// open cases when body is ""), after its meetings or the rules changed.
func (s *Planning) ReplanBody(ctx context.Context, org Organization, body string) error {
	ids, err := s.store.PlannedCases(ctx, org.ID, body)
	if err != nil {
		return err
	}
	for _, id := range ids {
		s.Replan(ctx, org, id)
	}
	return nil
}

// Deadlines lists the organisation's open deadlines from the stored
// plans, the most urgent (earliest) first, with each one's status as of
// today.
func (s *Planning) Deadlines(ctx context.Context, actor Actor, slug string, q DeadlineQuery) (DeadlinePage, error) {
	org, err := s.OrgFor(ctx, actor, slug, PermReadCase)
	if err != nil {
		return DeadlinePage{}, err
	}
	f, err := q.Filter(actor)
	if err != nil {
		return DeadlinePage{}, err
	}
	limit := f.Limit
	f.Limit++
	items, err := s.store.Deadlines(ctx, org.ID, f)
	if err != nil {
		return DeadlinePage{}, err
	}
	days, err := s.workdays(ctx, org.ID)
	if err != nil {
		return DeadlinePage{}, err
	}
	today := s.Today()
	for i := range items {
		items[i].Status = deadlineStatus(items[i], days, today, org.Planning.RiskDays)
	}
	page := DeadlinePage{Items: items}
	if len(items) > limit {
		page.Items = items[:limit]
		last := page.Items[limit-1]
		page.NextCursor = encodeCursor(CaseCursor{Deadline: last.Due, ID: last.ID})
	}
	return page, nil
}

// deadlineStatus is an open deadline's status today; an impossible one
// stays impossible until the plan changes.
func deadlineStatus(d Deadline, days Workdays, today Date, riskDays int) PlanStatus {
	if d.Status == PlanOmojlig {
		return PlanOmojlig
	}
	return openStatus(d.Due, today, days, riskDays)
}

// ClosedDays lists the organisation's own closed days and half days.
func (s *Planning) ClosedDays(ctx context.Context, actor Actor, slug string) ([]ClosedDay, error) {
	org, err := s.OrgFor(ctx, actor, slug, PermReadCase)
	if err != nil {
		return nil, err
	}
	return s.store.ClosedDays(ctx, org.ID)
}

// SetClosedDays replaces the organisation's own days and re-plans its
// open cases.
func (s *Planning) SetClosedDays(ctx context.Context, actor Actor, slug string, days []ClosedDay) ([]ClosedDay, error) {
	org, err := s.OrgFor(ctx, actor, slug, PermManageOrganization)
	if err != nil {
		return nil, err
	}
	if err := validateClosedDays(days); err != nil {
		return nil, err
	}
	days = slices.Clone(days)
	slices.SortFunc(days, func(a, b ClosedDay) int { return a.Date.Compare(b.Date) })
	if err := s.store.SetClosedDays(ctx, org.ID, days); err != nil {
		return nil, err
	}
	return days, s.ReplanBody(ctx, org, "")
}

// deadlinesOf turns a plan's steps into the rows the overview reads. An
// impossible step keeps the date by which it would have been needed.
func deadlinesOf(p Plan, c Case, at time.Time) []Deadline {
	out := make([]Deadline, 0, len(p.Steps))
	for i, s := range p.Steps {
		out = append(out, Deadline{CaseID: c.ID, Seq: i + 1, Kind: s.Kind, Title: s.Title, Body: s.Body, Due: s.Date,
			Status: s.Status, Done: s.Status == PlanKlar, MeetingID: s.MeetingID, Note: s.Note, ComputedAt: at})
	}
	return out
}
