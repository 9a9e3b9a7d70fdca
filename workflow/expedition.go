package workflow

import (
	"context"
	"fmt"
	"strings"
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
	Kind        string       `json:"kind"`      // "yttrande" or "protokollsutdrag"
	Recipient   string       `json:"recipient"` // who, as the decision names them
	To          []string     `json:"to"`
	Cc          []string     `json:"cc"`
	Subject     string       `json:"subject"`
	Body        string       `json:"body"`
	Attachments []Attachment `json:"attachments"`
}

// Attachment is a file an e-mail carries.
type Attachment struct {
	Name      string `json:"name"`
	MediaType string `json:"media_type"`
	Size      int64  `json:"size"`
	SHA256    string `json:"sha256"`
	// Document is the handling's löpnummer when the file is a registered
	// handling's; 0 for a file rendered for the message.
	Document int    `json:"document,omitempty"`
	Content  []byte `json:"-"`
}

// attachment is f as an e-mail carries it; stored and rendered files
// both come with their SHA-256.
func attachment(f File, document int) Attachment {
	return Attachment{Name: f.Name, MediaType: f.MediaType, Size: int64(len(f.Content)), SHA256: f.SHA256, Document: document, Content: f.Content}
}

// ExpeditionPreview shows exactly what expediera will send for the case
// (headers, body, attachments with names and sizes) and what stops it.
func (s *Service) ExpeditionPreview(ctx context.Context, actor Actor, slug string, caseID int64) (Expedition, error) {
	org, err := s.caseFor(ctx, actor, slug, caseID, PermReadCase)
	if err != nil {
		return Expedition{}, err
	}
	f, err := s.load(ctx, actor, org, caseID)
	if err != nil {
		return Expedition{}, err
	}
	x, err := f.expedition()
	if err != nil {
		return Expedition{}, err
	}
	var stop []string
	if ev, ok := f.Def.Event("expediera"); !ok || !f.Def.FiresFrom(ev, f.Case.State) {
		stop = append(stop, fmt.Sprintf("Ärendet kan inte expedieras i tillståndet ”%s”; det expedieras när beslutet är justerat (eller fattat som ordförandebeslut).", f.Def.StateTitle(f.Case.State)))
	} else if err := guardNotExpedited(f, ""); err != nil {
		stop = append(stop, Message(err))
	}
	x.Problems = append(append([]string{}, stop...), x.Problems...)
	x.Ready = len(x.Problems) == 0
	return x, nil
}

// expedition builds the messages of the case's expedition as it stands.
func (f *Firing) expedition() (Expedition, error) {
	x := &expeditionBuilder{Firing: f, out: Expedition{Problems: []string{}, Messages: []PlannedMessage{}}}
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
	*Firing
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
	m := PlannedMessage{Kind: MailAnswer, Recipient: c.Remiss.Sender, To: []string{}, Cc: append([]string{}, c.Remiss.Cc...),
		Subject: strings.TrimSpace(c.Remiss.SenderDnr + " " + x.Org.Name), Attachments: []Attachment{}}
	if c.Remiss.ReplyTo == "" {
		x.problem("Svarsadressen saknas: ange den adress remissen anger för svaret (remiss.reply_to).")
	} else {
		m.To = []string{c.Remiss.ReplyTo}
	}
	if c.Remiss.SenderDnr == "" {
		x.problem("Departementets diarienummer saknas; det ska stå i e-postens ämnesrad.")
	}
	body, err := x.svc.missiv(x.Ctx, x.Org, c)
	if err != nil {
		return err
	}
	m.Body = body
	docs, err := x.documents()
	if err != nil {
		return err
	}
	var decided *Document
	for i := range docs {
		if docs[i].Source == SourceDecidedYttrande {
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
func (x *expeditionBuilder) yttrandeFiles(m *PlannedMessage, decided Document) error {
	pdf, err := x.svc.store.FileContent(x.Ctx, x.Org.ID, x.Case.ID, decided.Number)
	if err != nil {
		return err
	}
	m.Attachments = append(m.Attachments, attachment(pdf, decided.Number))
	r, ok := x.svc.renderers["docx"]
	if !ok {
		x.problem("Word-versionen kan inte skapas: ingen Word-renderare är konfigurerad.")
		return nil
	}
	doc, err := x.svc.compose(x.Ctx, x.Org, x.Case, TemplateYttrande)
	if err != nil {
		x.problem("Word-versionen av yttrandet kan inte skapas: %s", Message(err))
		return nil
	}
	w, err := renderFile(r, doc, "docx")
	if err != nil {
		return err
	}
	m.Attachments = append(m.Attachments, attachment(w, 0))
	return nil
}

// Message returns an error's Swedish message, or a general one.
func Message(err error) string {
	if e, ok := err.(*Error); ok {
		return e.Message
	}
	return "Ett oväntat fel inträffade."
}

// extracts plans the protokollsutdrag of the deciding § to every other
// recipient of "Beslutet ska skickas till": a body of the organisation
// (to its own mailbox) or an e-mail address written in the list. The
// ministry gets the yttrande instead.
func (x *expeditionBuilder) extracts() error {
	p := decision(x.Case)
	if p == nil || len(p.Decision.SkickasTill) == 0 {
		return nil
	}
	bodies, err := x.svc.store.Bodies(x.Ctx, x.Org.ID)
	if err != nil {
		return err
	}
	var extract *Attachment
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
		x.out.Messages = append(x.out.Messages, PlannedMessage{Kind: MailExtract, Recipient: name, To: []string{to}, Cc: []string{},
			Subject: fmt.Sprintf("Protokollsutdrag %s § %d: %s (%s)", p.Body+" "+p.MeetingDate.String(), p.Number, p.Title, x.Case.Dnr),
			Body: fmt.Sprintf("Bifogat finns protokollsutdrag från %s sammanträde den %s, § %d: %s.\n\nVårt diarienummer: %s\n\nMed vänlig hälsning\n%s\n",
				lowerFirst(genitive(p.BodyName)), LongDate(p.MeetingDate), p.Number, p.Title, x.Case.Dnr, x.Org.Name),
			Attachments: []Attachment{*extract}})
	}
	return nil
}

// recipient finds where name in "Beslutet ska skickas till" is sent; false
// for the ministry, which gets the yttrande, and for a name without an
// address, which is a problem.
func (x *expeditionBuilder) recipient(name string, bodies []Body) (string, bool) {
	if strings.EqualFold(strings.TrimSpace(name), x.Case.Remiss.Sender) {
		return "", false
	}
	var v Validation
	if addr := normalizeEmail(&v, "", name, false); v.Err() == nil && addr != "" {
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
func (x *expeditionBuilder) extract(p Paragraph) (Attachment, error) {
	m, err := x.svc.store.Meeting(x.Ctx, x.Org.ID, p.MeetingID)
	if err != nil {
		return Attachment{}, err
	}
	l, err := x.svc.extractLayout(x.Ctx, x.Org, m, p, x.svc.parentBody(x.Ctx, x.Org.ID, m.Body), x.Actor.Name)
	if err != nil {
		return Attachment{}, err
	}
	r, ok := x.svc.renderers["pdf"]
	if !ok {
		return Attachment{}, Internal(errNoPDF)
	}
	name := x.Org.Name + " - Protokollsutdrag " + m.BodyName + " § " + Itoa(p.Number)
	f, err := renderFile(r, RenderedDocument{Layout: l, FileBase: name}, "pdf")
	return attachment(f, 0), err
}
