package sending

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/yttrande/remiss/workflow"
)

// Service sends what the cases send: it builds the expedition of an
// answer, keeps where it goes, delivers the outbox through a Mailer and
// records the answer as sent. Its effects and guards plug into the
// engine (Effects, Guards); it reads the engine's cases (Bind).
type Service struct {
	*workflow.Core
	store  Store
	engine *workflow.Engine
	papers Papers
}

// Store is what sending reads and writes.
type Store interface {
	Case(ctx context.Context, orgID, caseID int64) (workflow.Case, error)
	Bodies(ctx context.Context, orgID int64) ([]workflow.Body, error)
	FileContent(ctx context.Context, orgID, caseID int64, n int) (workflow.File, error)
	// ApplyTransition writes t in one transaction (see Store).
	ApplyTransition(ctx context.Context, t workflow.Transition) error
	// Deadlines lists open deadlines in date order, joined with their case.
	Deadlines(ctx context.Context, orgID int64, f workflow.DeadlineFilter) ([]workflow.Deadline, error)
	// ClaimOutbox claims up to limit messages that are due at now, or
	// whose earlier claim has run out, until leaseEnd, counting an
	// attempt for each; concurrent claims never take the same message.
	ClaimOutbox(ctx context.Context, now, leaseEnd time.Time, limit int) ([]OutboxItem, error)
	// FinishOutbox records the outcome of an attempt, unless the message
	// has been claimed again since (its claim ran out).
	FinishOutbox(ctx context.Context, r OutboxResult) error
	// CaseMessages lists a case's outbox messages, oldest first.
	CaseMessages(ctx context.Context, orgID, caseID int64) ([]OutboxEntry, error)
}

// New returns the sending service on core and store.
func New(core *workflow.Core, store Store) *Service {
	return &Service{Core: core, store: store}
}

// Bind gives the sender the engine whose cases it reads and the papers
// it attaches; both are built after the sender, whose effects the engine
// needs.
func (s *Service) Bind(engine *workflow.Engine, papers Papers) {
	s.engine, s.papers = engine, papers
}

// Effects are the engine's effects that send.
func (s *Service) Effects() map[string]workflow.EffectFunc {
	return map[string]workflow.EffectFunc{
		"send_expedition": s.effectSendExpedition, "resend_expedition": s.effectResendExpedition,
		"register_sent_answer": effectRegisterSentAnswer,
	}
}

// Guards are the engine's guards on what was sent.
func (s *Service) Guards() map[string]workflow.GuardFunc {
	return map[string]workflow.GuardFunc{"not_expedited": s.guardNotExpedited, "expedited": s.guardExpedited}
}

// guardNotExpedited: the answer has not been queued yet. A second
// expediera would send it twice; sending again is skicka_igen, with a
// reason in the history.
func (s *Service) guardNotExpedited(f *workflow.Firing, _ string) error {
	answers, err := s.answerMessages(f)
	if err != nil || len(answers) == 0 {
		return err
	}
	first := answers[0]
	return workflow.Blocked("Svaret är redan expedierat till %s (%s). Ska det skickas igen, använd ”Skicka svaret igen” och ange varför.",
		first.To, first.Status.Title())
}

