package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/sending"
)

type reminderRow struct {
	ID        int64  `db:"id"`
	OrgID     int64  `db:"org_id"`
	CaseID    int64  `db:"case_id"`
	Kind      string `db:"kind"`
	Body      string `db:"body"`
	Due       dbDate `db:"due"`
	Offset    int    `db:"offset_days"`
	Recipient string `db:"recipient"`
	QueuedAt  dbTime `db:"queued_at"`
}

const reminderColumns = `id, org_id, case_id, kind, body, due, offset_days, recipient, queued_at`

func (r reminderRow) reminder() workflow.Reminder {
	return workflow.Reminder{ID: r.ID, OrgID: r.OrgID, CaseID: r.CaseID, Kind: r.Kind, Body: r.Body, Due: r.Due.Date,
		Offset: r.Offset, Recipient: r.Recipient, QueuedAt: r.QueuedAt.Time}
}

// QueuedReminders lists the organisation's reminders of deadlines due on
// from or later, from the index (org_id, due).
func (s *Store) QueuedReminders(ctx context.Context, orgID int64, from workflow.Date) ([]workflow.Reminder, error) {
	var rows []reminderRow
	if err := s.db.SelectContext(ctx, &rows, `SELECT `+reminderColumns+` FROM reminders WHERE org_id = $1 AND due >= $2 ORDER BY id`,
		orgID, dbDate{from}); err != nil {
		return nil, s.wrap(err, "")
	}
	out := make([]workflow.Reminder, len(rows))
	for i, r := range rows {
		out[i] = r.reminder()
	}
	return out, nil
}

// QueueReminder inserts r unless its key is taken, and then its message
// in the same transaction. Two instances that queue the same reminder at
// once meet on the unique key: the second waits for the first to commit
// and then inserts nothing.
func (s *Store) QueueReminder(ctx context.Context, r workflow.Reminder, m workflow.OutboxMessage) (bool, error) {
	queued := false
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		var id int64
		err := tx.GetContext(ctx, &id, `
			INSERT INTO reminders (org_id, case_id, kind, body, due, offset_days, recipient, queued_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (case_id, kind, body, due, offset_days, recipient) DO NOTHING
			RETURNING id`,
			r.OrgID, r.CaseID, r.Kind, r.Body, dbDate{r.Due}, r.Offset, r.Recipient, dbTime{r.QueuedAt})
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return s.wrap(err, "")
		}
		queued = true
		return s.insertOutbox(ctx, tx, r.OrgID, r.CaseID, m, r.QueuedAt, id)
	})
	return queued, err
}

// insertOutbox queues one message, due at once. A composed message keeps
// its text in the payload and its attachments in files, by content.
func (s *Store) insertOutbox(ctx context.Context, tx *sqlx.Tx, orgID, caseID int64, m workflow.OutboxMessage, at time.Time, reminderID int64) error {
	var payload []byte
	var err error
	if m.Mail != nil {
		payload, err = json.Marshal(m.Mail)
	} else {
		payload, err = json.Marshal(m.Payload)
	}
	if err != nil {
		return workflow.Internal(err)
	}
	var id int64
	if err := tx.GetContext(ctx, &id, `
		INSERT INTO outbox (org_id, case_id, kind, template, recipient, payload, next_attempt_at, created_at, reminder_id, prepared)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9)
		RETURNING id`,
		orgID, caseID, m.Kind, m.Template, m.To, string(payload), dbTime{at}, nullID(reminderID), m.Mail != nil); err != nil {
		return s.wrap(err, "")
	}
	if m.Mail == nil {
		return nil
	}
	return s.insertOutboxFiles(ctx, tx, orgID, id, at, m.Mail.Attachments)
}

