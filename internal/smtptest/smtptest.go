// Package smtptest runs a real SMTP server on the loopback interface for
// tests: STARTTLS with a certificate made for the test, AUTH PLAIN when
// asked for, the messages it accepted, and answers of the test's choosing
// to simulate a mail server that defers or refuses.
//
// It is the only importer of github.com/emersion/go-smtp and
// github.com/emersion/go-sasl.
package smtptest

import (
	"crypto/tls"
	"errors"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"
)

// Server is a running test SMTP server. Its methods are safe for
// concurrent use.
type Server struct {
	// Addr is host:port, 127.0.0.1 and a free port.
	Addr string
	// CertPEM is the server's self-signed certificate (for 127.0.0.1 and
	// localhost), which a client must trust to verify the server.
	CertPEM []byte

	cfg config

	mu       sync.Mutex
	messages []Message
	failData []failure // answers for the next DATA commands, first first
	failRcpt []failure // answers for the next RCPT commands
}

// config is what the Options chose.
type config struct {
	username, password string // AUTH PLAIN required when username is set
	noTLS              bool
	implicitTLS        bool
	onAccept           func(Message)
}

// Option changes how Start's server behaves.
type Option func(*config)

// RequireAuth makes the server offer AUTH PLAIN and refuse mail from a
// client that has not authenticated with username and password. As a real
// server does, it offers AUTH only over TLS, unless NoTLS is also given.
func RequireAuth(username, password string) Option {
	return func(c *config) { c.username, c.password = username, password }
}

// NoTLS makes the server speak plain SMTP only: no STARTTLS.
func NoTLS() Option { return func(c *config) { c.noTLS = true } }

// ImplicitTLS makes the server speak TLS from the first byte, as on port
// 465 (smtps://), instead of offering STARTTLS.
func ImplicitTLS() Option { return func(c *config) { c.implicitTLS = true } }

// OnAccept calls f with each message the server accepts, after it has
// been stored (Messages includes it) and before the client receives the
// 250 answer, from the connection's goroutine. A crash test can cancel
// the client there: the server has the message, the client never learns.
func OnAccept(f func(Message)) Option { return func(c *config) { c.onAccept = f } }

// Start starts a server on 127.0.0.1:0 and closes it when the test ends.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := &Server{}
	for _, opt := range opts {
		opt(&s.cfg)
	}
	cert, certPEM, err := selfSigned()
	if err != nil {
		t.Fatalf("smtptest: certificate: %v", err)
	}
	s.CertPEM = certPEM
	srv := s.newSMTPServer(t, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtptest: listen: %v", err)
	}
	if s.cfg.implicitTLS {
		ln = tls.NewListener(ln, srv.TLSConfig)
	}
	s.Addr = ln.Addr().String()
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		if err := srv.Close(); err != nil && !errors.Is(err, smtp.ErrServerClosed) && !errors.Is(err, net.ErrClosed) {
			t.Errorf("smtptest: close: %v", err)
		}
		// Serve may not have registered the listener with srv yet, in
		// which case only this ends its Accept.
		ln.Close()
		if err := <-done; err != nil {
			t.Errorf("smtptest: serve: %v", err)
		}
	})
	return s
}

// newSMTPServer configures go-smtp for s; its error log goes to the test's
// log, and nowhere once the test has ended.
func (s *Server) newSMTPServer(t testing.TB, conf *tls.Config) *smtp.Server {
	srv := smtp.NewServer(smtp.BackendFunc(s.newSession))
	srv.Domain = "localhost"
	srv.ErrorLog = newTestLogger(t)
	srv.MaxMessageBytes = 10 << 20
	// With ImplicitTLS the listener uses conf, and go-smtp offers no
	// STARTTLS on a connection that is TLS already.
	plain := s.cfg.noTLS && !s.cfg.implicitTLS
	if !plain {
		srv.TLSConfig = conf
	}
	srv.AllowInsecureAuth = plain // else AUTH is offered only after STARTTLS, as on a real server
	return srv
}

// URL is the server's address as an smtp:// URL, or smtps:// with
// ImplicitTLS.
func (s *Server) URL() string {
	if s.cfg.implicitTLS {
		return "smtps://" + s.Addr
	}
	return "smtp://" + s.Addr
}

// CAFile writes CertPEM into a file in t's temporary directory and
// returns its path, for a client that reads its trusted CAs from a file.
func (s *Server) CAFile(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "smtptest-ca.pem")
	if err := os.WriteFile(path, s.CertPEM, 0o600); err != nil {
		t.Fatalf("smtptest: %v", err)
	}
	return path
}

// Messages returns copies of the messages accepted so far, in the order
// they arrived.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Message, len(s.messages))
	for i, m := range s.messages {
		out[i] = m.clone()
	}
	return out
}

// accept stores m and calls the OnAccept hook.
func (s *Server) accept(m Message) {
	s.mu.Lock()
	s.messages = append(s.messages, m)
	s.mu.Unlock()
	if s.cfg.onAccept != nil {
		s.cfg.onAccept(m.clone())
	}
}
