-- Documents; the same schema as postgres/00006_documents.sql in SQLite's
-- types.

-- +goose Up
ALTER TABLE organizations ADD COLUMN documents TEXT;

CREATE TABLE draft_versions (
    org_id     INTEGER NOT NULL,
    case_id    INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('yttrande', 'tjansteutlatande')),
    version    INTEGER NOT NULL CHECK (version >= 1),
    body       TEXT NOT NULL,
    signers    TEXT NOT NULL DEFAULT '[]',
    note       TEXT NOT NULL DEFAULT '',
    author     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (org_id, case_id, kind, version),
    FOREIGN KEY (org_id, case_id) REFERENCES cases (org_id, id)
) STRICT;

-- +goose StatementBegin
CREATE TRIGGER draft_versions_no_update BEFORE UPDATE ON draft_versions
BEGIN
    SELECT RAISE(ABORT, 'draft_versions is append-only: UPDATE refused');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER draft_versions_no_delete BEFORE DELETE ON draft_versions
BEGIN
    SELECT RAISE(ABORT, 'draft_versions is append-only: DELETE refused');
END;
-- +goose StatementEnd

CREATE TABLE draft_comments (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL,
    case_id     INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    version     INTEGER NOT NULL,
    quote       TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,
    author      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    resolved_by TEXT,
    resolved_at TEXT,
    FOREIGN KEY (org_id, case_id, kind, version) REFERENCES draft_versions (org_id, case_id, kind, version)
) STRICT;
CREATE INDEX draft_comments_case ON draft_comments (org_id, case_id, kind, id);

CREATE TABLE document_templates (
    org_id     INTEGER NOT NULL REFERENCES organizations (id),
    kind       TEXT NOT NULL,
    source     TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (org_id, kind)
) STRICT;

CREATE TABLE organization_logos (
    org_id     INTEGER PRIMARY KEY REFERENCES organizations (id),
    media_type TEXT NOT NULL,
    content    BLOB NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

ALTER TABLE documents ADD COLUMN source TEXT;
CREATE UNIQUE INDEX documents_source ON documents (org_id, case_id, source) WHERE source IS NOT NULL;
