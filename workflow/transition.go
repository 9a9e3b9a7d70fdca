package workflow

import "time"

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
	History         HistoryEntry // sealed by the store, which knows the previous row

	SetHandlaggare   *UserRef
	SetDeadline      *Date
	SetJustering     *Justering
	NewConsultations []Consultation
	Answer           *Consultation // the consultation answered, with its new status
	OpenObligation   *Obligation
	CloseObligation  *Obligation // ID, ClosedAt, ClosedBy, Report
	Outbox           []OutboxMessage
	Idempotency      *IdempotencyRecord
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
}
