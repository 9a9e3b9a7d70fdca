-- Expedition; the same schema as postgres/00008_expedition.sql.

-- +goose Up
ALTER TABLE outbox ADD COLUMN prepared INTEGER NOT NULL DEFAULT 0 CHECK (prepared IN (0, 1));

CREATE TABLE outbox_files (
    outbox_id INTEGER NOT NULL REFERENCES outbox (id),
    seq       INTEGER NOT NULL,
    org_id    INTEGER NOT NULL,
    name      TEXT NOT NULL,
    sha256    TEXT NOT NULL,
    document  INTEGER,
    PRIMARY KEY (outbox_id, seq),
    FOREIGN KEY (org_id, sha256) REFERENCES files (org_id, sha256)
) STRICT;

ALTER TABLE documents ADD COLUMN sent_at TEXT;
ALTER TABLE documents ADD COLUMN sent_to TEXT;
ALTER TABLE documents ADD COLUMN message_id TEXT;
