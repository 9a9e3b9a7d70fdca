package workflow

import (
	"fmt"
	"slices"
	"strings"
)

// effectSpec is a named change an event makes besides its state. fields
// are the data fields (and their types) the effect reads, checked when a
// definition is validated; apply records the change in f.tr and f.after.
type effectSpec struct {
	needsArg bool   // the argument is a kind of obligation
	arg      string // argMeetingField: the argument names a meeting field
	fields   map[string]FieldType
	apply    func(f *firing, arg string) error
}

var effects = map[string]effectSpec{
	"assign_handlaggare":         {fields: map[string]FieldType{"handlaggare": FieldUser}, apply: effectAssign},
	"notify_handlaggare":         {apply: effectNotify},
	"create_consultations":       {fields: map[string]FieldType{"consultations": FieldList}, apply: effectCreateConsultations},
	"answer_consultation":        {fields: map[string]FieldType{"body": FieldBody, "outcome": FieldEnum}, apply: effectAnswerConsultation},
	"record_justering":           {fields: map[string]FieldType{"date": FieldDate}, apply: effectJustering},
	"record_immediate_justering": {fields: map[string]FieldType{"date": FieldDate, "justeras_omedelbart": FieldBool}, apply: effectImmediateJustering},
	"open_obligation":            {needsArg: true, fields: map[string]FieldType{"date": FieldDate}, apply: effectOpenObligation},
	"close_obligation":           {needsArg: true, fields: map[string]FieldType{"meeting_date": FieldDate}, apply: effectCloseObligation},
	"change_deadline":            {fields: map[string]FieldType{"new_deadline": FieldDate}, apply: effectChangeDeadline},
	"put_on_agenda":              {arg: argMeetingField, apply: effectPutOnAgenda},
	"record_decision":            {fields: map[string]FieldType{"meeting": FieldMeeting}, apply: effectRecordDecision},
	"report_obligation":          {needsArg: true, fields: map[string]FieldType{"meeting": FieldMeeting}, apply: effectReportObligation},
	"send_expedition":            {apply: effectSendExpedition},
	"resend_expedition":          {fields: map[string]FieldType{"reason": FieldText}, apply: effectResendExpedition},
	"register_sent_answer":       {fields: map[string]FieldType{"outbox": FieldInteger, "message_id": FieldText}, apply: effectRegisterSentAnswer},
}

// argMeetingField is the kind of argument naming a meeting field of the
// event.
const argMeetingField = "meeting_field"

// appealDays is the period for laglighetsprövning (KL 13 kap. 5 §).
const appealDays = 21

func effectAssign(f *firing, _ string) error {
	u := f.users[f.data["handlaggare"].(string)]
	ref := &UserRef{ID: u.ID, Email: u.Email, Name: u.Name}
	f.tr.SetHandlaggare, f.after.Handlaggare = ref, ref
	return nil
}

// effectNotify tells the case's (new) handläggare by e-mail, through the
// outbox.
func effectNotify(f *firing, _ string) error {
	h := f.after.Handlaggare
	if h == nil || h.ID == f.actor.UserID {
		return nil
	}
	f.tr.Outbox = append(f.tr.Outbox, OutboxMessage{Kind: "email", Template: "tilldelad", To: h.Email, Payload: map[string]any{
		"dnr": f.c.Dnr, "title": f.c.Title, "deadline": f.after.Remiss.Deadline.String(), "handlaggare": h.Name, "by": f.actor.Name,
	}})
	return nil
}

func effectCreateConsultations(f *firing, _ string) error {
	var v Validation
	next := int64(len(f.c.Consultations)) + 1
	for i, item := range f.data["consultations"].([]map[string]any) {
		path := fmt.Sprintf("data.consultations[%d]", i)
		code, _ := item["body"].(string)
		deadline, problem, err := f.consultationDeadline(item["deadline"])
		if err != nil {
			return err
		}
		body := f.bodies[code]
		switch {
		case problem != "":
			v.Add(path+".deadline", problem)
		case body.Kind != KindNamnd:
			v.Addf(path+".body", "%s är ingen nämnd; intern remiss går till nämnder.", code)
		case deadline.Before(f.today):
			v.Addf(path+".deadline", "Svarsdatumet %s har redan passerat.", deadline)
		case deadline.After(f.after.Remiss.Deadline):
			v.Addf(path+".deadline", "Svarsdatumet %s ligger efter remissens svarsdatum %s.", deadline, f.after.Remiss.Deadline)
		case f.consultationOf(code) != nil || slices.ContainsFunc(f.tr.NewConsultations, func(c Consultation) bool { return c.Body == code }):
			v.Addf(path+".body", "%s är redan tillfrågad i ärendet.", body.Name)
		default:
			c := Consultation{ID: next, BodyID: body.ID, Body: code, BodyName: body.Name, Deadline: deadline,
				Status: ConsultationBegard, RequestedAt: f.tr.At}
			next++
			f.tr.NewConsultations = append(f.tr.NewConsultations, c)
			f.after.Consultations = append(f.after.Consultations, c)
		}
	}
	return v.Err()
}

