package demo

import (
	"context"
	"fmt"

	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/diarium"
	"github.com/yttrande/remiss/workflow/documents"
)

// The two earlier remisser and their texts are invented; the third is
// SOU 2023:94 as Huddinge registered it (the public documents of the
// test fixtures).

// answeredCase is a promemoria from Försvarsdepartementet, registered on
// 5 September 2023, prepared with Socialnämnden's views, proposed by
// KSAU on 8 November, decided by KS on 20 November, justerad on
// 23 November and sent the day after: besvarad, with its yttrande, its
// protokollsutdrag and its e-mail in the mail folder.
func (s *seeder) answeredCase(ctx context.Context) error {
	if err := s.at("2023-09-05", "09:40"); err != nil {
		return err
	}
	c, err := s.register(ctx, diarium.Registration{
		Title: "Ett samlat ansvar för kommunernas krisberedskap",
		Remiss: diarium.RemissInput{Sender: "Försvarsdepartementet", SenderDnr: "Fö2023/01268",
			Received: "2023-09-04", Deadline: "2023-12-15", ReplyTo: "fo.remissvar@regeringskansliet.se"},
	})
	if err != nil {
		return err
	}
	steps := []step{
		{"2023-09-05", "10:05", "Karin", "tilldela", map[string]any{"handlaggare": "johan.ek@huddinge.example"}},
		{"2023-09-06", "14:20", "Johan", "begar_yttranden", map[string]any{"consultations": []map[string]any{{"body": "SN", "deadline": "2023-10-20"}}}},
	}
	if c, err = s.play(ctx, c, steps); err != nil {
		return err
	}
	if c, err = s.answerFromSN(ctx, c); err != nil {
		return err
	}
	if err := s.draft(ctx, "Johan", c, documents.DraftYttrande, answeredYttrande); err != nil {
		return err
	}
	if err := s.draft(ctx, "Johan", c, documents.DraftTjansteutlatande, answeredTjansteutlatande); err != nil {
		return err
	}
	steps = []step{
		{"2023-10-19", "15:00", "Johan", "sammanstall", nil},
		{"2023-10-19", "15:05", "Johan", "anmal_till_au", map[string]any{"meeting": s.meeting("KSAU", "2023-11-08")}},
		{"2023-11-08", "11:10", "Sara", "au_beslut", map[string]any{"outcome": "forslag", "meeting": s.meeting("KSAU", "2023-11-08"),
			"ks_meeting": s.meeting("KS", "2023-11-20"), "forslag": "Kommunstyrelsen antar förvaltningens förslag till yttrande."}},
		{"2023-11-20", "15:30", "Sara", "ks_beslut", map[string]any{"outcome": "antaget", "meeting": s.meeting("KS", "2023-11-20"),
			"justerare": []string{"Maria Sjö"}}},
		{"2023-11-23", "10:00", "Sara", "justera", map[string]any{"date": "2023-11-23", "justerare": []string{"Maria Sjö"}}},
		{"2023-11-24", "09:15", "Karin", "expediera", nil},
	}
	if c, err = s.play(ctx, c, steps); err != nil {
		return err
	}
	// The job runner's round, that morning: the answer leaves for the
	// ministry (into the mail folder) and the case becomes besvarad.
	if _, err := s.svc.Sending.DeliverOutbox(ctx, s.mail); err != nil {
		return err
	}
	if c, err = s.reload(ctx, c); err != nil {
		return err
	}
	s.out.Cases = append(s.out.Cases, Case{Case: c, Note: "besvarad 24 november 2023: yttrandet, protokollsutdraget och e-posten finns"})
	return nil
}

// answerFromSN registers Socialnämnden's protokollsutdrag of 17 October
// as it arrives, and its answer.
func (s *seeder) answerFromSN(ctx context.Context, c workflow.Case) (workflow.Case, error) {
	if err := s.at("2023-10-18", "08:45"); err != nil {
		return c, err
	}
	doc, err := s.svc.Diarium.AddDocument(ctx, s.actors["Karin"], Slug, c.ID, workflow.NewDocument{
		Title: "Protokollsutdrag Socialnämnden 2023-10-17 § 87", Kind: "protokollsutdrag", Direction: "inkommande",
		Date: "2023-10-18", Counterpart: "Socialnämnden"})
	if err != nil {
		return c, err
	}
	return s.fire(ctx, "Karin", c, "registrera_svar", map[string]any{"body": "SN", "outcome": "yttrande",
		"meeting": s.meeting("SN", "2023-10-17"), "paragraph": 87, "decided_on": "2023-10-17", "handling": doc.Number})
}

