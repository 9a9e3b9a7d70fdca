package diarium

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/yttrande/remiss/workflow"
)

// RegisterCase registers a remiss: it numbers it in its series, stores the
// remiss letter as handling 1 and writes the first history row, all or
// nothing. Suspicious but valid input (an odd ministry number, a remiss
// already registered, a passed deadline) is registered with warnings.
func (s *Service) RegisterCase(ctx context.Context, actor workflow.Actor, slug string, in Registration) (workflow.Case, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermRegisterCase)
	if err != nil {
		return workflow.Case{}, err
	}
	today := s.Today()
	var v workflow.Validation
	m := in.validate(&v, today)
	sr, err := s.seriesForRegistration(ctx, &v, org.ID, in.Series)
	if err != nil {
		return workflow.Case{}, err
	}
	def, err := s.LatestDefinition(ctx, org.ID, in.Workflow)
	if workflow.ErrorCode(err) == workflow.CodeNotFound && !v.Has("workflow") {
		v.Add("workflow", err.(*workflow.Error).Message)
	} else if err != nil && workflow.ErrorCode(err) != workflow.CodeNotFound {
		return workflow.Case{}, err
	}
	if err := v.Err(); err != nil {
		return workflow.Case{}, err
	}
	var dups []workflow.Case
	if m.SenderDnr != "" {
		if dups, err = s.store.CasesBySenderDnr(ctx, org.ID, m.SenderDnr); err != nil {
			return workflow.Case{}, err
		}
	}
	c, err := s.store.RegisterCase(ctx, s.newCase(actor, org, sr, def, in, m, registrationWarnings(m, today, dups)))
	if err != nil {
		return workflow.Case{}, err
	}
	s.planner.Replan(ctx, org, c.ID)
	// The store read the case back; only what the definition adds is missing.
	c.StateTitle = def.StateTitle(c.State)
	c.AvailableEvents = s.engine.Available(ctx, actor, org, def, c, today)
	return c, nil
}

// seriesForRegistration looks up the series a registration names and
// records a field error when there is none.
func (s *Service) seriesForRegistration(ctx context.Context, v *workflow.Validation, orgID int64, code string) (Series, error) {
	if code == "" {
		return Series{}, nil
	}
	sr, err := s.store.SeriesByCode(ctx, orgID, code)
	if workflow.ErrorCode(err) == workflow.CodeNotFound {
		v.Addf("series", "Det finns ingen nummerserie ”%s”.", code)
		return Series{}, nil
	}
	return sr, err
}

func (s *Service) newCase(actor workflow.Actor, org workflow.Organization, sr Series, def *workflow.Definition, in Registration, m workflow.Remiss, warnings []workflow.FieldError) NewCase {
	now := s.Now()
	nc := NewCase{
		OrgID: org.ID, Series: sr, Year: workflow.DateOf(now.In(s.Location())).Year, Classification: in.Classification,
		Title: in.Title, Workflow: workflow.WorkflowRef{Name: def.Name, Version: def.Version, Custom: def.Custom}, State: def.Initial,
		Remiss: m, Warnings: warnings, RegisteredBy: actor, At: now,
	}
	nc.Letter = workflow.Document{
		Number: 1, Title: letterTitle(in.Title, m.Reference), Kind: workflow.KindRemiss, Direction: workflow.Inkommande, Date: m.Received,
		Counterpart: m.Sender, RegisteredBy: actor.Label(), RegisteredAt: now,
	}
	data, _ := json.Marshal(struct {
		Title          string          `json:"title"`
		Classification string          `json:"classification,omitempty"`
		Remiss         workflow.Remiss `json:"remiss"`
	}{in.Title, in.Classification, m})
	nc.History = workflow.HistoryEntry{Seq: 1, Event: workflow.EventRegister, To: def.Initial, Actor: actor.Label(), ActorID: actor.UserID, At: now, Data: data}
	return nc
}

// letterTitle names handling 1, the ministry's letter.
func letterTitle(title, reference string) string {
	if reference == "" || strings.Contains(title, reference) {
		return "Remiss: " + title
	}
	return "Remiss: " + title + " (" + reference + ")"
}

