package workflow

import (
	"context"
	"encoding/json"
	"strings"
)

// RegisterCase registers a remiss: it numbers it in its series, stores the
// remiss letter as handling 1 and writes the first history row, all or
// nothing. Suspicious but valid input (an odd ministry number, a remiss
// already registered, a passed deadline) is registered with warnings.
func (s *Diarium) RegisterCase(ctx context.Context, actor Actor, slug string, in Registration) (Case, error) {
	org, err := s.OrgFor(ctx, actor, slug, PermRegisterCase)
	if err != nil {
		return Case{}, err
	}
	today := s.Today()
	var v Validation
	m := in.validate(&v, today)
	sr, err := s.seriesForRegistration(ctx, &v, org.ID, in.Series)
	if err != nil {
		return Case{}, err
	}
	def, err := s.LatestDefinition(ctx, org.ID, in.Workflow)
	if ErrorCode(err) == CodeNotFound && !v.Has("workflow") {
		v.Add("workflow", err.(*Error).Message)
	} else if err != nil && ErrorCode(err) != CodeNotFound {
		return Case{}, err
	}
	if err := v.Err(); err != nil {
		return Case{}, err
	}
	var dups []Case
	if m.SenderDnr != "" {
		if dups, err = s.store.CasesBySenderDnr(ctx, org.ID, m.SenderDnr); err != nil {
			return Case{}, err
		}
	}
	c, err := s.store.RegisterCase(ctx, s.newCase(actor, org, sr, def, in, m, registrationWarnings(m, today, dups)))
	if err != nil {
		return Case{}, err
	}
	s.planner.Replan(ctx, org, c.ID)
	// The store read the case back; only what the definition adds is missing.
	c.StateTitle = def.StateTitle(c.State)
	c.AvailableEvents = s.engine.Available(ctx, actor, org, def, c, today)
	return c, nil
}

// seriesForRegistration looks up the series a registration names and
// records a field error when there is none.
func (s *Diarium) seriesForRegistration(ctx context.Context, v *Validation, orgID int64, code string) (Series, error) {
	if code == "" {
		return Series{}, nil
	}
	sr, err := s.store.SeriesByCode(ctx, orgID, code)
	if ErrorCode(err) == CodeNotFound {
		v.Addf("series", "Det finns ingen nummerserie ”%s”.", code)
		return Series{}, nil
	}
	return sr, err
}

func (s *Diarium) newCase(actor Actor, org Organization, sr Series, def *Definition, in Registration, m Remiss, warnings []FieldError) NewCase {
	now := s.Now()
	nc := NewCase{
		OrgID: org.ID, Series: sr, Year: DateOf(now.In(s.Location())).Year, Classification: in.Classification,
		Title: in.Title, Workflow: WorkflowRef{Name: def.Name, Version: def.Version, Custom: def.Custom}, State: def.Initial,
		Remiss: m, Warnings: warnings, RegisteredBy: actor, At: now,
	}
	nc.Letter = Document{
		Number: 1, Title: letterTitle(in.Title, m.Reference), Kind: KindRemiss, Direction: Inkommande, Date: m.Received,
		Counterpart: m.Sender, RegisteredBy: actor.Label(), RegisteredAt: now,
	}
	data, _ := json.Marshal(struct {
		Title          string `json:"title"`
		Classification string `json:"classification,omitempty"`
		Remiss         Remiss `json:"remiss"`
	}{in.Title, in.Classification, m})
	nc.History = HistoryEntry{Seq: 1, Event: EventRegister, To: def.Initial, Actor: actor.Label(), ActorID: actor.UserID, At: now, Data: data}
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
func (s *Diarium) Cases(ctx context.Context, actor Actor, slug string, q CaseQuery) (CasePage, error) {
	org, err := s.OrgFor(ctx, actor, slug, PermReadCase)
	if err != nil {
		return CasePage{}, err
	}
	states, err := s.StateNames(ctx, org.ID)
	if err != nil {
		return CasePage{}, err
	}
	f, err := q.Filter(states)
	if err != nil {
		return CasePage{}, err
	}
	items, total, err := s.store.Cases(ctx, org.ID, f)
	if err != nil {
		return CasePage{}, err
	}
	if err := s.TitleStates(ctx, org.ID, items); err != nil {
		return CasePage{}, err
	}
	page := CasePage{Items: items, Total: total}
	if len(items) > f.Limit {
		page.Items = items[:f.Limit]
		last := page.Items[f.Limit-1]
		page.NextCursor = EncodeCursor(CaseCursor{Deadline: last.Remiss.Deadline, ID: last.ID})
	}
	return page, nil
}

// AddDocument registers a handling in a case.
func (s *Diarium) AddDocument(ctx context.Context, actor Actor, slug string, caseID int64, in NewDocument) (Document, error) {
	org, err := s.CaseFor(ctx, actor, slug, caseID, PermAddDocument)
	if err != nil {
		return Document{}, err
	}
	d, err := in.validate(s.Today())
	if err != nil {
		return Document{}, err
	}
	d.RegisteredBy, d.RegisteredAt = actor.Label(), s.Now()
	return s.store.AddDocument(ctx, org.ID, caseID, d)
}

// Documents lists a case's handlingar in löpnummer order.
func (s *Diarium) Documents(ctx context.Context, actor Actor, slug string, caseID int64) ([]Document, error) {
	org, err := s.OrgFor(ctx, actor, slug, PermReadCase)
	if err != nil {
		return nil, err
	}
	return s.store.Documents(ctx, org.ID, caseID)
}

// Document returns one handling's metadata.
func (s *Diarium) Document(ctx context.Context, actor Actor, slug string, caseID int64, n int) (Document, error) {
	org, err := s.OrgFor(ctx, actor, slug, PermReadCase)
	if err != nil {
		return Document{}, err
	}
	return s.store.Document(ctx, org.ID, caseID, n)
}

// AttachFile stores the file of a handling. A handling's file is part of
// the public record: it is set once and never replaced.
func (s *Diarium) AttachFile(ctx context.Context, actor Actor, slug string, caseID int64, n int, u Upload) (Document, error) {
	org, err := s.CaseFor(ctx, actor, slug, caseID, PermAddDocument)
	if err != nil {
		return Document{}, err
	}
	f, err := validateUpload(u, s.maxUploadBytes)
	if err != nil {
		return Document{}, err
	}
	f.AttachedBy, f.AttachedAt = actor.Label(), s.Now()
	return s.store.AttachFile(ctx, org.ID, caseID, n, f)
}

// MaxUploadBytes is the largest file a handling may have.
func (s *Diarium) MaxUploadBytes() int64 { return s.maxUploadBytes }

// FileContent returns a handling's file. The file of a handling marked
// with sekretess is given only to roles that handle such requests.
func (s *Diarium) FileContent(ctx context.Context, actor Actor, slug string, caseID int64, n int) (File, error) {
	org, err := s.OrgFor(ctx, actor, slug, PermReadCase)
	if err != nil {
		return File{}, err
	}
	d, err := s.store.Document(ctx, org.ID, caseID, n)
	if err != nil {
		return File{}, err
	}
	if d.Secrecy != nil && !actor.Can(PermReadSecret, org.ID) {
		return File{}, Errorf(CodeForbidden, "Handlingen är sekretessmarkerad (%s). Begär ut den hos registratorn, som prövar begäran.", d.Secrecy.Provision)
	}
	if d.File == nil {
		return File{}, Errorf(CodeNotFound, "Handling %s har ingen fil.", d.Dnr)
	}
	return s.store.FileContent(ctx, org.ID, caseID, n)
}
