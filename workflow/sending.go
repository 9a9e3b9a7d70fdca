package workflow

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// The mail templates of an expedition's messages. Their text is composed
// when expediera queues them (see PreparedMail), so they have no file in
// templates/mail.
const (
	MailAnswer  = "yttrande"         // the answer to the ministry
	MailExtract = "protokollsutdrag" // the decision's extract to another recipient
)

// EventAnswerSent is the System event remiss fires when the ministry's
// mail server has accepted the answer.
const EventAnswerSent = "svaret_skickat"

// SourceSentYttrande marks the utgående handling registered when the
// answer was sent; the outbox message's id follows the colon.
const SourceSentYttrande = "yttrande:skickat"

// PreparedMail is a message composed in full when it was queued: it is
// sent exactly as the expedition preview showed it, however the templates
// or the case change while it waits for the mail server.
type PreparedMail struct {
	Subject     string       `json:"subject"`
	Body        string       `json:"body"`
	Cc          []string     `json:"cc,omitempty"`
	Attachments []Attachment `json:"attachments"`
}

// Sending is when and how an utgående handling was sent by e-mail.
type Sending struct {
	At        time.Time `json:"at"`
	To        string    `json:"to"`
	MessageID string    `json:"message_id"`
}

// guardNotExpedited: the answer has not been queued yet. A second
// expediera would send it twice; sending again is skicka_igen, with a
// reason in the history.
func guardNotExpedited(f *Firing, _ string) error {
	answers, err := f.answerMessages()
	if err != nil || len(answers) == 0 {
		return err
	}
	first := answers[0]
	return blocked("Svaret är redan expedierat till %s (%s). Ska det skickas igen, använd ”Skicka svaret igen” och ange varför.",
		first.To, first.Status.Title())
}

// guardExpedited: the answer has been queued and no sending of it is still
// under way, so that a resend does not race a retry.
func guardExpedited(f *Firing, _ string) error {
	answers, err := f.answerMessages()
	if err != nil {
		return err
	}
	if len(answers) == 0 {
		return blocked("Svaret har inte expedierats än; expediera det först.")
	}
	for _, m := range answers {
		if m.Status == OutboxPending || m.Status == OutboxSending {
			return blocked("Svaret till %s håller fortfarande på att skickas (försök %d). Vänta tills det är skickat eller har misslyckats.", m.To, m.Attempts)
		}
	}
	return nil
}

// outboxStatusTitles say in Swedish where a message stands.
var outboxStatusTitles = map[OutboxStatus]string{
	OutboxPending: "väntar på att skickas", OutboxSending: "skickas nu", OutboxSent: "skickat",
	OutboxFailed: "misslyckades", OutboxCancelled: "stoppat",
}

// Title says in Swedish, in lower case, where a message stands.
func (st OutboxStatus) Title() string { return outboxStatusTitles[st] }

// answerMessages are the case's messages of the answer to the ministry.
func (f *Firing) answerMessages() ([]OutboxEntry, error) {
	all, err := f.svc.store.CaseMessages(f.Ctx, f.Org.ID, f.Case.ID)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(m OutboxEntry) bool { return m.Template != MailAnswer }), nil
}

// effectSendExpedition queues every message of the expedition, refusing
// if anything stops it: the case stays in expediering and nothing is
// queued.
func effectSendExpedition(f *Firing, _ string) error {
	x, err := f.expedition()
	if err != nil {
		return err
	}
	return f.queueExpedition(x, func(PlannedMessage) bool { return true })
}

// effectResendExpedition queues the answer again, composed anew (with the
// recipients as they are now), and the extracts too if asked.
func effectResendExpedition(f *Firing, _ string) error {
	x, err := f.expedition()
	if err != nil {
		return err
	}
	extracts, _ := f.Data["protokollsutdrag"].(bool)
	return f.queueExpedition(x, func(m PlannedMessage) bool { return m.Kind == MailAnswer || extracts })
}

