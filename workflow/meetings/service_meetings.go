package meetings

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/documents"
)

// Service keeps the bodies' members and sammanträdesplan, the agendas,
// the § of the minutes, the justering with its anslag, and the meeting
// documents (kallelse, anslagsbevis, protokollsutdrag). Its effects plug
// into the engine (Effects); it fires the justering of the cases a
// meeting decided through the engine (Bind).
type Service struct {
	*workflow.Core
	store   Store
	engine  *workflow.Engine
	planner workflow.Planner
	docs    Documents
}

// Documents lays out and renders what meetings need of the
// organisation's templates; the documents service does.
type Documents interface {
	// ExtractLayout lays out the protokollsutdrag of p, certified by
	// certifier.
	ExtractLayout(ctx context.Context, org workflow.Organization, m workflow.Meeting, p workflow.Paragraph, parent *workflow.Body, certifier string) (documents.Layout, error)
	// RenderFile renders l as format into a file named fileBase.
	RenderFile(l documents.Layout, fileBase, format string) (workflow.File, error)
}

// Store is what meetings read and write.
type Store interface {
	BodyByCode(ctx context.Context, orgID int64, code string) (workflow.Body, error)
	Documents(ctx context.Context, orgID, caseID int64) ([]workflow.Document, error)
	// AddMember adds m to a body; CodeConflict when the name is taken.
	AddMember(ctx context.Context, orgID, bodyID int64, m workflow.Member) (workflow.Member, error)
	Members(ctx context.Context, orgID, bodyID int64) ([]workflow.Member, error)
	// CreateMeetings inserts meetings of one body, each with its first log
	// row, in one transaction; CodeConflict when one of them takes the
	// date and time of a planned meeting of the body.
	CreateMeetings(ctx context.Context, ms []workflow.Meeting, log workflow.MeetingLogEntry) ([]workflow.Meeting, error)
	Meeting(ctx context.Context, orgID, id int64) (workflow.Meeting, error)
	// Meetings lists a body's meetings, or every body's when bodyID is 0.
	Meetings(ctx context.Context, orgID, bodyID int64, f workflow.MeetingFilter) ([]workflow.Meeting, error)
	// UpdateMeeting stores m's date, time, location and status if its
	// version is still expected, with the log row; CodeConflict otherwise.
	UpdateMeeting(ctx context.Context, m workflow.Meeting, expected int64, log workflow.MeetingLogEntry) (workflow.Meeting, error)
	MeetingLog(ctx context.Context, orgID, meetingID int64) ([]workflow.MeetingLogEntry, error)
	// JusteraMeeting records the justering of m's minutes if its version
	// is still expected: the meeting, every paragraph not justerad yet and
	// the transitions of the cases decided there, all in one transaction.
	JusteraMeeting(ctx context.Context, m workflow.Meeting, expected int64, log workflow.MeetingLogEntry, trs []workflow.Transition) (workflow.Meeting, error)
	// Agenda lists the cases on a meeting's agenda, in order, with the §
	// each got at the meeting.
	Agenda(ctx context.Context, orgID, meetingID int64) ([]workflow.AgendaItem, error)
	// Paragraphs lists a meeting's paragraphs by number.
	Paragraphs(ctx context.Context, orgID, meetingID int64) ([]workflow.Paragraph, error)
	// OpenObligations lists the open obligations to report to a body.
	OpenObligations(ctx context.Context, orgID, bodyID int64) ([]workflow.OpenObligation, error)
	// ReportedObligations lists the obligations reported at a meeting.
	ReportedObligations(ctx context.Context, orgID, meetingID int64) ([]workflow.OpenObligation, error)
}

// New returns the meetings service on core and store, re-planning
// the cases a moved meeting touches through planner.
func New(core *workflow.Core, store Store, planner workflow.Planner) *Service {
	return &Service{Core: core, store: store, planner: planner}
}

// Bind gives the meetings service the engine whose cases a justering
// moves and the documents it lays out; both are built after it, since
// the engine needs its effects.
func (s *Service) Bind(engine *workflow.Engine, docs Documents) {
	s.engine, s.docs = engine, docs
}

