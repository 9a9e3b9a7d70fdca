package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/yttrande/remiss/workflow"
)

// writeParagraph numbers (unless the number was given) and inserts the
// transition's paragraph inside tx. Taking the number is an UPDATE of the
// body's counter row for the year, which holds the row's lock until
// commit: concurrent decisions queue there, and a rolled-back one gives
// its number back. Recording a paragraph also bumps the meeting's version
// and fails on a cancelled meeting, so a meeting cannot be cancelled or
// moved under a decision being recorded.
func (s *Store) writeParagraph(ctx context.Context, tx *sqlx.Tx, t *workflow.Transition) error {
	p := t.Paragraph
	if p == nil {
		return nil
	}
	res, err := tx.ExecContext(ctx, `
		UPDATE meetings SET version = version + 1 WHERE org_id = $1 AND id = $2 AND status = 'planerat'`, p.OrgID, p.MeetingID)
	if err != nil {
		return s.wrap(err, "")
	}
	if err := swapped(res, "Sammanträdet har ställts in medan beslutet registrerades."); err != nil {
		return err
	}
	n, err := s.paragraphNumber(ctx, tx, p, t.AllocateParagraph)
	if err != nil {
		return err
	}
	if err := t.NumberParagraph(n); err != nil {
		return err
	}
	decision, err := json.Marshal(p.Decision)
	if err != nil {
		return workflow.Internal(err)
	}
	var j workflow.Justering
	if p.Justering != nil {
		j = *p.Justering
	}
	err = tx.GetContext(ctx, &p.ID, `
		INSERT INTO paragraphs (org_id, body_id, year, number, meeting_id, case_id, kind, title, outcome, decision,
			justeras_omedelbart, justerad_on, anslag_on, appeal_ends_on, created_at, created_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
		p.OrgID, p.BodyID, p.Year, p.Number, p.MeetingID, nullID(p.CaseID), string(p.Kind), p.Title, p.Outcome, string(decision),
		p.JusterasOmedelbart, dbDate{j.JusteradOn}, dbDate{j.AnslagOn}, dbDate{j.AppealEndsOn}, dbTime{p.CreatedAt}, p.CreatedBy)
	return s.wrap(err, fmt.Sprintf("%s har redan en § %d år %d.", p.BodyName, p.Number, p.Year))
}

// paragraphNumber takes the body's next number for the year, or, for a
// number the municipality gave, moves the counter past it.
func (s *Store) paragraphNumber(ctx context.Context, tx *sqlx.Tx, p *workflow.Paragraph, allocate bool) (int, error) {
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO paragraph_counters (org_id, body_id, year, next_number) VALUES ($1, $2, $3, 1) ON CONFLICT DO NOTHING`,
		p.OrgID, p.BodyID, p.Year); err != nil {
		return 0, s.wrap(err, "")
	}
	if !allocate {
		_, err := tx.ExecContext(ctx, `
			UPDATE paragraph_counters SET next_number = CASE WHEN next_number > $1 THEN next_number ELSE $1 + 1 END
			WHERE org_id = $2 AND body_id = $3 AND year = $4`, p.Number, p.OrgID, p.BodyID, p.Year)
		return p.Number, s.wrap(err, "")
	}
	var n int
	err := tx.GetContext(ctx, &n, `
		UPDATE paragraph_counters SET next_number = next_number + 1
		WHERE org_id = $1 AND body_id = $2 AND year = $3 RETURNING next_number - 1`, p.OrgID, p.BodyID, p.Year)
	return n, s.wrap(err, "")
}

