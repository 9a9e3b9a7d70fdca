package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/diarium"
)

// TestRegisterHuddingeRemiss takes the fixture's remiss from registration to
// its letter's PDF, through the API only.
func TestRegisterHuddingeRemiss(t *testing.T) {
	eachBackend(t, func(t *testing.T, a *api) {
		o := a.bootstrap("huddinge")
		base := "/api/v1/organizations/huddinge"
		resp := a.do("POST", base+"/cases", o.registrator, registration(), "")
		if resp.StatusCode != 201 {
			b, _ := io.ReadAll(resp.Body)
			t.Fatalf("register: %d %s", resp.StatusCode, b)
		}
		var c caseJSON
		decode(t, resp, &c)
		if c.Dnr != "KS-2024/76.109" || c.State != "registrerad" || c.Version != 1 || len(c.Warnings) != 0 {
			t.Fatalf("registered %+v", c)
		}
		caseURL := fmt.Sprintf("%s/cases/%d", base, c.ID)
		if loc := resp.Header.Get("Location"); loc != caseURL {
			t.Errorf("Location = %q, want %q", loc, caseURL)
		}

		var got caseJSON
		a.call("GET", caseURL, o.lasare, nil, 200, &got)
		if got.Dnr != c.Dnr || got.Remiss.SenderDnr != "Fi2023/04321" || got.Remiss.Deadline != "2024-04-15" {
			t.Errorf("read back %+v", got)
		}
		var docs struct{ Items []workflow.Document }
		a.call("GET", caseURL+"/documents", o.lasare, nil, 200, &docs)
		if len(docs.Items) != 1 || docs.Items[0].Dnr != "KS-2024/76-1" || docs.Items[0].Direction != "inkommande" {
			t.Fatalf("documents %+v", docs.Items)
		}

		put := a.do("PUT", caseURL+"/documents/1/content", o.registrator, pdf, "application/pdf")
		if put.StatusCode != 201 {
			b, _ := io.ReadAll(put.Body)
			t.Fatalf("upload: %d %s", put.StatusCode, b)
		}
		content := a.do("GET", caseURL+"/documents/1/content", o.lasare, nil, "")
		body, _ := io.ReadAll(content.Body)
		if content.StatusCode != 200 || !bytes.Equal(body, pdf) || content.Header.Get("Content-Type") != "application/pdf" ||
			!strings.HasPrefix(content.Header.Get("Content-Disposition"), "attachment") || content.Header.Get("ETag") == "" ||
			content.Header.Get("Last-Modified") == "" {
			t.Errorf("download: %d %v (%d bytes)", content.StatusCode, content.Header, len(body))
		}

		var history []workflow.HistoryEntry
		a.call("GET", caseURL+"/history", o.lasare, nil, 200, &history)
		if len(history) != 1 || history[0].Event != "registrera" || history[0].To != "registrerad" {
			t.Fatalf("history %+v", history)
		}
		if err := workflow.VerifyHistory(c.Dnr, history); err != nil {
			t.Errorf("history from the API does not verify: %v", err)
		}

		var next caseJSON
		a.call("POST", base+"/cases", o.registrator, map[string]any{"series": "KS", "title": "Nästa remiss",
			"remiss": map[string]any{"sender": "Socialdepartementet", "sender_dnr": "S2024/00012", "received": "2024-01-29", "deadline": "2024-05-02"}}, 201, &next)
		if next.Dnr != "KS-2024/77" {
			t.Errorf("next registration got %q, want KS-2024/77 (no classification, no separator)", next.Dnr)
		}
	})
}

func decode(t *testing.T, resp *http.Response, v any) {
	t.Helper()
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
}

