package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/yttrande/remiss/internal/app"
	"github.com/yttrande/remiss/internal/auth"
	"github.com/yttrande/remiss/internal/calendar"
	"github.com/yttrande/remiss/internal/ical"
	"github.com/yttrande/remiss/internal/markdown"
	"github.com/yttrande/remiss/internal/store"
	"github.com/yttrande/remiss/internal/store/storetest"
	"github.com/yttrande/remiss/internal/web"
	"github.com/yttrande/remiss/templates"
	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/planning"
)

// systemToken is the REMISS_ADMIN_TOKEN of every test server.
const systemToken = "test-bootstrap-admin-token-0123456789"

// stockholm is the municipalities' time zone.
var stockholm = mustLocation("Europe/Stockholm")

// testNow is a morning in the real case's registration week: new cases get
// 2024 numbers and the reply date 2024-04-15 lies ahead.
var testNow = time.Date(2024, 1, 29, 10, 0, 0, 0, stockholm)

func mustLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

// dayClock is a clock a test moves from day to day, at ten in the morning
// in Stockholm.
type dayClock struct{ t atomic.Pointer[time.Time] }

func (c *dayClock) Now() time.Time { return *c.t.Load() }

func (c *dayClock) set(day string) {
	t, err := time.ParseInLocation("2006-01-02 15:04", day+" 10:00", stockholm)
	if err != nil {
		panic(err)
	}
	c.t.Store(&t)
}

// api is a real server on a real database, with a client that checks every
// response against the OpenAPI document.
type api struct {
	t       testing.TB
	base    string
	store   *store.Store
	handler http.Handler
	client  *http.Client
	svc     *app.App // for the job runner's work, such as delivering the outbox
}

func eachBackend(t *testing.T, test func(t *testing.T, a *api)) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			test(t, newAPI(t, b.Open(t)))
		})
	}
}

func newAPI(t testing.TB, st *store.Store) *api {
	t.Helper()
	return newAPIAt(t, st, fixedClock{testNow})
}

// newAPIAt is newAPI with a clock of the test's choosing; options may
// change the handler's dependencies, knowing the server's address.
func newAPIAt(t testing.TB, st *store.Store, clock workflow.Clock, options ...func(base string, d *web.Deps)) *api {
	t.Helper()
	svc, err := app.New(app.Config{
		Store: st, Clock: clock, Location: stockholm, Calendar: calendar.NewSwedish(), Secrets: auth.NewSecret, MaxUploadBytes: 64 << 10,
		Markdown: markdown.Parser{}, PDF: testRenderer(t), DOCX: testWordRenderer(t), Templates: templates.FS, Passwords: auth.Passwords{Cost: auth.TestCost},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	d := web.Deps{Service: svc, Auth: auth.NewAuthenticator(st, systemToken), Ready: st.Ping, Version: "test",
		PDF: testRenderer(t), ParseICS: func(r io.Reader) ([]workflow.NewMeeting, error) { return ical.ParseMeetings(r, stockholm) },
		WriteFeed: func(w io.Writer, f planning.Feed) error { return ical.WriteFeed(w, f, stockholm) }, HashSecret: auth.Hash,
		Sessions: st, Location: stockholm}
	for _, o := range options {
		o(base, &d)
	}
	h, err := web.NewHandler(d)
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = h
	srv.Start()
	t.Cleanup(srv.Close)
	return &api{t: t, base: srv.URL, store: st, handler: h, svc: svc,
		client: &http.Client{Transport: &validating{t: t, base: http.DefaultTransport, router: specRouter(t)}}}
}

var spec struct {
	once   sync.Once
	router routers.Router
	err    error
}

// specRouter loads and validates openapi.json once per test binary.
func specRouter(t testing.TB) routers.Router {
	spec.once.Do(func() {
		for _, binary := range []string{"application/pdf", "image/svg+xml", "text/vnd.graphviz", "text/calendar"} {
			openapi3filter.RegisterBodyDecoder(binary, openapi3filter.FileBodyDecoder)
		}
		doc, err := loadSpec()
		if err == nil {
			spec.router, err = legacy.NewRouter(doc)
		}
		spec.err = err
	})
	if spec.err != nil {
		t.Fatalf("openapi.json: %v", spec.err)
	}
	return spec.router
}

func loadSpec() (*openapi3.T, error) {
	b, err := os.ReadFile("openapi.json")
	if err != nil {
		return nil, err
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(b)
	if err != nil {
		return nil, err
	}
	return doc, doc.Validate(loader.Context)
}

// validating checks every response against the OpenAPI document: its
// status must be documented for the operation and its body must match.
type validating struct {
	t      testing.TB
	base   http.RoundTripper
	router routers.Router
}

func (v *validating) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := v.base.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	route, params, err := v.router.FindRoute(req)
	if err != nil {
		if resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusMethodNotAllowed {
			v.t.Errorf("%s %s answered %d but is not in openapi.json: %v", req.Method, req.URL.Path, resp.StatusCode, err)
		}
		return resp, nil
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 resp.StatusCode, Header: resp.Header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true},
	}
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		v.t.Errorf("%s %s → %d does not match openapi.json: %v\nbody: %s", req.Method, req.URL.Path, resp.StatusCode, err, body)
	}
	return resp, nil
}

