package web_test

import (
	"context"
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
// skips, without Chromium: .ci/run installs it.
func browser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("the browser tests need Debian's chromium (apt-get install chromium; .ci/run does)")
	}
	dir, err := os.MkdirTemp("", "remiss-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.UserDataDir(dir), chromedp.WindowSize(1280, 900),
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

func (b e2e) text(sel chromedp.CSS) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(sel))
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
	b.do("the login page", chromedp.Navigate(b.base+"/login"),
		chromedp.SetValue(chromedp.ID("org"), "huddinge"),
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