// caseAtTheAU is a promemoria from Kulturdepartementet, registered on
// 19 December 2023 and prepared by Fatima Rahimi without intern remiss:
// on 29 January it waits on the agenda of KSAU's meeting of 7 February.
func (s *seeder) caseAtTheAU(ctx context.Context) error {
	if err := s.at("2023-12-19", "10:30"); err != nil {
		return err
	}
	c, err := s.register(ctx, diarium.Registration{
		Title: "Ett stärkt skydd för kulturmiljön i den fysiska planeringen",
		Remiss: diarium.RemissInput{Sender: "Kulturdepartementet", SenderDnr: "Ku2023/01867",
			Received: "2023-12-18", Deadline: "2024-03-15", ReplyTo: "ku.remissvar@regeringskansliet.se"},
	})
	if err != nil {
		return err
	}
	if c, err = s.play(ctx, c, []step{
		{"2023-12-19", "10:45", "Karin", "tilldela", map[string]any{"handlaggare": "fatima.rahimi@huddinge.example"}},
		{"2024-01-08", "09:00", "Fatima", "paborja_beredning", nil},
	}); err != nil {
		return err
	}
	if err := s.draft(ctx, "Fatima", c, documents.DraftYttrande, auYttrande); err != nil {
		return err
	}
	if c, err = s.play(ctx, c, []step{
		{"2024-01-22", "13:30", "Fatima", "anmal_till_au", map[string]any{"meeting": s.meeting("KSAU", "2024-02-07")}},
	}); err != nil {
		return err
	}
	s.out.Cases = append(s.out.Cases, Case{Case: c, Note: "på arbetsutskottets dagordning 7 februari 2024"})
	return nil
}

// arrivingCase is the remiss of SOU 2023:94, received on Friday 26
// January 2024 and registered on Monday morning as KS-2024/76.109: the
// numbers of 2024 before it were taken in the municipality's main
// diarium, so the KS series continues from 76. The demo begins here,
// with the case waiting for its handläggare.
func (s *seeder) arrivingCase(ctx context.Context) error {
	if err := s.at("2024-01-29", "10:05"); err != nil {
		return err
	}
	next := int64(76)
	if _, err := s.svc.Diarium.ContinueSeries(ctx, s.actors["Alva"], Slug, "KS", diarium.SeriesContinuation{NextNumber: &next}); err != nil {
		return err
	}
	if err := s.at("2024-01-29", "10:12"); err != nil {
		return err
	}
	c, err := s.register(ctx, diarium.Registration{
		Title: "Förändring genom försöksverksamhet i den kommunala sektorn",
		Remiss: diarium.RemissInput{Sender: "Finansdepartementet", SenderDnr: "Fi2023/04321", Reference: "SOU 2023:94",
			Received: "2024-01-26", Deadline: "2024-04-15", ReplyTo: "fi.remissvar@regeringskansliet.se"},
	})
	if err != nil {
		return err
	}
	// The one to play through first, then the one at the AU, then the
	// answered one.
	s.out.Cases = []Case{{Case: c, Note: "registrerad i dag: börja här, med Karin Lind som tilldelar en handläggare"}, s.out.Cases[1], s.out.Cases[0]}
	return s.at("2024-01-29", "10:15")
}

// step is one event of a seeded case: when, by whom (first name), with
// what data.
type step struct {
	day, hhmm, who, event string
	data                  any
}

// play fires steps on c in order, each on its day.
func (s *seeder) play(ctx context.Context, c workflow.Case, steps []step) (workflow.Case, error) {
	for _, st := range steps {
		if err := s.at(st.day, st.hhmm); err != nil {
			return c, err
		}
		next, err := s.fire(ctx, st.who, c, st.event, st.data)
		if err != nil {
			return c, fmt.Errorf("%s %s: %w", st.day, st.who, err)
		}
		c = next
	}
	return c, nil
}
