package diarium

import (
	"context"
	"fmt"

	"github.com/yttrande/remiss/workflow"
)

// Service keeps what a municipality registers: the bodies, the number
// series, the registration of a remiss with its number, the handlingar
// and their files, and the case list.
type Service struct {
	*workflow.Core
	store          Store
	engine         *workflow.Engine
	planner        workflow.Planner
	maxUploadBytes int64
}

// Store is what the diarium reads and writes.
type Store interface {
	// RegisterCase numbers the case in its series and inserts it with its
	// letter and its first history row, all in one transaction: two
	// concurrent registrations never get the same number and a failed one
	// never uses one up.
	RegisterCase(ctx context.Context, nc NewCase) (workflow.Case, error)
	Cases(ctx context.Context, orgID int64, f workflow.CaseFilter) ([]workflow.Case, int, error)
	// CaseIDByDnr finds a case of the organisation by its diarienummer.
	CaseIDByDnr(ctx context.Context, orgID int64, dnr string) (int64, error)
	// CasesBySenderDnr returns the first MaxDuplicatesNamed cases
	// registered with the ministry's number.
	CasesBySenderDnr(ctx context.Context, orgID int64, senderDnr string) ([]workflow.Case, error)
	// CreateSeries stores s and makes next the next number of the series
	// in year (the counter year, see Series.CounterYear).
	CreateSeries(ctx context.Context, s Series, year int, next int64) (Series, error)
	SeriesByCode(ctx context.Context, orgID int64, code string) (Series, error)
	SeriesList(ctx context.Context, orgID int64) ([]Series, error)
	// ContinueSeries makes next the next number of the series in year
	// (the counter year), unless a case already has a number of that
	// year: then it is a CodeInvalid Error and nothing changes.
	ContinueSeries(ctx context.Context, s Series, year int, next int64) error
	// NextNumber is the number the series' next registration in the
	// counter year would get.
	NextNumber(ctx context.Context, s Series, year int) (int64, error)
	CreateBody(ctx context.Context, b workflow.Body) (workflow.Body, error)
	BodyByCode(ctx context.Context, orgID int64, code string) (workflow.Body, error)
	Bodies(ctx context.Context, orgID int64) ([]workflow.Body, error)
	// UpdateBody stores a body's name and mailbox.
	UpdateBody(ctx context.Context, b workflow.Body) error
	// AddDocument gives d the case's next löpnummer and inserts it.
	AddDocument(ctx context.Context, orgID, caseID int64, d workflow.Document) (workflow.Document, error)
	Documents(ctx context.Context, orgID, caseID int64) ([]workflow.Document, error)
	Document(ctx context.Context, orgID, caseID int64, n int) (workflow.Document, error)
	// AttachFile stores f as the file of handling n; CodeConflict when the
	// handling already has one.
	AttachFile(ctx context.Context, orgID, caseID int64, n int, f workflow.File) (workflow.Document, error)
	FileContent(ctx context.Context, orgID, caseID int64, n int) (workflow.File, error)
}

// New returns the diarium on core and store; planner plans a case
// when it is registered, maxUploadBytes bounds a handling's file (0: 50
// MiB).
func New(core *workflow.Core, store Store, planner workflow.Planner, maxUploadBytes int64) *Service {
	if maxUploadBytes <= 0 {
		maxUploadBytes = 50 << 20
	}
	return &Service{Core: core, store: store, planner: planner, maxUploadBytes: maxUploadBytes}
}

// Bind gives the diarium the engine, which tells what a new case's
// registrator may do next.
func (s *Service) Bind(engine *workflow.Engine) { s.engine = engine }

// CreateBody adds a political body (KS, KSAU, a nämnd) to an organisation.
func (s *Service) CreateBody(ctx context.Context, actor workflow.Actor, slug string, in workflow.NewBody) (workflow.Body, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermManageOrganization)
	if err != nil {
		return workflow.Body{}, err
	}
	var parent *workflow.Body
	if in.Parent != "" {
		p, err := s.store.BodyByCode(ctx, org.ID, in.Parent)
		switch workflow.ErrorCode(err) {
		case "":
			parent = &p
		case workflow.CodeNotFound:
		default:
			return workflow.Body{}, err
		}
	}
	b, err := in.Validate(parent)
	if err != nil {
		return workflow.Body{}, err
	}
	b.OrgID, b.CreatedAt = org.ID, s.Now()
	defer s.ForgetBodies(org.ID)
	return s.store.CreateBody(ctx, b)
}

