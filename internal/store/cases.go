package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/diarium"
)

type caseRow struct {
	ID              int64  `db:"id"`
	OrgID           int64  `db:"org_id"`
	Series          string `db:"series"`
	Year            int    `db:"year"`
	Number          int64  `db:"number"`
	Dnr             string `db:"dnr"`
	DnrBase         string `db:"dnr_base"`
	Classification  string `db:"classification"`
	Title           string `db:"title"`
	State           string `db:"state"`
	Version         int64  `db:"version"`
	Workflow        string `db:"workflow"`
	WorkflowVersion int    `db:"workflow_version"`
	WorkflowCustom  bool   `db:"workflow_custom"`
	Sender          string `db:"sender"`
	SenderDnr       string `db:"sender_dnr"`
	Reference       string `db:"reference"`
	Received        dbDate `db:"received"`
	Deadline        dbDate `db:"deadline"`
	ReplyTo         string `db:"reply_to"`
	Cc              string `db:"cc"`
	Contact         string `db:"contact"`
	URL             string `db:"url"`
	Warnings        string `db:"warnings"`
	RegisteredBy    string `db:"registered_by"`
	CreatedAt       dbTime `db:"created_at"`
	UpdatedAt       dbTime `db:"updated_at"`

	HandlaggareID    sql.NullInt64  `db:"handlaggare_id"`
	HandlaggareEmail sql.NullString `db:"handlaggare_email"`
	HandlaggareName  sql.NullString `db:"handlaggare_name"`
	JusteradOn       dbDate         `db:"justerad_on"`
	AnslagOn         dbDate         `db:"anslag_on"`
	AppealEndsOn     dbDate         `db:"appeal_ends_on"`
	HeadSeq          int64          `db:"head_seq"`
	HeadHash         string         `db:"head_hash"`
}

const caseColumns = caseFields + caseFrom

// caseFields are the columns caseRow reads.
const caseFields = `c.id, c.org_id, s.code AS series, c.year, c.number, c.dnr, c.dnr_base, c.classification,
	c.title, c.state, c.version, c.workflow, c.workflow_version, c.workflow_custom, c.sender, c.sender_dnr, c.reference,
	c.received, c.deadline, c.reply_to, c.cc, c.contact, c.url, c.warnings, c.registered_by, c.created_at, c.updated_at,
	c.handlaggare_id, h.email AS handlaggare_email, h.name AS handlaggare_name, c.justerad_on, c.anslag_on, c.appeal_ends_on,
	c.head_seq, c.head_hash`

// caseFrom is where caseFields come from.
const caseFrom = `
	FROM cases c JOIN series s ON s.org_id = c.org_id AND s.id = c.series_id
	LEFT JOIN users h ON h.org_id = c.org_id AND h.id = c.handlaggare_id`

// caseChildren are whether a case has consultations, obligations and §,
// read with the case so that the children it lacks cost no query.
const caseChildren = `,
	EXISTS (SELECT 1 FROM consultations x WHERE x.org_id = c.org_id AND x.case_id = c.id) AS has_consultations,
	EXISTS (SELECT 1 FROM obligations x WHERE x.org_id = c.org_id AND x.case_id = c.id) AS has_obligations,
	EXISTS (SELECT 1 FROM paragraphs x WHERE x.org_id = c.org_id AND x.case_id = c.id) AS has_paragraphs`

func (r caseRow) toCase() (workflow.Case, error) {
	c := workflow.Case{
		ID: r.ID, OrgID: r.OrgID, Dnr: r.Dnr, DnrBase: r.DnrBase, Series: r.Series, Year: r.Year, Number: r.Number,
		Classification: r.Classification, Title: r.Title, State: r.State, Version: r.Version,
		Workflow: workflow.WorkflowRef{Name: r.Workflow, Version: r.WorkflowVersion, Custom: r.WorkflowCustom},
		HeadSeq:  r.HeadSeq, HeadHash: r.HeadHash,
		Remiss: workflow.Remiss{
			Sender: r.Sender, SenderDnr: r.SenderDnr, Reference: r.Reference,
			Received: r.Received.Date, Deadline: r.Deadline.Date, ReplyTo: r.ReplyTo, Contact: r.Contact, URL: r.URL,
		},
		RegisteredBy: r.RegisteredBy, CreatedAt: r.CreatedAt.Time, UpdatedAt: r.UpdatedAt.Time,
	}
	if r.HandlaggareID.Valid {
		c.Handlaggare = &workflow.UserRef{ID: r.HandlaggareID.Int64, Email: r.HandlaggareEmail.String, Name: r.HandlaggareName.String}
	}
	if !r.JusteradOn.IsZero() {
		c.Justering = &workflow.Justering{JusteradOn: r.JusteradOn.Date, AnslagOn: r.AnslagOn.Date, AppealEndsOn: r.AppealEndsOn.Date}
	}
	if err := json.Unmarshal([]byte(r.Cc), &c.Remiss.Cc); err != nil || c.Remiss.Cc == nil {
		c.Remiss.Cc = []string{}
	}
	if err := json.Unmarshal([]byte(r.Warnings), &c.Warnings); err != nil {
		return workflow.Case{}, workflow.Internal(fmt.Errorf("warnings of case %d: %w", r.ID, err))
	}
	return c, nil
}

