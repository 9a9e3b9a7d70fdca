package workflow_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/yttrande/remiss/internal/app"
	"github.com/yttrande/remiss/internal/auth"
	"github.com/yttrande/remiss/internal/calendar"
	"github.com/yttrande/remiss/internal/markdown"
	"github.com/yttrande/remiss/internal/store/storetest"
	"github.com/yttrande/remiss/templates"
	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/diarium"
	"github.com/yttrande/remiss/workflow/documents"
)

// The engine's tests run the domain service on a real database.

var stockholm, _ = time.LoadLocation("Europe/Stockholm")

// clock is a settable test clock.
type clock struct{ t atomic.Pointer[time.Time] }

func newClock(day string) *clock {
	c := &clock{}
	c.set(day)
	return c
}

func (c *clock) set(day string) {
	t, err := time.ParseInLocation("2006-01-02 15:04", day+" 10:00", stockholm)
	if err != nil {
		panic(err)
	}
	c.t.Store(&t)
}

func (c *clock) Now() time.Time { return *c.t.Load() }

// advance moves the clock on by d.
func (c *clock) advance(d time.Duration) {
	t := c.Now().Add(d)
	c.t.Store(&t)
}

// env is one organisation on a fresh database, with an actor per role.
type env struct {
	t     testing.TB
	svc   *app.App
	clock *clock
	ctx   context.Context
	as    map[workflow.Role]workflow.Actor
	// meetings are a meeting of KSAU, KS and SN on the clock's first day.
	meetings map[string]int64
}

// newEnv makes the env; options add to the service's configuration, such
// as withDocuments.
func newEnv(t testing.TB, st app.Store, options ...func(*app.Config)) *env {
	t.Helper()
	c := newClock("2024-01-29")
	cfg := app.Config{Store: st, Clock: c, Location: stockholm, Calendar: calendar.NewSwedish(), Secrets: auth.NewSecret}
	for _, o := range options {
		o(&cfg)
	}
	svc, err := app.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, svc: svc, clock: c, ctx: context.Background(), as: map[workflow.Role]workflow.Actor{}}
	sys := workflow.SystemActor()
	e.must(svc.Accounts.CreateOrganization(e.ctx, sys, diarium.NewOrganization{Slug: "huddinge", Name: "Huddinge kommun"}))
	for _, r := range workflow.Roles {
		u, err := svc.Accounts.CreateUser(e.ctx, sys, "huddinge", diarium.NewUser{Email: string(r) + "@huddinge.example", Name: "Test " + string(r), Roles: []string{string(r)}})
		e.check(err)
		e.as[r] = u.Actor()
	}
	for _, b := range []workflow.NewBody{
		{Code: "KS", Name: "Kommunstyrelsen", Kind: "styrelse"}, {Code: "KSAU", Name: "Kommunstyrelsens arbetsutskott", Kind: "utskott", Parent: "KS"},
		{Code: "SN", Name: "Socialnämnden", Kind: "namnd"}, {Code: "GSN", Name: "Grundskolenämnden", Kind: "namnd"},
	} {
		e.must(svc.Diarium.CreateBody(e.ctx, sys, "huddinge", b))
	}
	next := int64(76)
	e.must(svc.Diarium.CreateSeries(e.ctx, sys, "huddinge", diarium.NewSeries{Code: "KS", Format: "KS-{YYYY}/{N}.{CLASS}", NextNumber: &next}))
	e.meetings = map[string]int64{}
	for _, code := range []string{"KSAU", "KS", "SN"} {
		m, err := svc.Meetings.CreateMeeting(e.ctx, sys, "huddinge", code, workflow.NewMeeting{Date: "2024-01-29", Time: "13:00"})
		e.check(err)
		e.meetings[code] = m.ID
	}
	return e
}

// data replaces the placeholders <KSAU>, <KS> and <SN> in sample data with
// the ids of the bodies' meetings today.
func (e *env) data(s string) string {
	for _, code := range []string{"KSAU", "KS", "SN"} {
		s = strings.ReplaceAll(s, "<"+code+">", fmt.Sprint(e.meetings[code]))
	}
	return s
}

func (e *env) check(err error) {
	e.t.Helper()
	if err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) must(_ any, err error) { e.t.Helper(); e.check(err) }

