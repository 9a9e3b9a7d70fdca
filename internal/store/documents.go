package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/jmoiron/sqlx"

	"github.com/yttrande/remiss/workflow"
)

type documentRow struct {
	CaseID           int64            `db:"case_id"`
	Number           int              `db:"number"`
	DnrBase          string           `db:"dnr_base"`
	Title            string           `db:"title"`
	Kind             string           `db:"kind"`
	Direction        string           `db:"direction"`
	Date             dbDate           `db:"doc_date"`
	Counterpart      string           `db:"counterpart"`
	SecrecyProvision sql.NullString   `db:"secrecy_provision"`
	SecrecyDate      dbDate           `db:"secrecy_date"`
	SecrecyAuthority sql.NullString   `db:"secrecy_authority"`
	FileName         sql.NullString   `db:"file_name"`
	FileSHA256       sql.NullString   `db:"file_sha256"`
	FileSize         sql.NullInt64    `db:"size"`
	FileMediaType    sql.NullString   `db:"media_type"`
	FileAttachedBy   sql.NullString   `db:"file_attached_by"`
	FileAttachedAt   sql.Null[dbTime] `db:"file_attached_at"`
	RegisteredBy     string           `db:"registered_by"`
	RegisteredAt     dbTime           `db:"registered_at"`
	Source           sql.NullString   `db:"source"`
	SentAt           sql.Null[dbTime] `db:"sent_at"`
	SentTo           sql.NullString   `db:"sent_to"`
	MessageID        sql.NullString   `db:"message_id"`
}

const documentColumns = `d.case_id, d.number, c.dnr_base, d.title, d.kind, d.direction, d.doc_date, d.counterpart,
	d.secrecy_provision, d.secrecy_date, d.secrecy_authority, d.file_name, d.file_sha256, f.size, f.media_type,
	d.file_attached_by, d.file_attached_at,
	d.registered_by, d.registered_at, d.source, d.sent_at, d.sent_to, d.message_id
	FROM documents d
	JOIN cases c ON c.org_id = d.org_id AND c.id = d.case_id
	LEFT JOIN files f ON f.org_id = d.org_id AND f.sha256 = d.file_sha256`

func (r documentRow) document() workflow.Document {
	d := workflow.Document{
		CaseID: r.CaseID, Number: r.Number, Dnr: workflow.Case{DnrBase: r.DnrBase}.DocumentDnr(r.Number),
		Title: r.Title, Kind: workflow.DocumentKind(r.Kind), Direction: workflow.Direction(r.Direction), Date: r.Date.Date, Counterpart: r.Counterpart,
		RegisteredBy: r.RegisteredBy, RegisteredAt: r.RegisteredAt.Time, Source: r.Source.String,
	}
	if r.SecrecyProvision.Valid {
		d.Secrecy = &workflow.Secrecy{Provision: r.SecrecyProvision.String, Date: r.SecrecyDate.Date, Authority: r.SecrecyAuthority.String}
	}
	if r.SentAt.Valid {
		d.Sent = &workflow.Sending{At: r.SentAt.V.Time, To: r.SentTo.String, MessageID: r.MessageID.String}
	}
	if r.FileSHA256.Valid {
		d.File = &workflow.FileInfo{
			Name: r.FileName.String, MediaType: r.FileMediaType.String, Size: r.FileSize.Int64, SHA256: r.FileSHA256.String,
			AttachedBy: r.FileAttachedBy.String, AttachedAt: r.FileAttachedAt.V.Time,
		}
	}
	return d
}

// AddDocument gives d the case's next löpnummer and inserts it. Taking the
// number locks the case row, so concurrent additions queue.
func (s *Store) AddDocument(ctx context.Context, orgID, caseID int64, d workflow.Document) (workflow.Document, error) {
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		err := tx.GetContext(ctx, &d.Number, `
			UPDATE cases SET doc_count = doc_count + 1 WHERE org_id = $1 AND id = $2 RETURNING doc_count`, orgID, caseID)
		if err != nil {
			return s.found(err, "Ärendet finns inte.")
		}
		_, err = s.insertDocument(ctx, tx, orgID, caseID, d)
		return err
	})
	if err != nil {
		return workflow.Document{}, err
	}
	return s.Document(ctx, orgID, caseID, d.Number)
}