// insertOutboxFiles stores a message's attachments, in order.
func (s *Store) insertOutboxFiles(ctx context.Context, tx *sqlx.Tx, orgID, outboxID int64, at time.Time, files []workflow.Attachment) error {
	for i, a := range files {
		f := workflow.File{FileInfo: workflow.FileInfo{Name: a.Name, MediaType: a.MediaType, Size: a.Size, SHA256: a.SHA256, AttachedAt: at}, Content: a.Content}
		if err := s.insertFile(ctx, tx, orgID, f); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO outbox_files (outbox_id, seq, org_id, name, sha256, document) VALUES ($1, $2, $3, $4, $5, $6)`,
			outboxID, i+1, orgID, a.Name, a.SHA256, nullID(int64(a.Document))); err != nil {
			return s.wrap(err, "")
		}
	}
	return nil
}

type claimedRow struct {
	ID         int64         `db:"id"`
	OrgID      int64         `db:"org_id"`
	CaseID     int64         `db:"case_id"`
	Kind       string        `db:"kind"`
	Template   string        `db:"template"`
	Recipient  string        `db:"recipient"`
	Payload    string        `db:"payload"`
	Attempts   int           `db:"attempts"`
	CreatedAt  dbTime        `db:"created_at"`
	ReminderID sql.NullInt64 `db:"reminder_id"`
	Prepared   bool          `db:"prepared"`
}

// ClaimOutbox sets up to limit due messages to 'sending' with
// next_attempt_at at leaseEnd, in one statement: a message is due when it
// is pending and its time has come, or when it is 'sending' and its lease
// has run out (its worker died). SKIP LOCKED lets concurrent workers on
// PostgreSQL claim different messages instead of queueing on the same
// ones; SQLite has one writer at a time.
func (s *Store) ClaimOutbox(ctx context.Context, now, leaseEnd time.Time, limit int) ([]sending.OutboxItem, error) {
	var items []sending.OutboxItem
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		var rows []claimedRow
		err := tx.SelectContext(ctx, &rows, `
			UPDATE outbox SET status = 'sending', attempts = attempts + 1, next_attempt_at = $2
			WHERE id IN (
				SELECT id FROM outbox
				WHERE status IN ('pending', 'sending') AND next_attempt_at <= $1
				ORDER BY next_attempt_at, id
				LIMIT $3`+s.skipLocked()+`)
			RETURNING id, org_id, case_id, kind, template, recipient, payload, attempts, created_at, reminder_id, prepared`,
			dbTime{now}, dbTime{leaseEnd}, limit)
		if err != nil {
			return s.wrap(err, "")
		}
		items = make([]sending.OutboxItem, len(rows))
		for i, r := range rows {
			if items[i], err = s.claimed(ctx, tx, r); err != nil {
				return err
			}
		}
		return nil
	})
	return items, err
}

// skipLocked makes a locking subquery pass over rows another transaction
// holds, on PostgreSQL.
func (s *Store) skipLocked() string {
	if s.dialect == Postgres {
		return " FOR UPDATE SKIP LOCKED"
	}
	return ""
}

// claimed turns a claimed row into an item, with its reminder or its
// composed message and attachments.
func (s *Store) claimed(ctx context.Context, tx *sqlx.Tx, r claimedRow) (sending.OutboxItem, error) {
	it := sending.OutboxItem{ID: r.ID, OrgID: r.OrgID, CaseID: r.CaseID, Kind: r.Kind, Template: r.Template, To: r.Recipient,
		Attempt: r.Attempts, CreatedAt: r.CreatedAt.Time}
	if r.Prepared {
		return it, s.preparedMail(ctx, tx, &it, r.Payload)
	}
	if err := json.Unmarshal([]byte(r.Payload), &it.Payload); err != nil {
		return it, workflow.Internal(err)
	}
	if !r.ReminderID.Valid {
		return it, nil
	}
	var rr reminderRow
	if err := tx.GetContext(ctx, &rr, `SELECT `+reminderColumns+` FROM reminders WHERE id = $1`, r.ReminderID.Int64); err != nil {
		return it, s.wrap(err, "")
	}
	rem := rr.reminder()
	it.Reminder = &rem
	return it, nil
}

// preparedMail reads a composed message and its attachments' content.
func (s *Store) preparedMail(ctx context.Context, tx *sqlx.Tx, it *sending.OutboxItem, payload string) error {
	var m workflow.PreparedMail
	if err := json.Unmarshal([]byte(payload), &m); err != nil {
		return workflow.Internal(err)
	}
	var files []struct {
		Name      string        `db:"name"`
		MediaType string        `db:"media_type"`
		Size      int64         `db:"size"`
		SHA256    string        `db:"sha256"`
		Document  sql.NullInt64 `db:"document"`
		Content   []byte        `db:"content"`
	}
	if err := tx.SelectContext(ctx, &files, `
		SELECT o.name, f.media_type, f.size, f.sha256, o.document, f.content
		FROM outbox_files o JOIN files f ON f.org_id = o.org_id AND f.sha256 = o.sha256
		WHERE o.outbox_id = $1 ORDER BY o.seq`, it.ID); err != nil {
		return s.wrap(err, "")
	}
	m.Attachments = make([]workflow.Attachment, len(files))
	for i, f := range files {
		m.Attachments[i] = workflow.Attachment{Name: f.Name, MediaType: f.MediaType, Size: f.Size, SHA256: f.SHA256, Document: int(f.Document.Int64), Content: f.Content}
	}
	it.Mail = &m
	return nil
}

// FinishOutbox records the outcome of attempt r.Attempt, and writes
// r.Then in the same transaction. The attempts count fences it: when the
// lease ran out and another worker claimed the message meanwhile, this
// outcome is stale and changes nothing, not even r.Then.
func (s *Store) FinishOutbox(ctx context.Context, r sending.OutboxResult) error {
	var sent, next any
	if r.Status == sending.OutboxSent {
		sent = dbTime{r.At}
	}
	if !r.NextAttemptAt.IsZero() {
		next = dbTime{r.NextAttemptAt}
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE outbox SET status = $1, next_attempt_at = COALESCE($2, next_attempt_at), last_error = $3, sent_at = $4,
				message_id = COALESCE($5, message_id)
			WHERE id = $6 AND status = 'sending' AND attempts = $7`,
			string(r.Status), next, nullString(r.Error), sent, nullString(r.MessageID), r.ID, r.Attempt)
		if err != nil {
			return s.wrap(err, "")
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 || r.Then == nil {
			return s.wrap(err, "")
		}
		return s.applyTransition(ctx, tx, *r.Then)
	})
}

