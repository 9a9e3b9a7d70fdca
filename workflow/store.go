package workflow

import (
	"context"
	"time"
)

// Store keeps the diarium. It is declared here, by the domain that needs it,
// and implemented by internal/store for PostgreSQL and the embedded database.
//
// Every method that reads or writes an organisation's data takes the
// organisation's id and never returns another organisation's rows: a
// missing row and another organisation's row are both CodeNotFound.
// Methods return *Error values: CodeNotFound, CodeConflict for duplicates,
// and CodeInternal for everything the caller cannot fix.
type Store interface {
	// Ping reports whether the database answers and its schema is current.
	Ping(ctx context.Context) error

	Case(ctx context.Context, orgID, caseID int64) (Case, error)
	History(ctx context.Context, orgID, caseID int64) ([]HistoryEntry, error)
	// CaseRefs lists every case of every organisation, for verifying the
	// history chains.
	CaseRefs(ctx context.Context) ([]CaseRef, error)
	// ApplyTransition writes t in one transaction. It returns a conflict
	// Error when the case's version is no longer t.ExpectedVersion, or when
	// t's idempotency key was taken meanwhile; nothing is written then.
	ApplyTransition(ctx context.Context, t Transition) error
	// IdempotencyRecord returns the record of key, CodeNotFound if none.
	IdempotencyRecord(ctx context.Context, orgID int64, key string) (IdempotencyRecord, error)

	// What an event's data names: a user, a body, a meeting, a handling.
	UserByEmail(ctx context.Context, orgID int64, email string) (User, error)
	BodyByCode(ctx context.Context, orgID int64, code string) (Body, error)
	Meeting(ctx context.Context, orgID, id int64) (Meeting, error)
	Documents(ctx context.Context, orgID, caseID int64) ([]Document, error)
	Document(ctx context.Context, orgID, caseID int64, n int) (Document, error)

	// SaveDefinition stores an organisation's own workflow definition;
	// CodeConflict when that name and version exist already.
	SaveDefinition(ctx context.Context, orgID int64, d *Definition) error
	// Definition returns an organisation's definition name at version, or
	// its latest version when version is 0.
	Definition(ctx context.Context, orgID int64, name string, version int) (*Definition, error)
	// Definitions returns the latest version of each of an organisation's
	// own definitions.
	Definitions(ctx context.Context, orgID int64) ([]*Definition, error)
	OrganizationBySlug(ctx context.Context, slug string) (Organization, error)
	// Organizations lists every organisation, for the background jobs.
	Organizations(ctx context.Context) ([]Organization, error)
}

// Clock tells the time; tests set it.
type Clock interface {
	Now() time.Time
}

// SystemClock is the real clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }
