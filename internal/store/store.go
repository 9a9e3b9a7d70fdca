// Package store keeps the diarium in PostgreSQL (lib/pq) or in the embedded
// database (modernc.org/sqlite), behind workflow.Store. Both dialects run
// the same contract tests; SQL is literal and sits beside its method.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/diarium"
	"github.com/yttrande/remiss/workflow/documents"
	"github.com/yttrande/remiss/workflow/meetings"
	"github.com/yttrande/remiss/workflow/planning"
	"github.com/yttrande/remiss/workflow/sending"
)

// Dialect names a supported database.
type Dialect string

// The supported databases.
const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// Store keeps the diarium in one database.
type Store struct {
	db         *sqlx.DB
	dialect    Dialect
	log        *slog.Logger
	statements *atomic.Int64 // every statement sent, through countingConn
}

// Store implements the store interface every part of the remiss work
// declares.
var (
	_ workflow.Store        = (*Store)(nil)
	_ workflow.CoreStore    = (*Store)(nil)
	_ diarium.Store         = (*Store)(nil)
	_ diarium.AccountsStore = (*Store)(nil)
	_ documents.Store       = (*Store)(nil)
	_ meetings.Store        = (*Store)(nil)
	_ planning.Store        = (*Store)(nil)
	_ sending.Store         = (*Store)(nil)
)

// Open connects to the database that url names: "postgres://…" (or
// "postgresql://…") for PostgreSQL, "sqlite:PATH" for the embedded
// database. It does not migrate; see Migrate and CheckSchema.
func Open(ctx context.Context, rawURL string, log *slog.Logger) (*Store, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	t, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}
	if t.dialect == SQLite {
		if err := os.MkdirAll(filepath.Dir(t.path), 0o750); err != nil {
			return nil, fmt.Errorf("create the database directory: %w", err)
		}
	}
	dialect := t.dialect
	statements := new(atomic.Int64)
	raw, err := openCounting(string(dialect), t.dsn, statements)
	if err != nil {
		return nil, err
	}
	db := sqlx.NewDb(raw, string(dialect))
	configurePool(db, dialect)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to the %s database: %w", dialect, err)
	}
	return &Store{db: db, dialect: dialect, log: log, statements: statements}, nil
}

func configurePool(db *sqlx.DB, dialect Dialect) {
	db.SetConnMaxIdleTime(5 * time.Minute)
	if dialect == SQLite {
		// One file, one writer at a time; a few connections let reads run
		// beside a write (WAL) without piling up waiting writers.
		db.SetMaxOpenConns(8)
		db.SetMaxIdleConns(8)
		return
	}
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(16)
}

// target is a parsed database URL. The dialect names the driver too.
type target struct {
	dialect Dialect
	dsn     string
	path    string // the file, for the embedded database
}

// parseURL turns the product's database URL into a driver DSN.
func parseURL(raw string) (target, error) {
	switch {
	case strings.HasPrefix(raw, "postgres://"), strings.HasPrefix(raw, "postgresql://"):
		dsn, err := postgresDSN(raw)
		return target{dialect: Postgres, dsn: dsn}, err
	case strings.HasPrefix(raw, "sqlite:"):
		path := strings.TrimPrefix(strings.TrimPrefix(raw, "sqlite:"), "//")
		if path == "" || strings.ContainsAny(path, "?#") {
			return target{}, fmt.Errorf("database URL %q: want sqlite:PATH, a file path without options", raw)
		}
		return target{dialect: SQLite, dsn: sqliteDSN(path), path: path}, nil
	}
	return target{}, fmt.Errorf("database URL %q: want postgres://… or sqlite:PATH", redact(raw))
}

// postgresDSN adds the options the product relies on unless the operator
// set them: an explicit sslmode (libpq's "prefer"; lib/pq would otherwise
// insist on TLS even on loopback), parameters in one round trip, and a name
// in pg_stat_activity.
func postgresDSN(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("database URL: %w", err)
	}
	q := u.Query()
	for k, v := range map[string]string{"sslmode": "prefer", "binary_parameters": "yes", "fallback_application_name": "remiss"} {
		if !q.Has(k) {
			q.Set(k, v)
		}
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// sqliteDSN opens the file in WAL mode with a generous busy timeout and
// BEGIN IMMEDIATE transactions: a transaction takes the write lock when it
// starts, so concurrent writers queue instead of failing on upgrade.
func sqliteDSN(path string) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(30000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// redact hides a password in a URL for error messages.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	return u.Redacted()
}

// Dialect reports which database the store uses.
func (s *Store) Dialect() Dialect { return s.dialect }

// Close closes the connection pool.
func (s *Store) Close() error { return s.db.Close() }

// Ping reports whether the database answers and its schema is current.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return workflow.Internal(err)
	}
	if err := s.CheckSchema(ctx); err != nil {
		return workflow.Internal(err)
	}
	return nil
}

// inTx runs fn in one transaction and commits when it returns nil.
func (s *Store) inTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return s.wrap(err, "")
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return s.wrap(err, "")
	}
	return nil
}

// wrap turns a database error into a workflow.Error: a unique violation
// becomes a conflict with the Swedish message duplicate, no rows becomes
// not found, everything else internal.
func (s *Store) wrap(err error, duplicate string) error {
	var we *workflow.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &we):
		return err
	case errors.Is(err, sql.ErrNoRows):
		return &workflow.Error{Code: workflow.CodeNotFound, Message: "Hittades inte.", Err: err}
	case duplicate != "" && isUniqueViolation(err):
		return &workflow.Error{Code: workflow.CodeConflict, Message: duplicate, Err: err}
	}
	return workflow.Internal(err)
}

func isUniqueViolation(err error) bool {
	var pe *pq.Error
	if errors.As(err, &pe) {
		return pe.Code == "23505"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// found maps "no rows" to a not-found Error with a Swedish message and
// every other error as wrap does.
func (s *Store) found(err error, message string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return &workflow.Error{Code: workflow.CodeNotFound, Message: message, Err: err}
	}
	return s.wrap(err, "")
}

// notFound is the error for a row of the caller's organisation that does
// not exist (or belongs to another organisation).
func notFound(format string, args ...any) error {
	return workflow.Errorf(workflow.CodeNotFound, format, args...)
}
