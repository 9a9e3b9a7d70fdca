package workflow

import (
	"context"
	"fmt"
)

// CreateBody adds a political body (KS, KSAU, a nämnd) to an organisation.
func (s *Service) CreateBody(ctx context.Context, actor Actor, slug string, in NewBody) (Body, error) {
	org, err := s.orgFor(ctx, actor, slug, PermManageOrganization)
	if err != nil {
		return Body{}, err
	}
	var parent *Body
	if in.Parent != "" {
		p, err := s.store.BodyByCode(ctx, org.ID, in.Parent)
		switch ErrorCode(err) {
		case "":
			parent = &p
		case CodeNotFound:
		default:
			return Body{}, err
		}
	}
	b, err := in.validate(parent)
	if err != nil {
		return Body{}, err
	}
	b.OrgID, b.CreatedAt = org.ID, Now(s.clock)
	return s.store.CreateBody(ctx, b)
}

// Bodies lists an organisation's bodies.
func (s *Service) Bodies(ctx context.Context, actor Actor, slug string) ([]Body, error) {
	org, err := s.orgFor(ctx, actor, slug, PermReadCase)
	if err != nil {
		return nil, err
	}
	return s.store.Bodies(ctx, org.ID)
}

// CreateSeries adds a number series. Its next_number applies to the current
// year, so that a municipality moving from another diarium mid-year
// continues where it left off.
func (s *Service) CreateSeries(ctx context.Context, actor Actor, slug string, in NewSeries) (Series, error) {
	org, err := s.orgFor(ctx, actor, slug, PermManageOrganization)
	if err != nil {
		return Series{}, err
	}
	sr, next, err := in.validate()
	if err != nil {
		return Series{}, err
	}
	sr.OrgID, sr.CreatedAt = org.ID, Now(s.clock)
	created, err := s.store.CreateSeries(ctx, sr, sr.CounterYear(s.today().Year), next)
	if err != nil {
		return Series{}, err
	}
	return s.withNext(ctx, created)
}

// SeriesList lists an organisation's number series with their next numbers.
func (s *Service) SeriesList(ctx context.Context, actor Actor, slug string) ([]Series, error) {
	org, err := s.orgFor(ctx, actor, slug, PermReadCase)
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
func (s *Service) ContinueSeries(ctx context.Context, actor Actor, slug, code string, in SeriesContinuation) (Series, error) {
	org, err := s.orgFor(ctx, actor, slug, PermManageOrganization)
	if err != nil {
		return Series{}, err
	}
	if in.NextNumber == nil || *in.NextNumber < 1 || *in.NextNumber > maxSeriesNumber {
		return Series{}, InvalidField("next_number", fmt.Sprintf("Ange ett nummer mellan 1 och %d.", maxSeriesNumber))
	}
	sr, err := s.store.SeriesByCode(ctx, org.ID, code)
	if err != nil {
		return Series{}, err
	}
	if err := s.store.ContinueSeries(ctx, sr, sr.CounterYear(s.today().Year), *in.NextNumber); err != nil {
		return Series{}, err
	}
	return s.withNext(ctx, sr)
}

// withNext fills in what the series' next registration this year would get.
func (s *Service) withNext(ctx context.Context, sr Series) (Series, error) {
	year := s.today().Year
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
func (s *Service) UpdateBody(ctx context.Context, actor Actor, slug, code string, in BodyChange) (Body, error) {
	org, err := s.orgFor(ctx, actor, slug, PermManageOrganization)
	if err != nil {
		return Body{}, err
	}
	b, err := s.store.BodyByCode(ctx, org.ID, code)
	if err != nil {
		return Body{}, err
	}
	var v Validation
	if in.Name != nil {
		b.Name = RequireText(&v, "name", *in.Name, 200)
	}
	if in.Email != nil {
		b.Email = NormalizeEmail(&v, "email", *in.Email, false)
	}
	if err := v.Err(); err != nil {
		return Body{}, err
	}
	return b, s.store.UpdateBody(ctx, b)
}
