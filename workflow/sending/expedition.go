package sending

import (
	"context"
	"fmt"
	"strings"

	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/documents"
)

// Expedition is what expediera sends: the yttrande to the ministry, as PDF
// and Word with the covering missiv, and the protokollsutdrag to every
// other recipient the decision names. Problems says why it cannot be sent
// yet; Ready is true when there are none.
type Expedition struct {
	Ready    bool             `json:"ready"`
	Problems []string         `json:"problems"`
	Messages []PlannedMessage `json:"messages"`
}

// PlannedMessage is one e-mail of an expedition, exactly as it will be
// sent.
type PlannedMessage struct {
	Kind        string                `json:"kind"`      // "yttrande" or "protokollsutdrag"
	Recipient   string                `json:"recipient"` // who, as the decision names them
	To          []string              `json:"to"`
	Cc          []string              `json:"cc"`
	Subject     string                `json:"subject"`
	Body        string                `json:"body"`
	Attachments []workflow.Attachment `json:"attachments"`
}

// Papers renders what an expedition attaches; the documents and
// meetings services do.
type Papers interface {
	// MissivText is the covering e-mail's text for c's yttrande.
	MissivText(ctx context.Context, org workflow.Organization, c workflow.Case) (string, error)
	// YttrandeWord is c's yttrande as a Word file; an invalid Error says
	// why it cannot be made.
	YttrandeWord(ctx context.Context, org workflow.Organization, c workflow.Case) (workflow.File, error)
	// ProtokollsutdragPDF is the certified extract of p.
	ProtokollsutdragPDF(ctx context.Context, org workflow.Organization, p workflow.Paragraph, certifier string) (workflow.File, error)
}

// ExpeditionPreview shows exactly what expediera will send for the case
// (headers, body, attachments with names and sizes) and what stops it.
func (s *Service) ExpeditionPreview(ctx context.Context, actor workflow.Actor, slug string, caseID int64) (Expedition, error) {
	org, err := s.engine.CaseFor(ctx, actor, slug, caseID, workflow.PermReadCase)
	if err != nil {
		return Expedition{}, err
	}
	f, err := s.engine.Load(ctx, actor, org, caseID)
	if err != nil {
		return Expedition{}, err
	}
	x, err := s.expedition(f)
	if err != nil {
		return Expedition{}, err
	}
	var stop []string
	if ev, ok := f.Def.Event("expediera"); !ok || !f.Def.FiresFrom(ev, f.Case.State) {
		stop = append(stop, fmt.Sprintf("Ärendet kan inte expedieras i tillståndet ”%s”; det expedieras när beslutet är justerat (eller fattat som ordförandebeslut).", f.Def.StateTitle(f.Case.State)))
	} else if err := s.guardNotExpedited(f, ""); err != nil {
		stop = append(stop, workflow.Message(err))
	}
	x.Problems = append(append([]string{}, stop...), x.Problems...)
	x.Ready = len(x.Problems) == 0
	return x, nil
}

// expedition builds the messages of the case's expedition as it stands.
func (s *Service) expedition(f *workflow.Firing) (Expedition, error) {
	x := &expeditionBuilder{Firing: f, s: s, out: Expedition{Problems: []string{}, Messages: []PlannedMessage{}}}
	if err := x.ministry(); err != nil {
		return Expedition{}, err
	}
	if err := x.extracts(); err != nil {
		return Expedition{}, err
	}
	x.out.Ready = len(x.out.Problems) == 0
	return x.out, nil
}

// expeditionBuilder builds the expedition of the case being fired (or
// previewed), with what the firing has read already.
type expeditionBuilder struct {
	*workflow.Firing
	s   *Service
	out Expedition
}

func (x *expeditionBuilder) problem(format string, args ...any) {
	x.out.Problems = append(x.out.Problems, fmt.Sprintf(format, args...))
}

// ministry plans the answer: to the remiss mailbox with the copies, the
// subject "<the ministry's dnr> <the remissinstans>", the missiv as the
// body, the registered yttrande's PDF and its Word twin.
func (x *expeditionBuilder) ministry() error {
	c := x.Case
	m := PlannedMessage{Kind: workflow.MailAnswer, Recipient: c.Remiss.Sender, To: []string{}, Cc: append([]string{}, c.Remiss.Cc...),
		Subject: strings.TrimSpace(c.Remiss.SenderDnr + " " + x.Org.Name), Attachments: []workflow.Attachment{}}
	if c.Remiss.ReplyTo == "" {
		x.problem("Svarsadressen saknas: ange den adress remissen anger för svaret (remiss.reply_to).")
	} else {
		m.To = []string{c.Remiss.ReplyTo}
	}
	if c.Remiss.SenderDnr == "" {
		x.problem("Departementets diarienummer saknas; det ska stå i e-postens ämnesrad.")
	}
	body, err := x.s.papers.MissivText(x.Ctx, x.Org, c)
	if err != nil {
		return err
	}
	m.Body = body
	docs, err := x.Documents()
	if err != nil {
		return err
	}
	var decided *workflow.Document
	for i := range docs {
		if docs[i].Source == workflow.SourceDecidedYttrande {
			decided = &docs[i]
		}
	}
	if decided == nil {
		x.problem("Det beslutade yttrandet är inte registrerat som handling; registrera det (…/yttrande/register) när beslutet är fattat.")
	} else if err := x.yttrandeFiles(&m, *decided); err != nil {
		return err
	}
	x.out.Messages = append(x.out.Messages, m)
	return nil
}

