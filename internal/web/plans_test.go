package web_test

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/planning"
	"github.com/yttrande/remiss/workflow/sending"
)

// TestPlanAndDeadlinesThroughTheAPI: the sammanträdesplan imported as
// CSV plans a registered remiss; the overview lists its steps; the
// organisation's own days and rules move them; each answer matches the
// OpenAPI document.
func TestPlanAndDeadlinesThroughTheAPI(t *testing.T) {
	eachBackend(t, func(t *testing.T, a *api) {
		o := a.bootstrap("huddinge")
		base := "/api/v1/organizations/huddinge"
		for code, plan := range map[string]string{
			"KSAU": "datum;tid\n2024-02-28;08:30\n2024-03-27;08:30\n2024-04-24;08:30\n",
			"KS":   "datum;tid\n2024-03-11;13:00\n2024-04-08;13:00\n2024-05-06;13:00\n",
		} {
			resp := a.do("POST", base+"/bodies/"+code+"/meetings/import", o.admin, []byte(plan), "text/csv")
			if resp.StatusCode != 200 {
				t.Fatalf("import %s: %d", code, resp.StatusCode)
			}
			resp.Body.Close()
		}
		c := a.register(o, registration())
		var p planning.Plan
		a.call("GET", fmt.Sprintf("%s/cases/%d/plan", base, c.ID), o.lasare, nil, 200, &p)
		if got := stepsOf(p); got != "namnd_svar 2024-03-06, stopptid 2024-03-13, arbetsutskott 2024-03-27, kommunstyrelse 2024-04-08, justering 2024-04-12, expediering 2024-04-15" {
			t.Errorf("plan: %s", got)
		}
		var page workflow.DeadlinePage
		a.call("GET", base+"/deadlines?from=2024-04-01&to=2024-04-30&limit=2", o.lasare, nil, 200, &page)
		if len(page.Items) != 2 || page.Items[0].Kind != "kommunstyrelse" || page.Items[0].Dnr != c.Dnr || page.NextCursor == "" {
			t.Fatalf("first page: %+v", page)
		}
		var next workflow.DeadlinePage // a fresh one: decoding into page would keep what the answer omits
		a.call("GET", base+"/deadlines?from=2024-04-01&to=2024-04-30&limit=2&cursor="+page.NextCursor, o.lasare, nil, 200, &next)
		if len(next.Items) != 1 || next.Items[0].Kind != "expediering" || next.NextCursor != "" {
			t.Fatalf("second page: %+v", next)
		}

		a.call("PUT", base+"/days", o.admin, map[string]any{"days": []map[string]string{{"date": "2024-04-15", "kind": "stangd", "name": "Klämdag"}}}, 200, nil)
		a.call("PATCH", base, o.admin, map[string]any{"planning": map[string]int{"expediering_days": 0, "justering_days": 1}}, 200, nil)
		var replanned planning.Plan
		a.call("GET", fmt.Sprintf("%s/cases/%d/plan", base, c.ID), o.lasare, nil, 200, &replanned)
		if got := stepsOf(replanned); !strings.Contains(got, "justering 2024-04-12, expediering 2024-04-12") {
			t.Errorf("with 15 April closed and the rules changed: %s", got)
		}
		var days struct{ Days []planning.ClosedDay }
		a.call("GET", base+"/days", o.lasare, nil, 200, &days)
		if len(days.Days) != 1 || days.Days[0].Name != "Klämdag" {
			t.Errorf("days: %+v", days)
		}

		a.call("PUT", base+"/days", o.lasare, map[string]any{"days": []any{}}, 403, nil)
		a.call("PUT", base+"/days", o.admin, map[string]any{"days": []map[string]string{{"date": "2024-04-31", "kind": "stangd"}}}, 400, nil)
		a.call("PATCH", base, o.admin, map[string]any{"planning": map[string]int{"risk_days": 99}}, 422, nil)
		a.call("GET", base+"/deadlines?from=igår&mine=kanske", o.lasare, nil, 422, nil)
		a.call("GET", base+"/cases/999999/plan", o.lasare, nil, 404, nil)
	})
}

// TestAPlanWithoutAMeetingProposesAlternatives: a reply date two weeks
// away with no KS meeting before it.
func TestAPlanWithoutAMeetingProposesAlternatives(t *testing.T) {
	eachBackend(t, func(t *testing.T, a *api) {
		o := a.bootstrap("huddinge")
		r := registration()
		r["remiss"].(map[string]any)["deadline"] = "2024-02-09"
		c := a.register(o, r)
		var p planning.Plan
		a.call("GET", fmt.Sprintf("/api/v1/organizations/huddinge/cases/%d/plan", c.ID), o.lasare, nil, 200, &p)
		if p.Status != workflow.PlanOmojlig || len(p.Problems) == 0 || len(p.Alternatives) < 2 || p.Alternatives[0].Kind != "ordforandebeslut" {
			t.Errorf("plan %s, problems %q, alternatives %+v", p.Status, p.Problems, p.Alternatives)
		}
	})
}

