package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/yttrande/remiss/internal/store"
	"github.com/yttrande/remiss/workflow"
)

func transition(c workflow.Case, state string, at time.Time) workflow.Transition {
	return workflow.Transition{
		OrgID: c.OrgID, CaseID: c.ID, Dnr: c.Dnr, ExpectedVersion: c.Version, State: state, At: at,
		History: workflow.HistoryEntry{Event: "tilldela", From: c.State, To: state, Actor: "Rut", At: at, Data: []byte(`{}`)},
	}
}

func TestApplyTransitionIsCompareAndSwap(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st, "huddinge")
		ctx := context.Background()
		c, err := st.RegisterCase(ctx, f.newCase("remiss", 2024))
		must(t, err)
		at := t0.Add(time.Hour)
		tr := transition(c, "tilldelad", at)
		tr.SetHandlaggare = &workflow.UserRef{ID: f.user.ID}
		deadline := workflow.Date{Year: 2024, Month: 5, Day: 15}
		tr.SetDeadline = &deadline
		tr.Outbox = []workflow.OutboxMessage{{Kind: "email", Template: "tilldelad", To: f.user.Email, Payload: map[string]any{"dnr": c.Dnr}}}
		must(t, st.ApplyTransition(ctx, tr))
		wantCode(t, st.ApplyTransition(ctx, tr), workflow.CodeConflict) // same expected version again

		got, err := st.Case(ctx, f.org.ID, c.ID)
		must(t, err)
		if got.State != "tilldelad" || got.Version != 2 || got.Handlaggare == nil || got.Handlaggare.Email != f.user.Email ||
			got.Remiss.Deadline != deadline || !got.UpdatedAt.Equal(at) {
			t.Errorf("case after the transition: %+v", got)
		}
		h, err := st.History(ctx, f.org.ID, c.ID)
		must(t, err)
		if len(h) != 2 || h[1].Seq != 2 || h[1].PrevHash != h[0].Hash {
			t.Fatalf("history %+v", h)
		}
		must(t, workflow.VerifyHistory(c.Dnr, h))
		var pending int
		must(t, store.QueryRowForTest(st, `SELECT count(*) FROM outbox WHERE org_id = $1 AND case_id = $2 AND status = 'pending' AND recipient = $3`,
			[]any{f.org.ID, c.ID, f.user.Email}, &pending))
		if pending != 1 {
			t.Errorf("%d pending outbox rows, want 1 (and none from the refused transition)", pending)
		}
	})
}

func TestApplyTransitionWritesChildrenAndKeys(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st, "nacka")
		ctx := context.Background()
		c, err := st.RegisterCase(ctx, f.newCase("remiss", 2024))
		must(t, err)
		body, err := st.CreateBody(ctx, workflow.Body{OrgID: f.org.ID, Code: "SN", Name: "Socialnämnden", Kind: workflow.KindNamnd, CreatedAt: t0})
		must(t, err)
		at := t0.Add(time.Hour)
		tr := transition(c, "intern_remiss", at)
		tr.NewConsultations = []workflow.Consultation{{ID: 1, BodyID: body.ID, Deadline: workflow.Date{Year: 2024, Month: 3, Day: 14}, Status: workflow.ConsultationBegard, RequestedAt: at}}
		tr.OpenObligation = &workflow.Obligation{ID: 1, Kind: "ordforandebeslut", DecidedOn: workflow.Date{Year: 2024, Month: 1, Day: 29}, DecidedBy: "Per", OpenedAt: at, OpenedBy: "Rut"}
		tr.Idempotency = &workflow.IdempotencyRecord{Key: "k1", Fingerprint: "f", CaseID: c.ID, Response: []byte(`{"id":1}`), CreatedAt: at}
		must(t, st.ApplyTransition(ctx, tr))

		c.Version++
		next := transition(c, "intern_remiss", at.Add(time.Hour))
		next.Answer = &workflow.Consultation{ID: 1, Status: workflow.ConsultationAvstatt, Paragraph: 22, AnsweredAt: at.Add(time.Hour)}
		next.CloseObligation = &workflow.Obligation{ID: 1, ClosedAt: at.Add(time.Hour), ClosedBy: "Rut", Report: "2024-05-06 § 87"}
		next.Idempotency = &workflow.IdempotencyRecord{Key: "k1", Fingerprint: "g", CaseID: c.ID, Response: []byte(`{}`), CreatedAt: at}
		wantCode(t, st.ApplyTransition(ctx, next), workflow.CodeConflict) // the key is taken: nothing is written
		next.Idempotency = nil
		must(t, st.ApplyTransition(ctx, next))

		got, err := st.Case(ctx, f.org.ID, c.ID)
		must(t, err)
		if len(got.Consultations) != 1 || got.Consultations[0].Status != workflow.ConsultationAvstatt || got.Consultations[0].Body != "SN" || got.Consultations[0].Paragraph != 22 {
			t.Errorf("consultations %+v", got.Consultations)
		}
		if len(got.Obligations) != 1 || got.Obligations[0].Open() || got.Obligations[0].Report != "2024-05-06 § 87" {
			t.Errorf("obligations %+v", got.Obligations)
		}
		rec, err := st.IdempotencyRecord(ctx, f.org.ID, "k1")
		must(t, err)
		if rec.Fingerprint != "f" || string(rec.Response) != `{"id":1}` {
			t.Errorf("idempotency record %+v", rec)
		}
		_, err = st.IdempotencyRecord(ctx, f.org.ID+1000, "k1")
		wantCode(t, err, workflow.CodeNotFound)
	})
}

func TestDefinitionsAreVersionedPerOrganisation(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		a, b := newFixture(t, st, "org-a"), newFixture(t, st, "org-b")
		ctx := context.Background()
		defs, err := workflow.ShippedDefinitions()
		must(t, err)
		d := *defs[0]
		d.Version, d.Custom, d.CreatedAt, d.CreatedBy = 2, true, t0, "admin"
		must(t, st.SaveDefinition(ctx, a.org.ID, &d))
		wantCode(t, st.SaveDefinition(ctx, a.org.ID, &d), workflow.CodeConflict)
		d3 := d
		d3.Version = 3
		must(t, st.SaveDefinition(ctx, a.org.ID, &d3))
		latest, err := st.Definition(ctx, a.org.ID, d.Name, 0)
		must(t, err)
		v2, err := st.Definition(ctx, a.org.ID, d.Name, 2)
		must(t, err)
		if latest.Version != 3 || v2.Version != 2 || !latest.Custom || len(latest.Events) != len(d.Events) {
			t.Errorf("latest %d, v2 %d", latest.Version, v2.Version)
		}
		list, err := st.Definitions(ctx, a.org.ID)
		must(t, err)
		if len(list) != 1 || list[0].Version != 3 {
			t.Errorf("list %+v", list)
		}
		_, err = st.Definition(ctx, b.org.ID, d.Name, 0)
		wantCode(t, err, workflow.CodeNotFound)
	})
}
