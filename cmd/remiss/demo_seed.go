package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"embed"
	"encoding/base64"
	"time"

	"github.com/yttrande/remiss/internal/config"
	"github.com/yttrande/remiss/internal/store"
	"github.com/yttrande/remiss/workflow"
)

// demoSeed is what seedDemo made and printDemo shows.
type demoSeed struct {
	org    workflow.Organization
	remiss workflow.Case
	tokens []demoToken
	// password is every demo user's password in the web application.
	password string
}

type demoToken struct {
	role, email, secret string
}

// The demo's people are invented; the municipality, its bodies and the
// remiss are those of the public documents in the test fixtures.
var demoUsers = []struct {
	email, name string
	role        workflow.Role
	token       bool
}{
	{"alva.berg@huddinge.example", "Alva Berg", workflow.RoleAdmin, true},
	{"karin.lind@huddinge.example", "Karin Lind", workflow.RoleRegistrator, true},
	{"johan.ek@huddinge.example", "Johan Ek", workflow.RoleHandlaggare, true},
	{"sara.holm@huddinge.example", "Sara Holm", workflow.RoleSekreterare, false},
	{"per.ahl@huddinge.example", "Per Ahl", workflow.RoleOrdforande, false},
	{"lena.strand@huddinge.example", "Lena Strand", workflow.RoleLedamot, false},
	{"omar.nilsson@huddinge.example", "Omar Nilsson", workflow.RoleLasare, true},
}

var demoBodies = []workflow.NewBody{
	{Code: "KS", Name: "Kommunstyrelsen", Kind: "styrelse"},
	{Code: "KSAU", Name: "Kommunstyrelsens arbetsutskott", Kind: "utskott", Parent: "KS"},
	{Code: "SN", Name: "Socialnämnden", Kind: "namnd"},
	{Code: "GSN", Name: "Grundskolenämnden", Kind: "namnd"},
	{Code: "KFN", Name: "Kultur- och fritidsnämnden", Kind: "namnd"},
}

// seedDemo fills an empty database through the domain service, as the
// system administrator, on the day the real remiss was registered.
func seedDemo(ctx context.Context, cfg config.Config, st *store.Store) (demoSeed, error) {
	loc, err := cfg.Location()
	if err != nil {
		return demoSeed{}, err
	}
	svc, err := newService(cfg, st, demoClock{time.Date(2024, 1, 29, 10, 12, 0, 0, loc)})
	if err != nil {
		return demoSeed{}, err
	}
	sys := workflow.SystemActor()
	var seed demoSeed
	if seed.org, err = svc.CreateOrganization(ctx, sys, workflow.NewOrganization{Slug: "huddinge", Name: "Huddinge kommun"}); err != nil {
		return seed, err
	}
	if err := seedBodiesAndSeries(ctx, svc, sys); err != nil {
		return seed, err
	}
	if err := seedMeetings(ctx, svc, sys); err != nil {
		return seed, err
	}
	registrator, err := seedUsers(ctx, svc, &seed)
	if err != nil {
		return seed, err
	}
	seed.remiss, err = svc.RegisterCase(ctx, registrator, "huddinge", workflow.Registration{
		Series: "KS", Classification: "109",
		Title: "Förändring genom försök – försöksverksamhet i den kommunala sektorn",
		Remiss: workflow.RemissInput{
			Sender: "Finansdepartementet", SenderDnr: "Fi2023/04321", Reference: "SOU 2023:94",
			Received: "2024-01-26", Deadline: "2024-04-15", ReplyTo: "fi.remissvar@regeringskansliet.se",
		},
	})
	if err != nil {
		return seed, err
	}
	// The registrator assigns the remiss to its handläggare the same morning.
	seed.remiss, err = svc.Fire(ctx, registrator, "huddinge", seed.remiss.ID, workflow.FireRequest{
		Event: "tilldela", Version: seed.remiss.Version, Data: []byte(`{"handlaggare":"johan.ek@huddinge.example"}`),
	}, "")
	if err != nil {
		return seed, err
	}
	return seed, seedDraft(ctx, svc, seed.remiss.ID)
}

