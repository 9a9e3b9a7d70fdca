-- Reminders of planned deadlines and the outbox as the job runner works
-- it; the same schema as postgres/00005_reminders.sql. SQLite cannot
-- change a CHECK constraint, so the outbox is rebuilt with the new status.

-- +goose Up
CREATE TABLE outbox_new (
    id              INTEGER PRIMARY KEY,
    org_id          INTEGER NOT NULL,
    case_id         INTEGER NOT NULL,
    kind            TEXT NOT NULL,
    template        TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    payload         TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT,
    sent_at         TEXT,
    created_at      TEXT NOT NULL,
    message_id      TEXT,
    reminder_id     INTEGER,
    FOREIGN KEY (org_id, case_id) REFERENCES cases (org_id, id)
) STRICT;
INSERT INTO outbox_new (id, org_id, case_id, kind, template, recipient, payload, status, attempts, next_attempt_at, last_error, sent_at, created_at)
    SELECT id, org_id, case_id, kind, template, recipient, payload, status, attempts, next_attempt_at, last_error, sent_at, created_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status IN ('pending', 'sending');
CREATE INDEX outbox_case ON outbox (org_id, case_id, id);

CREATE TABLE reminders (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL,
    case_id     INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    body        TEXT NOT NULL DEFAULT '',
    due         TEXT NOT NULL,
    offset_days INTEGER NOT NULL,
    recipient   TEXT NOT NULL,
    queued_at   TEXT NOT NULL,
    UNIQUE (case_id, kind, body, due, offset_days, recipient),
    FOREIGN KEY (org_id, case_id) REFERENCES cases (org_id, id)
) STRICT;
CREATE INDEX reminders_due ON reminders (org_id, due);
