package workflow_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yttrande/remiss/internal/store/storetest"
	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/sending"
)

// mailbox is a workflow.Mailer that keeps what it is given, for the
// domain's tests; internal/notify's tests speak SMTP to a real server.
type mailbox struct {
	mu   sync.Mutex
	got  []sending.OutboxItem
	fail func(sending.OutboxItem) error // nil: accept everything
}

func (m *mailbox) Deliver(_ context.Context, it sending.OutboxItem) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		if err := m.fail(it); err != nil {
			return "", err
		}
	}
	m.got = append(m.got, it)
	return fmt.Sprintf("remiss.%d@test.invalid", it.ID), nil
}

// take returns what arrived since the last call.
func (m *mailbox) take() []sending.OutboxItem {
	m.mu.Lock()
	defer m.mu.Unlock()
	got := m.got
	m.got = nil
	return got
}

// reminders lists reminder mails as "to step when" lines, sorted.
func reminders(items []sending.OutboxItem) []string {
	var out []string
	for _, it := range items {
		if it.Template == "paminnelse" {
			out = append(out, fmt.Sprintf("%s %s %s", it.To, it.Payload["step"], it.Payload["when"]))
		}
	}
	slices.Sort(out)
	return out
}

func (e *env) queue(day string, want int) {
	e.t.Helper()
	e.clock.set(day)
	n, err := e.svc.Planning.QueueReminders(e.ctx)
	e.check(err)
	if n != want {
		e.t.Errorf("%s: %d reminders queued, want %d", day, n, want)
	}
}

func (e *env) deliver(m sending.Mailer) sending.DeliveryStats {
	e.t.Helper()
	st, err := e.svc.Sending.DeliverOutbox(e.ctx, m)
	e.check(err)
	return st
}

// advance fires events on c in order, each as the first role allowed.
func (e *env) advance(c workflow.Case, events ...string) workflow.Case {
	e.t.Helper()
	def, err := e.svc.Workflow(e.ctx, e.as[workflow.RoleLasare], "huddinge", c.Workflow.Name, c.Workflow.Version)
	e.check(err)
	for _, name := range events {
		ev, _ := def.Event(name)
		if c, err = e.fire(c, ev.Roles[0], name, sample(def.Name, name)); err != nil {
			e.t.Fatalf("%s: %v", name, err)
		}
	}
	return c
}

// TestRemindersFollowThePlan: with the default rules (5 and 1 working
// days before, 1 after), the right reminders are queued on the right days
// to the registrators while a case has no handläggare and to the
// handläggare after, each once however often the scan runs; they are
// delivered with their text phrased for the day. On both databases.
func TestRemindersFollowThePlan(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, b.Open(t))
			e.meeting("KSAU", "2024-03-27")
			e.meeting("KS", "2024-04-08")
			c := e.register("kommunstyrelsen") // nämnder 6 March, stopptid 13 March
			m := &mailbox{}
			reg, hl := "registrator@huddinge.example", "handlaggare@huddinge.example"

			e.queue("2024-02-27", 0)
			e.queue("2024-02-28", 1) // five working days before 6 March
			e.queue("2024-02-28", 0)
			e.queue("2024-02-29", 0)
			got := e.deliver(m)
			if got.Sent != 1 {
				t.Errorf("delivered %+v, want 1 sent", got)
			}
			items := m.take()
			if r := reminders(items); len(r) != 1 || r[0] != reg+" Nämndernas yttranden om 5 arbetsdagar" {
				t.Fatalf("reminders %q", r)
			}
			p := items[0].Payload
			for k, want := range map[string]any{"org": "Huddinge kommun", "dnr": c.Dnr, "name": "Test registrator", "due": "2024-03-06",
				"due_long": "onsdag 6 mars 2024", "overdue": false, "reply_by": "15 april 2024", "reference": "SOU 2023:94"} {
				if p[k] != want {
					t.Errorf("payload %s = %v, want %v", k, p[k], want)
				}
			}

			c = e.advance(c, "tilldela")
			e.queue("2024-03-05", 1) // one working day before, now to the handläggare
			e.queue("2024-03-06", 1) // the stopptid's five days
			e.queue("2024-03-07", 1) // the nämnder's answers are late
			e.queue("2024-03-07", 0)
			got = e.deliver(m)
			items = m.take()
			want := []string{
				hl + " Nämndernas yttranden för 1 arbetsdag sedan",
				hl + " Nämndernas yttranden om 1 arbetsdag",
				hl + " Stopptid för tjänsteutlåtandet om 5 arbetsdagar",
			}
			if r := reminders(items); !slices.Equal(r, want) {
				t.Errorf("reminders\n%s\nwant\n%s", strings.Join(r, "\n"), strings.Join(want, "\n"))
			}
			if got.Sent != 4 || len(items) != 4 { // and the tilldelad mail
				t.Errorf("delivered %+v: %d items, want 4 sent", got, len(items))
			}

			msgs, err := e.svc.Sending.Messages(e.ctx, e.as[workflow.RoleLasare], "huddinge", c.ID)
			e.check(err)
			if len(msgs) != 5 {
				t.Fatalf("%d messages on the case, want 5", len(msgs))
			}
			for _, msg := range msgs {
				if msg.Status != sending.OutboxSent || msg.SentAt == nil || msg.MessageID != fmt.Sprintf("remiss.%d@test.invalid", msg.ID) || msg.Attempts != 1 {
					t.Errorf("message %+v, want sent once with its Message-ID", msg)
				}
				if (msg.Template == "paminnelse") != (msg.Reminder != nil) {
					t.Errorf("message %d (%s): reminder %+v", msg.ID, msg.Template, msg.Reminder)
				}
			}
		})
	}
}

