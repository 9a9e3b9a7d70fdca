package workflow

import (
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
func (r Reminder) Key() ReminderKey {
	return ReminderKey{caseID: r.CaseID, kind: r.Kind, body: r.Body, due: r.Due, offset: r.Offset, to: r.Recipient}
}

type ReminderKey struct {
	caseID     int64
	kind, body string
	due        Date
	offset     int
	to         string
}
