package workflow

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"
)

// FireRequest is the body of POST …/cases/{id}/events.
type FireRequest struct {
	Event   string          `json:"event"`
	Version int64           `json:"version"`
	Data    json.RawMessage `json:"data"`
}

// Calendar tells working days; internal/calendar implements it with the
// Swedish public holidays.
type Calendar interface {
	IsWorkingDay(day time.Time) bool
}

// Firing is one event on its way through the engine.
type Firing struct {
	svc    *Engine
	Ctx    context.Context
	Actor  Actor
	Org    Organization
	Def    *Definition
	Event  Event
	Case   Case           // as loaded
	After  Case           // as it will be
	Data   map[string]any // the event's data, normalised; nil when only asking whether it is offered
	Record map[string]any // what the history keeps: the data and what the effects add
	Today  Date
	Users  map[string]User
	Bodies map[string]Body
	// Meetings are the meetings the data names, by field name.
	Meetings map[string]Meeting
	// namndDeadline is the nämnder's deadline in the case's plan, read
	// when an effect needs it.
	namndDeadline *Date
	Tr            *Transition
	docs          []Document
}

// Fire fires an event of a case's workflow: authorise, check the version,
// the state, the data and the guards, compute the new state and the
// effects, and write it all in one transaction that fails if someone else
// changed the case meanwhile. With an idempotency key, a retry of the same
// request returns the first answer instead of firing again.
func (s *Engine) Fire(ctx context.Context, actor Actor, slug string, caseID int64, req FireRequest, idempotencyKey string) (Case, error) {
	org, err := s.orgFor(ctx, actor, slug, PermReadCase)
	if err != nil {
		return Case{}, err
	}
	fingerprint, err := s.checkIdempotencyKey(idempotencyKey, actor, caseID, req)
	if err != nil {
		return Case{}, err
	}
	if c, replayed, err := s.replay(ctx, org.ID, idempotencyKey, fingerprint); replayed || err != nil {
		return c, err
	}
	f, err := s.Prepare(ctx, actor, org, caseID, req)
	if err != nil {
		return Case{}, err
	}
	if idempotencyKey != "" {
		// The response is written by the store, once the § is numbered.
		f.Tr.Idempotency = &IdempotencyRecord{Key: idempotencyKey, Fingerprint: fingerprint, CaseID: caseID, CreatedAt: f.Tr.At}
	}
	s.planDeadlines(f)
	err = s.store.ApplyTransition(ctx, *f.Tr)
	ForgetCase(ctx, org.ID, caseID)
	if err != nil {
		if ErrorCode(err) == CodeConflict {
			if c, replayed, rerr := s.replay(ctx, org.ID, idempotencyKey, fingerprint); replayed || rerr != nil {
				return c, rerr
			}
			if c, cerr := s.store.Case(ctx, org.ID, caseID); cerr == nil && c.Version == req.Version {
				return Case{}, err // not the case's version: a duplicate, such as a § already taken
			}
			return Case{}, s.StaleVersion(ctx, org.ID, caseID, req.Version)
		}
		return Case{}, err
	}
	if decides(f.Event.Name, f.Tr) && s.onDecided != nil {
		s.onDecided(ctx, org, caseID)
	}
	return f.After, nil
}

// Prepare loads the case and runs every check, then computes the
// transition and the case as it will be.
func (s *Engine) Prepare(ctx context.Context, actor Actor, org Organization, caseID int64, req FireRequest) (*Firing, error) {
	f, err := s.Load(ctx, actor, org, caseID)
	if err != nil {
		return nil, err
	}
	event, ok := f.Def.Event(req.Event)
	if !ok {
		return nil, InvalidField("event", fmt.Sprintf("Händelsen ”%s” finns inte i arbetsflödet %s. Möjliga: %s.", req.Event, f.Def.Name, eventNames(f.Def)))
	}
	f.Event = event
	if err := f.authorize(); err != nil {
		return nil, err
	}
	if req.Version != f.Case.Version {
		return nil, s.StaleVersion(ctx, org.ID, caseID, req.Version)
	}
	if !f.Def.FiresFrom(event, f.Case.State) {
		return nil, Errorf(CodeInvalid, "”%s” kan inte göras när ärendet är i tillståndet ”%s”.", event.Title, f.Def.StateTitle(f.Case.State))
	}
	if f.Data, err = decodeData(req.Data, event.Data, f.Today); err != nil {
		return nil, err
	}
	if err := f.resolve(); err != nil {
		return nil, err
	}
	for _, g := range event.Guards {
		if err := s.guards[g.Name](f, g.Arg); err != nil {
			return nil, err
		}
	}
	return f, f.apply()
}

