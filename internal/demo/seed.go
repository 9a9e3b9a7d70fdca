// Package demo fills an empty database with a municipality to try remiss
// on, and keeps the Clock its users move: Huddinge kommun with its
// kommunstyrelse, arbetsutskott and three nämnder, their sammanträdesplan
// for autumn 2023 and spring 2024, invented people in every role, and
// three remisser: SOU 2023:94 as it arrived on 29 January 2024 (the public
// documents' case, KS-2024/76.109), one on the arbetsutskott's next
// agenda and one answered in November 2023 with its documents made and
// its mail written. Everything is done through the domain service, as
// the people would do it, on the days they would do it.
package demo

import (
	"bytes"
	"context"
	"crypto/rand"
	"embed"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	"github.com/yttrande/remiss/internal/app"
	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/diarium"
	"github.com/yttrande/remiss/workflow/documents"
	"github.com/yttrande/remiss/workflow/meetings"
	"github.com/yttrande/remiss/workflow/sending"
)

// Seeded is what Seed made, for Print and for tests.
type Seeded struct {
	Org workflow.Organization
	// Password is every demo user's password, made for this run.
	Password string
	Users    []User
	// Cases are the three remisser, the one to play through first.
	Cases []Case
}

// User is a demo user with the API token made for them.
type User struct {
	Name, Email string
	Role        workflow.Role
	Does        string // what they do in the demo, in Swedish
	Token       string
}

// Case is a seeded remiss and where it stands.
type Case struct {
	workflow.Case
	Note string // in Swedish
}

// Begins is a moment before the seeding's first step, on 31 August 2023:
// the Clock that Seed moves starts there.
var Begins = time.Date(2023, 8, 31, 0, 0, 0, 0, time.UTC)

// Slug is the demo organisation's short name.
const Slug = "huddinge"

// people are the demo's users: invented names in Huddinge's roles.
var people = []User{
	{Name: "Karin Lind", Email: "karin.lind@huddinge.example", Role: workflow.RoleRegistrator, Does: "registrerar remisser och handlingar, tilldelar handläggare, expedierar"},
	{Name: "Johan Ek", Email: "johan.ek@huddinge.example", Role: workflow.RoleHandlaggare, Does: "begär nämndernas yttranden, skriver yttrandet, anmäler till arbetsutskottet"},
	{Name: "Fatima Rahimi", Email: "fatima.rahimi@huddinge.example", Role: workflow.RoleHandlaggare, Does: "handläggare som Johan Ek, med egna ärenden"},
	{Name: "Sara Holm", Email: "sara.holm@huddinge.example", Role: workflow.RoleSekreterare, Does: "beslut i arbetsutskottet och kommunstyrelsen, justering, expediering"},
	{Name: "Per Ahl", Email: "per.ahl@huddinge.example", Role: workflow.RoleOrdforande, Does: "ordförandebeslut; läser och kommenterar utkast"},
	{Name: "Lena Strand", Email: "lena.strand@huddinge.example", Role: workflow.RoleLedamot, Does: "läser ärendena och kommenterar utkast"},
	{Name: "Omar Nilsson", Email: "omar.nilsson@huddinge.example", Role: workflow.RoleLasare, Does: "läser ärendena"},
	{Name: "Alva Berg", Email: "alva.berg@huddinge.example", Role: workflow.RoleAdmin, Does: "administrerar användare, organ, nummerserier och arbetsflöden"},
}

var bodies = []workflow.NewBody{
	{Code: "KS", Name: "Kommunstyrelsen", Kind: "styrelse"},
	{Code: "KSAU", Name: "Kommunstyrelsens arbetsutskott", Kind: "utskott", Parent: "KS"},
	{Code: "SN", Name: "Socialnämnden", Kind: "namnd"},
	{Code: "GSN", Name: "Grundskolenämnden", Kind: "namnd"},
	{Code: "KFN", Name: "Kultur- och fritidsnämnden", Kind: "namnd"},
}