// Cases lists the organisation's cases, the nearest reply date first.
func (s *Service) Cases(ctx context.Context, actor workflow.Actor, slug string, q workflow.CaseQuery) (workflow.CasePage, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermReadCase)
	if err != nil {
		return workflow.CasePage{}, err
	}
	states, err := s.StateNames(ctx, org.ID)
	if err != nil {
		return workflow.CasePage{}, err
	}
	f, err := q.Filter(states)
	if err != nil {
		return workflow.CasePage{}, err
	}
	items, total, err := s.store.Cases(ctx, org.ID, f)
	if err != nil {
		return workflow.CasePage{}, err
	}
	if err := s.TitleStates(ctx, org.ID, items); err != nil {
		return workflow.CasePage{}, err
	}
	page := workflow.CasePage{Items: items, Total: total}
	if len(items) > f.Limit {
		page.Items = items[:f.Limit]
		last := page.Items[f.Limit-1]
		page.NextCursor = workflow.EncodeCursor(workflow.CaseCursor{Deadline: last.Remiss.Deadline, ID: last.ID})
	}
	return page, nil
}

// AddDocument registers a handling in a case.
func (s *Service) AddDocument(ctx context.Context, actor workflow.Actor, slug string, caseID int64, in workflow.NewDocument) (workflow.Document, error) {
	org, err := s.CaseFor(ctx, actor, slug, caseID, workflow.PermAddDocument)
	if err != nil {
		return workflow.Document{}, err
	}
	d, err := in.Validate(s.Today())
	if err != nil {
		return workflow.Document{}, err
	}
	d.RegisteredBy, d.RegisteredAt = actor.Label(), s.Now()
	defer workflow.ForgetCase(ctx, org.ID, caseID)
	return s.store.AddDocument(ctx, org.ID, caseID, d)
}

// Documents lists a case's handlingar in löpnummer order.
func (s *Service) Documents(ctx context.Context, actor workflow.Actor, slug string, caseID int64) ([]workflow.Document, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermReadCase)
	if err != nil {
		return nil, err
	}
	return s.store.Documents(ctx, org.ID, caseID)
}

// Document returns one handling's metadata.
func (s *Service) Document(ctx context.Context, actor workflow.Actor, slug string, caseID int64, n int) (workflow.Document, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermReadCase)
	if err != nil {
		return workflow.Document{}, err
	}
	return s.store.Document(ctx, org.ID, caseID, n)
}

// AttachFile stores the file of a handling. A handling's file is part of
// the public record: it is set once and never replaced.
func (s *Service) AttachFile(ctx context.Context, actor workflow.Actor, slug string, caseID int64, n int, u workflow.Upload) (workflow.Document, error) {
	org, err := s.CaseFor(ctx, actor, slug, caseID, workflow.PermAddDocument)
	if err != nil {
		return workflow.Document{}, err
	}
	f, err := workflow.ValidateUpload(u, s.maxUploadBytes)
	if err != nil {
		return workflow.Document{}, err
	}
	f.AttachedBy, f.AttachedAt = actor.Label(), s.Now()
	defer workflow.ForgetCase(ctx, org.ID, caseID)
	return s.store.AttachFile(ctx, org.ID, caseID, n, f)
}

// MaxUploadBytes is the largest file a handling may have.
func (s *Service) MaxUploadBytes() int64 { return s.maxUploadBytes }

// FileContent returns a handling's file. The file of a handling marked
// with sekretess is given only to roles that handle such requests.
func (s *Service) FileContent(ctx context.Context, actor workflow.Actor, slug string, caseID int64, n int) (workflow.File, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermReadCase)
	if err != nil {
		return workflow.File{}, err
	}
	d, err := s.store.Document(ctx, org.ID, caseID, n)
	if err != nil {
		return workflow.File{}, err
	}
	if d.Secrecy != nil && !actor.Can(workflow.PermReadSecret, org.ID) {
		return workflow.File{}, workflow.Errorf(workflow.CodeForbidden, "Handlingen är sekretessmarkerad (%s). Begär ut den hos registratorn, som prövar begäran.", d.Secrecy.Provision)
	}
	if d.File == nil {
		return workflow.File{}, workflow.Errorf(workflow.CodeNotFound, "Handling %s har ingen fil.", d.Dnr)
	}
	return s.store.FileContent(ctx, org.ID, caseID, n)
}

// FindCase returns the id of the case ref names: its id, or its
// diarienummer.
func (s *Service) FindCase(ctx context.Context, actor workflow.Actor, slug, ref string) (int64, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermReadCase)
	if err != nil {
		return 0, err
	}
	if id, err := strconv.ParseInt(strings.TrimSpace(ref), 10, 64); err == nil {
		_, err := s.LoadCase(ctx, org.ID, id)
		return id, err
	}
	id, err := s.store.CaseIDByDnr(ctx, org.ID, strings.TrimSpace(ref))
	if workflow.ErrorCode(err) == workflow.CodeNotFound {
		return 0, workflow.Errorf(workflow.CodeNotFound, "Det finns inget ärende med diarienumret %s.", ref)
	}
	return id, err
}
