package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/planning"
)

// ClosedDays lists the organisation's own closed days and half days.
func (s *Store) ClosedDays(ctx context.Context, orgID int64) ([]planning.ClosedDay, error) {
	var rows []struct {
		Day  dbDate `db:"day"`
		Kind string `db:"kind"`
		Name string `db:"name"`
	}
	if err := s.db.SelectContext(ctx, &rows, `SELECT day, kind, name FROM org_days WHERE org_id = $1 ORDER BY day`, orgID); err != nil {
		return nil, s.wrap(err, "")
	}
	out := make([]planning.ClosedDay, len(rows))
	for i, r := range rows {
		out[i] = planning.ClosedDay{Date: r.Day.Date, Kind: planning.DayKind(r.Kind), Name: r.Name}
	}
	return out, nil
}

// SetClosedDays replaces the organisation's own days in one transaction.
func (s *Store) SetClosedDays(ctx context.Context, orgID int64, days []planning.ClosedDay) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM org_days WHERE org_id = $1`, orgID); err != nil {
			return s.wrap(err, "")
		}
		for _, d := range days {
			if _, err := tx.ExecContext(ctx, `INSERT INTO org_days (org_id, day, kind, name) VALUES ($1, $2, $3, $4)`,
				orgID, dbDate{d.Date}, string(d.Kind), d.Name); err != nil {
				return s.wrap(err, "Datumet "+d.Date.String()+" finns två gånger.")
			}
		}
		return nil
	})
}

// CaseAgenda lists the meetings the case is on the agenda of, by date.
func (s *Store) CaseAgenda(ctx context.Context, orgID, caseID int64) ([]workflow.Meeting, error) {
	var rows []meetingRow
	if err := s.db.SelectContext(ctx, &rows, `SELECT `+meetingColumns+`
		JOIN agenda_items a ON a.org_id = m.org_id AND a.meeting_id = m.id
		WHERE m.org_id = $1 AND a.case_id = $2
		ORDER BY m.date, m.time, m.id`, orgID, caseID); err != nil {
		return nil, s.wrap(err, "")
	}
	out := make([]workflow.Meeting, len(rows))
	for i, r := range rows {
		out[i] = r.meeting()
	}
	return out, nil
}

// ReplaceDeadlines stores a case's plan as its deadlines. It writes
// nothing when the case is no longer at version: a later change has
// planned it anew, or is about to.
func (s *Store) ReplaceDeadlines(ctx context.Context, orgID, caseID, version int64, ds []workflow.Deadline) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		var current int64
		// Locking the case row orders concurrent re-plans of one case.
		err := tx.GetContext(ctx, &current, `SELECT version FROM cases WHERE org_id = $1 AND id = $2`+s.forUpdate(), orgID, caseID)
		if err != nil {
			return s.found(err, "Ärendet finns inte.")
		}
		if current != version {
			return nil
		}
		return s.writeDeadlines(ctx, tx, orgID, caseID, ds)
	})
}

// writeDeadlines replaces a case's deadlines inside tx: one DELETE and
// one INSERT of every row.
func (s *Store) writeDeadlines(ctx context.Context, tx *sqlx.Tx, orgID, caseID int64, ds []workflow.Deadline) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM case_deadlines WHERE org_id = $1 AND case_id = $2`, orgID, caseID); err != nil {
		return s.wrap(err, "")
	}
	if len(ds) == 0 {
		return nil
	}
	const columns = 12
	values := make([]string, len(ds))
	args := make([]any, 0, columns*len(ds))
	for i, d := range ds {
		values[i] = placeholders(i*columns+1, columns)
		args = append(args, orgID, caseID, d.Seq, d.Kind, d.Title, d.Body, dbDate{d.Due}, string(d.Status), d.Done, nullID(d.MeetingID), d.Note,
			dbTime{d.ComputedAt})
	}
	_, err := tx.ExecContext(ctx, `
		INSERT INTO case_deadlines (org_id, case_id, seq, kind, title, body, due, status, done, meeting_id, note, computed_at)
		VALUES `+strings.Join(values, ", "), args...)
	return s.wrap(err, "")
}

// placeholders is "($from, …, $from+n-1)".
func placeholders(from, n int) string {
	ps := make([]string, n)
	for i := range ps {
		ps[i] = "$" + strconv.Itoa(from+i)
	}
	return "(" + strings.Join(ps, ", ") + ")"
}

