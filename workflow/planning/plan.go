package planning

import (
	"slices"
	"strings"

	"github.com/yttrande/remiss/workflow"
)

var planSeverity = map[workflow.PlanStatus]int{workflow.PlanKlar: 0, workflow.PlanITid: 1, workflow.PlanRisk: 2, workflow.PlanSen: 3, workflow.PlanOmojlig: 4}

// The kinds of plan step.
const (
	StepNamndSvar     = "namnd_svar"     // a nämnd's answer to the intern remiss
	StepStopptid      = "stopptid"       // the tjänsteutlåtande is ready
	StepArbetsutskott = "arbetsutskott"  // the AU meeting that proposes
	StepStyrelse      = "kommunstyrelse" // the KS meeting that decides
	StepNamndBeslut   = "namnd_beslut"   // a nämnd that answers the ministry itself decides
	StepJustering     = "justering"
	StepExpediering   = "expediering" // the yttrande is sent, at the latest on the reply date
)

// stepOrder orders steps on the same day as the route takes them.
var stepOrder = map[string]int{
	StepNamndSvar: 0, StepStopptid: 1, StepArbetsutskott: 2, StepStyrelse: 3, StepNamndBeslut: 3, StepJustering: 4, StepExpediering: 5,
}

// PlanStep is one dated step of a plan.
type PlanStep struct {
	Kind     string `json:"kind"`
	Title    string `json:"title"`
	Body     string `json:"body,omitempty"`
	BodyName string `json:"body_name,omitempty"`
	// Date is when the step happened, is planned, or must happen.
	Date workflow.Date `json:"date"`
	// Latest is the last day the reply date allows, when that differs.
	Latest         workflow.Date       `json:"latest,omitzero"`
	MeetingID      int64               `json:"meeting_id,omitempty"`
	ConsultationID int64               `json:"consultation_id,omitempty"`
	Status         workflow.PlanStatus `json:"status"`
	Note           string              `json:"note,omitempty"`
}

// PlanAlternative is a way out when no path through the meetings fits.
type PlanAlternative struct {
	Kind        string `json:"kind"` // ordforandebeslut, delegation, anstand
	Title       string `json:"title"`
	Description string `json:"description"`
	// Date is the day to decide by, or for an anstånd the reply date to
	// ask the ministry for.
	Date workflow.Date `json:"date,omitzero"`
}

// Plan is a case's schedule computed backwards from the ministry's reply
// date through the bodies' meeting calendars and the working days.
type Plan struct {
	CaseID       int64                  `json:"case_id"`
	Dnr          string                 `json:"dnr"`
	State        string                 `json:"state"`
	Today        workflow.Date          `json:"today"`
	ReplyBy      workflow.Date          `json:"reply_by"` // the ministry's date, after any anstånd
	SendBy       workflow.Date          `json:"send_by"`  // the last working day to send on
	Status       workflow.PlanStatus    `json:"status"`
	Steps        []PlanStep             `json:"steps"` // in date order
	Problems     []string               `json:"problems"`
	Alternatives []PlanAlternative      `json:"alternatives"`
	Rules        workflow.PlanningRules `json:"rules"`
	// NamndDeadline is the deadline the plan gives the nämnder's answers:
	// the default of an intern remiss that names none.
	NamndDeadline workflow.Date `json:"namnd_deadline,omitzero"`
}

// PlanInput is everything the planner reads; it is a pure function of it.
type PlanInput struct {
	Case  workflow.Case // with its consultations and paragraphs
	Def   *workflow.Definition
	Today workflow.Date
	Rules workflow.PlanningRules
	Days  Workdays
	// Bodies are the organisation's bodies; Meetings the planned meetings
	// of any of them from today on; Agenda the meetings the case is
	// anmäld to, held or not.
	Bodies   []workflow.Body
	Meetings []workflow.Meeting
	Agenda   []workflow.Meeting
}