// Effects are the engine's effects on meetings: an agenda item, a
// decision's §, an obligation reported at a meeting.
func (s *Service) Effects() map[string]workflow.EffectFunc {
	return map[string]workflow.EffectFunc{"put_on_agenda": effectPutOnAgenda, "record_decision": s.effectRecordDecision, "report_obligation": effectReportObligation}
}

// replanLogged re-plans the body's cases after a committed change, and
// only logs a failure.
func (s *Service) replanLogged(ctx context.Context, org workflow.Organization, body string) {
	if err := s.planner.ReplanBody(ctx, org, body); err != nil {
		s.Log().WarnContext(ctx, "the body's cases could not be re-planned", "org", org.Slug, "body", body, "err", err)
	}
}

// AddMember adds an elected member to a body.
func (s *Service) AddMember(ctx context.Context, actor workflow.Actor, slug, code string, in workflow.NewMember) (workflow.Member, error) {
	org, body, err := s.bodyFor(ctx, actor, slug, code, workflow.PermManageMeetings)
	if err != nil {
		return workflow.Member{}, err
	}
	m, err := in.Validate()
	if err != nil {
		return workflow.Member{}, err
	}
	m.CreatedAt = s.Now()
	return s.store.AddMember(ctx, org.ID, body.ID, m)
}

// Members lists a body's members.
func (s *Service) Members(ctx context.Context, actor workflow.Actor, slug, code string) ([]workflow.Member, error) {
	org, body, err := s.bodyFor(ctx, actor, slug, code, workflow.PermReadCase)
	if err != nil {
		return nil, err
	}
	return s.store.Members(ctx, org.ID, body.ID)
}

func (s *Service) bodyFor(ctx context.Context, actor workflow.Actor, slug, code string, perm workflow.Permission) (workflow.Organization, workflow.Body, error) {
	org, err := s.OrgFor(ctx, actor, slug, perm)
	if err != nil {
		return workflow.Organization{}, workflow.Body{}, err
	}
	body, err := s.store.BodyByCode(ctx, org.ID, code)
	return org, body, err
}

// CreateMeeting adds a meeting to a body's sammanträdesplan.
func (s *Service) CreateMeeting(ctx context.Context, actor workflow.Actor, slug, code string, in workflow.NewMeeting) (workflow.Meeting, error) {
	org, body, err := s.bodyFor(ctx, actor, slug, code, workflow.PermManageMeetings)
	if err != nil {
		return workflow.Meeting{}, err
	}
	var v workflow.Validation
	m := s.newMeeting(&v, "", org, body, in, false)
	if err := v.Err(); err != nil {
		return workflow.Meeting{}, err
	}
	created, err := s.store.CreateMeetings(ctx, []workflow.Meeting{m}, s.meetingLog(actor, "skapat", map[string]any{"date": m.Date.String(), "time": m.Time, "location": m.Location}))
	if err != nil {
		return workflow.Meeting{}, err
	}
	return created[0], nil
}

func (s *Service) newMeeting(v *workflow.Validation, prefix string, org workflow.Organization, body workflow.Body, in workflow.NewMeeting, allowPast bool) workflow.Meeting {
	d, clock, location := in.Validate(v, prefix, s.Today(), allowPast)
	now := s.Now()
	return workflow.Meeting{OrgID: org.ID, BodyID: body.ID, Body: body.Code, BodyName: body.Name, BodyKind: body.Kind, Date: d, Time: clock,
		Location: location, Status: workflow.MeetingPlanerat, Version: 1, CreatedAt: now, UpdatedAt: now}
}

func (s *Service) meetingLog(actor workflow.Actor, action string, data map[string]any) workflow.MeetingLogEntry {
	return workflow.MeetingLogEntry{Action: action, Actor: actor.Label(), ActorID: actor.UserID, At: s.Now(), Data: data}
}

