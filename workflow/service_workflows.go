package workflow

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Workflows lists the routes the organisation can start a case with.
func (s *Engine) Workflows(ctx context.Context, actor Actor, slug string) ([]Summary, error) {
	org, err := s.orgFor(ctx, actor, slug, PermReadCase)
	if err != nil {
		return nil, err
	}
	defs, err := s.Definitions(ctx, org.ID)
	if err != nil {
		return nil, err
	}
	out := make([]Summary, len(defs))
	for i, d := range defs {
		out[i] = d.Summary()
	}
	return out, nil
}

// Workflow returns a definition: version 0 is the latest.
func (s *Engine) Workflow(ctx context.Context, actor Actor, slug, name string, version int) (*Definition, error) {
	org, err := s.orgFor(ctx, actor, slug, PermReadCase)
	if err != nil {
		return nil, err
	}
	if version == 0 {
		return s.LatestDefinition(ctx, org.ID, name)
	}
	if d, err := s.Definition(ctx, org.ID, WorkflowRef{Name: name, Version: version, Custom: true}); ErrorCode(err) != CodeNotFound {
		return d, err
	}
	return s.Definition(ctx, org.ID, WorkflowRef{Name: name, Version: version})
}

// SaveWorkflow stores the organisation's own version of a route, as the
// next version of name; cases already running keep the version they
// started with.
func (s *Engine) SaveWorkflow(ctx context.Context, actor Actor, slug, name string, body []byte) (*Definition, error) {
	org, err := s.orgFor(ctx, actor, slug, PermManageOrganization)
	if err != nil {
		return nil, err
	}
	d, err := decodeDefinition(body)
	if err != nil {
		return nil, err
	}
	if d.Name != "" && d.Name != name {
		return nil, InvalidField("name", fmt.Sprintf("Namnet i definitionen (%s) skiljer sig från namnet i adressen (%s).", d.Name, name))
	}
	d.Name = name
	d.Version = 1
	if latest, err := s.LatestDefinition(ctx, org.ID, name); err == nil {
		d.Version = latest.Version + 1
	} else if ErrorCode(err) != CodeNotFound {
		return nil, err
	}
	d.Custom, d.CreatedAt, d.CreatedBy = true, Now(s.clock), actor.Label()
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return d, s.store.SaveDefinition(ctx, org.ID, d)
}

// decodeDefinition reads a definition strictly, without validating it.
func decodeDefinition(b []byte) (*Definition, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var d Definition
	var syntax *json.SyntaxError
	if err := dec.Decode(&d); errors.As(err, &syntax) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return nil, &Error{Code: CodeBadRequest, Message: "Definitionen är inte giltig JSON: " + err.Error()}
	} else if err != nil { // unknown fields, wrong types: readable JSON that is not a definition
		return nil, &Error{Code: CodeInvalid, Message: "Definitionen har fel form: " + err.Error()}
	}
	if dec.More() {
		return nil, &Error{Code: CodeBadRequest, Message: "Definitionen innehåller mer än ett JSON-objekt."}
	}
	return &d, nil
}

// WorkflowToDraw is the definition to draw and the state to highlight:
// the route name at version (0: the latest) or, with a case, the version
// the case is pinned to and its state.
func (s *Engine) WorkflowToDraw(ctx context.Context, actor Actor, slug, name string, version int, caseID int64) (*Definition, string, error) {
	org, err := s.orgFor(ctx, actor, slug, PermReadCase)
	if err != nil {
		return nil, "", err
	}
	return s.graphDefinition(ctx, actor, org, name, version, caseID)
}

// graphDefinition is the definition to draw and the state to highlight:
// with a case, the version it is pinned to and its state.
func (s *Engine) graphDefinition(ctx context.Context, actor Actor, org Organization, name string, version int, caseID int64) (*Definition, string, error) {
	if caseID == 0 {
		d, err := s.Workflow(ctx, actor, org.Slug, name, version)
		return d, "", err
	}
	c, err := s.LoadCase(ctx, org.ID, caseID)
	if err != nil {
		return nil, "", err
	}
	if c.Workflow.Name != name {
		return nil, "", InvalidField("case", fmt.Sprintf("Ärendet %s följer arbetsflödet %s, inte %s.", c.Dnr, c.Workflow.Name, name))
	}
	d, err := s.Definition(ctx, org.ID, c.Workflow)
	return d, c.State, err
}

// verifyHead checks that the chain ends where the case row says it does:
// rows removed from its end leave a chain that verifies on its own.
func verifyHead(ref CaseRef, h []HistoryEntry) error {
	if len(h) == 0 {
		return fmt.Errorf("%s: the history is empty, but the case's head is row %d", ref.Dnr, ref.HeadSeq)
	}
	last := h[len(h)-1]
	if last.Seq != ref.HeadSeq || last.Hash != ref.HeadHash {
		return fmt.Errorf("%s: the history is truncated: it ends at row %d, but the case's head is row %d (%.12s…)", ref.Dnr, last.Seq, ref.HeadSeq, ref.HeadHash)
	}
	return nil
}

// ChainResult is the outcome of verifying one case's history.
type ChainResult struct {
	Case CaseRef
	Rows int
	Err  error
}

// VerifyHistories checks the hash chain of every case of every
// organisation. Only the system administrator may.
func (s *Engine) VerifyHistories(ctx context.Context, actor Actor) ([]ChainResult, error) {
	if !actor.System {
		return nil, Errorf(CodeForbidden, "Bara systemadministratören kan kontrollera alla historiker.")
	}
	refs, err := s.store.CaseRefs(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]ChainResult, len(refs))
	for i, ref := range refs {
		h, err := s.store.History(ctx, ref.OrgID, ref.ID)
		if err == nil {
			err = VerifyHistory(ref.Dnr, h)
		}
		if err == nil {
			err = verifyHead(ref, h)
		}
		out[i] = ChainResult{Case: ref, Rows: len(h), Err: err}
	}
	return out, nil
}
