package store

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/jmoiron/sqlx"

	"github.com/yttrande/remiss/workflow"
)

// ApplyTransition writes a fired event in one transaction. The UPDATE is
// the compare-and-swap: it matches only the version the engine read, and
// it locks the case row, so the history row sealed after it always follows
// the latest one.
func (s *Store) ApplyTransition(ctx context.Context, t workflow.Transition) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error { return s.applyTransition(ctx, tx, t) })
}

// applyTransition writes t inside tx: its paragraph first (the history
// row records its number), then the history row sealed onto the head the
// engine read, the case by compare-and-swap on its version with the new
// head, the row itself, the child records, the agenda, the outbox and the
// idempotency key. A version that moved on writes nothing: the
// transaction rolls back, the § number too.
func (s *Store) applyTransition(ctx context.Context, tx *sqlx.Tx, t workflow.Transition) error {
	if err := s.writeParagraph(ctx, tx, &t); err != nil {
		return err
	}
	e, err := s.sealHistory(ctx, tx, t)
	if err != nil {
		return err
	}
	if err := s.swapCase(ctx, tx, t, e); err != nil {
		return err
	}
	if err := s.insertHistory(ctx, tx, t.OrgID, t.CaseID, e); err != nil {
		return err
	}
	if err := s.writeChildren(ctx, tx, t); err != nil {
		return err
	}
	if err := s.writeAgenda(ctx, tx, t); err != nil {
		return err
	}
	if err := s.writeOutbox(ctx, tx, t); err != nil {
		return err
	}
	if err := s.writeDocument(ctx, tx, t); err != nil {
		return err
	}
	if t.Deadlines != nil {
		if err := s.writeDeadlines(ctx, tx, t.OrgID, t.CaseID, *t.Deadlines); err != nil {
			return err
		}
	}
	return s.writeIdempotency(ctx, tx, t)
}

func (s *Store) swapCase(ctx context.Context, tx *sqlx.Tx, t workflow.Transition, head workflow.HistoryEntry) error {
	var handlaggare any
	if t.SetHandlaggare != nil {
		handlaggare = t.SetHandlaggare.ID
	}
	var deadline dbDate
	if t.SetDeadline != nil {
		deadline = dbDate{*t.SetDeadline}
	}
	var justerad, anslag, appealEnds dbDate
	if j := t.SetJustering; j != nil {
		justerad, anslag, appealEnds = dbDate{j.JusteradOn}, dbDate{j.AnslagOn}, dbDate{j.AppealEndsOn}
	}
	var replyTo, cc, contact any
	if r := t.SetRecipients; r != nil {
		b, err := json.Marshal(append([]string{}, r.Cc...))
		if err != nil {
			return workflow.Internal(err)
		}
		replyTo, cc, contact = r.ReplyTo, string(b), r.Contact
	}
	res, err := tx.ExecContext(ctx, `
		UPDATE cases SET state = $1, version = version + 1, updated_at = $2,
			handlaggare_id = COALESCE($3, handlaggare_id), deadline = COALESCE($4, deadline),
			justerad_on = COALESCE($5, justerad_on), anslag_on = COALESCE($6, anslag_on), appeal_ends_on = COALESCE($7, appeal_ends_on),
			reply_to = COALESCE($11, reply_to), cc = COALESCE($12, cc), contact = COALESCE($13, contact),
			head_seq = $14, head_hash = $15
		WHERE org_id = $8 AND id = $9 AND version = $10`,
		t.State, dbTime{t.At}, handlaggare, deadline, justerad, anslag, appealEnds, t.OrgID, t.CaseID, t.ExpectedVersion, replyTo, cc, contact,
		head.Seq, head.Hash)
	if err != nil {
		return s.wrap(err, "")
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return workflow.Errorf(workflow.CodeConflict, "Ärendet har ändrats sedan det lästes.")
	}
	return nil
}

// sealHistory seals the transition's entry onto the head the engine read
// with the case. The compare-and-swap on the version that follows makes
// sure it is still the head: the head moves only with the version.
func (s *Store) sealHistory(ctx context.Context, tx *sqlx.Tx, t workflow.Transition) (workflow.HistoryEntry, error) {
	if t.HeadHash == "" { // a transition built without its case's head
		var head struct {
			Seq  int64  `db:"head_seq"`
			Hash string `db:"head_hash"`
		}
		err := tx.GetContext(ctx, &head, `SELECT head_seq, head_hash FROM cases WHERE org_id = $1 AND id = $2`, t.OrgID, t.CaseID)
		if err != nil {
			return workflow.HistoryEntry{}, s.found(err, "Ärendet finns inte.")
		}
		t.HeadSeq, t.HeadHash = head.Seq, head.Hash
	}
	e := t.History
	e.Seq = t.HeadSeq + 1
	e.Seal(t.Dnr, t.HeadHash)
	return e, nil
}