func (e *env) register(wf string) workflow.Case {
	e.t.Helper()
	c, err := e.svc.Diarium.RegisterCase(e.ctx, e.as[workflow.RoleRegistrator], "huddinge", diarium.Registration{
		Series: "KS", Classification: "109", Title: "Förändring genom försök", Workflow: wf,
		Remiss: diarium.RemissInput{Sender: "Finansdepartementet", SenderDnr: "Fi2023/04321", Reference: "SOU 2023:94", Received: "2024-01-26", Deadline: "2024-04-15"},
	})
	e.check(err)
	return c
}

// fire fires event on c as a user with role, with data given as JSON.
func (e *env) fire(c workflow.Case, role workflow.Role, event, data string) (workflow.Case, error) {
	actor := e.as[role]
	if role == "" {
		actor = workflow.SystemActor()
	}
	return e.svc.Fire(e.ctx, actor, "huddinge", c.ID, workflow.FireRequest{Event: event, Version: c.Version, Data: json.RawMessage(e.data(data))}, "")
}

func (e *env) addYttrande(c workflow.Case) {
	e.t.Helper()
	e.must(e.svc.Diarium.AddDocument(e.ctx, e.as[workflow.RoleHandlaggare], "huddinge", c.ID, workflow.NewDocument{
		Title: "Förslag till yttrande", Kind: "yttrande", Direction: "upprattad", Date: e.clock.Now().Format("2006-01-02")}))
}

func (e *env) reload(c workflow.Case) workflow.Case {
	e.t.Helper()
	got, err := e.svc.Case(e.ctx, workflow.SystemActor(), "huddinge", c.ID)
	e.check(err)
	return got
}

// sampleData is valid data for each shipped event in the scenarios below.
var sampleData = map[string]string{
	"tilldela":                `{"handlaggare":"handlaggare@huddinge.example"}`,
	"begar_yttranden":         `{"consultations":[{"body":"SN","deadline":"2024-03-14"}]}`,
	"registrera_svar":         `{"body":"SN","outcome":"yttrande","paragraph":22,"decided_on":"2024-01-29"}`,
	"anmal_till_au":           `{"meeting":<KSAU>}`,
	"anmal_till_ks":           `{"meeting":<KS>}`,
	"anmal_till_namnd":        `{"meeting":<SN>}`,
	"au_beslut":               `{"outcome":"forslag","meeting":<KSAU>,"ks_meeting":<KS>}`,
	"ks_beslut":               `{"outcome":"antaget","meeting":<KS>}`,
	"namnd_beslut":            `{"outcome":"antaget","meeting":<SN>}`,
	"justera":                 `{"date":"2024-01-29","justerare":["Anna Andersson"]}`,
	"ordforandebeslut":        `{"body":"KS","date":"2024-01-29","decided_by":"Per Ahl"}`,
	"delegationsbeslut":       `{"body":"KS","date":"2024-01-29","decided_by":"Kommundirektören"}`,
	"avsta":                   `{"body":"KS","reason":"Remissen berör inte kommunens verksamhet.","date":"2024-01-29","decided_by":"Kommundirektören"}`,
	"anmal_ordforandebeslut":  `{"meeting":<KS>}`,
	"anmal_delegationsbeslut": `{"meeting":<KS>}`,
	"begar_anstand":           `{"new_deadline":"2024-05-15"}`,
	"skicka_igen":             `{"reason":"Departementet säger att svaret inte kom fram."}`,
	"svaret_skickat":          `{"outbox":1,"message_id":"forged@example"}`,
}

// textRenderer draws a layout as its JSON: the state-machine tables need
// the documents to exist, not to look right, and a real PDF at every step
// would cost most of the package's time. The documents' own tests use the
// real renderers.
type textRenderer struct{}

func (textRenderer) Render(l documents.Layout) ([]byte, error) { return json.Marshal(l) }

func withTextDocuments(c *app.Config) {
	c.Markdown, c.PDF, c.DOCX, c.Templates = markdown.Parser{}, textRenderer{}, textRenderer{}, templates.FS
}

