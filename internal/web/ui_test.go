package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/yttrande/remiss/internal/store/storetest"
	"github.com/yttrande/remiss/internal/web"
	"github.com/yttrande/remiss/workflow"
)

const uiPassword = "ett långt lösenord för test"

// visitor is one browser session against the web application: a cookie
// jar, and the pages as HTML.
type visitor struct {
	t      testing.TB
	a      *api
	client *http.Client
}

func (a *api) visitor(t testing.TB) *visitor {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &visitor{t: t, a: a, client: &http.Client{Jar: jar}}
}

// withPasswords gives each of o's users the test password.
func (a *api) withPasswords(t testing.TB, o org) {
	for _, role := range []string{"admin", "registrator", "handlaggare", "lasare", "sekreterare", "ordforande"} {
		if err := a.svc.Accounts.SetPassword(t.Context(), workflow.SystemActor(), o.slug, role+"@"+o.slug+".example", uiPassword); err != nil {
			t.Fatal(err)
		}
	}
}

// get fetches a page and returns its status and HTML.
func (v *visitor) get(path string) (int, string) {
	v.t.Helper()
	resp, err := v.client.Get(v.a.base + path)
	if err != nil {
		v.t.Fatal(err)
	}
	return v.read(resp)
}

// post submits a form as a same-origin browser would.
func (v *visitor) post(path string, form url.Values) (int, string) {
	v.t.Helper()
	req, _ := http.NewRequest("POST", v.a.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := v.client.Do(req)
	if err != nil {
		v.t.Fatal(err)
	}
	return v.read(resp)
}

func (v *visitor) read(resp *http.Response) (int, string) {
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		v.t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func (v *visitor) login(slug, role string) {
	v.t.Helper()
	status, html := v.post("/login", url.Values{"org": {slug}, "email": {role + "@" + slug + ".example"}, "password": {uiPassword}})
	if status != 200 || !strings.Contains(html, "<h1>Översikt</h1>") {
		v.t.Fatalf("login as %s: %d\n%s", role, status, html)
	}
}

var versionField = regexp.MustCompile(`name="version" value="(\d+)"`)

// TestUILoginOverviewAndAnEvent: the login page, a wrong password told
// kindly, the overview with the case, the case page with both numbers
// and only the events the user may do, an event fired from its form, and
// its history row; the security headers on every page.
func TestUILoginOverviewAndAnEvent(t *testing.T) {
	eachBackend(t, func(t *testing.T, a *api) {
		o := a.bootstrap("huddinge")
		a.withPasswords(t, o)
		c := a.register(o, registration())
		casePath := fmt.Sprintf("/o/huddinge/arenden/%d", c.ID)
		v := a.visitor(t)

		status, html := v.get(casePath)
		if status != 200 || !strings.Contains(html, `action="/login"`) || !strings.Contains(html, `value="`+casePath+`"`) {
			t.Fatalf("a page without a session: %d, want the login form that comes back: %s", status, html)
		}
		status, html = v.post("/login", url.Values{"org": {"huddinge"}, "email": {"registrator@huddinge.example"}, "password": {"fel"}})
		if status != 401 || !strings.Contains(html, "Fel e-postadress eller lösenord.") || !strings.Contains(html, `value="registrator@huddinge.example"`) {
			t.Errorf("a wrong password: %d\n%s", status, html)
		}
		v.login("huddinge", "registrator")
		_, html = v.get("/o/huddinge/")
		if !strings.Contains(html, c.Dnr) || !strings.Contains(html, `href="`+casePath+`"`) {
			t.Errorf("the overview lacks the case:\n%s", html)
		}
		_, html = v.get(casePath)
		for _, want := range []string{"KS-2024/76.109", "Fi2023/04321", "15 april 2024", "Tilldela handläggare", "<svg"} {
			if !strings.Contains(html, want) {
				t.Errorf("the case page lacks %q", want)
			}
		}
		if strings.Contains(html, "Begär yttranden") {
			t.Error("the case page offers an event the state does not allow")
		}
		_, form := v.get(casePath + "/handelser/tilldela")
		m := versionField.FindStringSubmatch(form)
		if m == nil || !strings.Contains(form, `<option value="handlaggare@huddinge.example">Test handlaggare</option>`) {
			t.Fatalf("the tilldela form:\n%s", form)
		}
		status, html = v.post(casePath+"/handelser/tilldela", url.Values{"version": {m[1]}, "handlaggare": {"handlaggare@huddinge.example"}})
		if status != 200 || !strings.Contains(html, "”Tilldela handläggare” är gjort.") || !strings.Contains(html, `<dd id="state">Tilldelad</dd>`) {
			t.Errorf("after tilldela: %d\n%s", status, html)
		}
		if !strings.Contains(html, "<strong>Tilldela handläggare</strong> <span class=\"muted\">av Test registrator") {
			t.Error("the history does not show the event and who did it")
		}

		resp, err := v.client.Get(a.base + casePath)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("CSP %q", csp)
		}
		if c := resp.Request.Header.Get("Cookie"); !strings.Contains(c, "remiss_session=") {
			t.Errorf("no session cookie sent: %q", c)
		}
	})
}

// TestUIRefusalsKeepWhatWasTyped: a field the domain refuses comes back
// with its message beside it and the typed values; a case changed in
// another session gives the conflict in words, who did what, with the
// typed values kept.
func TestUIRefusalsKeepWhatWasTyped(t *testing.T) {
	a := newAPI(t, storetest.SQLite(t))
	o := a.bootstrap("huddinge")
	a.withPasswords(t, o)
	c := a.register(o, registration())
	casePath := fmt.Sprintf("/o/huddinge/arenden/%d", c.ID)
	first, second := a.visitor(t), a.visitor(t)
	first.login("huddinge", "registrator")
	second.login("huddinge", "registrator")
	_, form := first.get(casePath + "/handelser/begar_anstand")
	version := versionField.FindStringSubmatch(form)[1]

	status, html := first.post(casePath+"/handelser/begar_anstand", url.Values{"version": {version}, "new_deadline": {"2024-03-01"}, "granted_by": {"Anna på departementet"}})
	if status != 422 || !strings.Contains(html, `class="field-error" id="f-new_deadline-error"`) || !strings.Contains(html, "Anna på departementet") {
		t.Errorf("a refused anstånd: %d\n%s", status, html)
	}
	if st, _ := second.post(casePath+"/handelser/tilldela", url.Values{"version": {version}, "handlaggare": {"handlaggare@huddinge.example"}}); st != 200 {
		t.Fatalf("the other session's tilldela: %d", st)
	}
	status, html = first.post(casePath+"/handelser/begar_anstand", url.Values{"version": {version}, "new_deadline": {"2024-05-15"}, "granted_by": {"Anna på departementet"}})
	if status != 409 || !strings.Contains(html, "Test registrator") || !strings.Contains(html, "tilldela") || !strings.Contains(html, `value="2024-05-15"`) {
		t.Errorf("a stale form: %d, want the conflict with the typed date kept\n%s", status, html)
	}
	if m := versionField.FindStringSubmatch(html); m == nil || m[1] == version {
		t.Errorf("the form came back with the stale version: %v", m)
	}
}

// TestUIRoles: a läsare sees no action and is refused a forged form; a
// cross-site form post is refused before it reaches the case; a session
// of one organisation finds nothing of another's.
func TestUIRoles(t *testing.T) {
	a := newAPI(t, storetest.SQLite(t))
	o, other := a.bootstrap("huddinge"), a.bootstrap("nacka")
	a.withPasswords(t, o)
	c := a.register(o, registration())
	theirs := a.register(other, registration())
	casePath := fmt.Sprintf("/o/huddinge/arenden/%d", c.ID)
	v := a.visitor(t)
	v.login("huddinge", "lasare")
	_, html := v.get(casePath)
	if !strings.Contains(html, "Du kan inte göra något i ärendet just nu.") || strings.Contains(html, "/handelser/") {
		t.Errorf("a läsare is offered events:\n%s", html)
	}
	status, html := v.post(casePath+"/handelser/tilldela", url.Values{"version": {"1"}, "handlaggare": {"handlaggare@huddinge.example"}})
	if status != 403 || !strings.Contains(html, "kräver någon av rollerna") {
		t.Errorf("a läsare's forged post: %d\n%s", status, html)
	}

	reg := a.visitor(t)
	reg.login("huddinge", "registrator")
	req, _ := http.NewRequest("POST", a.base+casePath+"/handelser/tilldela", strings.NewReader("version=1&handlaggare=handlaggare%40huddinge.example"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := reg.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("a cross-site post: %d, want 403", resp.StatusCode)
	}
	var got workflow.Case
	a.call("GET", fmt.Sprintf("/api/v1/organizations/huddinge/cases/%d", c.ID), o.lasare, nil, 200, &got)
	if got.State != "registrerad" {
		t.Errorf("refused posts changed the case: %s", got.State)
	}
	for _, path := range []string{fmt.Sprintf("/o/nacka/arenden/%d", theirs.ID), "/o/nacka/"} {
		if status, _ := v.get(path); status != 404 {
			t.Errorf("%s from a Huddinge session: %d, want 404", path, status)
		}
	}
}

// TestUILoginIsRateLimited: more than 20 attempts a minute from one
// address are refused before the password is checked.
func TestUILoginIsRateLimited(t *testing.T) {
	a := newAPI(t, storetest.SQLite(t))
	v := a.visitor(t)
	statuses := map[int]int{}
	for range 22 {
		status, _ := v.post("/login", url.Values{"org": {"huddinge"}, "email": {"x@huddinge.example"}, "password": {"gissning"}})
		statuses[status]++
	}
	if statuses[401] != 20 || statuses[429] != 2 {
		t.Errorf("statuses %v, want 20 refusals of the password and then 429", statuses)
	}
}

// TestUIRegistrationShowsErrorsBesideFields: a registration the domain
// refuses comes back with each message beside its field and everything
// typed kept; a good one leads to the new case.
func TestUIRegistrationShowsErrorsBesideFields(t *testing.T) {
	a := newAPI(t, storetest.SQLite(t))
	o := a.bootstrap("huddinge")
	a.withPasswords(t, o)
	v := a.visitor(t)
	v.login("huddinge", "registrator")
	form := url.Values{"series": {"KS"}, "workflow": {"kommunstyrelsen"}, "title": {""}, "remiss.sender": {"Finansdepartementet"},
		"remiss.sender_dnr": {"Fi2023/04321"}, "remiss.received": {"2024-01-26"}, "remiss.deadline": {"15 april"}}
	status, html := v.post("/o/huddinge/registrera", form)
	if status != 422 || !strings.Contains(html, `id="f-title-error"`) || !strings.Contains(html, `id="f-remiss-deadline-error"`) ||
		!strings.Contains(html, `value="Fi2023/04321"`) || !strings.Contains(html, `aria-invalid="true"`) {
		t.Errorf("a refused registration: %d\n%s", status, html)
	}
	form.Set("title", "Förändring genom försök")
	form.Set("remiss.deadline", "2024-04-15")
	status, html = v.post("/o/huddinge/registrera", form)
	if status != 200 || !strings.Contains(html, "Remissen är registrerad som KS-2024/76.") || !strings.Contains(html, "<h1>Förändring genom försök</h1>") {
		t.Errorf("a good registration: %d\n%s", status, html)
	}
}

// TestUIMeetingsAndAdministration: the meetings page lists each body's
// meetings, a meeting shows its agenda with the case on it; only an admin
// has Administration, where a user is added, and a refused addition says
// why beside the field.
func TestUIMeetingsAndAdministration(t *testing.T) {
	a := newAPI(t, storetest.SQLite(t))
	o := a.bootstrap("huddinge")
	a.withPasswords(t, o)
	c := a.register(o, registration())
	var m struct{ ID int64 }
	a.call("POST", "/api/v1/organizations/huddinge/bodies/KSAU/meetings", o.sekreterare, map[string]string{"date": "2024-03-27", "time": "08:30", "location": "KS-salen"}, 201, &m)
	a.call("POST", fmt.Sprintf("/api/v1/organizations/huddinge/cases/%d/events", c.ID), o.registrator, map[string]any{"event": "tilldela", "version": c.Version, "data": map[string]string{"handlaggare": "handlaggare@huddinge.example"}}, 200, nil)
	a.call("POST", fmt.Sprintf("/api/v1/organizations/huddinge/cases/%d/events", c.ID), o.handlaggare, map[string]any{"event": "paborja_beredning", "version": c.Version + 1}, 200, nil)
	a.call("PUT", fmt.Sprintf("/api/v1/organizations/huddinge/cases/%d/drafts/yttrande", c.ID), o.handlaggare, map[string]any{"text": "Kommunen tillstyrker.", "base_version": 0}, 200, nil)
	a.call("POST", fmt.Sprintf("/api/v1/organizations/huddinge/cases/%d/events", c.ID), o.handlaggare, map[string]any{"event": "anmal_till_au", "version": c.Version + 2, "data": map[string]any{"meeting": m.ID}}, 200, nil)

	v := a.visitor(t)
	v.login("huddinge", "sekreterare")
	_, html := v.get("/o/huddinge/sammantraden")
	if !strings.Contains(html, "Kommunstyrelsens arbetsutskott (KSAU)") || !strings.Contains(html, fmt.Sprintf(`href="/o/huddinge/sammantraden/%d">27 mars 2024</a>`, m.ID)) {
		t.Errorf("the meetings page:\n%s", html)
	}
	_, html = v.get(fmt.Sprintf("/o/huddinge/sammantraden/%d", m.ID))
	if !strings.Contains(html, "KS-salen") || !strings.Contains(html, c.Dnr) || !strings.Contains(html, "kallelse.pdf") {
		t.Errorf("the meeting page lacks its place, its agenda or its kallelse:\n%s", html)
	}
	if strings.Contains(html, "/administration") {
		t.Error("a sekreterare is offered Administration")
	}
	var today struct{ ID int64 }
	a.call("POST", "/api/v1/organizations/huddinge/bodies/KS/meetings", o.sekreterare, map[string]string{"date": "2024-01-29", "time": "13:00"}, 201, &today)
	for _, m := range []map[string]string{{"name": "Daniel Dronjak", "role": "ordforande"}, {"name": "Malin Danielsson", "role": "ledamot"}} {
		a.call("POST", "/api/v1/organizations/huddinge/bodies/KS/members", o.sekreterare, m, 201, nil)
	}
	justering := fmt.Sprintf("/o/huddinge/sammantraden/%d/justering", today.ID)
	status, html := v.post(justering, url.Values{"version": {"1"}, "date": {"2024-01-29"}, "justerare": {""}, "forvaringsplats": {"Kommunarkivet"}})
	if status != 422 || !strings.Contains(html, `id="f-justerare-error"`) || !strings.Contains(html, `value="Kommunarkivet"`) {
		t.Errorf("a justering without justerare: %d\n%s", status, html)
	}
	// The domain's reason that concerns no one field comes at the top.
	status, html = v.post(justering, url.Values{"version": {"1"}, "date": {"2024-01-29"}, "ordforande": {"Daniel Dronjak"}, "justerare": {"Malin Danielsson"}})
	if status != 422 || !strings.Contains(html, `<p class="error" role="alert">Sammanträdet KS 2024-01-29 har inga paragrafer att justera.</p>`) || !strings.Contains(html, "Malin Danielsson</textarea>") {
		t.Errorf("a justering of a meeting without paragraphs: %d\n%s", status, html)
	}
	if status, _ := v.get("/o/huddinge/administration"); status != 403 {
		t.Errorf("Administration as sekreterare: %d", status)
	}

	admin := a.visitor(t)
	admin.login("huddinge", "admin")
	_, html = admin.get("/o/huddinge/administration")
	for _, want := range []string{"Test registrator", "Socialnämnden", "<td>KS-2024/77</td>", "Brevhuvud och underskrifter", "Kommunstyrelsen med arbetsutskott"} {
		if !strings.Contains(html, want) {
			t.Errorf("Administration lacks %q", want)
		}
	}
	status, html = admin.post("/o/huddinge/administration/anvandare", url.Values{"email": {"inte-en-adress"}, "name": {"Nils Nyman"}, "roles": {"handlaggare"}})
	if status != 422 || !strings.Contains(html, `id="f-email-error"`) || !strings.Contains(html, `value="Nils Nyman"`) || !strings.Contains(html, `value="handlaggare" checked`) {
		t.Errorf("a refused new user: %d\n%s", status, html)
	}
	status, html = admin.post("/o/huddinge/administration/anvandare", url.Values{"email": {"nils.nyman@huddinge.example"}, "name": {"Nils Nyman"}, "roles": {"handlaggare", "lasare"}})
	if status != 200 || !strings.Contains(html, "Nils Nyman är tillagd.") || !strings.Contains(html, "handlaggare, lasare") {
		t.Errorf("a new user: %d\n%s", status, html)
	}
}

// TestUIDraftVersionsCompare: the editor saves versions and shows what a
// version changed against the one before.
func TestUIDraftVersionsCompare(t *testing.T) {
	a := newAPI(t, storetest.SQLite(t))
	o := a.bootstrap("huddinge")
	a.withPasswords(t, o)
	c := a.register(o, registration())
	path := fmt.Sprintf("/o/huddinge/arenden/%d/utkast/yttrande", c.ID)
	v := a.visitor(t)
	v.login("huddinge", "handlaggare")
	for base, text := range []string{"Första stycket.\n\nAndra stycket.", "Första stycket.\n\nAndra stycket, omskrivet."} {
		if status, html := v.post(path, url.Values{"base_version": {fmt.Sprint(base)}, "text": {text}}); status != 200 || !strings.Contains(html, "Yttrande är sparat.") {
			t.Fatalf("save %d: %d\n%s", base+1, status, html)
		}
	}
	_, html := v.get(path + "?jamfor=2")
	if !strings.Contains(html, "Version 2 jämförd med version 1") || !strings.Contains(html, `<del class="diff-delete">− Andra stycket.</del>`) ||
		!strings.Contains(html, `<ins class="diff-insert">+ Andra stycket, omskrivet.</ins>`) {
		t.Errorf("the comparison:\n%s", html)
	}
	status, html := v.post(path, url.Values{"base_version": {"1"}, "text": {"Min egen version."}})
	if status != 409 || !strings.Contains(html, "Min egen version.") || !strings.Contains(html, "Ändrat sedan din version") {
		t.Errorf("a save from version 1: %d\n%s", status, html)
	}
}

// sweepingStore counts the sweeps of expired sessions and says when the
// first happened.
type sweepingStore struct {
	web.SessionStore
	swept chan time.Time
}

func (s sweepingStore) DeleteExpiredSessions(ctx context.Context, now time.Time) error {
	s.swept <- now
	return s.SessionStore.DeleteExpiredSessions(ctx, now)
}

// TestExpiredSessionsAreSwept: the sweeper sweeps at once (the store's
// test checks what a sweep removes), keeps a live session, and stops
// with its context.
func TestExpiredSessionsAreSwept(t *testing.T) {
	st := storetest.SQLite(t)
	ctx, stop := context.WithCancel(t.Context())
	if err := st.CommitSession(ctx, "old", []byte("x"), time.Now().Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := st.CommitSession(ctx, "live", []byte("y"), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	s := sweepingStore{SessionStore: st, swept: make(chan time.Time, 1)}
	done := make(chan struct{})
	go func() { web.ExpireSessions(ctx, s, time.Hour, slog.New(slog.DiscardHandler)); close(done) }()
	if at := <-s.swept; time.Since(at) > time.Hour {
		t.Errorf("the first sweep was for %s, want now", at)
	}
	stop()
	<-done
	if _, found, err := st.FindSession(t.Context(), "live"); err != nil || !found {
		t.Errorf("the live session did not survive the sweep (%v)", err)
	}
}

// TestLoginFormAsksOnlyForWhatItMust: with one organisation the login
// form names it and asks for none; with a few it offers them; with many
// it asks for the short name and says what that is.
func TestLoginFormAsksOnlyForWhatItMust(t *testing.T) {
	a := newAPI(t, storetest.SQLite(t))
	v := a.visitor(t)
	a.bootstrap("huddinge")
	_, html := v.get("/login")
	if !strings.Contains(html, "Logga in i remiss för Huddinge kommun.") || !strings.Contains(html, `<input type="hidden" name="org" value="huddinge">`) ||
		strings.Contains(html, `id="org"`) {
		t.Errorf("one organisation:\n%s", html)
	}
	a.bootstrap("nacka")
	_, html = v.get("/login?org=nacka")
	if !strings.Contains(html, `<select id="org" name="org" required>`) || !strings.Contains(html, `<option value="nacka" selected>Nacka kommun</option>`) ||
		!strings.Contains(html, `<option value="huddinge">Huddinge kommun</option>`) {
		t.Errorf("two organisations:\n%s", html)
	}
	for i := range 11 {
		a.call("POST", "/api/v1/organizations", systemToken, map[string]string{"slug": fmt.Sprintf("kommun%d", i), "name": fmt.Sprintf("Kommun %d", i)}, 201, nil)
	}
	_, html = v.get("/login")
	if !strings.Contains(html, `<input id="org" name="org" value="" required`) || !strings.Contains(html, "Kommunens kortnamn i remiss") || strings.Contains(html, "<option") {
		t.Errorf("thirteen organisations:\n%s", html)
	}
}
