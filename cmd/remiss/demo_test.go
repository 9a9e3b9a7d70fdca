package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/yttrande/remiss/internal/config"
	"github.com/yttrande/remiss/internal/notify"
	"github.com/yttrande/remiss/workflow"
)

// TestDemoPlaysThroughToAvslutad starts the demo in this process, as
// `remiss demo` does, and takes the seeded remiss of SOU 2023:94 along the
// whole kommunstyrelsen route through the API as the demo's own users,
// with the tokens the demo printed, moving the demo's clock to each
// meeting as a person trying it would: tilldela on the morning it was
// registered, the nämnder's answers after their meetings, KSAU on
// 27 March, KS on 8 April, justering, the answer sent into the mail
// folder, avslutad. Nothing here depends on today's date.
func TestDemoPlaysThroughToAvslutad(t *testing.T) {
	cfg, err := config.FromEnv(map[string]string{})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	d, err := openDemo(t.Context(), cfg, log, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.st.Close() })
	h, err := newHandler(t.Context(), d.cfg, log, d.st, d.svc, d.clock)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	var printed bytes.Buffer
	d.seeded.Print(&printed, srv.URL, d.clock.Now().In(d.svc.Location()))
	p := demoPlay{t: t, base: srv.URL + "/api/v1/organizations/huddinge", tokens: printedTokens(t, printed.String())}
	if !strings.Contains(printed.String(), "måndag 29 januari 2024") {
		t.Errorf("the demo does not begin on 29 January 2024:\n%s", printed.String())
	}

	var cases struct{ Items []workflow.Case }
	p.call("GET", "/cases?q=KS-2024/76.109", "omar.nilsson", nil, 200, &cases)
	if len(cases.Items) != 1 || cases.Items[0].State != "registrerad" {
		t.Fatalf("the seeded remiss: %+v", cases.Items)
	}
	p.c = cases.Items[0]
	p.fire("karin.lind", "tilldela", `{"handlaggare":"johan.ek@huddinge.example"}`, "tilldelad")
	p.fire("johan.ek", "begar_yttranden", `{"consultations":[{"body":"SN"},{"body":"GSN"}]}`, "intern_remiss")

	p.moveClock(`{"date":"2024-02-21"}`, "2024-02-21")
	var doc workflow.Document
	p.call("POST", p.casePath()+"/documents", "karin.lind", json.RawMessage(`{"title":"Protokollsutdrag Socialnämnden 2024-02-20 § 14","kind":"protokollsutdrag","direction":"inkommande","date":"2024-02-21","counterpart":"Socialnämnden"}`), 201, &doc)
	p.fire("karin.lind", "registrera_svar", fmt.Sprintf(`{"body":"SN","outcome":"yttrande","meeting":%d,"paragraph":14,"decided_on":"2024-02-20","handling":%d}`, p.meeting("SN", "2024-02-20"), doc.Number), "intern_remiss")
	p.moveClock(`{"date":"2024-03-08"}`, "2024-03-08")
	p.fire("karin.lind", "registrera_svar", fmt.Sprintf(`{"body":"GSN","outcome":"avstar","meeting":%d,"decided_on":"2024-03-07"}`, p.meeting("GSN", "2024-03-07")), "intern_remiss")
	p.fire("johan.ek", "sammanstall", ``, "beredning")
	p.call("PUT", p.casePath()+"/drafts/yttrande", "johan.ek", map[string]any{"text": "Huddinge kommun tillstyrker förslagen i betänkandet.\n\n# Synpunkter\n\nFörsök bör utvärderas innan de permanentas.\n", "base_version": 0}, 200, nil)
	p.fire("johan.ek", "anmal_till_au", fmt.Sprintf(`{"meeting":%d}`, p.meeting("KSAU", "2024-03-27")), "arbetsutskott")

	p.moveClock(`{"date":"2024-03-27"}`, "2024-03-27")
	p.fire("sara.holm", "au_beslut", fmt.Sprintf(`{"outcome":"forslag","meeting":%d,"ks_meeting":%d}`, p.meeting("KSAU", "2024-03-27"), p.meeting("KS", "2024-04-08")), "kommunstyrelse")
	p.moveClock(`{"date":"2024-04-08"}`, "2024-04-08")
	p.fire("sara.holm", "ks_beslut", fmt.Sprintf(`{"outcome":"antaget","meeting":%d,"justerare":["Maria Sjö"]}`, p.meeting("KS", "2024-04-08")), "justering")
	p.moveClock(`{"date":"2024-04-10"}`, "2024-04-10")
	p.fire("sara.holm", "justera", `{"date":"2024-04-10","justerare":["Maria Sjö"]}`, "expediering")
	p.fire("karin.lind", "expediera", ``, "expediering")

	// The job runner's round: the demo's mailer writes into its folder.
	mailer, err := notify.New(notify.SMTPConfig{Dir: d.cfg.MailDirectory()}, log)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.svc.Sending.DeliverOutbox(t.Context(), mailer); err != nil {
		t.Fatal(err)
	}
	p.call("GET", p.casePath(), "omar.nilsson", nil, 200, &p.c)
	if p.c.State != "besvarad" {
		t.Fatalf("after sending: %s", p.c.State)
	}
	p.fire("karin.lind", "avsluta", ``, "avslutad")

	if !mailWith(t, d.cfg.MailDirectory(), "Subject: Fi2023/04321 Huddinge kommun", "fi.remissvar@regeringskansliet.se") {
		t.Error("the answer to Finansdepartementet is not in the mail folder")
	}
	var history []workflow.HistoryEntry
	p.call("GET", p.casePath()+"/history", "omar.nilsson", nil, 200, &history)
	if err := workflow.VerifyHistory(p.c.Dnr, history); err != nil {
		t.Error(err)
	}
	if last := history[len(history)-1]; last.At.In(d.svc.Location()).Format("2006-01-02") != "2024-04-10" {
		t.Errorf("avslutad at %s on the demo's clock", last.At)
	}
}

