package planning

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/yttrande/remiss/workflow"
)

// reminderPage is how many deadlines one read of a scan takes.
const reminderPage = 500

// QueueReminders queues, for every organisation, the reminders owed today
// of the open deadlines of its cases' plans, each with its e-mail in the
// outbox. A reminder is stored under a unique key in the same transaction
// as its message, so however many instances scan at once, and however
// often, each reminder is queued once. It returns how many it queued; an
// organisation that fails does not stop the others.
func (s *Service) QueueReminders(ctx context.Context) (int, error) {
	orgs, err := s.Organizations(ctx)
	if err != nil {
		return 0, err
	}
	total := 0
	var errs []error
	for _, org := range orgs {
		n, err := s.queueReminders(ctx, org)
		total += n
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", org.Slug, err))
		}
	}
	return total, errors.Join(errs...)
}

// reminderScan is one organisation's scan: what it reads once and
// caches.
type reminderScan struct {
	s      *Service
	org    workflow.Organization
	rules  workflow.ReminderRules
	days   Workdays
	today  workflow.Date
	queued map[workflow.ReminderKey]bool
	bodies map[string]string        // code → name
	cases  map[int64]*workflow.Case // nil: closed or gone
	users  []workflow.User          // read when a case has no handläggare
}

func (s *Service) queueReminders(ctx context.Context, org workflow.Organization) (int, error) {
	rules := org.Planning.Reminders
	before, after := reminderReach(rules)
	if before < 0 && after < 0 {
		return 0, nil
	}
	sc := &reminderScan{s: s, org: org, rules: rules, today: s.Today(), cases: map[int64]*workflow.Case{}}
	from, to := sc.today.AddDays(-max(after, 0)), sc.today.AddDays(max(before, 0))
	if err := sc.load(ctx, from); err != nil {
		return 0, err
	}
	n := 0
	f := workflow.DeadlineFilter{From: from, To: to, Limit: reminderPage}
	for {
		page, err := s.store.Deadlines(ctx, org.ID, f)
		if err != nil {
			return n, err
		}
		for _, d := range page {
			queued, err := sc.remind(ctx, d)
			n += queued
			if err != nil {
				return n, err
			}
		}
		if len(page) < f.Limit {
			return n, nil
		}
		last := page[len(page)-1]
		f.After = &workflow.CaseCursor{Deadline: last.Due, ID: last.ID}
	}
}

// load reads the organisation's calendar, bodies and the reminders
// already queued for deadlines from from on.
func (sc *reminderScan) load(ctx context.Context, from workflow.Date) error {
	var err error
	if sc.days, err = sc.s.workdays(ctx, sc.org.ID); err != nil {
		return err
	}
	bodies, err := sc.s.Bodies(ctx, sc.org.ID)
	if err != nil {
		return err
	}
	sc.bodies = make(map[string]string, len(bodies))
	for _, b := range bodies {
		sc.bodies[b.Code] = b.Name
	}
	queued, err := sc.s.store.QueuedReminders(ctx, sc.org.ID, from)
	if err != nil {
		return err
	}
	sc.queued = make(map[workflow.ReminderKey]bool, len(queued))
	for _, r := range queued {
		sc.queued[r.Key()] = true
	}
	return nil
}

// remind queues the reminder owed today of d to each person responsible,
// unless it has been queued already.
func (sc *reminderScan) remind(ctx context.Context, d workflow.Deadline) (int, error) {
	if d.Status == workflow.PlanOmojlig {
		return 0, nil // no meeting fits: the plan's alternatives say what to do, not a countdown
	}
	offset, ok := Owed(sc.rules, d.Due, sc.days, sc.today)
	if !ok {
		return 0, nil
	}
	to, err := sc.recipients(ctx, d)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, u := range to {
		r := workflow.Reminder{OrgID: sc.org.ID, CaseID: d.CaseID, Kind: d.Kind, Body: d.Body, Due: d.Due, Offset: offset, Recipient: u.Email, QueuedAt: sc.s.Now()}
		if sc.queued[r.Key()] {
			continue
		}
		c, err := sc.openCase(ctx, d.CaseID)
		if err != nil || c == nil {
			return n, err
		}
		queued, err := sc.s.store.QueueReminder(ctx, r, sc.message(*c, d, r, u.Name))
		if err != nil {
			return n, err
		}
		if queued {
			n++
		}
		sc.queued[r.Key()] = true
	}
	return n, nil
}

