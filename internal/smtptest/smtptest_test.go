package smtptest_test

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/yttrande/remiss/internal/smtptest"
)

// message is a small UTF-8 message with an encoded subject.
const message = "From: a@example.se\r\nTo: b@example.se\r\nSubject: =?UTF-8?q?R=C3=A4ksm=C3=B6rg=C3=A5s_=E2=80=93_test?=\r\n" +
	"Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nH=C3=A4lsningar\r\n"

// trust is a client TLS config that trusts srv's certificate, read back
// from its CA file as a client would.
func trust(t *testing.T, srv *smtptest.Server) *tls.Config {
	t.Helper()
	pem, err := os.ReadFile(srv.CAFile(t))
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatal("CA file holds no certificate")
	}
	return &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}
}

// send sends message through c from a to b.
func send(c *smtp.Client) error {
	return c.SendMail("a@example.se", []string{"b@example.se"}, strings.NewReader(message))
}

// code is the SMTP code and enhanced code of err, or 0.
func code(err error) (int, smtp.EnhancedCode) {
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		return se.Code, se.EnhancedCode
	}
	return 0, smtp.EnhancedCode{}
}

func TestStartTLSAndAuth(t *testing.T) {
	hooked := make(chan smtptest.Message, 1)
	srv := smtptest.Start(t, smtptest.RequireAuth("u", "p"), smtptest.OnAccept(func(m smtptest.Message) { hooked <- m }))
	if srv.URL() != "smtp://"+srv.Addr || !strings.HasPrefix(srv.Addr, "127.0.0.1:") {
		t.Errorf("URL %s, Addr %s", srv.URL(), srv.Addr)
	}
	c, err := smtp.DialStartTLS(srv.Addr, trust(t, srv))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if n, _ := code(send(c)); n != 530 {
		t.Errorf("mail before AUTH: code %d, want 530", n)
	}
	if n, _ := code(c.Auth(sasl.NewPlainClient("", "u", "fel"))); n != 535 {
		t.Errorf("wrong password: code %d, want 535", n)
	}
	if err := c.Auth(sasl.NewPlainClient("", "u", "p")); err != nil {
		t.Fatal(err)
	}
	if err := send(c); err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want 1", len(msgs))
	}
	if h := <-hooked; h.Subject() != msgs[0].Subject() {
		t.Errorf("hook saw %q", h.Subject())
	}
	m := msgs[0]
	if !m.TLS || m.User != "u" || m.From != "a@example.se" || len(m.To) != 1 || m.To[0] != "b@example.se" {
		t.Errorf("message %+v", m)
	}
	if got := m.Subject(); got != "Räksmörgås – test" {
		t.Errorf("subject %q", got)
	}
	if text, err := m.Text(); err != nil || text != "Hälsningar\n" {
		t.Errorf("text %q (%v)", text, err)
	}
	m.To[0] = "changed"
	if srv.Messages()[0].To[0] != "b@example.se" {
		t.Error("Messages shares its slices with the server")
	}
}

func TestFailNext(t *testing.T) {
	srv := smtptest.Start(t, smtptest.NoTLS())
	srv.FailNext(2, 451, "4.3.0 try again later")
	srv.FailNextRcpt(1, 550, "no such user")
	c, err := smtp.Dial(srv.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		t.Error("NoTLS server offers STARTTLS")
	}
	want := []struct {
		code     int
		enhanced smtp.EnhancedCode
	}{{550, smtp.EnhancedCode{5, 0, 0}}, {451, smtp.EnhancedCode{4, 3, 0}}, {451, smtp.EnhancedCode{4, 3, 0}}, {0, smtp.EnhancedCode{}}}
	for i, w := range want {
		n, enhanced := code(send(c))
		if n != w.code || enhanced != w.enhanced {
			t.Errorf("attempt %d: %d %v, want %d %v", i+1, n, enhanced, w.code, w.enhanced)
		}
	}
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("%d messages stored, want only the accepted one", n)
	}
}

func TestImplicitTLS(t *testing.T) {
	srv := smtptest.Start(t, smtptest.ImplicitTLS())
	if !strings.HasPrefix(srv.URL(), "smtps://") {
		t.Errorf("URL %s", srv.URL())
	}
	c, err := smtp.DialTLS(srv.Addr, trust(t, srv))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		t.Error("server offers STARTTLS inside TLS")
	}
	if err := send(c); err != nil {
		t.Fatal(err)
	}
	if msgs := srv.Messages(); len(msgs) != 1 || !msgs[0].TLS {
		t.Fatalf("messages %+v", msgs)
	}
}