// printedTokens reads the API tokens the demo printed, by the user part
// of their e-mail address.
func printedTokens(t *testing.T, printed string) map[string]string {
	t.Helper()
	tokens := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^\s+\S+\s+([a-z.]+)@huddinge\.example\s+(remiss_\S+)$`).FindAllStringSubmatch(printed, -1) {
		tokens[m[1]] = m[2]
	}
	if len(tokens) != 8 {
		t.Fatalf("the demo printed %d tokens:\n%s", len(tokens), printed)
	}
	return tokens
}

// mailWith reports whether an .eml file in dir holds every one of want.
func mailWith(t *testing.T, dir string, want ...string) bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.eml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all := true
		for _, w := range want {
			all = all && bytes.Contains(b, []byte(w))
		}
		if all {
			return true
		}
	}
	return false
}

// demoPlay is a person playing the demo through its API.
type demoPlay struct {
	t      *testing.T
	base   string
	tokens map[string]string
	c      workflow.Case
}

func (p *demoPlay) casePath() string { return fmt.Sprintf("/cases/%d", p.c.ID) }

// call makes a request as user (the part of the e-mail before @), requires
// status and decodes the answer into out.
func (p *demoPlay) call(method, path, user string, body any, status int, out any) {
	p.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			p.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	url := p.base + path
	if strings.HasPrefix(path, "/api/") {
		url = strings.TrimSuffix(p.base, "/api/v1/organizations/huddinge") + path
	}
	req, err := http.NewRequestWithContext(p.t.Context(), method, url, rd)
	if err != nil {
		p.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+p.tokens[user])
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status {
		p.t.Fatalf("%s %s as %s: %d, want %d\n%s", method, path, user, resp.StatusCode, status, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			p.t.Fatalf("%s %s: %v\n%s", method, path, err, b)
		}
	}
}

// fire fires event as user and requires the case to reach state.
func (p *demoPlay) fire(user, event, data, state string) {
	p.t.Helper()
	body := map[string]any{"event": event, "version": p.c.Version}
	if data != "" {
		body["data"] = json.RawMessage(data)
	}
	var c workflow.Case
	p.call("POST", p.casePath()+"/events", user, body, 200, &c)
	if c.State != state {
		p.t.Fatalf("%s by %s: state %s, want %s", event, user, c.State, state)
	}
	p.c = c
}

// moveClock moves the demo's clock as Karin and requires the demo's day.
func (p *demoPlay) moveClock(body, today string) {
	p.t.Helper()
	var got struct{ Today string }
	p.call("POST", "/api/v1/demo/clock", "karin.lind", json.RawMessage(body), 200, &got)
	if got.Today != today {
		p.t.Fatalf("the demo's clock moved to %s, want %s", got.Today, today)
	}
}

// meeting is the id of body's meeting on day in the demo's plan.
func (p *demoPlay) meeting(body, day string) int64 {
	p.t.Helper()
	var ms struct{ Items []workflow.Meeting }
	p.call("GET", "/bodies/"+body+"/meetings?from="+day+"&to="+day, "omar.nilsson", nil, 200, &ms)
	if len(ms.Items) != 1 {
		p.t.Fatalf("%s meetings on %s: %+v", body, day, ms.Items)
	}
	return ms.Items[0].ID
}
