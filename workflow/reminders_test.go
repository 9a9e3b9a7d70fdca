package workflow_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/yttrande/remiss/internal/calendar"
	"github.com/yttrande/remiss/internal/store/storetest"
	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/planning"
)

// TestReminderOwed: which reminder of a deadline is owed on a given day,
// with the default rules (5 and 1 working days before, 1 after), over
// weekends and Easter 2024 (Good Friday 29 March, Easter Monday 1 April).
func TestReminderOwed(t *testing.T) {
	days := planning.NewWorkdays(calendar.NewSwedish(), stockholm, nil)
	rules := workflow.DefaultReminderRules()
	none := "none"
	for _, tc := range []struct {
		name, due, today string
		want             string // the offset, or none
	}{
		{"six working days before: nothing yet", "2024-03-13", "2024-03-05", none},
		{"five working days before", "2024-03-13", "2024-03-06", "-5"},
		{"still the five-day one the day after", "2024-03-13", "2024-03-07", "-5"},
		{"one working day before", "2024-03-13", "2024-03-12", "-1"},
		{"on the due date the one-day one stands", "2024-03-13", "2024-03-13", "-1"},
		{"the working day after a missed one", "2024-03-13", "2024-03-14", "1"},
		{"a week after: still the one after", "2024-03-13", "2024-03-20", "1"},
		{"due Monday: one working day before is Friday", "2024-03-18", "2024-03-15", "-1"},
		{"due Monday, Saturday: Friday's stands", "2024-03-18", "2024-03-16", "-1"},
		{"due Tuesday after Easter: five before skips the holidays", "2024-04-02", "2024-03-22", "-5"},
		{"the day before that: none", "2024-04-02", "2024-03-21", none},
		{"due Thursday before Good Friday, missed: after is Tuesday", "2024-03-28", "2024-04-01", none},
		{"missed, Tuesday after Easter", "2024-03-28", "2024-04-02", "1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			off, ok := planning.Owed(rules, mustDay(tc.due), days, mustDay(tc.today))
			got := none
			if ok {
				got = fmt.Sprint(off)
			}
			if got != tc.want {
				t.Errorf("due %s, today %s: %s, want %s", tc.due, tc.today, got, tc.want)
			}
		})
	}
	t.Run("no rules, no reminders", func(t *testing.T) {
		if off, ok := planning.Owed(workflow.ReminderRules{}, mustDay("2024-03-13"), days, mustDay("2024-03-13")); ok {
			t.Errorf("owed %d with no rules", off)
		}
	})
	t.Run("on the day", func(t *testing.T) {
		r := workflow.ReminderRules{Before: []int{0, 3}}
		if off, ok := planning.Owed(r, mustDay("2024-03-13"), days, mustDay("2024-03-13")); !ok || off != 0 {
			t.Errorf("on the due date: %d %v, want 0", off, ok)
		}
	})
}

// TestReminderRulesValidate: the reminder lists in PATCH organisation's
// planning are checked, read onto the current rules and stored.
func TestReminderRulesValidate(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	admin := e.as[workflow.RoleAdmin]
	for _, tc := range []struct {
		patch string
		field string // the field with an error; "" for none
		want  string // the stored rules' reminders after the patch, as JSON
	}{
		{`{"reminders":{"before":[10,3,0]}}`, "", `{"before":[10,3,0],"after":[1]}`},
		{`{"reminders":{"after":[]}}`, "", `{"before":[10,3,0],"after":[]}`},
		{`{"reminders":{"before":null}}`, "", `{"before":[],"after":[]}`},
		{`{"reminders":{"before":[5,1],"after":[1]}}`, "", `{"before":[5,1],"after":[1]}`},
		{`{"reminders":{"before":[-1]}}`, "planning.reminders.before", ""},
		{`{"reminders":{"before":[61]}}`, "planning.reminders.before", ""},
		{`{"reminders":{"after":[0]}}`, "planning.reminders.after", ""},
		{`{"reminders":{"before":[2,2]}}`, "planning.reminders.before", ""},
		{`{"reminders":{"before":[1,2,3,4,5,6]}}`, "planning.reminders.before", ""},
	} {
		_, err := e.svc.Accounts.UpdateOrganization(e.ctx, admin, "huddinge", workflow.OrganizationSettings{Planning: json.RawMessage(tc.patch)})
		if tc.field != "" {
			if !hasField(err, tc.field) {
				t.Errorf("%s: error %v, want one on %s", tc.patch, err, tc.field)
			}
			continue
		}
		e.check(err)
		org, err := e.svc.Accounts.Organization(e.ctx, admin, "huddinge")
		e.check(err)
		if b, _ := json.Marshal(org.Planning.Reminders); string(b) != tc.want {
			t.Errorf("%s: stored reminders %s, want %s", tc.patch, b, tc.want)
		}
	}
	if d := workflow.DefaultReminderRules(); len(d.Before) != 2 || d.Before[0] != 5 {
		t.Errorf("a patch changed the defaults: %v", d)
	}

	// Reminders do not change plans: the stored ones stay as computed;
	// a lead time does.
	e.register("kommunstyrelsen")
	computed := func() time.Time {
		page, err := e.svc.Planning.Deadlines(e.ctx, admin, "huddinge", workflow.DeadlineQuery{Limit: "1"})
		e.check(err)
		return page.Items[0].ComputedAt
	}
	at := computed()
	e.clock.set("2024-02-01")
	e.must(e.svc.Accounts.UpdateOrganization(e.ctx, admin, "huddinge", workflow.OrganizationSettings{Planning: json.RawMessage(`{"reminders":{"before":[2]}}`)}))
	if computed() != at {
		t.Error("a change of reminders re-planned the cases")
	}
	e.must(e.svc.Accounts.UpdateOrganization(e.ctx, admin, "huddinge", workflow.OrganizationSettings{Planning: json.RawMessage(`{"cutoff_days":9}`)}))
	if computed() == at {
		t.Error("a change of a lead time did not re-plan the cases")
	}
}

// FuzzReminderOwed: whatever the rules and the days, an owed reminder is
// one of the configured offsets, its day has come, a reminder before the
// due date is never owed after it, and no other configured reminder whose
// day has come is later.
func FuzzReminderOwed(f *testing.F) {
	f.Add(uint16(70), uint16(65), uint8(5), uint8(1), uint8(1))
	f.Add(uint16(88), uint16(91), uint8(0), uint8(3), uint8(2))
	days := planning.NewWorkdays(calendar.NewSwedish(), stockholm, nil)
	start := mustDay("2024-01-01")
	f.Fuzz(func(t *testing.T, dueN, todayN uint16, b1, b2, a1 uint8) {
		due, today := start.AddDays(int(dueN%730)), start.AddDays(int(todayN%730))
		rules := workflow.ReminderRules{Before: []int{int(b1 % 61), int(b2 % 61)}, After: []int{int(a1%60) + 1}}
		off, ok := planning.Owed(rules, due, days, today)
		if !ok {
			return
		}
		offsets := []int{-rules.Before[0], -rules.Before[1], rules.After[0]}
		if !slices.Contains(offsets, off) {
			t.Fatalf("owed %d, not one of %v", off, offsets)
		}
		at := days.Add(due, off)
		if at.After(today) || (off <= 0 && today.After(due)) {
			t.Fatalf("due %s today %s: owed %d (day %s)", due, today, off, at)
		}
		for _, o := range offsets {
			if d := days.Add(due, o); d.After(at) && !d.After(today) && (o > 0 || !today.After(due)) {
				t.Fatalf("due %s today %s: owed %d, but %d (day %s) is later", due, today, off, o, d)
			}
		}
	})
}
