package main

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/yttrande/remiss/internal/smtptest"
)

// TestDemoSendsItsMailThroughTheRelay: serve's job runner delivers the
// outbox through REMISS_SMTP_URL: the demo's remiss was assigned to its
// handläggare, and that notice arrives at a real SMTP server.
func TestDemoSendsItsMailThroughTheRelay(t *testing.T) {
	arrived := make(chan smtptest.Message, 4)
	srv := smtptest.Start(t, smtptest.NoTLS(), smtptest.OnAccept(func(m smtptest.Message) { arrived <- m }))
	env := map[string]string{
		"REMISS_SMTP_URL": srv.URL() + "?tls=none", "REMISS_SMTP_FROM": "Remiss Huddinge <remiss@huddinge.example>",
		"REMISS_OUTBOX_INTERVAL": "1h", // the runner delivers once at start; nothing else is needed
	}
	p := start(t, env, "demo", "--addr", "127.0.0.1:0")
	if mail := p.stdout.waitFor(t, regexp.MustCompile(`^Mail: (.+)`), p.done)[1]; !strings.Contains(mail, srv.URL()) {
		t.Errorf("the demo says mail goes to %q", mail)
	}
	select {
	case m := <-arrived:
		if len(m.To) != 1 || !strings.HasSuffix(m.To[0], "@huddinge.example") || !strings.Contains(m.Subject(), "KS-2024/76.109") {
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
