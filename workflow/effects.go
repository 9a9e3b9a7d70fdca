package workflow

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// effectSpec is a named change an event makes besides its state, as a
// definition may name it: fields are the data fields (and their types)
// the effect reads, checked when a definition is validated. What the
// effect does is an EffectFunc.
type effectSpec struct {
	needsArg bool   // the argument is a kind of obligation
	arg      string // argMeetingField: the argument names a meeting field
	fields   map[string]FieldType
}

// effects are the effects a definition may name.
var effects = map[string]effectSpec{
	"assign_handlaggare":         {fields: map[string]FieldType{"handlaggare": FieldUser}},
	"notify_handlaggare":         {},
	"create_consultations":       {fields: map[string]FieldType{"consultations": FieldList}},
	"answer_consultation":        {fields: map[string]FieldType{"body": FieldBody, "outcome": FieldEnum}},
	"record_justering":           {fields: map[string]FieldType{"date": FieldDate}},
	"record_immediate_justering": {fields: map[string]FieldType{"date": FieldDate, "justeras_omedelbart": FieldBool}},
	"open_obligation":            {needsArg: true, fields: map[string]FieldType{"date": FieldDate}},
	"close_obligation":           {needsArg: true, fields: map[string]FieldType{"meeting_date": FieldDate}},
	"change_deadline":            {fields: map[string]FieldType{"new_deadline": FieldDate}},
	"put_on_agenda":              {arg: argMeetingField},
	"record_decision":            {fields: map[string]FieldType{"meeting": FieldMeeting}},
	"report_obligation":          {needsArg: true, fields: map[string]FieldType{"meeting": FieldMeeting}},
	"send_expedition":            {},
	"resend_expedition":          {fields: map[string]FieldType{"reason": FieldText}},
	"register_sent_answer":       {fields: map[string]FieldType{"outbox": FieldInteger, "message_id": FieldText}},
}

// EffectFunc makes an effect's change: it records it in f.Tr and f.After
// (and what the history keeps in f.Record), with arg the definition's
// argument; an error refuses the event and nothing is written.
type EffectFunc func(f *Firing, arg string) error

// builtinEffects are the effects the engine makes itself; the domain
// packages give the others (ServiceConfig.Effects).
var builtinEffects = map[string]EffectFunc{
	"assign_handlaggare":         effectAssign,
	"notify_handlaggare":         effectNotify,
	"create_consultations":       effectCreateConsultations,
	"answer_consultation":        effectAnswerConsultation,
	"record_justering":           effectJustering,
	"record_immediate_justering": effectImmediateJustering,
	"open_obligation":            effectOpenObligation,
	"close_obligation":           effectCloseObligation,
	"change_deadline":            effectChangeDeadline,
}

// argMeetingField is the kind of argument naming a meeting field of the
// event.
const argMeetingField = "meeting_field"

// appealDays is the period for laglighetsprövning (KL 13 kap. 5 §).
const appealDays = 21

func effectAssign(f *Firing, _ string) error {
	u := f.Users[f.Data["handlaggare"].(string)]
	ref := &UserRef{ID: u.ID, Email: u.Email, Name: u.Name}
	f.Tr.SetHandlaggare, f.After.Handlaggare = ref, ref
	return nil
}

// effectNotify tells the case's (new) handläggare by e-mail, through the
// outbox.
func effectNotify(f *Firing, _ string) error {
	h := f.After.Handlaggare
	if h == nil || h.ID == f.Actor.UserID {
		return nil
	}
	f.Tr.Outbox = append(f.Tr.Outbox, OutboxMessage{Kind: "email", Template: "tilldelad", To: h.Email, Payload: map[string]any{
		"dnr": f.Case.Dnr, "title": f.Case.Title, "deadline": f.After.Remiss.Deadline.String(), "handlaggare": h.Name, "by": f.Actor.Name,
	}})
	return nil
}

func effectCreateConsultations(f *Firing, _ string) error {
	var v Validation
	next := int64(len(f.Case.Consultations)) + 1
	for i, item := range f.Data["consultations"].([]map[string]any) {
		path := fmt.Sprintf("data.consultations[%d]", i)
		code, _ := item["body"].(string)
		deadline, problem, err := f.consultationDeadline(item["deadline"])
		if err != nil {
			return err
		}
		body := f.Bodies[code]
		switch {
		case problem != "":
			v.Add(path+".deadline", problem)
		case body.Kind != KindNamnd:
			v.Addf(path+".body", "%s är ingen nämnd; intern remiss går till nämnder.", code)
		case deadline.Before(f.Today):
			v.Addf(path+".deadline", "Svarsdatumet %s har redan passerat.", deadline)
		case deadline.After(f.After.Remiss.Deadline):
			v.Addf(path+".deadline", "Svarsdatumet %s ligger efter remissens svarsdatum %s.", deadline, f.After.Remiss.Deadline)
		case f.consultationOf(code) != nil || slices.ContainsFunc(f.Tr.NewConsultations, func(c Consultation) bool { return c.Body == code }):
			v.Addf(path+".body", "%s är redan tillfrågad i ärendet.", body.Name)
		default:
			c := Consultation{ID: next, BodyID: body.ID, Body: code, BodyName: body.Name, Deadline: deadline,
				Status: ConsultationBegard, RequestedAt: f.Tr.At}
			next++
			f.Tr.NewConsultations = append(f.Tr.NewConsultations, c)
			f.After.Consultations = append(f.After.Consultations, c)
		}
	}
	return v.Err()
}

