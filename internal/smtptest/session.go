package smtptest

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// failure is an answer a test asked for in place of the usual one.
type failure struct {
	code     int
	enhanced smtp.EnhancedCode
	text     string
}

// err is the go-smtp error that makes the server answer f.
func (f failure) err() error {
	return &smtp.SMTPError{Code: f.code, EnhancedCode: f.enhanced, Message: f.text}
}

// newFailures is n copies of the answer code text. An enhanced status
// code at the start of text ("5.1.1 mailbox unknown") is sent as such;
// without one the server sends X.0.0.
func newFailures(n, code int, text string) []failure {
	f := failure{code: code, enhanced: smtp.EnhancedCodeNotSet, text: text}
	if first, rest, ok := strings.Cut(text, " "); ok {
		if ec, ok := parseEnhanced(first); ok {
			f.enhanced, f.text = ec, rest
		}
	}
	out := make([]failure, n)
	for i := range out {
		out[i] = f
	}
	return out
}

// parseEnhanced reads an enhanced status code such as 4.2.0.
func parseEnhanced(s string) (smtp.EnhancedCode, bool) {
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return smtp.EnhancedCode{}, false
	}
	var ec smtp.EnhancedCode
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return smtp.EnhancedCode{}, false
		}
		ec[i] = n
	}
	return ec, true
}

// FailNext makes the server answer the next n DATA commands, once the
// message has been received, with code and text (e.g. 451, "4.3.0 try
// again later", or 550, "5.1.1 mailbox unknown") instead of accepting
// the message. A refused message is not stored.
func (s *Server) FailNext(n, code int, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failData = append(s.failData, newFailures(n, code, text)...)
}

// FailNextRcpt makes the server answer the next n RCPT commands with code
// and text, as FailNext does for DATA.
func (s *Server) FailNextRcpt(n, code int, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failRcpt = append(s.failRcpt, newFailures(n, code, text)...)
}

// nextFailure takes the first answer of *queue, if any.
func (s *Server) nextFailure(queue *[]failure) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(*queue) == 0 {
		return nil
	}
	f := (*queue)[0]
	*queue = (*queue)[1:]
	return f.err()
}

// session is one client connection's SMTP state; go-smtp calls its
// methods from that connection's goroutine only.
type session struct {
	s    *Server
	conn *smtp.Conn
	user string // who authenticated, "" before AUTH
	from string
	to   []string
}

// newSession is the go-smtp backend.
func (s *Server) newSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{s: s, conn: c}, nil
}

// errAuthRequired is the standard answer to mail before AUTH (RFC 4954).
var errAuthRequired = &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}

// AuthMechanisms offers PLAIN when the server requires AUTH.
func (se *session) AuthMechanisms() []string {
	if se.s.cfg.username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

// Auth checks PLAIN credentials against RequireAuth's.
func (se *session) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain || se.s.cfg.username == "" {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(_, username, password string) error {
		if username != se.s.cfg.username || password != se.s.cfg.password {
			return smtp.ErrAuthFailed
		}
		se.user = username
		return nil
	}), nil
}

// Mail starts a message, once the client has authenticated if it must.
func (se *session) Mail(from string, _ *smtp.MailOptions) error {
	if se.s.cfg.username != "" && se.user == "" {
		return errAuthRequired
	}
	se.from = from
	return nil
}

// Rcpt adds a recipient, unless a test asked for a failure.
func (se *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if err := se.s.nextFailure(&se.s.failRcpt); err != nil {
		return err
	}
	se.to = append(se.to, to)
	return nil
}

// Data reads the message and stores it, unless a test asked for a
// failure.
func (se *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if err := se.s.nextFailure(&se.s.failData); err != nil {
		return err
	}
	_, isTLS := se.conn.TLSConnectionState()
	m, err := newMessage(se.from, se.to, data, isTLS, se.user)
	if err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: fmt.Sprintf("unreadable message: %v", err)}
	}
	se.s.accept(m)
	return nil
}

// Reset forgets the message in progress.
func (se *session) Reset() { se.from, se.to = "", nil }

// Logout ends the session.
func (se *session) Logout() error { return nil }