// do sends a request. body is JSON-encoded unless it is []byte, which is
// sent as it is with contentType.
func (a *api) do(method, path, token string, body any, contentType string) *http.Response {
	a.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		r = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			a.t.Fatal(err)
		}
		r, contentType = bytes.NewReader(j), "application/json"
	}
	req, err := http.NewRequest(method, a.base+path, r)
	if err != nil {
		a.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := a.client.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	a.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// call sends a JSON request, requires status want and decodes the answer
// into out (when not nil).
func (a *api) call(method, path, token string, body any, want int, out any) {
	a.t.Helper()
	resp := a.do(method, path, token, body, "")
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		a.t.Fatalf("%s %s: status %d, want %d: %s", method, path, resp.StatusCode, want, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			a.t.Fatalf("%s %s: %v in %s", method, path, err, b)
		}
	}
}

// problem is what every error response carries.
type problem struct {
	Type   string                `json:"type"`
	Title  string                `json:"title"`
	Status int                   `json:"status"`
	Detail string                `json:"detail"`
	Errors []workflow.FieldError `json:"errors"`
}

// wantProblem requires a problem+json answer with status and returns it.
func wantProblem(t *testing.T, resp *http.Response, status int) problem {
	t.Helper()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d: %s", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, status, b)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("%s %s: Content-Type %q, want application/problem+json", resp.Request.Method, resp.Request.URL.Path, ct)
	}
	var p problem
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	if p.Status != status || p.Detail == "" || p.Title == "" || !strings.HasPrefix(p.Type, "https://") {
		t.Fatalf("incomplete problem: %s", b)
	}
	return p
}

// org is a bootstrapped organisation with a token per role.
type org struct {
	slug                                                             string
	admin, registrator, handlaggare, lasare, sekreterare, ordforande string
}

// bootstrap sets up an organisation through the API the way IT operations
// would: as the system administrator, then as the organisation's admin.
func (a *api) bootstrap(slug string) org {
	a.t.Helper()
	o := org{slug: slug}
	a.call("POST", "/api/v1/organizations", systemToken, map[string]string{"slug": slug, "name": strings.ToUpper(slug[:1]) + slug[1:] + " kommun"}, 201, nil)
	base := "/api/v1/organizations/" + slug
	for _, u := range []struct {
		role  string
		token *string
	}{{"admin", &o.admin}, {"registrator", &o.registrator}, {"handlaggare", &o.handlaggare}, {"lasare", &o.lasare},
		{"sekreterare", &o.sekreterare}, {"ordforande", &o.ordforande}} {
		email := u.role + "@" + slug + ".example"
		a.call("POST", base+"/users", systemToken, map[string]any{"email": email, "name": "Test " + u.role, "roles": []string{u.role}}, 201, nil)
		var tok struct{ Token string }
		a.call("POST", base+"/tokens", systemToken, map[string]string{"user_email": email}, 201, &tok)
		*u.token = tok.Token
	}
	a.call("POST", base+"/bodies", o.admin, map[string]string{"code": "KS", "name": "Kommunstyrelsen", "kind": "styrelse"}, 201, nil)
	a.call("POST", base+"/bodies", o.admin, map[string]string{"code": "KSAU", "name": "Kommunstyrelsens arbetsutskott", "kind": "utskott", "parent": "KS"}, 201, nil)
	a.call("POST", base+"/bodies", o.admin, map[string]string{"code": "SN", "name": "Socialnämnden", "kind": "namnd"}, 201, nil)
	a.call("POST", base+"/bodies", o.admin, map[string]string{"code": "GSN", "name": "Grundskolenämnden", "kind": "namnd"}, 201, nil)
	a.call("POST", base+"/series", o.admin, map[string]any{"code": "KS", "format": "KS-{YYYY}/{N}.{CLASS}", "next_number": 76}, 201, nil)
	return o
}

// registration is the Huddinge remiss of the fixtures.
func registration() map[string]any {
	return map[string]any{
		"series": "KS", "classification": "109",
		"title": "Förändring genom försök – försöksverksamhet i den kommunala sektorn",
		"remiss": map[string]any{
			"sender": "Finansdepartementet", "sender_dnr": "Fi2023/04321", "reference": "SOU 2023:94",
			"received": "2024-01-26", "deadline": "2024-04-15",
		},
	}
}

// caseJSON is the part of a case the tests look at.
type caseJSON struct {
	ID       int64                 `json:"id"`
	Dnr      string                `json:"dnr"`
	Title    string                `json:"title"`
	State    string                `json:"state"`
	Version  int64                 `json:"version"`
	Warnings []workflow.FieldError `json:"warnings"`
	Remiss   struct {
		SenderDnr string `json:"sender_dnr"`
		Deadline  string `json:"deadline"`
	} `json:"remiss"`
}

func (a *api) register(o org, body map[string]any) caseJSON {
	a.t.Helper()
	var c caseJSON
	a.call("POST", "/api/v1/organizations/"+o.slug+"/cases", o.registrator, body, 201, &c)
	return c
}

// pdf is a small but real PDF document.
var pdf = []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

// rawJSON embeds a JSON text as it is in a request body.
func rawJSON(s string) json.RawMessage { return json.RawMessage(s) }
