package sending

import (
	"context"
	"errors"
	"time"

	"github.com/yttrande/remiss/workflow"
)

// OutboxItem is an outbox message claimed for delivery: the row as it was
// queued, with the number of the attempt this delivery is.
type OutboxItem struct {
	ID       int64
	OrgID    int64
	CaseID   int64
	Kind     string // "email"
	Template string // a mail template: "tilldelad", "paminnelse"
	To       string
	Payload  map[string]any
	// Attempt is 1 for the first delivery, 2 for the first retry, and so
	// on; a message reclaimed after a crash counts a new attempt.
	Attempt   int
	CreatedAt time.Time
	// Reminder is the reminder the message carries; nil for others.
	Reminder *workflow.Reminder
	// Mail is the composed message, with its attachments' content, for
	// a message composed when it was queued; nil for a template's.
	Mail *workflow.PreparedMail
}

// Mailer delivers outbox messages. internal/notify implements it over
// SMTP, and by writing .eml files when no SMTP server is configured.
type Mailer interface {
	// Deliver sends item and returns the Message-ID it carried. Every
	// attempt at one item carries the same Message-ID, so that a message
	// sent again after a crash can be recognised by its recipient. An
	// error wrapping ErrPermanent cannot be mended by trying again.
	Deliver(ctx context.Context, item OutboxItem) (messageID string, err error)
}

// ErrPermanent marks a delivery failure that a retry cannot mend, such as
// a mail server's 5xx answer or a template that does not exist.
var ErrPermanent = errors.New("permanent delivery failure")

// OutboxStatus is where an outbox message stands.
type OutboxStatus string

// The statuses of an outbox message.
const (
	OutboxPending   OutboxStatus = "pending"   // waiting for its first or next attempt
	OutboxSending   OutboxStatus = "sending"   // claimed by a worker
	OutboxSent      OutboxStatus = "sent"      // the mail server accepted it
	OutboxFailed    OutboxStatus = "failed"    // given up: a permanent error, or too many attempts
	OutboxCancelled OutboxStatus = "cancelled" // no longer wanted, e.g. a reminder for a closed case
)

// DeliveryStats counts what one round of outbox delivery did.
type DeliveryStats struct {
	Sent      int `json:"sent"`
	Retried   int `json:"retried"`
	Failed    int `json:"failed"`
	Cancelled int `json:"cancelled"`
}