// Load reads the case, its children and its pinned definition.
func (s *Engine) Load(ctx context.Context, actor Actor, org Organization, caseID int64) (*Firing, error) {
	c, err := s.LoadCase(ctx, org.ID, caseID)
	if err != nil {
		return nil, err
	}
	def, err := s.Definition(ctx, org.ID, c.Workflow)
	if err != nil {
		return nil, err
	}
	f := &Firing{svc: s, Ctx: ctx, Actor: actor, Org: org, Def: def, Case: c, Today: s.today(),
		Users: map[string]User{}, Bodies: map[string]Body{}, Meetings: map[string]Meeting{}}
	f.Case.markLate(f.Today)
	f.Case.StateTitle = def.StateTitle(c.State)
	return f, nil
}

func eventNames(d *Definition) string {
	names := make([]string, len(d.Events))
	for i, e := range d.Events {
		names[i] = e.Name
	}
	return quoteAll(names)
}

// authorize: the actor holds one of the event's roles in the case's
// organisation; the system administrator may fire anything but the
// events remiss fires itself.
func (f *Firing) authorize() error {
	if f.Event.System {
		if f.Actor.engine {
			return nil
		}
		return Errorf(CodeForbidden, "”%s” görs av remiss självt och kan inte utlösas av en användare.", f.Event.Title)
	}
	if f.Actor.System {
		return nil
	}
	if f.Actor.OrgID == f.Org.ID && slices.ContainsFunc(f.Actor.Roles, func(r Role) bool { return slices.Contains(f.Event.Roles, r) }) {
		return nil
	}
	return Errorf(CodeForbidden, "”%s” kräver någon av rollerna %s.", f.Event.Title, quoteAll(RolesAsStrings(f.Event.Roles)))
}

func RolesAsStrings(roles []Role) []string {
	out := make([]string, len(roles))
	for i, r := range roles {
		out[i] = string(r)
	}
	return out
}

// resolve checks that every user and body the data names exists in the
// organisation (and that a user holds the role the field asks for).
func (f *Firing) resolve() error {
	var v Validation
	for _, ref := range references("data", f.Event.Data, f.Data) {
		switch ref.field.Type {
		case FieldUser:
			u, err := f.svc.store.UserByEmail(f.Ctx, f.Org.ID, ref.value)
			switch {
			case ErrorCode(err) == CodeNotFound:
				v.Addf(ref.path, "Det finns ingen användare med adressen %s.", ref.value)
			case err != nil:
				return err
			case ref.field.Role != "" && !slices.Contains(u.Roles, ref.field.Role):
				v.Addf(ref.path, "%s har inte rollen %s.", u.Name, ref.field.Role)
			default:
				f.Users[ref.value] = u
			}
		case FieldBody:
			b, err := f.svc.store.BodyByCode(f.Ctx, f.Org.ID, ref.value)
			switch {
			case ErrorCode(err) == CodeNotFound:
				v.Addf(ref.path, "Det finns ingen instans med förkortningen %s.", ref.value)
			case err != nil:
				return err
			default:
				f.Bodies[ref.value] = b
			}
		}
	}
	for _, spec := range f.Event.Data {
		if id, ok := f.Data[spec.Name].(int64); ok && spec.Type == FieldMeeting {
			if err := f.resolveMeeting(&v, spec, id); err != nil {
				return err
			}
		}
	}
	return v.Err()
}

// resolveMeeting checks that the meeting a datum names exists, is not
// cancelled, belongs to a body of the kind the field asks for and, for a
// new agenda item, has not been held yet.
func (f *Firing) resolveMeeting(v *Validation, spec FieldSpec, id int64) error {
	path := "data." + spec.Name
	m, err := f.svc.store.Meeting(f.Ctx, f.Org.ID, id)
	switch {
	case ErrorCode(err) == CodeNotFound:
		v.Addf(path, "Det finns inget sammanträde med nummer %d.", id)
	case err != nil:
		return err
	case m.Status == MeetingInstallt:
		v.Addf(path, "Sammanträdet %s är inställt.", m.Label())
	case spec.BodyKind != "" && m.BodyKind != spec.BodyKind:
		v.Addf(path, "Sammanträdet %s är %s, som inte är %s.", m.Label(), m.BodyName, bodyKindNames[spec.BodyKind])
	case spec.Upcoming && m.Date.Before(f.Today):
		v.Addf(path, "Sammanträdet %s har redan varit; ett ärende kan bara anmälas till ett kommande sammanträde.", m.Label())
	default:
		f.Meetings[spec.Name] = m
	}
	return nil
}