func stepsOf(p planning.Plan) string {
	var out []string
	for _, s := range p.Steps {
		out = append(out, s.Kind+" "+s.Date.String())
	}
	return strings.Join(out, ", ")
}

// TestCalendarFeeds: a user's feed link shows the deadlines of the cases
// they handle and a body's meetings; a new link revokes the old one.
func TestCalendarFeeds(t *testing.T) {
	eachBackend(t, func(t *testing.T, a *api) {
		o := a.bootstrap("huddinge")
		base := "/api/v1/organizations/huddinge"
		a.call("POST", base+"/bodies/KS/meetings", o.admin, map[string]string{"date": "2024-04-08", "time": "13:00", "location": "Sessionssalen"}, 201, nil)
		c := a.register(o, registration())
		a.call("POST", fmt.Sprintf("%s/cases/%d/events", base, c.ID), o.registrator,
			map[string]any{"event": "tilldela", "version": c.Version, "data": map[string]string{"handlaggare": "handlaggare@huddinge.example"}}, 200, nil)
		var link planning.FeedLink
		a.call("POST", base+"/feed-token", o.handlaggare, nil, 201, &link)
		mine := a.text(link.Mine)
		for _, want := range []string{"BEGIN:VCALENDAR", "SUMMARY:" + c.Dnr + ": Kommunstyrelsens beslut", "DTSTART;VALUE=DATE:20240408", "UID:case-"} {
			if !strings.Contains(mine, want) {
				t.Errorf("my feed lacks %q:\n%s", want, mine)
			}
		}
		ks := a.text(strings.Replace(link.Bodies, "{code}", "KS", 1))
		for _, want := range []string{"SUMMARY:Sammanträde Kommunstyrelsen", "DTSTART:20240408T110000Z", "LOCATION:Sessionssalen"} {
			if !strings.Contains(ks, want) {
				t.Errorf("the KS feed lacks %q:\n%s", want, ks)
			}
		}
		var renewed planning.FeedLink
		a.call("POST", base+"/feed-token", o.handlaggare, nil, 201, &renewed)
		a.call("GET", link.Mine, "", nil, 404, nil)
		a.call("GET", "/api/v1/feeds/gissat/mine.ics", "", nil, 404, nil)
		a.call("POST", base+"/feed-token", systemToken, nil, 403, nil)
	})
}

// text GETs path without a bearer token and returns the body of a 200.
func (a *api) text(path string) string {
	a.t.Helper()
	resp := a.do("GET", path, "", nil, "")
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/calendar") {
		a.t.Fatalf("GET %s: %d %s %v\n%s", path, resp.StatusCode, resp.Header.Get("Content-Type"), err, b)
	}
	return string(b)
}

// TestCaseMessagesThroughTheAPI: assigning a case queues its notice,
// which the case lists as pending until the outbox worker sends it; the
// reminder rules are part of the organisation's planning and checked.
func TestCaseMessagesThroughTheAPI(t *testing.T) {
	eachBackend(t, func(t *testing.T, a *api) {
		o := a.bootstrap("huddinge")
		base := "/api/v1/organizations/huddinge"
		c := a.register(o, registration())
		a.call("POST", fmt.Sprintf("%s/cases/%d/events", base, c.ID), o.registrator,
			map[string]any{"event": "tilldela", "version": c.Version, "data": map[string]string{"handlaggare": "handlaggare@huddinge.example"}}, 200, nil)
		var msgs struct{ Items []sending.OutboxEntry }
		a.call("GET", fmt.Sprintf("%s/cases/%d/messages", base, c.ID), o.lasare, nil, 200, &msgs)
		if len(msgs.Items) != 1 || msgs.Items[0].Template != "tilldelad" || msgs.Items[0].To != "handlaggare@huddinge.example" ||
			msgs.Items[0].Status != sending.OutboxPending || msgs.Items[0].Attempts != 0 || msgs.Items[0].NextAttemptAt == nil {
			t.Errorf("messages: %+v", msgs.Items)
		}

		var got workflow.Organization
		a.call("PATCH", base, o.admin, map[string]any{"planning": map[string]any{"reminders": map[string]any{"before": []int{3}, "after": []int{}}}}, 200, &got)
		if r := got.Planning.Reminders; len(r.Before) != 1 || r.Before[0] != 3 || r.After == nil || len(r.After) != 0 || got.Planning.CutoffDays != 10 {
			t.Errorf("after the patch: %+v", got.Planning)
		}
		a.call("PATCH", base, o.admin, map[string]any{"planning": map[string]any{"reminders": map[string]any{"before": []int{2, 2}}}}, 422, nil)
		a.call("GET", base+"/cases/999999/messages", o.lasare, nil, 404, nil)
	})
}
