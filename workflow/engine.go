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

// firing is one event on its way through the engine.
type firing struct {
	svc    *Service
	ctx    context.Context
	actor  Actor
	org    Organization
	def    *Definition
	event  Event
	c      Case           // as loaded
	after  Case           // as it will be
	data   map[string]any // the event's data, normalised; nil when only asking whether it is offered
	record map[string]any // what the history keeps: the data and what the effects add
	today  Date
	users  map[string]User
	bodies map[string]Body
	// meetings are the meetings the data names, by field name.
	meetings map[string]Meeting
	// namndDeadline is the nämnder's deadline in the case's plan, read
	// when an effect needs it.
	namndDeadline *Date
	tr            *Transition
	docs          []Document
}

// Fire fires an event of a case's workflow: authorise, check the version,
// the state, the data and the guards, compute the new state and the
// effects, and write it all in one transaction that fails if someone else
// changed the case meanwhile. With an idempotency key, a retry of the same
// request returns the first answer instead of firing again.
func (s *Service) Fire(ctx context.Context, actor Actor, slug string, caseID int64, req FireRequest, idempotencyKey string) (Case, error) {
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
	f, err := s.prepare(ctx, actor, org, caseID, req)
	if err != nil {
		return Case{}, err
	}
	if idempotencyKey != "" {
		// The response is written by the store, once the § is numbered.
		f.tr.Idempotency = &IdempotencyRecord{Key: idempotencyKey, Fingerprint: fingerprint, CaseID: caseID, CreatedAt: f.tr.At}
	}
	if err := s.store.ApplyTransition(ctx, *f.tr); err != nil {
		if ErrorCode(err) == CodeConflict {
			if c, replayed, rerr := s.replay(ctx, org.ID, idempotencyKey, fingerprint); replayed || rerr != nil {
				return c, rerr
			}
			if c, cerr := s.store.Case(ctx, org.ID, caseID); cerr == nil && c.Version == req.Version {
				return Case{}, err // not the case's version: a duplicate, such as a § already taken
			}
			return Case{}, s.staleVersion(ctx, org.ID, caseID, req.Version)
		}
		return Case{}, err
	}
	s.planner.Replan(ctx, org, caseID)
	if decides(f.event.Name, f.tr) {
		s.registerDecided(ctx, org, caseID)
	}
	return f.after, nil
}

// prepare loads the case and runs every check, then computes the
// transition and the case as it will be.
func (s *Service) prepare(ctx context.Context, actor Actor, org Organization, caseID int64, req FireRequest) (*firing, error) {
	f, err := s.load(ctx, actor, org, caseID)
	if err != nil {
		return nil, err
	}
	event, ok := f.def.Event(req.Event)
	if !ok {
		return nil, fieldError("event", fmt.Sprintf("Händelsen ”%s” finns inte i arbetsflödet %s. Möjliga: %s.", req.Event, f.def.Name, eventNames(f.def)))
	}
	f.event = event
	if err := f.authorize(); err != nil {
		return nil, err
	}
	if req.Version != f.c.Version {
		return nil, s.staleVersion(ctx, org.ID, caseID, req.Version)
	}
	if !f.def.FiresFrom(event, f.c.State) {
		return nil, Errorf(CodeInvalid, "”%s” kan inte göras när ärendet är i tillståndet ”%s”.", event.Title, f.def.StateTitle(f.c.State))
	}
	if f.data, err = decodeData(req.Data, event.Data, f.today); err != nil {
		return nil, err
	}
	if err := f.resolve(); err != nil {
		return nil, err
	}
	for _, g := range event.Guards {
		if err := guards[g.Name].check(f, g.Arg); err != nil {
			return nil, err
		}
	}
	return f, f.apply()
}