// Bodies lists an organisation's bodies.
func (s *Service) Bodies(ctx context.Context, actor workflow.Actor, slug string) ([]workflow.Body, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermReadCase)
	if err != nil {
		return nil, err
	}
	return s.store.Bodies(ctx, org.ID)
}

// CreateSeries adds a number series. Its next_number applies to the current
// year, so that a municipality moving from another diarium mid-year
// continues where it left off.
func (s *Service) CreateSeries(ctx context.Context, actor workflow.Actor, slug string, in NewSeries) (Series, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermManageOrganization)
	if err != nil {
		return Series{}, err
	}
	sr, next, err := in.validate()
	if err != nil {
		return Series{}, err
	}
	sr.OrgID, sr.CreatedAt = org.ID, s.Now()
	created, err := s.store.CreateSeries(ctx, sr, sr.CounterYear(s.Today().Year), next)
	if err != nil {
		return Series{}, err
	}
	return s.withNext(ctx, created)
}

// SeriesList lists an organisation's number series with their next numbers.
func (s *Service) SeriesList(ctx context.Context, actor workflow.Actor, slug string) ([]Series, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermReadCase)
	if err != nil {
		return nil, err
	}
	list, err := s.store.SeriesList(ctx, org.ID)
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i], err = s.withNext(ctx, list[i]); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// SeriesContinuation is the input for continuing a series from another
// diarium: NextNumber is what this year's next registration gets.
type SeriesContinuation struct {
	NextNumber *int64 `json:"next_number"`
}

// ContinueSeries sets the number this year's next registration in the
// series gets, for a municipality whose numbers this year began in
// another diarium. It is refused once the series has given a number this
// year: remiss's own numbering never skips and never repeats.
func (s *Service) ContinueSeries(ctx context.Context, actor workflow.Actor, slug, code string, in SeriesContinuation) (Series, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermManageOrganization)
	if err != nil {
		return Series{}, err
	}
	if in.NextNumber == nil || *in.NextNumber < 1 || *in.NextNumber > maxSeriesNumber {
		return Series{}, workflow.InvalidField("next_number", fmt.Sprintf("Ange ett nummer mellan 1 och %d.", maxSeriesNumber))
	}
	sr, err := s.store.SeriesByCode(ctx, org.ID, code)
	if err != nil {
		return Series{}, err
	}
	if err := s.store.ContinueSeries(ctx, sr, sr.CounterYear(s.Today().Year), *in.NextNumber); err != nil {
		return Series{}, err
	}
	return s.withNext(ctx, sr)
}

// withNext fills in what the series' next registration this year would get.
func (s *Service) withNext(ctx context.Context, sr Series) (Series, error) {
	year := s.Today().Year
	n, err := s.store.NextNumber(ctx, sr, sr.CounterYear(year))
	if err != nil {
		return Series{}, err
	}
	sr.NextNumber, sr.NextDnr = n, sr.Format.Render(year, n, "")
	return sr, nil
}

// BodyChange is the input for changing a body's name or mailbox; fields
// left out stay as they are.
type BodyChange struct {
	Name  *string `json:"name"`
	Email *string `json:"email"`
}

// UpdateBody changes a body's name or its own mailbox (funktionsbrevlåda),
// where its protokollsutdrag are sent. Its code and kind stay: the
// diarium and the § numbers refer to them.
func (s *Service) UpdateBody(ctx context.Context, actor workflow.Actor, slug, code string, in BodyChange) (workflow.Body, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermManageOrganization)
	if err != nil {
		return workflow.Body{}, err
	}
	b, err := s.store.BodyByCode(ctx, org.ID, code)
	if err != nil {
		return workflow.Body{}, err
	}
	var v workflow.Validation
	if in.Name != nil {
		b.Name = workflow.RequireText(&v, "name", *in.Name, 200)
	}
	if in.Email != nil {
		b.Email = workflow.NormalizeEmail(&v, "email", *in.Email, false)
	}
	if err := v.Err(); err != nil {
		return workflow.Body{}, err
	}
	defer s.ForgetBodies(org.ID)
	return b, s.store.UpdateBody(ctx, b)
}