// stateProgress orders the states the planner knows; a custom route that
// uses these names is planned like the shipped ones.
var stateProgress = map[string]int{
	"registrerad": 0, "tilldelad": 1, "intern_remiss": 2, "beredning": 3, "arbetsutskott": 4,
	"kommunstyrelse": 5, "namnd": 5, "justering": 6, "expediering": 7, "besvarad": 8, "avslutad": 9,
}

// planner holds the input and what it has worked out.
type planner struct {
	PlanInput
	plan     Plan
	progress int
}

// ComputePlan plans the case backwards from its reply date: expediering
// on the reply date (moved to a working day), justering before it, the
// latest deciding meeting that leaves time for both, the arbetsutskott
// before that, the tjänsteutlåtande's stopptid and the nämnder's
// deadlines. Steps already taken are shown as done with their real dates.
func ComputePlan(in PlanInput) Plan {
	p := &planner{PlanInput: in, progress: progressOf(in.Def, in.Case.State)}
	p.plan = Plan{CaseID: in.Case.ID, Dnr: in.Case.Dnr, State: in.Case.State, Today: in.Today,
		ReplyBy: in.Case.Remiss.Deadline, Rules: in.Rules, Problems: []string{}, Alternatives: []PlanAlternative{}}
	p.plan.SendBy = in.Days.Move(in.Case.Remiss.Deadline, in.Rules.Direction("svar"))
	p.backwards()
	slices.SortStableFunc(p.plan.Steps, func(a, b PlanStep) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		return stepOrder[a.Kind] - stepOrder[b.Kind]
	})
	p.plan.Status = workflow.PlanKlar
	for _, s := range p.plan.Steps {
		if planSeverity[s.Status] > planSeverity[p.plan.Status] {
			p.plan.Status = s.Status
		}
	}
	if p.pathBroken() {
		p.alternatives()
	}
	return p.plan
}

func progressOf(def *workflow.Definition, state string) int {
	if n, ok := stateProgress[state]; ok {
		return n
	}
	if def.IsTerminal(state) {
		return 9
	}
	return 0
}

func (p *planner) has(state string) bool {
	_, ok := p.Def.State(state)
	return ok
}

// backwards lays the steps from the reply date back to the nämnder.
func (p *planner) backwards() {
	r := p.Rules
	send := p.plan.SendBy
	p.add(p.fixed(StepExpediering, "Expediering till departementet", send, 8))
	justering := p.Days.Add(send, -r.ExpedieringDays)
	if !p.has("justering") {
		justering = send
	} else {
		p.add(p.fixed(StepJustering, "Justering av protokollet", p.justeringDate(justering), 7))
	}
	first, ok := p.meetings(p.Days.Add(justering, -r.JusteringDays))
	if !ok {
		return // a route without meetings, such as delegation
	}
	stopptid := p.Days.Add(first, -r.CutoffDays)
	p.add(p.fixed(StepStopptid, "Stopptid för tjänsteutlåtandet", stopptid, 4))
	if p.has("intern_remiss") {
		p.nämnder(p.Days.Add(stopptid, -r.NamndDays))
	}
}

// justeringDate is the real justering when the case has one.
func (p *planner) justeringDate(latest workflow.Date) workflow.Date {
	if j := p.Case.Justering; j != nil && p.progress >= 7 {
		return j.JusteradOn
	}
	return latest
}

// fixed is a step with a date the plan sets, done once the case has
// reached progress doneAt.
func (p *planner) fixed(kind, title string, d workflow.Date, doneAt int) PlanStep {
	s := PlanStep{Kind: kind, Title: title, Date: d}
	s.Status = p.status(d, p.progress >= doneAt)
	return s
}

func (p *planner) status(d workflow.Date, done bool) workflow.PlanStatus {
	if done {
		return workflow.PlanKlar
	}
	return openStatus(d, p.Today, p.Days, p.Rules.RiskDays)
}

