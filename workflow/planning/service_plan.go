package planning

import (
	"context"
	"slices"
	"time"

	"github.com/yttrande/remiss/workflow"
)

// Service plans cases backwards from their reply dates through the
// bodies' meeting calendars and the working days, keeps the deadlines
// the overview, the reminders and the calendar feeds read, and sends the
// reminders. It implements the engine's Planner.
type Service struct {
	*workflow.Core
	store   Store
	secrets workflow.SecretSource
	// closedDays are the organisations' own days off, read once in a
	// while (workflow.Shared).
	closedDays *workflow.Recent[int64, []ClosedDay]
}

// Store is what planning reads and writes.
type Store interface {
	Case(ctx context.Context, orgID, caseID int64) (workflow.Case, error)
	Cases(ctx context.Context, orgID int64, f workflow.CaseFilter) ([]workflow.Case, int, error)
	Bodies(ctx context.Context, orgID int64) ([]workflow.Body, error)
	BodyByCode(ctx context.Context, orgID int64, code string) (workflow.Body, error)
	Users(ctx context.Context, orgID int64) ([]workflow.User, error)
	// Meetings lists a body's meetings, or every body's when bodyID is 0.
	Meetings(ctx context.Context, orgID, bodyID int64, f workflow.MeetingFilter) ([]workflow.Meeting, error)
	// CaseAgenda lists the meetings the case is on the agenda of, by date.
	CaseAgenda(ctx context.Context, orgID, caseID int64) ([]workflow.Meeting, error)
	// ClosedDays lists the organisation's own closed days and half days.
	ClosedDays(ctx context.Context, orgID int64) ([]ClosedDay, error)
	// SetClosedDays replaces them.
	SetClosedDays(ctx context.Context, orgID int64, days []ClosedDay) error
	// ReplaceDeadlines stores a case's plan as its deadlines, unless the
	// case has moved past version since the plan was computed.
	ReplaceDeadlines(ctx context.Context, orgID, caseID, version int64, ds []workflow.Deadline) error
	// Deadlines lists open deadlines in date order, joined with their case.
	Deadlines(ctx context.Context, orgID int64, f workflow.DeadlineFilter) ([]workflow.Deadline, error)
	// PlannedCases lists the open cases whose plan uses the body.
	PlannedCases(ctx context.Context, orgID int64, body string) ([]int64, error)
	// SetFeedToken stores the hash of a user's calendar-feed token,
	// replacing the previous one.
	SetFeedToken(ctx context.Context, orgID, userID int64, hash []byte, at time.Time) error
	// FeedTokenHolder finds whose feed token hash is.
	FeedTokenHolder(ctx context.Context, hash []byte) (workflow.TokenHolder, error)
	// QueuedReminders lists the organisation's reminders of deadlines due
	// on from or later.
	QueuedReminders(ctx context.Context, orgID int64, from workflow.Date) ([]workflow.Reminder, error)
	// QueueReminder stores r and its message in one transaction, unless
	// a reminder with r's key exists already; it reports whether it did.
	QueueReminder(ctx context.Context, r workflow.Reminder, m workflow.OutboxMessage) (bool, error)
}

// New returns the planning service on core and store; secrets
// make calendar-feed tokens.
func New(core *workflow.Core, store Store, secrets workflow.SecretSource) *Service {
	return &Service{Core: core, store: store, secrets: secrets, closedDays: workflow.NewRecent[int64, []ClosedDay](workflow.Shared)}
}

// NamndDeadline is the day c's plan gives the nämnder's answers.
func (s *Service) NamndDeadline(ctx context.Context, org workflow.Organization, c workflow.Case) (workflow.Date, error) {
	p, err := s.planFor(ctx, org, c)
	return p.NamndDeadline, err
}

// PlannedDeadlines are c's plan as deadlines, as a transition leaves it;
// agenda are meetings the transition puts it on, not in the store yet.
func (s *Service) PlannedDeadlines(ctx context.Context, org workflow.Organization, c workflow.Case, agenda []workflow.Meeting) ([]workflow.Deadline, error) {
	p, err := s.planWith(ctx, org, c, agenda)
	if err != nil {
		return nil, err
	}
	return deadlinesOf(p, c, s.Clock().Now()), nil
}

// planHorizonDays is how far after the reply date meetings are read: far
// enough to propose an anstånd over a summer break and a year's end.
const planHorizonDays = 400

// Plan computes a case's plan backwards from its reply date through the
// current meeting calendars, so it always reflects moved meetings, an
// anstånd and steps taken.
func (s *Service) Plan(ctx context.Context, actor workflow.Actor, slug string, caseID int64) (Plan, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermReadCase)
	if err != nil {
		return Plan{}, err
	}
	c, err := s.LoadCase(ctx, org.ID, caseID)
	if err != nil {
		return Plan{}, err
	}
	return s.planFor(ctx, org, c)
}

// planFor reads what the planner needs for c and runs it.
func (s *Service) planFor(ctx context.Context, org workflow.Organization, c workflow.Case) (Plan, error) {
	return s.planWith(ctx, org, c, nil)
}

