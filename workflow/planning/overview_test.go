package planning

import (
	"strings"
	"testing"

	"github.com/yttrande/remiss/workflow"
)

// TestOverviewOrder: the most urgent step decides a case's colour; red
// (late or unplannable) before amber before green before no plan, then
// by the next step's date, then by the reply date; "mine" keeps the
// caller's cases.
func TestOverviewOrder(t *testing.T) {
	d := func(s string) workflow.Date { v, _ := workflow.ParseDate(s); return v }
	me := &workflow.UserRef{ID: 7}
	cases := []workflow.Case{
		{ID: 1, Dnr: "green-late-reply", Remiss: workflow.Remiss{Deadline: d("2024-06-01")}, Handlaggare: me},
		{ID: 2, Dnr: "none", Remiss: workflow.Remiss{Deadline: d("2024-02-01")}},
		{ID: 3, Dnr: "red", Remiss: workflow.Remiss{Deadline: d("2024-09-01")}, Handlaggare: me},
		{ID: 4, Dnr: "amber", Remiss: workflow.Remiss{Deadline: d("2024-05-01")}},
		{ID: 5, Dnr: "green-early-step", Remiss: workflow.Remiss{Deadline: d("2024-07-01")}},
		{ID: 6, Dnr: "unplannable", Remiss: workflow.Remiss{Deadline: d("2024-08-01")}},
	}
	open := []workflow.Deadline{
		{CaseID: 1, Status: workflow.PlanITid, Due: d("2024-03-10")},
		{CaseID: 3, Status: workflow.PlanITid, Due: d("2024-02-10")}, {CaseID: 3, Status: workflow.PlanSen, Due: d("2024-02-20")},
		{CaseID: 4, Status: workflow.PlanRisk, Due: d("2024-02-05")},
		{CaseID: 5, Status: workflow.PlanITid, Due: d("2024-03-01")},
		{CaseID: 6, Status: workflow.PlanOmojlig, Due: d("2024-04-01")},
	}
	for _, tc := range []struct {
		mine bool
		want string
	}{
		{false, "unplannable red amber green-early-step green-late-reply none"},
		{true, "red green-late-reply"},
	} {
		rows := overviewRows(cases, open, tc.mine, 7)
		sortRows(rows)
		var got []string
		for _, r := range rows {
			got = append(got, r.Case.Dnr)
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("mine=%v: %s, want %s", tc.mine, strings.Join(got, " "), tc.want)
		}
		if tc.mine && (rows[0].Urgency() != "red" || rows[0].Next.Due != d("2024-02-10")) {
			t.Errorf("the red case: %s, next %v", rows[0].Urgency(), rows[0].Next)
		}
	}
}