// yttrandeFiles attaches the registered PDF and the Word file rendered
// from the same draft and decision.
func (x *expeditionBuilder) yttrandeFiles(m *PlannedMessage, decided workflow.Document) error {
	pdf, err := x.s.store.FileContent(x.Ctx, x.Org.ID, x.Case.ID, decided.Number)
	if err != nil {
		return err
	}
	m.Attachments = append(m.Attachments, workflow.AttachmentOf(pdf, decided.Number))
	w, err := x.s.papers.YttrandeWord(x.Ctx, x.Org, x.Case)
	switch {
	case workflow.ErrorCode(err) == workflow.CodeInvalid:
		x.problem("%s", workflow.Message(err))
		return nil
	case err != nil:
		return err
	}
	m.Attachments = append(m.Attachments, workflow.AttachmentOf(w, 0))
	return nil
}

// extracts plans the protokollsutdrag of the deciding § to every other
// recipient of "Beslutet ska skickas till": a body of the organisation
// (to its own mailbox) or an e-mail address written in the list. The
// ministry gets the yttrande instead.
func (x *expeditionBuilder) extracts() error {
	p := documents.DecidingParagraph(x.Case)
	if p == nil || len(p.Decision.SkickasTill) == 0 {
		return nil
	}
	bodies, err := x.s.Bodies(x.Ctx, x.Org.ID)
	if err != nil {
		return err
	}
	var extract *workflow.Attachment
	for _, name := range p.Decision.SkickasTill {
		to, ok := x.recipient(name, bodies)
		if !ok {
			continue
		}
		if extract == nil {
			a, err := x.extract(*p)
			if err != nil {
				return err
			}
			extract = &a
		}
		x.out.Messages = append(x.out.Messages, PlannedMessage{Kind: workflow.MailExtract, Recipient: name, To: []string{to}, Cc: []string{},
			Subject: fmt.Sprintf("Protokollsutdrag %s § %d: %s (%s)", p.Body+" "+p.MeetingDate.String(), p.Number, p.Title, x.Case.Dnr),
			Body: fmt.Sprintf("Bifogat finns protokollsutdrag från %s sammanträde den %s, § %d: %s.\n\nVårt diarienummer: %s\n\nMed vänlig hälsning\n%s\n",
				documents.LowerFirst(workflow.Genitive(p.BodyName)), workflow.LongDate(p.MeetingDate), p.Number, p.Title, x.Case.Dnr, x.Org.Name),
			Attachments: []workflow.Attachment{*extract}})
	}
	return nil
}

// recipient finds where name in "Beslutet ska skickas till" is sent; false
// for the ministry, which gets the yttrande, and for a name without an
// address, which is a problem.
func (x *expeditionBuilder) recipient(name string, bodies []workflow.Body) (string, bool) {
	if strings.EqualFold(strings.TrimSpace(name), x.Case.Remiss.Sender) {
		return "", false
	}
	var v workflow.Validation
	if addr := workflow.NormalizeEmail(&v, "", name, false); v.Err() == nil && addr != "" {
		return addr, true
	}
	for _, b := range bodies {
		if strings.EqualFold(name, b.Name) || name == b.Code {
			if b.Email == "" {
				x.problem("”%s” i ”Beslutet ska skickas till” har ingen e-postadress; ange instansens funktionsbrevlåda.", name)
				return "", false
			}
			return b.Email, true
		}
	}
	x.problem("”%s” i ”Beslutet ska skickas till” är varken en instans med e-postadress eller en e-postadress; skicka till den på annat sätt eller ändra beslutets sändlista.", name)
	return "", false
}

// extract renders the protokollsutdrag of p, certified by the actor.
func (x *expeditionBuilder) extract(p workflow.Paragraph) (workflow.Attachment, error) {
	f, err := x.s.papers.ProtokollsutdragPDF(x.Ctx, x.Org, p, x.Actor.Name)
	return workflow.AttachmentOf(f, 0), err
}
