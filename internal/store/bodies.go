package store

import (
	"context"
	"database/sql"

	"github.com/yttrande/remiss/workflow"
)

type bodyRow struct {
	ID         int64          `db:"id"`
	OrgID      int64          `db:"org_id"`
	Code       string         `db:"code"`
	Name       string         `db:"name"`
	Kind       string         `db:"kind"`
	ParentID   sql.NullInt64  `db:"parent_id"`
	ParentCode sql.NullString `db:"parent_code"`
	Email      string         `db:"email"`
	CreatedAt  dbTime         `db:"created_at"`
}

func (r bodyRow) body() workflow.Body {
	return workflow.Body{
		ID: r.ID, OrgID: r.OrgID, Code: r.Code, Name: r.Name, Kind: workflow.BodyKind(r.Kind),
		ParentID: r.ParentID.Int64, Parent: r.ParentCode.String, Email: r.Email, CreatedAt: r.CreatedAt.Time,
	}
}

const bodyColumns = `b.id, b.org_id, b.code, b.name, b.kind, b.parent_id, p.code AS parent_code, b.email, b.created_at
	FROM bodies b LEFT JOIN bodies p ON p.org_id = b.org_id AND p.id = b.parent_id`

// CreateBody inserts b; a taken code is a conflict.
func (s *Store) CreateBody(ctx context.Context, b workflow.Body) (workflow.Body, error) {
	err := s.db.GetContext(ctx, &b.ID, `
		INSERT INTO bodies (org_id, code, name, kind, parent_id, email, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		b.OrgID, b.Code, b.Name, string(b.Kind), nullID(b.ParentID), b.Email, dbTime{b.CreatedAt})
	return b, s.wrap(err, "Det finns redan en instans med förkortningen ”"+b.Code+"”.")
}

// BodyByCode finds a body of the organisation.
func (s *Store) BodyByCode(ctx context.Context, orgID int64, code string) (workflow.Body, error) {
	var r bodyRow
	err := s.db.GetContext(ctx, &r, `SELECT `+bodyColumns+` WHERE b.org_id = $1 AND b.code = $2`, orgID, code)
	return r.body(), s.found(err, "Det finns ingen instans med förkortningen ”"+code+"”.")
}

// Bodies lists the organisation's bodies by code.
func (s *Store) Bodies(ctx context.Context, orgID int64) ([]workflow.Body, error) {
	var rows []bodyRow
	if err := s.db.SelectContext(ctx, &rows, `SELECT `+bodyColumns+` WHERE b.org_id = $1 ORDER BY b.code`, orgID); err != nil {
		return nil, s.wrap(err, "")
	}
	bodies := make([]workflow.Body, len(rows))
	for i, r := range rows {
		bodies[i] = r.body()
	}
	return bodies, nil
}

// UpdateBody stores a body's name and mailbox.
func (s *Store) UpdateBody(ctx context.Context, b workflow.Body) error {
	_, err := s.db.ExecContext(ctx, `UPDATE bodies SET name = $1, email = $2 WHERE org_id = $3 AND id = $4`, b.Name, b.Email, b.OrgID, b.ID)
	return s.wrap(err, "")
}