// guardExpedited: the answer has been queued and no sending of it is still
// under way, so that a resend does not race a retry.
func (s *Service) guardExpedited(f *workflow.Firing, _ string) error {
	answers, err := s.answerMessages(f)
	if err != nil {
		return err
	}
	if len(answers) == 0 {
		return workflow.Blocked("Svaret har inte expedierats än; expediera det först.")
	}
	for _, m := range answers {
		if m.Status == OutboxPending || m.Status == OutboxSending {
			return workflow.Blocked("Svaret till %s håller fortfarande på att skickas (försök %d). Vänta tills det är skickat eller har misslyckats.", m.To, m.Attempts)
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
func (s *Service) answerMessages(f *workflow.Firing) ([]OutboxEntry, error) {
	all, err := s.store.CaseMessages(f.Ctx, f.Org.ID, f.Case.ID)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(m OutboxEntry) bool { return m.Template != workflow.MailAnswer }), nil
}

// effectSendExpedition queues every message of the expedition, refusing
// if anything stops it: the case stays in expediering and nothing is
// queued.
func (s *Service) effectSendExpedition(f *workflow.Firing, _ string) error {
	x, err := s.expedition(f)
	if err != nil {
		return err
	}
	return queueExpedition(f, x, func(PlannedMessage) bool { return true })
}

// effectResendExpedition queues the answer again, composed anew (with the
// recipients as they are now), and the extracts too if asked.
func (s *Service) effectResendExpedition(f *workflow.Firing, _ string) error {
	x, err := s.expedition(f)
	if err != nil {
		return err
	}
	extracts, _ := f.Data["protokollsutdrag"].(bool)
	return queueExpedition(f, x, func(m PlannedMessage) bool { return m.Kind == workflow.MailAnswer || extracts })
}

// queueExpedition puts the messages chosen by keep into the transition's
// outbox and records in the history what was queued to whom.
func queueExpedition(f *workflow.Firing, x Expedition, keep func(PlannedMessage) bool) error {
	if !x.Ready {
		return workflow.Errorf(workflow.CodeInvalid, "Svaret kan inte skickas: %s", strings.Join(x.Problems, " "))
	}
	var queued []map[string]any
	for _, m := range x.Messages {
		if !keep(m) {
			continue
		}
		mail := &workflow.PreparedMail{Subject: m.Subject, Body: m.Body, Cc: m.Cc, Attachments: m.Attachments}
		f.Tr.Outbox = append(f.Tr.Outbox, workflow.OutboxMessage{Kind: "email", Template: m.Kind, To: m.To[0], Mail: mail})
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
func effectRegisterSentAnswer(f *workflow.Firing, _ string) error {
	docs, err := f.Documents()
	if err != nil {
		return err
	}
	i := slices.IndexFunc(docs, func(d workflow.Document) bool { return d.Source == workflow.SourceDecidedYttrande && d.File != nil })
	if i < 0 {
		return workflow.Internal(fmt.Errorf("case %d was sent without a decided yttrande", f.Case.ID))
	}
	decided := docs[i]
	to, _ := f.Data["to"].(string)
	outbox := f.Data["outbox"].(int64)
	d := workflow.Document{Title: decided.Title, Kind: workflow.KindYttrande, Direction: workflow.Utgaende, Date: f.Today, Counterpart: f.Case.Remiss.Sender,
		File: decided.File, RegisteredBy: f.Actor.Name, RegisteredAt: f.Tr.At,
		Source: fmt.Sprintf("%s:%d", workflow.SourceSentYttrande, outbox), Sent: &workflow.Sending{At: f.Tr.At, To: to, MessageID: f.Data["message_id"].(string)}}
	f.Tr.NewDocument = &d
	return nil
}

// answerSent is called when the mail server has accepted an answer: it
// fires svaret_skickat, which registers the utgående handling and, from
// expediering, makes the case besvarad, in the same transaction that
// marks the message sent. A change to the case meanwhile is read again.
func (s *Service) answerSent(ctx context.Context, it OutboxItem, res OutboxResult) error {
	org, err := s.OrgByID(ctx, it.OrgID)
	if err != nil {
		return err
	}
	data := fmt.Sprintf(`{"outbox":%d,"message_id":%q,"to":%q}`, it.ID, res.MessageID, it.To)
	for try := 0; ; try++ {
		c, err := s.store.Case(ctx, org.ID, it.CaseID)
		if err != nil {
			return err
		}
		f, err := s.engine.Prepare(ctx, workflow.EngineActor(org.ID), org, it.CaseID, workflow.FireRequest{Event: workflow.EventAnswerSent, Version: c.Version, Data: []byte(data)})
		switch {
		case err != nil && workflow.ErrorCode(err) != workflow.CodeConflict:
			// e.g. the case was closed while the resend waited: the message
			// is still marked sent, and the handling not registered twice.
			s.Log().WarnContext(ctx, "the answer was sent but not recorded on its case", "outbox", it.ID, "case", it.CaseID, "err", err)
			return s.store.FinishOutbox(ctx, res)
		case err == nil:
			res.Then = f.Tr
			err = s.store.FinishOutbox(ctx, res)
		}
		if workflow.ErrorCode(err) != workflow.CodeConflict || try == 4 {
			return err
		}
	}
}
