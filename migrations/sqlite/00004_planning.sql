-- Planning backwards from the reply date; the same schema as
-- postgres/00004_planning.sql in SQLite's types.

-- +goose Up
ALTER TABLE organizations ADD COLUMN planning TEXT;

CREATE TABLE org_days (
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    day    TEXT NOT NULL,
    kind   TEXT NOT NULL CHECK (kind IN ('stangd', 'halvdag')),
    name   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (org_id, day)
) STRICT;

CREATE TABLE case_deadlines (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL,
    case_id     INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL DEFAULT '',
    due         TEXT NOT NULL,
    status      TEXT NOT NULL,
    done        INTEGER NOT NULL CHECK (done IN (0, 1)),
    meeting_id  INTEGER,
    note        TEXT NOT NULL DEFAULT '',
    computed_at TEXT NOT NULL,
    UNIQUE (case_id, seq),
    FOREIGN KEY (org_id, case_id) REFERENCES cases (org_id, id)
) STRICT;
CREATE INDEX case_deadlines_open ON case_deadlines (org_id, due, id) WHERE NOT done;
CREATE INDEX case_deadlines_body ON case_deadlines (org_id, body) WHERE NOT done;

CREATE TABLE feed_tokens (
    org_id     INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    hash       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (org_id, user_id),
    FOREIGN KEY (org_id, user_id) REFERENCES users (org_id, id)
) STRICT;