// load reads the case, its children and its pinned definition.
func (s *Service) load(ctx context.Context, actor Actor, org Organization, caseID int64) (*firing, error) {
	c, err := s.store.Case(ctx, org.ID, caseID)
	if err != nil {
		return nil, err
	}
	def, err := s.Definition(ctx, org.ID, c.Workflow)
	if err != nil {
		return nil, err
	}
	f := &firing{svc: s, ctx: ctx, actor: actor, org: org, def: def, c: c, today: s.today(),
		users: map[string]User{}, bodies: map[string]Body{}, meetings: map[string]Meeting{}}
	f.c.markLate(f.today)
	f.c.StateTitle = def.StateTitle(c.State)
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
func (f *firing) authorize() error {
	if f.event.System {
		if f.actor.engine {
			return nil
		}
		return Errorf(CodeForbidden, "”%s” görs av remiss självt och kan inte utlösas av en användare.", f.event.Title)
	}
	if f.actor.System {
		return nil
	}
	if f.actor.OrgID == f.org.ID && slices.ContainsFunc(f.actor.Roles, func(r Role) bool { return slices.Contains(f.event.Roles, r) }) {
		return nil
	}
	return Errorf(CodeForbidden, "”%s” kräver någon av rollerna %s.", f.event.Title, quoteAll(rolesAsStrings(f.event.Roles)))
}

func rolesAsStrings(roles []Role) []string {
	out := make([]string, len(roles))
	for i, r := range roles {
		out[i] = string(r)
	}
	return out
}

// resolve checks that every user and body the data names exists in the
// organisation (and that a user holds the role the field asks for).
func (f *firing) resolve() error {
	var v Validation
	for _, ref := range references("data", f.event.Data, f.data) {
		switch ref.field.Type {
		case FieldUser:
			u, err := f.svc.store.UserByEmail(f.ctx, f.org.ID, ref.value)
			switch {
			case ErrorCode(err) == CodeNotFound:
				v.Addf(ref.path, "Det finns ingen användare med adressen %s.", ref.value)
			case err != nil:
				return err
			case ref.field.Role != "" && !slices.Contains(u.Roles, ref.field.Role):
				v.Addf(ref.path, "%s har inte rollen %s.", u.Name, ref.field.Role)
			default:
				f.users[ref.value] = u
			}
		case FieldBody:
			b, err := f.svc.store.BodyByCode(f.ctx, f.org.ID, ref.value)
			switch {
			case ErrorCode(err) == CodeNotFound:
				v.Addf(ref.path, "Det finns ingen instans med förkortningen %s.", ref.value)
			case err != nil:
				return err
			default:
				f.bodies[ref.value] = b
			}
		}
	}
	for _, spec := range f.event.Data {
		if id, ok := f.data[spec.Name].(int64); ok && spec.Type == FieldMeeting {
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
func (f *firing) resolveMeeting(v *Validation, spec FieldSpec, id int64) error {
	path := "data." + spec.Name
	m, err := f.svc.store.Meeting(f.ctx, f.org.ID, id)
	switch {
	case ErrorCode(err) == CodeNotFound:
		v.Addf(path, "Det finns inget sammanträde med nummer %d.", id)
	case err != nil:
		return err
	case m.Status == MeetingInstallt:
		v.Addf(path, "Sammanträdet %s är inställt.", m.Label())
	case spec.BodyKind != "" && m.BodyKind != spec.BodyKind:
		v.Addf(path, "Sammanträdet %s är %s, som inte är %s.", m.Label(), m.BodyName, bodyKindNames[spec.BodyKind])
	case spec.Upcoming && m.Date.Before(f.today):
		v.Addf(path, "Sammanträdet %s har redan varit; ett ärende kan bara anmälas till ett kommande sammanträde.", m.Label())
	default:
		f.meetings[spec.Name] = m
	}
	return nil
}

// apply computes the new state, runs the effects and seals nothing yet:
// the store seals the history row onto the chain inside the transaction.
func (f *firing) apply() error {
	now := Now(f.svc.clock)
	to := f.def.Target(f.event, f.c.State, f.data)
	f.record = maps.Clone(f.data)
	f.after = f.c
	f.after.Consultations = slices.Clone(f.c.Consultations)
	f.after.Obligations = slices.Clone(f.c.Obligations)
	f.after.State, f.after.StateTitle, f.after.Version, f.after.UpdatedAt = to, f.def.StateTitle(to), f.c.Version+1, now
	f.after.Paragraphs = slices.Clone(f.c.Paragraphs)
	f.tr = &Transition{OrgID: f.org.ID, CaseID: f.c.ID, Dnr: f.c.Dnr, ExpectedVersion: f.c.Version, State: to, At: now, after: &f.after}
	for _, e := range f.event.Effects {
		if err := effects[e.Name].apply(f, e.Arg); err != nil {
			return err
		}
	}
	data, err := json.Marshal(f.record)
	if err != nil {
		return Internal(err)
	}
	f.tr.record = f.record
	f.tr.History = HistoryEntry{Event: f.event.Name, From: f.c.State, To: to, Actor: f.actor.Label(), ActorID: f.actor.UserID, At: now, Data: data}
	f.after.markLate(f.today)
	f.after.AvailableEvents = f.svc.available(f.ctx, f.actor, f.org, f.def, f.after, f.today)
	return nil
}

// staleVersion says who changed the case since the caller read it, so that
// a secretary knows what happened before trying again.
func (s *Service) staleVersion(ctx context.Context, orgID, caseID, version int64) error {
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

// available lists the events actor may fire on c now: allowed from its
// state, for one of the actor's roles, with every guard that can be judged
// without data holding.
func (s *Service) available(ctx context.Context, actor Actor, org Organization, def *Definition, c Case, today Date) []AvailableEvent {
	f := &firing{svc: s, ctx: ctx, actor: actor, org: org, def: def, c: c, today: today}
	out := []AvailableEvent{}
	for _, e := range def.Events {
		f.event = e
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

func (f *firing) guardsBlock() bool {
	for _, g := range f.event.Guards {
		if guards[g.Name].check(f, g.Arg) != nil {
			return true
		}
	}
	return false
}

// Case returns one case with its consultations, obligations and the
// events the actor may fire now.
func (s *Service) Case(ctx context.Context, actor Actor, slug string, caseID int64) (Case, error) {
	org, err := s.orgFor(ctx, actor, slug, PermReadCase)
	if err != nil {
		return Case{}, err
	}
	f, err := s.load(ctx, actor, org, caseID)
	if err != nil {
		return Case{}, err
	}
	f.c.AvailableEvents = s.available(ctx, actor, org, f.def, f.c, f.today)
	return f.c, nil
}

// markLate sets each consultation's late flag for today.
func (c *Case) markLate(today Date) {
	for i := range c.Consultations {
		cs := &c.Consultations[i]
		cs.Late = cs.Status == ConsultationBegard && today.After(cs.Deadline)
	}
}

func (f *firing) documents() ([]Document, error) {
	if f.docs == nil {
		docs, err := f.svc.store.Documents(f.ctx, f.org.ID, f.c.ID)
		if err != nil {
			return nil, err
		}
		f.docs = docs
	}
	return f.docs, nil
}

func (f *firing) consultationOf(body string) *Consultation {
	for i := range f.c.Consultations {
		if f.c.Consultations[i].Body == body {
			return &f.c.Consultations[i]
		}
	}
	return nil
}

func (f *firing) replaceConsultation(c Consultation) {
	for i := range f.after.Consultations {
		if f.after.Consultations[i].ID == c.ID {
			f.after.Consultations[i] = c
		}
	}
}

func (f *firing) openObligation(kind string) *Obligation {
	for i := range f.c.Obligations {
		if o := &f.c.Obligations[i]; o.Kind == kind && o.Open() {
			return o
		}
	}
	return nil
}

// date returns a date datum.
func (f *firing) date(name string) (Date, bool) {
	s, ok := f.data[name].(string)
	if !ok {
		return Date{}, false
	}
	d, err := ParseDate(s)
	return d, err == nil
}

// mustDate returns a required date datum, which decodeData has checked.
func (f *firing) mustDate(name string) Date {
	d, _ := f.date(name)
	return d
}

// checkIdempotencyKey validates a client's key and returns the request's
// fingerprint: the same key with another request is an error, not a replay.
func (s *Service) checkIdempotencyKey(key string, actor Actor, caseID int64, req FireRequest) (string, error) {
	if key == "" {
		return "", nil
	}
	if len(key) > 200 || !isPrintableASCII(key) {
		return "", fieldError("Idempotency-Key", "Nyckeln ska vara 1–200 synliga ASCII-tecken, t.ex. ett UUID.")
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
func (s *Service) replay(ctx context.Context, orgID int64, key, fingerprint string) (Case, bool, error) {
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
