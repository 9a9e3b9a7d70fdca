package workflow_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/yttrande/remiss/internal/store/storetest"
	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/diarium"
	"github.com/yttrande/remiss/workflow/planning"
)

// overview is the deadline overview as "kind date status" lines.
func (e *env) overview(q workflow.DeadlineQuery) []string {
	e.t.Helper()
	page, err := e.svc.Planning.Deadlines(e.ctx, e.as[workflow.RoleLasare], "huddinge", q)
	e.check(err)
	var out []string
	for _, d := range page.Items {
		out = append(out, d.Kind+" "+d.Body+" "+d.Due.String()+" "+string(d.Status))
	}
	return out
}

func contains(lines []string, want string) bool {
	for _, l := range lines {
		if l == want {
			return true
		}
	}
	return false
}

// TestPlansAreStoredAndFollowChanges: registering plans the case; the
// overview lists its steps by date; an intern remiss without dates gets
// the plan's; a moved meeting, an anstånd and the municipality's own
// closed day each re-plan it. On both databases.
func TestPlansAreStoredAndFollowChanges(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, b.Open(t))
			e.meeting("KSAU", "2024-03-27")
			ks := e.meeting("KS", "2024-04-08")
			e.meeting("KS", "2024-03-11")
			e.meeting("SN", "2024-02-27")
			c := e.register("kommunstyrelsen")

			p, err := e.svc.Planning.Plan(e.ctx, e.as[workflow.RoleLasare], "huddinge", c.ID)
			e.check(err)
			if p.Status != workflow.PlanITid || p.NamndDeadline.String() != "2024-03-06" {
				t.Fatalf("plan %s, nämnder by %s: %+v", p.Status, p.NamndDeadline, p.Steps)
			}
			got := e.overview(workflow.DeadlineQuery{})
			want := []string{
				"namnd_svar  2024-03-06 i_tid", "stopptid  2024-03-13 i_tid", "arbetsutskott KSAU 2024-03-27 i_tid",
				"kommunstyrelse KS 2024-04-08 i_tid", "justering  2024-04-12 i_tid", "expediering  2024-04-15 i_tid",
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("overview:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}

			c, err = e.fire(c, workflow.RoleRegistrator, "tilldela", sampleData["tilldela"])
			e.check(err)
			c, err = e.fire(c, workflow.RoleHandlaggare, "begar_yttranden", `{"consultations":[{"body":"SN"}]}`)
			e.check(err)
			if c.Consultations[0].Deadline.String() != "2024-03-06" {
				t.Errorf("the intern remiss got %s, want the plan's 2024-03-06", c.Consultations[0].Deadline)
			}
			if got := e.overview(workflow.DeadlineQuery{Body: "SN"}); !contains(got, "namnd_svar SN 2024-03-06 i_tid") {
				t.Errorf("SN's deadline is not in the overview: %v", got)
			}

			e.must(e.svc.Meetings.MoveMeeting(e.ctx, e.as[workflow.RoleSekreterare], "huddinge", ks, workflow.MeetingChange{Version: 1, Date: "2024-04-10", Reason: "KF"}))
			if got := e.overview(workflow.DeadlineQuery{}); !contains(got, "kommunstyrelse KS 2024-04-10 i_tid") {
				t.Errorf("after moving KS to 10 April: %v", got)
			}

			c, err = e.fire(e.reload(c), workflow.RoleHandlaggare, "begar_anstand", `{"new_deadline":"2024-05-31","granted_by":"Fi"}`)
			e.check(err)
			e.meeting("KSAU", "2024-05-15")
			e.meeting("KS", "2024-05-27")
			p, err = e.svc.Planning.Plan(e.ctx, e.as[workflow.RoleLasare], "huddinge", c.ID)
			e.check(err)
			if ksStep := step(p, planning.StepStyrelse); ksStep.Date.String() != "2024-05-27" {
				t.Errorf("after the anstånd KS is %s, want 2024-05-27", ksStep.Date)
			}

			sys := workflow.SystemActor()
			if _, err := e.svc.Planning.SetClosedDays(e.ctx, sys, "huddinge", []planning.ClosedDay{{Date: mustDay("2024-05-31"), Kind: planning.DayStangd, Name: "Klämdag"}}); err != nil {
				t.Fatal(err)
			}
			if got := e.overview(workflow.DeadlineQuery{From: "2024-05-01"}); !contains(got, "expediering  2024-05-30 i_tid") {
				t.Errorf("with 31 May closed, sending moves to the 30th: %v", got)
			}
		})
	}
}