// TestBadInputIsAProblemAndWritesNothing sends every kind of bad input the
// issue names and checks the answer and that the database is unchanged.
func TestBadInputIsAProblemAndWritesNothing(t *testing.T) {
	eachBackend(t, func(t *testing.T, a *api) {
		o := a.bootstrap("huddinge")
		other := a.bootstrap("nacka")
		otherCase := a.register(other, registration())
		own := a.register(o, registration())
		base := "/api/v1/organizations/huddinge"
		ownCase := fmt.Sprintf("%s/cases/%d", base, own.ID)
		with := func(change func(r map[string]any, m map[string]any)) map[string]any {
			r := registration()
			change(r, r["remiss"].(map[string]any))
			return r
		}
		for _, tc := range []struct {
			name, method, path string
			body               any
			contentType        string
			status             int
			fields             []string
		}{
			{"unknown series", "POST", base + "/cases", with(func(r, _ map[string]any) { r["series"] = "XX" }), "", 422, []string{"series"}},
			{"malformed dates", "POST", base + "/cases", with(func(_, m map[string]any) { m["received"] = "26 jan 2024"; m["deadline"] = "2024-02-30" }), "", 422,
				[]string{"remiss.received", "remiss.deadline"}},
			{"deadline before received", "POST", base + "/cases", with(func(_, m map[string]any) { m["deadline"] = "2024-01-01" }), "", 422, []string{"remiss.deadline"}},
			{"missing title", "POST", base + "/cases", with(func(r, _ map[string]any) { delete(r, "title") }), "", 422, []string{"title"}},
			{"date of wrong type", "POST", base + "/cases", with(func(_, m map[string]any) { m["deadline"] = 20240415 }), "", 422, []string{"remiss.deadline"}},
			{"unknown field", "POST", base + "/cases", with(func(r, _ map[string]any) { r["titel"] = "x" }), "", 422, []string{"titel"}},
			{"not JSON", "POST", base + "/cases", []byte(`{"series": "KS",`), "application/json", 400, nil},
			{"two JSON values", "POST", base + "/cases", []byte(`{} {}`), "application/json", 400, nil},
			{"form instead of JSON", "POST", base + "/cases", []byte(`series=KS`), "application/x-www-form-urlencoded", 415, nil},
			{"unknown org", "POST", "/api/v1/organizations/okand/cases", registration(), "", 404, nil},
			{"another org's case", "GET", fmt.Sprintf("%s/cases/%d", base, otherCase.ID), nil, "", 404, nil},
			{"case id not a number", "GET", base + "/cases/KS-2024-76", nil, "", 404, nil},
			{"non-PDF upload", "PUT", ownCase + "/documents/1/content", []byte("PK\x03\x04 this is a zip, not a PDF"), "application/pdf", 415, nil},
			{"oversized upload", "PUT", ownCase + "/documents/1/content", append(slices.Clone(pdf), make([]byte, 64<<10)...), "application/pdf", 413, nil},
			{"empty upload", "PUT", ownCase + "/documents/1/content", []byte{}, "application/pdf", 422, nil},
			{"bad list filter", "GET", base + "/cases?deadline_before=april&limit=0", nil, "", 422, []string{"deadline_before", "limit"}},
			{"document of bad direction", "POST", ownCase + "/documents", map[string]any{"title": "x", "direction": "in", "date": "2024-01-29"}, "", 422, []string{"direction"}},
			{"secrecy without provision", "POST", ownCase + "/documents", map[string]any{"title": "x", "direction": "inkommande", "date": "2024-01-29",
				"secrecy": map[string]string{"provision": "sekretess", "date": "2024-01-29", "authority": "KS"}}, "", 422, []string{"secrecy.provision"}},
			{"bad series format", "POST", base + "/series", map[string]any{"code": "NAF", "format": "NAF-{N}-{N}"}, "", 422, []string{"format"}},
			{"series continued at 0", "PATCH", base + "/series/KS", map[string]any{"next_number": 0}, "", 422, []string{"next_number"}},
			{"series continued after this year's first number", "PATCH", base + "/series/KS", map[string]any{"next_number": 900}, "", 422, nil},
			{"unknown series continued", "PATCH", base + "/series/XX", map[string]any{"next_number": 900}, "", 404, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := snapshot(t, a, o)
				token := o.admin
				resp := a.do(tc.method, tc.path, token, tc.body, tc.contentType)
				p := wantProblem(t, resp, tc.status)
				var fields []string
				for _, f := range p.Errors {
					fields = append(fields, f.Field)
					if f.Message == "" {
						t.Errorf("field %s without a message", f.Field)
					}
				}
				if !slices.Equal(fields, tc.fields) {
					t.Errorf("fields %v, want %v (%+v)", fields, tc.fields, p)
				}
				if after := snapshot(t, a, o); after != before {
					t.Errorf("the database changed:\nbefore %s\nafter  %s", before, after)
				}
			})
		}
	})
}

