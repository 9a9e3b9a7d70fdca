package planning

import "github.com/yttrande/remiss/workflow"

// nämnder adds a step for each nämnd asked for its views: its deadline
// and its last meeting before it. Before the intern remiss is sent it
// adds the one deadline the plan proposes for all of them.
func (p *planner) nämnder(deadline workflow.Date) {
	p.plan.NamndDeadline = deadline
	if len(p.Case.Consultations) == 0 {
		if p.progress < stateProgress["beredning"] {
			p.add(PlanStep{Kind: StepNamndSvar, Title: "Nämndernas yttranden", Date: deadline, Status: p.status(deadline, false),
				Note: "Föreslaget svarsdatum för intern remiss."})
		}
		return
	}
	for _, c := range p.Case.Consultations {
		p.add(p.consultationStep(c, deadline))
	}
}

func (p *planner) consultationStep(c workflow.Consultation, planned workflow.Date) PlanStep {
	s := PlanStep{Kind: StepNamndSvar, Title: "Yttrande från " + c.BodyName, Body: c.Body, BodyName: c.BodyName,
		Date: c.Deadline, Latest: planned, ConsultationID: c.ID}
	if c.Status != workflow.ConsultationBegard {
		s.Status = workflow.PlanKlar
		if !c.DecidedOn.IsZero() {
			s.Date = c.DecidedOn
		}
		if c.Status == workflow.ConsultationAvstatt {
			s.Note = "Avstod från att yttra sig."
		}
		return s
	}
	due := p.Days.Move(c.Deadline, p.Rules.Direction("namnd"))
	if due != c.Deadline {
		s.Note = "Svarsdatumet " + c.Deadline.String() + " är ingen arbetsdag; räknas som " + due.String() + "."
	}
	s.Date, s.Status = due, p.status(due, false)
	if due.After(planned) && s.Status != workflow.PlanSen {
		s.Status = workflow.PlanRisk
		s.Note = joinNotes(s.Note, "Svarsdatumet ligger efter planens "+planned.String()+"; svaret kommer efter stopptiden.")
	}
	if m, ok := p.latestMeeting(c.BodyID, p.Today, due); ok {
		s.MeetingID = m.ID
		s.Note = joinNotes(s.Note, "Nämndens sista sammanträde före svarsdatum: "+m.Date.String()+".")
	} else if s.Status != workflow.PlanSen {
		s.Status = workflow.PlanRisk
		s.Note = joinNotes(s.Note, "Nämnden har inget sammanträde före svarsdatum; svaret kräver delegation eller ordförandebeslut i nämnden.")
	}
	return s
}

// pathBroken reports whether the meetings cannot carry the case to the
// reply date: a deciding meeting is impossible or missed, or the reply
// date has passed before the yttrande was sent.
func (p *planner) pathBroken() bool {
	if p.progress >= stateProgress["expediering"] {
		return false
	}
	if p.plan.SendBy.Before(p.Today) {
		p.problem("Svarsdatumet " + p.plan.ReplyBy.String() + " har passerat.")
		return true
	}
	for _, s := range p.plan.Steps {
		meeting := s.Kind == StepArbetsutskott || s.Kind == StepStyrelse || s.Kind == StepNamndBeslut
		if meeting && (s.Status == workflow.PlanOmojlig || s.Status == workflow.PlanSen) {
			return true
		}
	}
	return false
}

// alternatives proposes the ways out: an urgent decision by the chair,
// a decision on delegation, or an anstånd long enough for the meetings.
func (p *planner) alternatives() {
	decideBy := p.Days.Add(p.plan.SendBy, -p.Rules.ExpedieringDays)
	if !decideBy.Before(p.Today) {
		if _, ok := p.Def.Event("ordforandebeslut"); ok {
			p.plan.Alternatives = append(p.plan.Alternatives, PlanAlternative{Kind: "ordforandebeslut", Title: "Ordförandebeslut",
				Description: "Ordföranden beslutar på styrelsens eller nämndens vägnar eftersom ärendet är så brådskande att sammanträdet inte kan avvaktas (KL 6 kap. 39 §). Beslutet anmäls vid nästa sammanträde.",
				Date:        decideBy})
		}
		p.plan.Alternatives = append(p.plan.Alternatives, PlanAlternative{Kind: "delegation", Title: "Beslut på delegation",
			Description: "Om delegationsordningen tillåter det beslutar en delegat, t.ex. kommundirektören, om yttrandet (arbetsflödet delegation). Beslutet anmäls till nämnden.",
			Date:        decideBy})
	}
	d, ok := p.earliestReply()
	if !ok {
		p.problem("Sammanträdesplanen räcker inte för att räkna fram ett datum för anstånd; lägg in kommande sammanträden.")
		return
	}
	p.plan.Alternatives = append(p.plan.Alternatives, PlanAlternative{Kind: "anstand", Title: "Anstånd",
		Description: "Begär anstånd hos departementet till minst " + d.String() + ": då hinner ärendet genom sammanträdena enligt planeringsreglerna.",
		Date:        d})
}

// earliestReply plans forwards from today: the first meetings that the
// lead times allow, then justering and expediering.
func (p *planner) earliestReply() (workflow.Date, bool) {
	r := p.Rules
	from := p.Today
	if p.progress < stateProgress["arbetsutskott"] {
		from = p.Days.Add(p.Today, r.CutoffDays)
	}
	var decided workflow.Meeting
	var ok bool
	switch {
	case p.has("kommunstyrelse"):
		ks, au := p.styrelse(), p.utskott()
		if ks == nil {
			return workflow.Date{}, false
		}
		if p.has("arbetsutskott") && p.progress < stateProgress["kommunstyrelse"] {
			if au == nil {
				return workflow.Date{}, false
			}
			m, found := p.firstMeeting(au.ID, from)
			if !found {
				return workflow.Date{}, false
			}
			from = p.Days.Add(m.Date, r.AUToKSDays)
		}
		decided, ok = p.firstMeeting(ks.ID, from)
	case p.has("namnd"):
		if b := p.decidingNamnd(); b != nil {
			decided, ok = p.firstMeeting(b.ID, from)
		}
	}
	if !ok {
		return workflow.Date{}, false
	}
	return p.Days.Add(p.Days.Add(decided.Date, r.JusteringDays), r.ExpedieringDays), true
}