// TestNoRemindersForClosedCases: a reminder queued while the case was
// open is cancelled, not sent, when the case has been answered and closed
// before the mail server took it; a closed case gets no new ones.
func TestNoRemindersForClosedCases(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t), withTextDocuments)
	e.meeting("KSAU", "2024-03-27")
	e.meeting("KS", "2024-04-08")
	c := e.register("kommunstyrelsen")
	e.queue("2024-02-28", 1)
	e.addYttrande(c)
	// The mail server takes only the answer: the reminder waits for its
	// retry while the case is answered.
	busy := &mailbox{fail: func(it sending.OutboxItem) error {
		if it.Template != workflow.MailAnswer {
			return errors.New("421 4.3.2 try again later")
		}
		return nil
	}}
	if got := e.deliver(busy); got.Retried != 1 {
		t.Fatalf("first round %+v, want the reminder retried", got)
	}
	c = e.advance(c, "tilldela", "paborja_beredning", "avsta", "expediera")
	if got := e.deliver(busy); got.Sent != 1 || got.Retried != 1 { // the answer, and the tilldelad mail waits
		t.Fatalf("second round %+v, want the answer sent", got)
	}
	c = e.advance(e.reload(c), "avsluta")
	if c.State != "avslutad" {
		t.Fatalf("state %s", c.State)
	}
	e.clock.advance(time.Hour)
	m := &mailbox{}
	if got := e.deliver(m); got.Cancelled != 1 || got.Sent != 1 { // the tilldelad mail is still sent
		t.Errorf("delivered %+v, want the reminder cancelled", got)
	}
	if r := reminders(m.take()); len(r) != 0 {
		t.Errorf("a closed case's reminder was sent: %v", r)
	}
	e.queue("2024-03-05", 0)
	e.queue("2024-03-07", 0)
	msgs, err := e.svc.Sending.Messages(e.ctx, e.as[workflow.RoleLasare], "huddinge", c.ID)
	e.check(err)
	if msgs[0].Status != sending.OutboxCancelled || msgs[0].LastError != "Ärendet är avslutat." {
		t.Errorf("the reminder: %+v", msgs[0])
	}
}

// TestAReminderOfAMovedDeadlineIsCancelled: the nämnder's deadline moves
// (an anstånd re-plans the case) while its reminder waits: the old
// reminder is cancelled, and the new date gets its own (Easter between).
func TestAReminderOfAMovedDeadlineIsCancelled(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	e.meeting("KSAU", "2024-03-27")
	e.meeting("KS", "2024-04-08")
	e.meeting("KSAU", "2024-04-24")
	e.meeting("KS", "2024-05-06")
	c := e.register("kommunstyrelsen")
	e.queue("2024-02-28", 1)
	c = e.advance(c, "tilldela")
	if _, err := e.fire(e.reload(c), workflow.RoleHandlaggare, "begar_anstand", `{"new_deadline":"2024-05-15","granted_by":"Fi"}`); err != nil {
		t.Fatal(err)
	}
	m := &mailbox{}
	if got := e.deliver(m); got.Cancelled != 1 || got.Sent != 1 {
		t.Errorf("delivered %+v, want the old reminder cancelled and the tilldelad mail sent", got)
	}
	m.take()
	e.queue("2024-03-26", 1)
	e.deliver(m)
	items := m.take()
	if len(items) != 1 || items[0].Payload["due"] != "2024-04-03" || items[0].Payload["when"] != "om 4 arbetsdagar" {
		t.Errorf("after the anstånd: %+v, want a reminder of the nämnder's new date 3 April", items)
	}
}

