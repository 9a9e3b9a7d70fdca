package workflow

import (
	"context"
	"slices"
)

// planHorizonDays is how far after the reply date meetings are read: far
// enough to propose an anstånd over a summer break and a year's end.
const planHorizonDays = 400

// Plan computes a case's plan backwards from its reply date through the
// current meeting calendars, so it always reflects moved meetings, an
// anstånd and steps taken.
func (s *Service) Plan(ctx context.Context, actor Actor, slug string, caseID int64) (Plan, error) {
	org, err := s.orgFor(ctx, actor, slug, PermReadCase)
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
func (s *Service) planFor(ctx context.Context, org Organization, c Case) (Plan, error) {
	def, err := s.Definition(ctx, org.ID, c.Workflow)
	if err != nil {
		return Plan{}, err
	}
	in := PlanInput{Case: c, Def: def, Today: s.today(), Rules: org.Planning}
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
func (s *Service) workdays(ctx context.Context, orgID int64) (Workdays, error) {
	own, err := s.store.ClosedDays(ctx, orgID)
	return NewWorkdays(s.calendar, s.loc, own), err
}

// replan stores the case's plan as its deadlines. The deadlines are
// derived data: a failure is logged, not returned, because the change
// that called for the new plan has been committed and the plan is
// computed afresh on every read.
func (s *Service) replan(ctx context.Context, org Organization, caseID int64) {
	if err := s.storePlan(ctx, org, caseID); err != nil {
		s.log.WarnContext(ctx, "the case's deadlines could not be re-planned", "org", org.Slug, "case", caseID, "err", err)
	}
}

func (s *Service) storePlan(ctx context.Context, org Organization, caseID int64) error {
	c, err := s.store.Case(ctx, org.ID, caseID)
	if err != nil {
		return err
	}
	p, err := s.planFor(ctx, org, c)
	if err != nil {
		return err
	}
	return s.store.ReplaceDeadlines(ctx, org.ID, c.ID, c.Version, deadlinesOf(p, c, s.clock.Now()))
}

// replanBody re-plans every open case whose plan uses the body (all
// open cases when body is ""), after its meetings or the rules changed.
func (s *Service) replanBody(ctx context.Context, org Organization, body string) error {
	ids, err := s.store.PlannedCases(ctx, org.ID, body)
	if err != nil {
		return err
	}
	for _, id := range ids {
		s.replan(ctx, org, id)
	}
	return nil
}

// replanLogged re-plans the body's cases after a committed change, and
// only logs a failure (see replan).
func (s *Service) replanLogged(ctx context.Context, org Organization, body string) {
	if err := s.replanBody(ctx, org, body); err != nil {
		s.log.WarnContext(ctx, "the body's cases could not be re-planned", "org", org.Slug, "body", body, "err", err)
	}
}

func (s *Service) replanAll(ctx context.Context, org Organization) error {
	return s.replanBody(ctx, org, "")
}

// Deadlines lists the organisation's open deadlines from the stored
// plans, the most urgent (earliest) first, with each one's status as of
// today.
func (s *Service) Deadlines(ctx context.Context, actor Actor, slug string, q DeadlineQuery) (DeadlinePage, error) {
	org, err := s.orgFor(ctx, actor, slug, PermReadCase)
	if err != nil {
		return DeadlinePage{}, err
	}
	f, err := q.filter(actor)
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
	today := s.today()
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
func (s *Service) ClosedDays(ctx context.Context, actor Actor, slug string) ([]ClosedDay, error) {
	org, err := s.orgFor(ctx, actor, slug, PermReadCase)
	if err != nil {
		return nil, err
	}
	return s.store.ClosedDays(ctx, org.ID)
}

// SetClosedDays replaces the organisation's own days and re-plans its
// open cases.
func (s *Service) SetClosedDays(ctx context.Context, actor Actor, slug string, days []ClosedDay) ([]ClosedDay, error) {
	org, err := s.orgFor(ctx, actor, slug, PermManageOrganization)
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
	return days, s.replanAll(ctx, org)
}