// routes hand-lists, for every shipped definition, which events may fire in
// which state and where each then leads with the sample data. It is written
// from the issue and the domain description, not from the definitions, so
// that a definition that drifts from them fails here.
var routes = map[string]map[string]map[string]string{
	"kommunstyrelsen": {
		"tilldela":               assigning("registrerad", "tilldelad", "intern_remiss", "beredning", "arbetsutskott", "kommunstyrelse", "justering", "expediering", "besvarad"),
		"begar_yttranden":        {"tilldelad": "intern_remiss"},
		"registrera_svar":        {"intern_remiss": "intern_remiss"},
		"sammanstall":            {"intern_remiss": "beredning"},
		"paborja_beredning":      {"tilldelad": "beredning"},
		"anmal_till_au":          {"beredning": "arbetsutskott"},
		"au_beslut":              {"arbetsutskott": "kommunstyrelse"},
		"ks_beslut":              {"kommunstyrelse": "justering"},
		"justera":                {"justering": "expediering"},
		"ordforandebeslut":       {"tilldelad": "expediering", "beredning": "expediering", "arbetsutskott": "expediering", "kommunstyrelse": "expediering"},
		"avsta":                  {"tilldelad": "expediering", "beredning": "expediering"},
		"expediera":              {"expediering": "expediering"},
		"skicka_igen":            {"expediering": "expediering", "besvarad": "besvarad"},
		"svaret_skickat":         {"expediering": "besvarad", "besvarad": "besvarad"},
		"avsluta":                {"besvarad": "avslutad"},
		"begar_anstand":          openStates("registrerad", "tilldelad", "intern_remiss", "beredning", "arbetsutskott", "kommunstyrelse", "justering", "expediering", "besvarad"),
		"anmal_ordforandebeslut": openStates("registrerad", "tilldelad", "intern_remiss", "beredning", "arbetsutskott", "kommunstyrelse", "justering", "expediering", "besvarad"),
	},
	"kommunstyrelsen-utan-au": {
		"tilldela":               assigning("registrerad", "tilldelad", "intern_remiss", "beredning", "kommunstyrelse", "justering", "expediering", "besvarad"),
		"begar_yttranden":        {"tilldelad": "intern_remiss"},
		"registrera_svar":        {"intern_remiss": "intern_remiss"},
		"sammanstall":            {"intern_remiss": "beredning"},
		"paborja_beredning":      {"tilldelad": "beredning"},
		"anmal_till_ks":          {"beredning": "kommunstyrelse"},
		"ks_beslut":              {"kommunstyrelse": "justering"},
		"justera":                {"justering": "expediering"},
		"ordforandebeslut":       {"tilldelad": "expediering", "beredning": "expediering", "kommunstyrelse": "expediering"},
		"avsta":                  {"tilldelad": "expediering", "beredning": "expediering"},
		"expediera":              {"expediering": "expediering"},
		"skicka_igen":            {"expediering": "expediering", "besvarad": "besvarad"},
		"svaret_skickat":         {"expediering": "besvarad", "besvarad": "besvarad"},
		"avsluta":                {"besvarad": "avslutad"},
		"begar_anstand":          openStates("registrerad", "tilldelad", "intern_remiss", "beredning", "kommunstyrelse", "justering", "expediering", "besvarad"),
		"anmal_ordforandebeslut": openStates("registrerad", "tilldelad", "intern_remiss", "beredning", "kommunstyrelse", "justering", "expediering", "besvarad"),
	},
	"namnd": {
		"tilldela":               assigning("registrerad", "tilldelad", "beredning", "namnd", "justering", "expediering", "besvarad"),
		"paborja_beredning":      {"tilldelad": "beredning"},
		"anmal_till_namnd":       {"beredning": "namnd"},
		"namnd_beslut":           {"namnd": "justering"},
		"justera":                {"justering": "expediering"},
		"ordforandebeslut":       {"tilldelad": "expediering", "beredning": "expediering", "namnd": "expediering"},
		"avsta":                  {"tilldelad": "expediering", "beredning": "expediering"},
		"expediera":              {"expediering": "expediering"},
		"skicka_igen":            {"expediering": "expediering", "besvarad": "besvarad"},
		"svaret_skickat":         {"expediering": "besvarad", "besvarad": "besvarad"},
		"avsluta":                {"besvarad": "avslutad"},
		"begar_anstand":          openStates("registrerad", "tilldelad", "beredning", "namnd", "justering", "expediering", "besvarad"),
		"anmal_ordforandebeslut": openStates("registrerad", "tilldelad", "beredning", "namnd", "justering", "expediering", "besvarad"),
	},
	"delegation": {
		"tilldela":                assigning("registrerad", "tilldelad", "beredning", "expediering", "besvarad"),
		"paborja_beredning":       {"tilldelad": "beredning"},
		"delegationsbeslut":       {"beredning": "expediering"},
		"avsta":                   {"tilldelad": "expediering", "beredning": "expediering"},
		"expediera":               {"expediering": "expediering"},
		"skicka_igen":             {"expediering": "expediering", "besvarad": "besvarad"},
		"svaret_skickat":          {"expediering": "besvarad", "besvarad": "besvarad"},
		"avsluta":                 {"besvarad": "avslutad"},
		"begar_anstand":           openStates("registrerad", "tilldelad", "beredning", "expediering", "besvarad"),
		"anmal_delegationsbeslut": openStates("registrerad", "tilldelad", "beredning", "expediering", "besvarad"),
	},
}