func (s *Store) writeChildren(ctx context.Context, tx *sqlx.Tx, t workflow.Transition) error {
	for _, c := range t.NewConsultations {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO consultations (org_id, case_id, seq, body_id, deadline, status, requested_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			t.OrgID, t.CaseID, c.ID, c.BodyID, dbDate{c.Deadline}, string(c.Status), dbTime{c.RequestedAt}); err != nil {
			return s.wrap(err, "")
		}
	}
	if a := t.Answer; a != nil {
		if _, err := tx.ExecContext(ctx, `
			UPDATE consultations SET status = $1, paragraph = $2, decided_on = $3, document = $4, answered_at = $5
			WHERE org_id = $6 AND case_id = $7 AND seq = $8`,
			string(a.Status), nullID(a.Paragraph), dbDate{a.DecidedOn}, nullID(int64(a.Document)), dbTime{a.AnsweredAt}, t.OrgID, t.CaseID, a.ID); err != nil {
			return s.wrap(err, "")
		}
	}
	if o := t.OpenObligation; o != nil {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO obligations (org_id, case_id, seq, kind, decided_on, decided_by, opened_at, opened_by, body_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			t.OrgID, t.CaseID, o.ID, o.Kind, dbDate{o.DecidedOn}, o.DecidedBy, dbTime{o.OpenedAt}, o.OpenedBy, nullID(o.BodyID)); err != nil {
			return s.wrap(err, "")
		}
	}
	if o := t.CloseObligation; o != nil {
		if _, err := tx.ExecContext(ctx, `
			UPDATE obligations SET closed_at = $1, closed_by = $2, report = $3, meeting_id = $4 WHERE org_id = $5 AND case_id = $6 AND seq = $7`,
			dbTime{o.ClosedAt}, o.ClosedBy, o.Report, nullID(o.MeetingID), t.OrgID, t.CaseID, o.ID); err != nil {
			return s.wrap(err, "")
		}
	}
	return nil
}

// writeDocument registers the transition's handling, whose file is stored
// already, under the case's next löpnummer.
func (s *Store) writeDocument(ctx context.Context, tx *sqlx.Tx, t workflow.Transition) error {
	d := t.NewDocument
	if d == nil {
		return nil
	}
	if err := tx.GetContext(ctx, &d.Number, `
		UPDATE cases SET doc_count = doc_count + 1 WHERE org_id = $1 AND id = $2 RETURNING doc_count`, t.OrgID, t.CaseID); err != nil {
		return s.wrap(err, "")
	}
	if _, err := s.insertDocument(ctx, tx, t.OrgID, t.CaseID, *d); err != nil {
		return err
	}
	var sentAt, sentTo, messageID any
	if d.Sent != nil {
		sentAt, sentTo, messageID = dbTime{d.Sent.At}, d.Sent.To, d.Sent.MessageID
	}
	_, err := tx.ExecContext(ctx, `
		UPDATE documents SET file_name = $1, file_sha256 = $2, file_attached_by = $3, file_attached_at = $4, source = $5,
			sent_at = $6, sent_to = $7, message_id = $8
		WHERE org_id = $9 AND case_id = $10 AND number = $11`,
		d.File.Name, d.File.SHA256, d.RegisteredBy, dbTime{d.RegisteredAt}, nullString(d.Source), sentAt, sentTo, messageID, t.OrgID, t.CaseID, d.Number)
	return s.wrap(err, "")
}

