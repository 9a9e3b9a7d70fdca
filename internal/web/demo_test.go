package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/yttrande/remiss/internal/demo"
	"github.com/yttrande/remiss/internal/store/storetest"
	"github.com/yttrande/remiss/internal/web"
	"github.com/yttrande/remiss/workflow"
)

// newDemo is the demo on a fresh embedded database: seeded through the
// service on the demo's clock, served with the clock's banner, and what
// `remiss demo` prints.
func newDemo(t *testing.T) (*api, demo.Seeded, string) {
	t.Helper()
	clock := demo.NewClock(demo.Begins)
	a := newAPIAt(t, storetest.SQLite(t), clock, func(_ string, d *web.Deps) { d.Demo = clock })
	seeded, err := demo.Seed(t.Context(), a.svc, clock, acceptingMailer{})
	if err != nil {
		t.Fatal(err)
	}
	var printed bytes.Buffer
	seeded.Print(&printed, a.base, clock.Now().In(stockholm))
	return a, seeded, printed.String()
}

// TestBrowserLogsInToTheDemo: in headless Chromium, a person logs in to
// the demo with what it printed (the registrator's address and the one
// password), sees the demo's day in the banner, reaches the seeded remiss
// from the overview (the banner passing axe there), and moves the demo's
// clock to the next meeting and then to KSAU's meeting of 27 March.
func TestBrowserLogsInToTheDemo(t *testing.T) {
	a, _, printed := newDemo(t)
	password := regexp.MustCompile(`password (demo-\S+)\)`).FindStringSubmatch(printed)
	email := regexp.MustCompile(`(?m)^\s+\S+ \S+\s+registrator\s+(\S+@huddinge\.example)`).FindStringSubmatch(printed)
	if password == nil || email == nil {
		t.Fatalf("the demo printed no password or registrator:\n%s", printed)
	}
	b := e2e{t: t, ctx: browser(t), base: a.base}
	b.do("the login page", chromedp.Navigate(b.base+"/login"))
	if got := b.text("main"); !strings.Contains(got, "Logga in i remiss för Huddinge kommun") {
		t.Errorf("the login page does not name the one organisation: %q", got)
	}
	if got := b.text("#demo-today"); got != "måndag 29 januari 2024" {
		t.Errorf("the demo's day on the login page: %q", got)
	}
	b.do("logging in", chromedp.SetValue(chromedp.ID("email"), email[1]), chromedp.SetValue(chromedp.ID("password"), password[1]))
	b.click("logging in as "+email[1], `main button[type=submit]`)
	if row := b.text(`table.cases tbody tr:has(a[href$="/arenden/3"])`); !strings.Contains(row, "KS-2024/76.109") || !strings.Contains(row, "Registrerad") {
		t.Errorf("the overview's row of the seeded remiss: %q", row)
	}
	b.click("opening the seeded remiss", `a[href$="/arenden/3"]`)
	if got := b.text("h1"); !strings.Contains(got, "Förändring genom försöksverksamhet") {
		t.Errorf("the case page: %q", got)
	}
	b.checkAxe("the demo's case page, with its banner")
	b.click("going to the next meeting", `.demo button[value=nasta]`)
	if got := b.text("#demo-today"); got != "torsdag 1 februari 2024" {
		t.Errorf("after the next meeting: %q", got)
	}
	if flash := b.text("p.flash"); !strings.Contains(flash, "efter sammanträdet med grundskolenämnden") {
		t.Errorf("flash %q", flash)
	}
	if got := b.text("h1"); !strings.Contains(got, "Förändring genom försöksverksamhet") {
		t.Errorf("the move did not come back to the case: %q", got)
	}
	b.do("choosing 27 March", chromedp.SetValue(chromedp.ID("demo-datum"), "2024-03-27"))
	b.click("going to 27 March", `.demo-day button`)
	if got := b.text("#demo-today"); got != "onsdag 27 mars 2024" {
		t.Errorf("after going to 27 March: %q", got)
	}
}

// TestDemoClockOverTheAPI: the demo's clock is read and moved forward
// with any user's token, refuses to go back in Swedish, and outside the
// demo the route says so.
func TestDemoClockOverTheAPI(t *testing.T) {
	a, seeded, _ := newDemo(t)
	token := seeded.Who(workflow.RoleLasare).Token
	var got struct{ Today string }
	a.call("GET", "/api/v1/demo/clock", token, nil, 200, &got)
	if got.Today != "2024-01-29" {
		t.Errorf("the demo begins on %s", got.Today)
	}
	a.call("POST", "/api/v1/demo/clock", token, map[string]string{"date": "2024-02-07"}, 200, &got)
	if got.Today != "2024-02-07" {
		t.Errorf("moved to %s", got.Today)
	}
	p := wantProblem(t, a.do("POST", "/api/v1/demo/clock", token, map[string]string{"date": "2024-02-06"}, ""), 422)
	if !strings.Contains(p.Detail, "går bara framåt") || !strings.Contains(p.Detail, "onsdag 7 februari 2024") {
		t.Errorf("going back: %+v", p)
	}
	wantProblem(t, a.do("POST", "/api/v1/demo/clock", token, map[string]any{"date": "2024-03-01", "time": "2024-03-01T10:00:00+01:00"}, ""), 422)
	wantProblem(t, a.do("POST", "/api/v1/demo/clock", "", map[string]string{"date": "2024-03-01"}, ""), 401)
	// The case at the arbetsutskott is on the agenda of the meeting the
	// clock now stands on.
	c := seeded.Case("KS-2023/399")
	var at workflow.Case
	a.call("GET", fmt.Sprintf("/api/v1/organizations/huddinge/cases/%d", c.ID), token, nil, 200, &at)
	if at.State != "arbetsutskott" {
		t.Errorf("the case at the AU is %s", at.State)
	}

	plain := newAPI(t, storetest.SQLite(t))
	if p := wantProblem(t, plain.do("GET", "/api/v1/demo/clock", systemToken, nil, ""), http.StatusNotFound); !strings.Contains(p.Detail, "bara flyttas i demon") {
		t.Errorf("outside the demo: %+v", p)
	}
}
