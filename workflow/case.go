package workflow

import (
	"net/url"
	"regexp"
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
	CreatedAt      time.Time    `json:"created_at"`
	UpdatedAt      time.Time    `json:"updated_at"`

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

// DocumentDnr is the number of the case's handling n: "KS-2024/76-3".
func (c Case) DocumentDnr(n int) string {
	return c.DnrBase + "-" + Itoa(n)
}

// Registration is the input for registering a remiss. Dates are strings so
// that a malformed one is reported with its field, like every other error.
type Registration struct {
	Series         string      `json:"series"`
	Classification string      `json:"classification"`
	Title          string      `json:"title"`
	Workflow       string      `json:"workflow"`
	Remiss         RemissInput `json:"remiss"`
}

// RemissInput is the remiss part of a Registration.
type RemissInput struct {
	Sender    string   `json:"sender"`
	SenderDnr string   `json:"sender_dnr"`
	Reference string   `json:"reference"`
	Received  string   `json:"received"`
	Deadline  string   `json:"deadline"`
	ReplyTo   string   `json:"reply_to"`
	Cc        []string `json:"cc"`
	Contact   string   `json:"contact"`
	URL       string   `json:"url"`
}

// NewCase is a validated registration, ready for the store to number and
// insert in one transaction together with its first handling and its
// first history entry.
type NewCase struct {
	OrgID          int64
	Series         Series
	Year           int // the registration year, which {YYYY} shows
	Classification string
	Title          string
	Workflow       WorkflowRef
	State          string // the definition's initial state
	Remiss         Remiss
	Warnings       []FieldError
	RegisteredBy   Actor
	At             time.Time
	Letter         Document     // handling 1: the remiss letter itself
	History        HistoryEntry // the registration, sealed by the store once the dnr is known
}

var classPattern = regexp.MustCompile(`^[0-9A-Za-z](?:[0-9A-Za-z.]{0,18}[0-9A-Za-z])?$`)

// validate checks a registration made on day today and returns the remiss
// it describes.
func (r *Registration) validate(v *Validation, today Date) Remiss {
	r.Series = strings.TrimSpace(r.Series)
	if r.Series == "" {
		v.Add("series", "Ange nummerserien, t.ex. ”KS”.")
	}
	r.Classification = strings.TrimSpace(r.Classification)
	if r.Classification != "" && !classPattern.MatchString(r.Classification) {
		v.Add("classification", "Ange klassificeringskoden med siffror, bokstäver och punkter, t.ex. ”109” eller ”2.1.3”.")
	}
	r.Title = RequireText(v, "title", r.Title, 500)
	if r.Workflow = strings.TrimSpace(r.Workflow); r.Workflow == "" {
		r.Workflow = DefaultWorkflow
	}
	return r.Remiss.validate(v, today)
}

func (in *RemissInput) validate(v *Validation, today Date) Remiss {
	m := Remiss{
		Sender:    RequireText(v, "remiss.sender", in.Sender, 200),
		SenderDnr: LimitText(v, "remiss.sender_dnr", in.SenderDnr, 40),
		Reference: LimitText(v, "remiss.reference", in.Reference, 100),
		ReplyTo:   NormalizeEmail(v, "remiss.reply_to", in.ReplyTo, false),
		Contact:   LimitText(v, "remiss.contact", in.Contact, 200),
		URL:       checkURL(v, "remiss.url", in.URL),
	}
	if m.ReplyTo == "" && !v.Has("remiss.reply_to") {
		// The ministries' remiss mailboxes follow their dnr's prefix; the
		// registrator sees the address and can give another.
		m.ReplyTo = ministryMailbox(m.SenderDnr)
	}
	m.Cc = Copies(v, "remiss.cc", in.Cc)
	m.Received = requireDate(v, "remiss.received", in.Received)
	m.Deadline = requireDate(v, "remiss.deadline", in.Deadline)
	if !m.Received.IsZero() && m.Received.After(today) {
		v.Addf("remiss.received", "Remissen kan inte ha kommit in efter i dag (%s).", today)
	}
	if !m.Received.IsZero() && !m.Deadline.IsZero() && m.Deadline.Before(m.Received) {
		v.Addf("remiss.deadline", "Svarsdatumet %s ligger före datumet då remissen kom in (%s).", m.Deadline, m.Received)
	}
	return m
}

// requireDate parses a mandatory YYYY-MM-DD field.
func requireDate(v *Validation, field, s string) Date {
	s = strings.TrimSpace(s)
	if s == "" {
		v.Add(field, "Ange ett datum (ÅÅÅÅ-MM-DD).")
		return Date{}
	}
	d, err := ParseDate(s)
	if err != nil {
		v.Addf(field, "”%s” är inget giltigt datum. Skriv det som ÅÅÅÅ-MM-DD, t.ex. 2024-04-15.", s)
	}
	return d
}

func checkURL(v *Validation, field, s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(s) > 2000 {
		v.Addf(field, "”%s” är ingen giltig webbadress (http:// eller https://).", s)
	}
	return s
}

// registrationWarnings lists what is suspicious but not wrong about a
// registration: the user is told and the case is registered anyway.
// MaxDuplicatesNamed is how many earlier registrations of the same
// ministry number a registration's warning names: the first few say
// enough, and a number registered many times over (a test, an import)
// must not make every registration read and store all of them.
const MaxDuplicatesNamed = 3

func registrationWarnings(m Remiss, today Date, duplicates []Case) []FieldError {
	w := []FieldError{}
	if msg := checkMinistryDnr(m.SenderDnr, today.Year); msg != "" {
		w = append(w, FieldError{Field: "remiss.sender_dnr", Message: msg})
	}
	for _, d := range duplicates {
		w = append(w, FieldError{Field: "remiss.sender_dnr", Message: "Samma remiss är redan registrerad som " + d.Dnr + " (" + d.Title + ")."})
	}
	if m.Deadline.Before(today) {
		w = append(w, FieldError{Field: "remiss.deadline", Message: "Svarsdatumet " + m.Deadline.String() + " har redan passerat."})
	}
	return w
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
