package workflow

import (
	"strings"
	"time"
)

// PlanStatus says how a step of a plan stands.
type PlanStatus string

// The statuses of a step, and of a plan (its worst step), from good to bad.
const (
	PlanKlar    PlanStatus = "klar"    // done
	PlanITid    PlanStatus = "i_tid"   // on time
	PlanRisk    PlanStatus = "risk"    // due within the organisation's risk days
	PlanSen     PlanStatus = "sen"     // its date has passed and it is not done
	PlanOmojlig PlanStatus = "omojlig" // no meeting in the calendar fits
)

// Deadline is one open dated step of a case's plan, as the deadline
// overview and the calendar feeds show it.
type Deadline struct {
	ID          int64      `json:"id"`
	CaseID      int64      `json:"case_id"`
	Dnr         string     `json:"dnr"`
	CaseTitle   string     `json:"case_title"`
	Kind        string     `json:"kind"`
	Title       string     `json:"title"`
	Body        string     `json:"body,omitempty"`
	Due         Date       `json:"due"`
	Status      PlanStatus `json:"status"`
	MeetingID   int64      `json:"meeting_id,omitempty"`
	Note        string     `json:"note,omitempty"`
	ReplyBy     Date       `json:"reply_by"`
	Handlaggare *UserRef   `json:"handlaggare,omitempty"`
	ComputedAt  time.Time  `json:"computed_at"`
	// Done steps are stored so the plan can be shown, but listed nowhere.
	Done bool `json:"-"`
	Seq  int  `json:"-"`
}

// DeadlineFilter selects open deadlines of an organisation.
type DeadlineFilter struct {
	From, To Date  // inclusive; zero means open
	UserID   int64 // only cases with this handläggare
	CaseID   int64 // only this case
	Body     string
	Limit    int
	After    *CaseCursor // (due, deadline id)
}

// DeadlinePage is one page of the deadline overview.
type DeadlinePage struct {
	Items      []Deadline `json:"items"`
	NextCursor string     `json:"next_cursor,omitempty"`
}

// DeadlineQuery is the deadline overview's query as the API receives it.
type DeadlineQuery struct {
	From, To string // YYYY-MM-DD
	Mine     bool   // only the caller's own cases
	Body     string
	Limit    string
	Cursor   string
}

// Filter checks the query and turns it into a filter for actor.
func (q DeadlineQuery) Filter(actor Actor) (DeadlineFilter, error) {
	var v Validation
	f := DeadlineFilter{Body: strings.TrimSpace(q.Body)}
	f.From, f.To = v.OptionalDate("from", q.From), v.OptionalDate("to", q.To)
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		v.Add("to", "Slutdatumet ligger före startdatumet.")
	}
	if q.Mine {
		if actor.UserID == 0 {
			v.Add("mine", "Bara en användare har egna ärenden.")
		}
		f.UserID = actor.UserID
	}
	f.Limit, f.After = pageParams(&v, q.Limit, q.Cursor)
	return f, v.Err()
}