// openStatus is the status of an open step due on d, as of today.
func openStatus(d, today workflow.Date, days Workdays, riskDays int) workflow.PlanStatus {
	switch {
	case d.Before(today):
		return workflow.PlanSen
	case days.Between(today, d) <= riskDays:
		return workflow.PlanRisk
	}
	return workflow.PlanITid
}

func (p *planner) add(s PlanStep) {
	if h, ok := p.Days.HalfDay(s.Date); ok && s.Status != workflow.PlanKlar {
		s.Note = joinNotes(s.Note, "Halvdag: "+h.Name+".")
	}
	p.plan.Steps = append(p.plan.Steps, s)
}

func joinNotes(a, b string) string {
	return strings.TrimSpace(a + " " + b)
}

// meetings plans the deciding meeting and, before it, the arbetsutskott,
// and returns the first meeting's date: the stopptid is counted from it.
func (p *planner) meetings(latest workflow.Date) (workflow.Date, bool) {
	switch {
	case p.has("kommunstyrelse"):
		ks := p.meetingStep(StepStyrelse, p.styrelse(), latest, 6)
		p.add(ks)
		if !p.has("arbetsutskott") {
			return ks.Date, true
		}
		au := p.meetingStep(StepArbetsutskott, p.utskott(), p.Days.Add(ks.Date, -p.Rules.AUToKSDays), 5)
		p.add(au)
		return au.Date, true
	case p.has("namnd"):
		s := p.meetingStep(StepNamndBeslut, p.decidingNamnd(), latest, 6)
		p.add(s)
		return s.Date, true
	}
	return workflow.Date{}, false
}

func (p *planner) styrelse() *workflow.Body {
	return p.body(func(b workflow.Body) bool { return b.Kind == workflow.KindStyrelse })
}

func (p *planner) utskott() *workflow.Body {
	ks := p.styrelse()
	return p.body(func(b workflow.Body) bool { return b.Kind == workflow.KindUtskott && ks != nil && b.ParentID == ks.ID })
}

// decidingNamnd is the nämnd the case is anmäld to, or else the nämnd
// whose code is the case's series (a nämnd's own diarium).
func (p *planner) decidingNamnd() *workflow.Body {
	for _, m := range slices.Backward(p.Agenda) {
		if m.BodyKind == workflow.KindNamnd {
			return p.body(func(b workflow.Body) bool { return b.ID == m.BodyID })
		}
	}
	return p.body(func(b workflow.Body) bool { return b.Kind == workflow.KindNamnd && b.Code == p.Case.Series })
}

func (p *planner) body(match func(workflow.Body) bool) *workflow.Body {
	for i := range p.Bodies {
		if match(p.Bodies[i]) {
			return &p.Bodies[i]
		}
	}
	return nil
}

// meetingStep chooses the meeting of body for a step: the one that
// decided it when done, the one it is anmäld to, or else the latest
// planned meeting between today and latest.
func (p *planner) meetingStep(kind string, body *workflow.Body, latest workflow.Date, doneAt int) PlanStep {
	s := PlanStep{Kind: kind, Title: meetingStepTitle(kind), Date: latest, Latest: latest}
	if body == nil {
		s.Status = workflow.PlanOmojlig
		s.Note = "Organisationen har inget organ för steget; lägg upp det under organ."
		p.problem("Det finns inget organ för steget ”" + s.Title + "”.")
		return s
	}
	s.Body, s.BodyName = body.Code, body.Name
	if par, ok := p.paragraphOf(body.ID); ok && p.progress >= doneAt {
		s.Date, s.MeetingID, s.Status = par.MeetingDate, par.MeetingID, workflow.PlanKlar
		s.Note = "§ " + workflow.Itoa(par.Number)
		return s
	}
	if m, ok := p.anmaldTo(body.ID); ok {
		return p.anmaldStep(s, m)
	}
	if latest.Before(p.Today) {
		s.Status = workflow.PlanSen
		s.Note = "Den sista dagen som räcker för svaret, " + latest.String() + ", har passerat."
		return s
	}
	m, ok := p.latestMeeting(body.ID, p.Today, latest)
	if !ok {
		s.Status = workflow.PlanOmojlig
		s.Note = "Inget sammanträde i " + body.Code + " mellan " + p.Today.String() + " och " + latest.String() + "."
		p.problem(body.Name + " har inget sammanträde mellan " + p.Today.String() + " och " + latest.String() +
			", den sista dagen som räcker för svaret " + p.plan.ReplyBy.String() + ".")
		return s
	}
	s.Date, s.MeetingID = m.Date, m.ID
	s.Status = p.status(m.Date, false)
	return s
}