// forUpdate locks the selected row on PostgreSQL; SQLite has one writer
// at a time anyway.
func (s *Store) forUpdate() string {
	if s.dialect == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

type deadlineRow struct {
	ID               int64          `db:"id"`
	CaseID           int64          `db:"case_id"`
	Seq              int            `db:"seq"`
	Kind             string         `db:"kind"`
	Title            string         `db:"title"`
	Body             string         `db:"body"`
	Due              dbDate         `db:"due"`
	Status           string         `db:"status"`
	MeetingID        sql.NullInt64  `db:"meeting_id"`
	Note             string         `db:"note"`
	ComputedAt       dbTime         `db:"computed_at"`
	Dnr              string         `db:"dnr"`
	CaseTitle        string         `db:"case_title"`
	ReplyBy          dbDate         `db:"reply_by"`
	HandlaggareEmail sql.NullString `db:"handlaggare_email"`
	HandlaggareName  sql.NullString `db:"handlaggare_name"`
}

func (r deadlineRow) deadline() workflow.Deadline {
	d := workflow.Deadline{ID: r.ID, CaseID: r.CaseID, Seq: r.Seq, Kind: r.Kind, Title: r.Title, Body: r.Body, Due: r.Due.Date,
		Status: workflow.PlanStatus(r.Status), MeetingID: r.MeetingID.Int64, Note: r.Note, ComputedAt: r.ComputedAt.Time,
		Dnr: r.Dnr, CaseTitle: r.CaseTitle, ReplyBy: r.ReplyBy.Date}
	if r.HandlaggareEmail.Valid {
		d.Handlaggare = &workflow.UserRef{Email: r.HandlaggareEmail.String, Name: r.HandlaggareName.String}
	}
	return d
}

// Deadlines lists open deadlines by due date and id. The open-deadline
// index (org_id, due, id) WHERE NOT done serves the range and the order,
// so a page costs the same with a hundred cases or a hundred thousand.
func (s *Store) Deadlines(ctx context.Context, orgID int64, f workflow.DeadlineFilter) ([]workflow.Deadline, error) {
	after := f.After
	if after == nil {
		after = &workflow.CaseCursor{}
	}
	var rows []deadlineRow
	err := s.db.SelectContext(ctx, &rows, `
		SELECT d.id, d.case_id, d.seq, d.kind, d.title, d.body, d.due, d.status, d.meeting_id, d.note, d.computed_at,
			c.dnr, c.title AS case_title, c.deadline AS reply_by, h.email AS handlaggare_email, h.name AS handlaggare_name
		FROM case_deadlines d
		JOIN cases c ON c.org_id = d.org_id AND c.id = d.case_id
		LEFT JOIN users h ON h.org_id = c.org_id AND h.id = c.handlaggare_id
		WHERE d.org_id = $1 AND NOT d.done
			AND ($2 OR d.due >= $3) AND ($4 OR d.due <= $5)
			AND ($6 OR c.handlaggare_id = $7) AND ($8 OR d.body = $9)
			AND ($10 OR d.due > $11 OR (d.due = $11 AND d.id > $12))
			AND ($14 OR d.case_id = $15)
		ORDER BY d.due, d.id
		LIMIT $13`,
		orgID, f.From.IsZero(), dbDate{f.From}, f.To.IsZero(), dbDate{f.To}, f.UserID == 0, f.UserID, f.Body == "", f.Body,
		f.After == nil, dbDate{after.Deadline}, after.ID, f.Limit, f.CaseID == 0, f.CaseID)
	if err != nil {
		return nil, s.wrap(err, "")
	}
	out := make([]workflow.Deadline, len(rows))
	for i, r := range rows {
		out[i] = r.deadline()
	}
	return out, nil
}

// PlannedCases lists the cases with an open deadline on the body, or
// with any open deadline when body is "".
func (s *Store) PlannedCases(ctx context.Context, orgID int64, body string) ([]int64, error) {
	var ids []int64
	err := s.db.SelectContext(ctx, &ids, `
		SELECT DISTINCT case_id FROM case_deadlines
		WHERE org_id = $1 AND NOT done AND ($2 OR body = $3)
		ORDER BY case_id`, orgID, body == "", body)
	return ids, s.wrap(err, "")
}
