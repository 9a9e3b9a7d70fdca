package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/diarium"
)

// Login is what a password login needs of a user: the stored hash and the
// lock.
func (s *Store) Login(ctx context.Context, orgID int64, email string) (diarium.LoginRecord, error) {
	var r struct {
		userRow
		Hash   sql.NullString   `db:"password_hash"`
		Failed int              `db:"failed_logins"`
		Locked sql.Null[dbTime] `db:"locked_until"`
	}
	err := s.db.GetContext(ctx, &r, `
		SELECT u.id, u.org_id, u.email, u.name, u.created_at, u.password_hash, u.failed_logins, u.locked_until, `+s.rolesColumn()+`
		FROM users u WHERE u.org_id = $1 AND u.email = $2`, orgID, email)
	if err != nil {
		return diarium.LoginRecord{}, s.wrap(err, "")
	}
	rec := diarium.LoginRecord{User: r.user(), PasswordHash: r.Hash.String, FailedLogins: r.Failed}
	if r.Locked.Valid {
		rec.LockedUntil = r.Locked.V.Time
	}
	return rec, nil
}

// SetPasswordHash stores a user's new password hash and lifts any lock.
func (s *Store) SetPasswordHash(ctx context.Context, orgID, userID int64, hash string) error {
	res, err := s.db.ExecContext(ctx, `
		UPDATE users SET password_hash = $1, failed_logins = 0, locked_until = NULL WHERE org_id = $2 AND id = $3`, hash, orgID, userID)
	if err != nil {
		return s.wrap(err, "")
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return notFound("Användaren finns inte.")
	}
	return nil
}

// RecordLogin counts a failed attempt, locking the account until lockUntil
// when it is the limit's; a success resets the count. The count is raised
// in the statement, so concurrent guesses cannot slip past the limit.
func (s *Store) RecordLogin(ctx context.Context, orgID, userID int64, ok bool, limit int, lockUntil time.Time) error {
	if ok {
		_, err := s.db.ExecContext(ctx, `UPDATE users SET failed_logins = 0, locked_until = NULL WHERE org_id = $1 AND id = $2`, orgID, userID)
		return s.wrap(err, "")
	}
	_, err := s.db.ExecContext(ctx, `
		UPDATE users SET failed_logins = failed_logins + 1,
			locked_until = CASE WHEN failed_logins + 1 >= $1 THEN $2 ELSE locked_until END
		WHERE org_id = $3 AND id = $4`, limit, dbTime{lockUntil}, orgID, userID)
	return s.wrap(err, "")
}

// UserByID returns one user of the organisation, for a session.
func (s *Store) UserByID(ctx context.Context, orgID, userID int64) (workflow.User, error) {
	var r userRow
	err := s.db.GetContext(ctx, &r, `SELECT u.id, u.org_id, u.email, u.name, u.created_at, `+s.rolesColumn()+`
		FROM users u WHERE u.org_id = $1 AND u.id = $2`, orgID, userID)
	if err != nil {
		return workflow.User{}, s.found(err, "Användaren finns inte.")
	}
	return r.user(), nil
}

// FindSession returns a session's data, or found false when it does not
// exist or has expired. With CommitSession and DeleteSession it is the
// session store of the web application (scs's CtxStore).
func (s *Store) FindSession(ctx context.Context, token string) ([]byte, bool, error) {
	var data []byte
	err := s.db.GetContext(ctx, &data, `SELECT data FROM sessions WHERE token = $1 AND expiry > $2`, token, dbTime{time.Now()})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	return data, err == nil, s.wrap(err, "")
}

// CommitSession stores a session until expiry.
func (s *Store) CommitSession(ctx context.Context, token string, data []byte, expiry time.Time) error {
	_, err := s.db.ExecContext(ctx, `
		INSERT INTO sessions (token, data, expiry) VALUES ($1, $2, $3)
		ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`, token, data, dbTime{expiry})
	return s.wrap(err, "")
}

// DeleteSession ends a session.
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE token = $1`, token)
	return s.wrap(err, "")
}

// DeleteExpiredSessions removes the sessions that have run out.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE expiry <= $1`, dbTime{now})
	return s.wrap(err, "")
}

// SetUserRoles replaces a user's roles, as single sign-on does at each
// login from the person's groups at the identity provider.
func (s *Store) SetUserRoles(ctx context.Context, orgID, userID int64, roles []workflow.Role) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM user_roles WHERE org_id = $1 AND user_id = $2`, orgID, userID); err != nil {
			return s.wrap(err, "")
		}
		return s.insertRoles(ctx, tx, orgID, userID, roles)
	})
}
