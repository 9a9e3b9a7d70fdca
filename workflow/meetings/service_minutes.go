package meetings

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/yttrande/remiss/workflow"
)

// JusteringInput is the input for approving a meeting's minutes.
type JusteringInput struct {
	Version         int64    `json:"version"`
	Date            string   `json:"date"`
	Ordforande      string   `json:"ordforande"`
	Justerare       []string `json:"justerare"`
	Anslag          string   `json:"anslag"` // the day the anslag goes up; the justering day when empty
	Forvaringsplats string   `json:"forvaringsplats"`
}

// JusteraMeeting records that a meeting's minutes are justerade: the
// meeting, its paragraphs, and every ärende decided there that waits for
// justering moves on, all in one transaction. The anslag date and the last
// day to appeal follow from the justering.
func (s *Service) JusteraMeeting(ctx context.Context, actor workflow.Actor, slug string, id int64, in JusteringInput) (workflow.Meeting, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermReadCase)
	if err != nil {
		return workflow.Meeting{}, err
	}
	m, err := s.store.Meeting(ctx, org.ID, id)
	if err != nil {
		return workflow.Meeting{}, err
	}
	if err := actor.Authorize(workflow.PermManageMeetings, org.ID); err != nil {
		return workflow.Meeting{}, err
	}
	if err := staleMeeting(m, in.Version); err != nil {
		return workflow.Meeting{}, err
	}
	j, err := s.checkJustering(ctx, org, m, in)
	if err != nil {
		return workflow.Meeting{}, err
	}
	trs, err := s.justeringTransitions(ctx, actor, org, m, j)
	if err != nil {
		return workflow.Meeting{}, err
	}
	log := s.meetingLog(actor, "justerat", map[string]any{"date": j.Date.String(), "ordforande": j.Ordforande,
		"justerare": j.Justerare, "anslag_on": j.AnslagOn.String(), "appeal_ends_on": j.AppealEndsOn.String(), "cases": len(trs)})
	m.Justering, m.UpdatedAt = j, log.At
	for _, tr := range trs {
		defer workflow.ForgetCase(ctx, org.ID, tr.CaseID)
	}
	if m, err = s.store.JusteraMeeting(ctx, m, in.Version, log, trs); err == nil {
		s.replanLogged(ctx, org, m.Body)
	}
	return m, err
}

// checkJustering validates the input against the meeting and the body's
// members.
func (s *Service) checkJustering(ctx context.Context, org workflow.Organization, m workflow.Meeting, in JusteringInput) (*workflow.MeetingJustering, error) {
	switch {
	case m.Status == workflow.MeetingInstallt:
		return nil, workflow.Errorf(workflow.CodeInvalid, "Sammanträdet %s är inställt och har inget protokoll att justera.", m.Label())
	case m.Justering != nil:
		return nil, workflow.Errorf(workflow.CodeConflict, "Protokollet från %s justerades redan %s.", m.Label(), m.Justering.Date)
	}
	ms, err := s.store.Members(ctx, org.ID, m.BodyID)
	if err != nil {
		return nil, err
	}
	var v workflow.Validation
	day, err := workflow.ParseDate(strings.TrimSpace(in.Date))
	today := s.Today()
	switch {
	case err != nil:
		v.Addf("date", "”%s” är inget giltigt datum. Skriv det som ÅÅÅÅ-MM-DD.", in.Date)
	case day.Before(m.Date):
		v.Addf("date", "Justeringen kan inte ske före sammanträdet %s.", m.Date)
	case day.After(today):
		v.Addf("date", "Justeringsdagen kan inte ligga efter i dag (%s).", today)
	}
	j := &workflow.MeetingJustering{Date: day, Forvaringsplats: workflow.LimitText(&v, "forvaringsplats", strings.TrimSpace(in.Forvaringsplats), 200)}
	if strings.TrimSpace(in.Ordforande) == "" {
		v.Add("ordforande", "Ange ordföranden som justerar protokollet.")
	} else {
		j.Ordforande = workflow.Members(ms).Check(&v, "ordforande", in.Ordforande, m.BodyName)
	}
	if len(in.Justerare) == 0 || len(in.Justerare) > 5 {
		v.Add("justerare", "Ange en till fem justerare.")
	}
	for i, name := range in.Justerare {
		j.Justerare = append(j.Justerare, workflow.Members(ms).Check(&v, fmt.Sprintf("justerare[%d]", i), name, m.BodyName))
	}
	j.AnslagOn = day
	if a := strings.TrimSpace(in.Anslag); a != "" && !v.Has("date") {
		if j.AnslagOn, err = workflow.ParseDate(a); err != nil {
			v.Addf("anslag", "”%s” är inget giltigt datum. Skriv det som ÅÅÅÅ-MM-DD.", a)
		} else if err := workflow.CheckAnslag(day, j.AnslagOn, org.AnslagDays, "anslag"); err != nil {
			v.Add("anslag", err.(*workflow.Error).Message)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	j.AppealEndsOn = workflow.AppealEnds(j.AnslagOn, s.Calendar(), s.Location())
	return j, nil
}

// justeringTransitions prepares the "justera" event of every case that
// was decided at the meeting and now waits for the justering.
func (s *Service) justeringTransitions(ctx context.Context, actor workflow.Actor, org workflow.Organization, m workflow.Meeting, j *workflow.MeetingJustering) ([]workflow.Transition, error) {
	ps, err := s.store.Paragraphs(ctx, org.ID, m.ID)
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, workflow.Errorf(workflow.CodeInvalid, "Sammanträdet %s har inga paragrafer att justera.", m.Label())
	}
	data, err := json.Marshal(map[string]any{"date": j.Date.String(), "justerare": append([]string{j.Ordforande}, j.Justerare...), "anslag": j.AnslagOn.String()})
	if err != nil {
		return nil, workflow.Internal(err)
	}
	var trs []workflow.Transition
	seen := map[int64]bool{}
	for _, p := range ps {
		if p.CaseID == 0 || p.Kind != workflow.ParagraphBeslut || p.JusterasOmedelbart || seen[p.CaseID] {
			continue
		}
		seen[p.CaseID] = true
		f, err := s.engine.Load(ctx, actor, org, p.CaseID)
		if err != nil {
			return nil, err
		}
		if e, ok := f.Def.Event("justera"); !ok || !f.Def.FiresFrom(e, f.Case.State) {
			continue
		}
		f, err = s.engine.Prepare(ctx, actor, org, p.CaseID, workflow.FireRequest{Event: "justera", Version: f.Case.Version, Data: data})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.Dnr, err)
		}
		trs = append(trs, *f.Tr)
	}
	return trs, nil
}

