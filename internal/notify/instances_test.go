package notify_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/yttrande/remiss/internal/app"
	"github.com/yttrande/remiss/internal/calendar"
	"github.com/yttrande/remiss/internal/notify"
	"github.com/yttrande/remiss/internal/smtptest"
	"github.com/yttrande/remiss/internal/store"
	"github.com/yttrande/remiss/internal/store/storetest"
	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/diarium"
)

// dayClock is the shared time of the instances: ten in the morning of the
// day set.
type dayClock struct{ t atomic.Pointer[time.Time] }

func (c *dayClock) Now() time.Time { return *c.t.Load() }

func (c *dayClock) set(t *testing.T, day string) {
	d, err := time.ParseInLocation("2006-01-02 15:04", day+" 10:00", stockholm(t))
	if err != nil {
		t.Fatal(err)
	}
	c.t.Store(&d)
}

func stockholm(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// instance is one server process: its own connections to the database,
// its own service and its own mailer.
type instance struct {
	svc    *app.App
	mailer *notify.Mailer
}

func newInstance(t *testing.T, dbURL string, clock workflow.Clock, srv *smtptest.Server) instance {
	t.Helper()
	st, err := store.Open(t.Context(), dbURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc, err := app.New(app.Config{Store: st, Clock: clock, Location: stockholm(t), Calendar: calendar.NewSwedish()})
	if err != nil {
		t.Fatal(err)
	}
	return instance{svc: svc, mailer: smtpMailer(t, srv, srv.URL(), true)}
}

// round is what the job runner does on each tick: queue, then deliver.
func (in instance) round(ctx context.Context) error {
	if _, err := in.svc.Planning.QueueReminders(ctx); err != nil {
		return err
	}
	_, err := in.svc.Sending.DeliverOutbox(ctx, in.mailer)
	return err
}

// TestTwoInstancesSendEachReminderOnce: two server instances on one
// PostgreSQL database run their jobs at the same moments, twice a day,
// over the days a plan's reminders fall on, and one of them is restarted
// half-way; a real SMTP server (STARTTLS, AUTH) receives every reminder
// exactly once, on its day.
func TestTwoInstancesSendEachReminderOnce(t *testing.T) {
	srv := smtptest.Start(t, smtptest.RequireAuth(user, password))
	dbURL := storetest.PostgresURL(t)
	clock := &dayClock{}
	clock.set(t, "2024-01-29")
	a, b := newInstance(t, dbURL, clock, srv), newInstance(t, dbURL, clock, srv)
	const cases = 5
	seed(t, a.svc, cases)
	ctx := t.Context()

	// The plan of each case: nämnder 6 March, stopptid 13 March, KSAU 27
	// March; reminders 5 and 1 working days before and 1 after.
	perDay := []struct {
		day  string
		want int // reminders per case
	}{
		{"2024-02-27", 0}, {"2024-02-28", 1}, {"2024-02-29", 0}, {"2024-03-05", 1}, {"2024-03-06", 1},
		{"2024-03-07", 1}, {"2024-03-08", 0}, {"2024-03-12", 1}, {"2024-03-14", 1},
	}
	seen := 0
	for i, d := range perDay {
		clock.set(t, d.day)
		if i == 4 {
			b = newInstance(t, dbURL, clock, srv) // a restart: nothing is remembered in memory
		}
		for range 2 {
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for j, in := range []instance{a, b} {
				wg.Go(func() { errs[j] = in.round(ctx) })
			}
			wg.Wait()
			for _, err := range errs {
				if err != nil {
					t.Fatalf("%s: %v", d.day, err)
				}
			}
		}
		got := reminderMails(srv.Messages())
		if n := len(got) - seen; n != d.want*cases {
			t.Errorf("%s: %d reminders arrived, want %d", d.day, n, d.want*cases)
		}
		seen = len(got)
	}

	all := srv.Messages()
	ids := map[string]int{}
	for _, m := range all {
		ids[m.Header.Get("Message-Id")]++
	}
	for id, n := range ids {
		if n != 1 {
			t.Errorf("%s arrived %d times", id, n)
		}
	}
	if len(all) != cases*7 { // six reminders and the assignment notice per case
		t.Errorf("%d messages in all, want %d", len(all), cases*7)
	}
	texts := map[string]int{} // the same reminder sent twice would have two Message-IDs but one text
	for _, m := range reminderMails(all) {
		body, err := m.Text()
		if err != nil {
			t.Fatal(err)
		}
		texts[m.To[0]+" "+m.Subject()+"\n"+body]++
	}
	for s, n := range texts {
		if n != 1 {
			t.Errorf("arrived %d times:\n%s", n, s)
		}
	}
}

// reminderMails are the messages whose subject marks a reminder.
func reminderMails(ms []smtptest.Message) []smtptest.Message {
	return slices.DeleteFunc(slices.Clone(ms), func(m smtptest.Message) bool {
		s := m.Subject()
		return !strings.HasPrefix(s, "Påminnelse") && !strings.HasPrefix(s, "Försenad")
	})
}

// seed makes Huddinge with its KS and KSAU meetings in the spring of 2024
// and n remisser, each assigned to its own handläggare.
func seed(t *testing.T, svc *app.App, n int) {
	t.Helper()
	ctx, sys := t.Context(), workflow.SystemActor()
	check := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	check(svc.Accounts.CreateOrganization(ctx, sys, diarium.NewOrganization{Slug: "huddinge", Name: "Huddinge kommun"}))
	check(svc.Accounts.CreateUser(ctx, sys, "huddinge", diarium.NewUser{Email: "registrator@huddinge.example", Name: "Rut Registrator", Roles: []string{"registrator"}}))
	check(svc.Diarium.CreateBody(ctx, sys, "huddinge", workflow.NewBody{Code: "KS", Name: "Kommunstyrelsen", Kind: "styrelse"}))
	check(svc.Diarium.CreateBody(ctx, sys, "huddinge", workflow.NewBody{Code: "KSAU", Name: "Kommunstyrelsens arbetsutskott", Kind: "utskott", Parent: "KS"}))
	next := int64(76)
	check(svc.Diarium.CreateSeries(ctx, sys, "huddinge", diarium.NewSeries{Code: "KS", Format: "KS-{YYYY}/{N}.{CLASS}", NextNumber: &next}))
	check(svc.Meetings.CreateMeeting(ctx, sys, "huddinge", "KSAU", workflow.NewMeeting{Date: "2024-03-27", Time: "08:30"}))
	check(svc.Meetings.CreateMeeting(ctx, sys, "huddinge", "KS", workflow.NewMeeting{Date: "2024-04-08", Time: "13:00"}))
	for i := range n {
		email := "handlaggare" + string(rune('a'+i)) + "@huddinge.example"
		check(svc.Accounts.CreateUser(ctx, sys, "huddinge", diarium.NewUser{Email: email, Name: "Handläggare " + string(rune('A'+i)), Roles: []string{"handlaggare"}}))
		c, err := svc.Diarium.RegisterCase(ctx, sys, "huddinge", diarium.Registration{
			Series: "KS", Classification: "109", Title: "Förändring genom försök", Workflow: "kommunstyrelsen",
			Remiss: diarium.RemissInput{Sender: "Finansdepartementet", SenderDnr: "Fi2023/04321", Reference: "SOU 2023:94", Received: "2024-01-26", Deadline: "2024-04-15"},
		})
		check(c, err)
		check(svc.Fire(ctx, sys, "huddinge", c.ID, workflow.FireRequest{Event: "tilldela", Version: c.Version, Data: []byte(`{"handlaggare":"` + email + `"}`)}, ""))
	}
}