// queueExpedition puts the messages chosen by keep into the transition's
// outbox and records in the history what was queued to whom.
func (f *Firing) queueExpedition(x Expedition, keep func(PlannedMessage) bool) error {
	if !x.Ready {
		return Errorf(CodeInvalid, "Svaret kan inte skickas: %s", strings.Join(x.Problems, " "))
	}
	var queued []map[string]any
	for _, m := range x.Messages {
		if !keep(m) {
			continue
		}
		mail := &PreparedMail{Subject: m.Subject, Body: m.Body, Cc: m.Cc, Attachments: m.Attachments}
		f.Tr.Outbox = append(f.Tr.Outbox, OutboxMessage{Kind: "email", Template: m.Kind, To: m.To[0], Mail: mail})
		names := make([]string, len(m.Attachments))
		for i, a := range m.Attachments {
			names[i] = fmt.Sprintf("%s (%s)", a.Name, a.SHA256)
		}
		queued = append(queued, map[string]any{"kind": m.Kind, "to": m.To[0], "cc": m.Cc, "subject": m.Subject, "attachments": names})
	}
	f.Record["messages"] = queued
	return nil
}

// effectRegisterSentAnswer registers the answer the mail server accepted
// as an utgående handling: the decided yttrande's PDF, sent to the
// ministry at this moment with this Message-ID.
func effectRegisterSentAnswer(f *Firing, _ string) error {
	docs, err := f.documents()
	if err != nil {
		return err
	}
	i := slices.IndexFunc(docs, func(d Document) bool { return d.Source == SourceDecidedYttrande && d.File != nil })
	if i < 0 {
		return Internal(fmt.Errorf("case %d was sent without a decided yttrande", f.Case.ID))
	}
	decided := docs[i]
	to, _ := f.Data["to"].(string)
	outbox := f.Data["outbox"].(int64)
	d := Document{Title: decided.Title, Kind: KindYttrande, Direction: Utgaende, Date: f.Today, Counterpart: f.Case.Remiss.Sender,
		File: decided.File, RegisteredBy: f.Actor.Name, RegisteredAt: f.Tr.At,
		Source: fmt.Sprintf("%s:%d", SourceSentYttrande, outbox), Sent: &Sending{At: f.Tr.At, To: to, MessageID: f.Data["message_id"].(string)}}
	f.Tr.NewDocument = &d
	return nil
}

// answerSent is called when the mail server has accepted an answer: it
// fires svaret_skickat, which registers the utgående handling and, from
// expediering, makes the case besvarad, in the same transaction that
// marks the message sent. A change to the case meanwhile is read again.
func (s *Service) answerSent(ctx context.Context, it OutboxItem, res OutboxResult) error {
	org, err := s.orgByID(ctx, it.OrgID)
	if err != nil {
		return err
	}
	data := fmt.Sprintf(`{"outbox":%d,"message_id":%q,"to":%q}`, it.ID, res.MessageID, it.To)
	for try := 0; ; try++ {
		c, err := s.store.Case(ctx, org.ID, it.CaseID)
		if err != nil {
			return err
		}
		f, err := s.prepare(ctx, engineActor(org.ID), org, it.CaseID, FireRequest{Event: EventAnswerSent, Version: c.Version, Data: []byte(data)})
		switch {
		case err != nil && ErrorCode(err) != CodeConflict:
			// e.g. the case was closed while the resend waited: the message
			// is still marked sent, and the handling not registered twice.
			s.log.WarnContext(ctx, "the answer was sent but not recorded on its case", "outbox", it.ID, "case", it.CaseID, "err", err)
			return s.store.FinishOutbox(ctx, res)
		case err == nil:
			res.Then = f.Tr
			err = s.store.FinishOutbox(ctx, res)
		}
		if ErrorCode(err) != CodeConflict || try == 4 {
			return err
		}
	}
}

// orgByID finds an organisation for work that has no request behind it.
func (s *Service) orgByID(ctx context.Context, id int64) (Organization, error) {
	orgs, err := s.store.Organizations(ctx)
	if err != nil {
		return Organization{}, err
	}
	for _, o := range orgs {
		if o.ID == id {
			return o, nil
		}
	}
	return Organization{}, Errorf(CodeNotFound, "Organisationen finns inte.")
}