// ImportMeetings adds a year's sammanträdesplan, read from CSV or
// iCalendar, to a body's calendar in one transaction. Rows that name a
// date and time already in the calendar are skipped, so an import can be
// repeated; any invalid row refuses the whole import and says which.
func (s *Service) ImportMeetings(ctx context.Context, actor workflow.Actor, slug, code, source string, rows []workflow.NewMeeting) (workflow.ImportResult, error) {
	org, body, err := s.bodyFor(ctx, actor, slug, code, workflow.PermManageMeetings)
	if err != nil {
		return workflow.ImportResult{}, err
	}
	if len(rows) == 0 {
		return workflow.ImportResult{}, workflow.Errorf(workflow.CodeInvalid, "Filen innehåller inga sammanträden.")
	}
	existing, err := s.store.Meetings(ctx, org.ID, body.ID, workflow.MeetingFilter{})
	if err != nil {
		return workflow.ImportResult{}, err
	}
	res := workflow.ImportResult{Created: []workflow.Meeting{}, Skipped: []workflow.Meeting{}}
	var v workflow.Validation
	var fresh []workflow.Meeting
	for i, row := range rows {
		prefix := fmt.Sprintf("rows[%d].", i)
		if row.Source != "" {
			prefix = row.Source + "."
		}
		m := s.newMeeting(&v, prefix, org, body, row, true)
		if k := slices.IndexFunc(existing, func(e workflow.Meeting) bool { return e.Date == m.Date && e.Time == m.Time }); k >= 0 {
			res.Skipped = append(res.Skipped, existing[k])
			continue
		}
		existing = append(existing, m)
		fresh = append(fresh, m)
	}
	if err := v.Err(); err != nil || len(fresh) == 0 {
		return res, err
	}
	res.Created, err = s.store.CreateMeetings(ctx, fresh, s.meetingLog(actor, "importerat", map[string]any{"source": source}))
	return res, err
}

// Meetings lists a body's meetings by date.
func (s *Service) Meetings(ctx context.Context, actor workflow.Actor, slug, code string, f workflow.MeetingFilter) ([]workflow.Meeting, error) {
	org, body, err := s.bodyFor(ctx, actor, slug, code, workflow.PermReadCase)
	if err != nil {
		return nil, err
	}
	return s.store.Meetings(ctx, org.ID, body.ID, f)
}

// NextMeeting returns the organisation's first planned meeting, of any
// body, that begins after now; false when the coming year's plans have
// none.
func (s *Service) NextMeeting(ctx context.Context, actor workflow.Actor, slug string) (workflow.Meeting, bool, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermReadCase)
	if err != nil {
		return workflow.Meeting{}, false, err
	}
	now := s.Clock().Now()
	today := workflow.DateOf(now.In(s.Location()))
	ms, err := s.store.Meetings(ctx, org.ID, 0, workflow.MeetingFilter{From: today, To: today.AddDays(366)})
	if err != nil {
		return workflow.Meeting{}, false, err
	}
	for _, m := range ms {
		if m.Start(s.Location()).After(now) {
			return m, true, nil
		}
	}
	return workflow.Meeting{}, false, nil
}

// Meeting returns one meeting.
func (s *Service) Meeting(ctx context.Context, actor workflow.Actor, slug string, id int64) (workflow.Meeting, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermReadCase)
	if err != nil {
		return workflow.Meeting{}, err
	}
	return s.store.Meeting(ctx, org.ID, id)
}

// MeetingLog returns what was done to a meeting, oldest first.
func (s *Service) MeetingLog(ctx context.Context, actor workflow.Actor, slug string, id int64) ([]workflow.MeetingLogEntry, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermReadCase)
	if err != nil {
		return nil, err
	}
	if _, err := s.store.Meeting(ctx, org.ID, id); err != nil {
		return nil, err
	}
	return s.store.MeetingLog(ctx, org.ID, id)
}

// MoveMeeting gives a meeting a new date, time or location. A meeting
// that has paragraphs has been held and cannot move.
func (s *Service) MoveMeeting(ctx context.Context, actor workflow.Actor, slug string, id int64, in workflow.MeetingChange) (workflow.Meeting, error) {
	org, m, err := s.changeableMeeting(ctx, actor, slug, id, in.Version)
	if err != nil {
		return workflow.Meeting{}, err
	}
	var v workflow.Validation
	if in.Time == "" {
		in.Time = m.Time
	}
	if in.Location == "" {
		in.Location = m.Location
	}
	d, clock, location := workflow.NewMeeting{Date: in.Date, Time: in.Time, Location: in.Location}.Validate(&v, "", s.Today(), false)
	reason := workflow.LimitText(&v, "reason", strings.TrimSpace(in.Reason), 1000)
	if err := v.Err(); err != nil {
		return workflow.Meeting{}, err
	}
	log := s.meetingLog(actor, "flyttat", map[string]any{"from": m.Date.String(), "to": d.String(), "time": clock, "location": location, "reason": reason})
	m.Date, m.Time, m.Location, m.UpdatedAt = d, clock, location, log.At
	return s.updateMeeting(ctx, org, m, in.Version, log)
}

