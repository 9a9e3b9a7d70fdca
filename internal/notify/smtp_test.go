package notify_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/yttrande/remiss/internal/notify"
	"github.com/yttrande/remiss/internal/smtptest"
	"github.com/yttrande/remiss/workflow/sending"
)

const (
	from     = "Remiss Huddinge <remiss@huddinge.se>"
	user     = "remiss"
	password = "hemligt-lösenord"
)

// outboxItem is a queued e-mail as the store hands it to a Mailer.
func outboxItem(id int64, template string, payload map[string]any) sending.OutboxItem {
	return sending.OutboxItem{
		ID: id, OrgID: 1, CaseID: 7, Kind: "email", Template: template,
		To: "Åsa Öberg <asa.oberg@huddinge.se>", Payload: payload, Attempt: 1,
		CreatedAt: time.Date(2024, 3, 6, 8, 30, 0, 123456000, time.UTC).Add(time.Duration(id) * time.Second),
	}
}

// smtpMailer is a Mailer for srv that trusts srv's certificate.
func smtpMailer(t *testing.T, srv *smtptest.Server, url string, auth bool) *notify.Mailer {
	t.Helper()
	cfg := notify.SMTPConfig{URL: url, From: from, CAFile: srv.CAFile(t)}
	if auth {
		cfg.Username, cfg.Password = user, password
	}
	m, err := notify.New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestDeliverSTARTTLSWithAuth(t *testing.T) {
	srv := smtptest.Start(t, smtptest.RequireAuth(user, password))
	m := smtpMailer(t, srv, srv.URL(), true)
	ctx := t.Context()
	first, second := outboxItem(41, "paminnelse", reminderPayload(false)), outboxItem(42, "tilldelad", assignedPayload())

	id, err := m.Deliver(ctx, first)
	if err != nil {
		t.Fatal(err)
	}
	again, err := m.Deliver(ctx, first) // a retry after a crash
	if err != nil {
		t.Fatal(err)
	}
	other, err := m.Deliver(ctx, second)
	if err != nil {
		t.Fatal(err)
	}

	if want := "remiss.41.20240306T083041.123456@huddinge.se"; id != want || again != want {
		t.Errorf("Message-IDs of one item = %q, %q, want %q twice", id, again, want)
	}
	if other == id {
		t.Errorf("two items share the Message-ID %q", id)
	}
	msgs := srv.Messages()
	if len(msgs) != 3 {
		t.Fatalf("server has %d messages, want 3", len(msgs))
	}
	for i, want := range []string{id, again, other} {
		if got := msgs[i].Header.Get("Message-ID"); got != "<"+want+">" {
			t.Errorf("message %d: Message-ID %q, want <%s>", i, got, want)
		}
	}
	checkReminder(t, msgs[0])
}

// checkReminder checks what the recipient's mail client sees of the
// reminder outboxItem(41, …) sends.
func checkReminder(t *testing.T, msg smtptest.Message) {
	t.Helper()
	if !msg.TLS || msg.User != user {
		t.Errorf("message came with TLS %v, user %q; want TLS and user %q", msg.TLS, msg.User, user)
	}
	if msg.From != "remiss@huddinge.se" || len(msg.To) != 1 || msg.To[0] != "asa.oberg@huddinge.se" {
		t.Errorf("envelope from %q to %q", msg.From, msg.To)
	}
	if got, want := msg.Subject(), "Påminnelse: Stopptid för tjänsteutlåtandet 13 mars – KS-2024/76.109"; got != want {
		t.Errorf("subject %q, want %q", got, want)
	}
	fromHdr, err := msg.Header.AddressList("From")
	if err != nil || len(fromHdr) != 1 || fromHdr[0].Name != "Remiss Huddinge" || fromHdr[0].Address != "remiss@huddinge.se" {
		t.Errorf("From header %v (%v)", fromHdr, err)
	}
	toHdr, err := msg.Header.AddressList("To")
	if err != nil || len(toHdr) != 1 || toHdr[0].Name != "Åsa Öberg" || toHdr[0].Address != "asa.oberg@huddinge.se" {
		t.Errorf("To header %v (%v)", toHdr, err)
	}
	for header, want := range map[string]string{
		"Content-Type":             "text/plain; charset=UTF-8",
		"Auto-Submitted":           "auto-generated",
		"X-Auto-Response-Suppress": "All",
	} {
		if got := msg.Header.Get(header); got != want {
			t.Errorf("%s: %q, want %q", header, got, want)
		}
	}
	if _, err := msg.Header.Date(); err != nil {
		t.Errorf("Date: %v", err)
	}
	text, err := msg.Text()
	if err != nil || !strings.Contains(text, "Hej Åsa Öberg!\n") || !strings.Contains(text, "Moment:  Stopptid för tjänsteutlåtandet") {
		t.Errorf("body (%v):\n%s", err, text)
	}
}

func TestDeliverOverOtherTransports(t *testing.T) {
	tests := []struct {
		name   string
		opts   []smtptest.Option
		suffix string // appended to the server's URL
		auth   bool
		tls    bool
	}{
		{"smtps with AUTH", []smtptest.Option{smtptest.ImplicitTLS(), smtptest.RequireAuth(user, password)}, "", true, true},
		{"STARTTLS without AUTH", nil, "", false, true},
		{"opportunistic, offered", nil, "?tls=opportunistic", false, true},
		{"opportunistic, not offered", []smtptest.Option{smtptest.NoTLS()}, "?tls=opportunistic", false, false},
		{"plain text with AUTH, asked for", []smtptest.Option{smtptest.NoTLS(), smtptest.RequireAuth(user, password)}, "?tls=none", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := smtptest.Start(t, tt.opts...)
			m := smtpMailer(t, srv, srv.URL()+tt.suffix, tt.auth)
			if _, err := m.Deliver(t.Context(), outboxItem(1, "tilldelad", assignedPayload())); err != nil {
				t.Fatal(err)
			}
			msgs := srv.Messages()
			if len(msgs) != 1 || msgs[0].TLS != tt.tls {
				t.Fatalf("server got %d messages, want 1 with TLS %v", len(msgs), tt.tls)
			}
			if got := msgs[0].Subject(); !strings.HasPrefix(got, "Nytt ärende att handlägga: ") {
				t.Errorf("subject %q", got)
			}
		})
	}
}