func (s *Store) insertDocument(ctx context.Context, tx *sqlx.Tx, orgID, caseID int64, d workflow.Document) (int, error) {
	var provision, authority any
	var secrecyDate dbDate
	if d.Secrecy != nil {
		provision, authority, secrecyDate = d.Secrecy.Provision, d.Secrecy.Authority, dbDate{d.Secrecy.Date}
	}
	_, err := tx.ExecContext(ctx, `
		INSERT INTO documents (org_id, case_id, number, title, direction, doc_date, counterpart,
			secrecy_provision, secrecy_date, secrecy_authority, registered_by, registered_at, kind)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		orgID, caseID, d.Number, d.Title, string(d.Direction), dbDate{d.Date}, d.Counterpart,
		provision, secrecyDate, authority, d.RegisteredBy, dbTime{d.RegisteredAt}, string(d.Kind))
	return d.Number, s.wrap(err, "")
}

// Documents lists a case's handlingar by löpnummer.
func (s *Store) Documents(ctx context.Context, orgID, caseID int64) ([]workflow.Document, error) {
	var rows []documentRow
	if err := s.db.SelectContext(ctx, &rows, `SELECT `+documentColumns+`
		WHERE d.org_id = $1 AND d.case_id = $2 ORDER BY d.number`, orgID, caseID); err != nil {
		return nil, s.wrap(err, "")
	}
	if len(rows) == 0 { // every case has its letter: none means no case
		if err := s.caseExists(ctx, s.db, orgID, caseID); err != nil {
			return nil, err
		}
	}
	docs := make([]workflow.Document, len(rows))
	for i, r := range rows {
		docs[i] = r.document()
	}
	return docs, nil
}

// Document returns handling n of a case.
func (s *Store) Document(ctx context.Context, orgID, caseID int64, n int) (workflow.Document, error) {
	return s.document(ctx, s.db, orgID, caseID, n)
}

func (s *Store) document(ctx context.Context, q sqlx.QueryerContext, orgID, caseID int64, n int) (workflow.Document, error) {
	var r documentRow
	err := sqlx.GetContext(ctx, q, &r, `SELECT `+documentColumns+`
		WHERE d.org_id = $1 AND d.case_id = $2 AND d.number = $3`, orgID, caseID, n)
	if errors.Is(err, sql.ErrNoRows) {
		if err := s.caseExists(ctx, q, orgID, caseID); err != nil {
			return workflow.Document{}, err
		}
		return workflow.Document{}, notFound("Ärendet har ingen handling nummer %d.", n)
	}
	return r.document(), s.wrap(err, "")
}

// AttachFile stores f and makes it the file of handling n, once. The
// update only matches a handling without a file, so of two concurrent
// uploads exactly one wins and the other is told so.
func (s *Store) AttachFile(ctx context.Context, orgID, caseID int64, n int, f workflow.File) (workflow.Document, error) {
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := s.document(ctx, tx, orgID, caseID, n); err != nil {
			return err
		}
		if err := s.insertFile(ctx, tx, orgID, f); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `
			UPDATE documents SET file_name = $1, file_sha256 = $2, file_attached_by = $3, file_attached_at = $4
			WHERE org_id = $5 AND case_id = $6 AND number = $7 AND file_sha256 IS NULL`,
			f.Name, f.SHA256, f.AttachedBy, dbTime{f.AttachedAt}, orgID, caseID, n)
		if err != nil {
			return s.wrap(err, "")
		}
		if changed, err := res.RowsAffected(); err != nil || changed == 0 {
			return workflow.Errorf(workflow.CodeConflict, "Handlingen har redan en fil. En registrerad handlings fil byts inte ut; registrera en ny handling.")
		}
		return nil
	})
	if err != nil {
		return workflow.Document{}, err
	}
	return s.Document(ctx, orgID, caseID, n)
}

// insertFile stores f's content once per organisation: the same bytes
// attached twice are one row.
func (s *Store) insertFile(ctx context.Context, tx *sqlx.Tx, orgID int64, f workflow.File) error {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO files (org_id, sha256, size, media_type, content, created_at) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (org_id, sha256) DO NOTHING`,
		orgID, f.SHA256, f.Size, f.MediaType, f.Content, dbTime{f.AttachedAt})
	return s.wrap(err, "")
}

// FileContent returns the file of handling n.
func (s *Store) FileContent(ctx context.Context, orgID, caseID int64, n int) (workflow.File, error) {
	var r struct {
		Name      string `db:"file_name"`
		SHA256    string `db:"sha256"`
		Size      int64  `db:"size"`
		MediaType string `db:"media_type"`
		Content   []byte `db:"content"`
		At        dbTime `db:"file_attached_at"`
		By        string `db:"file_attached_by"`
	}
	err := s.db.GetContext(ctx, &r, `
		SELECT d.file_name, f.sha256, f.size, f.media_type, f.content, d.file_attached_at, d.file_attached_by
		FROM documents d JOIN files f ON f.org_id = d.org_id AND f.sha256 = d.file_sha256
		WHERE d.org_id = $1 AND d.case_id = $2 AND d.number = $3`, orgID, caseID, n)
	if err != nil {
		return workflow.File{}, s.found(err, "Handlingen har ingen fil.")
	}
	return workflow.File{FileInfo: workflow.FileInfo{Name: r.Name, MediaType: r.MediaType, Size: r.Size, SHA256: r.SHA256, AttachedAt: r.At.Time, AttachedBy: r.By}, Content: r.Content}, nil
}