// demoDraft is the handläggare's first draft of the yttrande (invented
// text on the real remiss).
const demoDraft = `Huddinge kommun har beretts tillfälle att yttra sig över betänkandet och lämnar följande synpunkter.

# Sammanfattning

Huddinge kommun är **positiv** till att försöksverksamhet underlättas i den kommunala sektorn. Försök ger kommunerna möjlighet att pröva nya arbetssätt i liten skala innan de införs brett.

# Synpunkter

## Permanent verksamhet för att främja försök

Kommunen tillstyrker förslaget om en permanent funktion som stödjer kommuner och regioner som vill bedriva försök. Det är viktigt att

1. funktionen får tillräckliga resurser,
2. erfarenheterna från försöken sprids till alla kommuner,
3. försöken utvärderas av en oberoende part.

## Försök för att motverka välfärdsbrottslighet

Kommunen delar utredningens bedömning att informationsutbytet mellan myndigheter och kommuner behöver förbättras.

| Förslag | Kommunens ställningstagande |
|---|---|
| Permanent främjande verksamhet | Tillstyrker |
| Försök mot välfärdsbrottslighet | Tillstyrker |
`

// seedDraft writes the yttrande's first draft as the handläggare, and the
// letterhead's address.
func seedDraft(ctx context.Context, svc *workflow.Service, caseID int64) error {
	sys := workflow.SystemActor()
	if _, err := svc.UpdateOrganization(ctx, sys, "huddinge", workflow.OrganizationSettings{
		Documents: []byte(`{"address":["141 85 Huddinge"],"contact":["huddinge.se"]}`)}); err != nil {
		return err
	}
	users, err := svc.Users(ctx, sys, "huddinge")
	if err != nil {
		return err
	}
	for _, u := range users {
		if u.Email == "johan.ek@huddinge.example" {
			zero := 0
			_, err := svc.SaveDraft(ctx, u.Actor(), "huddinge", caseID, workflow.DraftYttrande, workflow.DraftSave{Text: demoDraft, BaseVersion: &zero})
			return err
		}
	}
	return nil
}

func seedBodiesAndSeries(ctx context.Context, svc *workflow.Service, sys workflow.Actor) error {
	for _, b := range demoBodies {
		if _, err := svc.CreateBody(ctx, sys, "huddinge", b); err != nil {
			return err
		}
	}
	next := int64(76) // continues the series from the municipality's previous diarium
	_, err := svc.CreateSeries(ctx, sys, "huddinge", workflow.NewSeries{Code: "KS", Format: "KS-{YYYY}/{N}.{CLASS}", NextNumber: &next})
	return err
}

// demoPlans holds each body's sammanträdesplan for 2024, one CSV per body
// code, in the form a secretary exports from a spreadsheet.
//
//go:embed demodata/*.csv
var demoPlans embed.FS

// demoMembers are invented politicians; KSAU's members sit on KS too.
var demoMembers = map[string][]workflow.NewMember{
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

// seedMeetings imports the bodies' meeting plans and adds their members,
// so that a remiss can be taken through KSAU and KS in the demo.
func seedMeetings(ctx context.Context, svc *workflow.Service, sys workflow.Actor) error {
	for _, b := range demoBodies {
		plan, err := demoPlans.ReadFile("demodata/" + b.Code + ".csv")
		if err != nil {
			return err
		}
		rows, err := workflow.ParseMeetingsCSV(bytes.NewReader(plan))
		if err != nil {
			return err
		}
		if _, err := svc.ImportMeetings(ctx, sys, "huddinge", b.Code, "sammanträdesplan 2024", rows); err != nil {
			return err
		}
		for _, m := range demoMembers[b.Code] {
			if _, err := svc.AddMember(ctx, sys, "huddinge", b.Code, m); err != nil {
				return err
			}
		}
	}
	return nil
}

// seedUsers adds the demo users with tokens for some and returns the
// registrator, who registers the remiss.
func seedUsers(ctx context.Context, svc *workflow.Service, seed *demoSeed) (workflow.Actor, error) {
	var registrator workflow.Actor
	// One password for the demo's users, made for this run: nothing to
	// leak from the repository.
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return registrator, err
	}
	seed.password = "demo-" + base64.RawURLEncoding.EncodeToString(b)
	for _, du := range demoUsers {
		u, err := svc.CreateUser(ctx, workflow.SystemActor(), "huddinge", workflow.NewUser{Email: du.email, Name: du.name, Roles: []string{string(du.role)}})
		if err != nil {
			return registrator, err
		}
		if du.role == workflow.RoleRegistrator {
			registrator = u.Actor()
		}
		if err := svc.SetPassword(ctx, workflow.SystemActor(), "huddinge", du.email, seed.password); err != nil {
			return registrator, err
		}
		if !du.token {
			continue
		}
		t, err := svc.IssueToken(ctx, workflow.SystemActor(), "huddinge", workflow.NewToken{UserEmail: du.email, Name: "demo"})
		if err != nil {
			return registrator, err
		}
		seed.tokens = append(seed.tokens, demoToken{role: string(du.role), email: du.email, secret: t.Secret})
	}
	return registrator, nil
}
