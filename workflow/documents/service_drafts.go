package documents

import (
	"context"
	"fmt"
	"slices"

	"github.com/yttrande/remiss/workflow"
)

// SaveDraft saves a new version of a case's draft. It is refused when
// someone saved a version after the one the writer started from, when the
// case is closed, and when the yttrande has been decided; saving the same
// text again adds no version.
func (s *Service) SaveDraft(ctx context.Context, actor workflow.Actor, slug string, caseID int64, kind DraftKind, in DraftSave) (Draft, error) {
	org, err := s.engine.CaseFor(ctx, actor, slug, caseID, workflow.PermWriteDraft)
	if err != nil {
		return Draft{}, err
	}
	v, base, err := in.validate()
	if err != nil {
		return Draft{}, err
	}
	if err := s.draftWritable(ctx, actor, org, caseID, kind); err != nil {
		return Draft{}, err
	}
	latest, err := s.store.DraftVersion(ctx, org.ID, caseID, kind, 0)
	switch {
	case workflow.ErrorCode(err) == workflow.CodeNotFound:
		latest = DraftVersion{}
	case err != nil:
		return Draft{}, err
	}
	if base != latest.Version && latest.Version == 0 {
		return Draft{}, workflow.InvalidField("base_version", fmt.Sprintf("Utkastet har ingen version %d; det är nytt, så ange 0.", base))
	}
	if base != latest.Version {
		return Draft{}, workflow.Errorf(workflow.CodeConflict, "Utkastet har ändrats sedan du öppnade det: version %d sparades av %s %s. Läs in den senaste versionen och för över dina ändringar; din text är inte sparad.",
			latest.Version, latest.Author, latest.CreatedAt.In(s.Location()).Format("2006-01-02 15:04"))
	}
	if latest.Version > 0 && latest.Text == v.Text && slices.Equal(latest.Signers, v.Signers) && v.Note == "" {
		return s.draft(latest), nil
	}
	v.CaseID, v.Kind, v.Version, v.Author, v.CreatedAt = caseID, kind, latest.Version+1, actor.Label(), s.Now()
	if v, err = s.store.AddDraftVersion(ctx, org.ID, v); err != nil {
		return Draft{}, err
	}
	return s.draft(v), nil
}

// draftWritable refuses a save to a closed case or to a yttrande that has
// been decided and registered.
func (s *Service) draftWritable(ctx context.Context, actor workflow.Actor, org workflow.Organization, caseID int64, kind DraftKind) error {
	f, err := s.engine.Load(ctx, actor, org, caseID)
	if err != nil {
		return err
	}
	if f.Def.IsTerminal(f.Case.State) {
		return workflow.Errorf(workflow.CodeInvalid, "Ärendet är avslutat; utkasten kan inte ändras.")
	}
	if kind != DraftYttrande {
		return nil
	}
	docs, err := s.store.Documents(ctx, org.ID, caseID)
	if err != nil {
		return err
	}
	for _, d := range docs {
		if d.Source == workflow.SourceDecidedYttrande {
			return workflow.Errorf(workflow.CodeInvalid, "Yttrandet är beslutat och registrerat som handling %s; utkastet kan inte ändras längre.", d.Dnr)
		}
	}
	return nil
}

// draft reads a version's Markdown to tell what the document will leave out.
func (s *Service) draft(v DraftVersion) Draft {
	d := Draft{DraftVersion: v, Dropped: []string{}}
	if s.markdown != nil {
		if _, dropped := s.markdown.Blocks(v.Text); len(dropped) > 0 {
			d.Dropped = dropped
		}
	}
	return d
}

// Draft returns version n of a case's draft, the latest when n is 0.
func (s *Service) Draft(ctx context.Context, actor workflow.Actor, slug string, caseID int64, kind DraftKind, n int) (Draft, error) {
	org, err := s.engine.CaseFor(ctx, actor, slug, caseID, workflow.PermReadCase)
	if err != nil {
		return Draft{}, err
	}
	v, err := s.store.DraftVersion(ctx, org.ID, caseID, kind, n)
	if err != nil {
		return Draft{}, err
	}
	return s.draft(v), nil
}