// openStates: an event that may fire in these states and keeps the state.
func openStates(states ...string) map[string]string {
	m := map[string]string{}
	for _, s := range states {
		m[s] = s
	}
	return m
}

// assigning is tilldela's row: it keeps the state, except from registrerad,
// where it moves the case to tilldelad.
func assigning(states ...string) map[string]string {
	m := openStates(states...)
	m["registrerad"] = "tilldelad"
	return m
}

// guarded says which allowed (event, state) pairs a guard refuses in the
// scenario that reaches the state, with a fragment of the refusal: these
// are as much part of the table as the allowed ones.
func guarded(def, event, state string) string {
	switch {
	case event == "sammanstall":
		return "Väntar fortfarande på svar från Socialnämnden"
	case event == "anmal_ordforandebeslut":
		return "inget ordforandebeslut att anmäla"
	case event == "anmal_delegationsbeslut" && (state == "registrerad" || state == "tilldelad" || state == "beredning"):
		return "inget delegationsbeslut att anmäla"
	case def == "delegation" && event == "avsluta":
		return "kan inte avslutas"
	case event == "skicka_igen" && state == "expediering":
		return "har inte expedierats"
	}
	return ""
}

// sample is the data for event in definition def.
func sample(def, event string) string {
	if event == "avsta" && def != "delegation" {
		return `{"reason":"Remissen berör inte kommunens verksamhet."}`
	}
	return sampleData[event]
}

// TestEveryEventOfEveryShippedDefinition fires every event in every state
// of every shipped definition: where the table allows it, it must succeed
// and lead where the table says; elsewhere it must be refused, and a user
// without one of the event's roles is always refused.
func TestEveryEventOfEveryShippedDefinition(t *testing.T) {
	defs, err := workflow.ShippedDefinitions()
	if err != nil {
		t.Fatal(err)
	}
	for _, def := range defs {
		t.Run(def.Name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, storetest.SQLite(t), withTextDocuments)
			table := routes[def.Name]
			if table == nil {
				t.Fatalf("no table for %s", def.Name)
			}
			for _, ev := range def.Events {
				if table[ev.Name] == nil {
					t.Errorf("%s: event %s is not in the table", def.Name, ev.Name)
				}
			}
			for _, st := range def.States {
				// A refused event changes nothing, so the events after it are
				// fired on the same case; one that fired needs a fresh case.
				var c *workflow.Case
				for _, ev := range def.Events {
					if c == nil {
						reached := e.reach(t, def, st.Name)
						if reached.State != st.Name {
							t.Fatalf("%s: could not reach %s (at %s)", def.Name, st.Name, reached.State)
						}
						c = &reached
					}
					if e.checkEvent(t, def, *c, ev, table[ev.Name]) {
						c = nil
					}
				}
			}
		})
	}
}