// consultationDeadline is the deadline given, or else the one the case's
// plan gives the nämnder; problem says what is wrong with the input, err
// is a failure to compute the plan.
func (f *Firing) consultationDeadline(given any) (d Date, problem string, err error) {
	if s, ok := given.(string); ok && s != "" {
		if d, err := ParseDate(s); err == nil {
			return d, "", nil
		}
		return Date{}, "Ange nämndens svarsdatum som ÅÅÅÅ-MM-DD.", nil
	}
	if f.namndDeadline == nil {
		d, err := f.svc.planner.NamndDeadline(f.Ctx, f.Org, f.Case)
		if err != nil {
			return Date{}, "", err
		}
		f.namndDeadline = &d
	}
	if d := *f.namndDeadline; d.IsZero() || d.Before(f.Today) {
		return Date{}, "Ange nämndens svarsdatum: planen ger inget som inte redan har passerat.", nil
	}
	return *f.namndDeadline, "", nil
}

func effectAnswerConsultation(f *Firing, _ string) error {
	c := f.consultationOf(f.Data["body"].(string))
	if c == nil || c.Status != ConsultationBegard {
		return guardConsultationPending(f, "")
	}
	answered := *c
	answered.Status, answered.AnsweredAt = ConsultationBesvarad, f.Tr.At
	if f.Data["outcome"] == "avstar" {
		answered.Status = ConsultationAvstatt
	}
	answered.Paragraph, _ = f.Data["paragraph"].(int64)
	if d, ok := f.date("decided_on"); ok {
		answered.DecidedOn = d
	}
	if n, ok := f.Data["handling"].(int64); ok {
		if _, err := f.svc.store.Document(f.Ctx, f.Org.ID, f.Case.ID, int(n)); err != nil {
			return InvalidField("data.handling", fmt.Sprintf("Ärendet har ingen handling nummer %d.", n))
		}
		answered.Document = int(n)
	}
	answered.Late = false
	if m, ok := f.Meetings["meeting"]; ok {
		if err := f.recordAnswer(m, &answered); err != nil {
			return err
		}
	}
	f.Tr.Answer = &answered
	f.replaceConsultation(answered)
	return nil
}

// recordAnswer records a nämnd's answer as a paragraph of the nämnd's
// meeting, when the meeting is in the calendar.
func (f *Firing) recordAnswer(m Meeting, answered *Consultation) error {
	switch {
	case m.BodyID != answered.BodyID:
		return InvalidField("data.meeting", fmt.Sprintf("Sammanträdet %s är inte %s sammanträde.", m.Label(), Genitive(answered.BodyName)))
	case m.Date.After(f.Today):
		return InvalidField("data.meeting", fmt.Sprintf("Sammanträdet %s har inte hållits än.", m.Label()))
	}
	p := f.NewParagraph(m, ParagraphBeslut, f.Case.Title)
	p.Outcome, _ = f.Data["outcome"].(string)
	answered.DecidedOn, answered.Paragraph = m.Date, int64(p.Number)
	f.SetParagraph(p)
	return nil
}

func effectJustering(f *Firing, _ string) error {
	return f.Justera(f.mustDate("date"))
}

func effectImmediateJustering(f *Firing, _ string) error {
	if now, _ := f.Data["justeras_omedelbart"].(bool); now {
		return f.Justera(f.mustDate("date"))
	}
	return nil
}

// justera records the justering on day, the anslag (the data's anslag,
// else the same day) and the last day to appeal: three weeks after the
// anslag, moved to the next working day when it falls on a Saturday,
// Sunday or holiday (lag 1930:173).
func (f *Firing) Justera(day Date) error {
	anslag := day
	if d, ok := f.date("anslag"); ok {
		anslag = d
	}
	if err := CheckAnslag(day, anslag, f.Org.AnslagDays, "data.anslag"); err != nil {
		return err
	}
	end := AppealEnds(anslag, f.svc.calendar, f.svc.loc)
	j := &Justering{JusteradOn: day, AnslagOn: anslag, AppealEndsOn: end}
	f.Tr.SetJustering, f.After.Justering = j, j
	f.Record["anslag_on"], f.Record["appeal_ends_on"] = anslag.String(), end.String()
	return nil
}

