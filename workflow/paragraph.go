package workflow

import (
	"fmt"
	"time"
)

// ParagraphKind says what a paragraph of the minutes records.
type ParagraphKind string

// The kinds of paragraph.
const (
	ParagraphBeslut  ParagraphKind = "beslut"  // a decision on an ärende
	ParagraphAnmalan ParagraphKind = "anmalan" // the report of an ordförande- or delegationsbeslut
)

// Paragraph is one numbered item (§) of a body's minutes. Numbers run per
// body and calendar year without gaps.
type Paragraph struct {
	ID                 int64         `json:"id"`
	OrgID              int64         `json:"-"`
	BodyID             int64         `json:"-"`
	Body               string        `json:"body"`
	BodyName           string        `json:"body_name"`
	Year               int           `json:"year"`
	Number             int           `json:"number"`
	MeetingID          int64         `json:"meeting_id"`
	MeetingDate        Date          `json:"meeting_date"`
	CaseID             int64         `json:"case_id,omitempty"`
	Dnr                string        `json:"dnr,omitempty"`
	Kind               ParagraphKind `json:"kind"`
	Title              string        `json:"title"`
	Outcome            string        `json:"outcome,omitempty"`
	Decision           Decision      `json:"decision"`
	JusterasOmedelbart bool          `json:"justeras_omedelbart"`
	Justering          *Justering    `json:"justering,omitempty"`
	CreatedAt          time.Time     `json:"created_at"`
	CreatedBy          string        `json:"created_by"`
}

// Label names the paragraph as the minutes do: "KSAU 2024-03-27 § 15".
func (p Paragraph) Label() string {
	return fmt.Sprintf("%s %s § %d", p.Body, p.MeetingDate, p.Number)
}

// Decision is what the minutes say about one paragraph.
type Decision struct {
	// Beslutsformulering is the decision as decided, which may differ
	// from the proposal.
	Beslutsformulering string      `json:"beslutsformulering,omitempty"`
	Forslag            string      `json:"forslag,omitempty"` // the proposal (förslag till beslut)
	Forslagsstallare   string      `json:"forslagsstallare,omitempty"`
	Sammanfattning     string      `json:"sammanfattning,omitempty"`
	Motivation         string      `json:"motivation,omitempty"` // what to do, at återremiss
	Yrkanden           []Statement `json:"yrkanden,omitempty"`
	Reservationer      []Statement `json:"reservationer,omitempty"`
	SarskildaYttranden []Statement `json:"sarskilda_yttranden,omitempty"`
	Jav                []string    `json:"jav,omitempty"`
	Justerare          []string    `json:"justerare,omitempty"` // at omedelbar justering
	SkickasTill        []string    `json:"skickas_till,omitempty"`
}

// Statement is a member's yrkande, reservation or särskilt yttrande.
type Statement struct {
	Ledamot string `json:"ledamot"`
	Text    string `json:"text,omitempty"`
}

// AgendaItem is one item of a meeting's agenda (dagordning): an ärende to
// be decided, or the report of an ordförandebeslut.
type AgendaItem struct {
	Position   int         `json:"position"`
	Kind       string      `json:"kind"` // "arende" or "anmalan_ordforandebeslut"
	CaseID     int64       `json:"case_id"`
	Dnr        string      `json:"dnr"`
	Title      string      `json:"title"`
	State      string      `json:"state"`
	StateTitle string      `json:"state_title"`
	Workflow   WorkflowRef `json:"-"`
	Paragraph  int         `json:"paragraph,omitempty"` // the § it got at this meeting
	Obligation *Obligation `json:"obligation,omitempty"`
	Documents  []Document  `json:"documents"`
}

// The kinds of agenda item.
const (
	AgendaArende                  = "arende"
	AgendaAnmalanOrdforandebeslut = "anmalan_ordforandebeslut"
)

// OpenObligation is an obligation with the case it belongs to, for the
// agendas of the meetings it must be reported to.
type OpenObligation struct {
	CaseID     int64
	Dnr        string
	Title      string
	Workflow   WorkflowRef
	State      string
	Obligation Obligation
}
