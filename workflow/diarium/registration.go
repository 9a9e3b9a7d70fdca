package diarium

import (
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/yttrande/remiss/workflow"
)

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
	Workflow       workflow.WorkflowRef
	State          string // the definition's initial state
	Remiss         workflow.Remiss
	Warnings       []workflow.FieldError
	RegisteredBy   workflow.Actor
	At             time.Time
	Letter         workflow.Document     // handling 1: the remiss letter itself
	History        workflow.HistoryEntry // the registration, sealed by the store once the dnr is known
}

var classPattern = regexp.MustCompile(`^[0-9A-Za-z](?:[0-9A-Za-z.]{0,18}[0-9A-Za-z])?$`)

// validate checks a registration made on day today and returns the remiss
// it describes.
func (r *Registration) validate(v *workflow.Validation, today workflow.Date) workflow.Remiss {
	r.Series = strings.TrimSpace(r.Series)
	if r.Series == "" {
		v.Add("series", "Ange nummerserien, t.ex. ”KS”.")
	}
	r.Classification = strings.TrimSpace(r.Classification)
	if r.Classification != "" && !classPattern.MatchString(r.Classification) {
		v.Add("classification", "Ange klassificeringskoden med siffror, bokstäver och punkter, t.ex. ”109” eller ”2.1.3”.")
	}
	r.Title = workflow.RequireText(v, "title", r.Title, 500)
	if r.Workflow = strings.TrimSpace(r.Workflow); r.Workflow == "" {
		r.Workflow = workflow.DefaultWorkflow
	}
	return r.Remiss.validate(v, today)
}

func (in *RemissInput) validate(v *workflow.Validation, today workflow.Date) workflow.Remiss {
	m := workflow.Remiss{
		Sender:    workflow.RequireText(v, "remiss.sender", in.Sender, 200),
		SenderDnr: workflow.LimitText(v, "remiss.sender_dnr", in.SenderDnr, 40),
		Reference: workflow.LimitText(v, "remiss.reference", in.Reference, 100),
		ReplyTo:   workflow.NormalizeEmail(v, "remiss.reply_to", in.ReplyTo, false),
		Contact:   workflow.LimitText(v, "remiss.contact", in.Contact, 200),
		URL:       checkURL(v, "remiss.url", in.URL),
	}
	if m.ReplyTo == "" && !v.Has("remiss.reply_to") {
		// The ministries' remiss mailboxes follow their dnr's prefix; the
		// registrator sees the address and can give another.
		m.ReplyTo = ministryMailbox(m.SenderDnr)
	}
	m.Cc = workflow.Copies(v, "remiss.cc", in.Cc)
	m.Received = workflow.RequireDate(v, "remiss.received", in.Received)
	m.Deadline = workflow.RequireDate(v, "remiss.deadline", in.Deadline)
	if !m.Received.IsZero() && m.Received.After(today) {
		v.Addf("remiss.received", "Remissen kan inte ha kommit in efter i dag (%s).", today)
	}
	if !m.Received.IsZero() && !m.Deadline.IsZero() && m.Deadline.Before(m.Received) {
		v.Addf("remiss.deadline", "Svarsdatumet %s ligger före datumet då remissen kom in (%s).", m.Deadline, m.Received)
	}
	return m
}

func checkURL(v *workflow.Validation, field, s string) string {
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

func registrationWarnings(m workflow.Remiss, today workflow.Date, duplicates []workflow.Case) []workflow.FieldError {
	w := []workflow.FieldError{}
	if msg := checkMinistryDnr(m.SenderDnr, today.Year); msg != "" {
		w = append(w, workflow.FieldError{Field: "remiss.sender_dnr", Message: msg})
	}
	for _, d := range duplicates {
		w = append(w, workflow.FieldError{Field: "remiss.sender_dnr", Message: "Samma remiss är redan registrerad som " + d.Dnr + " (" + d.Title + ")."})
	}
	if m.Deadline.Before(today) {
		w = append(w, workflow.FieldError{Field: "remiss.deadline", Message: "Svarsdatumet " + m.Deadline.String() + " har redan passerat."})
	}
	return w
}