// checkEvent fires ev on c, which is in the state the table row is for,
// and reports whether it changed the case.
func (e *env) checkEvent(t *testing.T, def *workflow.Definition, c workflow.Case, ev workflow.Event, allowed map[string]string) (changed bool) {
	state := c.State
	data := sample(def.Name, ev.Name)
	if ev.System {
		for _, role := range []workflow.Role{workflow.RoleSekreterare, workflow.RoleAdmin, ""} {
			if _, err := e.fire(c, role, ev.Name, data); workflow.ErrorCode(err) != workflow.CodeForbidden {
				t.Errorf("%s %s in %s as %q: %v, want forbidden: only remiss fires it", def.Name, ev.Name, state, role, err)
			}
		}
		return false
	}
	if _, err := e.fire(c, workflow.RoleLasare, ev.Name, data); workflow.ErrorCode(err) != workflow.CodeForbidden {
		t.Errorf("%s %s in %s as läsare: %v, want forbidden", def.Name, ev.Name, state, err)
	}
	got, err := e.fire(c, ev.Roles[0], ev.Name, data)
	want, ok := allowed[state]
	switch {
	case ok && guarded(def.Name, ev.Name, state) != "":
		if reason := guarded(def.Name, ev.Name, state); err == nil || !strings.Contains(err.Error(), reason) {
			t.Errorf("%s %s in %s: %v, want refused by its guard (%s)", def.Name, ev.Name, state, err, reason)
		}
	case ok:
		if err != nil {
			t.Errorf("%s %s in %s: %v, want it to lead to %s", def.Name, ev.Name, state, err, want)
		} else if got.State != want || got.Version != c.Version+1 {
			t.Errorf("%s %s in %s: now %s version %d, want %s version %d", def.Name, ev.Name, state, got.State, got.Version, want, c.Version+1)
		}
	default:
		if workflow.ErrorCode(err) != workflow.CodeInvalid {
			t.Errorf("%s %s in %s: %v, want refused as invalid in this state", def.Name, ev.Name, state, err)
		}
	}
	return err == nil
}

// paths says how a fresh case reaches each state: events with their data,
// fired by a user with the event's first role. A draft yttrande is added
// before the events that need one.
var paths = map[string][]string{
	"registrerad":    {},
	"tilldelad":      {"tilldela"},
	"intern_remiss":  {"tilldela", "begar_yttranden"},
	"beredning":      {"tilldela", "paborja_beredning"},
	"arbetsutskott":  {"tilldela", "paborja_beredning", "anmal_till_au"},
	"kommunstyrelse": {"tilldela", "paborja_beredning", "anmal_till_au", "au_beslut"},
	"justering":      {"tilldela", "paborja_beredning", "anmal_till_au", "au_beslut", "ks_beslut"},
	"expediering":    {"tilldela", "paborja_beredning", "avsta"},
	"besvarad":       {"tilldela", "paborja_beredning", "avsta", "expediera", sent},
	"avslutad":       {"tilldela", "paborja_beredning", "avsta", "expediera", sent, "avsluta"},
	"namnd":          {"tilldela", "paborja_beredning", "anmal_till_namnd"},
}

// sent in a path stands for the mail server accepting the answer.
const sent = "(skickat)"

// sendAnswer delivers the case's outbox to a mailbox that accepts
// everything, and returns the case as the answer's sending left it.
func (e *env) sendAnswer(c workflow.Case) workflow.Case {
	e.t.Helper()
	e.deliver(&mailbox{})
	return e.reload(c)
}

// reach registers a case on def and drives it to state.
func (e *env) reach(t *testing.T, def *workflow.Definition, state string) workflow.Case {
	t.Helper()
	c := e.register(def.Name)
	steps := paths[state]
	switch {
	case def.Name == "kommunstyrelsen-utan-au" && state == "kommunstyrelse":
		steps = []string{"tilldela", "paborja_beredning", "anmal_till_ks"}
	case def.Name == "kommunstyrelsen-utan-au" && state == "justering":
		steps = []string{"tilldela", "paborja_beredning", "anmal_till_ks", "ks_beslut"}
	case def.Name == "namnd" && state == "justering":
		steps = []string{"tilldela", "paborja_beredning", "anmal_till_namnd", "namnd_beslut"}
	case def.Name == "delegation" && state == "avslutad":
		steps = []string{"tilldela", "paborja_beredning", "avsta", "expediera", sent, "anmal_delegationsbeslut", "avsluta"}
	}
	e.addYttrande(c)
	for _, name := range steps {
		if name == sent {
			c = e.sendAnswer(c)
			continue
		}
		ev, _ := def.Event(name)
		var err error
		if c, err = e.fire(c, ev.Roles[0], name, sample(def.Name, name)); err != nil {
			t.Fatalf("%s: reaching %s, %s: %v", def.Name, state, name, err)
		}
	}
	return c
}