// members are invented politicians; KSAU's members sit on KS too.
var members = map[string][]workflow.NewMember{
	"KS": {
		{Name: "Eva Lund", Role: "ordforande", Party: "M"}, {Name: "Ali Berg", Role: "vice_ordforande", Party: "S"},
		{Name: "Maria Sjö", Role: "ledamot", Party: "L"}, {Name: "Jonas Falk", Role: "ledamot", Party: "SD"},
		{Name: "Hanna Ström", Role: "ledamot", Party: "V"}, {Name: "Erik Dahl", Role: "ersattare", Party: "KD"},
	},
	"KSAU": {
		{Name: "Eva Lund", Role: "ordforande", Party: "M"}, {Name: "Ali Berg", Role: "vice_ordforande", Party: "S"},
		{Name: "Maria Sjö", Role: "ledamot", Party: "L"}, {Name: "Jonas Falk", Role: "ersattare", Party: "SD"},
	},
	"SN": {
		{Name: "Sofia Ek", Role: "ordforande", Party: "KD"}, {Name: "Nils Öberg", Role: "vice_ordforande", Party: "S"},
		{Name: "Amir Haddad", Role: "ledamot", Party: "C"},
	},
}

// plans holds each body's sammanträdesplan, one CSV per body code, in the
// form a secretary exports from a spreadsheet.
//
//go:embed data/*.csv
var plans embed.FS

// seeder does the seeding: the service, the clock it moves from day to
// day, and the people as actors.
type seeder struct {
	svc    *app.App
	clock  *Clock
	loc    *time.Location
	mail   sending.Mailer
	actors map[string]workflow.Actor // by first name
	meet   map[string]int64          // meeting ids by "KSAU 2023-11-08"
	out    Seeded
}

// Seed fills an empty database through svc, whose clock must be clock,
// moving it through autumn 2023 to the morning of 29 January 2024, where
// the demo begins. The mail the seeded cases sent goes through mail (the
// demo's mail folder: none of it leaves the machine).
func Seed(ctx context.Context, svc *app.App, clock *Clock, mail sending.Mailer) (Seeded, error) {
	s := &seeder{svc: svc, clock: clock, loc: svc.Location(), mail: mail, actors: map[string]workflow.Actor{}, meet: map[string]int64{}}
	steps := []func(context.Context) error{s.municipality, s.answeredCase, s.caseAtTheAU, s.arrivingCase}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return s.out, err
		}
	}
	// What the earlier cases sent is history: it goes into the mail
	// folder now, not through the relay when the demo starts.
	_, err := svc.Sending.DeliverOutbox(ctx, mail)
	return s.out, err
}

// at moves the clock to day at hh:mm in the municipality's time zone.
func (s *seeder) at(day, hhmm string) error {
	t, err := time.ParseInLocation("2006-01-02 15:04", day+" "+hhmm, s.loc)
	if err != nil {
		return err
	}
	return s.clock.MoveTo(t)
}

// municipality sets Huddinge up on 1 September 2023: the organisation,
// its bodies and their plans and members, the KS series and the people.
func (s *seeder) municipality(ctx context.Context) error {
	if err := s.at("2023-09-01", "09:00"); err != nil {
		return err
	}
	sys := workflow.SystemActor()
	var err error
	if s.out.Org, err = s.svc.Accounts.CreateOrganization(ctx, sys, diarium.NewOrganization{Slug: Slug, Name: "Huddinge kommun"}); err != nil {
		return err
	}
	if _, err := s.svc.Accounts.UpdateOrganization(ctx, sys, Slug, workflow.OrganizationSettings{
		Documents: []byte(`{"address":["141 85 Huddinge"],"contact":["huddinge.se"]}`)}); err != nil {
		return err
	}
	for _, b := range bodies {
		if err := s.body(ctx, sys, b); err != nil {
			return err
		}
	}
	next := int64(398) // the series continues from the municipality's previous diarium
	if _, err := s.svc.Diarium.CreateSeries(ctx, sys, Slug, diarium.NewSeries{Code: "KS", Format: "KS-{YYYY}/{N}.{CLASS}", NextNumber: &next}); err != nil {
		return err
	}
	return s.users(ctx, sys)
}

