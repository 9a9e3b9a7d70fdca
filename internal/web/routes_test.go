package web_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/yttrande/remiss/internal/app"
	"github.com/yttrande/remiss/internal/calendar"
	"github.com/yttrande/remiss/internal/store/storetest"
	"github.com/yttrande/remiss/internal/web"
)

// routeList returns "METHOD pattern" for every route the handler serves.
// newHandler is web.NewHandler for a test, with services on no store
// unless d has some: enough to build the routes and answer what needs no
// database.
func newHandler(t testing.TB, d web.Deps) http.Handler {
	t.Helper()
	if d.Service == nil {
		svc, err := app.New(app.Config{Calendar: calendar.NewSwedish()})
		if err != nil {
			t.Fatal(err)
		}
		d.Service = svc
	}
	h, err := web.NewHandler(d)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func routeList(t *testing.T, h http.Handler) []string {
	t.Helper()
	var routes []string
	err := chi.Walk(h.(chi.Routes), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		routes = append(routes, method+" "+strings.TrimSuffix(route, "/"))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(routes)
	return routes
}

// TestTenantIsolation: a token of organisation A gets 404 on every URL of
// a case of organisation B, for every method the router knows, and B's data
// is unchanged afterwards. The URLs come from the router itself, so a new
// case route is covered the day it is added.
func TestTenantIsolation(t *testing.T) {
	eachBackend(t, func(t *testing.T, a *api) {
		orgA, orgB := a.bootstrap("huddinge"), a.bootstrap("nacka")
		caseB := a.register(orgB, registration())
		var meetingB struct{ ID int64 }
		a.call("POST", "/api/v1/organizations/nacka/bodies/KS/meetings", orgB.sekreterare, map[string]string{"date": "2024-02-12"}, 201, &meetingB)
		a.call("PUT", fmt.Sprintf("/api/v1/organizations/nacka/cases/%d/documents/1/content", caseB.ID), orgB.registrator, pdf, 201, nil)
		before := snapshot(t, a, orgB)
		checked := 0
		for _, route := range routeList(t, a.handler) {
			method, pattern, _ := strings.Cut(route, " ")
			if !strings.HasPrefix(pattern, "/api/") || !strings.Contains(pattern, "{org}") {
				continue // the web application's pages are TestUITenantIsolation's
			}
			for _, slug := range []string{"huddinge", "nacka"} {
				if slug == "huddinge" && !strings.Contains(pattern, "{case}") && !strings.Contains(pattern, "{meeting}") {
					continue // A's own organisation-level URLs are A's business
				}
				path := strings.NewReplacer("{org}", slug, "{case}", fmt.Sprint(caseB.ID), "{n}", "1", "{token}", "1", "{name}", "kommunstyrelsen",
					"{code}", "KS", "{meeting}", fmt.Sprint(meetingB.ID), "{kind}", "yttrande", "{comment}", "1", "{file}", "yttrande.pdf").Replace(pattern)
				for _, token := range []string{orgA.admin, orgA.registrator, orgA.lasare} {
					resp := a.do(method, path, token, requestBody(method, pattern), contentTypeFor(pattern))
					if resp.StatusCode != http.StatusNotFound {
						b, _ := io.ReadAll(resp.Body)
						t.Errorf("%s %s with org A's token: %d, want 404: %s", method, path, resp.StatusCode, b)
					}
					checked++
				}
			}
		}
		if checked < 30 {
			t.Errorf("only %d requests checked; the route walk found too little", checked)
		}
		if after := snapshot(t, a, orgB); after != before {
			t.Errorf("org B's data changed:\n%s\n%s", before, after)
		}
	})
}

// requestBody is a valid body for a route, so that a 404 cannot come from
// the body being rejected first.
func requestBody(method, pattern string) any {
	switch {
	case method == "PUT" && strings.HasSuffix(pattern, "/days"):
		return map[string]any{"days": []any{}}
	case method == "PUT" && strings.Contains(pattern, "/drafts/"):
		return map[string]any{"text": "Intrång", "base_version": 0}
	case method == "PUT" && strings.Contains(pattern, "/templates/"):
		return map[string]any{"source": "Intrång"}
	case method == "PUT":
		return pdf
	case method == "PATCH" && strings.HasSuffix(pattern, "/recipients"):
		return map[string]any{"version": 1, "contact": "Intrång"}
	case method == "PATCH" && strings.Contains(pattern, "/bodies/"):
		return map[string]any{"name": "Intrång"}
	case method == "PATCH" && strings.Contains(pattern, "/series/"):
		return map[string]any{"next_number": 900}
	case method == "PATCH":
		return map[string]any{"anslag_days": 1}
	case method != "POST":
		return nil
	case strings.HasSuffix(pattern, "/comments"):
		return map[string]any{"version": 1, "text": "Intrång"}
	case strings.HasSuffix(pattern, "/import"):
		return []byte("datum;tid\n2030-01-01;13:00\n")
	case strings.HasSuffix(pattern, "/members"):
		return map[string]any{"name": "Intrång", "role": "ledamot"}
	case strings.HasSuffix(pattern, "/meetings"):
		return map[string]any{"date": "2030-01-01"}
	case strings.HasSuffix(pattern, "/move"):
		return map[string]any{"version": 1, "date": "2030-02-02"}
	case strings.HasSuffix(pattern, "/cancel"):
		return map[string]any{"version": 1, "reason": "Intrång"}
	case strings.HasSuffix(pattern, "/justering"):
		return map[string]any{"version": 1, "date": "2024-01-29", "ordforande": "Intrång", "justerare": []string{"Intrång"}}
	case strings.HasSuffix(pattern, "/cases"):
		return registration()
	case strings.HasSuffix(pattern, "/documents"):
		return map[string]any{"title": "Intrång", "direction": "inkommande", "date": "2024-01-29"}
	case strings.HasSuffix(pattern, "/users"):
		return map[string]any{"email": "intrang@huddinge.example", "name": "Intrång", "roles": []string{"admin"}}
	case strings.HasSuffix(pattern, "/tokens"):
		return map[string]any{"user_email": "admin@nacka.example"}
	case strings.HasSuffix(pattern, "/bodies"):
		return map[string]any{"code": "SN", "name": "Socialnämnden", "kind": "namnd"}
	case strings.HasSuffix(pattern, "/series"):
		return map[string]any{"code": "SN", "format": "SN-{YYYY}/{N}"}
	}
	return map[string]any{}
}

func contentTypeFor(pattern string) string {
	if strings.HasSuffix(pattern, "/content") {
		return "application/pdf"
	}
	if strings.HasSuffix(pattern, "/import") {
		return "text/csv"
	}
	return ""
}

// TestOpenAPIDescribesExactlyTheRoutes compares the router with the
// document in both directions.
func TestOpenAPIDescribesExactlyTheRoutes(t *testing.T) {
	doc, err := loadSpec()
	if err != nil {
		t.Fatalf("openapi.json does not validate: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	var documented []string
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			documented = append(documented, method+" "+path)
			if op.OperationID == "" || op.Summary == "" {
				t.Errorf("%s %s lacks an operationId or summary", method, path)
			}
		}
	}
	sort.Strings(documented)
	var served []string
	for _, r := range routeList(t, newHandler(t, web.Deps{})) {
		if _, path, _ := strings.Cut(r, " "); strings.HasPrefix(path, "/api/") || path == "/healthz" || path == "/readyz" {
			served = append(served, r) // the rest are the web application's pages
		}
	}
	for _, r := range served {
		if !slices.Contains(documented, r) {
			t.Errorf("served but not documented: %s", r)
		}
	}
	for _, d := range documented {
		if !slices.Contains(served, d) {
			t.Errorf("documented but not served: %s", d)
		}
	}
}

func TestOpenAPIIsServed(t *testing.T) {
	a := newAPI(t, storetest.SQLite(t))
	resp := a.do("GET", "/api/v1/openapi.json", "", nil, "")
	got, _ := io.ReadAll(resp.Body)
	want, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || string(got) != string(want) || resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("GET /api/v1/openapi.json: %d, %d bytes, %s", resp.StatusCode, len(got), resp.Header.Get("Content-Type"))
	}
}

func TestHealthAndReadiness(t *testing.T) {
	a := newAPI(t, storetest.SQLite(t))
	a.call("GET", "/healthz", "", nil, 200, nil)
	a.call("GET", "/readyz", "", nil, 200, nil)

	down := httptest.NewServer(newHandler(t, web.Deps{Ready: func(context.Context) error { return errors.New("connection refused") }}))
	defer down.Close()
	resp, err := http.Get(down.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	p := wantProblem(t, resp, http.StatusServiceUnavailable)
	if strings.Contains(p.Detail, "refused") {
		t.Errorf("the database error leaks into the answer: %q", p.Detail)
	}
}

func TestUnknownRouteAndMethodAreProblems(t *testing.T) {
	a := newAPI(t, storetest.SQLite(t))
	wantProblem(t, a.do("GET", "/api/v1/finns-inte", "", nil, ""), 404)
	resp := a.do("PATCH", "/api/v1/openapi.json", "", nil, "")
	wantProblem(t, resp, 405)
	if !strings.Contains(resp.Header.Get("Allow"), "GET") {
		t.Errorf("405 without Allow: %v", resp.Header)
	}
}

// TestGracefulShutdown starts a request, cancels the server's context while
// the request is in its handler, and checks that the request still gets
// its answer and that Serve returns cleanly.
func TestGracefulShutdown(t *testing.T) {
	inHandler, release := make(chan struct{}), make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(inHandler)
		<-release
		io.WriteString(w, "klart")
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- web.Serve(ctx, &http.Server{Handler: h}, ln, time.Minute) }()

	answer := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String())
		if err != nil {
			answer <- "error: " + err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		answer <- string(b)
	}()
	<-inHandler
	cancel()
	// New connections are refused once shutdown has begun; the request in
	// flight is still being served.
	for {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			break
		}
		c.Close()
		select {
		case err := <-served:
			t.Fatalf("Serve returned %v before the request in flight finished", err)
		default:
		}
	}
	close(release)
	if got := <-answer; got != "klart" {
		t.Errorf("request in flight got %q", got)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve: %v", err)
	}
}

// FuzzRegistrationBody posts arbitrary bodies: whatever arrives, the answer
// is never a 500, and an error answer is problem+json.
func FuzzRegistrationBody(f *testing.F) {
	for _, s := range []string{
		`{"series":"KS","title":"x","remiss":{"sender":"Fi","received":"2024-01-26","deadline":"2024-04-15"}}`,
		`{"series":1}`, `[]`, `null`, `{"remiss":{"received":"2024-02-30"}}`, `{"title":"\u0000"}`, "", `{"a":` + strings.Repeat("[", 1000),
	} {
		f.Add([]byte(s))
	}
	a := newAPI(f, storetest.SQLite(f))
	a.bootstrap("huddinge")
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("POST", "/api/v1/organizations/huddinge/cases", strings.NewReader(string(body)))
		req.Header.Set("Authorization", "Bearer "+systemToken)
		req.Header.Set("Content-Type", "application/json")
		a.handler.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%q → %d %s", body, rec.Code, rec.Body)
		}
		if rec.Code >= 400 && rec.Header().Get("Content-Type") != "application/problem+json" {
			t.Fatalf("%q → %d with Content-Type %q", body, rec.Code, rec.Header().Get("Content-Type"))
		}
	})
}
