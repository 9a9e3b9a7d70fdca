package workflow

import (
	"strings"
	"testing"
)

// TestOverviewOrder: the most urgent step decides a case's colour; red
// (late or unplannable) before amber before green before no plan, then
// by the next step's date, then by the reply date; "mine" keeps the
// caller's cases.
func TestOverviewOrder(t *testing.T) {
	d := func(s string) Date { v, _ := ParseDate(s); return v }
	me := &UserRef{ID: 7}
	cases := []Case{
		{ID: 1, Dnr: "green-late-reply", Remiss: Remiss{Deadline: d("2024-06-01")}, Handlaggare: me},
		{ID: 2, Dnr: "none", Remiss: Remiss{Deadline: d("2024-02-01")}},
		{ID: 3, Dnr: "red", Remiss: Remiss{Deadline: d("2024-09-01")}, Handlaggare: me},
		{ID: 4, Dnr: "amber", Remiss: Remiss{Deadline: d("2024-05-01")}},
		{ID: 5, Dnr: "green-early-step", Remiss: Remiss{Deadline: d("2024-07-01")}},
		{ID: 6, Dnr: "unplannable", Remiss: Remiss{Deadline: d("2024-08-01")}},
	}
	open := []Deadline{
		{CaseID: 1, Status: PlanITid, Due: d("2024-03-10")},
		{CaseID: 3, Status: PlanITid, Due: d("2024-02-10")}, {CaseID: 3, Status: PlanSen, Due: d("2024-02-20")},
		{CaseID: 4, Status: PlanRisk, Due: d("2024-02-05")},
		{CaseID: 5, Status: PlanITid, Due: d("2024-03-01")},
		{CaseID: 6, Status: PlanOmojlig, Due: d("2024-04-01")},
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