func effectOpenObligation(f *Firing, kind string) error {
	decidedBy, _ := f.Data["decided_by"].(string)
	if decidedBy == "" {
		decidedBy = f.Actor.Name
	}
	var bodyID int64
	if code, ok := f.Data["body"].(string); ok {
		bodyID = f.Bodies[code].ID
	}
	o := Obligation{ID: int64(len(f.Case.Obligations)) + 1, BodyID: bodyID, Kind: kind, Title: obligationTitles[kind], DecidedOn: f.mustDate("date"),
		DecidedBy: decidedBy, OpenedAt: f.Tr.At, OpenedBy: f.Actor.Label()}
	f.Tr.OpenObligation = &o
	f.After.Obligations = append(f.After.Obligations, o)
	return nil
}

func effectCloseObligation(f *Firing, kind string) error {
	open := f.OpenObligation(kind)
	if open == nil {
		return GuardObligationOpen(f, kind)
	}
	closed := *open
	closed.ClosedAt, closed.ClosedBy = f.Tr.At, f.Actor.Label()
	closed.Report = f.mustDate("meeting_date").String()
	if p, ok := f.Data["paragraph"].(int64); ok {
		closed.Report += fmt.Sprintf(" § %d", p)
	}
	if b, ok := f.Data["body"].(string); ok {
		closed.Report = b + " " + closed.Report
	}
	f.Tr.CloseObligation = &closed
	for i := range f.After.Obligations {
		if f.After.Obligations[i].ID == closed.ID {
			f.After.Obligations[i] = closed
		}
	}
	return nil
}

// effectChangeDeadline registers an anstånd: the new reply date replaces
// the old one on the case, and the history keeps the old one.
func effectChangeDeadline(f *Firing, _ string) error {
	d := f.mustDate("new_deadline")
	old := f.Case.Remiss.Deadline
	if !d.After(old) {
		return InvalidField("data.new_deadline", fmt.Sprintf("Ett anstånd ska ge ett senare svarsdatum än nuvarande %s.", old))
	}
	f.Tr.SetDeadline, f.After.Remiss.Deadline = &d, d
	f.Record["previous_deadline"] = old.String()
	return nil
}

// checkAnslag checks that the anslag goes up on the day of justering or
// at most days later (KL 8 kap. 12 §: the second day at the latest).
func CheckAnslag(justering, anslag Date, days int, field string) error {
	if anslag.Before(justering) || anslag.After(justering.AddDays(days)) {
		if days == 0 {
			return InvalidField(field, fmt.Sprintf("Anslaget ska sättas upp samma dag som justeringen, %s.", justering))
		}
		return InvalidField(field, fmt.Sprintf("Anslaget ska sättas upp senast %d dagar efter justeringen, alltså mellan %s och %s.", days, justering, justering.AddDays(days)))
	}
	return nil
}

func InvalidField(field, message string) error {
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

// AppealEnds is the last day to appeal a decision whose minutes were
// announced on anslag: three weeks later (KL 13 kap. 5 §), moved to the
// next working day when it falls on a Saturday, Sunday, public holiday,
// midsommarafton, julafton or nyårsafton (lag 1930:173 om beräkning av
// lagstadgad tid).
func AppealEnds(anslag Date, cal Calendar, loc *time.Location) Date {
	end := anslag.AddDays(appealDays)
	for !cal.IsWorkingDay(end.Time(loc)) {
		end = end.AddDays(1)
	}
	return end
}

// NewParagraph is a § of meeting m about the case being fired, numbered
// as the data says or, when it says nothing, by the store.
func (f *Firing) NewParagraph(m Meeting, kind ParagraphKind, title string) *Paragraph {
	p := &Paragraph{OrgID: f.Org.ID, BodyID: m.BodyID, Body: m.Body, BodyName: m.BodyName, Year: m.Date.Time(time.UTC).Year(),
		MeetingID: m.ID, MeetingDate: m.Date, CaseID: f.Case.ID, Dnr: f.Case.Dnr, Kind: kind, Title: title,
		CreatedAt: f.Tr.At, CreatedBy: f.Actor.Label()}
	if n, ok := f.Data["paragraph"].(int64); ok {
		p.Number = int(n)
	}
	return p
}

// SetParagraph puts p in the transition; the store numbers it unless the
// data gave the number.
func (f *Firing) SetParagraph(p *Paragraph) {
	f.Tr.Paragraph, f.Tr.AllocateParagraph = p, p.Number == 0
	f.After.Paragraphs = append(f.After.Paragraphs, *p)
	f.Record["meeting_label"] = p.Body + " " + p.MeetingDate.String()
}