// apply computes the new state, runs the effects and seals nothing yet:
// the store seals the history row onto the chain inside the transaction.
func (f *Firing) apply() error {
	now := Now(f.svc.clock)
	to := f.Def.Target(f.Event, f.Case.State, f.Data)
	f.Record = maps.Clone(f.Data)
	f.After = f.Case
	f.After.Consultations = slices.Clone(f.Case.Consultations)
	f.After.Obligations = slices.Clone(f.Case.Obligations)
	f.After.State, f.After.StateTitle, f.After.Version, f.After.UpdatedAt = to, f.Def.StateTitle(to), f.Case.Version+1, now
	f.After.Paragraphs = slices.Clone(f.Case.Paragraphs)
	f.Tr = &Transition{OrgID: f.Org.ID, CaseID: f.Case.ID, Dnr: f.Case.Dnr, ExpectedVersion: f.Case.Version, State: to, At: now, after: &f.After,
		HeadSeq: f.Case.HeadSeq, HeadHash: f.Case.HeadHash}
	for _, e := range f.Event.Effects {
		if err := f.svc.effects[e.Name](f, e.Arg); err != nil {
			return err
		}
	}
	data, err := json.Marshal(f.Record)
	if err != nil {
		return Internal(err)
	}
	f.Tr.record = f.Record
	f.Tr.History = HistoryEntry{Event: f.Event.Name, From: f.Case.State, To: to, Actor: f.Actor.Label(), ActorID: f.Actor.UserID, At: now, Data: data}
	f.After.markLate(f.Today)
	f.After.AvailableEvents = f.svc.Available(f.Ctx, f.Actor, f.Org, f.Def, f.After, f.Today)
	return nil
}

// StaleVersion says who changed the case since the caller read it, so that
// a secretary knows what happened before trying again.
func (s *Engine) StaleVersion(ctx context.Context, orgID, caseID, version int64) error {
	c, err := s.store.Case(ctx, orgID, caseID)
	if err != nil {
		return err
	}
	h, err := s.store.History(ctx, orgID, caseID)
	if err != nil || len(h) == 0 {
		return Errorf(CodeConflict, "Ärendet har ändrats sedan du läste det (version %d, nu %d). Läs in det igen.", version, c.Version)
	}
	last := h[len(h)-1]
	return Errorf(CodeConflict, "Ärendet har ändrats sedan du läste det: %s gjorde ”%s” %s (version %d, du hade %d). Läs in ärendet igen; det du skrivit finns kvar.",
		last.Actor, last.Event, last.At.In(s.loc).Format("2006-01-02 15:04"), c.Version, version)
}

// Available lists the events actor may fire on c now: allowed from its
// state, for one of the actor's roles, with every guard that can be judged
// without data holding.
func (s *Engine) Available(ctx context.Context, actor Actor, org Organization, def *Definition, c Case, today Date) []AvailableEvent {
	f := &Firing{svc: s, Ctx: ctx, Actor: actor, Org: org, Def: def, Case: c, Today: today}
	out := []AvailableEvent{}
	for _, e := range def.Events {
		f.Event = e
		if !def.FiresFrom(e, c.State) || f.authorize() != nil || f.guardsBlock() {
			continue
		}
		data := e.Data
		if data == nil {
			data = []FieldSpec{}
		}
		out = append(out, AvailableEvent{Name: e.Name, Title: e.Title, To: def.targets(e, c.State), Data: data})
	}
	return out
}

func (f *Firing) guardsBlock() bool {
	for _, g := range f.Event.Guards {
		if f.svc.guards[g.Name](f, g.Arg) != nil {
			return true
		}
	}
	return false
}

// Case returns one case with its consultations, obligations and the
// events the actor may fire now.
func (s *Engine) Case(ctx context.Context, actor Actor, slug string, caseID int64) (Case, error) {
	org, err := s.orgFor(ctx, actor, slug, PermReadCase)
	if err != nil {
		return Case{}, err
	}
	f, err := s.Load(ctx, actor, org, caseID)
	if err != nil {
		return Case{}, err
	}
	f.Case.AvailableEvents = s.Available(ctx, actor, org, f.Def, f.Case, f.Today)
	return f.Case, nil
}

// markLate sets each consultation's late flag for today.
func (c *Case) markLate(today Date) {
	for i := range c.Consultations {
		cs := &c.Consultations[i]
		cs.Late = cs.Status == ConsultationBegard && today.After(cs.Deadline)
	}
}

func (f *Firing) Documents() ([]Document, error) {
	if f.docs == nil {
		docs, err := f.svc.store.Documents(f.Ctx, f.Org.ID, f.Case.ID)
		if err != nil {
			return nil, err
		}
		f.docs = docs
	}
	return f.docs, nil
}