// planWith is planFor with meetings the case is put on besides those the
// store knows.
func (s *Service) planWith(ctx context.Context, org workflow.Organization, c workflow.Case, agenda []workflow.Meeting) (Plan, error) {
	def, err := s.Definition(ctx, org.ID, c.Workflow)
	if err != nil {
		return Plan{}, err
	}
	in := PlanInput{Case: c, Def: def, Today: s.Today(), Rules: org.Planning}
	if in.Days, err = s.workdays(ctx, org.ID); err != nil {
		return Plan{}, err
	}
	if in.Bodies, err = s.Bodies(ctx, org.ID); err != nil {
		return Plan{}, err
	}
	if in.Agenda, err = s.store.CaseAgenda(ctx, org.ID, c.ID); err != nil {
		return Plan{}, err
	}
	in.Agenda = append(in.Agenda, agenda...)
	// One query for every body's meetings: this runs after each fired event.
	in.Meetings, err = s.store.Meetings(ctx, org.ID, 0, workflow.MeetingFilter{From: in.Today, To: c.Remiss.Deadline.AddDays(planHorizonDays)})
	if err != nil {
		return Plan{}, err
	}
	return ComputePlan(in), nil
}

// workdays is the organisation's working-day calendar.
func (s *Service) workdays(ctx context.Context, orgID int64) (Workdays, error) {
	own, ok := s.closedDays.Get(orgID)
	if !ok {
		var err error
		if own, err = s.store.ClosedDays(ctx, orgID); err != nil {
			return Workdays{}, err
		}
		s.closedDays.Put(orgID, own)
	}
	return NewWorkdays(s.Calendar(), s.Location(), own), nil
}

// Replan stores the case's plan as its deadlines. The deadlines are
// derived data: a failure is logged, not returned, because the change
// that called for the new plan has been committed and the plan is
// computed afresh on every read.
func (s *Service) Replan(ctx context.Context, org workflow.Organization, caseID int64) {
	if err := s.storePlan(ctx, org, caseID); err != nil {
		s.Log().WarnContext(ctx, "the case's deadlines could not be re-planned", "org", org.Slug, "case", caseID, "err", err)
	}
}

func (s *Service) storePlan(ctx context.Context, org workflow.Organization, caseID int64) error {
	c, err := s.LoadCase(ctx, org.ID, caseID)
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
func (s *Service) ReplanBody(ctx context.Context, org workflow.Organization, body string) error {
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
func (s *Service) Deadlines(ctx context.Context, actor workflow.Actor, slug string, q workflow.DeadlineQuery) (workflow.DeadlinePage, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermReadCase)
	if err != nil {
		return workflow.DeadlinePage{}, err
	}
	f, err := q.Filter(actor)
	if err != nil {
		return workflow.DeadlinePage{}, err
	}
	limit := f.Limit
	f.Limit++
	items, err := s.store.Deadlines(ctx, org.ID, f)
	if err != nil {
		return workflow.DeadlinePage{}, err
	}
	days, err := s.workdays(ctx, org.ID)
	if err != nil {
		return workflow.DeadlinePage{}, err
	}
	today := s.Today()
	for i := range items {
		items[i].Status = deadlineStatus(items[i], days, today, org.Planning.RiskDays)
	}
	page := workflow.DeadlinePage{Items: items}
	if len(items) > limit {
		page.Items = items[:limit]
		last := page.Items[limit-1]
		page.NextCursor = workflow.EncodeCursor(workflow.CaseCursor{Deadline: last.Due, ID: last.ID})
	}
	return page, nil
}

// deadlineStatus is an open deadline's status today; an impossible one
// stays impossible until the plan changes.
func deadlineStatus(d workflow.Deadline, days Workdays, today workflow.Date, riskDays int) workflow.PlanStatus {
	if d.Status == workflow.PlanOmojlig {
		return workflow.PlanOmojlig
	}
	return openStatus(d.Due, today, days, riskDays)
}

// ClosedDays lists the organisation's own closed days and half days.
func (s *Service) ClosedDays(ctx context.Context, actor workflow.Actor, slug string) ([]ClosedDay, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermReadCase)
	if err != nil {
		return nil, err
	}
	return s.store.ClosedDays(ctx, org.ID)
}

// SetClosedDays replaces the organisation's own days and re-plans its
// open cases.
func (s *Service) SetClosedDays(ctx context.Context, actor workflow.Actor, slug string, days []ClosedDay) ([]ClosedDay, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermManageOrganization)
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
	s.closedDays.Forget(org.ID)
	return days, s.ReplanBody(ctx, org, "")
}

// deadlinesOf turns a plan's steps into the rows the overview reads. An
// impossible step keeps the date by which it would have been needed.
func deadlinesOf(p Plan, c workflow.Case, at time.Time) []workflow.Deadline {
	out := make([]workflow.Deadline, 0, len(p.Steps))
	for i, s := range p.Steps {
		out = append(out, workflow.Deadline{CaseID: c.ID, Seq: i + 1, Kind: s.Kind, Title: s.Title, Body: s.Body, Due: s.Date,
			Status: s.Status, Done: s.Status == workflow.PlanKlar, MeetingID: s.MeetingID, Note: s.Note, ComputedAt: at})
	}
	return out
}