// TestDeliveryRetriesAndGivesUp: a temporary failure is retried after the
// backoff, not before; a permanent one is failed at once with the
// server's answer; a message that never goes through is given up after
// the last attempt. On both databases.
func TestDeliveryRetriesAndGivesUp(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, b.Open(t))
			c := e.advance(e.register("kommunstyrelsen"), "tilldela") // one tilldelad mail
			calls := 0
			m := &mailbox{fail: func(sending.OutboxItem) error {
				calls++
				if calls == 1 {
					return errors.New("421 4.3.2 try again later")
				}
				return nil
			}}
			if got := e.deliver(m); got.Retried != 1 {
				t.Fatalf("first round %+v, want a retry", got)
			}
			msgs := e.messages(c)
			if msgs[0].Status != sending.OutboxPending || msgs[0].NextAttemptAt == nil || !strings.Contains(msgs[0].LastError, "421") {
				t.Errorf("after a temporary failure: %+v", msgs[0])
			}
			if got := e.deliver(m); got != (sending.DeliveryStats{}) {
				t.Errorf("retried before the backoff: %+v", got)
			}
			e.clock.advance(61 * time.Second)
			if got := e.deliver(m); got.Sent != 1 {
				t.Errorf("after the backoff %+v, want sent", got)
			}
			if msgs := e.messages(c); msgs[0].Status != sending.OutboxSent || msgs[0].Attempts != 2 {
				t.Errorf("after the retry: %+v", msgs[0])
			}

			c = e.advance(e.register("kommunstyrelsen"), "tilldela")
			m.fail = func(sending.OutboxItem) error {
				return fmt.Errorf("%w: 550 5.1.1 mailbox unknown", sending.ErrPermanent)
			}
			if got := e.deliver(m); got.Failed != 1 {
				t.Errorf("permanent failure: %+v", got)
			}
			if msgs := e.messages(c); msgs[0].Status != sending.OutboxFailed || !strings.Contains(msgs[0].LastError, "550 5.1.1 mailbox unknown") {
				t.Errorf("after a permanent failure: %+v", msgs[0])
			}

			c = e.advance(e.register("kommunstyrelsen"), "tilldela")
			m.fail = func(sending.OutboxItem) error { return errors.New("dial tcp: connection refused") }
			for i := 0; i < 20; i++ {
				e.deliver(m)
				e.clock.advance(7 * time.Hour)
			}
			if msgs := e.messages(c); msgs[0].Status != sending.OutboxFailed || msgs[0].Attempts != 12 {
				t.Errorf("never delivered: %+v, want failed after 12 attempts", msgs[0])
			}
		})
	}
}

func (e *env) messages(c workflow.Case) []sending.OutboxEntry {
	e.t.Helper()
	msgs, err := e.svc.Sending.Messages(e.ctx, e.as[workflow.RoleLasare], "huddinge", c.ID)
	e.check(err)
	if len(msgs) == 0 {
		e.t.Fatal("no messages")
	}
	return msgs
}

// TestACrashedSendIsSentAgainOnce: a worker that claimed a message and
// died holds it until its lease runs out; then the next worker sends it
// once more, as the same outbox item (so with the same Message-ID), and
// the dead worker's late outcome changes nothing. On both databases.
func TestACrashedSendIsSentAgainOnce(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			st := b.Open(t)
			e := newEnv(t, st)
			c := e.advance(e.register("kommunstyrelsen"), "tilldela")
			now := e.clock.Now()
			dead, err := st.ClaimOutbox(e.ctx, now, now.Add(sending.OutboxLease), 10)
			e.check(err)
			if len(dead) != 1 {
				t.Fatalf("claimed %d, want 1", len(dead))
			}
			m := &mailbox{}
			if got := e.deliver(m); got.Sent != 0 {
				t.Errorf("a claimed message was sent by another worker: %+v", got)
			}
			e.clock.advance(sending.OutboxLease + time.Second)
			if got := e.deliver(m); got.Sent != 1 {
				t.Errorf("after the lease: %+v", got)
			}
			got := m.take()
			if len(got) != 1 || got[0].ID != dead[0].ID || got[0].Attempt != 2 {
				t.Fatalf("resent %+v, want item %d as attempt 2", got, dead[0].ID)
			}
			e.check(st.FinishOutbox(e.ctx, sending.OutboxResult{ID: dead[0].ID, Attempt: 1, Status: sending.OutboxFailed, Error: "late"}))
			if msgs := e.messages(c); msgs[0].Status != sending.OutboxSent || msgs[0].LastError != "" {
				t.Errorf("the dead worker's outcome overwrote the sent one: %+v", msgs[0])
			}
		})
	}
}

// TestConcurrentWorkersDeliverEachMessageOnce: four workers on one
// database deliver forty messages between them, each exactly once.
func TestConcurrentWorkersDeliverEachMessageOnce(t *testing.T) {
	slow(t)
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, b.Open(t))
			for i := 0; i < 40; i++ {
				e.advance(e.register("kommunstyrelsen"), "tilldela")
			}
			m := &mailbox{}
			var wg sync.WaitGroup
			errs := make(chan error, 4)
			for w := 0; w < 4; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := e.svc.Sending.DeliverOutbox(e.ctx, m)
					errs <- err
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				e.check(err)
			}
			seen := map[int64]int{}
			for _, it := range m.take() {
				seen[it.ID]++
			}
			if len(seen) != 40 {
				t.Errorf("%d distinct messages delivered, want 40", len(seen))
			}
			for id, n := range seen {
				if n != 1 {
					t.Errorf("message %d delivered %d times", id, n)
				}
			}
		})
	}
}