// updateMeeting stores a moved or cancelled meeting and re-plans the
// cases whose plans use its body.
func (s *Service) updateMeeting(ctx context.Context, org workflow.Organization, m workflow.Meeting, version int64, log workflow.MeetingLogEntry) (workflow.Meeting, error) {
	m, err := s.store.UpdateMeeting(ctx, m, version, log)
	if err == nil {
		s.replanLogged(ctx, org, m.Body)
	}
	return m, err
}

// CancelMeeting cancels a meeting that has not been held. It stays in the
// calendar as cancelled; the ärenden on its agenda need another meeting.
func (s *Service) CancelMeeting(ctx context.Context, actor workflow.Actor, slug string, id int64, in workflow.MeetingChange) (workflow.Meeting, error) {
	org, m, err := s.changeableMeeting(ctx, actor, slug, id, in.Version)
	if err != nil {
		return workflow.Meeting{}, err
	}
	var v workflow.Validation
	reason := workflow.RequireText(&v, "reason", in.Reason, 1000)
	if err := v.Err(); err != nil {
		return workflow.Meeting{}, err
	}
	log := s.meetingLog(actor, "installt", map[string]any{"reason": reason})
	m.Status, m.UpdatedAt = workflow.MeetingInstallt, log.At
	return s.updateMeeting(ctx, org, m, in.Version, log)
}

// changeableMeeting loads a planned meeting without paragraphs at the
// version the caller read.
func (s *Service) changeableMeeting(ctx context.Context, actor workflow.Actor, slug string, id, version int64) (workflow.Organization, workflow.Meeting, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermReadCase)
	if err != nil {
		return org, workflow.Meeting{}, err
	}
	m, err := s.store.Meeting(ctx, org.ID, id)
	if err != nil {
		return org, m, err
	}
	if err := actor.Authorize(workflow.PermManageMeetings, org.ID); err != nil {
		return org, m, err
	}
	if err := staleMeeting(m, version); err != nil {
		return org, m, err
	}
	if m.Status == workflow.MeetingInstallt {
		return org, m, workflow.Errorf(workflow.CodeInvalid, "Sammanträdet %s är redan inställt.", m.Label())
	}
	ps, err := s.store.Paragraphs(ctx, org.ID, id)
	if err != nil {
		return org, m, err
	}
	if len(ps) > 0 {
		return org, m, workflow.Errorf(workflow.CodeInvalid, "Sammanträdet %s har hållits (det har %d paragrafer) och kan inte flyttas eller ställas in.", m.Label(), len(ps))
	}
	return org, m, nil
}

func staleMeeting(m workflow.Meeting, version int64) error {
	if version != m.Version {
		return workflow.Errorf(workflow.CodeConflict, "Sammanträdet %s har ändrats sedan du läste det (version %d, du hade %d). Läs in det igen.", m.Label(), m.Version, version)
	}
	return nil
}

// Paragraphs lists the paragraphs of a meeting's minutes.
func (s *Service) Paragraphs(ctx context.Context, actor workflow.Actor, slug string, meetingID int64) ([]workflow.Paragraph, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermReadCase)
	if err != nil {
		return nil, err
	}
	if _, err := s.store.Meeting(ctx, org.ID, meetingID); err != nil {
		return nil, err
	}
	return s.store.Paragraphs(ctx, org.ID, meetingID)
}

// paragraph returns paragraph number n of a meeting.
func (s *Service) paragraph(ctx context.Context, orgID, meetingID int64, n int) (workflow.Paragraph, error) {
	ps, err := s.store.Paragraphs(ctx, orgID, meetingID)
	if err != nil {
		return workflow.Paragraph{}, err
	}
	k := slices.IndexFunc(ps, func(p workflow.Paragraph) bool { return p.Number == n })
	if k < 0 {
		return workflow.Paragraph{}, workflow.Errorf(workflow.CodeNotFound, "Sammanträdet har ingen § %d.", n)
	}
	return ps[k], nil
}
