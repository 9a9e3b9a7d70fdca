// Package storetest opens real, throwaway databases for tests: a fresh
// embedded database in a temporary directory, and a fresh PostgreSQL
// database cloned from a migrated template (pgtestdb) on the server that
// REMISS_TEST_POSTGRES_URL names.
//
// PostgreSQL tests are required: when the server cannot be reached they
// fail. A developer without PostgreSQL can set REMISS_TEST_POSTGRES=skip;
// CI never does.
package storetest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"io/fs"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/peterldowns/pgtestdb"

	"github.com/yttrande/remiss/internal/store"
	"github.com/yttrande/remiss/migrations"
)

// DefaultPostgresURL is the test server of the development and CI machines.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// Backend opens a fresh store of one dialect for a test.
type Backend struct {
	Name string
	Open func(t testing.TB) *store.Store
}

// Backends lists both dialects, the embedded database first.
func Backends() []Backend {
	return []Backend{{Name: "sqlite", Open: SQLite}, {Name: "postgres", Open: Postgres}}
}

// SQLite opens a fresh, migrated embedded database that lives as long as
// the test.
func SQLite(t testing.TB) *store.Store {
	t.Helper()
	return open(t, "sqlite:"+filepath.Join(t.TempDir(), "remiss.db"), true)
}

// SQLiteURL returns the URL of a fresh, unmigrated embedded database file.
func SQLiteURL(t testing.TB) string {
	return "sqlite:" + filepath.Join(t.TempDir(), "remiss.db")
}

// Postgres opens a fresh, migrated PostgreSQL database that is dropped when
// the test passes (and kept, with its URL logged, when it fails).
func Postgres(t testing.TB) *store.Store {
	t.Helper()
	return open(t, PostgresURL(t), false)
}

// PostgresURL creates a fresh, migrated PostgreSQL database and returns
// its URL.
func PostgresURL(t testing.TB) string {
	t.Helper()
	conf := serverConfig(t)
	db := pgtestdb.Custom(t, conf, migrator{})
	return db.URL()
}

func open(t testing.TB, dbURL string, migrate bool) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), dbURL, nil)
	if err != nil {
		t.Fatalf("open %s: %v", dbURL, err)
	}
	t.Cleanup(func() { st.Close() })
	if migrate {
		if _, err := st.Migrate(context.Background()); err != nil {
			t.Fatalf("migrate: %v", err)
		}
	}
	return st
}

// serverConfig reads REMISS_TEST_POSTGRES_URL and fails the test when the
// server does not answer, unless the developer opted out.
func serverConfig(t testing.TB) pgtestdb.Config {
	t.Helper()
	if os.Getenv("REMISS_TEST_POSTGRES") == "skip" {
		if st, ok := t.(interface{ Skip(...any) }); ok {
			st.Skip("REMISS_TEST_POSTGRES=skip: PostgreSQL tests skipped (CI never skips them)")
		}
	}
	raw := os.Getenv("REMISS_TEST_POSTGRES_URL")
	if raw == "" {
		raw = DefaultPostgresURL
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("REMISS_TEST_POSTGRES_URL: %v", err)
	}
	pass, _ := u.User.Password()
	conf := pgtestdb.Config{
		DriverName: "postgres", Host: u.Hostname(), Port: u.Port(), User: u.User.Username(), Password: pass,
		Database: filepath.Base(u.Path), Options: u.RawQuery,
	}
	if conf.Port == "" {
		conf.Port = "5432"
	}
	if c, err := net.Dial("tcp", net.JoinHostPort(conf.Host, conf.Port)); err != nil {
		t.Fatalf("PostgreSQL tests are required and %s does not answer: %v\n(start PostgreSQL, set REMISS_TEST_POSTGRES_URL, or for a local run without it REMISS_TEST_POSTGRES=skip)", u.Redacted(), err)
	} else {
		c.Close()
	}
	return conf
}

// migrator lets pgtestdb build its template with our own migrations; the
// template is rebuilt whenever a migration file changes.
type migrator struct{}

func (migrator) Hash() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(migrations.FS, "postgres", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(migrations.FS, path)
		h.Write([]byte(path))
		h.Write(b)
		return err
	})
	return hex.EncodeToString(h.Sum(nil))[:16], err
}

func (migrator) Migrate(ctx context.Context, _ *sql.DB, conf pgtestdb.Config) error {
	st, err := store.Open(ctx, conf.URL(), nil)
	if err != nil {
		return err
	}
	defer st.Close()
	_, err = st.Migrate(ctx)
	return err
}
