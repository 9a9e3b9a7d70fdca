// Package notify sends the outbox's e-mail. A Mailer renders a message from
// the templates of package templates and hands it to the municipality's
// SMTP server, or, when no server is configured, writes it as an .eml file
// for a developer to read. Runner is the background loop of `remiss serve`
// that delivers the outbox and queues reminders.
//
// It is the only importer of github.com/wneessen/go-mail.
package notify

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/mail"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/sending"
)

// SMTPConfig says where mail goes. With URL set, mail is sent to that SMTP
// server; without it, it is written as files into Dir.
type SMTPConfig struct {
	URL      string // REMISS_SMTP_URL: smtp://host[:port][?tls=opportunistic|none] or smtps://host[:port]
	Username string // REMISS_SMTP_USERNAME: for SMTP AUTH; empty for none
	Password string // REMISS_SMTP_PASSWORD: kept out of the URL so that the URL can be logged
	From     string // REMISS_SMTP_FROM: "Remiss Huddinge <remiss@huddinge.se>"; required with URL
	CAFile   string // REMISS_SMTP_CA_FILE: PEM certificates trusted besides the system's, for an internal CA
	Dir      string // REMISS_MAIL_DIR: where .eml files go when URL is empty; ignored otherwise
}

// devFrom is the sender of messages written to files, when none is set.
const devFrom = "remiss@localhost"

// Mailer delivers outbox messages by SMTP or into a directory. It
// implements workflow.Mailer and is safe for concurrent use.
type Mailer struct {
	tmpl     *Templates
	from     *mail.Address
	domain   string // of from, for Message-IDs
	send     func(ctx context.Context, item sending.OutboxItem, msg *gomail.Msg) error
	describe string
	log      *slog.Logger
}

var _ sending.Mailer = (*Mailer)(nil)

// New checks cfg and returns a Mailer for it. A nil log discards. In
// directory mode it logs a warning, so that nobody believes mail is being
// sent when it is not.
func New(cfg SMTPConfig, log *slog.Logger) (*Mailer, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	tmpl, err := ParseTemplates()
	if err != nil {
		return nil, err
	}
	m := &Mailer{tmpl: tmpl, log: log}
	if cfg.URL == "" {
		err = m.useDir(cfg)
	} else {
		err = m.useSMTP(cfg)
	}
	if err != nil {
		return nil, err
	}
	return m, nil
}

// setFrom parses REMISS_SMTP_FROM, the sender address.
func (m *Mailer) setFrom(from string) error {
	addr, err := mail.ParseAddress(from)
	if err != nil {
		return fmt.Errorf("REMISS_SMTP_FROM %q is not an e-mail address (write remiss@kommun.se or Remiss Kommun <remiss@kommun.se>): %v", from, err)
	}
	m.from = addr
	m.domain = strings.ToLower(addr.Address[strings.LastIndexByte(addr.Address, '@')+1:])
	return nil
}

// Describe says where mail goes, for the startup log: a URL with its TLS
// mode, or a directory. It never includes the password.
func (m *Mailer) Describe() string { return m.describe }

// Deliver renders item, sends it and returns its Message-ID, without the
// angle brackets. An error wrapping workflow.ErrPermanent means that
// trying again cannot help: an unknown template, a payload the template
// cannot render, an invalid recipient, or the server's 5xx answer (whose
// text the error includes). Every other error, including a cancelled ctx,
// is temporary.
func (m *Mailer) Deliver(ctx context.Context, item sending.OutboxItem) (string, error) {
	id := m.messageID(item)
	msg, err := m.message(item, id)
	if err != nil {
		return "", fmt.Errorf("outbox message %d: %w", item.ID, err)
	}
	if err := m.send(ctx, item, msg); err != nil {
		return "", fmt.Errorf("outbox message %d to %s: %w", item.ID, item.To, err)
	}
	m.log.Debug("mail delivered", "outbox_id", item.ID, "template", item.Template, "message_id", id)
	return id, nil
}

// messageID is the same for every attempt at one item, so that a message
// sent again after a crash is recognisable as the same one, and differs
// between items, including items of two installations that share a
// sender domain, by the microsecond of the item's creation.
func (m *Mailer) messageID(item sending.OutboxItem) string {
	created := item.CreatedAt.UTC().Format("20060102T150405.000000")
	return fmt.Sprintf("remiss.%d.%s@%s", item.ID, created, m.domain)
}

// message builds the e-mail for item: the rendered text and the headers
// that mark it as an automatic message (RFC 3834 Auto-Submitted, and
// Exchange's X-Auto-Response-Suppress), so that out-of-office replies do
// not answer it.
func (m *Mailer) message(item sending.OutboxItem, id string) (*gomail.Msg, error) {
	if item.Kind != "email" {
		return nil, fmt.Errorf("%w: kind %q is not e-mail", sending.ErrPermanent, item.Kind)
	}
	subject, body, err := m.text(item)
	if err != nil {
		return nil, err
	}
	to, err := address(item.To)
	if err != nil {
		return nil, err
	}
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	msg.FromMailAddress(m.from)
	msg.ToMailAddress(to)
	msg.Subject(subject)
	msg.SetDateWithValue(time.Now())
	msg.SetMessageIDWithValue(id)
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetGenHeader(gomail.HeaderXAutoResponseSuppress, "All")
	msg.SetBodyString(gomail.TypeTextPlain, body)
	if item.Mail != nil {
		return msg, composed(msg, *item.Mail)
	}
	return msg, nil
}

// text is the subject and body of item: as composed when it was queued,
// or rendered from its template.
func (m *Mailer) text(item sending.OutboxItem) (subject, body string, err error) {
	if item.Mail != nil {
		return item.Mail.Subject, item.Mail.Body, nil
	}
	return m.tmpl.Render(item.Template, item.Payload)
}

// composed adds a composed message's copies and attachments. The answer
// to the ministry carries a reply-all copy to the unit named in the
// remiss; each file keeps the name it was given, with the remissinstans'
// name in it.
func composed(msg *gomail.Msg, mail workflow.PreparedMail) error {
	for _, cc := range mail.Cc {
		a, err := address(cc)
		if err != nil {
			return err
		}
		msg.CcMailAddress(a)
	}
	for _, a := range mail.Attachments {
		if len(a.Content) == 0 || int64(len(a.Content)) != a.Size {
			return fmt.Errorf("%w: attachment %q has %d bytes, want %d", sending.ErrPermanent, a.Name, len(a.Content), a.Size)
		}
		if err := msg.AttachReader(a.Name, bytes.NewReader(a.Content), gomail.WithFileContentType(gomail.ContentType(a.MediaType))); err != nil {
			return fmt.Errorf("%w: attachment %q: %v", sending.ErrPermanent, a.Name, err)
		}
	}
	return nil
}

// address parses one recipient; a bad one cannot be mended by retrying.
func address(s string) (*mail.Address, error) {
	a, err := mail.ParseAddress(s)
	if err != nil {
		return nil, fmt.Errorf("%w: recipient %q is not an e-mail address: %v", sending.ErrPermanent, s, err)
	}
	return a, nil
}
