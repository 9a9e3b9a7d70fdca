package workflow

import (
	"fmt"
	"slices"
	"time"
)

// ReminderRules say when the person responsible for a case is reminded of
// each open deadline of its plan, in working days. Part of PlanningRules.
type ReminderRules struct {
	// Before: reminders this many working days before the due date; 0 is
	// the due date itself.
	Before []int `json:"before"`
	// After: reminders this many working days after a deadline that was
	// missed, as long as the step is still open.
	After []int `json:"after"`
}

// DefaultReminderRules remind five and one working days before each
// deadline and on the working day after a missed one.
func DefaultReminderRules() ReminderRules {
	return ReminderRules{Before: []int{5, 1}, After: []int{1}}
}

// maxReminders bounds each list: more would be noise, not help.
const maxReminders = 5

func (r ReminderRules) validate(v *Validation) {
	for _, l := range []struct {
		name string
		days []int
		min  int
	}{{"before", r.Before, 0}, {"after", r.After, 1}} {
		field := "planning.reminders." + l.name
		if len(l.days) > maxReminders {
			v.Addf(field, "Ange högst %d påminnelser (inte %d).", maxReminders, len(l.days))
		}
		for i, n := range l.days {
			switch {
			case n < l.min || n > 60:
				v.Addf(field, "Ange ett antal arbetsdagar mellan %d och 60 (inte %d).", l.min, n)
			case slices.Contains(l.days[:i], n):
				v.Addf(field, "%d arbetsdagar står två gånger.", n)
			}
		}
	}
}

// reach is how many calendar days before and after today a deadline can
// lie and still have a reminder due: enough for the longest lead and
// weekends and holidays in between.
func (r ReminderRules) reach() (before, after int) {
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
func (r ReminderRules) Owed(due Date, days Workdays, today Date) (offset int, ok bool) {
	var best Date
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

// Reminder is one reminder of one deadline to one person. Its key (case,
// step kind, body, due date, offset, recipient) is unique, which is what
// makes it go out once: a moved deadline has a new due date and gets its
// reminders anew.
type Reminder struct {
	ID        int64
	OrgID     int64
	CaseID    int64
	Kind      string // the plan step's kind
	Body      string
	Due       Date
	Offset    int // working days: negative or 0 before the due date, positive after
	Recipient string
	QueuedAt  time.Time
}

// key is the reminder's unique key, as the store's constraint has it.
func (r Reminder) key() reminderKey {
	return reminderKey{caseID: r.CaseID, kind: r.Kind, body: r.Body, due: r.Due, offset: r.Offset, to: r.Recipient}
}

type reminderKey struct {
	caseID     int64
	kind, body string
	due        Date
	offset     int
	to         string
}

// reminderWhen phrases how the due date stands today: "i dag", "om 3
// arbetsdagar", "för 1 arbetsdag sedan".
func reminderWhen(due Date, days Workdays, today Date) string {
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
func calendarDays(a, b Date) int {
	return int(b.Time(time.UTC).Sub(a.Time(time.UTC)).Hours() / 24)
}

func workingDays(n int) string {
	if n == 1 {
		return "1 arbetsdag"
	}
	return fmt.Sprintf("%d arbetsdagar", n)
}

// weekdayNames are the Swedish names of time.Weekday, Sunday first.
var weekdayNames = [...]string{"söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"}

// WeekdayDate writes a date with its weekday: "onsdag 13 mars 2024".
func WeekdayDate(d Date) string {
	return weekdayNames[d.Time(time.UTC).Weekday()] + " " + LongDate(d)
}