// temporary fails t unless err is a failure worth retrying.
func temporary(t *testing.T, err error, mention string) {
	t.Helper()
	if err == nil || errors.Is(err, sending.ErrPermanent) {
		t.Fatalf("err = %v, want a temporary error", err)
	}
	if !strings.Contains(err.Error(), mention) {
		t.Errorf("err = %v, want it to mention %q", err, mention)
	}
}

// permanent fails t unless err says retrying cannot help.
func permanent(t *testing.T, err error, mention string) {
	t.Helper()
	if !errors.Is(err, sending.ErrPermanent) {
		t.Fatalf("err = %v, want one wrapping ErrPermanent", err)
	}
	if !strings.Contains(err.Error(), mention) {
		t.Errorf("err = %v, want it to mention %q", err, mention)
	}
}

func TestDeliverClassifiesServerAnswers(t *testing.T) {
	tests := []struct {
		name      string
		fail      func(*smtptest.Server)
		permanent bool
		mention   string
	}{
		{"4xx to DATA", func(s *smtptest.Server) { s.FailNext(1, 451, "4.3.0 try again later") }, false, "451 4.3.0 try again later"},
		{"5xx to DATA", func(s *smtptest.Server) { s.FailNext(1, 550, "5.1.1 mailbox unknown") }, true, "550 5.1.1 mailbox unknown"},
		{"4xx to RCPT", func(s *smtptest.Server) { s.FailNextRcpt(1, 450, "4.2.1 mailbox busy") }, false, "450 4.2.1 mailbox busy"},
		{"5xx to RCPT", func(s *smtptest.Server) { s.FailNextRcpt(1, 550, "5.1.1 no such user") }, true, "550 5.1.1 no such user"},
		{"5xx without an enhanced code", func(s *smtptest.Server) { s.FailNext(1, 554, "rejected as spam") }, true, "554 5.0.0 rejected as spam"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := smtptest.Start(t)
			tt.fail(srv)
			m := smtpMailer(t, srv, srv.URL(), false)
			item := outboxItem(5, "tilldelad", assignedPayload())
			_, err := m.Deliver(t.Context(), item)
			if tt.permanent {
				permanent(t, err, tt.mention)
			} else {
				temporary(t, err, tt.mention)
			}
			if n := len(srv.Messages()); n != 0 {
				t.Fatalf("server stored %d refused messages", n)
			}
			if _, err := m.Deliver(t.Context(), item); err != nil { // the server answers normally again
				t.Fatalf("the next attempt: %v", err)
			}
			if n := len(srv.Messages()); n != 1 {
				t.Errorf("server has %d messages after the next attempt, want 1", n)
			}
		})
	}
}