func meetingStepTitle(kind string) string {
	switch kind {
	case StepArbetsutskott:
		return "Arbetsutskottets förslag"
	case StepStyrelse:
		return "Kommunstyrelsens beslut"
	}
	return "Nämndens beslut"
}

// anmaldStep is the step of a meeting the case is already anmäld to.
func (p *planner) anmaldStep(s PlanStep, m workflow.Meeting) PlanStep {
	s.Date, s.MeetingID = m.Date, m.ID
	switch {
	case m.Status == workflow.MeetingInstallt:
		s.Status = workflow.PlanSen
		s.Note = "Sammanträdet " + m.Label() + " är inställt; anmäl ärendet till ett annat."
	case m.Date.Before(p.Today):
		s.Status = workflow.PlanSen
		s.Note = "Sammanträdet " + m.Label() + " har hållits utan beslut i ärendet."
	case m.Date.After(s.Latest):
		s.Status = workflow.PlanSen
		s.Note = "Anmält till " + m.Label() + ", efter den sista dagen som räcker (" + s.Latest.String() + ")."
		p.problem("Ärendet är anmält till " + m.Label() + ", för sent för svaret " + p.plan.ReplyBy.String() + ".")
	default:
		s.Status = p.status(m.Date, false)
		s.Note = "Anmält."
	}
	return s
}

func (p *planner) paragraphOf(bodyID int64) (workflow.Paragraph, bool) {
	for _, par := range slices.Backward(p.Case.Paragraphs) {
		if par.BodyID == bodyID && par.Kind == workflow.ParagraphBeslut {
			return par, true
		}
	}
	return workflow.Paragraph{}, false
}

func (p *planner) anmaldTo(bodyID int64) (workflow.Meeting, bool) {
	for _, m := range slices.Backward(p.Agenda) {
		if m.BodyID == bodyID {
			return m, true
		}
	}
	return workflow.Meeting{}, false
}

// latestMeeting is the last planned meeting of the body in [from, to].
func (p *planner) latestMeeting(bodyID int64, from, to workflow.Date) (workflow.Meeting, bool) {
	var best workflow.Meeting
	found := false
	for _, m := range p.Meetings {
		if m.BodyID == bodyID && m.Status == workflow.MeetingPlanerat && !m.Date.Before(from) && !m.Date.After(to) &&
			(!found || m.Date.After(best.Date)) {
			best, found = m, true
		}
	}
	return best, found
}

// firstMeeting is the first planned meeting of the body on or after from.
func (p *planner) firstMeeting(bodyID int64, from workflow.Date) (workflow.Meeting, bool) {
	var best workflow.Meeting
	found := false
	for _, m := range p.Meetings {
		if m.BodyID == bodyID && m.Status == workflow.MeetingPlanerat && !m.Date.Before(from) && (!found || m.Date.Before(best.Date)) {
			best, found = m, true
		}
	}
	return best, found
}

func (p *planner) problem(s string) {
	if !slices.Contains(p.plan.Problems, s) {
		p.plan.Problems = append(p.plan.Problems, s)
	}
}
