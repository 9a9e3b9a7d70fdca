package workflow

import (
	"encoding/json"
	"time"
)

// Transition is everything one fired event changes, computed by the engine
// and written by Store.ApplyTransition in one transaction: the case row by
// compare-and-swap on its version, the history row sealed onto the chain,
// child records, outbox messages and the idempotency record.
type Transition struct {
	OrgID           int64
	CaseID          int64
	Dnr             string
	ExpectedVersion int64
	State           string
	At              time.Time
	History         HistoryEntry // sealed by the store onto the head below
	// HeadSeq and HeadHash are the case's history head at ExpectedVersion,
	// which the history row is sealed onto.
	HeadSeq  int64
	HeadHash string

	SetHandlaggare   *UserRef
	SetDeadline      *Date
	SetRecipients    *Recipients // where the answer goes
	SetJustering     *Justering
	NewConsultations []Consultation
	Answer           *Consultation // the consultation answered, with its new status
	OpenObligation   *Obligation
	CloseObligation  *Obligation // ID, ClosedAt, ClosedBy, Report
	Outbox           []OutboxMessage
	// NewDocument is a handling the event registers, with a file already
	// stored; it gets the case's next löpnummer.
	NewDocument *Document
	Idempotency *IdempotencyRecord
	// Paragraph is the § the event records, numbered by the store inside
	// the transaction (Number 0) unless the municipality gave the number.
	Paragraph *Paragraph
	// AllocateParagraph asks the store for the body's next number;
	// false when the municipality stated the number.
	AllocateParagraph bool
	// Agenda lists the meetings whose agenda the case is put on.
	Agenda []int64
	// Deadlines, when not nil, replace the case's deadlines: its plan as
	// the event leaves it, written in the same transaction.
	Deadlines *[]Deadline

	record map[string]any // the history row's data, before sealing
	after  *Case          // the case as answered
}

// NumberParagraph gives the transition's paragraph its number, taken by
// the store inside the transaction, and writes the number wherever the
// transition mentions it: the history row, the report of an obligation and
// the case as answered.
func (t *Transition) NumberParagraph(n int) error {
	t.Paragraph.Number = n
	if t.CloseObligation != nil {
		t.CloseObligation.Report = t.Paragraph.Label()
	}
	if t.Answer != nil {
		t.Answer.Paragraph = int64(n)
	}
	if t.after != nil {
		for i := range t.after.Paragraphs {
			if t.after.Paragraphs[i].Number == 0 {
				t.after.Paragraphs[i] = *t.Paragraph
			}
		}
		for i := range t.after.Consultations {
			if t.Answer != nil && t.after.Consultations[i].ID == t.Answer.ID {
				t.after.Consultations[i] = *t.Answer
			}
		}
		for i := range t.after.Obligations {
			if t.CloseObligation != nil && t.after.Obligations[i].ID == t.CloseObligation.ID {
				t.after.Obligations[i] = *t.CloseObligation
			}
		}
	}
	if t.record == nil {
		return nil
	}
	t.record["paragraph"] = n
	data, err := json.Marshal(t.record)
	if err != nil {
		return Internal(err)
	}
	t.History.Data = data
	return nil
}

// IdempotencyResponse is the answer an idempotent retry gets: the case as
// answered, with the numbers the store gave it.
func (t *Transition) IdempotencyResponse() ([]byte, error) {
	if t.after == nil {
		return t.Idempotency.Response, nil
	}
	b, err := json.Marshal(t.after)
	if err != nil {
		return nil, Internal(err)
	}
	return b, nil
}

// IdempotencyRecord remembers the answer to a request sent with an
// Idempotency-Key, so that a retry gets the same answer instead of firing
// the event twice.
type IdempotencyRecord struct {
	Key         string
	Fingerprint string
	CaseID      int64
	Response    []byte // the case as first answered, JSON
	CreatedAt   time.Time
}

// CaseRef identifies a case across organisations, for maintenance such as
// verifying every history chain.
type CaseRef struct {
	OrgID   int64
	OrgSlug string
	ID      int64
	Dnr     string
	// HeadSeq and HeadHash are the newest history row as the case row
	// keeps them.
	HeadSeq  int64
	HeadHash string
}

// Recipients are where a case's answer goes, as a transition sets them.
type Recipients struct {
	ReplyTo string   `json:"reply_to"`
	Cc      []string `json:"cc"`
	Contact string   `json:"contact"`
}
