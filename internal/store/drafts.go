package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/documents"
)

type draftRow struct {
	CaseID    int64  `db:"case_id"`
	Kind      string `db:"kind"`
	Version   int    `db:"version"`
	Body      string `db:"body"`
	Size      int    `db:"size"`
	Signers   string `db:"signers"`
	Note      string `db:"note"`
	Author    string `db:"author"`
	CreatedAt dbTime `db:"created_at"`
}

func (r draftRow) version() documents.DraftVersion {
	v := documents.DraftVersion{CaseID: r.CaseID, Kind: documents.DraftKind(r.Kind), Version: r.Version, Text: r.Body,
		Note: r.Note, Author: r.Author, CreatedAt: r.CreatedAt.Time, Size: r.Size, Signers: []documents.Signer{}}
	_ = json.Unmarshal([]byte(r.Signers), &v.Signers) // written by AddDraftVersion; an unreadable list reads as none
	return v
}

// AddDraftVersion inserts v. Its number is the primary key, so of two
// writers saving on the same version exactly one wins; the other gets a
// conflict and nothing is written.
func (s *Store) AddDraftVersion(ctx context.Context, orgID int64, v documents.DraftVersion) (documents.DraftVersion, error) {
	signers, err := json.Marshal(v.Signers)
	if err != nil {
		return v, workflow.Internal(err)
	}
	_, err = s.db.ExecContext(ctx, `
		INSERT INTO draft_versions (org_id, case_id, kind, version, body, signers, note, author, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		orgID, v.CaseID, string(v.Kind), v.Version, v.Text, string(signers), v.Note, v.Author, dbTime{v.CreatedAt})
	if err != nil {
		return v, s.wrap(err, "Någon annan sparade en ny version av utkastet samtidigt. Läs in den senaste versionen och spara igen.")
	}
	v.Size = len(v.Text)
	return v, nil
}

// DraftVersion returns version n of a case's draft, or the latest when n
// is 0.
func (s *Store) DraftVersion(ctx context.Context, orgID, caseID int64, kind documents.DraftKind, n int) (documents.DraftVersion, error) {
	var r draftRow
	err := s.db.GetContext(ctx, &r, `
		SELECT case_id, kind, version, body, 0 AS size, signers, note, author, created_at FROM draft_versions
		WHERE org_id = $1 AND case_id = $2 AND kind = $3 AND ($4 = 0 OR version = $4)
		ORDER BY version DESC LIMIT 1`, orgID, caseID, string(kind), n)
	if errors.Is(err, sql.ErrNoRows) && n == 0 {
		return documents.DraftVersion{}, notFound("Ärendet har inget utkast till %s än.", kind)
	}
	if err != nil {
		return documents.DraftVersion{}, s.found(err, "Utkastet har ingen version "+strconv.Itoa(n)+".")
	}
	r.Size = len(r.Body)
	return r.version(), nil
}

// DraftVersions lists a draft's versions, oldest first, without their text.
func (s *Store) DraftVersions(ctx context.Context, orgID, caseID int64, kind documents.DraftKind) ([]documents.DraftVersion, error) {
	var rows []draftRow
	err := s.db.SelectContext(ctx, &rows, `
		SELECT case_id, kind, version, '' AS body, octet_length(body) AS size, signers, note, author, created_at FROM draft_versions
		WHERE org_id = $1 AND case_id = $2 AND kind = $3 ORDER BY version`, orgID, caseID, string(kind))
	if err != nil {
		return nil, s.wrap(err, "")
	}
	out := make([]documents.DraftVersion, len(rows))
	for i, r := range rows {
		out[i] = r.version()
	}
	return out, nil
}

type commentRow struct {
	ID         int64            `db:"id"`
	Kind       string           `db:"kind"`
	Version    int              `db:"version"`
	Quote      string           `db:"quote"`
	Body       string           `db:"body"`
	Author     string           `db:"author"`
	CreatedAt  dbTime           `db:"created_at"`
	ResolvedBy sql.NullString   `db:"resolved_by"`
	ResolvedAt sql.Null[dbTime] `db:"resolved_at"`
}

func (r commentRow) comment() documents.DraftComment {
	c := documents.DraftComment{ID: r.ID, Kind: documents.DraftKind(r.Kind), Version: r.Version, Quote: r.Quote, Text: r.Body,
		Author: r.Author, CreatedAt: r.CreatedAt.Time, ResolvedBy: r.ResolvedBy.String}
	if r.ResolvedAt.Valid {
		t := r.ResolvedAt.V.Time
		c.ResolvedAt = &t
	}
	return c
}

const commentColumns = `id, kind, version, quote, body, author, created_at, resolved_by, resolved_at FROM draft_comments`

// AddDraftComment inserts c on its version of the case's draft.
func (s *Store) AddDraftComment(ctx context.Context, orgID, caseID int64, c documents.DraftComment) (documents.DraftComment, error) {
	err := s.db.GetContext(ctx, &c.ID, `
		INSERT INTO draft_comments (org_id, case_id, kind, version, quote, body, author, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		orgID, caseID, string(c.Kind), c.Version, c.Quote, c.Text, c.Author, dbTime{c.CreatedAt})
	return c, s.wrap(err, "")
}

// DraftComments lists the comments on a case's draft, oldest first.
func (s *Store) DraftComments(ctx context.Context, orgID, caseID int64, kind documents.DraftKind) ([]documents.DraftComment, error) {
	var rows []commentRow
	if err := s.db.SelectContext(ctx, &rows, `SELECT `+commentColumns+`
		WHERE org_id = $1 AND case_id = $2 AND kind = $3 ORDER BY id`, orgID, caseID, string(kind)); err != nil {
		return nil, s.wrap(err, "")
	}
	out := make([]documents.DraftComment, len(rows))
	for i, r := range rows {
		out[i] = r.comment()
	}
	return out, nil
}

// ResolveDraftComment marks comment id resolved, once: a comment resolved
// already is a conflict.
func (s *Store) ResolveDraftComment(ctx context.Context, orgID, caseID int64, kind documents.DraftKind, id int64, by string, at time.Time) (documents.DraftComment, error) {
	res, err := s.db.ExecContext(ctx, `
		UPDATE draft_comments SET resolved_by = $1, resolved_at = $2
		WHERE org_id = $3 AND case_id = $4 AND kind = $5 AND id = $6 AND resolved_at IS NULL`,
		by, dbTime{at}, orgID, caseID, string(kind), id)
	if err != nil {
		return documents.DraftComment{}, s.wrap(err, "")
	}
	var r commentRow
	if err := s.db.GetContext(ctx, &r, `SELECT `+commentColumns+` WHERE org_id = $1 AND case_id = $2 AND kind = $3 AND id = $4`,
		orgID, caseID, string(kind), id); err != nil {
		return documents.DraftComment{}, s.found(err, "Kommentaren finns inte.")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return r.comment(), workflow.Errorf(workflow.CodeConflict, "Kommentaren är redan markerad som åtgärdad (av %s).", r.ResolvedBy.String)
	}
	return r.comment(), nil
}
