package store

import (
	"database/sql/driver"
	"fmt"
	"time"

	"github.com/yttrande/remiss/workflow"
)

// timeLayout is how instants are written to both databases: UTC with
// microseconds, which PostgreSQL's timestamptz keeps exactly and which sorts
// correctly as text in SQLite.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// dbTime carries an instant to and from either database.
type dbTime struct{ time.Time }

// Value writes the instant as UTC text.
func (t dbTime) Value() (driver.Value, error) {
	return t.UTC().Format(timeLayout), nil
}

// Scan reads a timestamptz (PostgreSQL) or text (SQLite).
func (t *dbTime) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		t.Time = v.UTC()
		return nil
	case string:
		return t.parse(v)
	case []byte:
		return t.parse(string(v))
	}
	return fmt.Errorf("cannot scan %T into a time", src)
}

func (t *dbTime) parse(s string) error {
	p, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("bad stored time %q: %w", s, err)
	}
	t.Time = p.UTC()
	return nil
}

// dbDate carries a civil date to and from either database.
type dbDate struct{ workflow.Date }

// Value writes the date as YYYY-MM-DD, which PostgreSQL reads into a date.
func (d dbDate) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads a date (PostgreSQL) or text (SQLite); NULL is the zero Date.
func (d *dbDate) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		d.Date = workflow.Date{}
		return nil
	case time.Time:
		d.Date = workflow.DateOf(v)
		return nil
	case string:
		return d.parse(v)
	case []byte:
		return d.parse(string(v))
	}
	return fmt.Errorf("cannot scan %T into a date", src)
}

func (d *dbDate) parse(s string) error {
	if len(s) > 10 { // a driver may hand back "2024-04-15T00:00:00Z"
		s = s[:10]
	}
	p, err := workflow.ParseDate(s)
	if err != nil {
		return fmt.Errorf("bad stored date: %w", err)
	}
	d.Date = p
	return nil
}

// nullID maps 0 to NULL for optional references.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// nullString maps "" to NULL for optional text.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
