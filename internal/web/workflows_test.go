package web_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/yttrande/remiss/internal/store/storetest"
	"github.com/yttrande/remiss/workflow"
)

func TestFireEventOverHTTP(t *testing.T) {
	a := newAPI(t, storetest.SQLite(t))
	o := a.bootstrap("huddinge")
	c := a.register(o, registration())
	url := fmt.Sprintf("/api/v1/organizations/huddinge/cases/%d/events", c.ID)
	body := map[string]any{"event": "tilldela", "version": c.Version, "data": map[string]string{"handlaggare": "handlaggare@huddinge.example"}}

	send := func(key string) *http.Response {
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest("POST", a.base+url, strings.NewReader(string(b)))
		req.Header.Set("Authorization", "Bearer "+o.registrator)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", key)
		resp, err := a.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	first, again := send("4f1c2a"), send("4f1c2a")
	b1, _ := io.ReadAll(first.Body)
	b2, _ := io.ReadAll(again.Body)
	if first.StatusCode != 200 || again.StatusCode != 200 || string(b1) != string(b2) {
		t.Errorf("retry with the same key: %d %d\n%s\n%s", first.StatusCode, again.StatusCode, b1, b2)
	}
	p := wantProblem(t, send("another-key"), 409)
	if !strings.Contains(p.Detail, "Test registrator") {
		t.Errorf("409 does not say who changed the case: %s", p.Detail)
	}
	wantProblem(t, a.do("POST", url, o.lasare, body, ""), 403)
	body["version"] = c.Version + 1
	body["event"] = "au_beslut"
	wantProblem(t, a.do("POST", url, o.sekreterare, body, ""), 422)

	var got workflow.Case
	a.call("GET", fmt.Sprintf("/api/v1/organizations/huddinge/cases/%d", c.ID), o.handlaggare, nil, 200, &got)
	var names []string
	for _, e := range got.AvailableEvents {
		names = append(names, e.Name)
	}
	if got.Handlaggare == nil || !strings.Contains(strings.Join(names, " "), "begar_yttranden") {
		t.Errorf("case after tilldela: handläggare %+v, events %v", got.Handlaggare, names)
	}
}

func TestWorkflowsAPI(t *testing.T) {
	a := newAPI(t, storetest.SQLite(t))
	o := a.bootstrap("huddinge")
	base := "/api/v1/organizations/huddinge/workflows"
	var list struct{ Items []workflow.Summary }
	a.call("GET", base, o.lasare, nil, 200, &list)
	if len(list.Items) != 4 || list.Items[1].Name != "kommunstyrelsen" {
		t.Fatalf("workflows %+v", list.Items)
	}
	var def workflow.Definition
	a.call("GET", base+"/kommunstyrelsen", o.lasare, nil, 200, &def)
	if def.Version != 3 || def.Custom || len(def.Events) != 17 {
		t.Errorf("kommunstyrelsen: v%d custom %v, %d events", def.Version, def.Custom, len(def.Events))
	}
	wantProblem(t, a.do("GET", base+"/finns-inte", o.lasare, nil, ""), 404)

	old := a.register(o, registration()) // started on shipped version 3
	// An organisation's own version: kommunstyrelsen where handläggare may also assign.
	custom := def
	custom.Events[0].Roles = append(custom.Events[0].Roles, workflow.RoleHandlaggare)
	wantProblem(t, a.do("PUT", base+"/kommunstyrelsen", o.handlaggare, custom, ""), 403)
	var saved workflow.Definition
	a.call("PUT", base+"/kommunstyrelsen", o.admin, custom, 201, &saved)
	if saved.Version != 4 || !saved.Custom {
		t.Errorf("saved v%d custom %v", saved.Version, saved.Custom)
	}
	broken := custom
	broken.Events = append([]workflow.Event{{Name: "hoppa", Title: "Hoppa", From: []string{"avslutad"}, To: "nowhere", Roles: []workflow.Role{"kung"}}}, custom.Events...)
	wantProblem(t, a.do("PUT", base+"/kommunstyrelsen", o.admin, []byte(`{"name":`), "application/json"), 400)
	wantProblem(t, a.do("PUT", base+"/kommunstyrelsen", o.admin, []byte(`name=x`), "application/x-www-form-urlencoded"), 415)
	p := wantProblem(t, a.do("PUT", base+"/kommunstyrelsen", o.admin, broken, ""), 422)
	if len(p.Errors) < 3 {
		t.Errorf("a definition with three faults: %+v", p.Errors)
	}

	r := registration()
	r["workflow"] = "kommunstyrelsen"
	// Cases registered from now on start on version 4; the one before keeps version 3.
	var fresh workflow.Case
	a.call("POST", "/api/v1/organizations/huddinge/cases", o.registrator, r, 201, &fresh)
	var oldCase workflow.Case
	a.call("GET", fmt.Sprintf("/api/v1/organizations/huddinge/cases/%d", old.ID), o.lasare, nil, 200, &oldCase)
	if fresh.Workflow.Version != 4 || oldCase.Workflow.Version != 3 {
		t.Errorf("new case pinned to v%d (want 4), old case to v%d (want 3)", fresh.Workflow.Version, oldCase.Workflow.Version)
	}
	body := map[string]any{"event": "tilldela", "version": fresh.Version, "data": map[string]string{"handlaggare": "handlaggare@huddinge.example"}}
	a.call("POST", fmt.Sprintf("/api/v1/organizations/huddinge/cases/%d/events", fresh.ID), o.handlaggare, body, 200, nil)
	body["version"] = old.Version
	wantProblem(t, a.do("POST", fmt.Sprintf("/api/v1/organizations/huddinge/cases/%d/events", old.ID), o.handlaggare, body, ""), 403)
}

func TestWorkflowGraphs(t *testing.T) {
	a := newAPI(t, storetest.SQLite(t))
	o := a.bootstrap("huddinge")
	c := a.register(o, registration())
	base := "/api/v1/organizations/huddinge/workflows/kommunstyrelsen/graph"
	for _, tc := range []struct{ query, contentType, want string }{
		{"", "image/svg+xml", "<svg"},
		{"?format=svg&case=" + fmt.Sprint(c.ID), "image/svg+xml", "Ärendet är nu i tillståndet Registrerad"},
		{"?format=dot", "text/vnd.graphviz; charset=utf-8", `digraph "kommunstyrelsen"`},
		{"?format=mermaid&case=" + fmt.Sprint(c.ID), "text/plain; charset=utf-8", "class registrerad current"},
	} {
		resp := a.do("GET", base+tc.query, o.lasare, nil, "")
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != tc.contentType || !strings.Contains(string(b), tc.want) {
			t.Errorf("%s: %d %s, body lacks %q", tc.query, resp.StatusCode, resp.Header.Get("Content-Type"), tc.want)
		}
	}
	wantProblem(t, a.do("GET", base+"?format=png", o.lasare, nil, ""), 422)
	wantProblem(t, a.do("GET", base+"?case=abc", o.lasare, nil, ""), 422)
	wantProblem(t, a.do("GET", "/api/v1/organizations/huddinge/workflows/namnd/graph?case="+fmt.Sprint(c.ID), o.lasare, nil, ""), 422)
}
