package web_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/yttrande/remiss/internal/store/storetest"
)

var screenshots = flag.Bool("screenshots", false, "save screenshots of the main pages under docs/screenshots/")

// browser starts headless Debian Chromium for one test. It fails, not
// skips, without Chromium: .ci/run installs it. Under -short (the quick
// loop) the browser tests are skipped.
func browser(t *testing.T) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("a browser test: skipped under -short")
	}
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("the browser tests need Debian's chromium (apt-get install chromium; .ci/run does)")
	}
	dir, err := os.MkdirTemp("", "remiss-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.UserDataDir(dir), chromedp.WindowSize(1280, 900), chromedp.Flag("lang", "sv-SE"),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true))
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	tab, cancelTab := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
		cancel()
		_ = os.RemoveAll(dir) // Chromium's helpers may still be writing: best effort
	})
	return tab
}

// e2e is a browser on the web application.
type e2e struct {
	t    *testing.T
	ctx  context.Context
	base string
}

// do runs steps and fails the test at the first error, naming the step.
func (b e2e) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// click clicks sel and waits for the page it leads to.
func (b e2e) click(what string, sel chromedp.CSS) {
	b.t.Helper()
	resp, err := chromedp.RunResponse(b.ctx, chromedp.Click(sel))
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	if resp.Status >= 500 {
		b.t.Fatalf("%s: status %d", what, resp.Status)
	}
}