// searchText is what the q filter matches: every identifying text of the
// case, lower-cased in Go so that both databases compare Å, Ä and Ö alike.
func searchText(nc diarium.NewCase, dnr string) string {
	return strings.ToLower(strings.Join([]string{dnr, nc.Title, nc.Remiss.Sender, nc.Remiss.SenderDnr, nc.Remiss.Reference}, "\n"))
}

// RegisterCase numbers and inserts a case, its letter and its first
// history row in one transaction.
func (s *Store) RegisterCase(ctx context.Context, nc diarium.NewCase) (workflow.Case, error) {
	var id int64
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		n, err := s.takeNumber(ctx, tx, nc.Series, nc.Series.CounterYear(nc.Year))
		if err != nil {
			return err
		}
		dnr := nc.Series.Format.Render(nc.Year, n, nc.Classification)
		base := nc.Series.Format.Render(nc.Year, n, "")
		nc.History.Seq = 1
		nc.History.Seal(dnr, workflow.GenesisHash)
		if id, err = s.insertCase(ctx, tx, nc, n, dnr, base); err != nil {
			return err
		}
		if _, err := s.insertDocument(ctx, tx, nc.OrgID, id, nc.Letter); err != nil {
			return err
		}
		return s.insertHistory(ctx, tx, nc.OrgID, id, nc.History)
	})
	if err != nil {
		return workflow.Case{}, err
	}
	return s.Case(ctx, nc.OrgID, id)
}

func (s *Store) insertCase(ctx context.Context, tx *sqlx.Tx, nc diarium.NewCase, n int64, dnr, base string) (int64, error) {
	warnings, err := json.Marshal(nc.Warnings)
	if err != nil {
		return 0, workflow.Internal(err)
	}
	m := nc.Remiss
	cc, err := json.Marshal(append([]string{}, m.Cc...))
	if err != nil {
		return 0, workflow.Internal(err)
	}
	var id int64
	err = tx.GetContext(ctx, &id, `
		INSERT INTO cases (org_id, series_id, year, number, dnr, dnr_base, classification, title, state, version,
			workflow, workflow_version, sender, sender_dnr, reference, received, deadline, reply_to, url,
			warnings, search_text, registered_by, registered_by_id, doc_count, created_at, updated_at, workflow_custom, cc, contact,
			head_seq, head_hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11, $12, $13, $14, $15, $16, $17, $18,
			$19, $20, $21, $22, 1, $23, $23, $24, $25, $26, $27, $28)
		RETURNING id`,
		nc.OrgID, nc.Series.ID, nc.Year, n, dnr, base, nc.Classification, nc.Title, nc.State,
		nc.Workflow.Name, nc.Workflow.Version, m.Sender, m.SenderDnr, m.Reference, dbDate{m.Received}, dbDate{m.Deadline},
		m.ReplyTo, m.URL, string(warnings), searchText(nc, dnr), nc.RegisteredBy.Label(), nullID(nc.RegisteredBy.UserID),
		dbTime{nc.At}, nc.Workflow.Custom, string(cc), m.Contact, nc.History.Seq, nc.History.Hash)
	return id, s.wrap(err, "Diarienumret "+dnr+" är redan använt.")
}

// Case returns one case of the organisation with its consultations and
// obligations.
func (s *Store) Case(ctx context.Context, orgID, caseID int64) (workflow.Case, error) {
	var r struct {
		caseRow
		HasConsultations bool `db:"has_consultations"`
		HasObligations   bool `db:"has_obligations"`
		HasParagraphs    bool `db:"has_paragraphs"`
	}
	err := s.db.GetContext(ctx, &r, `SELECT `+caseFields+caseChildren+caseFrom+` WHERE c.org_id = $1 AND c.id = $2`, orgID, caseID)
	if err != nil {
		return workflow.Case{}, s.found(err, "Ärendet finns inte.")
	}
	c, err := r.toCase()
	if err != nil {
		return workflow.Case{}, err
	}
	c.Consultations, c.Obligations, c.Paragraphs = []workflow.Consultation{}, []workflow.Obligation{}, []workflow.Paragraph{}
	if r.HasConsultations {
		if c.Consultations, err = s.consultations(ctx, orgID, caseID); err != nil {
			return workflow.Case{}, err
		}
	}
	if r.HasObligations {
		if c.Obligations, err = s.obligations(ctx, orgID, caseID); err != nil {
			return workflow.Case{}, err
		}
	}
	if r.HasParagraphs {
		c.Paragraphs, err = s.caseParagraphs(ctx, orgID, caseID)
	}
	return c, err
}

