package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/diarium"
)

type seriesRow struct {
	ID            int64  `db:"id"`
	OrgID         int64  `db:"org_id"`
	Code          string `db:"code"`
	Format        string `db:"format"`
	YearlyRestart bool   `db:"yearly_restart"`
	CreatedAt     dbTime `db:"created_at"`
}

func (r seriesRow) series() (diarium.Series, error) {
	f, err := diarium.ParseDnrFormat(r.Format)
	if err != nil {
		return diarium.Series{}, workflow.Internal(fmt.Errorf("stored format of series %d: %w", r.ID, err))
	}
	return diarium.Series{ID: r.ID, OrgID: r.OrgID, Code: r.Code, Format: f, YearlyRestart: r.YearlyRestart, CreatedAt: r.CreatedAt.Time}, nil
}

// CreateSeries inserts the series and its counter for year, both or neither.
func (s *Store) CreateSeries(ctx context.Context, sr diarium.Series, year int, next int64) (diarium.Series, error) {
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		err := tx.GetContext(ctx, &sr.ID, `
			INSERT INTO series (org_id, code, format, yearly_restart, created_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			sr.OrgID, sr.Code, sr.Format.String(), sr.YearlyRestart, dbTime{sr.CreatedAt})
		if err != nil {
			return s.wrap(err, "Det finns redan en nummerserie ”"+sr.Code+"”.")
		}
		_, err = tx.ExecContext(ctx, `
			INSERT INTO series_counters (org_id, series_id, year, next_number) VALUES ($1, $2, $3, $4)`,
			sr.OrgID, sr.ID, year, next)
		return s.wrap(err, "")
	})
	return sr, err
}

// SeriesByCode finds a series of the organisation.
func (s *Store) SeriesByCode(ctx context.Context, orgID int64, code string) (diarium.Series, error) {
	var r seriesRow
	err := s.db.GetContext(ctx, &r, `
		SELECT id, org_id, code, format, yearly_restart, created_at FROM series WHERE org_id = $1 AND code = $2`, orgID, code)
	if err != nil {
		return diarium.Series{}, s.found(err, "Det finns ingen nummerserie ”"+code+"”.")
	}
	return r.series()
}

// SeriesList lists the organisation's series by code.
func (s *Store) SeriesList(ctx context.Context, orgID int64) ([]diarium.Series, error) {
	var rows []seriesRow
	if err := s.db.SelectContext(ctx, &rows, `
		SELECT id, org_id, code, format, yearly_restart, created_at FROM series WHERE org_id = $1 ORDER BY code`, orgID); err != nil {
		return nil, s.wrap(err, "")
	}
	list := make([]diarium.Series, len(rows))
	for i, r := range rows {
		sr, err := r.series()
		if err != nil {
			return nil, err
		}
		list[i] = sr
	}
	return list, nil
}

// NextNumber reads the counter without taking a number: 1 for a year that
// has had no registration yet.
func (s *Store) NextNumber(ctx context.Context, sr diarium.Series, year int) (int64, error) {
	var n int64
	err := s.db.GetContext(ctx, &n, `
		SELECT next_number FROM series_counters WHERE org_id = $1 AND series_id = $2 AND year = $3`, sr.OrgID, sr.ID, year)
	if errors.Is(err, sql.ErrNoRows) {
		return 1, nil
	}
	return n, s.wrap(err, "")
}

// takeNumber allocates the series' next number for year inside tx. The
// upsert locks the counter row until tx ends, so concurrent registrations
// queue on it; a rollback returns the number.
func (s *Store) takeNumber(ctx context.Context, tx *sqlx.Tx, sr diarium.Series, year int) (int64, error) {
	var next int64
	err := tx.GetContext(ctx, &next, `
		INSERT INTO series_counters (org_id, series_id, year, next_number) VALUES ($1, $2, $3, 2)
		ON CONFLICT (series_id, year) DO UPDATE SET next_number = series_counters.next_number + 1
		RETURNING next_number`, sr.OrgID, sr.ID, year)
	if err != nil {
		return 0, s.wrap(err, "")
	}
	return next - 1, nil
}

// ContinueSeries makes next the series' next number in year, unless a
// case already has a number of that year. The first statement locks the
// counter row (making it if need be), so that a registration in flight
// either commits first and is counted, or waits and takes next.
func (s *Store) ContinueSeries(ctx context.Context, sr diarium.Series, year int, next int64) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO series_counters (org_id, series_id, year, next_number) VALUES ($1, $2, $3, 1)
			ON CONFLICT (series_id, year) DO UPDATE SET next_number = series_counters.next_number`,
			sr.OrgID, sr.ID, year); err != nil {
			return s.wrap(err, "")
		}
		var used int64
		if err := tx.GetContext(ctx, &used, `
			SELECT count(*) FROM cases WHERE org_id = $1 AND series_id = $2 AND ($3 = 0 OR year = $3)`,
			sr.OrgID, sr.ID, year); err != nil {
			return s.wrap(err, "")
		}
		if used > 0 {
			return workflow.Errorf(workflow.CodeInvalid, "Serien %s har redan gett %d nummer i år; den kan bara fortsättas från ett annat diarium före årets första registrering.", sr.Code, used)
		}
		_, err := tx.ExecContext(ctx, `
			UPDATE series_counters SET next_number = $3 WHERE series_id = $1 AND year = $2`, sr.ID, year, next)
		return s.wrap(err, "")
	})
}
