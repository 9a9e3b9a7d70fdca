package documents

import (
	"context"
	"errors"
	"slices"

	"github.com/yttrande/remiss/workflow"
)

var errNoPDF = errors.New("workflow: no PDF renderer configured")

// RegisterDecided renders the decided yttrande and registers it in the
// case as an upprättad handling with its PDF, after the decision has been
// committed (the § number is only known then). It runs once per case;
// when it fails, the decision stands, the failure is logged, and
// RegisterYttrande does it later.
func (s *Service) RegisterDecided(ctx context.Context, org workflow.Organization, caseID int64) {
	if s.renderers["pdf"] == nil || s.markdown == nil {
		return // a service that renders no documents, such as in a tool
	}
	_, err := s.registerYttrande(ctx, org, caseID)
	switch workflow.ErrorCode(err) {
	case "":
	case workflow.CodeInvalid: // e.g. the yttrande was written outside remiss and registered as a file
		s.Log().Warn("the decided yttrande was not rendered", "org", org.Slug, "case", caseID, "reason", err)
	default:
		s.Log().Error("the decided yttrande could not be registered", "org", org.Slug, "case", caseID, "err", err)
	}
}

// RegisterYttrande renders the decided yttrande and registers it as a
// handling, unless that was done already: then it returns that handling.
func (s *Service) RegisterYttrande(ctx context.Context, actor workflow.Actor, slug string, caseID int64) (workflow.Document, error) {
	org, err := s.engine.CaseFor(ctx, actor, slug, caseID, workflow.PermAddDocument)
	if err != nil {
		return workflow.Document{}, err
	}
	return s.registerYttrande(ctx, org, caseID)
}

func (s *Service) registerYttrande(ctx context.Context, org workflow.Organization, caseID int64) (workflow.Document, error) {
	r, ok := s.renderers["pdf"]
	if !ok {
		return workflow.Document{}, workflow.Internal(errNoPDF)
	}
	c, err := s.LoadCase(ctx, org.ID, caseID)
	if err != nil {
		return workflow.Document{}, err
	}
	docs, err := s.store.Documents(ctx, org.ID, caseID)
	if err != nil {
		return workflow.Document{}, err
	}
	if i := slices.IndexFunc(docs, func(d workflow.Document) bool { return d.Source == workflow.SourceDecidedYttrande }); i >= 0 {
		return docs[i], nil // registered once, never rendered again
	}
	history, err := s.store.History(ctx, org.ID, caseID)
	if err != nil {
		return workflow.Document{}, err
	}
	if DecidingParagraph(c) == nil && !slices.ContainsFunc(history, func(h workflow.HistoryEntry) bool { return h.Event == "avsta" || h.Event == "ordforandebeslut" }) {
		return workflow.Document{}, workflow.Errorf(workflow.CodeInvalid, "Ärendet är inte beslutat än; yttrandet registreras när beslutet är fattat.")
	}
	doc, err := s.compose(ctx, org, c, TemplateYttrande)
	if err != nil {
		return workflow.Document{}, err
	}
	f, err := renderFile(r, doc, "pdf")
	if err != nil {
		return workflow.Document{}, err
	}
	f.AttachedBy = "remiss"
	d := workflow.Document{Title: doc.Layout.Meta.Title, Kind: workflow.KindYttrande, Direction: workflow.Upprattad, Date: s.Today(),
		Counterpart: c.Remiss.Sender, RegisteredBy: "remiss (beslutat yttrande)", RegisteredAt: s.Now()}
	f.AttachedAt = d.RegisteredAt
	defer workflow.ForgetCase(ctx, org.ID, caseID)
	out, _, err := s.store.AddRenderedDocument(ctx, org.ID, caseID, d, f, workflow.SourceDecidedYttrande)
	return out, err
}

// declined reports whether the municipality declines to give views: by
// the decision, or without a board (avsta).
func (cd *caseDocument) declined() bool {
	if p := cd.decision; p != nil {
		return p.Outcome == "avstar"
	}
	_, ok := cd.lastEvent("avsta")
	return ok
}