// body creates b with its sammanträdesplan and its members.
func (s *seeder) body(ctx context.Context, sys workflow.Actor, b workflow.NewBody) error {
	if _, err := s.svc.Diarium.CreateBody(ctx, sys, Slug, b); err != nil {
		return err
	}
	plan, err := plans.ReadFile("data/" + b.Code + ".csv")
	if err != nil {
		return err
	}
	rows, err := meetings.ParseMeetingsCSV(bytes.NewReader(plan))
	if err != nil {
		return err
	}
	res, err := s.svc.Meetings.ImportMeetings(ctx, sys, Slug, b.Code, "sammanträdesplan 2023–2024", rows)
	if err != nil {
		return err
	}
	for _, m := range res.Created {
		s.meet[m.Label()] = m.ID
	}
	for _, m := range members[b.Code] {
		if _, err := s.svc.Meetings.AddMember(ctx, sys, Slug, b.Code, m); err != nil {
			return err
		}
	}
	return nil
}

// users adds the people, with one password made for this run (nothing to
// leak from the repository) and an API token each.
func (s *seeder) users(ctx context.Context, sys workflow.Actor) error {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return err
	}
	s.out.Password = "demo-" + base64.RawURLEncoding.EncodeToString(b)
	for _, p := range people {
		u, err := s.svc.Accounts.CreateUser(ctx, sys, Slug, diarium.NewUser{Email: p.Email, Name: p.Name, Roles: []string{string(p.Role)}})
		if err != nil {
			return err
		}
		if err := s.svc.Accounts.SetPassword(ctx, sys, Slug, p.Email, s.out.Password); err != nil {
			return err
		}
		t, err := s.svc.Accounts.IssueToken(ctx, sys, Slug, workflow.NewToken{UserEmail: p.Email, Name: "demo"})
		if err != nil {
			return err
		}
		p.Token = t.Secret
		s.out.Users = append(s.out.Users, p)
		s.actors[firstName(p.Name)] = u.Actor()
	}
	return nil
}

func firstName(name string) string {
	for i, r := range name {
		if r == ' ' {
			return name[:i]
		}
	}
	return name
}

// register registers a remiss as Karin, the registrator.
func (s *seeder) register(ctx context.Context, r diarium.Registration) (workflow.Case, error) {
	r.Series, r.Classification = "KS", "109"
	return s.svc.Diarium.RegisterCase(ctx, s.actors["Karin"], Slug, r)
}

// fire fires event on c as who, with data marshalled to JSON, and
// returns the case after it.
func (s *seeder) fire(ctx context.Context, who string, c workflow.Case, event string, data any) (workflow.Case, error) {
	var raw json.RawMessage
	if data != nil {
		b, err := json.Marshal(data)
		if err != nil {
			return c, err
		}
		raw = b
	}
	out, err := s.svc.Fire(ctx, s.actors[who], Slug, c.ID, workflow.FireRequest{Event: event, Version: c.Version, Data: raw}, "")
	if err != nil {
		return c, fmt.Errorf("%s %s: %w", c.Dnr, event, err)
	}
	return out, nil
}

// meeting is the id of a body's meeting on day, from the imported plan.
func (s *seeder) meeting(body, day string) int64 { return s.meet[body+" "+day] }

// draft saves text as who's first version of a draft of c.
func (s *seeder) draft(ctx context.Context, who string, c workflow.Case, kind documents.DraftKind, text string) error {
	zero := 0
	_, err := s.svc.Docs.SaveDraft(ctx, s.actors[who], Slug, c.ID, kind, documents.DraftSave{Text: text, BaseVersion: &zero})
	return err
}

// reload reads c again, after what the engine did on its own (sending).
func (s *seeder) reload(ctx context.Context, c workflow.Case) (workflow.Case, error) {
	return s.svc.Case(ctx, workflow.SystemActor(), Slug, c.ID)
}