func (s *Store) writeOutbox(ctx context.Context, tx *sqlx.Tx, t workflow.Transition) error {
	for _, m := range t.Outbox {
		if err := s.insertOutbox(ctx, tx, t.OrgID, t.CaseID, m, t.At, 0); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) writeIdempotency(ctx context.Context, tx *sqlx.Tx, t workflow.Transition) error {
	r := t.Idempotency
	if r == nil {
		return nil
	}
	response, err := t.IdempotencyResponse()
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `
		INSERT INTO idempotency_keys (org_id, key, fingerprint, case_id, response, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		t.OrgID, r.Key, r.Fingerprint, r.CaseID, string(response), dbTime{r.CreatedAt})
	return s.wrap(err, "Idempotency-Key ”"+r.Key+"” används redan.")
}

// IdempotencyRecord returns the stored answer to an idempotency key.
func (s *Store) IdempotencyRecord(ctx context.Context, orgID int64, key string) (workflow.IdempotencyRecord, error) {
	var r struct {
		Fingerprint string `db:"fingerprint"`
		CaseID      int64  `db:"case_id"`
		Response    string `db:"response"`
		CreatedAt   dbTime `db:"created_at"`
	}
	err := s.db.GetContext(ctx, &r, `SELECT fingerprint, case_id, response, created_at FROM idempotency_keys WHERE org_id = $1 AND key = $2`, orgID, key)
	if err != nil {
		return workflow.IdempotencyRecord{}, s.found(err, "Okänd nyckel.")
	}
	return workflow.IdempotencyRecord{Key: key, Fingerprint: r.Fingerprint, CaseID: r.CaseID, Response: []byte(r.Response), CreatedAt: r.CreatedAt.Time}, nil
}

type consultationRow struct {
	Seq         int64            `db:"seq"`
	BodyID      int64            `db:"body_id"`
	Body        string           `db:"code"`
	BodyName    string           `db:"name"`
	Deadline    dbDate           `db:"deadline"`
	Status      string           `db:"status"`
	Paragraph   sql.NullInt64    `db:"paragraph"`
	DecidedOn   dbDate           `db:"decided_on"`
	Document    sql.NullInt64    `db:"document"`
	RequestedAt dbTime           `db:"requested_at"`
	AnsweredAt  sql.Null[dbTime] `db:"answered_at"`
}

func (s *Store) consultations(ctx context.Context, orgID, caseID int64) ([]workflow.Consultation, error) {
	var rows []consultationRow
	if err := s.db.SelectContext(ctx, &rows, `
		SELECT c.seq, c.body_id, b.code, b.name, c.deadline, c.status, c.paragraph, c.decided_on, c.document, c.requested_at, c.answered_at
		FROM consultations c JOIN bodies b ON b.org_id = c.org_id AND b.id = c.body_id
		WHERE c.org_id = $1 AND c.case_id = $2 ORDER BY c.seq`, orgID, caseID); err != nil {
		return nil, s.wrap(err, "")
	}
	out := make([]workflow.Consultation, len(rows))
	for i, r := range rows {
		out[i] = workflow.Consultation{
			ID: r.Seq, BodyID: r.BodyID, Body: r.Body, BodyName: r.BodyName, Deadline: r.Deadline.Date,
			Status: workflow.ConsultationStatus(r.Status), Paragraph: r.Paragraph.Int64, DecidedOn: r.DecidedOn.Date,
			Document: int(r.Document.Int64), RequestedAt: r.RequestedAt.Time, AnsweredAt: r.AnsweredAt.V.Time,
		}
	}
	return out, nil
}

type obligationRow struct {
	Seq       int64            `db:"seq"`
	Kind      string           `db:"kind"`
	DecidedOn dbDate           `db:"decided_on"`
	DecidedBy string           `db:"decided_by"`
	OpenedAt  dbTime           `db:"opened_at"`
	OpenedBy  string           `db:"opened_by"`
	ClosedAt  sql.Null[dbTime] `db:"closed_at"`
	ClosedBy  sql.NullString   `db:"closed_by"`
	Report    sql.NullString   `db:"report"`
	BodyID    sql.NullInt64    `db:"body_id"`
	MeetingID sql.NullInt64    `db:"meeting_id"`
}

func (r obligationRow) obligation() workflow.Obligation {
	return workflow.Obligation{
		ID: r.Seq, Kind: r.Kind, Title: workflow.ObligationTitle(r.Kind), DecidedOn: r.DecidedOn.Date, DecidedBy: r.DecidedBy,
		OpenedAt: r.OpenedAt.Time, OpenedBy: r.OpenedBy, ClosedAt: r.ClosedAt.V.Time, ClosedBy: r.ClosedBy.String, Report: r.Report.String,
		BodyID: r.BodyID.Int64, MeetingID: r.MeetingID.Int64,
	}
}

func (s *Store) obligations(ctx context.Context, orgID, caseID int64) ([]workflow.Obligation, error) {
	var rows []obligationRow
	if err := s.db.SelectContext(ctx, &rows, `
		SELECT seq, kind, decided_on, decided_by, opened_at, opened_by, closed_at, closed_by, report, body_id, meeting_id
		FROM obligations WHERE org_id = $1 AND case_id = $2 ORDER BY seq`, orgID, caseID); err != nil {
		return nil, s.wrap(err, "")
	}
	out := make([]workflow.Obligation, len(rows))
	for i, r := range rows {
		out[i] = r.obligation()
	}
	return out, nil
}