type messageRow struct {
	claimedRow
	Status        string           `db:"status"`
	NextAttemptAt dbTime           `db:"next_attempt_at"`
	LastError     sql.NullString   `db:"last_error"`
	MessageID     sql.NullString   `db:"message_id"`
	SentAt        sql.Null[dbTime] `db:"sent_at"`
	RKind         sql.NullString   `db:"r_kind"`
	RBody         sql.NullString   `db:"r_body"`
	RDue          dbDate           `db:"r_due"`
	ROffset       sql.NullInt64    `db:"r_offset"`
}

func (r messageRow) entry() sending.OutboxEntry {
	e := sending.OutboxEntry{ID: r.ID, Template: r.Template, To: r.Recipient, Status: sending.OutboxStatus(r.Status),
		Attempts: r.Attempts, LastError: r.LastError.String, MessageID: r.MessageID.String, CreatedAt: r.CreatedAt.Time}
	if e.Status == sending.OutboxPending {
		e.NextAttemptAt = &r.NextAttemptAt.Time
	}
	if r.SentAt.Valid {
		e.SentAt = &r.SentAt.V.Time
	}
	if r.RKind.Valid {
		e.Reminder = &sending.ReminderRef{Kind: r.RKind.String, Body: r.RBody.String, Due: r.RDue.Date, Offset: int(r.ROffset.Int64)}
	}
	return e
}

// CaseMessages lists a case's outbox messages by id, with the deadline
// each reminder is about.
func (s *Store) CaseMessages(ctx context.Context, orgID, caseID int64) ([]sending.OutboxEntry, error) {
	var rows []messageRow
	err := s.db.SelectContext(ctx, &rows, `
		SELECT o.id, o.org_id, o.case_id, o.kind, o.template, o.recipient, o.payload, o.attempts, o.created_at, o.reminder_id,
			o.status, o.next_attempt_at, o.last_error, o.message_id, o.sent_at,
			r.kind AS r_kind, r.body AS r_body, r.due AS r_due, r.offset_days AS r_offset
		FROM outbox o
		LEFT JOIN reminders r ON r.id = o.reminder_id
		WHERE o.org_id = $1 AND o.case_id = $2
		ORDER BY o.id`, orgID, caseID)
	if err != nil {
		return nil, s.wrap(err, "")
	}
	out := make([]sending.OutboxEntry, len(rows))
	for i, r := range rows {
		out[i] = r.entry()
	}
	return out, nil
}
