-- The diarium: organisations, users and tokens, bodies, number series,
-- cases (ärenden) with their handlingar, files and the hash-chained history.
-- The same schema as postgres/00001_diarium.sql in SQLite's types: times
-- are UTC text (YYYY-MM-DDTHH:MM:SS.ffffffZ), dates YYYY-MM-DD text.

-- +goose Up
CREATE TABLE organizations (
    id         INTEGER PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE users (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL REFERENCES organizations (id),
    email      TEXT NOT NULL,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (org_id, email),
    UNIQUE (org_id, id)
) STRICT;

CREATE TABLE user_roles (
    org_id  INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    role    TEXT NOT NULL CHECK (role IN ('admin', 'registrator', 'handlaggare', 'sekreterare', 'ordforande', 'ledamot', 'lasare')),
    PRIMARY KEY (user_id, role),
    FOREIGN KEY (org_id, user_id) REFERENCES users (org_id, id)
) STRICT;

CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    name       TEXT NOT NULL DEFAULT '',
    hash       BLOB NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    FOREIGN KEY (org_id, user_id) REFERENCES users (org_id, id)
) STRICT;
CREATE INDEX api_tokens_org ON api_tokens (org_id);

CREATE TABLE bodies (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL REFERENCES organizations (id),
    code       TEXT NOT NULL,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('styrelse', 'utskott', 'namnd')),
    parent_id  INTEGER,
    created_at TEXT NOT NULL,
    UNIQUE (org_id, code),
    UNIQUE (org_id, id),
    FOREIGN KEY (org_id, parent_id) REFERENCES bodies (org_id, id),
    CHECK ((kind = 'utskott') = (parent_id IS NOT NULL))
) STRICT;

CREATE TABLE series (
    id             INTEGER PRIMARY KEY,
    org_id         INTEGER NOT NULL REFERENCES organizations (id),
    code           TEXT NOT NULL,
    format         TEXT NOT NULL,
    yearly_restart INTEGER NOT NULL CHECK (yearly_restart IN (0, 1)),
    created_at     TEXT NOT NULL,
    UNIQUE (org_id, code),
    UNIQUE (org_id, id)
) STRICT;

CREATE TABLE series_counters (
    org_id      INTEGER NOT NULL,
    series_id   INTEGER NOT NULL,
    year        INTEGER NOT NULL,
    next_number INTEGER NOT NULL CHECK (next_number >= 1),
    PRIMARY KEY (series_id, year),
    FOREIGN KEY (org_id, series_id) REFERENCES series (org_id, id)
) STRICT;

CREATE TABLE cases (
    id               INTEGER PRIMARY KEY,
    org_id           INTEGER NOT NULL,
    series_id        INTEGER NOT NULL,
    year             INTEGER NOT NULL,
    number           INTEGER NOT NULL,
    dnr              TEXT NOT NULL,
    dnr_base         TEXT NOT NULL,
    classification   TEXT NOT NULL DEFAULT '',
    title            TEXT NOT NULL,
    state            TEXT NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1,
    workflow         TEXT NOT NULL,
    workflow_version INTEGER NOT NULL,
    sender           TEXT NOT NULL,
    sender_dnr       TEXT NOT NULL DEFAULT '',
    reference        TEXT NOT NULL DEFAULT '',
    received         TEXT NOT NULL,
    deadline         TEXT NOT NULL,
    reply_to         TEXT NOT NULL DEFAULT '',
    url              TEXT NOT NULL DEFAULT '',
    warnings         TEXT NOT NULL DEFAULT '[]',
    search_text      TEXT NOT NULL,
    registered_by    TEXT NOT NULL,
    registered_by_id INTEGER,
    doc_count        INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (org_id, dnr),
    UNIQUE (series_id, year, number),
    UNIQUE (org_id, id),
    FOREIGN KEY (org_id, series_id) REFERENCES series (org_id, id),
    FOREIGN KEY (org_id, registered_by_id) REFERENCES users (org_id, id),
    CHECK (deadline >= received)
) STRICT;
CREATE INDEX cases_org_deadline ON cases (org_id, deadline, id);
CREATE INDEX cases_org_sender_dnr ON cases (org_id, sender_dnr);

CREATE TABLE files (
    org_id     INTEGER NOT NULL REFERENCES organizations (id),
    sha256     TEXT NOT NULL,
    size       INTEGER NOT NULL,
    media_type TEXT NOT NULL,
    content    BLOB NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (org_id, sha256)
) STRICT;

CREATE TABLE documents (
    org_id            INTEGER NOT NULL,
    case_id           INTEGER NOT NULL,
    number            INTEGER NOT NULL CHECK (number >= 1),
    title             TEXT NOT NULL,
    direction         TEXT NOT NULL CHECK (direction IN ('inkommande', 'upprattad', 'utgaende')),
    doc_date          TEXT NOT NULL,
    counterpart       TEXT NOT NULL DEFAULT '',
    secrecy_provision TEXT,
    secrecy_date      TEXT,
    secrecy_authority TEXT,
    file_name         TEXT,
    file_sha256       TEXT,
    file_attached_by  TEXT,
    file_attached_at  TEXT,
    registered_by     TEXT NOT NULL,
    registered_at     TEXT NOT NULL,
    PRIMARY KEY (case_id, number),
    FOREIGN KEY (org_id, case_id) REFERENCES cases (org_id, id),
    FOREIGN KEY (org_id, file_sha256) REFERENCES files (org_id, sha256),
    CHECK ((file_name IS NULL) = (file_sha256 IS NULL) AND (file_sha256 IS NULL) = (file_attached_at IS NULL))
) STRICT;

CREATE TABLE case_history (
    org_id     INTEGER NOT NULL,
    case_id    INTEGER NOT NULL,
    seq        INTEGER NOT NULL CHECK (seq >= 1),
    event      TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state   TEXT NOT NULL,
    actor      TEXT NOT NULL,
    actor_id   INTEGER,
    at         TEXT NOT NULL,
    data       TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL,
    PRIMARY KEY (case_id, seq),
    FOREIGN KEY (org_id, case_id) REFERENCES cases (org_id, id)
) STRICT;

-- +goose StatementBegin
CREATE TRIGGER case_history_no_update BEFORE UPDATE ON case_history
BEGIN
    SELECT RAISE(ABORT, 'case_history is append-only: UPDATE refused');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER case_history_no_delete BEFORE DELETE ON case_history
BEGIN
    SELECT RAISE(ABORT, 'case_history is append-only: DELETE refused');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER files_no_update BEFORE UPDATE ON files
BEGIN
    SELECT RAISE(ABORT, 'files is append-only: UPDATE refused');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER files_no_delete BEFORE DELETE ON files
BEGIN
    SELECT RAISE(ABORT, 'files is append-only: DELETE refused');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER documents_no_delete BEFORE DELETE ON documents
BEGIN
    SELECT RAISE(ABORT, 'documents is append-only: DELETE refused');
END;
-- +goose StatementEnd
