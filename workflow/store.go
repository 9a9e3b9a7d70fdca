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

	CreateOrganization(ctx context.Context, org Organization) (Organization, error)
	OrganizationBySlug(ctx context.Context, slug string) (Organization, error)

	CreateUser(ctx context.Context, u User) (User, error)
	UserByEmail(ctx context.Context, orgID int64, email string) (User, error)
	UserByID(ctx context.Context, orgID, userID int64) (User, error)
	// Login returns what a password login needs of the user with email.
	Login(ctx context.Context, orgID int64, email string) (LoginRecord, error)
	// RecordLogin resets the failed-login count on success, or raises
	// it and, at limit, locks the account until lockUntil.
	RecordLogin(ctx context.Context, orgID, userID int64, ok bool, limit int, lockUntil time.Time) error
	SetPasswordHash(ctx context.Context, orgID, userID int64, hash string) error
	// SetUserRoles replaces a user's roles.
	SetUserRoles(ctx context.Context, orgID, userID int64, roles []Role) error
	Users(ctx context.Context, orgID int64) ([]User, error)

	CreateToken(ctx context.Context, t Token) (Token, error)
	TokenHolder(ctx context.Context, hash []byte) (TokenHolder, error)
	Tokens(ctx context.Context, orgID int64) ([]Token, error)
	RevokeToken(ctx context.Context, orgID, tokenID int64) error

	CreateBody(ctx context.Context, b Body) (Body, error)
	BodyByCode(ctx context.Context, orgID int64, code string) (Body, error)
	Bodies(ctx context.Context, orgID int64) ([]Body, error)
	// UpdateBody stores a body's name and mailbox.
	UpdateBody(ctx context.Context, b Body) error

	// CreateSeries stores s and makes next the next number of the series
	// in year (the counter year, see Series.CounterYear).
	CreateSeries(ctx context.Context, s Series, year int, next int64) (Series, error)
	SeriesByCode(ctx context.Context, orgID int64, code string) (Series, error)
	// ContinueSeries makes next the next number of the series in year
	// (the counter year), unless a case already has a number of that
	// year: then it is a CodeInvalid Error and nothing changes.
	ContinueSeries(ctx context.Context, s Series, year int, next int64) error
	SeriesList(ctx context.Context, orgID int64) ([]Series, error)
	// NextNumber is the number the series' next registration in the
	// counter year would get.
	NextNumber(ctx context.Context, s Series, year int) (int64, error)

	// RegisterCase numbers the case in its series and inserts it with its
	// letter and its first history row, all in one transaction: two
	// concurrent registrations never get the same number and a failed one
	// never uses one up.
	RegisterCase(ctx context.Context, nc NewCase) (Case, error)
	Case(ctx context.Context, orgID, caseID int64) (Case, error)
	Cases(ctx context.Context, orgID int64, f CaseFilter) ([]Case, int, error)
	// CasesBySenderDnr returns the first MaxDuplicatesNamed cases
	// registered with the ministry's number.
	CasesBySenderDnr(ctx context.Context, orgID int64, senderDnr string) ([]Case, error)

	// AddDocument gives d the case's next löpnummer and inserts it.
	AddDocument(ctx context.Context, orgID, caseID int64, d Document) (Document, error)
	Documents(ctx context.Context, orgID, caseID int64) ([]Document, error)
	Document(ctx context.Context, orgID, caseID int64, n int) (Document, error)
	// AttachFile stores f as the file of handling n; CodeConflict when the
	// handling already has one.
	AttachFile(ctx context.Context, orgID, caseID int64, n int, f File) (Document, error)
	FileContent(ctx context.Context, orgID, caseID int64, n int) (File, error)

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

	// UpdateOrganization stores an organisation's name and settings.
	UpdateOrganization(ctx context.Context, org Organization) (Organization, error)

	// AddMember adds m to a body; CodeConflict when the name is taken.
	AddMember(ctx context.Context, orgID, bodyID int64, m Member) (Member, error)
	Members(ctx context.Context, orgID, bodyID int64) ([]Member, error)

	// CreateMeetings inserts meetings of one body, each with its first log
	// row, in one transaction; CodeConflict when one of them takes the
	// date and time of a planned meeting of the body.
	CreateMeetings(ctx context.Context, ms []Meeting, log MeetingLogEntry) ([]Meeting, error)
	Meeting(ctx context.Context, orgID, id int64) (Meeting, error)
	// Meetings lists a body's meetings, or every body's when bodyID is 0.
	Meetings(ctx context.Context, orgID, bodyID int64, f MeetingFilter) ([]Meeting, error)
	// UpdateMeeting stores m's date, time, location and status if its
	// version is still expected, with the log row; CodeConflict otherwise.
	UpdateMeeting(ctx context.Context, m Meeting, expected int64, log MeetingLogEntry) (Meeting, error)
	MeetingLog(ctx context.Context, orgID, meetingID int64) ([]MeetingLogEntry, error)
	// JusteraMeeting records the justering of m's minutes if its version
	// is still expected: the meeting, every paragraph not justerad yet and
	// the transitions of the cases decided there, all in one transaction.
	JusteraMeeting(ctx context.Context, m Meeting, expected int64, log MeetingLogEntry, trs []Transition) (Meeting, error)

	// Agenda lists the cases on a meeting's agenda, in order, with the §
	// each got at the meeting.
	Agenda(ctx context.Context, orgID, meetingID int64) ([]AgendaItem, error)
	// Paragraphs lists a meeting's paragraphs by number.
	Paragraphs(ctx context.Context, orgID, meetingID int64) ([]Paragraph, error)
	// OpenObligations lists the open obligations to report to a body.
	OpenObligations(ctx context.Context, orgID, bodyID int64) ([]OpenObligation, error)
	// ReportedObligations lists the obligations reported at a meeting.
	ReportedObligations(ctx context.Context, orgID, meetingID int64) ([]OpenObligation, error)

	// SaveDefinition stores an organisation's own workflow definition;
	// CodeConflict when that name and version exist already.
	SaveDefinition(ctx context.Context, orgID int64, d *Definition) error
	// Definition returns an organisation's definition name at version, or
	// its latest version when version is 0.
	Definition(ctx context.Context, orgID int64, name string, version int) (*Definition, error)
	// Definitions returns the latest version of each of an organisation's
	// own definitions.
	Definitions(ctx context.Context, orgID int64) ([]*Definition, error)
	// Deadlines lists open deadlines in date order, joined with their case.
	Deadlines(ctx context.Context, orgID int64, f DeadlineFilter) ([]Deadline, error)

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