// TestConcurrentFiresOneWins: 32 fires of one event on one case at the
// same version: exactly one succeeds, the others are told the case changed,
// and the history gains exactly one row.
func TestConcurrentFiresOneWins(t *testing.T) {
	slow(t)
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, b.Open(t))
			c := e.register("")
			before, err := e.svc.History(e.ctx, workflow.SystemActor(), "huddinge", c.ID)
			e.check(err)
			const n = 32
			errs := make([]error, n)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range n {
				wg.Go(func() {
					<-start
					_, errs[i] = e.fire(c, workflow.RoleRegistrator, "tilldela", sampleData["tilldela"])
				})
			}
			close(start)
			wg.Wait()
			won, conflicts := 0, 0
			for _, err := range errs {
				switch workflow.ErrorCode(err) {
				case "":
					won++
				case workflow.CodeConflict:
					conflicts++
				default:
					t.Errorf("unexpected error: %v", err)
				}
			}
			after, err := e.svc.History(e.ctx, workflow.SystemActor(), "huddinge", c.ID)
			e.check(err)
			if won != 1 || conflicts != n-1 || len(after) != len(before)+1 {
				t.Errorf("%d won, %d conflicts, history %d → %d rows; want 1, %d, +1", won, conflicts, len(before), len(after), n-1)
			}
			if err := workflow.VerifyHistory(c.Dnr, after); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestIdempotencyKeyReturnsTheFirstAnswer(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, b.Open(t))
			c := e.register("")
			req := workflow.FireRequest{Event: "tilldela", Version: c.Version, Data: json.RawMessage(sampleData["tilldela"])}
			actor := e.as[workflow.RoleRegistrator]
			first, err := e.svc.Fire(e.ctx, actor, "huddinge", c.ID, req, "retry-7f3a")
			e.check(err)
			again, err := e.svc.Fire(e.ctx, actor, "huddinge", c.ID, req, "retry-7f3a")
			e.check(err)
			a, _ := json.Marshal(first)
			b, _ := json.Marshal(again)
			if string(a) != string(b) {
				t.Errorf("the retry answered differently:\n%s\n%s", a, b)
			}
			h, err := e.svc.History(e.ctx, actor, "huddinge", c.ID)
			e.check(err)
			if len(h) != 2 {
				t.Errorf("history has %d rows after a retried fire, want 2", len(h))
			}
			other := req
			other.Data = json.RawMessage(`{"handlaggare":"admin@huddinge.example"}`)
			if _, err := e.svc.Fire(e.ctx, actor, "huddinge", c.ID, other, "retry-7f3a"); workflow.ErrorCode(err) != workflow.CodeConflict {
				t.Errorf("the key reused for another request: %v, want conflict", err)
			}
			if _, err := e.svc.Fire(e.ctx, actor, "huddinge", c.ID, req, "bad key"); workflow.ErrorCode(err) != workflow.CodeInvalid {
				t.Errorf("a key with a space: %v", err)
			}
		})
	}
}

// TestFireAnswerIsWhatIsStored: the case the engine answers with, computed
// before the commit, is the case read back afterwards.
func TestFireAnswerIsWhatIsStored(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	c := e.register("")
	c, err := e.fire(c, workflow.RoleRegistrator, "tilldela", sampleData["tilldela"])
	e.check(err)
	c, err = e.fire(c, workflow.RoleHandlaggare, "begar_yttranden", `{"consultations":[{"body":"SN","deadline":"2024-03-14"},{"body":"GSN","deadline":"2024-03-14"}]}`)
	e.check(err)
	stored, err := e.svc.Case(e.ctx, e.as[workflow.RoleHandlaggare], "huddinge", c.ID) // as the one who fired
	e.check(err)
	c.UpdatedAt, stored.UpdatedAt = time.Time{}, time.Time{}
	a, _ := json.Marshal(c)
	b, _ := json.Marshal(stored)
	if string(a) != string(b) {
		t.Errorf("answer and stored case differ:\n%s\n%s", a, b)
	}
}

