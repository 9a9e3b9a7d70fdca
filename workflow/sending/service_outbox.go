package sending

import (
	"context"
	"errors"
	"time"

	"github.com/yttrande/remiss/workflow"
)

const (
	// outboxBatch is how many messages one claim takes.
	outboxBatch = 20
	// OutboxLease is how long a claimed message stays with the worker
	// that claimed it. A worker that crashes while sending leaves it
	// claimed; once the lease has run out another worker sends it again,
	// with the same Message-ID. It must be longer than a Mailer's
	// longest delivery, or a slow delivery would be sent twice.
	OutboxLease = 5 * time.Minute
	// maxAttempts is how many deliveries a message gets before it is
	// given up as failed: about two days with retryDelay's schedule.
	maxAttempts = 12
)

// retryDelays is the wait after the nth failed attempt: quick at first,
// for a mail server restarting, then hours, for one that is down.
var retryDelays = []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour, 3 * time.Hour}

// retryDelay is the wait after attempt failed temporarily.
func retryDelay(attempt int) time.Duration {
	if attempt >= 1 && attempt <= len(retryDelays) {
		return retryDelays[attempt-1]
	}
	return 6 * time.Hour
}

// OutboxResult is the outcome of one delivery attempt, as the store
// records it.
type OutboxResult struct {
	ID            int64
	Attempt       int // the attempt it is the outcome of; a newer claim wins
	Status        OutboxStatus
	At            time.Time
	NextAttemptAt time.Time // for a retry
	MessageID     string
	Error         string
	// Then is what the sent message changes on its case, written in the
	// same transaction, and only if this attempt's outcome counts.
	Then *workflow.Transition
}

// DeliverOutbox delivers the messages that are due through m until none
// is left, claiming them a batch at a time so that several instances
// share the work and no message is delivered by two at once. A message
// the server refuses for good, or that has failed maxAttempts times, is
// marked failed; a reminder that is no longer owed (its case closed or
// its step done) is cancelled instead of sent.
func (s *Service) DeliverOutbox(ctx context.Context, m Mailer) (DeliveryStats, error) {
	var st DeliveryStats
	for ctx.Err() == nil {
		now := s.Clock().Now()
		items, err := s.store.ClaimOutbox(ctx, now, now.Add(OutboxLease), outboxBatch)
		if err != nil || len(items) == 0 {
			return st, err
		}
		for _, it := range items {
			if err := s.deliver(ctx, m, it, &st); err != nil {
				return st, err
			}
		}
	}
	return st, ctx.Err()
}

// deliver makes one attempt at it and records the outcome.
func (s *Service) deliver(ctx context.Context, m Mailer, it OutboxItem, st *DeliveryStats) error {
	res := OutboxResult{ID: it.ID, Attempt: it.Attempt}
	why, err := s.unwanted(ctx, it)
	if err != nil {
		return err
	}
	if why != "" {
		res.Status, res.Error, res.At = OutboxCancelled, why, s.Clock().Now()
		st.Cancelled++
		return s.store.FinishOutbox(ctx, res)
	}
	id, err := m.Deliver(ctx, it)
	if ctx.Err() != nil {
		return ctx.Err() // the claim lapses and the message is sent again
	}
	res.At = s.Clock().Now()
	switch {
	case err == nil:
		res.Status, res.MessageID = OutboxSent, id
		st.Sent++
		if it.Template == workflow.MailAnswer {
			return s.answerSent(ctx, it, res)
		}
	case errors.Is(err, ErrPermanent) || it.Attempt >= maxAttempts:
		res.Status, res.Error = OutboxFailed, err.Error()
		st.Failed++
		s.Log().WarnContext(ctx, "an e-mail could not be delivered and is given up", "outbox", it.ID, "case", it.CaseID, "template", it.Template, "attempt", it.Attempt, "err", err)
	default:
		res.Status, res.Error, res.NextAttemptAt = OutboxPending, err.Error(), res.At.Add(retryDelay(it.Attempt))
		st.Retried++
		s.Log().InfoContext(ctx, "an e-mail will be retried", "outbox", it.ID, "attempt", it.Attempt, "retry_at", res.NextAttemptAt, "err", err)
	}
	return s.store.FinishOutbox(ctx, res)
}

// unwanted says why a claimed reminder is no longer owed, or "" when it
// still is: its case may have closed, or its step been done or moved,
// while the message waited for a mail server that was down.
func (s *Service) unwanted(ctx context.Context, it OutboxItem) (string, error) {
	r := it.Reminder
	if r == nil {
		return "", nil
	}
	c, err := s.store.Case(ctx, it.OrgID, it.CaseID)
	if err != nil {
		return "", err
	}
	closed, err := s.Closed(ctx, c)
	if err != nil || closed {
		return "Ärendet är avslutat.", err
	}
	open, err := s.store.Deadlines(ctx, it.OrgID, workflow.DeadlineFilter{CaseID: c.ID, From: r.Due, To: r.Due, Limit: workflow.MaxPageSize})
	if err != nil {
		return "", err
	}
	for _, d := range open {
		if d.Kind == r.Kind && d.Body == r.Body {
			return "", nil
		}
	}
	return "Tidpunkten är inte längre öppen: steget är klart eller har flyttats.", nil
}

// OutboxEntry is an outbox message as its case shows it: where it stands,
// and for one that failed, the mail server's answer.
type OutboxEntry struct {
	ID            int64        `json:"id"`
	Template      string       `json:"template"`
	To            string       `json:"to"`
	Status        OutboxStatus `json:"status"`
	Attempts      int          `json:"attempts"`
	NextAttemptAt *time.Time   `json:"next_attempt_at,omitempty"`
	LastError     string       `json:"last_error,omitempty"`
	MessageID     string       `json:"message_id,omitempty"`
	SentAt        *time.Time   `json:"sent_at,omitempty"`
	CreatedAt     time.Time    `json:"created_at"`
	Reminder      *ReminderRef `json:"reminder,omitempty"`
}

// ReminderRef is the deadline a reminder message is about.
type ReminderRef struct {
	Kind   string        `json:"kind"`
	Body   string        `json:"body,omitempty"`
	Due    workflow.Date `json:"due"`
	Offset int           `json:"offset"`
}

// Messages lists the e-mail a case has sent or will send, oldest first.
func (s *Service) Messages(ctx context.Context, actor workflow.Actor, slug string, caseID int64) ([]OutboxEntry, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermReadCase)
	if err != nil {
		return nil, err
	}
	if _, err := s.LoadCase(ctx, org.ID, caseID); err != nil {
		return nil, err
	}
	return s.store.CaseMessages(ctx, org.ID, caseID)
}