func (f *Firing) consultationOf(body string) *Consultation {
	for i := range f.Case.Consultations {
		if f.Case.Consultations[i].Body == body {
			return &f.Case.Consultations[i]
		}
	}
	return nil
}

func (f *Firing) replaceConsultation(c Consultation) {
	for i := range f.After.Consultations {
		if f.After.Consultations[i].ID == c.ID {
			f.After.Consultations[i] = c
		}
	}
}

func (f *Firing) OpenObligation(kind string) *Obligation {
	for i := range f.Case.Obligations {
		if o := &f.Case.Obligations[i]; o.Kind == kind && o.Open() {
			return o
		}
	}
	return nil
}

// date returns a date datum.
func (f *Firing) date(name string) (Date, bool) {
	s, ok := f.Data[name].(string)
	if !ok {
		return Date{}, false
	}
	d, err := ParseDate(s)
	return d, err == nil
}

// mustDate returns a required date datum, which decodeData has checked.
func (f *Firing) mustDate(name string) Date {
	d, _ := f.date(name)
	return d
}

// checkIdempotencyKey validates a client's key and returns the request's
// fingerprint: the same key with another request is an error, not a replay.
func (s *Engine) checkIdempotencyKey(key string, actor Actor, caseID int64, req FireRequest) (string, error) {
	if key == "" {
		return "", nil
	}
	if len(key) > 200 || !isPrintableASCII(key) {
		return "", InvalidField("Idempotency-Key", "Nyckeln ska vara 1–200 synliga ASCII-tecken, t.ex. ett UUID.")
	}
	var compact []byte
	if len(req.Data) > 0 {
		var buf map[string]any
		if json.Unmarshal(req.Data, &buf) == nil {
			compact, _ = json.Marshal(buf)
		} else {
			compact = req.Data
		}
	}
	h := sha256.New()
	for _, part := range []string{strconv.FormatInt(actor.UserID, 10), strconv.FormatInt(caseID, 10), req.Event, strconv.FormatInt(req.Version, 10), string(compact)} {
		h.Write([]byte(strconv.Quote(part)))
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func isPrintableASCII(s string) bool {
	for _, r := range s {
		if r < 0x21 || r > 0x7e {
			return false
		}
	}
	return true
}

// replay returns the stored answer to key, if there is one.
func (s *Engine) replay(ctx context.Context, orgID int64, key, fingerprint string) (Case, bool, error) {
	if key == "" {
		return Case{}, false, nil
	}
	rec, err := s.store.IdempotencyRecord(ctx, orgID, key)
	switch {
	case ErrorCode(err) == CodeNotFound:
		return Case{}, false, nil
	case err != nil:
		return Case{}, false, err
	case rec.Fingerprint != fingerprint:
		return Case{}, false, Errorf(CodeConflict, "Idempotency-Key ”%s” har redan använts för en annan begäran.", key)
	}
	var c Case
	if err := json.Unmarshal(rec.Response, &c); err != nil {
		return Case{}, false, Internal(err)
	}
	return c, true, nil
}

// decides reports whether a transition decides the answer: a § that
// adopts the yttrande or declines, the chair's urgent decision, or the
// decision to decline without a board. A nämnd's answer to a
// consultation, even a § of its own that declines, decides nothing.
func decides(event string, tr *Transition) bool {
	if tr.Answer != nil {
		return false
	}
	if tr.Paragraph != nil {
		return tr.Paragraph.Kind == ParagraphBeslut && (tr.Paragraph.Outcome == "antaget" || tr.Paragraph.Outcome == "avstar")
	}
	return event == "ordforandebeslut" || event == "avsta"
}

// History returns a case's history, oldest first.
func (s *Engine) History(ctx context.Context, actor Actor, slug string, caseID int64) ([]HistoryEntry, error) {
	org, err := s.orgFor(ctx, actor, slug, PermReadCase)
	if err != nil {
		return nil, err
	}
	return s.store.History(ctx, org.ID, caseID)
}

// planDeadlines puts the case's plan, as the event leaves it, into the
// transition, so that its deadlines change in the event's transaction. A
// plan is derived data: one that cannot be computed is logged, and the
// deadlines stay as they were until the next change.
func (s *Engine) planDeadlines(f *Firing) {
	var agenda []Meeting
	for _, id := range f.Tr.Agenda {
		for _, m := range f.Meetings {
			if m.ID == id {
				agenda = append(agenda, m)
			}
		}
	}
	ds, err := s.planner.PlannedDeadlines(f.Ctx, f.Org, f.After, agenda)
	if err != nil {
		s.Log().WarnContext(f.Ctx, "the case's deadlines could not be planned", "org", f.Org.Slug, "case", f.Case.ID, "err", err)
		return
	}
	f.Tr.Deadlines = &ds
}
