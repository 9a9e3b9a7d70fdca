package notify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	gomail "github.com/wneessen/go-mail"

	"github.com/yttrande/remiss/workflow/sending"
)

// deliveryTimeout bounds one delivery, connection to QUIT, so that a mail
// server that stops answering cannot hold up the outbox.
const deliveryTimeout = 30 * time.Second

// smtpSender sends messages to one SMTP server. It opens a connection per
// message: the outbox sends a handful a minute, and a fresh go-mail client
// each time shares no state between concurrent deliveries.
type smtpSender struct {
	ep                 endpoint
	username, password string
	tls                *tls.Config
	log                *slog.Logger
}

// useSMTP sets m up to send to the server of cfg.URL.
func (m *Mailer) useSMTP(cfg SMTPConfig) error {
	ep, err := parseURL(cfg.URL)
	if err != nil {
		return err
	}
	if cfg.From == "" {
		return errors.New("REMISS_SMTP_FROM is required when REMISS_SMTP_URL is set, e.g. Remiss Huddinge <remiss@huddinge.se>")
	}
	if err := m.setFrom(cfg.From); err != nil {
		return err
	}
	if err := checkCredentials(cfg, ep); err != nil {
		return err
	}
	conf, err := tlsConfig(ep.host, cfg.CAFile)
	if err != nil {
		return err
	}
	s := &smtpSender{ep: ep, username: cfg.Username, password: cfg.Password, tls: conf, log: m.log}
	m.send = func(ctx context.Context, _ sending.OutboxItem, msg *gomail.Msg) error {
		return s.send(ctx, msg)
	}
	m.describe = fmt.Sprintf("%s (%s)", ep, ep.tls)
	if cfg.Username != "" {
		m.describe = fmt.Sprintf("%s (%s, as %s)", ep, ep.tls, cfg.Username)
	}
	return nil
}

// checkCredentials refuses settings that could send the password in
// clear without anyone having asked for that.
func checkCredentials(cfg SMTPConfig, ep endpoint) error {
	switch {
	case cfg.Username == "" && cfg.Password != "":
		return errors.New("REMISS_SMTP_PASSWORD is set but REMISS_SMTP_USERNAME is not")
	case cfg.Username != "" && cfg.Password == "":
		return errors.New("REMISS_SMTP_USERNAME is set but REMISS_SMTP_PASSWORD is not")
	case cfg.Username != "" && ep.tls == tlsOpportunistic:
		// With opportunistic STARTTLS a server (or an attacker) that does
		// not offer it would receive the password in clear.
		return errors.New("REMISS_SMTP_URL: tls=opportunistic cannot be combined with REMISS_SMTP_USERNAME, since the password could be sent unencrypted; require STARTTLS (leave tls out), use smtps://, or say tls=none to accept that")
	}
	return nil
}

