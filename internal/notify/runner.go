package notify

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/yttrande/remiss/workflow/sending"
)

// Reminders queue the reminders that are due; planning.Service does.
type Reminders interface {
	// QueueReminders puts the reminders that are due into the outbox and
	// returns how many it queued.
	QueueReminders(ctx context.Context) (int, error)
}

// Outbox delivers the outbox; the sending service does.
type Outbox interface {
	// DeliverOutbox sends what the outbox holds through m.
	DeliverOutbox(ctx context.Context, m sending.Mailer) (sending.DeliveryStats, error)
}

// Runner is the background loop of `remiss serve`: it delivers the outbox
// every DeliverEvery and queues reminders every RemindEvery, both once
// when it starts. A failed round is logged and the next one tried; the
// loop ends only with its context.
type Runner struct {
	Reminders    Reminders
	Outbox       Outbox
	Mailer       sending.Mailer
	Log          *slog.Logger // nil discards
	DeliverEvery time.Duration
	RemindEvery  time.Duration

	// DeliverTick and RemindTick, when set, replace the tickers of
	// DeliverEvery and RemindEvery: each value received starts a round.
	// Tests drive the loop with them instead of waiting.
	DeliverTick <-chan time.Time
	RemindTick  <-chan time.Time

	// Nudge, when set, starts a round of reminders and delivery at each
	// value: the demo's clock moving forward makes reminders due at once.
	Nudge <-chan struct{}
}

// Run loops until ctx ends, then returns nil. It returns an error at once
// only when the Runner is incomplete.
func (r *Runner) Run(ctx context.Context) error {
	if r.Reminders == nil || r.Outbox == nil || r.Mailer == nil {
		return errors.New("notify.Runner needs Reminders, an Outbox and a Mailer")
	}
	deliverTick, stopDeliver, err := tickOf(r.DeliverTick, r.DeliverEvery, "DeliverEvery")
	if err != nil {
		return err
	}
	defer stopDeliver()
	remindTick, stopRemind, err := tickOf(r.RemindTick, r.RemindEvery, "RemindEvery")
	if err != nil {
		return err
	}
	defer stopRemind()
	// Reminders first, so that those due at startup go out in the first
	// delivery.
	r.remind(ctx)
	r.deliver(ctx)
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-deliverTick:
			r.deliver(ctx)
		case <-remindTick:
			if r.remind(ctx) > 0 {
				r.deliver(ctx) // new reminders go out now, not a delivery interval later
			}
		case <-r.Nudge:
			r.remind(ctx)
			r.deliver(ctx)
		}
	}
}

// tickOf is tick when set, or else a ticker of every.
func tickOf(tick <-chan time.Time, every time.Duration, name string) (<-chan time.Time, func(), error) {
	if tick != nil {
		return tick, func() {}, nil
	}
	if every <= 0 {
		return nil, nil, errors.New("notify.Runner needs a positive " + name)
	}
	t := time.NewTicker(every)
	return t.C, t.Stop, nil
}

// deliver runs one round of outbox delivery and logs what it did.
func (r *Runner) deliver(ctx context.Context) {
	stats, err := r.Outbox.DeliverOutbox(ctx, r.Mailer)
	if stats != (sending.DeliveryStats{}) {
		r.log().Info("outbox delivered", "sent", stats.Sent, "retried", stats.Retried,
			"failed", stats.Failed, "cancelled", stats.Cancelled)
	}
	if err != nil && ctx.Err() == nil { // an error of shutting down is no news
		r.log().Warn("outbox delivery failed; trying again next round", "err", err)
	}
}

// remind runs one round of queueing reminders and returns how many it
// queued.
func (r *Runner) remind(ctx context.Context) int {
	n, err := r.Reminders.QueueReminders(ctx)
	if n > 0 {
		r.log().Info("reminders queued", "count", n)
	}
	if err != nil && ctx.Err() == nil {
		r.log().Warn("queueing reminders failed; trying again next round", "err", err)
	}
	return n
}

// log is r.Log, or a logger that discards.
func (r *Runner) log() *slog.Logger {
	if r.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return r.Log
}