func step(p planning.Plan, kind string) planning.PlanStep {
	for _, s := range p.Steps {
		if s.Kind == kind {
			return s
		}
	}
	return planning.PlanStep{}
}

// TestPlanningRulesAndOwnDaysAreValidated: bad lead times and days are
// refused with the field named; a partial change keeps the other rules.
func TestPlanningRulesAndOwnDaysAreValidated(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	sys := workflow.SystemActor()
	_, err := e.svc.Accounts.UpdateOrganization(e.ctx, sys, "huddinge", workflow.OrganizationSettings{Planning: json.RawMessage(`{"cutoff_days": -1, "move": {"svar": "sideways"}}`)})
	for _, want := range []string{"planning.cutoff_days", "planning.move.svar"} {
		if !hasField(err, want) {
			t.Errorf("bad rules: %v lacks %s", err, want)
		}
	}
	if _, err := e.svc.Accounts.UpdateOrganization(e.ctx, sys, "huddinge", workflow.OrganizationSettings{Planning: json.RawMessage(`{"cutofdays": 3}`)}); workflow.ErrorCode(err) != workflow.CodeInvalid {
		t.Errorf("an unknown rule: %v", err)
	}
	org, err := e.svc.Accounts.UpdateOrganization(e.ctx, sys, "huddinge", workflow.OrganizationSettings{Planning: json.RawMessage(`{"cutoff_days": 7}`)})
	e.check(err)
	if org.Planning.CutoffDays != 7 || org.Planning.NamndDays != 5 {
		t.Errorf("a partial change: %+v", org.Planning)
	}
	if org, err = e.svc.Accounts.Organization(e.ctx, sys, "huddinge"); err != nil || org.Planning.CutoffDays != 7 {
		t.Errorf("the rules were not stored: %+v %v", org.Planning, err)
	}
	_, err = e.svc.Planning.SetClosedDays(e.ctx, sys, "huddinge", []planning.ClosedDay{
		{Date: mustDay("2024-05-10"), Kind: "ledig"}, {Date: mustDay("2024-05-10"), Kind: planning.DayStangd}, {Kind: planning.DayHalvdag},
	})
	for _, want := range []string{"days[0].kind", "days[1].date", "days[2].date"} {
		if !hasField(err, want) {
			t.Errorf("bad days: %v lacks %s", err, want)
		}
	}
	if _, err := e.svc.Planning.SetClosedDays(e.ctx, e.as[workflow.RoleHandlaggare], "huddinge", nil); workflow.ErrorCode(err) != workflow.CodeForbidden {
		t.Errorf("a handläggare set the closed days: %v", err)
	}
	if _, err := e.svc.Planning.Deadlines(e.ctx, sys, "huddinge", workflow.DeadlineQuery{From: "2024-13-01", To: "x", Limit: "0"}); !hasField(err, "from") || !hasField(err, "limit") {
		t.Errorf("bad overview query: %v", err)
	}
}

func hasField(err error, field string) bool {
	var e *workflow.Error
	if !errors.As(err, &e) {
		return false
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// TestAnInternRemissWithoutADateNeedsAPlanThatGivesOne: when the plan's
// date for the nämnder has already passed, a nämnd without a date is
// refused with the field named, and nothing is written.
func TestAnInternRemissWithoutADateNeedsAPlanThatGivesOne(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	c, err := e.svc.Diarium.RegisterCase(e.ctx, e.as[workflow.RoleRegistrator], "huddinge", diarium.Registration{
		Series: "KS", Classification: "109", Title: "Brådskande remiss",
		Remiss: diarium.RemissInput{Sender: "Finansdepartementet", SenderDnr: "Fi2024/00100", Reference: "Ds 2024:1", Received: "2024-01-26", Deadline: "2024-02-09"},
	})
	e.check(err)
	c, err = e.fire(c, workflow.RoleRegistrator, "tilldela", sampleData["tilldela"])
	e.check(err)
	_, err = e.fire(c, workflow.RoleHandlaggare, "begar_yttranden", `{"consultations":[{"body":"SN"}]}`)
	if !hasField(err, "data.consultations[0].deadline") {
		t.Fatalf("got %v", err)
	}
	if got := e.reload(c); got.Version != c.Version || len(got.Consultations) != 0 {
		t.Errorf("the refused intern remiss changed the case: version %d, %d consultations", got.Version, len(got.Consultations))
	}
}
