package workflow

import (
	"strings"
	"time"
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

// DeadlineQuery is the deadline overview's query as the API receives it.
type DeadlineQuery struct {
	From, To string // YYYY-MM-DD
	Mine     bool   // only the caller's own cases
	Body     string
	Limit    string
	Cursor   string
}

func (q DeadlineQuery) filter(actor Actor) (DeadlineFilter, error) {
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