// DraftVersions lists the versions of a case's draft, oldest first.
func (s *Service) DraftVersions(ctx context.Context, actor workflow.Actor, slug string, caseID int64, kind DraftKind) ([]DraftVersion, error) {
	org, err := s.engine.CaseFor(ctx, actor, slug, caseID, workflow.PermReadCase)
	if err != nil {
		return nil, err
	}
	return s.store.DraftVersions(ctx, org.ID, caseID, kind)
}

// DiffDraft compares two versions of a draft line by line, with context
// unchanged lines around each change.
func (s *Service) DiffDraft(ctx context.Context, actor workflow.Actor, slug string, caseID int64, kind DraftKind, from, to, context int) (DraftDiff, error) {
	org, err := s.engine.CaseFor(ctx, actor, slug, caseID, workflow.PermReadCase)
	if err != nil {
		return DraftDiff{}, err
	}
	var v workflow.Validation
	if from < 1 {
		v.Add("from", "Ange versionen att jämföra från (1 eller högre).")
	}
	if to < 1 {
		v.Add("to", "Ange versionen att jämföra med (1 eller högre).")
	}
	if err := v.Err(); err != nil {
		return DraftDiff{}, err
	}
	a, err := s.store.DraftVersion(ctx, org.ID, caseID, kind, from)
	if err != nil {
		return DraftDiff{}, err
	}
	b, err := s.store.DraftVersion(ctx, org.ID, caseID, kind, to)
	if err != nil {
		return DraftDiff{}, err
	}
	d := DraftDiff{Kind: kind, From: from, To: to, Lines: DiffLines(a.Text, b.Text, max(0, min(context, 1000)))}
	for _, l := range d.Lines {
		switch l.Op {
		case DiffInsert:
			d.Inserted++
		case DiffDelete:
			d.Deleted++
		}
	}
	if d.Lines == nil {
		d.Lines = []DiffLine{}
	}
	return d, nil
}

// CommentDraft adds a review comment to version n of a draft, anchored to
// a passage of it when the input quotes one.
func (s *Service) CommentDraft(ctx context.Context, actor workflow.Actor, slug string, caseID int64, kind DraftKind, n int, in NewDraftComment) (DraftComment, error) {
	org, err := s.engine.CaseFor(ctx, actor, slug, caseID, workflow.PermCommentDraft)
	if err != nil {
		return DraftComment{}, err
	}
	if n < 1 {
		return DraftComment{}, workflow.Errorf(workflow.CodeInvalid, "Ange vilken version kommentaren gäller.")
	}
	v, err := s.store.DraftVersion(ctx, org.ID, caseID, kind, n)
	if err != nil {
		return DraftComment{}, err
	}
	c, err := in.validate(v.Text)
	if err != nil {
		return DraftComment{}, err
	}
	c.Kind, c.Version, c.Author, c.CreatedAt = kind, n, actor.Label(), s.Now()
	return s.store.AddDraftComment(ctx, org.ID, caseID, c)
}

// DraftComments lists the review comments on a case's draft.
func (s *Service) DraftComments(ctx context.Context, actor workflow.Actor, slug string, caseID int64, kind DraftKind) ([]DraftComment, error) {
	org, err := s.engine.CaseFor(ctx, actor, slug, caseID, workflow.PermReadCase)
	if err != nil {
		return nil, err
	}
	return s.store.DraftComments(ctx, org.ID, caseID, kind)
}

// ResolveDraftComment marks a review comment as dealt with; whoever may
// comment may.
func (s *Service) ResolveDraftComment(ctx context.Context, actor workflow.Actor, slug string, caseID int64, kind DraftKind, id int64) (DraftComment, error) {
	org, err := s.engine.CaseFor(ctx, actor, slug, caseID, workflow.PermCommentDraft)
	if err != nil {
		return DraftComment{}, err
	}
	return s.store.ResolveDraftComment(ctx, org.ID, caseID, kind, id, actor.Label(), s.Now())
}
