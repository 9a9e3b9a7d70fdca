-- Schema agreement with postgres/00010_schema_agreement.sql, where
-- PostgreSQL already had what this adds (internal/store's TestSchemasAgree
-- compares the two schemas):
--
--  * cases gets the foreign key (org_id, handlaggare_id) → users (org_id,
--    id) that 00002 could not add here, so the database itself refuses a
--    handläggare from another organisation, as it does on PostgreSQL.
--  * organization_logos.org_id stops being an alias of the rowid, which
--    SQLite filled in by itself when it was NULL; PostgreSQL refuses NULL
--    there. Only a column declared exactly INTEGER is such an alias, so it
--    is declared INT.
--
-- SQLite cannot add a constraint to a table, so both tables are rebuilt.
-- Dropping cases, which ten tables refer to, has to happen with foreign
-- keys off (with them on, even deferred, the drop counts every referring
-- row as a violation at commit), and that pragma cannot change inside a
-- transaction: so this file runs outside goose's transaction, on one
-- connection, and makes its own. Every row keeps its id, so every
-- reference to a case still holds.

-- +goose NO TRANSACTION
-- +goose Up

-- Refuse to migrate a database that already holds a handläggare from
-- another organisation (the store never writes one); the error names
-- this constraint.
CREATE TEMP TABLE schema_agreement_check (
    n INTEGER CONSTRAINT cases_handlaggare_not_a_user_of_the_case_organisation CHECK (n = 0)
) STRICT;
INSERT INTO temp.schema_agreement_check
    SELECT count(*) FROM cases c
    WHERE c.handlaggare_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM users u WHERE u.org_id = c.org_id AND u.id = c.handlaggare_id);
DROP TABLE temp.schema_agreement_check;

PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;

CREATE TABLE cases_new (
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
    handlaggare_id   INTEGER,
    justerad_on      TEXT,
    anslag_on        TEXT,
    appeal_ends_on   TEXT,
    workflow_custom  INTEGER NOT NULL DEFAULT 0 CHECK (workflow_custom IN (0, 1)),
    cc               TEXT NOT NULL DEFAULT '[]',
    contact          TEXT NOT NULL DEFAULT '',
    UNIQUE (org_id, dnr),
    UNIQUE (series_id, year, number),
    UNIQUE (org_id, id),
    FOREIGN KEY (org_id, series_id) REFERENCES series (org_id, id),
    FOREIGN KEY (org_id, registered_by_id) REFERENCES users (org_id, id),
    CONSTRAINT cases_handlaggare_fk FOREIGN KEY (org_id, handlaggare_id) REFERENCES users (org_id, id),
    CHECK (deadline >= received)
) STRICT;
INSERT INTO cases_new (id, org_id, series_id, year, number, dnr, dnr_base, classification, title, state, version,
        workflow, workflow_version, sender, sender_dnr, reference, received, deadline, reply_to, url, warnings,
        search_text, registered_by, registered_by_id, doc_count, created_at, updated_at,
        handlaggare_id, justerad_on, anslag_on, appeal_ends_on, workflow_custom, cc, contact)
    SELECT id, org_id, series_id, year, number, dnr, dnr_base, classification, title, state, version,
        workflow, workflow_version, sender, sender_dnr, reference, received, deadline, reply_to, url, warnings,
        search_text, registered_by, registered_by_id, doc_count, created_at, updated_at,
        handlaggare_id, justerad_on, anslag_on, appeal_ends_on, workflow_custom, cc, contact
    FROM cases;
DROP TABLE cases;
ALTER TABLE cases_new RENAME TO cases;
CREATE INDEX cases_org_deadline ON cases (org_id, deadline, id);
CREATE INDEX cases_org_sender_dnr ON cases (org_id, sender_dnr);

CREATE TABLE organization_logos_new (
    org_id     INT NOT NULL PRIMARY KEY REFERENCES organizations (id),
    media_type TEXT NOT NULL,
    content    BLOB NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
INSERT INTO organization_logos_new (org_id, media_type, content, updated_by, updated_at)
    SELECT org_id, media_type, content, updated_by, updated_at FROM organization_logos;
DROP TABLE organization_logos;
ALTER TABLE organization_logos_new RENAME TO organization_logos;

COMMIT;
PRAGMA foreign_keys = ON;