// tlsConfig verifies the server as host, against the system's roots and
// the certificates of caFile, if any.
func tlsConfig(host, caFile string) (*tls.Config, error) {
	conf := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	if caFile == "" {
		return conf, nil // nil RootCAs: the system's
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, fmt.Errorf("REMISS_SMTP_CA_FILE: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool() // no system roots (a scratch container): the file alone
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("REMISS_SMTP_CA_FILE %s holds no PEM certificate", caFile)
	}
	conf.RootCAs = pool
	return conf, nil
}

// send delivers msg in one SMTP session. Once the server has accepted the
// message, a later failure (of QUIT, or a cancelled ctx) is not reported:
// the message is sent, and trying again would send a second copy.
func (s *smtpSender) send(ctx context.Context, msg *gomail.Msg) error {
	ctx, cancel := context.WithTimeout(ctx, deliveryTimeout)
	defer cancel()
	conns := &connTracker{ctx: ctx, ep: s.ep, tls: s.tls}
	defer conns.release()
	c, err := gomail.NewClient(s.ep.host, s.options(conns.dial)...)
	if err != nil {
		return fmt.Errorf("smtp client for %s: %w", s.ep, err)
	}
	err = c.DialAndSendWithContext(ctx, msg)
	switch {
	case err == nil:
		return nil
	case msg.IsDelivered():
		s.log.Warn("the mail server accepted a message, then the session failed; the message counts as sent",
			"server", s.ep.addr(), "message_id", msg.GetMessageID(), "err", err)
		return nil
	case ctx.Err() != nil:
		return fmt.Errorf("sending to %s: %w (%v)", s.ep.addr(), context.Cause(ctx), err)
	}
	return classify(s.ep, err)
}

// options configure go-mail for one delivery.
func (s *smtpSender) options(dial gomail.DialContextFunc) []gomail.Option {
	opts := []gomail.Option{
		gomail.WithPort(s.ep.port),
		gomail.WithTimeout(deliveryTimeout),
		gomail.WithDialContextFunc(dial),
		gomail.WithTLSConfig(s.tls),
	}
	switch s.ep.tls {
	case tlsStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case tlsOpportunistic:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case tlsNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case tlsImplicit:
		// The dialler speaks TLS already; WithSSL keeps go-mail from
		// trying STARTTLS inside it.
		opts = append(opts, gomail.WithSSL())
	}
	if s.username != "" {
		opts = append(opts, gomail.WithUsername(s.username), gomail.WithPassword(s.password),
			gomail.WithOpportunisticSMTPAuth(authMechanisms(s.ep.tls)...))
	}
	return opts
}

// authMechanisms are the SMTP AUTH mechanisms to use, best first; go-mail
// picks the first the server offers. Over TLS the channel protects PLAIN
// and LOGIN, which every relay supports (and go-mail's PLAIN and LOGIN
// refuse to run without TLS). Without TLS, which only an explicit tls=none
// allows, challenge-response mechanisms come first and the clear-text ones
// are marked as allowed unencrypted.
func authMechanisms(mode tlsMode) []gomail.SMTPAuthType {
	if mode == tlsNone {
		return []gomail.SMTPAuthType{gomail.SMTPAuthSCRAMSHA256, gomail.SMTPAuthSCRAMSHA1,
			gomail.SMTPAuthCramMD5, gomail.SMTPAuthPlainNoEnc, gomail.SMTPAuthLoginNoEnc}
	}
	return []gomail.SMTPAuthType{gomail.SMTPAuthPlain, gomail.SMTPAuthLogin,
		gomail.SMTPAuthSCRAMSHA256, gomail.SMTPAuthSCRAMSHA1, gomail.SMTPAuthCramMD5}
}

// classify marks the server's permanent refusal of this message (a 5xx
// answer to RCPT or DATA, or 552 "too large" to MAIL) as
// workflow.ErrPermanent. Anything else may pass: a 4xx answer, a refused
// connection, a failed TLS handshake or AUTH, and a 5xx to MAIL FROM
// (authentication required, our sender refused), which is the relay's
// configuration, not the message; once it is fixed, the message should
// still go, and until then the retries keep it visible as pending.
func classify(ep endpoint, err error) error {
	var se *gomail.SendError
	if !errors.As(err, &se) || se.ErrorCode() == 0 {
		return fmt.Errorf("sending to %s: %w", ep.addr(), err)
	}
	answer := serverAnswer(se.Error())
	if permanentRefusal(se) {
		return fmt.Errorf("%w: mail server %s answered %s with %s", sending.ErrPermanent, ep.addr(), stage(se.Reason), answer)
	}
	return fmt.Errorf("mail server %s answered %s with %s", ep.addr(), stage(se.Reason), answer)
}

// permanentRefusal reports whether the server refused the message itself
// for good.
func permanentRefusal(se *gomail.SendError) bool {
	code := se.ErrorCode()
	if se.IsTemp() || code < 500 || code >= 600 {
		return false
	}
	return se.Reason != gomail.ErrSMTPMailFrom || code == 552
}

// stage names the step of the SMTP conversation a SendError comes from.
func stage(r gomail.SendErrReason) string {
	switch r {
	case gomail.ErrSMTPMailFrom:
		return "MAIL FROM"
	case gomail.ErrSMTPRcptTo:
		return "RCPT TO"
	case gomail.ErrSMTPData:
		return "DATA"
	case gomail.ErrSMTPDataClose:
		return "the message"
	}
	return r.String()
}

// answerPattern finds the server's answer in a SendError's text, where
// net/textproto has quoted it: 550 "5.1.1 mailbox unknown".
var answerPattern = regexp.MustCompile(`\b([245]\d\d) ("(?:[^"\\]|\\.)*")`)

// serverAnswer is the server's answer in msg as the server sent it, "550
// 5.1.1 mailbox unknown", or msg itself when it holds none. SendError
// keeps the underlying error to itself, so its text is all there is.
// Unprintable characters are replaced, since the text reaches logs.
func serverAnswer(msg string) string {
	m := answerPattern.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	text, err := strconv.Unquote(m[2])
	if err != nil {
		return m[0]
	}
	return m[1] + " " + strings.Map(func(r rune) rune {
		if unicode.IsPrint(r) {
			return r
		}
		return '?'
	}, text)
}

// connTracker dials the server and closes the connection when ctx ends.
// go-mail honours the context only while connecting; after that each SMTP
// command is bounded by its timeout alone, so without this a cancelled
// delivery (a shutting-down server) would wait for the timeout.
type connTracker struct {
	ctx  context.Context // the whole delivery's
	ep   endpoint
	tls  *tls.Config
	stop []func() bool
}

// dial is a gomail.DialContextFunc; go-mail calls it from the goroutine
// that delivers. The address go-mail passes is ignored: it joins host and
// port without bracketing an IPv6 literal. For smtps:// it does the TLS
// handshake itself, since go-mail's own implicit TLS applies only to its
// own dialler.
func (t *connTracker) dial(ctx context.Context, network, _ string) (net.Conn, error) {
	var d net.Dialer
	raw, err := d.DialContext(ctx, network, t.ep.addr())
	if err != nil {
		return nil, err
	}
	t.stop = append(t.stop, context.AfterFunc(t.ctx, func() { raw.Close() }))
	if t.ep.tls != tlsImplicit {
		return raw, nil
	}
	conn := tls.Client(raw, t.tls)
	if err := conn.HandshakeContext(ctx); err != nil {
		raw.Close()
		return nil, err
	}
	return conn, nil
}

// release stops watching the context once the session is over.
func (t *connTracker) release() {
	for _, stop := range t.stop {
		stop()
	}
}