// CaseIDByDnr finds a case of the organisation by its diarienummer.
func (s *Store) CaseIDByDnr(ctx context.Context, orgID int64, dnr string) (int64, error) {
	var id int64
	err := s.db.GetContext(ctx, &id, `SELECT id FROM cases WHERE org_id = $1 AND dnr = $2`, orgID, dnr)
	return id, s.found(err, "Ärendet finns inte.")
}

// CaseRefs lists every case of every organisation.
func (s *Store) CaseRefs(ctx context.Context) ([]workflow.CaseRef, error) {
	var refs []workflow.CaseRef
	err := s.db.SelectContext(ctx, &refs, `
		SELECT c.org_id AS orgid, o.slug AS orgslug, c.id, c.dnr, c.head_seq AS headseq, c.head_hash AS headhash
		FROM cases c JOIN organizations o ON o.id = c.org_id
		ORDER BY c.org_id, c.id`)
	return refs, s.wrap(err, "")
}

// Cases returns up to f.Limit+1 cases in list order (reply date, then id)
// after f.After, and how many match the filter in all.
func (s *Store) Cases(ctx context.Context, orgID int64, f workflow.CaseFilter) ([]workflow.Case, int, error) {
	where, args := caseFilter(orgID, f)
	var total int
	if err := s.db.GetContext(ctx, &total, `SELECT count(*) FROM cases c WHERE `+where, args...); err != nil {
		return nil, 0, s.wrap(err, "")
	}
	if f.After != nil {
		args = append(args, dbDate{f.After.Deadline}, f.After.ID)
		where += fmt.Sprintf(" AND (c.deadline > $%d OR (c.deadline = $%d AND c.id > $%d))", len(args)-1, len(args)-1, len(args))
	}
	args = append(args, f.Limit+1)
	var rows []caseRow
	if err := s.db.SelectContext(ctx, &rows, `SELECT `+caseColumns+` WHERE `+where+
		fmt.Sprintf(" ORDER BY c.deadline, c.id LIMIT $%d", len(args)), args...); err != nil {
		return nil, 0, s.wrap(err, "")
	}
	cases, err := toCases(rows)
	return cases, total, err
}

// caseFilter builds the WHERE clause of a case list. Only the shape of the
// clause varies; every value is a parameter.
func caseFilter(orgID int64, f workflow.CaseFilter) (string, []any) {
	where, args := "c.org_id = $1", []any{orgID}
	if f.State != "" {
		args = append(args, f.State)
		where += fmt.Sprintf(" AND c.state = $%d", len(args))
	}
	if !f.DeadlineBefore.IsZero() {
		args = append(args, dbDate{f.DeadlineBefore})
		where += fmt.Sprintf(" AND c.deadline < $%d", len(args))
	}
	if f.Query != "" {
		args = append(args, "%"+escapeLike(strings.ToLower(f.Query))+"%")
		where += fmt.Sprintf(` AND c.search_text LIKE $%d ESCAPE '\'`, len(args))
	}
	return where, args
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func toCases(rows []caseRow) ([]workflow.Case, error) {
	cases := make([]workflow.Case, len(rows))
	for i, r := range rows {
		c, err := r.toCase()
		if err != nil {
			return nil, err
		}
		cases[i] = c
	}
	return cases, nil
}

// CasesBySenderDnr finds the organisation's cases about the ministry's
// number senderDnr.
func (s *Store) CasesBySenderDnr(ctx context.Context, orgID int64, senderDnr string) ([]workflow.Case, error) {
	var rows []caseRow
	if err := s.db.SelectContext(ctx, &rows, `SELECT `+caseColumns+`
		WHERE c.org_id = $1 AND c.sender_dnr = $2 ORDER BY c.id LIMIT $3`, orgID, senderDnr, diarium.MaxDuplicatesNamed); err != nil {
		return nil, s.wrap(err, "")
	}
	return toCases(rows)
}

// caseExists reports a not-found Error unless the organisation has the case.
func (s *Store) caseExists(ctx context.Context, q sqlx.QueryerContext, orgID, caseID int64) error {
	var one int
	err := sqlx.GetContext(ctx, q, &one, `SELECT 1 FROM cases WHERE org_id = $1 AND id = $2`, orgID, caseID)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound("Ärendet finns inte.")
	}
	return s.wrap(err, "")
}
