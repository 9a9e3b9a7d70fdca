package store

import (
	"context"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/yttrande/remiss/migrations"
)

// provider returns goose's migration runner for the store's dialect. On
// PostgreSQL a session advisory lock keeps two server instances starting
// at once from migrating at the same time.
func (s *Store) provider() (*goose.Provider, error) {
	dir, err := fs.Sub(migrations.FS, string(s.dialect))
	if err != nil {
		return nil, err
	}
	dialect := goose.DialectSQLite3
	var opts []goose.ProviderOption
	if s.dialect == Postgres {
		dialect = goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	return goose.NewProvider(dialect, s.db.DB, dir, opts...)
}

// Migrate brings the schema up to date and returns the versions it applied.
func (s *Store) Migrate(ctx context.Context) ([]int64, error) {
	p, err := s.provider()
	if err != nil {
		return nil, err
	}
	results, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate the %s database: %w", s.dialect, err)
	}
	applied := make([]int64, 0, len(results))
	for _, r := range results {
		applied = append(applied, r.Source.Version)
	}
	return applied, nil
}

// SchemaVersions returns the schema version of the database and the newest
// version this binary knows.
func (s *Store) SchemaVersions(ctx context.Context) (current, latest int64, err error) {
	p, err := s.provider()
	if err != nil {
		return 0, 0, err
	}
	return p.GetVersions(ctx)
}

// CheckSchema returns an error unless the database schema is exactly the
// one this binary was built for: behind needs migrating, ahead means a
// newer binary migrated it and this one must not write to it.
func (s *Store) CheckSchema(ctx context.Context) error {
	current, latest, err := s.SchemaVersions(ctx)
	if err != nil {
		return err
	}
	switch {
	case current < latest:
		return fmt.Errorf("the database schema is at version %d, this binary needs %d: run `remiss migrate` (or start without --no-migrate)", current, latest)
	case current > latest:
		return fmt.Errorf("the database schema is at version %d, newer than this binary's %d: upgrade the binary", current, latest)
	}
	return nil
}