// Agenda returns a meeting's agenda: the ärenden anmälda to it in order,
// each with its documents, then the ordförandebeslut to be reported.
func (s *Service) Agenda(ctx context.Context, actor workflow.Actor, slug string, meetingID int64) (workflow.Meeting, []workflow.AgendaItem, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermReadCase)
	if err != nil {
		return workflow.Meeting{}, nil, err
	}
	m, err := s.store.Meeting(ctx, org.ID, meetingID)
	if err != nil {
		return m, nil, err
	}
	items, err := s.store.Agenda(ctx, org.ID, meetingID)
	if err != nil {
		return m, nil, err
	}
	reports, err := s.reportsFor(ctx, org, m)
	if err != nil {
		return m, nil, err
	}
	items = append(items, reports...)
	for i := range items {
		if err := s.completeAgendaItem(ctx, org, &items[i], i+1); err != nil {
			return m, nil, err
		}
	}
	return m, items, nil
}

func (s *Service) completeAgendaItem(ctx context.Context, org workflow.Organization, it *workflow.AgendaItem, position int) error {
	it.Position = position
	if def, err := s.Definition(ctx, org.ID, it.Workflow); err == nil {
		it.StateTitle = def.StateTitle(it.State)
	}
	docs, err := s.store.Documents(ctx, org.ID, it.CaseID)
	if err != nil {
		return err
	}
	it.Documents = docs
	return nil
}

// reportsFor lists the ordförande- and delegationsbeslut to be reported
// at m: the open ones whose next meeting of the body from today on is m,
// and those reported at m.
func (s *Service) reportsFor(ctx context.Context, org workflow.Organization, m workflow.Meeting) ([]workflow.AgendaItem, error) {
	reported, err := s.store.ReportedObligations(ctx, org.ID, m.ID)
	if err != nil {
		return nil, err
	}
	open, err := s.store.OpenObligations(ctx, org.ID, m.BodyID)
	if err != nil {
		return nil, err
	}
	var calendar []workflow.Meeting
	if len(open) > 0 {
		if calendar, err = s.store.Meetings(ctx, org.ID, m.BodyID, workflow.MeetingFilter{}); err != nil {
			return nil, err
		}
	}
	today := s.Today()
	var out []workflow.AgendaItem
	for _, o := range append(reported, open...) {
		if o.Obligation.Open() && reportMeeting(calendar, o.Obligation.DecidedOn, today) != m.ID {
			continue
		}
		o := o
		out = append(out, workflow.AgendaItem{Kind: workflow.AgendaAnmalanOrdforandebeslut, CaseID: o.CaseID, Dnr: o.Dnr,
			Title: ObligationAgendaTitle(o.Obligation.Kind, o.Title), State: o.State, Workflow: o.Workflow, Obligation: &o.Obligation})
	}
	return out, nil
}

// reportMeeting is the meeting an open obligation decided on day is to be
// reported at: the body's first planned meeting after the decision that
// is today or later.
func reportMeeting(calendar []workflow.Meeting, decided, today workflow.Date) int64 {
	for _, m := range calendar {
		if m.Status == workflow.MeetingPlanerat && m.Date.After(decided) && !m.Date.Before(today) {
			return m.ID
		}
	}
	return 0
}