// snapshot summarises what a bad request must not change: the cases, their
// handlingar and the series counters.
func snapshot(t *testing.T, a *api, o org) string {
	var cases struct {
		Total int
		Items []caseJSON
	}
	a.call("GET", "/api/v1/organizations/"+o.slug+"/cases?limit=200", o.admin, nil, 200, &cases)
	var series struct {
		Items []diarium.Series
	}
	a.call("GET", "/api/v1/organizations/"+o.slug+"/series", o.admin, nil, 200, &series)
	docs := map[int64][]workflow.Document{}
	for _, c := range cases.Items {
		var d struct{ Items []workflow.Document }
		a.call("GET", fmt.Sprintf("/api/v1/organizations/%s/cases/%d/documents", o.slug, c.ID), o.admin, nil, 200, &d)
		docs[c.ID] = d.Items
	}
	b, err := json.Marshal([]any{cases, docs, series})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSenderDnrThatIsNoMinistryNumberIsWarnedAndStored(t *testing.T) {
	eachBackend(t, func(t *testing.T, a *api) {
		o := a.bootstrap("huddinge")
		r := registration()
		r["remiss"].(map[string]any)["sender_dnr"] = "Fi 2023/4321"
		c := a.register(o, r)
		if len(c.Warnings) != 1 || c.Warnings[0].Field != "remiss.sender_dnr" {
			t.Fatalf("warnings %+v", c.Warnings)
		}
		var got caseJSON
		a.call("GET", fmt.Sprintf("/api/v1/organizations/huddinge/cases/%d", c.ID), o.lasare, nil, 200, &got)
		if got.Remiss.SenderDnr != "Fi 2023/4321" || len(got.Warnings) != 1 {
			t.Errorf("stored %+v", got)
		}
		again := a.register(o, r)
		if len(again.Warnings) != 2 || !strings.Contains(again.Warnings[1].Message, c.Dnr) {
			t.Errorf("a second registration of the same remiss is not flagged: %+v", again.Warnings)
		}
	})
}

func TestRolesAndAuthentication(t *testing.T) {
	eachBackend(t, func(t *testing.T, a *api) {
		o := a.bootstrap("huddinge")
		base := "/api/v1/organizations/huddinge"
		c := a.register(o, registration())
		caseURL := fmt.Sprintf("%s/cases/%d", base, c.ID)

		resp := a.do("GET", base+"/cases", "", nil, "")
		wantProblem(t, resp, 401)
		if resp.Header.Get("WWW-Authenticate") == "" {
			t.Error("401 without WWW-Authenticate")
		}
		wantProblem(t, a.do("GET", base+"/cases", "remiss_not-a-real-token", nil, ""), 401)
		wantProblem(t, a.do("POST", base+"/cases", o.lasare, registration(), ""), 403)
		wantProblem(t, a.do("POST", base+"/cases", o.handlaggare, registration(), ""), 403)
		wantProblem(t, a.do("POST", base+"/users", o.registrator, map[string]any{"email": "x@y.example", "name": "X", "roles": []string{"admin"}}, ""), 403)
		wantProblem(t, a.do("POST", "/api/v1/organizations", o.admin, map[string]string{"slug": "ny", "name": "Ny"}, ""), 403)

		var doc workflow.Document
		a.call("POST", caseURL+"/documents", o.handlaggare, map[string]any{"title": "Skrivelse med personuppgifter", "direction": "inkommande",
			"date": "2024-01-29", "counterpart": "En privatperson",
			"secrecy": map[string]string{"provision": "OSL 26 kap. 1 §", "date": "2024-01-29", "authority": "Kommunstyrelsen"}}, 201, &doc)
		if doc.Number != 2 || doc.Dnr != "KS-2024/76-2" || doc.Secrecy == nil {
			t.Fatalf("document %+v", doc)
		}
		a.call("PUT", fmt.Sprintf("%s/documents/%d/content", caseURL, doc.Number), o.handlaggare, pdf, 201, nil)
		wantProblem(t, a.do("GET", fmt.Sprintf("%s/documents/%d/content", caseURL, doc.Number), o.lasare, nil, ""), 403)
		if resp := a.do("GET", fmt.Sprintf("%s/documents/%d/content", caseURL, doc.Number), o.handlaggare, nil, ""); resp.StatusCode != 200 {
			t.Errorf("handläggare reading a marked handling: %d", resp.StatusCode)
		}
		wantProblem(t, a.do("PUT", fmt.Sprintf("%s/documents/%d/content", caseURL, doc.Number), o.handlaggare, pdf, "application/pdf"), 409)

		var tokens struct{ Items []workflow.Token }
		a.call("GET", base+"/tokens", o.admin, nil, 200, &tokens)
		var lasareToken int64
		for _, tk := range tokens.Items {
			if tk.UserEmail == "lasare@huddinge.example" {
				lasareToken = tk.ID
			}
		}
		a.call("DELETE", fmt.Sprintf("%s/tokens/%d", base, lasareToken), o.admin, nil, 204, nil)
		wantProblem(t, a.do("GET", base+"/cases", o.lasare, nil, ""), 401)
	})
}

func TestUserCanIssueOwnTokenOnly(t *testing.T) {
	eachBackend(t, func(t *testing.T, a *api) {
		o := a.bootstrap("huddinge")
		base := "/api/v1/organizations/huddinge"
		var own struct{ Token string }
		a.call("POST", base+"/tokens", o.handlaggare, map[string]string{"user_email": "handlaggare@huddinge.example", "name": "cli"}, 201, &own)
		if !strings.HasPrefix(own.Token, "remiss_") {
			t.Errorf("token %q", own.Token)
		}
		wantProblem(t, a.do("POST", base+"/tokens", o.handlaggare, map[string]string{"user_email": "admin@huddinge.example"}, ""), 403)
		p := wantProblem(t, a.do("POST", base+"/tokens", o.admin, map[string]string{"user_email": "nobody@huddinge.example"}, ""), 422)
		if len(p.Errors) != 1 || p.Errors[0].Field != "user_email" {
			t.Errorf("problem %+v", p)
		}
	})
}

func TestCaseListFiltersAndPages(t *testing.T) {
	eachBackend(t, func(t *testing.T, a *api) {
		o := a.bootstrap("huddinge")
		for i := range 5 {
			r := registration()
			r["title"] = fmt.Sprintf("Remiss %d", i)
			r["remiss"].(map[string]any)["deadline"] = fmt.Sprintf("2024-04-%02d", 20-i)
			a.register(o, r)
		}
		var titles []string
		cursor := ""
		for range 10 {
			var page struct {
				Items      []caseJSON
				Total      int
				NextCursor string `json:"next_cursor"`
			}
			a.call("GET", "/api/v1/organizations/huddinge/cases?limit=2&cursor="+cursor, o.lasare, nil, 200, &page)
			if page.Total != 5 {
				t.Fatalf("total %d", page.Total)
			}
			for _, c := range page.Items {
				titles = append(titles, c.Title)
			}
			if cursor = page.NextCursor; cursor == "" {
				break
			}
		}
		want := []string{"Remiss 4", "Remiss 3", "Remiss 2", "Remiss 1", "Remiss 0"}
		if !slices.Equal(titles, want) {
			t.Errorf("paged through %v, want %v (nearest reply date first)", titles, want)
		}
		var found struct{ Items []caseJSON }
		a.call("GET", "/api/v1/organizations/huddinge/cases?q=REMISS%203&deadline_before=2024-04-30&state=registrerad", o.lasare, nil, 200, &found)
		if len(found.Items) != 1 || found.Items[0].Title != "Remiss 3" {
			t.Errorf("search found %+v", found.Items)
		}
	})
}
