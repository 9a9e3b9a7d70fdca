package main

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/yttrande/remiss/internal/smtptest"
	"github.com/yttrande/remiss/workflow"
)

// TestDemoSendsItsMailThroughTheRelay: serve's job runner delivers the
// outbox through REMISS_SMTP_URL: the registrator assigns the demo's
// remiss to its handläggare, and that notice arrives at a real SMTP
// server. The seeded cases' earlier mail stays in the mail folder.
func TestDemoSendsItsMailThroughTheRelay(t *testing.T) {
	arrived := make(chan smtptest.Message, 4)
	srv := smtptest.Start(t, smtptest.NoTLS(), smtptest.OnAccept(func(m smtptest.Message) { arrived <- m }))
	env := map[string]string{
		"REMISS_SMTP_URL": srv.URL() + "?tls=none", "REMISS_SMTP_FROM": "Remiss Huddinge <remiss@huddinge.example>",
		"REMISS_OUTBOX_INTERVAL": "1s", // the runner's rounds, so that the notice goes out soon after it is queued
	}
	p := start(t, env, "demo", "--addr", "127.0.0.1:0")
	url := p.stdout.waitFor(t, regexp.MustCompile(`is running at (http://\S+)`), p.done)[1]
	token := p.stdout.waitFor(t, regexp.MustCompile(`^\s+registrator\s+\S+\s+(remiss_\S+)`), p.done)[1]
	if mail := p.stdout.waitFor(t, regexp.MustCompile(`^Mail: (.+)`), p.done)[1]; !strings.Contains(mail, srv.URL()) {
		t.Errorf("the demo says mail goes to %q", mail)
	}
	assign(t, url+"/api/v1/organizations/huddinge", token, "KS-2024/76.109", "johan.ek@huddinge.example")
	select {
	case m := <-arrived:
		if len(m.To) != 1 || m.To[0] != "johan.ek@huddinge.example" || !strings.Contains(m.Subject(), "KS-2024/76.109") {
			t.Errorf("mail to %v, subject %q", m.To, m.Subject())
		}
		if from := m.Header.Get("From"); !strings.Contains(from, "remiss@huddinge.example") {
			t.Errorf("From: %s", from)
		}
	case code := <-p.done:
		t.Fatalf("the demo exited with %d before its mail arrived:\n%s", code, p.stderr.text())
	case <-time.After(time.Minute):
		t.Fatalf("no mail arrived within a minute:\n%s", p.stderr.text())
	}
	if code := p.stop(); code != 0 {
		t.Errorf("demo exited with %d:\n%s", code, p.stderr.text())
	}
}

// assign fires tilldela on the case with dnr as the token's user.
func assign(t *testing.T, api, token, dnr, handlaggare string) {
	t.Helper()
	var page struct{ Items []workflow.Case }
	if code := getJSON(t, api+"/cases?q="+dnr, token, &page); code != 200 || len(page.Items) != 1 {
		t.Fatalf("find %s: %d %+v", dnr, code, page.Items)
	}
	c := page.Items[0]
	body := fmt.Sprintf(`{"event":"tilldela","version":%d,"data":{"handlaggare":%q}}`, c.Version, handlaggare)
	req, _ := http.NewRequestWithContext(t.Context(), "POST", fmt.Sprintf("%s/cases/%d/events", api, c.ID), strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("tilldela: %d", resp.StatusCode)
	}
}