// consultationDeadline is the deadline given, or else the one the case's
// plan gives the nämnder; problem says what is wrong with the input, err
// is a failure to compute the plan.
func (f *firing) consultationDeadline(given any) (d Date, problem string, err error) {
	if s, ok := given.(string); ok && s != "" {
		if d, err := ParseDate(s); err == nil {
			return d, "", nil
		}
		return Date{}, "Ange nämndens svarsdatum som ÅÅÅÅ-MM-DD.", nil
	}
	if f.namndDeadline == nil {
		d, err := f.svc.planner.NamndDeadline(f.ctx, f.org, f.c)
		if err != nil {
			return Date{}, "", err
		}
		f.namndDeadline = &d
	}
	if d := *f.namndDeadline; d.IsZero() || d.Before(f.today) {
		return Date{}, "Ange nämndens svarsdatum: planen ger inget som inte redan har passerat.", nil
	}
	return *f.namndDeadline, "", nil
}

func effectAnswerConsultation(f *firing, _ string) error {
	c := f.consultationOf(f.data["body"].(string))
	if c == nil || c.Status != ConsultationBegard {
		return guardConsultationPending(f, "")
	}
	answered := *c
	answered.Status, answered.AnsweredAt = ConsultationBesvarad, f.tr.At
	if f.data["outcome"] == "avstar" {
		answered.Status = ConsultationAvstatt
	}
	answered.Paragraph, _ = f.data["paragraph"].(int64)
	if d, ok := f.date("decided_on"); ok {
		answered.DecidedOn = d
	}
	if n, ok := f.data["handling"].(int64); ok {
		if _, err := f.svc.store.Document(f.ctx, f.org.ID, f.c.ID, int(n)); err != nil {
			return fieldError("data.handling", fmt.Sprintf("Ärendet har ingen handling nummer %d.", n))
		}
		answered.Document = int(n)
	}
	answered.Late = false
	if m, ok := f.meetings["meeting"]; ok {
		if err := f.recordAnswer(m, &answered); err != nil {
			return err
		}
	}
	f.tr.Answer = &answered
	f.replaceConsultation(answered)
	return nil
}

// recordAnswer records a nämnd's answer as a paragraph of the nämnd's
// meeting, when the meeting is in the calendar.
func (f *firing) recordAnswer(m Meeting, answered *Consultation) error {
	switch {
	case m.BodyID != answered.BodyID:
		return fieldError("data.meeting", fmt.Sprintf("Sammanträdet %s är inte %s sammanträde.", m.Label(), genitive(answered.BodyName)))
	case m.Date.After(f.today):
		return fieldError("data.meeting", fmt.Sprintf("Sammanträdet %s har inte hållits än.", m.Label()))
	}
	p := f.newParagraph(m, ParagraphBeslut, f.c.Title)
	p.Outcome, _ = f.data["outcome"].(string)
	answered.DecidedOn, answered.Paragraph = m.Date, int64(p.Number)
	f.setParagraph(p)
	return nil
}

func effectJustering(f *firing, _ string) error {
	return f.justera(f.mustDate("date"))
}

func effectImmediateJustering(f *firing, _ string) error {
	if now, _ := f.data["justeras_omedelbart"].(bool); now {
		return f.justera(f.mustDate("date"))
	}
	return nil
}

// justera records the justering on day, the anslag (the data's anslag,
// else the same day) and the last day to appeal: three weeks after the
// anslag, moved to the next working day when it falls on a Saturday,
// Sunday or holiday (lag 1930:173).
func (f *firing) justera(day Date) error {
	anslag := day
	if d, ok := f.date("anslag"); ok {
		anslag = d
	}
	if err := checkAnslag(day, anslag, f.org.AnslagDays, "data.anslag"); err != nil {
		return err
	}
	end := AppealEnds(anslag, f.svc.calendar, f.svc.loc)
	j := &Justering{JusteradOn: day, AnslagOn: anslag, AppealEndsOn: end}
	f.tr.SetJustering, f.after.Justering = j, j
	f.record["anslag_on"], f.record["appeal_ends_on"] = anslag.String(), end.String()
	return nil
}

