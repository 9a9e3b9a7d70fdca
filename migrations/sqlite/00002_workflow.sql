-- The workflow engine: the handläggare and justering of a case, the kind of
-- a handling, intern remiss (consultations), obligations such as reporting
-- an ordförandebeslut, the outbox, idempotency keys and organisations' own
-- workflow definitions. SQLite cannot add a table constraint to an existing
-- table, so cases.handlaggare_id has no composite foreign key here; the
-- store only ever sets it to a user it looked up in the case's organisation.

-- +goose Up
ALTER TABLE cases ADD COLUMN handlaggare_id INTEGER;
ALTER TABLE cases ADD COLUMN justerad_on TEXT;
ALTER TABLE cases ADD COLUMN anslag_on TEXT;
ALTER TABLE cases ADD COLUMN appeal_ends_on TEXT;
ALTER TABLE cases ADD COLUMN workflow_custom INTEGER NOT NULL DEFAULT 0 CHECK (workflow_custom IN (0, 1));

ALTER TABLE documents ADD COLUMN kind TEXT NOT NULL DEFAULT 'ovrigt'
    CHECK (kind IN ('remiss', 'yttrande', 'tjansteutlatande', 'tjansteskrivelse', 'protokollsutdrag', 'skrivelse', 'ovrigt'));
UPDATE documents SET kind = 'remiss' WHERE number = 1;

CREATE TABLE consultations (
    org_id       INTEGER NOT NULL,
    case_id      INTEGER NOT NULL,
    seq          INTEGER NOT NULL CHECK (seq >= 1),
    body_id      INTEGER NOT NULL,
    deadline     TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('begard', 'besvarad', 'avstatt')),
    paragraph    INTEGER,
    decided_on   TEXT,
    document     INTEGER,
    requested_at TEXT NOT NULL,
    answered_at  TEXT,
    PRIMARY KEY (case_id, seq),
    UNIQUE (case_id, body_id),
    FOREIGN KEY (org_id, case_id) REFERENCES cases (org_id, id),
    FOREIGN KEY (org_id, body_id) REFERENCES bodies (org_id, id)
) STRICT;

CREATE TABLE obligations (
    org_id     INTEGER NOT NULL,
    case_id    INTEGER NOT NULL,
    seq        INTEGER NOT NULL CHECK (seq >= 1),
    kind       TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    opened_at  TEXT NOT NULL,
    opened_by  TEXT NOT NULL,
    closed_at  TEXT,
    closed_by  TEXT,
    report     TEXT,
    PRIMARY KEY (case_id, seq),
    FOREIGN KEY (org_id, case_id) REFERENCES cases (org_id, id)
) STRICT;

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    org_id          INTEGER NOT NULL,
    case_id         INTEGER NOT NULL,
    kind            TEXT NOT NULL,
    template        TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    payload         TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT,
    sent_at         TEXT,
    created_at      TEXT NOT NULL,
    FOREIGN KEY (org_id, case_id) REFERENCES cases (org_id, id)
) STRICT;
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';

CREATE TABLE idempotency_keys (
    org_id      INTEGER NOT NULL REFERENCES organizations (id),
    key         TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    case_id     INTEGER NOT NULL,
    response    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (org_id, key)
) STRICT;

CREATE TABLE workflow_definitions (
    org_id     INTEGER NOT NULL REFERENCES organizations (id),
    name       TEXT NOT NULL,
    version    INTEGER NOT NULL CHECK (version >= 1),
    definition TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    PRIMARY KEY (org_id, name, version)
) STRICT;
