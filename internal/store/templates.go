package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/jmoiron/sqlx"

	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/documents"
)

// SetTemplate stores an organisation's own template, replacing the one it
// had.
func (s *Store) SetTemplate(ctx context.Context, orgID int64, t documents.DocumentTemplate) error {
	_, err := s.db.ExecContext(ctx, `
		INSERT INTO document_templates (org_id, kind, source, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (org_id, kind) DO UPDATE SET source = excluded.source, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		orgID, string(t.Kind), t.Source, t.UpdatedBy, dbTime{*t.UpdatedAt})
	return s.wrap(err, "")
}

// Template returns an organisation's own template; CodeNotFound when it
// uses the shipped one.
func (s *Store) Template(ctx context.Context, orgID int64, kind documents.TemplateKind) (documents.DocumentTemplate, error) {
	var r struct {
		Source    string `db:"source"`
		UpdatedBy string `db:"updated_by"`
		UpdatedAt dbTime `db:"updated_at"`
	}
	err := s.db.GetContext(ctx, &r, `SELECT source, updated_by, updated_at FROM document_templates WHERE org_id = $1 AND kind = $2`,
		orgID, string(kind))
	if err != nil {
		return documents.DocumentTemplate{}, s.found(err, "Organisationen har ingen egen mall.")
	}
	return documents.DocumentTemplate{Kind: kind, Source: r.Source, Custom: true, UpdatedBy: r.UpdatedBy, UpdatedAt: &r.UpdatedAt.Time}, nil
}

// DeleteTemplate removes an organisation's own template, so that the
// shipped one is used again.
func (s *Store) DeleteTemplate(ctx context.Context, orgID int64, kind documents.TemplateKind) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM document_templates WHERE org_id = $1 AND kind = $2`, orgID, string(kind))
	return s.wrap(err, "")
}

// SetLogo stores the organisation's logo, replacing the one it had.
func (s *Store) SetLogo(ctx context.Context, orgID int64, l workflow.Logo) error {
	_, err := s.db.ExecContext(ctx, `
		INSERT INTO organization_logos (org_id, media_type, content, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (org_id) DO UPDATE SET media_type = excluded.media_type, content = excluded.content,
			updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		orgID, l.MediaType, l.Content, l.UpdatedBy, dbTime{l.UpdatedAt})
	return s.wrap(err, "")
}

// Logo returns the organisation's logo; CodeNotFound when it has none.
func (s *Store) Logo(ctx context.Context, orgID int64) (workflow.Logo, error) {
	var r struct {
		MediaType string `db:"media_type"`
		Content   []byte `db:"content"`
		UpdatedBy string `db:"updated_by"`
		UpdatedAt dbTime `db:"updated_at"`
	}
	err := s.db.GetContext(ctx, &r, `SELECT media_type, content, updated_by, updated_at FROM organization_logos WHERE org_id = $1`, orgID)
	if err != nil {
		return workflow.Logo{}, s.found(err, "Organisationen har ingen logotyp.")
	}
	return workflow.Logo{MediaType: r.MediaType, Content: r.Content, UpdatedBy: r.UpdatedBy, UpdatedAt: r.UpdatedAt.Time}, nil
}

// DeleteLogo removes the organisation's logo.
func (s *Store) DeleteLogo(ctx context.Context, orgID int64) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM organization_logos WHERE org_id = $1`, orgID)
	return s.wrap(err, "")
}

// AddRenderedDocument registers d with its file f in one transaction,
// once per source: when the case already has a handling rendered from
// source, that one is returned and created is false.
func (s *Store) AddRenderedDocument(ctx context.Context, orgID, caseID int64, d workflow.Document, f workflow.File, source string) (workflow.Document, bool, error) {
	var number int
	err := s.db.GetContext(ctx, &number, `SELECT number FROM documents WHERE org_id = $1 AND case_id = $2 AND source = $3`, orgID, caseID, source)
	if err == nil {
		doc, err := s.Document(ctx, orgID, caseID, number)
		return doc, false, err
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return workflow.Document{}, false, s.wrap(err, "")
	}
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := tx.GetContext(ctx, &d.Number, `
			UPDATE cases SET doc_count = doc_count + 1 WHERE org_id = $1 AND id = $2 RETURNING doc_count`, orgID, caseID); err != nil {
			return s.found(err, "Ärendet finns inte.")
		}
		if _, err := s.insertDocument(ctx, tx, orgID, caseID, d); err != nil {
			return err
		}
		if err := s.insertFile(ctx, tx, orgID, f); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `
			UPDATE documents SET file_name = $1, file_sha256 = $2, file_attached_by = $3, file_attached_at = $4, source = $5
			WHERE org_id = $6 AND case_id = $7 AND number = $8`,
			f.Name, f.SHA256, f.AttachedBy, dbTime{f.AttachedAt}, source, orgID, caseID, d.Number)
		return s.wrap(err, "")
	})
	if isUniqueViolation(err) {
		// A concurrent registration of the same source won; use its handling.
		return s.AddRenderedDocument(ctx, orgID, caseID, d, f, source)
	}
	if err != nil {
		return workflow.Document{}, false, err
	}
	doc, err := s.Document(ctx, orgID, caseID, d.Number)
	return doc, true, err
}
