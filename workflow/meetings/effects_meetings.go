package meetings

import (
	"fmt"
	"slices"
	"strings"

	"github.com/yttrande/remiss/workflow"
)

// effectPutOnAgenda puts the case on the agenda of the meeting named by
// the data field arg, when the data names one.
func effectPutOnAgenda(f *workflow.Firing, field string) error {
	if m, ok := f.Meetings[field]; ok {
		f.Tr.Agenda = append(f.Tr.Agenda, m.ID)
		f.Record[field+"_label"] = m.Label()
	}
	return nil
}

// effectRecordDecision records the decision as a paragraph of the minutes
// of the meeting the data names: numbered by the store unless a number is
// given, with the members' yrkanden, reservationer, särskilda yttranden
// and jäv checked against the body's members.
func (s *Service) effectRecordDecision(f *workflow.Firing, _ string) error {
	m := f.Meetings["meeting"]
	if m.Date.After(f.Today) {
		return workflow.InvalidField("data.meeting", fmt.Sprintf("Sammanträdet %s har inte hållits än; beslutet registreras från sammanträdesdagen.", m.Label()))
	}
	d, err := s.decision(f, m)
	if err != nil {
		return err
	}
	p := f.NewParagraph(m, workflow.ParagraphBeslut, f.Case.Title)
	p.Outcome, _ = f.Data["outcome"].(string)
	p.Decision = d
	p.JusterasOmedelbart, _ = f.Data["justeras_omedelbart"].(bool)
	if p.JusterasOmedelbart {
		if len(d.Justerare) == 0 {
			return workflow.InvalidField("data.justerare", "Ange vem som justerar paragrafen när den justeras omedelbart.")
		}
		if err := f.Justera(m.Date); err != nil {
			return err
		}
		p.Justering = f.After.Justering
	}
	f.SetParagraph(p)
	return nil
}

// effectReportObligation reports an ordförande- or delegationsbeslut at
// the meeting the data names, as a paragraph of its own, and closes the
// obligation.
func effectReportObligation(f *workflow.Firing, kind string) error {
	open := f.OpenObligation(kind)
	if open == nil {
		return workflow.GuardObligationOpen(f, kind)
	}
	m := f.Meetings["meeting"]
	switch {
	case m.Date.After(f.Today):
		return workflow.InvalidField("data.meeting", fmt.Sprintf("Sammanträdet %s har inte hållits än; anmälan registreras från sammanträdesdagen.", m.Label()))
	case m.Date.Before(open.DecidedOn):
		return workflow.InvalidField("data.meeting", fmt.Sprintf("Sammanträdet %s ligger före beslutet %s.", m.Label(), open.DecidedOn))
	case open.BodyID != 0 && open.BodyID != m.BodyID:
		return workflow.InvalidField("data.meeting", fmt.Sprintf("Beslutet ska anmälas till den instans vars ordförande fattade det, inte till %s.", m.BodyName))
	}
	p := f.NewParagraph(m, workflow.ParagraphAnmalan, ObligationAgendaTitle(kind, f.Case.Title))
	closed := *open
	closed.ClosedAt, closed.ClosedBy, closed.MeetingID, closed.Report = f.Tr.At, f.Actor.Label(), m.ID, p.Label()
	f.Tr.CloseObligation = &closed
	for i := range f.After.Obligations {
		if f.After.Obligations[i].ID == closed.ID {
			f.After.Obligations[i] = closed
		}
	}
	f.SetParagraph(p)
	return nil
}

// ObligationAgendaTitle is the agenda's and the minutes' title of the
// report of an obligation.
func ObligationAgendaTitle(kind, caseTitle string) string {
	if kind == "delegationsbeslut" {
		return "Anmälan av delegationsbeslut: " + caseTitle
	}
	return "Anmälan av ordförandebeslut: " + caseTitle
}

// decision reads the decision's texts and the members it names.
func (s *Service) decision(f *workflow.Firing, m workflow.Meeting) (workflow.Decision, error) {
	ms, err := s.store.Members(f.Ctx, f.Org.ID, m.BodyID)
	if err != nil {
		return workflow.Decision{}, err
	}
	var v workflow.Validation
	text := func(name string) string { s, _ := f.Data[name].(string); return s }
	d := workflow.Decision{Beslutsformulering: text("beslutsformulering"), Forslag: text("forslag"), Forslagsstallare: text("forslagsstallare"),
		Sammanfattning: text("sammanfattning"), Motivation: text("motivation")}
	d.Yrkanden = statements(f, &v, workflow.Members(ms), "yrkanden", m.BodyName)
	d.Reservationer = statements(f, &v, workflow.Members(ms), "reservationer", m.BodyName)
	d.SarskildaYttranden = statements(f, &v, workflow.Members(ms), "sarskilda_yttranden", m.BodyName)
	d.Jav = memberNames(f, &v, workflow.Members(ms), "jav", m.BodyName)
	d.Justerare = memberNames(f, &v, workflow.Members(ms), "justerare", m.BodyName)
	d.SkickasTill, _ = f.Data["skickas_till"].([]string)
	for i, r := range d.Reservationer {
		if slices.ContainsFunc(d.Jav, func(j string) bool { return strings.EqualFold(j, r.Ledamot) }) {
			v.Addf(fmt.Sprintf("data.reservationer[%d].ledamot", i), "%s har anmält jäv och deltar inte i beslutet, och kan därför inte reservera sig.", r.Ledamot)
		}
	}
	return d, v.Err()
}

func statements(f *workflow.Firing, v *workflow.Validation, ms workflow.Members, field, body string) []workflow.Statement {
	items, _ := f.Data[field].([]map[string]any)
	out := make([]workflow.Statement, 0, len(items))
	for i, item := range items {
		name, _ := item["ledamot"].(string)
		text, _ := item["text"].(string)
		out = append(out, workflow.Statement{Ledamot: ms.Check(v, fmt.Sprintf("data.%s[%d].ledamot", field, i), name, body), Text: text})
	}
	return out
}

func memberNames(f *workflow.Firing, v *workflow.Validation, ms workflow.Members, field, body string) []string {
	names, _ := f.Data[field].([]string)
	out := make([]string, 0, len(names))
	for i, name := range names {
		out = append(out, ms.Check(v, fmt.Sprintf("data.%s[%d]", field, i), name, body))
	}
	return out
}