func TestEventDataIsValidated(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	c := e.register("")
	for _, tc := range []struct {
		event, data, field string
	}{
		{"tilldela", `{}`, "data.handlaggare"},
		{"tilldela", `{"handlaggare":"ingen@huddinge.example"}`, "data.handlaggare"},
		{"tilldela", `{"handlaggare":"lasare@huddinge.example"}`, "data.handlaggare"},
		{"tilldela", `{"handlaggare":"handlaggare@huddinge.example","extra":1}`, "data.extra"},
		{"tilldela", `[1,2]`, "data"},
		{"begar_anstand", `{"new_deadline":"2024-04-01"}`, "data.new_deadline"},
		{"begar_anstand", `{"new_deadline":"15 maj"}`, "data.new_deadline"},
		{"ingen_sadan", `{}`, "event"},
	} {
		_, err := e.fire(c, workflow.RoleSekreterare, tc.event, tc.data)
		we, ok := err.(*workflow.Error)
		if !ok || we.Code != workflow.CodeInvalid || len(we.Fields) == 0 || we.Fields[0].Field != tc.field {
			t.Errorf("%s %s: %v, want invalid at %s", tc.event, tc.data, err, tc.field)
		}
	}
	c, err := e.fire(c, workflow.RoleRegistrator, "tilldela", sampleData["tilldela"])
	e.check(err)
	for _, tc := range []struct{ data, field string }{
		{`{"consultations":[]}`, "data.consultations"},
		{`{"consultations":[{"body":"KS","deadline":"2024-03-14"}]}`, "data.consultations[0].body"},
		{`{"consultations":[{"body":"SN","deadline":"2024-05-14"}]}`, "data.consultations[0].deadline"},
		{`{"consultations":[{"body":"SN","deadline":"2024-01-01"}]}`, "data.consultations[0].deadline"},
		{`{"consultations":[{"body":"SN","deadline":"2024-03-14"},{"body":"SN","deadline":"2024-03-14"}]}`, "data.consultations[1].body"},
		{`{"consultations":[{"body":"XX","deadline":"2024-03-14"}]}`, "data.consultations[0].body"},
	} {
		_, err := e.fire(c, workflow.RoleHandlaggare, "begar_yttranden", tc.data)
		we, ok := err.(*workflow.Error)
		if !ok || len(we.Fields) == 0 || we.Fields[0].Field != tc.field {
			t.Errorf("begar_yttranden %s: %v, want invalid at %s", tc.data, err, tc.field)
		}
	}
	if got := e.reload(c); got.Version != c.Version || len(got.Consultations) != 0 {
		t.Errorf("refused events changed the case: %+v", got)
	}
}

func TestStaleVersionSaysWhoChangedTheCase(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	c := e.register("")
	if _, err := e.fire(c, workflow.RoleRegistrator, "tilldela", sampleData["tilldela"]); err != nil {
		t.Fatal(err)
	}
	_, err := e.fire(c, workflow.RoleHandlaggare, "begar_anstand", sampleData["begar_anstand"])
	if workflow.ErrorCode(err) != workflow.CodeConflict || !strings.Contains(err.Error(), "Test registrator") || !strings.Contains(err.Error(), "tilldela") {
		t.Errorf("stale version: %v", err)
	}
}

func TestAvailableEventsFollowStateRoleAndGuards(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	c := e.register("")
	names := func(role workflow.Role) string {
		got, err := e.svc.Case(e.ctx, e.as[role], "huddinge", c.ID)
		e.check(err)
		var n []string
		for _, ev := range got.AvailableEvents {
			n = append(n, ev.Name)
		}
		return strings.Join(n, " ")
	}
	if got := names(workflow.RoleRegistrator); got != "tilldela begar_anstand" {
		t.Errorf("registrator on a registered case: %q", got)
	}
	if got := names(workflow.RoleLasare); got != "" {
		t.Errorf("läsare: %q", got)
	}
	c, _ = e.fire(c, workflow.RoleRegistrator, "tilldela", sampleData["tilldela"])
	c, _ = e.fire(c, workflow.RoleHandlaggare, "paborja_beredning", "")
	if got := names(workflow.RoleHandlaggare); strings.Contains(got, "anmal_till_au") {
		t.Errorf("anmal_till_au offered without a draft: %q", got)
	}
	e.addYttrande(c)
	if got := names(workflow.RoleHandlaggare); !strings.Contains(got, "anmal_till_au") {
		t.Errorf("anmal_till_au not offered with a draft: %q", got)
	}
}