func TestDeliverFailsBeforeTheMessage(t *testing.T) {
	plain := smtptest.Start(t, smtptest.NoTLS())
	secure := smtptest.Start(t, smtptest.RequireAuth(user, password))
	tests := []struct {
		name      string
		srv       *smtptest.Server
		cfg       notify.SMTPConfig
		permanent bool
		mention   string
	}{
		{"server unreachable", secure, notify.SMTPConfig{URL: "smtp://" + closedAddr(t), From: from}, false, "connection refused"},
		{"STARTTLS required, not offered", plain, notify.SMTPConfig{URL: plain.URL(), From: from}, false, "STARTTLS"},
		{"certificate not trusted", secure, notify.SMTPConfig{URL: secure.URL(), From: from, Username: user, Password: password}, false, "certificate"},
		{"wrong password", secure, notify.SMTPConfig{URL: secure.URL(), From: from, Username: user, Password: "fel", CAFile: secure.CAFile(t)}, false, "535"},
		// A 5xx to MAIL FROM is the relay's configuration, not the message:
		// retried, so that the message goes once the relay is set up.
		{"AUTH required, no credentials", secure, notify.SMTPConfig{URL: secure.URL(), From: from, CAFile: secure.CAFile(t)}, false, "MAIL FROM with 530 5.7.0 Authentication required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := notify.New(tt.cfg, nil)
			if err != nil {
				t.Fatal(err)
			}
			_, err = m.Deliver(t.Context(), outboxItem(9, "tilldelad", assignedPayload()))
			if tt.permanent {
				permanent(t, err, tt.mention)
			} else {
				temporary(t, err, tt.mention)
			}
			if n := len(tt.srv.Messages()); n != 0 {
				t.Errorf("server has %d messages", n)
			}
		})
	}
}

// closedAddr is a loopback address where nothing listens any more.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestDeliverRefusesBadItems(t *testing.T) {
	tests := []struct {
		name    string
		change  func(*sending.OutboxItem)
		mention string
	}{
		{"unknown template", func(it *sending.OutboxItem) { it.Template = "okand" }, `no mail template "okand"`},
		{"missing payload key", func(it *sending.OutboxItem) { delete(it.Payload, "dnr") }, `"dnr"`},
		{"invalid recipient", func(it *sending.OutboxItem) { it.To = "inte en adress" }, `recipient "inte en adress"`},
		{"two recipients", func(it *sending.OutboxItem) { it.To = "a@huddinge.se, b@huddinge.se" }, "recipient"},
		{"not e-mail", func(it *sending.OutboxItem) { it.Kind = "webhook" }, `kind "webhook"`},
	}
	srv := smtptest.Start(t)
	m := smtpMailer(t, srv, srv.URL(), false)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			item := outboxItem(3, "tilldelad", assignedPayload())
			tt.change(&item)
			id, err := m.Deliver(t.Context(), item)
			permanent(t, err, tt.mention)
			if id != "" {
				t.Errorf("Message-ID %q of a message not sent", id)
			}
		})
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("server has %d messages", n)
	}
}

func TestDeliverStopsWithItsContext(t *testing.T) {
	// A server that accepts the connection and never greets: only the
	// cancelled context can end the delivery before its timeout.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		if c, err := ln.Accept(); err == nil {
			accepted <- c
		}
	}()
	m, err := notify.New(notify.SMTPConfig{URL: "smtp://" + ln.Addr().String(), From: from}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := m.Deliver(ctx, outboxItem(8, "tilldelad", assignedPayload()))
		done <- err
	}()
	conn := <-accepted
	defer conn.Close()
	cancel()
	err = <-done
	if !errors.Is(err, context.Canceled) || errors.Is(err, sending.ErrPermanent) {
		t.Fatalf("err = %v, want a temporary error wrapping context.Canceled", err)
	}
}

func TestDeliverOnceAccepted(t *testing.T) {
	// The server stores the message, then the client's context ends before
	// it reads the answer, as in a shutdown. Whatever the client saw, a
	// retry carries the same Message-ID, so the recipient can tell.
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	srv := smtptest.Start(t, smtptest.OnAccept(func(smtptest.Message) { cancel() }))
	m := smtpMailer(t, srv, srv.URL(), false)
	item := outboxItem(12, "tilldelad", assignedPayload())
	_, err := m.Deliver(ctx, item)
	if err != nil && (!errors.Is(err, context.Canceled) || errors.Is(err, sending.ErrPermanent)) {
		t.Fatalf("err = %v, want nil or a temporary cancellation", err)
	}
	if _, err := m.Deliver(t.Context(), item); err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages()
	if len(msgs) != 2 || msgs[0].Header.Get("Message-ID") != msgs[1].Header.Get("Message-ID") {
		t.Fatalf("want two copies with one Message-ID, got %d messages", len(msgs))
	}
}
