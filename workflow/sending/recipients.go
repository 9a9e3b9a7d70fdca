package sending

import (
	"context"
	"encoding/json"

	"github.com/yttrande/remiss/workflow"
)

// RecipientsChange is the input for changing where a case's answer goes;
// fields left out stay as they are. Version is the case's version the
// change is made against.
type RecipientsChange struct {
	Version int64    `json:"version"`
	ReplyTo *string  `json:"reply_to"`
	Cc      []string `json:"cc"`
	Contact *string  `json:"contact"`
}

func (in *RecipientsChange) validate(current workflow.Remiss) (workflow.Recipients, error) {
	var v workflow.Validation
	r := workflow.Recipients{ReplyTo: current.ReplyTo, Cc: current.Cc, Contact: current.Contact}
	if in.ReplyTo != nil {
		r.ReplyTo = workflow.NormalizeEmail(&v, "reply_to", *in.ReplyTo, true)
	}
	if in.Contact != nil {
		r.Contact = workflow.LimitText(&v, "contact", *in.Contact, 200)
	}
	if in.Cc != nil {
		r.Cc = workflow.Copies(&v, "cc", in.Cc)
	}
	return r, v.Err()
}

// ChangeRecipients changes where the case's answer goes: the reply
// address, the copies and the contact person. The change is a
// compare-and-swap on the case's version with its own history row
// ("andra_mottagare"), so it is audited like every step.
func (s *Service) ChangeRecipients(ctx context.Context, actor workflow.Actor, slug string, caseID int64, in RecipientsChange) (workflow.Case, error) {
	org, err := s.engine.CaseFor(ctx, actor, slug, caseID, workflow.PermAddDocument)
	if err != nil {
		return workflow.Case{}, err
	}
	f, err := s.engine.Load(ctx, actor, org, caseID)
	if err != nil {
		return workflow.Case{}, err
	}
	if in.Version != f.Case.Version {
		return workflow.Case{}, s.engine.StaleVersion(ctx, org.ID, caseID, in.Version)
	}
	if f.Def.IsTerminal(f.Case.State) {
		return workflow.Case{}, workflow.Errorf(workflow.CodeInvalid, "Ärendet är avslutat; mottagarna kan inte ändras.")
	}
	r, err := in.validate(f.Case.Remiss)
	if err != nil {
		return workflow.Case{}, err
	}
	data, err := json.Marshal(r)
	if err != nil {
		return workflow.Case{}, workflow.Internal(err)
	}
	now := s.Now()
	tr := workflow.Transition{OrgID: org.ID, CaseID: caseID, Dnr: f.Case.Dnr, ExpectedVersion: f.Case.Version, State: f.Case.State, At: now, SetRecipients: &r,
		HeadSeq: f.Case.HeadSeq, HeadHash: f.Case.HeadHash,
		History: workflow.HistoryEntry{Event: "andra_mottagare", From: f.Case.State, To: f.Case.State, Actor: actor.Label(), ActorID: actor.UserID, At: now, Data: data}}
	err = s.store.ApplyTransition(ctx, tr)
	workflow.ForgetCase(ctx, org.ID, caseID)
	if err != nil {
		if workflow.ErrorCode(err) == workflow.CodeConflict {
			return workflow.Case{}, s.engine.StaleVersion(ctx, org.ID, caseID, in.Version)
		}
		return workflow.Case{}, err
	}
	return s.engine.Case(ctx, actor, slug, caseID)
}