// recipients are the case's handläggare, or while it has none the
// organisation's registrators, who assign cases.
func (sc *reminderScan) recipients(ctx context.Context, d workflow.Deadline) ([]workflow.UserRef, error) {
	if d.Handlaggare != nil {
		return []workflow.UserRef{*d.Handlaggare}, nil
	}
	if sc.users == nil {
		users, err := sc.s.store.Users(ctx, sc.org.ID)
		if err != nil {
			return nil, err
		}
		sc.users = users
	}
	var out []workflow.UserRef
	for _, u := range sc.users {
		if slices.Contains(u.Roles, workflow.RoleRegistrator) {
			out = append(out, workflow.UserRef{ID: u.ID, Email: u.Email, Name: u.Name})
		}
	}
	return out, nil
}

// openCase reads a case once per scan; nil when it has reached the end of
// its route, since a closed case is never reminded of.
func (sc *reminderScan) openCase(ctx context.Context, id int64) (*workflow.Case, error) {
	if c, ok := sc.cases[id]; ok {
		return c, nil
	}
	c, err := sc.s.store.Case(ctx, sc.org.ID, id)
	if err != nil {
		return nil, err
	}
	closed, err := sc.s.Closed(ctx, c)
	if err != nil || closed {
		sc.cases[id] = nil
		return nil, err
	}
	sc.cases[id] = &c
	return &c, nil
}

// message is the e-mail that carries r, with everything its template
// shows already phrased.
func (sc *reminderScan) message(c workflow.Case, d workflow.Deadline, r workflow.Reminder, name string) workflow.OutboxMessage {
	return workflow.OutboxMessage{Kind: "email", Template: "paminnelse", To: r.Recipient, Payload: map[string]any{
		"org": sc.org.Name, "dnr": c.Dnr, "case_title": c.Title, "name": name,
		"step": d.Title, "body_name": sc.bodies[d.Body], "due": d.Due.String(), "due_long": workflow.WeekdayDate(d.Due),
		"when": reminderWhen(d.Due, sc.days, sc.today), "overdue": r.Offset > 0,
		"reply_by": workflow.LongDate(c.Remiss.Deadline), "sender": c.Remiss.Sender, "reference": c.Remiss.Reference,
	}}
}

// reminderReach is how many calendar days before and after today a deadline can
// lie and still have a reminder due: enough for the longest lead and
// weekends and holidays in between.
func reminderReach(r workflow.ReminderRules) (before, after int) {
	span := func(days []int) int {
		if len(days) == 0 {
			return -1
		}
		return 2*slices.Max(days) + 14
	}
	return span(r.Before), span(r.After)
}

// Owed is the reminder of a deadline due on due that is owed today, as
// its offset in working days (negative or 0 before, positive after): the
// latest whose day has come. A reminder before the date is owed only up
// to the date itself, so that a server that was down never sends "in five
// days" about a deadline already missed; one that was down and missed a
// reminder sends the latest instead of all of them.
func Owed(r workflow.ReminderRules, due workflow.Date, days Workdays, today workflow.Date) (offset int, ok bool) {
	var best workflow.Date
	try := func(off int) {
		at := days.Add(due, off)
		if at.After(today) || (off <= 0 && today.After(due)) {
			return
		}
		if !ok || at.After(best) || (at == best && off > offset) {
			best, offset, ok = at, off, true
		}
	}
	for _, n := range r.Before {
		try(-n)
	}
	for _, n := range r.After {
		try(n)
	}
	return offset, ok
}

// reminderWhen phrases how the due date stands today: "i dag", "om 3
// arbetsdagar", "för 1 arbetsdag sedan".
func reminderWhen(due workflow.Date, days Workdays, today workflow.Date) string {
	n := days.Between(today, due)
	switch {
	case today == due:
		return "i dag"
	case n > 0:
		return "om " + workingDays(n)
	case n < 0:
		return "för " + workingDays(-n) + " sedan"
	case due.After(today): // no working day in between: a weekend
		return fmt.Sprintf("om %d dagar", calendarDays(today, due))
	}
	return fmt.Sprintf("för %d dagar sedan", calendarDays(due, today))
}

// calendarDays counts the days from a to b.
func calendarDays(a, b workflow.Date) int {
	return int(b.Time(time.UTC).Sub(a.Time(time.UTC)).Hours() / 24)
}

func workingDays(n int) string {
	if n == 1 {
		return "1 arbetsdag"
	}
	return fmt.Sprintf("%d arbetsdagar", n)
}
