package notify_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/yttrande/remiss/internal/notify"
	"github.com/yttrande/remiss/workflow/sending"
)

// result is what one call of a fakeJobs method returns.
type result struct {
	n   int // reminders queued, or messages sent
	err error
}

// fakeJobs reports each call on calls and waits for the test to say what
// it returns, so the test sees the Runner's rounds one by one.
type fakeJobs struct {
	calls   chan string
	answers chan result
}

func newFakeJobs() *fakeJobs {
	return &fakeJobs{calls: make(chan string), answers: make(chan result)}
}

func (f *fakeJobs) QueueReminders(ctx context.Context) (int, error) {
	f.calls <- "remind"
	r := <-f.answers
	return r.n, r.err
}

func (f *fakeJobs) DeliverOutbox(ctx context.Context, m sending.Mailer) (sending.DeliveryStats, error) {
	if m != (nopMailer{}) {
		f.calls <- "deliver through another Mailer"
	} else {
		f.calls <- "deliver"
	}
	r := <-f.answers
	return sending.DeliveryStats{Sent: r.n}, r.err
}

// expect receives the next call, fails t unless it is want, and answers r.
func (f *fakeJobs) expect(t *testing.T, want string, r result) {
	t.Helper()
	if got := <-f.calls; got != want {
		t.Fatalf("Runner called %s, want %s", got, want)
	}
	f.answers <- r
}

// nopMailer is a Mailer that Runner only passes on.
type nopMailer struct{}

func (nopMailer) Deliver(context.Context, sending.OutboxItem) (string, error) { return "", nil }

func TestRunnerRounds(t *testing.T) {
	jobs := newFakeJobs()
	deliverTick, remindTick := make(chan time.Time), make(chan time.Time)
	var logged bytes.Buffer // read once Run has returned
	r := &notify.Runner{
		Reminders: jobs, Outbox: jobs, Mailer: nopMailer{}, Log: slog.New(slog.NewTextHandler(&logged, nil)),
		DeliverTick: deliverTick, RemindTick: remindTick,
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()

	// At start: both, reminders first.
	jobs.expect(t, "remind", result{err: errors.New("database is down")})
	jobs.expect(t, "deliver", result{err: errors.New("database is still down")})
	// Errors do not end the loop; each tick starts a round.
	deliverTick <- time.Now()
	jobs.expect(t, "deliver", result{n: 3})
	remindTick <- time.Now()
	jobs.expect(t, "remind", result{})
	// New reminders are delivered at once, before the next tick.
	remindTick <- time.Now()
	jobs.expect(t, "remind", result{n: 2})
	jobs.expect(t, "deliver", result{n: 2})
	deliverTick <- time.Now() // the loop is back, waiting for ticks
	jobs.expect(t, "deliver", result{})

	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run returned %v when its context ended", err)
	}
	log := logged.String()
	for _, want := range []string{
		`level=WARN msg="queueing reminders failed; trying again next round" err="database is down"`,
		`level=WARN msg="outbox delivery failed; trying again next round" err="database is still down"`,
		`level=INFO msg="outbox delivered" sent=3 retried=0 failed=0 cancelled=0`,
		`level=INFO msg="reminders queued" count=2`,
	} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %s:\n%s", want, log)
		}
	}
	if n := strings.Count(log, "outbox delivered"); n != 2 {
		t.Errorf("logged %d deliveries, want 2 (rounds that did nothing are quiet):\n%s", n, log)
	}
}

// TestRunnerNudged: a nudge (the demo's clock moving) starts a round of
// reminders and delivery between the ticks.
func TestRunnerNudged(t *testing.T) {
	jobs := newFakeJobs()
	nudge := make(chan struct{})
	r := &notify.Runner{Reminders: jobs, Outbox: jobs, Mailer: nopMailer{}, DeliverEvery: time.Hour, RemindEvery: time.Hour, Nudge: nudge}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	jobs.expect(t, "remind", result{})
	jobs.expect(t, "deliver", result{})
	nudge <- struct{}{}
	jobs.expect(t, "remind", result{})
	jobs.expect(t, "deliver", result{})
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run returned %v", err)
	}
}

func TestRunnerWithTickers(t *testing.T) {
	jobs := newFakeJobs()
	r := &notify.Runner{Reminders: jobs, Outbox: jobs, Mailer: nopMailer{}, DeliverEvery: time.Hour, RemindEvery: time.Hour}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	jobs.expect(t, "remind", result{})
	jobs.expect(t, "deliver", result{})
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run returned %v", err)
	}
}

func TestRunnerNeedsItsParts(t *testing.T) {
	tests := []struct {
		name string
		r    notify.Runner
		want string
	}{
		{"no jobs", notify.Runner{Mailer: nopMailer{}, DeliverEvery: time.Minute, RemindEvery: time.Hour}, "needs Reminders, an Outbox and a Mailer"},
		{"no mailer", notify.Runner{Reminders: newFakeJobs(), Outbox: newFakeJobs(), DeliverEvery: time.Minute, RemindEvery: time.Hour}, "needs Reminders, an Outbox and a Mailer"},
		{"no delivery interval", notify.Runner{Reminders: newFakeJobs(), Outbox: newFakeJobs(), Mailer: nopMailer{}, RemindEvery: time.Hour}, "positive DeliverEvery"},
		{"no reminder interval", notify.Runner{Reminders: newFakeJobs(), Outbox: newFakeJobs(), Mailer: nopMailer{}, DeliverEvery: time.Minute}, "positive RemindEvery"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.r.Run(t.Context())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Run() = %v, want an error about %s", err, tt.want)
			}
		})
	}
}
