package workflow

import "time"

// ConsultationStatus is where one body's part of an intern remiss stands.
type ConsultationStatus string

// The statuses of a consultation: asked, answered with views, or declined.
const (
	ConsultationBegard   ConsultationStatus = "begard"
	ConsultationBesvarad ConsultationStatus = "besvarad"
	ConsultationAvstatt  ConsultationStatus = "avstatt"
)

// Consultation is one body asked for its views in an intern remiss, with
// its own small flow: begärd → besvarad | avstått, and late while still
// begärd after its deadline.
type Consultation struct {
	ID          int64              `json:"id"`
	BodyID      int64              `json:"-"`
	Body        string             `json:"body"`
	BodyName    string             `json:"body_name"`
	Deadline    Date               `json:"deadline"`
	Status      ConsultationStatus `json:"status"`
	Late        bool               `json:"late"`
	Paragraph   int64              `json:"paragraph,omitempty"`
	DecidedOn   Date               `json:"decided_on,omitzero"`
	Document    int                `json:"document,omitempty"` // löpnummer of the registered answer
	RequestedAt time.Time          `json:"requested_at"`
	AnsweredAt  time.Time          `json:"answered_at,omitzero"`
}

// closed reports whether the consultation no longer holds up the case.
func (c Consultation) closed(today Date) bool {
	return c.Status != ConsultationBegard || today.After(c.Deadline)
}

// Obligation is something the case still owes after its decision: an
// ordförandebeslut or a delegationsbeslut must be reported (anmält) to the
// board at its next meeting. A case cannot be closed while one is open.
type Obligation struct {
	ID        int64     `json:"id"`
	Kind      string    `json:"kind"`
	Title     string    `json:"title"`
	DecidedOn Date      `json:"decided_on"`
	DecidedBy string    `json:"decided_by"`
	OpenedAt  time.Time `json:"opened_at"`
	OpenedBy  string    `json:"opened_by"`
	ClosedAt  time.Time `json:"closed_at,omitzero"`
	ClosedBy  string    `json:"closed_by,omitempty"`
	Report    string    `json:"report,omitempty"` // how it was closed, e.g. "KS 2024-05-06 § 87"
	// BodyID is the body whose chair (or delegate) decided, to whose
	// meeting it must be reported; 0 when the route does not say.
	BodyID    int64 `json:"-"`
	MeetingID int64 `json:"meeting_id,omitempty"` // the meeting it was reported to
}

// Open reports whether the obligation is still to be met.
func (o Obligation) Open() bool { return o.ClosedAt.IsZero() }

// obligationTitles names the kinds of obligation.
var obligationTitles = map[string]string{
	"ordforandebeslut":  "Ordförandebeslutet ska anmälas vid nästa sammanträde",
	"delegationsbeslut": "Delegationsbeslutet ska anmälas till nämnden",
}

// AvailableEvent is an event the caller may fire now, with the data it
// takes, so that a client can offer exactly the right buttons and forms.
type AvailableEvent struct {
	Name  string      `json:"name"`
	Title string      `json:"title"`
	To    []string    `json:"to"`
	Data  []FieldSpec `json:"data"`
}

// OutboxMessage is a message to send after the transaction that produced
// it commits, written in that same transaction.
type OutboxMessage struct {
	Kind     string         `json:"kind"`     // "email"
	Template string         `json:"template"` // e.g. "tilldelad"
	To       string         `json:"to"`
	Payload  map[string]any `json:"payload"`
	// Mail is the whole message when it was composed as it was queued
	// (an expedition's); the attachments' content is stored with it.
	Mail *PreparedMail `json:"mail,omitempty"`
}

// ObligationTitle names an obligation kind.
func ObligationTitle(kind string) string {
	if t, ok := obligationTitles[kind]; ok {
		return t
	}
	return kind
}
