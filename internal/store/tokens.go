package store

import (
	"context"
	"encoding/hex"
	"time"

	"github.com/yttrande/remiss/workflow"
)

type tokenRow struct {
	ID        int64  `db:"id"`
	OrgID     int64  `db:"org_id"`
	UserID    int64  `db:"user_id"`
	UserEmail string `db:"email"`
	Name      string `db:"name"`
	CreatedAt dbTime `db:"created_at"`
	CreatedBy string `db:"created_by"`
}

// CreateToken stores a token's hash.
func (s *Store) CreateToken(ctx context.Context, t workflow.Token) (workflow.Token, error) {
	err := s.db.GetContext(ctx, &t.ID, `
		INSERT INTO api_tokens (org_id, user_id, name, hash, created_at, created_by)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		t.OrgID, t.UserID, t.Name, t.Hash, dbTime{t.CreatedAt}, t.CreatedBy)
	return t, s.wrap(err, "")
}

// TokenHolder finds the user a token hash belongs to. This is the one
// lookup that is not scoped by organisation: the token is what tells which
// organisation the caller belongs to.
func (s *Store) TokenHolder(ctx context.Context, hash []byte) (workflow.TokenHolder, error) {
	return s.holder(ctx, "api_tokens", hash, "Okänd nyckel.")
}

// holder finds the user and organisation of a token hash in table, one
// of the two token tables, which both hold (org_id, user_id, hash).
func (s *Store) holder(ctx context.Context, table string, hash any, unknown string) (workflow.TokenHolder, error) {
	var r struct {
		userRow
		Slug string `db:"slug"`
	}
	err := s.db.GetContext(ctx, &r, `
		SELECT u.id, u.org_id, u.email, u.name, u.created_at, o.slug, `+s.rolesColumn()+`
		FROM `+table+` t
		JOIN users u ON u.org_id = t.org_id AND u.id = t.user_id
		JOIN organizations o ON o.id = t.org_id
		WHERE t.hash = $1`, hash)
	if err != nil {
		return workflow.TokenHolder{}, s.found(err, unknown)
	}
	return workflow.TokenHolder{User: r.user(), OrgSlug: r.Slug}, nil
}

// Tokens lists the organisation's tokens, newest first.
func (s *Store) Tokens(ctx context.Context, orgID int64) ([]workflow.Token, error) {
	var rows []tokenRow
	if err := s.db.SelectContext(ctx, &rows, `
		SELECT t.id, t.org_id, t.user_id, u.email, t.name, t.created_at, t.created_by
		FROM api_tokens t JOIN users u ON u.org_id = t.org_id AND u.id = t.user_id
		WHERE t.org_id = $1 ORDER BY t.id DESC`, orgID); err != nil {
		return nil, s.wrap(err, "")
	}
	tokens := make([]workflow.Token, len(rows))
	for i, r := range rows {
		tokens[i] = workflow.Token{ID: r.ID, OrgID: r.OrgID, UserID: r.UserID, UserEmail: r.UserEmail, Name: r.Name, CreatedAt: r.CreatedAt.Time, CreatedBy: r.CreatedBy}
	}
	return tokens, nil
}

// RevokeToken deletes a token of the organisation.
func (s *Store) RevokeToken(ctx context.Context, orgID, tokenID int64) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM api_tokens WHERE org_id = $1 AND id = $2`, orgID, tokenID)
	if err != nil {
		return s.wrap(err, "")
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return notFound("Nyckeln finns inte.")
	}
	return nil
}

// SetFeedToken stores the hash of a user's calendar-feed token, replacing
// the previous one, which stops working.
func (s *Store) SetFeedToken(ctx context.Context, orgID, userID int64, hash []byte, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `
		INSERT INTO feed_tokens (org_id, user_id, hash, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (org_id, user_id) DO UPDATE SET hash = excluded.hash, created_at = excluded.created_at`,
		orgID, userID, hex.EncodeToString(hash), dbTime{at})
	return s.wrap(err, "")
}

// FeedTokenHolder finds whose feed token hash is.
func (s *Store) FeedTokenHolder(ctx context.Context, hash []byte) (workflow.TokenHolder, error) {
	return s.holder(ctx, "feed_tokens", hex.EncodeToString(hash), "Okänd kalenderlänk.")
}