func effectOpenObligation(f *firing, kind string) error {
	decidedBy, _ := f.data["decided_by"].(string)
	if decidedBy == "" {
		decidedBy = f.actor.Name
	}
	var bodyID int64
	if code, ok := f.data["body"].(string); ok {
		bodyID = f.bodies[code].ID
	}
	o := Obligation{ID: int64(len(f.c.Obligations)) + 1, BodyID: bodyID, Kind: kind, Title: obligationTitles[kind], DecidedOn: f.mustDate("date"),
		DecidedBy: decidedBy, OpenedAt: f.tr.At, OpenedBy: f.actor.Label()}
	f.tr.OpenObligation = &o
	f.after.Obligations = append(f.after.Obligations, o)
	return nil
}

func effectCloseObligation(f *firing, kind string) error {
	open := f.openObligation(kind)
	if open == nil {
		return guardObligationOpen(f, kind)
	}
	closed := *open
	closed.ClosedAt, closed.ClosedBy = f.tr.At, f.actor.Label()
	closed.Report = f.mustDate("meeting_date").String()
	if p, ok := f.data["paragraph"].(int64); ok {
		closed.Report += fmt.Sprintf(" § %d", p)
	}
	if b, ok := f.data["body"].(string); ok {
		closed.Report = b + " " + closed.Report
	}
	f.tr.CloseObligation = &closed
	for i := range f.after.Obligations {
		if f.after.Obligations[i].ID == closed.ID {
			f.after.Obligations[i] = closed
		}
	}
	return nil
}

// effectChangeDeadline registers an anstånd: the new reply date replaces
// the old one on the case, and the history keeps the old one.
func effectChangeDeadline(f *firing, _ string) error {
	d := f.mustDate("new_deadline")
	old := f.c.Remiss.Deadline
	if !d.After(old) {
		return fieldError("data.new_deadline", fmt.Sprintf("Ett anstånd ska ge ett senare svarsdatum än nuvarande %s.", old))
	}
	f.tr.SetDeadline, f.after.Remiss.Deadline = &d, d
	f.record["previous_deadline"] = old.String()
	return nil
}

// checkAnslag checks that the anslag goes up on the day of justering or
// at most days later (KL 8 kap. 12 §: the second day at the latest).
func checkAnslag(justering, anslag Date, days int, field string) error {
	if anslag.Before(justering) || anslag.After(justering.AddDays(days)) {
		if days == 0 {
			return fieldError(field, fmt.Sprintf("Anslaget ska sättas upp samma dag som justeringen, %s.", justering))
		}
		return fieldError(field, fmt.Sprintf("Anslaget ska sättas upp senast %d dagar efter justeringen, alltså mellan %s och %s.", days, justering, justering.AddDays(days)))
	}
	return nil
}

func fieldError(field, message string) error {
	return &Error{Code: CodeInvalid, Message: message, Fields: []FieldError{{Field: field, Message: message}}}
}

func validateEffects(p *problems, at string, e Event) {
	for j, ef := range e.Effects {
		here := fmt.Sprintf("%s.effects[%d]", at, j)
		spec, ok := effects[ef.Name]
		if !ok {
			p.addf(here, "Okänd effekt ”%s”. Möjliga: %s.", ef.Name, strings.Join(sortedKeys(effects), ", "))
			continue
		}
		if spec.arg == argMeetingField && !slices.ContainsFunc(e.Data, func(f FieldSpec) bool { return f.Name == ef.Arg && f.Type == FieldMeeting }) {
			p.addf(here+".arg", "Effekten ”%s” behöver namnet på ett sammanträdesfält (meeting) i händelsens data.", ef.Name)
		}
		if spec.needsArg && obligationTitles[ef.Arg] == "" {
			p.addf(here+".arg", "Effekten ”%s” behöver ett känt slag av åtagande: %s.", ef.Name, strings.Join(sortedKeys(obligationTitles), ", "))
		}
		for name, typ := range spec.fields {
			k := slices.IndexFunc(e.Data, func(f FieldSpec) bool { return f.Name == name })
			switch {
			case k < 0 || e.Data[k].Type != typ:
				p.addf(here, "Effekten ”%s” behöver fältet ”%s” av typen %s i händelsens data.", ef.Name, name, typ)
			case typ != FieldBool && !e.Data[k].Required:
				p.addf(here, "Effekten ”%s” behöver att fältet ”%s” är obligatoriskt (required).", ef.Name, name)
			}
		}
	}
}
