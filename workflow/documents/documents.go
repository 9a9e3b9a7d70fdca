package documents

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/yttrande/remiss/workflow"
)

// draftOf says which draft a template shows.
func draftOf(kind TemplateKind) DraftKind {
	if kind == TemplateTjansteutlatande || kind == TemplateTjansteskrivelse {
		return DraftTjansteutlatande
	}
	return DraftYttrande
}

// documentTitles are the words that name each kind of document, in file
// names and metadata.
var documentTitles = map[TemplateKind]string{
	TemplateYttrande: "Yttrande", TemplateYttrandeAvstar: "Yttrande", TemplateTjansteutlatande: "Tjänsteutlåtande",
	TemplateTjansteskrivelse: "Tjänsteskrivelse", TemplateMissiv: "Missiv",
}

// caseDocument is what a document of a case is made from.
type caseDocument struct {
	org      workflow.Organization
	c        workflow.Case
	kind     TemplateKind
	draft    DraftVersion // Version 0: none
	decision *workflow.Paragraph
	docs     []workflow.Document
	history  []workflow.HistoryEntry
	body     workflow.Body // the deciding body
	chair    string
}

// DecidingParagraph is the § that decided the case: the last DecidingParagraph that adopted
// the yttrande or declined to give one.
func DecidingParagraph(c workflow.Case) *workflow.Paragraph {
	for i := len(c.Paragraphs) - 1; i >= 0; i-- {
		p := c.Paragraphs[i]
		if p.Kind == workflow.ParagraphBeslut && (p.Outcome == "antaget" || p.Outcome == "avstar") {
			return &p
		}
	}
	return nil
}

// gather reads everything a document of the case shows.
func (s *Service) gather(ctx context.Context, org workflow.Organization, c workflow.Case, kind TemplateKind) (*caseDocument, error) {
	cd := &caseDocument{org: org, c: c, kind: kind, decision: DecidingParagraph(c)}
	var err error
	if cd.draft, err = s.store.DraftVersion(ctx, org.ID, c.ID, draftOf(kind), 0); err != nil && workflow.ErrorCode(err) != workflow.CodeNotFound {
		return nil, err
	}
	if cd.docs, err = s.store.Documents(ctx, org.ID, c.ID); err != nil {
		return nil, err
	}
	if cd.history, err = s.store.History(ctx, org.ID, c.ID); err != nil {
		return nil, err
	}
	cd.body = s.decidingBody(ctx, org, cd)
	if cd.body.ID != 0 {
		if ms, err := s.store.Members(ctx, org.ID, cd.body.ID); err == nil {
			for _, m := range ms {
				if m.Role == workflow.MemberOrdforande {
					cd.chair = m.Name
					break
				}
			}
		}
	}
	return cd, nil
}

// decidingBody is the body whose decision the document reports: the
// body of the deciding §, else the organisation's styrelse.
func (s *Service) decidingBody(ctx context.Context, org workflow.Organization, cd *caseDocument) workflow.Body {
	if cd.decision != nil {
		if b, err := s.store.BodyByCode(ctx, org.ID, cd.decision.Body); err == nil {
			return b
		}
	}
	bodies, err := s.Bodies(ctx, org.ID)
	if err != nil {
		return workflow.Body{}
	}
	for _, b := range bodies {
		if b.Kind == workflow.KindStyrelse {
			return b
		}
	}
	return workflow.Body{}
}

// lastEvent returns the data of the latest history entry of event.
func (cd *caseDocument) lastEvent(event string) (map[string]any, bool) {
	for i := len(cd.history) - 1; i >= 0; i-- {
		if cd.history[i].Event == event {
			var data map[string]any
			_ = json.Unmarshal(cd.history[i].Data, &data) // the history's own JSON
			return data, true
		}
	}
	return nil, false
}

// data builds what the template shows.
func (cd *caseDocument) data(today workflow.Date) DocumentData {
	st, c := cd.org.Documents, cd.c
	d := DocumentData{Organisation: cd.org.Name, Body: cd.body.Name, Dnr: c.Dnr, Title: c.Title, Text: cd.draft.Text,
		Remiss: RemissData{Sender: c.Remiss.Sender, SenderDnr: c.Remiss.SenderDnr, Reference: c.Remiss.Reference,
			Received: st.FormatDate(c.Remiss.Received), Deadline: st.FormatDate(c.Remiss.Deadline), ReplyTo: c.Remiss.ReplyTo},
		Handlingar: []string{}}
	if c.Handlaggare != nil {
		d.Handlaggare = c.Handlaggare.Name
	}
	date := today
	if p := cd.decision; p != nil {
		d.Decision = &DecisionData{Body: p.BodyName, Date: st.FormatDate(p.MeetingDate), Paragraph: fmt.Sprintf("§ %d", p.Number), Outcome: p.Outcome}
		date = p.MeetingDate
	} else if ev, ok := cd.lastEvent("ordforandebeslut"); ok {
		on, _ := workflow.ParseDate(fmt.Sprint(ev["date"]))
		d.Decision = &DecisionData{Body: workflow.Genitive(cd.body.Name) + " ordförande", Date: st.FormatDate(on), Outcome: "antaget"}
		date = on
	}
	if ev, ok := cd.lastEvent("avsta"); ok {
		d.Reason, _ = ev["reason"].(string)
	}
	if draftOf(cd.kind) == DraftTjansteutlatande {
		if cd.draft.Version > 0 {
			date = workflow.DateOf(cd.draft.CreatedAt)
		}
		d.Handlingar = cd.handlingar(workflow.LongDate(date))
	}
	d.Date = st.FormatDate(date)
	d.Signers, d.OnBehalf = cd.signers()
	return d
}

// handlingar lists the report itself and the handlingar registered by
// hand, as the report's "Handlingar i ärendet": not the ministry's letter,
// which the case is about, nor what the system rendered. A date in running
// text is always written out, whatever the header's style.
func (cd *caseDocument) handlingar(date string) []string {
	out := []string{documentTitles[cd.kind] + " den " + date}
	for _, doc := range cd.docs {
		if doc.Source == "" && doc.Kind != workflow.KindRemiss && doc.Kind != workflow.KindTjansteutlatande && doc.Kind != workflow.KindTjansteskrivelse {
			out = append(out, doc.Title)
		}
	}
	return out
}

// signers are who sign: for a report, its writers (the handläggare when
// none are named); for a yttrande, as the organisation signs.
func (cd *caseDocument) signers() ([]Signer, bool) {
	if draftOf(cd.kind) == DraftTjansteutlatande {
		if len(cd.draft.Signers) > 0 {
			return cd.draft.Signers, false
		}
		if h := cd.c.Handlaggare; h != nil {
			return []Signer{{Name: h.Name, Title: "Handläggare"}}, false
		}
		return nil, false
	}
	st := cd.org.Documents
	chair := Signer{Name: cd.chair, Title: workflow.Genitive(cd.body.Name) + " ordförande"}
	switch st.Signing {
	case workflow.SignSekreterare:
		name := st.Secretary
		if name == "" && cd.decision != nil {
			name = actorName(cd.decision.CreatedBy)
		}
		return []Signer{{Name: name, Title: "Sekreterare"}}, true
	case workflow.SignOrdforandeKommundirektor:
		return []Signer{chair, {Name: st.Kommundirektor, Title: "Kommundirektör"}}, false
	}
	return []Signer{chair}, false
}

// actorName is the name of an actor's label "Name <email>".
func actorName(label string) string {
	name, _, _ := strings.Cut(label, " <")
	return name
}
