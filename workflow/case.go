package workflow

import (
	"slices"
	"strings"
	"time"
)

// Case is an ärende in the diarium: here, always a remiss to answer.
type Case struct {
	ID             int64        `json:"id"`
	OrgID          int64        `json:"-"`
	Dnr            string       `json:"dnr"`
	DnrBase        string       `json:"-"` // the dnr without classification; handlingar are numbered from it
	Series         string       `json:"series"`
	Year           int          `json:"year"`
	Number         int64        `json:"number"`
	Classification string       `json:"classification,omitempty"`
	Title          string       `json:"title"`
	State          string       `json:"state"`
	StateTitle     string       `json:"state_title,omitempty"`
	Version        int64        `json:"version"`
	Workflow       WorkflowRef  `json:"workflow"`
	Remiss         Remiss       `json:"remiss"`
	Warnings       []FieldError `json:"warnings"`
	Handlaggare    *UserRef     `json:"handlaggare,omitempty"`
	Justering      *Justering   `json:"justering,omitempty"`
	RegisteredBy   string       `json:"registered_by"`
	// HeadSeq and HeadHash are the newest row of the case's history, as
	// the case row keeps them: the next row is sealed onto them.
	HeadSeq   int64     `json:"-"`
	HeadHash  string    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`

	// Read with a single case, not in lists.
	Consultations   []Consultation   `json:"consultations,omitzero"`
	Obligations     []Obligation     `json:"obligations,omitzero"`
	Paragraphs      []Paragraph      `json:"paragraphs,omitzero"` // the § that decided or reported it
	AvailableEvents []AvailableEvent `json:"available_events,omitzero"`
}

// UserRef names a user in a case.
type UserRef struct {
	ID    int64  `json:"-"`
	Email string `json:"email"`
	Name  string `json:"name"`
}

// Justering records when the minutes with the case's decision were
// approved, when the anslag went up and when the three weeks for
// laglighetsprövning end.
type Justering struct {
	JusteradOn   Date `json:"justerad_on"`
	AnslagOn     Date `json:"anslag_on"`
	AppealEndsOn Date `json:"appeal_ends_on"`
}

// WorkflowRef pins a case to the workflow definition and version it
// started with; a later version of the definition never changes it.
type WorkflowRef struct {
	Name    string `json:"name"`
	Version int    `json:"version"`
	Custom  bool   `json:"custom"` // the organisation's own definition, not a shipped one
}

// Remiss is what the ministry's letter says: who asks, about which report,
// under which number, and by when the answer must be in.
type Remiss struct {
	Sender    string `json:"sender"`
	SenderDnr string `json:"sender_dnr"`
	Reference string `json:"reference"`
	Received  Date   `json:"received"`
	Deadline  Date   `json:"deadline"`
	ReplyTo   string `json:"reply_to,omitempty"`
	// Cc are the addresses the answer is copied to, such as the unit the
	// remiss names.
	Cc []string `json:"cc"`
	// Contact is the ministry's contact person for the remiss.
	Contact string `json:"contact,omitempty"`
	URL     string `json:"url,omitempty"`
}

// clone copies the case with its own slices of consultations,
// obligations and §, which the engine changes in place.
func (c Case) clone() Case {
	c.Consultations = slices.Clone(c.Consultations)
	c.Obligations = slices.Clone(c.Obligations)
	c.Paragraphs = slices.Clone(c.Paragraphs)
	c.Warnings = slices.Clone(c.Warnings)
	c.AvailableEvents = slices.Clone(c.AvailableEvents)
	return c
}

// DocumentDnr is the number of the case's handling n: "KS-2024/76-3".
func (c Case) DocumentDnr(n int) string {
	return c.DnrBase + "-" + Itoa(n)
}

// CaseFilter narrows a list of cases. Cursor is the opaque position
// returned as NextCursor by the previous page.
type CaseFilter struct {
	State          string
	Query          string
	DeadlineBefore Date
	Limit          int
	After          *CaseCursor
}

// CaseCursor is a position in the list order (deadline, then id).
type CaseCursor struct {
	Deadline Date
	ID       int64
}

// CasePage is one page of a case list.
type CasePage struct {
	Items      []Case `json:"items"`
	Total      int    `json:"total"`
	NextCursor string `json:"next_cursor,omitempty"`
}

// CaseQuery is the raw list request as it arrives.
type CaseQuery struct {
	State          string
	Q              string
	DeadlineBefore string
	Limit          string
	Cursor         string
}

// Page sizes for case lists.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
)

func (q CaseQuery) Filter(states []string) (CaseFilter, error) {
	var v Validation
	f := CaseFilter{State: strings.TrimSpace(q.State), Query: strings.TrimSpace(q.Q), Limit: DefaultPageSize}
	if f.State != "" && !slices.Contains(states, f.State) {
		v.Addf("state", "Okänt tillstånd ”%s”.", f.State)
	}
	f.Query = LimitText(&v, "q", f.Query, 200)
	f.DeadlineBefore = v.OptionalDate("deadline_before", q.DeadlineBefore)
	f.Limit, f.After = pageParams(&v, q.Limit, q.Cursor)
	return f, v.Err()
}

// pageParams reads a list's page size (default DefaultPageSize) and the
// cursor of the previous page.
func pageParams(v *Validation, limit, cursor string) (int, *CaseCursor) {
	n := DefaultPageSize
	if limit != "" {
		var err error
		if n, err = atoi(limit); err != nil || n < 1 || n > MaxPageSize {
			v.Addf("limit", "Ange ett antal mellan 1 och %d.", MaxPageSize)
		}
	}
	if cursor == "" {
		return n, nil
	}
	c, err := decodeCursor(cursor)
	if err != nil {
		v.Add("cursor", "Ogiltig sidmarkör; börja om från första sidan.")
	}
	return n, c
}

// copies checks the addresses an answer is copied to: at most five, each
// an e-mail address; repeats are left out.
func Copies(v *Validation, field string, in []string) []string {
	if len(in) > 5 {
		v.Add(field, "Ange högst fem adresser att skicka kopia till.")
	}
	out := []string{}
	for i, a := range in {
		if a = NormalizeEmail(v, field+"["+Itoa(i)+"]", a, true); a != "" && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}
