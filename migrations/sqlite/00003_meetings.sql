-- Meetings and decisions; the same schema as postgres/00003_meetings.sql in
-- SQLite's types: times are UTC text, dates YYYY-MM-DD text.

-- +goose Up
ALTER TABLE organizations ADD COLUMN anslag_days INTEGER NOT NULL DEFAULT 2 CHECK (anslag_days BETWEEN 0 AND 2);

CREATE TABLE body_members (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL,
    body_id    INTEGER NOT NULL,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('ordforande', 'vice_ordforande', 'ledamot', 'ersattare')),
    party      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (org_id, body_id, name),
    FOREIGN KEY (org_id, body_id) REFERENCES bodies (org_id, id)
) STRICT;

CREATE TABLE meetings (
    id              INTEGER PRIMARY KEY,
    org_id          INTEGER NOT NULL,
    body_id         INTEGER NOT NULL,
    date            TEXT NOT NULL,
    time            TEXT NOT NULL DEFAULT '',
    location        TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'planerat' CHECK (status IN ('planerat', 'installt')),
    version         INTEGER NOT NULL DEFAULT 1,
    justerad_on     TEXT,
    ordforande      TEXT,
    justerare       TEXT,
    anslag_on       TEXT,
    appeal_ends_on  TEXT,
    forvaringsplats TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (org_id, id),
    FOREIGN KEY (org_id, body_id) REFERENCES bodies (org_id, id)
) STRICT;
CREATE UNIQUE INDEX meetings_one_per_slot ON meetings (org_id, body_id, date, time) WHERE status = 'planerat';
CREATE INDEX meetings_by_date ON meetings (org_id, date);

CREATE TABLE meeting_history (
    org_id     INTEGER NOT NULL,
    meeting_id INTEGER NOT NULL,
    seq        INTEGER NOT NULL CHECK (seq >= 1),
    action     TEXT NOT NULL,
    actor      TEXT NOT NULL,
    actor_id   INTEGER,
    at         TEXT NOT NULL,
    data       TEXT NOT NULL,
    PRIMARY KEY (meeting_id, seq),
    FOREIGN KEY (org_id, meeting_id) REFERENCES meetings (org_id, id)
) STRICT;
-- +goose StatementBegin
CREATE TRIGGER meeting_history_no_update BEFORE UPDATE ON meeting_history
BEGIN
    SELECT RAISE(ABORT, 'meeting_history is append-only: UPDATE refused');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER meeting_history_no_delete BEFORE DELETE ON meeting_history
BEGIN
    SELECT RAISE(ABORT, 'meeting_history is append-only: DELETE refused');
END;
-- +goose StatementEnd

CREATE TABLE agenda_items (
    org_id     INTEGER NOT NULL,
    meeting_id INTEGER NOT NULL,
    case_id    INTEGER NOT NULL,
    position   INTEGER NOT NULL,
    added_at   TEXT NOT NULL,
    added_by   TEXT NOT NULL,
    PRIMARY KEY (meeting_id, case_id),
    FOREIGN KEY (org_id, meeting_id) REFERENCES meetings (org_id, id),
    FOREIGN KEY (org_id, case_id) REFERENCES cases (org_id, id)
) STRICT;

CREATE TABLE paragraph_counters (
    org_id      INTEGER NOT NULL,
    body_id     INTEGER NOT NULL,
    year        INTEGER NOT NULL,
    next_number INTEGER NOT NULL CHECK (next_number >= 1),
    PRIMARY KEY (org_id, body_id, year),
    FOREIGN KEY (org_id, body_id) REFERENCES bodies (org_id, id)
) STRICT;

CREATE TABLE paragraphs (
    id                  INTEGER PRIMARY KEY,
    org_id              INTEGER NOT NULL,
    body_id             INTEGER NOT NULL,
    year                INTEGER NOT NULL,
    number              INTEGER NOT NULL CHECK (number >= 1),
    meeting_id          INTEGER NOT NULL,
    case_id             INTEGER,
    kind                TEXT NOT NULL CHECK (kind IN ('beslut', 'anmalan')),
    title               TEXT NOT NULL,
    outcome             TEXT NOT NULL DEFAULT '',
    decision            TEXT NOT NULL,
    justeras_omedelbart INTEGER NOT NULL DEFAULT 0,
    justerad_on         TEXT,
    anslag_on           TEXT,
    appeal_ends_on      TEXT,
    created_at          TEXT NOT NULL,
    created_by          TEXT NOT NULL,
    UNIQUE (org_id, body_id, year, number),
    FOREIGN KEY (org_id, meeting_id) REFERENCES meetings (org_id, id),
    FOREIGN KEY (org_id, case_id) REFERENCES cases (org_id, id),
    FOREIGN KEY (org_id, body_id) REFERENCES bodies (org_id, id)
) STRICT;
CREATE INDEX paragraphs_by_meeting ON paragraphs (meeting_id, number);
CREATE INDEX paragraphs_by_case ON paragraphs (case_id);
-- +goose StatementBegin
CREATE TRIGGER paragraphs_no_delete BEFORE DELETE ON paragraphs
BEGIN
    SELECT RAISE(ABORT, 'paragraphs is append-only: DELETE refused');
END;
-- +goose StatementEnd

ALTER TABLE obligations ADD COLUMN body_id INTEGER;
ALTER TABLE obligations ADD COLUMN meeting_id INTEGER;