// text is the visible text of the first element sel matches on the page
// as it is now, "" when there is none: a missing element fails the
// comparison at once instead of waiting for it.
func (b e2e) text(sel chromedp.CSS) string {
	b.t.Helper()
	js := fmt.Sprintf(`(document.querySelector(%q) || {innerText: ""}).innerText.trim()`, string(sel))
	s, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// shot saves the page as docs/screenshots/name.png with -screenshots.
func (b e2e) shot(name string) {
	b.t.Helper()
	if !*screenshots {
		return
	}
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("..", "..", "docs", "screenshots", name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

func (b e2e) login(role string) {
	b.t.Helper()
	// One organisation: the form names it and asks for none.
	b.do("the login page", chromedp.Navigate(b.base+"/login"),
		chromedp.SetValue(chromedp.ID("email"), role+"@huddinge.example"),
		chromedp.SetValue(chromedp.ID("password"), uiPassword))
	b.click("logging in as "+role, `button[type=submit]`)
}

// TestBrowserRegistratorAssignsAndLasareCannot: in headless Chromium, the
// registrator logs in, finds the remiss on the overview, opens it,
// assigns it to the handläggare through the event's form and sees the
// new state and history; logged out and in again as a läsare, there are
// no action buttons, and a forged post from the page is refused with 403.
func TestBrowserRegistratorAssignsAndLasareCannot(t *testing.T) {
	a := newAPI(t, storetest.SQLite(t))
	o := a.bootstrap("huddinge")
	a.withPasswords(t, o)
	c := a.register(o, registration())
	b := e2e{t: t, ctx: browser(t), base: a.base}
	casePath := fmt.Sprintf("/o/huddinge/arenden/%d", c.ID)

	b.login("registrator")
	if got := b.text("h1"); got != "Översikt" {
		t.Fatalf("after logging in: %q", got)
	}
	if row := b.text("table.cases tbody tr"); !strings.Contains(row, "KS-2024/76.109") || !strings.Contains(row, "Registrerad") {
		t.Errorf("the overview's row: %q", row)
	}
	b.shot("oversikt")
	b.click("opening the case", chromedp.CSS(`a[href="`+casePath+`"]`))
	if facts := b.text("dl.facts"); !strings.Contains(facts, "Fi2023/04321") || !strings.Contains(facts, "15 april 2024") {
		t.Errorf("the case's facts: %q", facts)
	}
	b.click("opening tilldela", `a.button[href*="/handelser/tilldela"]`)
	b.do("choosing the handläggare", chromedp.SetValue(chromedp.ID("f-handlaggare"), "handlaggare@huddinge.example"))
	b.shot("arende-handelse")
	b.click("firing tilldela", `form.event-form button[type=submit]`)
	if got := b.text("#state"); got != "Tilldelad" {
		t.Errorf("state after tilldela: %q", got)
	}
	if flash := b.text("p.flash"); !strings.Contains(flash, "Tilldela handläggare") {
		t.Errorf("flash %q", flash)
	}
	if h := b.text("ol.timeline"); !strings.Contains(h, "Tilldela handläggare") {
		t.Errorf("history %q", h)
	}
	b.shot("arende")

	b.click("logging out", `form.logout button`)
	b.login("lasare")
	b.do("opening the case as läsare", chromedp.Navigate(b.base+casePath))
	n, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll('.actions a, form.event-form').length`))
	if err != nil || n != 0 {
		t.Errorf("a läsare sees %d action links (%v)", n, err)
	}
	forged := fmt.Sprintf(`fetch(%q, {method: "POST", headers: {"Content-Type": "application/x-www-form-urlencoded"}, body: "version=2&handlaggare=lasare%%40huddinge.example"}).then(r => r.status)`, casePath+"/handelser/tilldela")
	status, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](forged, chromedp.EvalAwaitPromise))
	if err != nil || status != 403 {
		t.Errorf("a läsare's forged post from the page: %d (%v), want 403", status, err)
	}
}

// fire opens the event's form from the case page, fills it with values
// (element id → value; "true" checks a checkbox) and sends it, then wants
// the case in state.
func (b e2e) fire(casePath, event string, values map[string]string, state string) {
	b.t.Helper()
	b.do("opening the case for "+event, chromedp.Navigate(b.base+casePath))
	b.click("opening "+event, chromedp.CSS(`a.button[href*="/handelser/`+event+`?"]`))
	for id, v := range values {
		b.do("filling "+id, chromedp.SetValue(chromedp.ID(id), v))
	}
	b.click("sending "+event, `form.event-form button[type=submit]`)
	if got := b.text("#state"); got != state {
		b.t.Fatalf("after %s: state %q, want %q (page: %s)", event, got, state, b.text("main"))
	}
}

// TestBrowserTakesTheRemissToBesvarad: in headless Chromium the
// sekreterare registers the Huddinge remiss with the form, takes it
// through assignment, beredning with the yttrande written in the editor,
// the arbetsutskott, the kommunstyrelse and justering to expediering by
// clicking; the job runner sends the answer and the case page shows it
// besvarad; the yttrande downloads as a PDF. A second browser, which had
// a form open meanwhile, is told who changed the case, and keeps what it
// typed.
func TestBrowserTakesTheRemissToBesvarad(t *testing.T) {
	a := newAPI(t, storetest.SQLite(t))
	o := a.bootstrap("huddinge")
	a.withPasswords(t, o)
	meetings := map[string]string{}
	for _, body := range []string{"KSAU", "KS"} {
		var m struct{ ID int64 }
		a.call("POST", "/api/v1/organizations/huddinge/bodies/"+body+"/meetings", o.sekreterare, map[string]string{"date": "2024-01-29", "time": "13:00"}, 201, &m)
		meetings[body] = fmt.Sprint(m.ID)
	}
	b := e2e{t: t, ctx: browser(t), base: a.base}
	b.login("sekreterare")
	b.click("opening Registrera remiss", `nav a[href$="/registrera"]`)
	for id, v := range map[string]string{
		"f-title": "Förändring genom försök – försöksverksamhet i den kommunala sektorn", "f-remiss-sender": "Finansdepartementet",
		"f-remiss-sender_dnr": "Fi2023/04321", "f-remiss-reference": "SOU 2023:94", "f-remiss-received": "2024-01-26",
		"f-remiss-deadline": "2024-04-15", "f-classification": "109",
	} {
		b.do("filling "+id, chromedp.SetValue(chromedp.ID(id), v))
	}
	b.shot("registrera")
	b.click("registering", `main form button[type=submit]`)
	if flash := b.text("p.flash"); !strings.Contains(flash, "KS-2024/76.109") {
		t.Fatalf("after registering: %q\n%s", flash, b.text("main"))
	}
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	casePath := strings.TrimPrefix(loc, b.base)

	b.fire(casePath, "tilldela", map[string]string{"f-handlaggare": "handlaggare@huddinge.example"}, "Tilldelad")
	b.fire(casePath, "paborja_beredning", nil, "Beredning")
	b.do("writing the yttrande", chromedp.Navigate(b.base+casePath+"/utkast/yttrande"),
		chromedp.SetValue(chromedp.ID("draft-text"), "Huddinge kommun tillstyrker förslagen.\n\n# Synpunkter\n\nKommunen ser positivt på försöksverksamheten."))
	b.click("saving the yttrande", `main form button[type=submit]`)
	if flash := b.text("p.flash"); !strings.Contains(flash, "Yttrande är sparat") {
		t.Errorf("after saving the draft: %q", flash)
	}
	b.fire(casePath, "anmal_till_au", map[string]string{"f-meeting": meetings["KSAU"]}, "Arbetsutskottet")
	b.fire(casePath, "au_beslut", map[string]string{"f-outcome": "forslag", "f-meeting": meetings["KSAU"], "f-ks_meeting": meetings["KS"]}, "Kommunstyrelsen")

	// A second secretary opens Begär anstånd while the first goes on.
	other := e2e{t: t, ctx: browser(t), base: a.base}
	other.login("registrator")
	other.do("opening anstånd", chromedp.Navigate(other.base+casePath))
	other.click("opening begar_anstand", `a.button[href*="/handelser/begar_anstand?"]`)
	other.do("typing the new date", chromedp.SetValue(chromedp.ID("f-new_deadline"), "2024-05-15"))

	b.fire(casePath, "ks_beslut", map[string]string{"f-outcome": "antaget", "f-meeting": meetings["KS"]}, "Justering")
	other.click("sending the stale anstånd", `form.event-form button[type=submit]`)
	if msg := other.text("div.error"); !strings.Contains(msg, "Test sekreterare") || !strings.Contains(msg, "ks_beslut") {
		t.Errorf("the second browser's conflict message: %q", msg)
	}
	if v, err := chromedp.Run(other.ctx, chromedp.Value(chromedp.ID("f-new_deadline"))); err != nil || v != "2024-05-15" {
		t.Errorf("the typed date after the conflict: %q (%v)", v, err)
	}

	b.fire(casePath, "justera", map[string]string{"f-date": "2024-01-29", "f-justerare": "Malin Danielsson"}, "Expediering")
	b.fire(casePath, "expediera", nil, "Expediering")
	if got, err := a.svc.Sending.DeliverOutbox(t.Context(), acceptingMailer{}); err != nil || got.Sent == 0 {
		t.Fatalf("the job runner's delivery: %+v, %v", got, err)
	}
	b.do("reloading the case", chromedp.Navigate(b.base+casePath))
	if got := b.text("#state"); got != "Besvarad" {
		t.Errorf("after sending: %q", got)
	}
	if docs := b.text("section[aria-labelledby=docs-h]"); !strings.Contains(docs, "Utgående") {
		t.Errorf("the sent answer is not among the handlingar: %q", docs)
	}
	b.shot("arende-besvarad")
	b.do("the expedition page", chromedp.Navigate(b.base+casePath+"/expediering"))
	if sent := b.text("section[aria-labelledby=sent-h]"); !strings.Contains(sent, "fi.remissvar@regeringskansliet.se") || !strings.Contains(sent, "Skickat") {
		t.Errorf("the expedition page's e-mail: %q", sent)
	}
	b.do("back to the case", chromedp.Navigate(b.base+casePath))
	pdf := `fetch(document.querySelector('a[href$="/yttrande.pdf"]').href).then(r => r.arrayBuffer().then(b => r.status + " " + r.headers.get("Content-Type") + " " + String.fromCharCode(...new Uint8Array(b).slice(0, 5))))`
	got, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](pdf, chromedp.EvalAwaitPromise))
	if err != nil || got != "200 application/pdf %PDF-" {
		t.Errorf("downloading the yttrande: %q (%v)", got, err)
	}
}

// axeViolation is one rule a page breaks, as axe-core reports it.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  int    `json:"nodes"`
	Target string `json:"target"`
}

// axe runs axe-core's WCAG 2.1 A and AA rules on the page as it is and
// returns what it breaks.
// checkAxe fails the test on a serious or critical violation axe finds
// on the page as it is now, and logs the lesser ones.
func (b e2e) checkAxe(page string) {
	b.t.Helper()
	for _, v := range b.axe() {
		if v.Impact == "serious" || v.Impact == "critical" {
			b.t.Errorf("%s: %s (%s) on %d elements, e.g. %s: %s", page, v.ID, v.Impact, v.Nodes, v.Target, v.Help)
		} else {
			b.t.Logf("%s: %s (%s): %s", page, v.ID, v.Impact, v.Help)
		}
	}
}

func (b e2e) axe() []axeViolation {
	b.t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "axe-core", "axe.min.js"))
	if err != nil {
		b.t.Fatal(err)
	}
	// DevTools evaluation is not bound by the page's CSP, which forbids
	// any script but the server's own.
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[any](string(src)+";0")); err != nil {
		b.t.Fatalf("injecting axe-core: %v", err)
	}
	const run = `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}).then(r => JSON.stringify(
		r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length, target: String(v.nodes[0].target)}))))`
	out, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](run, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("running axe-core: %v", err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		b.t.Fatal(err)
	}
	return vs
}

// TestBrowserPagesPassAxe: every main page, with a form open and with a
// refused form showing its errors, has no serious or critical violation
// of WCAG 2.1 A and AA as axe-core checks it; lesser ones are listed.
func TestBrowserPagesPassAxe(t *testing.T) {
	a := newAPI(t, storetest.SQLite(t))
	o := a.bootstrap("huddinge")
	a.withPasswords(t, o)
	c := a.register(o, registration())
	casePath := fmt.Sprintf("/o/huddinge/arenden/%d", c.ID)
	var m struct{ ID int64 }
	a.call("POST", "/api/v1/organizations/huddinge/bodies/KSAU/meetings", o.sekreterare, map[string]string{"date": "2024-03-27", "time": "08:30"}, 201, &m)
	b := e2e{t: t, ctx: browser(t), base: a.base}
	check := b.checkAxe
	b.do("the login page", chromedp.Navigate(b.base+"/login"))
	check("Logga in")
	b.login("sekreterare")
	check("Översikt")
	b.do("the case", chromedp.Navigate(b.base+casePath))
	check("Ärende")
	b.do("a form", chromedp.Navigate(b.base+casePath+"/handelser/begar_anstand?version=1"))
	check("Ärende med formulär")
	b.do("a refused form", chromedp.SetValue(chromedp.ID("f-new_deadline"), "2024-01-01"))
	b.click("sending it", `form.event-form button[type=submit]`)
	if msg := b.text(".field-error"); msg == "" {
		t.Fatal("the refused form shows no error beside its field")
	}
	check("Ärende med fel i formuläret")
	b.do("registration", chromedp.Navigate(b.base+"/o/huddinge/registrera"))
	check("Registrera remiss")
	b.do("the draft", chromedp.Navigate(b.base+casePath+"/utkast/yttrande"))
	check("Utkast")
	b.do("the expedition", chromedp.Navigate(b.base+casePath+"/expediering"))
	check("Expediering")
	b.do("the meetings", chromedp.Navigate(b.base+"/o/huddinge/sammantraden"))
	check("Sammanträden")
	b.shot("sammantraden")
	b.do("a meeting", chromedp.Navigate(fmt.Sprintf("%s/o/huddinge/sammantraden/%d", b.base, m.ID)))
	check("Sammanträde")
	b.click("logging out", `form.logout button`)
	b.login("admin")
	b.do("administration", chromedp.Navigate(b.base+"/o/huddinge/administration"))
	check("Administration")
	b.shot("administration")
}