// writeAgenda puts the case on the agendas the transition names, last;
// a case already on an agenda keeps its place.
func (s *Store) writeAgenda(ctx context.Context, tx *sqlx.Tx, t workflow.Transition) error {
	for _, meetingID := range t.Agenda {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO agenda_items (org_id, meeting_id, case_id, position, added_at, added_by)
			SELECT $1, $2, $3, COALESCE(MAX(position), 0) + 1, $4, $5 FROM agenda_items WHERE meeting_id = $2
			ON CONFLICT DO NOTHING`,
			t.OrgID, meetingID, t.CaseID, dbTime{t.At}, t.History.Actor); err != nil {
			return s.wrap(err, "")
		}
	}
	return nil
}

type paragraphRow struct {
	ID                 int64          `db:"id"`
	OrgID              int64          `db:"org_id"`
	BodyID             int64          `db:"body_id"`
	Body               string         `db:"code"`
	BodyName           string         `db:"name"`
	Year               int            `db:"year"`
	Number             int            `db:"number"`
	MeetingID          int64          `db:"meeting_id"`
	MeetingDate        dbDate         `db:"date"`
	CaseID             sql.NullInt64  `db:"case_id"`
	Dnr                sql.NullString `db:"dnr"`
	Kind               string         `db:"kind"`
	Title              string         `db:"title"`
	Outcome            string         `db:"outcome"`
	Decision           string         `db:"decision"`
	JusterasOmedelbart bool           `db:"justeras_omedelbart"`
	JusteradOn         dbDate         `db:"justerad_on"`
	AnslagOn           dbDate         `db:"anslag_on"`
	AppealEndsOn       dbDate         `db:"appeal_ends_on"`
	CreatedAt          dbTime         `db:"created_at"`
	CreatedBy          string         `db:"created_by"`
}

const paragraphColumns = `p.id, p.org_id, p.body_id, b.code, b.name, p.year, p.number, p.meeting_id, m.date, p.case_id, c.dnr,
	p.kind, p.title, p.outcome, p.decision, p.justeras_omedelbart, p.justerad_on, p.anslag_on, p.appeal_ends_on, p.created_at, p.created_by
	FROM paragraphs p
	JOIN bodies b ON b.org_id = p.org_id AND b.id = p.body_id
	JOIN meetings m ON m.org_id = p.org_id AND m.id = p.meeting_id
	LEFT JOIN cases c ON c.org_id = p.org_id AND c.id = p.case_id`

func (r paragraphRow) paragraph() workflow.Paragraph {
	p := workflow.Paragraph{ID: r.ID, OrgID: r.OrgID, BodyID: r.BodyID, Body: r.Body, BodyName: r.BodyName, Year: r.Year, Number: r.Number,
		MeetingID: r.MeetingID, MeetingDate: r.MeetingDate.Date, CaseID: r.CaseID.Int64, Dnr: r.Dnr.String, Kind: workflow.ParagraphKind(r.Kind),
		Title: r.Title, Outcome: r.Outcome, JusterasOmedelbart: r.JusterasOmedelbart, CreatedAt: r.CreatedAt.Time, CreatedBy: r.CreatedBy}
	_ = json.Unmarshal([]byte(r.Decision), &p.Decision)
	if !r.JusteradOn.IsZero() {
		p.Justering = &workflow.Justering{JusteradOn: r.JusteradOn.Date, AnslagOn: r.AnslagOn.Date, AppealEndsOn: r.AppealEndsOn.Date}
	}
	return p
}

func (s *Store) selectParagraphs(ctx context.Context, where string, args ...any) ([]workflow.Paragraph, error) {
	var rows []paragraphRow
	if err := s.db.SelectContext(ctx, &rows, `SELECT `+paragraphColumns+` WHERE `+where, args...); err != nil {
		return nil, s.wrap(err, "")
	}
	out := make([]workflow.Paragraph, len(rows))
	for i, r := range rows {
		out[i] = r.paragraph()
	}
	return out, nil
}

// Paragraphs lists a meeting's paragraphs by number.
func (s *Store) Paragraphs(ctx context.Context, orgID, meetingID int64) ([]workflow.Paragraph, error) {
	return s.selectParagraphs(ctx, `p.org_id = $1 AND p.meeting_id = $2 ORDER BY p.number`, orgID, meetingID)
}

// caseParagraphs lists the paragraphs about a case, oldest first.
func (s *Store) caseParagraphs(ctx context.Context, orgID, caseID int64) ([]workflow.Paragraph, error) {
	return s.selectParagraphs(ctx, `p.org_id = $1 AND p.case_id = $2 ORDER BY m.date, p.id`, orgID, caseID)
}

// Agenda lists the cases on a meeting's agenda in order, each with the §
// it got at the meeting.
func (s *Store) Agenda(ctx context.Context, orgID, meetingID int64) ([]workflow.AgendaItem, error) {
	var rows []struct {
		CaseID    int64         `db:"case_id"`
		Dnr       string        `db:"dnr"`
		Title     string        `db:"title"`
		State     string        `db:"state"`
		Workflow  string        `db:"workflow"`
		Version   int           `db:"workflow_version"`
		Custom    bool          `db:"workflow_custom"`
		Paragraph sql.NullInt64 `db:"number"`
	}
	if err := s.db.SelectContext(ctx, &rows, `
		SELECT a.case_id, c.dnr, c.title, c.state, c.workflow, c.workflow_version, c.workflow_custom,
			(SELECT MIN(p.number) FROM paragraphs p WHERE p.meeting_id = a.meeting_id AND p.case_id = a.case_id) AS number
		FROM agenda_items a JOIN cases c ON c.org_id = a.org_id AND c.id = a.case_id
		WHERE a.org_id = $1 AND a.meeting_id = $2 ORDER BY a.position, a.added_at, a.case_id`, orgID, meetingID); err != nil {
		return nil, s.wrap(err, "")
	}
	out := make([]workflow.AgendaItem, len(rows))
	for i, r := range rows {
		out[i] = workflow.AgendaItem{Kind: workflow.AgendaArende, CaseID: r.CaseID, Dnr: r.Dnr, Title: r.Title, State: r.State,
			Workflow: workflow.WorkflowRef{Name: r.Workflow, Version: r.Version, Custom: r.Custom}, Paragraph: int(r.Paragraph.Int64)}
	}
	return out, nil
}

// OpenObligations lists the open obligations to be reported to a body.
func (s *Store) OpenObligations(ctx context.Context, orgID, bodyID int64) ([]workflow.OpenObligation, error) {
	return s.obligationRefs(ctx, `o.org_id = $1 AND o.body_id = $2 AND o.closed_at IS NULL`, orgID, bodyID)
}

// ReportedObligations lists the obligations reported at a meeting.
func (s *Store) ReportedObligations(ctx context.Context, orgID, meetingID int64) ([]workflow.OpenObligation, error) {
	return s.obligationRefs(ctx, `o.org_id = $1 AND o.meeting_id = $2`, orgID, meetingID)
}

func (s *Store) obligationRefs(ctx context.Context, where string, args ...any) ([]workflow.OpenObligation, error) {
	var rows []struct {
		obligationRow
		CaseID   int64  `db:"case_id"`
		Dnr      string `db:"dnr"`
		Title    string `db:"title"`
		State    string `db:"state"`
		Workflow string `db:"workflow"`
		Version  int    `db:"workflow_version"`
		Custom   bool   `db:"workflow_custom"`
	}
	if err := s.db.SelectContext(ctx, &rows, `
		SELECT o.seq, o.kind, o.decided_on, o.decided_by, o.opened_at, o.opened_by, o.closed_at, o.closed_by, o.report, o.body_id, o.meeting_id,
			o.case_id, c.dnr, c.title, c.state, c.workflow, c.workflow_version, c.workflow_custom
		FROM obligations o JOIN cases c ON c.org_id = o.org_id AND c.id = o.case_id
		WHERE `+where+` ORDER BY o.decided_on, c.id`, args...); err != nil {
		return nil, s.wrap(err, "")
	}
	out := make([]workflow.OpenObligation, len(rows))
	for i, r := range rows {
		out[i] = workflow.OpenObligation{CaseID: r.CaseID, Dnr: r.Dnr, Title: r.Title, State: r.State,
			Workflow: workflow.WorkflowRef{Name: r.Workflow, Version: r.Version, Custom: r.Custom}, Obligation: r.obligation()}
	}
	return out, nil
}
